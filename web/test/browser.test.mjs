// The same package in Debian's Chromium (driven by playwright-core): in a page
// and in a module Web Worker, served by a tiny static server on 127.0.0.1.
// Every shared model's golden cases run in the browser; Node compares them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { browserMissing, launchChromium, startServer } from './chromium.mjs';
import {
  TYPED, bytesOf, compareWithGolden, goldenCases, modelsDir, repoDir, sameOrFusedClose,
  sharedModelsSkip, webDir,
} from './helpers.mjs';

const skip = browserMissing('the browser tests') || false;
const modelsSkip = skip ? false : sharedModelsSkip();

// Runs in the page and in the worker: every case through the package.
const RUNNER = `
import { loadQlite } from '/pkg/src/index.js';
const bytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array };
export async function runAll() {
  const qlite = await loadQlite();
  let loadError = '';
  try { qlite.loadModel(new Uint8Array(16)); } catch (e) { loadError = (e instanceof Error) + ' ' + e.message; }
  const cases = await (await fetch('/cases.json')).json();
  const results = [];
  for (const c of cases) {
    const model = qlite.loadModel(await bytes(c.model), { kernels: c.kernels, profile: true });
    const inputs = [];
    for (let i = 0; i < c.inputs.length; ++i) {
      inputs.push(new TYPED[model.inputs[i].dtype]((await bytes(c.inputs[i])).buffer));
    }
    const outputs = model.run(inputs).map((y) => ({ type: y.constructor.name, values: Array.from(y) }));
    results.push({ label: c.label, outputs, ops: model.profile().length });
    model.dispose();
  }
  let quantized = null; // quantizeModel links qlite-quantize.wasm, fetched by URL here
  if (cases.length) {
    const representative = Array.from({ length: 20 }, (_, i) => new Float32Array([i / 3]));
    const int8 = await qlite.quantizeModel(await bytes('/models/hello_world_float.tflite'),
      { mode: 'int8', io: 'int8', representative });
    const model = qlite.loadModel(int8);
    quantized = { dtype: model.inputs[0].dtype, out: model.run([new Int8Array(1)])[0].length };
    model.dispose();
  }
  return { loadError, results, quantized, inWorker: typeof window === 'undefined',
    wasmBuild: qlite.wasmBuild, relaxedDot: qlite.relaxedDot };
}

// The repository's models with seeded inputs through qlite.relaxed.wasm (SIMD
// kernels; first run and after 1,000 more) and qlite.wasm (SIMD and reference
// kernels): hex of every output.
export async function runBuilds(files) {
  const builds = [[await loadQlite(), 'simd'], [await loadQlite({ relaxedSimd: false }), 'simd'],
    [await loadQlite({ relaxedSimd: false }), 'reference']];
  const hex = (y) => Array.from(new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
    (b) => b.toString(16).padStart(2, '0')).join('');
  const [relaxed] = builds[0];
  const out = { wasmBuild: relaxed.wasmBuild, relaxedDot: relaxed.relaxedDot, models: [] };
  for (const file of files) {
    const data = await bytes('/repo-models/' + file);
    let seed = 11;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
    const runs = [];
    let inputs;
    let dtypes;
    for (const [q, kernels] of builds) {
      const model = q.loadModel(data, { kernels });
      inputs ??= model.inputs.map((info) => {
        const x = new TYPED[info.dtype](info.shape.reduce((a, b) => a * b, 1));
        for (let i = 0; i < x.length; ++i) {
          x[i] = info.dtype === 'float32' ? (next() % 2001 - 1000) / 1000 : next();
        }
        return x;
      });
      runs.push(model.run(inputs).map(hex).join('|'));
      dtypes ??= model.outputs.map((info) => info.dtype);
      if (runs.length === 1) {
        // Hot kernels move from V8's first tier to its optimizing one: the
        // relaxed dot product must stay exact there too (both tiers run it).
        for (let i = 0; i < 1000; ++i) model.run(inputs);
        runs.push(model.run(inputs).map(hex).join('|'));
      }
      model.dispose();
    }
    out.models.push({ file, runs, dtypes });
  }
  return out;
}
`;
const PAGE = `<!doctype html><meta charset="utf-8"><title>qlite</title>
<script type="module">
import { runAll } from '/runner.js';
window.pageResult = runAll().catch((e) => ({ failed: String(e && e.stack || e) }));
window.workerResult = new Promise((resolve) => {
  const worker = new Worker('/worker.js', { type: 'module' });
  worker.onmessage = (event) => resolve(event.data);
  worker.onerror = (event) => resolve({ failed: 'worker error: ' + event.message });
});
</script>`;
const WORKER = `import { runAll } from '/runner.js';
runAll().then((r) => self.postMessage(r), (e) => self.postMessage({ failed: String(e && e.stack || e) }));`;

let server;
let origin;
let browser; // playwright gives it a fresh temporary profile and removes it on close
const cases = [];

before(async () => {
  if (skip) return;
  if (!modelsSkip) {
    for (const c of goldenCases()) {
      const url = (p) => `/models/${p.slice(modelsDir.length + 1)}`;
      for (const kernels of ['reference', 'simd']) {
        cases.push({ label: `${c.label} ${kernels}`, kernels, model: url(c.model),
          inputs: c.inputs.map(url), outputs: c.outputs });
      }
    }
  }
  // /pkg/... -> web/, /models/... -> ../shared/models; nothing above them.
  server = await startServer({
    pages: { '/': [PAGE, '.html'], '/runner.js': [RUNNER, '.js'], '/worker.js': [WORKER, '.js'],
      '/cases.json': [JSON.stringify(cases), '.json'] },
    roots: { '/pkg/': webDir, '/models/': modelsDir, '/repo-models/': join(repoDir, 'models') },
  });
  origin = server.origin;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function checkResults(result, where) {
  assert.ok(!result.failed, `${where}: ${result.failed}`);
  assert.equal(result.inWorker, where === 'worker');
  // Chromium has shipped relaxed SIMD since 114: the relaxed build must load.
  assert.equal(result.wasmBuild, 'relaxed', `${where}: qlite.relaxed.wasm`);
  assert.ok(['unsigned', 'signed', 'unavailable'].includes(result.relaxedDot));
  assert.match(result.loadError, /^true qlite: /, `${where}: a bad model gives an Error`);
  assert.equal(result.results.length, cases.length);
  if (cases.length) assert.deepEqual(result.quantized, { dtype: 'int8', out: 1 }, `${where}: quantizeModel`);
  result.results.forEach((r, i) => {
    const c = cases[i];
    assert.equal(r.label, c.label);
    assert.ok(r.ops > 0);
    r.outputs.forEach((out, o) => {
      const golden = bytesOf(c.outputs[o]);
      const Ctor = Object.values(TYPED).find((T) => T.name === out.type);
      assert.ok(Ctor, `${where} ${c.label}: output type ${out.type}`);
      const actual = Ctor.from(out.values);
      assert.equal(compareWithGolden(actual, new Ctor(golden.buffer)), '',
        `${where} ${c.label} output ${o}`);
    });
  });
}

test('in a Chromium page and in a module Web Worker', { skip, timeout: 180_000 }, async (t) => {
  if (modelsSkip) t.diagnostic(`only loading and errors are checked: ${modelsSkip}`);
  const page = await browser.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  await page.goto(`${origin}/`);
  const pageResult = await page.evaluate(() => window.pageResult);
  checkResults(pageResult, 'page');
  const workerResult = await page.evaluate(() => window.workerResult);
  checkResults(workerResult, 'worker');
  assert.ok(cases.length === 0 || pageResult.results.length >= 24, 'every model x 3 seeds x 2 kernel sets');
  await page.close();
  if (logs.length) t.diagnostic(`browser console: ${logs.join(' | ')}`);
  t.diagnostic(`relaxed dot product in Chromium: ${pageResult.relaxedDot}`);
});

// The page's repository-model runs (runBuilds) in `chromium`: equal bytes
// everywhere, except that the relaxed build's float outputs may differ in the
// last bits (fused multiply-adds, sameOrFusedClose) and stay the same after
// 1,000 runs; returns the relaxed dot product's mode there.
async function checkBuilds(chromium, files) {
  const page = await chromium.newPage();
  await page.goto(`${origin}/`);
  const result = await page.evaluate(async (list) => {
    const { runBuilds } = await import('/runner.js');
    return runBuilds(list);
  }, files);
  await page.close();
  assert.equal(result.wasmBuild, 'relaxed');
  assert.equal(result.models.length, files.length);
  for (const m of result.models) {
    const [relaxed, relaxedHot, simd128, reference] = m.runs;
    assert.equal(sameOrFusedClose(relaxed, reference, m.dtypes), '',
      `${m.file}: relaxed build, SIMD kernels vs reference`);
    assert.equal(relaxedHot, relaxed, `${m.file}: the same after 1,000 runs`);
    assert.equal(simd128, reference, `${m.file}: qlite.wasm, SIMD kernels vs reference`);
  }
  return result.relaxedDot;
}

const repoModels = () => readdirSync(join(repoDir, 'models')).filter((f) => f.endsWith('.tflite'));

test('qlite.relaxed.wasm gives the bytes of qlite.wasm on every repository model',
  { skip, timeout: 180_000 }, async (t) => {
    const files = repoModels();
    assert.ok(files.length >= 4);
    const mode = await checkBuilds(browser, files);
    t.diagnostic(`relaxed dot product in Chromium: ${mode}`);
    if (mode === 'unavailable') {
      t.diagnostic('this CPU/engine has no exact relaxed dot product: both builds ran dot_i16x8');
    }
  });

// V8 compiles wasm twice (Liftoff first, TurboFan for hot code) and the two
// could lower the relaxed instruction differently: each tier alone, probe
// included, must find the same behaviour and give the same bytes.
test('the same in each V8 tier alone (--liftoff-only, --no-liftoff)',
  { skip, timeout: 180_000 }, async (t) => {
    const files = repoModels();
    const modes = [];
    for (const flag of ['--liftoff-only', '--no-liftoff']) {
      const tierBrowser = await launchChromium([`--js-flags=${flag}`]);
      try {
        modes.push(await checkBuilds(tierBrowser, files));
      } finally {
        await tierBrowser.close();
      }
    }
    t.diagnostic(`relaxed dot product: Liftoff ${modes[0]}, TurboFan ${modes[1]}`);
    assert.equal(modes[0], modes[1]);
  });
