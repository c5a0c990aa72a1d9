// loadQlite({ threads }): the threaded module (qlite-threads.wasm) in a
// cross-origin isolated Chromium page and in a module worker of that page;
// in Node on worker_threads; one thread, with the reason, where
// SharedArrayBuffer is unavailable (a page without COOP/COEP). Outputs must be
// the bytes of the single-threaded module for every thread count, and the
// workers must have run ranges.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { browserMissing, launchChromium, startServer } from './chromium.mjs';
import { loadQlite, repoDir, webDir } from './helpers.mjs';

const qliteCli = join(repoDir, 'build', 'native', 'qlite');
const skip = browserMissing('the threads tests',
  [[existsSync(qliteCli), `${qliteCli} is missing (cmake --build build/native): it writes the models`]]) ||
  false;

// Synthetic models whose convolutions are large enough to be split (TasksFor),
// int8 and float32, and one with a long-tail op (RESIZE_BILINEAR, from the
// side module): [file, `qlite synth` arguments].
const SYNTH = [
  ['mobilenet_v2_int8.tflite', ['mobilenet_v2', '--alpha', '0.35', '--size', '96']],
  ['mobilenet_v2_float32.tflite', ['mobilenet_v2', '--alpha', '0.35', '--size', '96', '--float32']],
  ['blazeface_float32.tflite', ['blazeface', '--float32']],
  ['segmentation_int8.tflite', ['segmentation', '--size', '128']],
];

const RUNNER = `
import { loadQlite } from '/pkg/src/index.js';
const bytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array };
const hex = (y) => Array.from(new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
  (b) => b.toString(16).padStart(2, '0')).join('');
function seededInputs(model) {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
  return model.inputs.map((info) => {
    const x = new TYPED[info.dtype](info.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < x.length; ++i) {
      x[i] = info.dtype === 'float32' ? (next() % 2001 - 1000) / 1000 : next();
    }
    return x;
  });
}
function run(qlite, data, options) {
  const model = qlite.loadModel(data, options);
  const out = model.run(seededInputs(model)).map(hex).join('|');
  model.dispose();
  return out;
}
// Every model through the single-threaded module and through threaded ones
// of each count in 'counts' (one per model also limited to one thread).
export async function runThreads(files, counts) {
  const single = await loadQlite();
  const builds = [];
  for (const n of counts) builds.push(await loadQlite({ threads: n }));
  const models = [];
  for (const file of files) {
    const data = await bytes('/synth/' + file);
    const runs = { single: run(single, data) };
    for (const q of builds) runs['threads' + q.threads] = run(q, data);
    runs.limitedToOne = run(builds[builds.length - 1], data, { threads: 1 });
    models.push({ file, runs });
  }
  const quantized = await builds[0].quantizeModel(await bytes('/repo-models/tutorial_float.tflite'),
    { mode: 'int8', representative: [new Float32Array(28 * 28).fill(0.5)] });
  return {
    single: { threads: single.threads, note: single.threadsNote,
      ranges: single.memoryStats().workerRanges },
    builds: builds.map((q) => ({ threads: q.threads, note: q.threadsNote,
      ranges: q.memoryStats().workerRanges, wasmBuild: q.wasmBuild })),
    quantizedBytes: quantized.length,
    isolated: globalThis.crossOriginIsolated === true,
    models,
  };
}
`;
const PAGE = `<!doctype html><meta charset="utf-8"><title>qlite threads</title>
<script type="module">
window.workerResult = (files) => new Promise((resolve) => {
  const worker = new Worker('/worker.js', { type: 'module' });
  worker.onmessage = (event) => resolve(event.data);
  worker.onerror = (event) => resolve({ failed: 'worker error: ' + event.message });
  worker.postMessage(files);
});
</script>`;
const WORKER = `import { runThreads } from '/runner.js';
self.onmessage = (e) => runThreads(e.data, [2]).then((r) => self.postMessage(r),
  (err) => self.postMessage({ failed: String(err && err.stack || err) }));`;

const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp',
};

let synthDir;
let isolated;
let plain;
let browser;

before(async () => {
  if (skip) return;
  synthDir = mkdtempSync(join(tmpdir(), 'qlite-threads-'));
  for (const [file, args] of SYNTH) {
    execFileSync(qliteCli, ['synth', ...args, '-o', join(synthDir, file)], { stdio: 'ignore' });
  }
  const site = {
    pages: { '/': [PAGE, '.html'], '/runner.js': [RUNNER, '.js'], '/worker.js': [WORKER, '.js'] },
    roots: { '/pkg/': webDir, '/synth/': synthDir, '/repo-models/': join(repoDir, 'models') },
  };
  isolated = await startServer({ ...site, headers: ISOLATION });
  plain = await startServer(site);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await isolated?.close();
  await plain?.close();
  if (synthDir) rmSync(synthDir, { recursive: true, force: true });
});

const files = SYNTH.map(([file]) => file);

function checkSameBytes(result, counts, where) {
  assert.ok(!result.failed, `${where}: ${result.failed}`);
  assert.equal(result.models.length, files.length);
  for (const { file, runs } of result.models) {
    for (const n of counts) assert.equal(runs['threads' + n], runs.single, `${where} ${file}: ${n} threads`);
    assert.equal(runs.limitedToOne, runs.single, `${where} ${file}: a model limited to one thread`);
  }
  assert.ok(result.quantizedBytes > 0, `${where}: quantizeModel links the patched side module`);
}

test('a cross-origin isolated page runs 2, 3 and 4 threads with the bytes of one',
  { skip, timeout: 300_000 }, async (t) => {
    const page = await browser.newPage();
    const logs = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    await page.goto(`${isolated.origin}/`);
    const result = await page.evaluate(async (list) => {
      const { runThreads } = await import('/runner.js');
      return runThreads(list, [2, 3, 4]).catch((e) => ({ failed: String(e && e.stack || e) }));
    }, files);
    if (logs.length) t.diagnostic(`browser console: ${logs.join(' | ')}`);
    assert.ok(!result.failed, result.failed);
    assert.equal(result.isolated, true);
    assert.deepEqual(result.single, { threads: 1, note: null, ranges: 0 });
    result.builds.forEach((b, i) => {
      assert.equal(b.threads, i + 2, `threads: ${b.note}`);
      assert.equal(b.note, null);
      assert.equal(b.wasmBuild, 'relaxed');
      assert.ok(b.ranges > 0, `${b.threads} threads: the workers ran no range`);
    });
    checkSameBytes(result, [2, 3, 4], 'page');
    const worker = await page.evaluate((list) => window.workerResult(list), files);
    assert.ok(!worker.failed, worker.failed);
    assert.equal(worker.builds[0].threads, 2, `worker: ${worker.builds[0].note}`);
    assert.ok(worker.builds[0].ranges > 0, 'worker: its workers ran no range');
    checkSameBytes(worker, [2], 'worker');
    await page.close();
  });

test('a page without COOP/COEP runs one thread and says why', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${plain.origin}/`);
  const result = await page.evaluate(async (list) => {
    const { runThreads } = await import('/runner.js');
    return runThreads(list, [4]).catch((e) => ({ failed: String(e && e.stack || e) }));
  }, files.slice(0, 1));
  await page.close();
  assert.ok(!result.failed, result.failed);
  assert.equal(result.isolated, false);
  assert.equal(result.builds[0].threads, 1);
  assert.match(result.builds[0].note, /SharedArrayBuffer is unavailable.*Cross-Origin-Opener-Policy/);
  assert.equal(result.builds[0].ranges, 0);
  assert.equal(result.models[0].runs.threads1, result.models[0].runs.single);
});

// In a child Node, so that it must exit by itself (an idle pool keeps no
// process alive): every synth model through the single-threaded module and
// through threaded ones at 2 and 3 threads (worker_threads, node-threads.js).
// The child has a V8 flag, which Node refuses in a worker's execArgv.
const NODE_RUNNER = `
import { loadQlite } from ${JSON.stringify(join(webDir, 'src', 'index.js'))};
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const [dir, files] = [process.argv[1], JSON.parse(process.argv[2])];
const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array };
function run(qlite, data, options) {
  const model = qlite.loadModel(data, options);
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
  const inputs = model.inputs.map((info) => {
    const x = new TYPED[info.dtype](info.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < x.length; ++i) {
      x[i] = info.dtype === 'float32' ? (next() % 2001 - 1000) / 1000 : next();
    }
    return x;
  });
  const out = model.run(inputs).map((y) => Buffer.from(y.buffer, y.byteOffset, y.byteLength)
    .toString('hex')).join('|');
  model.dispose();
  return out;
}
const single = await loadQlite();
const builds = [await loadQlite({ threads: 2 }), await loadQlite({ threads: 3 })];
const differences = [];
for (const file of files) {
  const data = readFileSync(join(dir, file));
  const want = run(single, data);
  for (const q of builds) {
    if (run(q, data) !== want) differences.push(file + ' at ' + q.threads + ' threads');
  }
}
console.log(JSON.stringify({ builds: builds.map((q) => ({ threads: q.threads, note: q.threadsNote,
  ranges: q.memoryStats().workerRanges })), differences }));
`;

test('Node runs the threaded module on worker_threads, same bytes; bad input is an Error',
  async (t) => {
    for (const bad of [0, 1.5, 65, '2']) {
      await assert.rejects(loadQlite({ threads: bad }), /threads must be an integer from 1 to 64/);
    }
    // A worker that cannot load rejects the load, never hangs it.
    await assert.rejects(loadQlite({ threads: 2, threadsWorkerUrl: 'file:///missing/worker.js' }),
      /a worker of the threaded module failed: .*missing/);
    const qlite = await loadQlite();
    assert.equal(qlite.threadsNote, null);
    assert.throws(() => qlite.loadModel(new Uint8Array(8), { threads: 0 }),
      /threads must be a positive integer/);
    if (!existsSync(qliteCli)) {
      t.skip(`${qliteCli} is missing (cmake --build build/native): it writes the models`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'qlite-node-threads-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    for (const [file, args] of SYNTH) {
      execFileSync(qliteCli, ['synth', ...args, '-o', join(dir, file)], { stdio: 'ignore' });
    }
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e',
      NODE_RUNNER, dir,
      JSON.stringify(SYNTH.map(([file]) => file))], { encoding: 'utf8', timeout: 120_000 });
    const result = JSON.parse(out.trim().split('\n').pop());
    assert.deepEqual(result.builds.map((b) => [b.threads, b.note]), [[2, null], [3, null]]);
    for (const b of result.builds) assert.ok(b.ranges > 0, `workers ran no ranges: ${out}`);
    assert.deepEqual(result.differences, []);
  });
