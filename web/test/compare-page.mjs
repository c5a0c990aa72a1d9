// The page script of the LiteRT.js comparisons (web/test/ops-litert.test.mjs,
// tests/bench/compare_nodes.mjs): window.compare(url, seeds, floor) loads the
// model at url into qlite (reference and SIMD kernels) and LiteRT.js, feeds
// every input seeded values and compares output 0 of each run, and its shape.
// A seed may instead be an array: the values of input 0 for that run (the
// other inputs stay seeded).
// openComparePage() serves it with a folder's models and opens it in Chromium.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, pageHtml, startServer } from './litert-harness.mjs';

export const COMPARE_PAGE_SCRIPT = `
import { loadQlite } from '/pkg/src/index.js';
import { initLiteRt, loadLiteRtModel } from '/litert-runner.js';
const TYPED = { float32: Float32Array, int32: Int32Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, int64: BigInt64Array, bool: Uint8Array, float16: Uint16Array };
// A small seeded generator: the same inputs in every run.
function seeded(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}
const FLOAT_SPECIALS = [NaN, Infinity, -Infinity, -0];
// Values for one input. bool: 0 or 1. Inputs named "ties..." get values from a
// small range, so that equal operands are common: integers in [-4, 4] (float32
// also NaN, infinities and -0; int8 / uint8 / int16 within 6 of the zero
// point).
// Others: floats in [-10, 10), integers in [-1000, 1000] (wrapped to the dtype).
// Inputs named "nonneg..." get the magnitudes of those values; inputs named
// "small..." (sizes, shapes, k of ops whose output shape they set) integers
// in [1, 4].
function randomInput(info, seed) {
  const n = info.shape.reduce((a, b) => a * b, 1);
  const rand = seeded(seed);
  const ties = info.name.startsWith('ties');
  const x = new TYPED[info.dtype](n);
  for (let i = 0; i < n; ++i) {
    let v;
    if (info.dtype === 'bool') {
      v = rand() < 0.5 ? 1 : 0;
    } else if (info.dtype === 'float16') {
      // Raw bits of a finite half below 256 in magnitude.
      v = (rand() < 0.5 ? 0x8000 : 0) | (Math.floor(rand() * 23) << 10) | Math.floor(rand() * 1024);
    } else if (ties && info.dtype === 'float32') {
      const r = rand();
      v = r < 0.15 ? FLOAT_SPECIALS[Math.floor(r / 0.15 * 4)] : Math.floor(rand() * 9) - 4;
    } else if (ties && (info.dtype === 'int8' || info.dtype === 'uint8' || info.dtype === 'int16')) {
      v = (info.zeroPoint ?? 0) + Math.floor(rand() * 13) - 6;
    } else if (ties) {
      v = Math.floor(rand() * 9) - 4;
    } else if (info.name.startsWith('small')) {
      v = 1 + Math.floor(rand() * 4);
    } else {
      v = info.dtype === 'float32' ? rand() * 20 - 10 : Math.floor(rand() * 2001) - 1000;
    }
    if (info.name.startsWith('nonneg') && info.dtype !== 'bool') v = Math.abs(v);
    x[i] = info.dtype === 'int64' ? BigInt(v) : v;
  }
  return x;
}
let setup = null;
window.compare = async (url, seeds, floor, arithmetic = 'tflite') => {
  setup ??= Promise.all([loadQlite(), initLiteRt()]);
  const [qlite] = await setup;
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const ref = qlite.loadModel(bytes, { kernels: 'reference', arithmetic });
  const simd = qlite.loadModel(bytes, { kernels: 'simd', arithmetic });
  let litert;
  try {
    litert = await loadLiteRtModel(bytes);
  } catch (e) {
    return { loadError: String(e.message) };
  }
  const r = { dtype: ref.outputs[0].dtype, values: 0, equal: 0, maxRel: 0, maxAbs: 0, simdEqual: true,
    simdMaxRel: 0, worst: null };
  for (const seed of seeds) {
    // Input 0 gets the seed itself; the others seeds far from it (nearby
    // seeds give correlated values).
    const xs = ref.inputs.map((info, i) => (Array.isArray(seed)
      ? (i === 0 ? TYPED[info.dtype].from(seed) : randomInput(info, Math.imul(1000 * i, 0x9e3779b1)))
      : randomInput(info, i === 0 ? seed : Math.imul(seed + 1000 * i, 0x9e3779b1))));
    const [q] = ref.run(xs);
    const [s] = simd.run(xs);
    const ls = await litert.run(xs);
    const l = ls[0];
    if (q.length !== l.length) return { lengthError: q.length + ' vs ' + l.length };
    // qlite's output shape, after the run (it may depend on the values),
    // must be LiteRT.js's.
    const shapes = [ref.outputs[0].shape, simd.outputs[0].shape, ls.shapes[0]].map(String);
    if (shapes[0] !== shapes[1] || shapes[0] !== shapes[2]) {
      return { shapeError: 'seed ' + seed + ': [' + shapes.join('] / [') + '] (reference / simd / LiteRT.js)' };
    }
    r.simdEqual &&= s.every((v, i) => Object.is(v, q[i]));
    // Float outputs of qlite.relaxed.wasm: fused multiply-adds (fused-close.mjs).
    for (let i = 0; i < s.length; ++i) {
      if (Object.is(s[i], q[i])) continue;
      const rel = Math.abs(Number(s[i]) - Number(q[i])) / Math.max(1, Math.abs(Number(q[i])));
      r.simdMaxRel = rel <= r.simdMaxRel ? r.simdMaxRel : rel;
    }
    for (let i = 0; i < q.length; ++i) {
      ++r.values;
      if (Object.is(q[i], l[i])) { ++r.equal; continue; }
      const [a, b] = [Number(q[i]), Number(l[i])];
      r.maxAbs = Math.max(r.maxAbs, Math.abs(a - b));
      const rel = Math.abs(a - b) / Math.max(floor, Math.abs(b));
      if (!(rel <= r.maxRel)) {
        r.maxRel = rel;
        r.worst = { seed, index: i, qlite: String(q[i]), litert: String(l[i]) };
      }
    }
  }
  ref.dispose();
  simd.dispose();
  litert.delete();
  return r;
};
window.ready = true;
`;

// The page at / with each of `files` (in `dir`) at /models/<file>, open in
// Chromium; resolves to { page, close() } once the page is ready.
export async function openComparePage(dir, files) {
  const pages = { '/': [pageHtml(COMPARE_PAGE_SCRIPT), '.html'] };
  for (const f of files) pages[`/models/${f}`] = [readFileSync(join(dir, f)), '.tflite'];
  const server = await startServer({ pages });
  const browser = await launchChromium().catch(async (e) => { await server.close(); throw e; });
  const page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.ready === true);
  return { page, async close() { await browser.close(); await server.close(); } };
}
