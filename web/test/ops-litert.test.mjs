// One-op models written by qlite's writer (tests/cross_runtime/make_op_models.cc,
// built as build/native/tests/qlite_op_models) run through qlite (reference
// and SIMD kernels) and LiteRT.js (npm @litertjs/core, wasm CPU) in Chromium
// on seeded values for every input. Integer and bool outputs must be
// identical; float32 outputs within 1e-5 relative (|a - b| <= 1e-5 *
// max(floor, |b|)): LiteRT.js may sum in another order. The floor is 1, and
// 10 for float BATCH_MATMUL, whose dot products of inputs in [-10, 10) pass
// through partial sums near 100 (one float32 ulp there is 7.6e-6) before they
// cancel to small outputs. Every op family adds its models in
// tests/cross_runtime/op_models_<family>.cc.
//
// int8 and uint8 RESIZE_BILINEAR may differ by 1: LiteRT.js runs them through
// XNNPACK, whose weights have 11 fraction bits (lrintf of the float fraction)
// and whose sums round half up, where TFLite's builtin kernel (and qlite) uses
// 10-bit weights rounded half away from zero (int8) or exact float weights
// plus 0.5, truncated (uint8). An emulation of XNNPACK's arithmetic gave
// LiteRT.js's values exactly on every value of these models; int16, which
// XNNPACK does not take, is identical.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoDir } from './helpers.mjs';
import { launchChromium, missingReason, pageHtml, startServer } from './litert-harness.mjs';

const generator = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
let skip = missingReason();
if (!skip && !existsSync(generator)) {
  skip = `${generator} is missing (bash scripts/build.sh native)`;
  if (process.env.CI === 'true') throw new Error(`${skip}, and CI=true requires this test`);
}

const PAGE_SCRIPT = `
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
    } else {
      v = info.dtype === 'float32' ? rand() * 20 - 10 : Math.floor(rand() * 2001) - 1000;
    }
    x[i] = info.dtype === 'int64' ? BigInt(v) : v;
  }
  return x;
}
let setup = null;
window.compare = async (url, seeds, floor) => {
  setup ??= Promise.all([loadQlite(), initLiteRt()]);
  const [qlite] = await setup;
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const ref = qlite.loadModel(bytes, { kernels: 'reference' });
  const simd = qlite.loadModel(bytes, { kernels: 'simd' });
  let litert;
  try {
    litert = await loadLiteRtModel(bytes);
  } catch (e) {
    return { loadError: String(e.message) };
  }
  const r = { dtype: ref.outputs[0].dtype, values: 0, equal: 0, maxRel: 0, maxAbs: 0, simdEqual: true,
    worst: null };
  for (const seed of seeds) {
    // Input 0 gets the seed itself; the others seeds far from it (nearby
    // seeds give correlated values).
    const xs = ref.inputs.map((info, i) =>
      randomInput(info, i === 0 ? seed : Math.imul(seed + 1000 * i, 0x9e3779b1)));
    const [q] = ref.run(xs);
    const [s] = simd.run(xs);
    const [l] = await litert.run(xs);
    if (q.length !== l.length) return { lengthError: q.length + ' vs ' + l.length };
    r.simdEqual &&= s.every((v, i) => Object.is(v, q[i]));
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

let dir;
let server;
let browser;
let page;
let models = [];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'qlite-op-models-'));
  execFileSync(generator, [dir]);
  models = readdirSync(dir).filter((f) => f.endsWith('.tflite')).sort();
  const pages = { '/': [pageHtml(PAGE_SCRIPT), '.html'] };
  for (const f of models) pages[`/models/${f}`] = [readFileSync(join(dir, f)), '.tflite'];
  server = await startServer({ pages });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('one-op models: qlite gives LiteRT.js\'s outputs', { skip: skip || false, timeout: 300_000 }, async (t) => {
  assert.ok(models.length >= 12, `qlite_op_models wrote ${models.length} models`);
  for (const f of models) {
    const floor = f.startsWith('batch_matmul_float32') ? 10 : 1;
    const r = await page.evaluate(([u, s, fl]) => window.compare(u, s, fl),
      [`/models/${f}`, [1, 2, 3], floor]);
    assert.equal(r.loadError, undefined, `LiteRT.js cannot load ${f}: ${r.loadError}`);
    assert.equal(r.lengthError, undefined, `${f}: output lengths differ (${r.lengthError})`);
    t.diagnostic(`${f}: ${r.equal}/${r.values} values identical, max relative diff ${r.maxRel}`);
    assert.ok(r.simdEqual, `${f}: qlite's simd and reference kernels differ`);
    if (r.dtype === 'float32') {
      assert.ok(r.maxRel <= 1e-5, `${f}: ${JSON.stringify(r.worst)}`);
    } else if (/^resize_bilinear_u?int8_/.test(f)) {
      assert.ok(r.maxAbs <= 1, `${f}: ${JSON.stringify(r.worst)}`);
    } else if (f === 'face_detection_style_int8.tflite') {
      // Its DEPTHWISE_CONV_2D runs through XNNPACK in LiteRT.js, whose fp32
      // requantization differs from TFLite's fixed-point one by 1 where a
      // result sits at a rounding boundary: cut after each node, the block
      // first differs there (3 of 1536 values); the CONV_2D and PRELU before
      // it match exactly.
      assert.ok(r.maxAbs <= 1 && r.equal >= 0.99 * r.values, `${f}: ${JSON.stringify(r.worst)}`);
    } else {
      assert.equal(r.equal, r.values, `${f}: ${JSON.stringify(r.worst)}`);
    }
  }
});
