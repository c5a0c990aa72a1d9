// Stateful one-op models (SVDF float32, int8 with int16 state and hybrid, the
// RNN and LSTM families float32 and hybrid, hand-built and as qlite's
// quantizer writes them in dynamic-range mode, float32 resource variables
// initialized by CALL_ONCE and added to in the main subgraph or in a WHILE
// body, written by
// `build/native/tests/qlite_op_models --stateful`) run step after step in
// Chromium through qlite (reference and SIMD kernel sets) and tfjs-tflite
// (npm @tensorflow/tfjs-tflite, TFLite's interpreter in wasm: it runs
// variable tensors, which LiteRT.js refuses). Every step's output must match
// (int8 identical, float32 within 1e-5 relative, floor 1; the hybrid SVDF and
// RNN models (int8 weights, float32 outputs, ReLU-family activations)
// identical to the bit: qlite quantizes each row as TFLite does and sums the
// int8 products exactly, and no libm call follows; the hybrid LSTM models
// within 1e-5, as their float twins, since tanh and exp differ in the last
// bits); then qlite's
// resetVariables() and a freshly loaded tfjs-tflite model (tfjs-tflite has no
// reset) run the same steps again and must give the first pass's outputs.
// The package in Node must give the same outputs, step for step, and
// `qlite run --steps` (the native CLI) what the package's run() calls give
// (int8 identical; float32 within the same tolerance: native and wasm tanh
// come from different C libraries and differ in the last bits). A model with
// two outputs (bidirectional ops without merge_outputs) is compared on both,
// concatenated in output order; `qlite run --steps` on its first.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { browserMissing, launchChromium, startServer } from './chromium.mjs';
import { loadQlite, repoDir, webDir } from './helpers.mjs';

const tfjsDir = (name) => join(repoDir, 'node_modules', '@tensorflow', name);
const generator = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
const cli = join(repoDir, 'build', 'native', 'qlite');
let skip = browserMissing('the tfjs-tflite tests', [
  [existsSync(join(tfjsDir('tfjs-tflite'), 'wasm')),
    '@tensorflow/tfjs-tflite is not installed (npm ci at the repository root)'],
]);
if (!skip && !(existsSync(generator) && existsSync(cli))) {
  skip = `${generator} or ${cli} is missing (bash scripts/build.sh native)`;
  if (process.env.CI === 'true') throw new Error(`${skip}, and CI=true requires this test`);
}

const STEPS = 10;  // steps of carried state, then as many again after a reset

// The inputs of each step, in the page and in Node: int8 over all of int8,
// float32 in [-10, 10).
function seeded(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}
function stepInput(info, seed) {
  const n = info.shape.reduce((a, b) => a * b, 1);
  const rand = seeded(seed);
  if (info.dtype === 'int8') return Int8Array.from({ length: n }, () => Math.floor(rand() * 256) - 128);
  return Float32Array.from({ length: n }, () => rand() * 20 - 10);
}

// tfjs-tflite's UMD bundles define the globals tf and tflite.
const PAGE = `<!doctype html><meta charset="utf-8"><title>qlite vs tfjs-tflite</title>
<script src="/tfjs-core/tf-core.min.js"></script>
<script src="/tfjs-cpu/tf-backend-cpu.min.js"></script>
<script src="/tfjs-tflite/dist/tf-tflite.min.js"></script>
<script type="module">
import { loadQlite } from '/pkg/src/index.js';
${seeded}
${stepInput}
const qlitePromise = loadQlite();
tflite.setWasmPath('/tfjs-tflite/wasm/');
await tf.setBackend('cpu');
async function tfjsModel(bytes) {
  const model = await tflite.loadTFLiteModel(bytes.slice().buffer, { numThreads: 1 });
  return (x, shape) => {
    // tfjs has no int8 dtype: int8 inputs go in as int32, as tfjs-tflite expects.
    const t = x instanceof Float32Array ? tf.tensor(x, shape, 'float32')
      : tf.tensor(Int32Array.from(x), shape, 'int32');
    // Two outputs come back as a map by output name.
    const out = model.predict(t);
    const ys = out instanceof tf.Tensor ? [out] : model.outputs.map((o) => out[o.name]);
    const values = ys.flatMap((y) => Array.from(y.dataSync()));
    t.dispose();
    ys.forEach((y) => y.dispose());
    return values;
  };
}
// Outputs of both runtimes for seeds[0..n), twice: from the start, and after
// qlite's resetVariables() / a fresh tfjs-tflite model.
window.runSteps = async (url, seeds) => {
  const qlite = await qlitePromise;
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const ref = qlite.loadModel(bytes, { kernels: 'reference' });
  const simd = qlite.loadModel(bytes, { kernels: 'simd' });
  const info = ref.inputs[0];
  const r = { dtype: ref.outputs[0].dtype, passes: [] };
  try {
    for (let pass = 0; pass < 2; ++pass) {
      if (pass === 1) { ref.resetVariables(); simd.resetVariables(); }
      let tfjs;
      try {
        tfjs = await tfjsModel(bytes);
      } catch (e) {
        return { loadError: String(e?.message ?? e) };
      }
      const steps = [];
      for (const seed of seeds) {
        const x = stepInput(info, seed);
        const q = ref.run([x]).flatMap((y) => Array.from(y));
        const s = simd.run([x]).flatMap((y) => Array.from(y));
        steps.push({ qlite: q, simd: s, tfjs: tfjs(x, info.shape) });
      }
      r.passes.push(steps);
    }
    // Each step's input alone, in a freshly loaded model: where the state
    // matters, some step answers otherwise.
    r.fresh = seeds.map((seed) => {
      const fresh = qlite.loadModel(bytes, { kernels: 'reference' });
      const ys = fresh.run([stepInput(info, seed)]);
      fresh.dispose();
      return ys.flatMap((y) => Array.from(y));
    });
  } finally {
    ref.dispose();
    simd.dispose();
  }
  return r;
};
window.ready = true;
</script>`;

let dir;
let server;
let browser;
let page;
let models = [];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'qlite-stateful-models-'));
  execFileSync(generator, ['--stateful', dir]);
  models = readdirSync(dir).filter((f) => f.endsWith('.tflite')).sort();
  const pages = { '/': [PAGE, '.html'] };
  for (const f of models) pages[`/models/${f}`] = [readFileSync(join(dir, f)), '.tflite'];
  server = await startServer({
    pages,
    roots: {
      '/pkg/': webDir,
      '/tfjs-core/': join(tfjsDir('tfjs-core'), 'dist'),
      '/tfjs-cpu/': join(tfjsDir('tfjs-backend-cpu'), 'dist'),
      '/tfjs-tflite/': tfjsDir('tfjs-tflite'),
    },
  });
  browser = await launchChromium();
  page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60000 })
    .catch((e) => { throw new Error(`${e.message}; page errors: ${errors.join('; ')}`); });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// tfjs-tflite answers the first run of a resource-variable model (whose
// output reads READ_VARIABLE's value, a tensor TFLite sizes during the run)
// with zeros, and every later run with the values qlite gives: the state
// it carries is the same. Its first runs are checked to be all zeros and
// are not compared; web/test/ops-litert.test.mjs compares them with
// LiteRT.js, which gives qlite's values from the first run on.
const FIRST_READ_UNRELIABLE = Symbol('tfjs-tflite first run');
function tfjsSteps(f, passes, failures) {
  if (!f.startsWith('resource_')) return passes;
  return passes.map((steps, pass) => steps.map((step, k) => {
    if (k > 0) return step;
    if (step.tfjs.some((v) => v !== 0)) {
      failures.push(`${f} pass ${pass}: tfjs-tflite's first run is no longer all zeros`);
    }
    return { ...step, tfjs: FIRST_READ_UNRELIABLE };
  }));
}

// |a - b| <= 1e-5 * max(1, |b|), ints and `exact` floats exactly.
function mismatch(dtype, a, b, exact = false) {
  if (b === FIRST_READ_UNRELIABLE) return '';
  if (a.length !== b.length) return `${a.length} values vs ${b.length}`;
  for (let i = 0; i < a.length; ++i) {
    const ok = dtype === 'float32' && !exact
      ? Object.is(a[i], b[i]) || Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i]))
      : Object.is(a[i], b[i]);
    if (!ok) return `value ${i}: qlite ${a[i]}, tfjs-tflite ${b[i]}`;
  }
  return '';
}

test('every stateful model matches tfjs-tflite at every step, and again after a reset',
  { skip: skip || false, timeout: 300000 }, async () => {
    assert.ok(models.length >= 45, `qlite_op_models --stateful wrote ${models.length} models`);
    const seeds = Array.from({ length: STEPS }, (_, i) => 101 + 7919 * i);
    const qlite = await loadQlite();
    const failures = [];
    for (const f of models) {
      const r = await page.evaluate(([url, s]) => window.runSteps(url, s), [`/models/${f}`, seeds]);
      if (r.passes) r.passes = tfjsSteps(f, r.passes, failures);
      const exact = f.includes('hybrid') && !f.includes('lstm');
      // The package in Node, two passes with resetVariables() between.
      const model = qlite.loadModel(readFileSync(join(dir, f)));
      const cliArgs = ['run', join(dir, f), '--steps', String(STEPS), '--output-dir', dir];
      const packageOutputs = [];
      for (let pass = 0; pass < 2; ++pass) {
        if (pass === 1) model.resetVariables();
        seeds.forEach((seed, k) => {
          const x = stepInput(model.inputs[0], seed);
          const ys = model.run([x]);
          const y = ys.flatMap((o) => Array.from(o));
          const bad = r.passes?.[0] && mismatch(r.dtype, y, r.passes[0][k].tfjs, exact);
          if (bad) failures.push(`${f} in Node, pass ${pass} step ${k}: ${bad}`);
          if (pass > 0) return;
          writeFileSync(join(dir, `x${k}.bin`), x);
          cliArgs.push('--input', join(dir, `x${k}.bin`));
          packageOutputs.push(Array.from(ys[0]));
        });
      }
      model.dispose();
      execFileSync(cli, cliArgs, { stdio: 'ignore' });
      const Typed = r.dtype === 'int8' ? Int8Array : Float32Array;
      packageOutputs.forEach((y, k) => {
        const bytes = readFileSync(join(dir, `step${k}.output0.bin`));
        const bad = mismatch(r.dtype, Array.from(new Typed(bytes.buffer.slice(bytes.byteOffset,
          bytes.byteOffset + bytes.byteLength))), y, exact);
        if (bad) failures.push(`${f}: qlite run --steps differs from run() at step ${k}: ${bad}`);
      });
      if (r.loadError) {
        failures.push(`${f}: tfjs-tflite cannot load it: ${r.loadError}`);
        continue;
      }
      r.passes.forEach((steps, pass) => steps.forEach((step, k) => {
        const where = `${f} pass ${pass} step ${k}`;
        const bad = mismatch(r.dtype, step.qlite, step.tfjs, exact);
        if (bad) failures.push(`${where}: ${bad}`);
        if (mismatch(r.dtype, step.simd, step.qlite)) failures.push(`${where}: SIMD set differs`);
        if (pass === 1 && mismatch(r.dtype, step.qlite, r.passes[0][k].qlite)) {
          failures.push(`${where}: qlite after resetVariables() differs from the first pass`);
        }
      }));
      // SVDF with memory 1 keeps no past: its state is this step's features.
      const stateless = f.includes('memory1');
      const stateMatters = r.fresh.some((y, k) => mismatch(r.dtype, y, r.passes[0][k].qlite));
      if (stateMatters === stateless) {
        failures.push(`${f}: the outputs ${stateless ? 'depend' : 'do not depend'} on the state`);
      }
    }
    assert.deepEqual(failures, []);
  });
