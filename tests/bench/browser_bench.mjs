// Browser benchmark: qlite (reference and SIMD kernels) against LiteRT.js
// (npm @litertjs/core, wasm CPU, one thread) in headless Chromium, on the same
// model files and the same seeded random inputs. Prints whole-model µs
// (median of batch means) with ratios, and qlite's per-op µs.
//
//   node tests/bench/browser_bench.mjs [MODEL.tflite ...] [--wasm-dir build/wasm]
//        [--runs 7] [--batch-ms 1] [--seconds 2] [--nodes] [--json OUT.json] [--no-litert]
//        [--no-compat] [--baseline CHECKOUT]
//
// Defaults: models/tutorial_int8_uint8io.tflite, models/tutorial_float.tflite and
// the synthetic MobileNets in build/bench/ (made by `qlite synth`, see
// scripts/bench.sh). --wasm-dir is the CMake build holding web/qlite.{js,wasm}.
// If <wasm-dir>/bench/gemm_bench.wasm exists (tests/bench/gemm_bench.sh), the
// int8 GEMM micro-benchmark runs in the same page too. --baseline CHECKOUT
// (another checkout of qlite with its own build/wasm) adds that build's SIMD
// kernels to every round, interleaved with this build's: an A/B comparison
// that the machine's drift cannot skew, printed as "A/B" lines.
//
// Timing: the page is served cross-origin isolated (COOP/COEP headers added
// by a Playwright route) so performance.now() ticks in 5 µs, not 100 µs;
// LiteRT.js still loads its single-threaded wasm (printed), compiled with
// numThreads 1. Whole-model times are means over batches of runs lasting
// >= --batch-ms; rounds of one batch per runtime (qlite simd, qlite reference,
// LiteRT.js, interleaved so that all see the same machine speed) repeat
// (>= --runs, for >= --seconds per runtime and model) and each runtime's
// median (and best) batch is reported. The timed qlite models do not profile;
// per-op µs are per-node medians of profile() of twins loaded with
// { profile: true }, over as many runs.
//
// qlite's SIMD kernels run in both arithmetics (loadModel's arithmetic option):
// 'tflite' (the "qlite simd" column) and 'xnnpack' ("qlite xnn"), whose
// outputs are checked byte for byte against LiteRT.js's ("== LiteRT.js").
//
// LiteRT.js runs twice: its default wasm, which uses relaxed SIMD in this
// Chromium, and (in a second page, unless --no-compat) its SIMD128-only
// "compat" build, the instruction set Emscripten 3.1.6 gives qlite.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseArgs(argv) {
  const o = { models: [], wasmDir: join(repoDir, 'build', 'wasm'), runs: 7, batchMs: 1, seconds: 2,
    nodes: false, json: '', litert: true, compat: true };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--wasm-dir') o.wasmDir = resolve(value());
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--batch-ms') o.batchMs = Number(value());
    else if (a === '--seconds') o.seconds = Number(value());
    else if (a === '--nodes') o.nodes = true;
    else if (a === '--json') o.json = value();
    else if (a === '--no-litert') o.litert = false;
    else if (a === '--no-compat') o.compat = false;
    else if (a === '--baseline') o.baseline = resolve(value());
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.models.push(resolve(a));
  }
  if (!(o.runs >= 1) || !(o.batchMs > 0) || !(o.seconds >= 0)) {
    throw new Error('--runs and --batch-ms must be positive, --seconds not negative');
  }
  if (!o.models.length) {
    o.models = [
      join(repoDir, 'models', 'tutorial_int8_uint8io.tflite'),
      join(repoDir, 'models', 'tutorial_float.tflite'),
      join(repoDir, 'build', 'bench', 'mobilenet_v1_0.25_96_gray_int8.tflite'),
      join(repoDir, 'build', 'bench', 'mobilenet_v2_1.0_224_int8.tflite'),
    ];
  }
  return o;
}

// Runs in the page. benchModel(url, options): one model through qlite's two
// kernel sets and LiteRT.js on the same inputs.
const PAGE_SCRIPT = `
import { loadQlite } from '/pkg/src/index.js';
import { initLiteRt, loadLiteRtModel } from '/litert-runner.js';
const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array };
let qlitePromise = null;

// Seeded inputs (xorshift32): floats uniform in [-1, 1], integers over their range.
function randomInputs(infos, seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  return infos.map((info) => {
    const Ctor = TYPED[info.dtype];
    const n = info.shape.reduce((a, b) => a * b, 1);
    const a = new Ctor(n);
    for (let i = 0; i < n; ++i) {
      if (info.dtype === 'float32') a[i] = next() * 2 - 1;
      else if (info.dtype === 'int8') a[i] = Math.floor(next() * 256) - 128;
      else if (info.dtype === 'uint8') a[i] = Math.floor(next() * 256);
      else if (info.dtype === 'int16') a[i] = Math.floor(next() * 65536) - 32768;
      else a[i] = Math.floor(next() * 256);
    }
    return a;
  });
}

// Median of batch means, the runtimes interleaved: a batch is as many calls
// of one function as last >= batchMs (the timer is coarse); rounds of one
// batch per function repeat until 'runs' rounds and 'seconds' per function
// have passed (at most 1000). Interleaving lets every runtime see the same
// machine (a shared machine's speed drifts by 2x over seconds), and medians
// keep preemption out of the numbers as far as they can.
async function timeInterleaved(fns, { runs, batchMs, seconds }) {
  const plans = [];
  for (const fn of fns) {
    await fn(); // warm-up (first-run costs: lazy packing, page faults)
    const t = performance.now();
    let calls = 0;
    while (performance.now() - t < batchMs || calls < 2) { await fn(); ++calls; }
    const single = (performance.now() - t) / calls;
    plans.push({ fn, perBatch: Math.max(1, Math.ceil(batchMs / Math.max(single, 0.001))), means: [] });
  }
  const start = performance.now();
  const rounds = () => plans[0].means.length;
  while (rounds() < 1000 && (rounds() < runs || performance.now() - start < seconds * 1000 * fns.length)) {
    for (const p of plans) {
      const t = performance.now();
      for (let k = 0; k < p.perBatch; ++k) await p.fn();
      p.means.push((performance.now() - t) * 1000 / p.perBatch);
    }
  }
  return plans.map(({ means, perBatch }) => {
    means.sort((a, b) => a - b);
    return { us: means[means.length >> 1], min: means[0], batches: means.length, perBatch };
  });
}

// Per-node µs: medians of model.profile() over as many runs as timeCalls made.
function profileNodes(model, inputs, count) {
  count = Math.max(5, Math.min(1000, count));
  const samples = [];
  let nodes = null;
  for (let r = 0; r < count; ++r) {
    model.run(inputs);
    const p = model.profile();
    if (!nodes) { nodes = p.map(({ node, op, kernel }) => ({ node, op, kernel })); p.forEach(() => samples.push([])); }
    p.forEach((e, i) => samples[i].push(e.us));
  }
  return nodes.map((n, i) => {
    const sorted = samples[i].sort((a, b) => a - b);
    return { ...n, us: sorted[sorted.length >> 1] };
  });
}

const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

let baselinePromise = null;

window.benchModel = async (url, { litert: withLitert, litertOnly, baseline, ...timing }) => {
  qlitePromise ??= loadQlite();
  const qlite = await qlitePromise;
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const result = { url, bytes: bytes.length, relaxedDot: qlite.relaxedDot };
  // Timed models do not profile (reading the clock around each op costs ~1 µs
  // here); per-op times come from twins loaded with { profile: true }.
  const ref = qlite.loadModel(bytes, { kernels: 'reference' });
  const simd = qlite.loadModel(bytes, { kernels: 'simd' });
  const xnn = qlite.loadModel(bytes, { kernels: 'simd', arithmetic: 'xnnpack' });
  const inputs = randomInputs(ref.inputs, 12345);
  result.io = [ref.inputs.map((i) => i.dtype + '[' + i.shape + ']').join(','), ref.outputs.map((o) => o.dtype).join(',')];
  const refOut = ref.run(inputs);
  const simdOut = simd.run(inputs);
  result.simdEqualsRef = refOut.every((o, i) => same(o, simdOut[i]));
  const xnnOut = xnn.run(inputs);
  const timed = litertOnly ? [] : [['simd', () => simd.run(inputs)], ['reference', () => ref.run(inputs)],
    ['xnnpack', () => xnn.run(inputs)]];
  let model = null;
  let baselineSimd = null;
  try {
    if (baseline) {
      // Another build of qlite (--baseline), interleaved with this one: an A/B run.
      baselinePromise ??= import('/pkg-base/src/index.js').then((m) => m.loadQlite());
      baselineSimd = (await baselinePromise).loadModel(bytes, { kernels: 'simd' });
      const out = baselineSimd.run(inputs);
      result.baselineEqualsSimd = out.every((o, i) => same(o, simdOut[i]));
      timed.push(['baseline', () => baselineSimd.run(inputs)]);
    }
    if (withLitert) {
      try {
        await initLiteRt();
        model = await loadLiteRtModel(bytes, { numThreads: 1 });
        const [out] = await model.run(inputs);
        let maxDiff = 0;
        for (let i = 0; i < out.length; ++i) maxDiff = Math.max(maxDiff, Math.abs(out[i] - simdOut[0][i]));
        result.litertMaxAbsDiff = maxDiff;
        result.xnnpackEqualsLitert = same(out, xnnOut[0]);
        timed.push(['litert', () => model.run(inputs)]);
      } catch (e) {
        result.litertError = String(e?.message ?? e);
      }
    }
    const times = await timeInterleaved(timed.map(([, fn]) => fn), timing);
    timed.forEach(([name], i) => { result[name] = times[i]; });
  } finally {
    model?.delete();
    baselineSimd?.dispose();
    ref.dispose();
    simd.dispose();
    xnn.dispose();
  }
  if (!litertOnly) {
    for (const [key, kernels, runs] of [['simdNodes', 'simd', result.simd], ['referenceNodes', 'reference', result.reference]]) {
      const profiled = qlite.loadModel(bytes, { kernels, profile: true });
      result[key] = profileNodes(profiled, inputs, runs.batches * runs.perBatch);
      profiled.dispose();
    }
  }
  return result;
};

// The int8 GEMM micro-benchmark (tests/bench/gemm_bench.mjs) in this page.
window.gemmBench = async () => {
  const { runGemmBench } = await import('/gemm/gemm_bench.mjs');
  const load = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
  const plain = await runGemmBench(await load('/gemm/gemm_bench.wasm'));
  const relaxedBytes = await load('/gemm/gemm_bench.relaxed.wasm');
  if (!WebAssembly.validate(relaxedBytes)) return plain;
  const relaxed = await runGemmBench(relaxedBytes, { relaxed: true });
  const lines = [...plain.lines, '', 'gemm_bench.relaxed.wasm:', ...relaxed.lines];
  return { ...plain, relaxed, lines };
};
window.ready = true;
window.isolated = self.crossOriginIsolated;
`;

// Page init script of the second page: LiteRT.js picks its wasm by probing
// relaxed SIMD with WebAssembly.instantiate(tiny module); failing modules that
// hold a relaxed-SIMD opcode (0xfd, LEB128 0x100..0x113) makes it load its
// "compat" build, which uses SIMD128 only, like qlite.wasm.
const NO_RELAXED_SIMD = `{
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = function (source, ...rest) {
    if (source && ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
      const b = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
        : new Uint8Array(source);
      for (let i = 0; b.length < 512 && i + 2 < b.length; ++i) {
        if (b[i] === 0xfd && b[i + 1] >= 0x80 && b[i + 1] <= 0x93 && b[i + 2] === 0x02) {
          return Promise.reject(new WebAssembly.CompileError('relaxed SIMD hidden by browser_bench'));
        }
      }
    }
    return instantiate.call(this, source, ...rest);
  };
}`;

const fmt = (us) => (us === undefined ? '-' : us >= 100 ? us.toFixed(0) : us.toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined || !(b > 0) ? '-' : `${(a / b).toFixed(2)}x`);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function printModel(r, showNodes) {
  console.log(`\n${r.name}: ${r.bytes} bytes, input ${r.io[0]} -> ${r.io[1]}; ` +
    `simd output == reference output: ${r.simdEqualsRef ? 'yes' : 'NO'}` +
    (r.litertMaxAbsDiff !== undefined ? `; max |qlite - LiteRT.js| = ${r.litertMaxAbsDiff}` : ''));
  // Per op type: sums of per-node means.
  const byOp = new Map();
  r.simdNodes.forEach((n, i) => {
    const e = byOp.get(n.op) ?? { nodes: 0, ref: 0, simd: 0, kernels: new Set() };
    e.nodes += 1;
    e.simd += n.us;
    e.ref += r.referenceNodes[i].us;
    e.kernels.add(n.kernel);
    byOp.set(n.op, e);
  });
  console.log(`  ${pad('op', 18)} ${lpad('nodes', 5)} ${lpad('ref us', 10)} ${lpad('simd us', 10)} ` +
    `${lpad('simd/ref', 8)}  simd kernels`);
  for (const [op, e] of byOp) {
    console.log(`  ${pad(op, 18)} ${lpad(e.nodes, 5)} ${lpad(fmt(e.ref), 10)} ${lpad(fmt(e.simd), 10)} ` +
      `${lpad(ratio(e.simd, e.ref), 8)}  ${[...e.kernels].join(', ')}`);
  }
  if (showNodes) {
    console.log(`  ${lpad('node', 4)} ${pad('op', 18)} ${pad('simd kernel', 30)} ${lpad('ref us', 10)} ` +
      `${lpad('simd us', 10)} ${lpad('simd/ref', 8)}`);
    r.simdNodes.forEach((n, i) => {
      const ref = r.referenceNodes[i].us;
      console.log(`  ${lpad(n.node, 4)} ${pad(n.op, 18)} ${pad(n.kernel, 30)} ${lpad(fmt(ref), 10)} ` +
        `${lpad(fmt(n.us), 10)} ${lpad(ratio(n.us, ref), 8)}`);
    });
  }
}

function printSummary(results) {
  console.log('\nwhole model, µs per inference: median (best) of batch means; Chromium, one thread;');
  console.log('ratios of the medians (simd/LiteRT < 1: qlite faster; ref/simd: SIMD speed-up)');
  const w = Math.max(...results.map((r) => r.name.length), 5);
  const cell = (t) => (t ? `${fmt(t.us)} (${fmt(t.min)})` : 'n/a');
  console.log(`${pad('model', w)} ${lpad('LiteRT.js', 16)} ${lpad('LiteRT compat', 16)} ${lpad('qlite simd', 16)} ` +
    `${lpad('qlite ref', 16)} ${lpad('simd/LiteRT', 11)} ${lpad('simd/compat', 11)} ${lpad('ref/simd', 8)} ` +
    `${lpad('qlite xnn', 16)} ${lpad('xnn/LiteRT', 10)} ${lpad('xnn/simd', 8)}  == LiteRT.js`);
  for (const r of results) {
    console.log(`${pad(r.name, w)} ${lpad(cell(r.litert), 16)} ${lpad(cell(r.litertCompat), 16)} ` +
      `${lpad(cell(r.simd), 16)} ${lpad(cell(r.reference), 16)} ${lpad(ratio(r.simd.us, r.litert?.us), 11)} ` +
      `${lpad(ratio(r.simd.us, r.litertCompat?.us), 11)} ${lpad(ratio(r.reference.us, r.simd.us), 8)} ` +
      `${lpad(cell(r.xnnpack), 16)} ${lpad(ratio(r.xnnpack?.us, r.litert?.us), 10)} ` +
      `${lpad(ratio(r.xnnpack?.us, r.simd.us), 8)}  ${r.xnnpackEqualsLitert === undefined ? 'n/a'
        : r.xnnpackEqualsLitert ? 'yes' : 'NO'}`);
    if (r.baseline) {
      console.log(`  A/B: qlite simd ${cell(r.simd)} vs baseline simd ${cell(r.baseline)}: ` +
        `${ratio(r.simd.us, r.baseline.us)} (outputs equal: ${r.baselineEqualsSimd ? 'yes' : 'NO'})`);
    }
    if (r.litertError) console.log(`  LiteRT.js could not run it: ${r.litertError}`);
    if (r.litertCompatError) console.log(`  LiteRT.js compat could not run it: ${r.litertCompatError}`);
  }
  console.log('LiteRT.js: its default wasm (relaxed SIMD: i32x4.relaxed_dot_i8x16_i7x16_add, 16 int8 MACs per ' +
    'instruction); LiteRT compat: its SIMD128-only build, the instruction set of qlite.wasm');
  console.log(`qlite's relaxed dot product in this browser: ${results[0]?.relaxedDot} ` +
    '(unsigned/signed: qlite.relaxed.wasm, int8 GEMM on it; unavailable: dot_i16x8)');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0]);
    return 0;
  }
  const webBuild = join(o.wasmDir, 'web');
  for (const f of ['qlite.js', 'qlite.wasm', 'qlite.relaxed.wasm']) {
    if (!existsSync(join(webBuild, f))) {
      throw new Error(`${join(webBuild, f)} is missing: build it (bash scripts/build.sh wasm) or pass --wasm-dir`);
    }
  }
  const missing = o.models.filter((m) => !existsSync(m));
  if (missing.length) {
    throw new Error(`missing model(s): ${missing.join(', ')}\n` +
      '(the synthetic MobileNets are made by scripts/bench.sh, or: qlite synth mobilenet_v1 ' +
      '-o build/bench/mobilenet_v1_0.25_96_gray_int8.tflite; qlite synth mobilenet_v2 ' +
      '-o build/bench/mobilenet_v2_1.0_224_int8.tflite)');
  }
  const harness = await import('../../web/test/litert-harness.mjs');
  const reason = harness.missingReason();
  if (reason) throw new Error(reason);

  // The package's dist/ comes from --wasm-dir (exact-path pages win over roots).
  const pages = {
    '/': [harness.pageHtml(PAGE_SCRIPT), '.html'],
    '/pkg/dist/qlite.js': () => [readFileSync(join(webBuild, 'qlite.js')), '.js'],
    '/pkg/dist/qlite.wasm': () => [readFileSync(join(webBuild, 'qlite.wasm')), '.wasm'],
    '/pkg/dist/qlite.relaxed.wasm': () =>
      [readFileSync(join(webBuild, 'qlite.relaxed.wasm')), '.wasm'],
    '/gemm/gemm_bench.mjs': () => [readFileSync(join(repoDir, 'tests', 'bench', 'gemm_bench.mjs')), '.js'],
  };
  o.models.forEach((m, i) => { pages[`/model/${i}.tflite`] = () => [readFileSync(m), '.tflite']; });
  const roots = {};
  if (o.baseline) {
    // The baseline checkout's package, with its own wasm build.
    const baseBuild = join(o.baseline, 'build', 'wasm', 'web');
    roots['/pkg-base/'] = join(o.baseline, 'web');
    for (const f of ['qlite.js', 'qlite.wasm', 'qlite.relaxed.wasm']) {
      if (!existsSync(join(baseBuild, f))) throw new Error(`--baseline: ${join(baseBuild, f)} is missing`);
      pages[`/pkg-base/dist/${f}`] = () => [readFileSync(join(baseBuild, f)), extname(f)];
    }
  }
  const gemmWasm = join(o.wasmDir, 'bench', 'gemm_bench.wasm');
  if (existsSync(gemmWasm)) pages['/gemm/gemm_bench.wasm'] = () => [readFileSync(gemmWasm), '.wasm'];
  const gemmRelaxed = join(o.wasmDir, 'bench', 'gemm_bench.relaxed.wasm');
  pages['/gemm/gemm_bench.relaxed.wasm'] =
    () => [existsSync(gemmRelaxed) ? readFileSync(gemmRelaxed) : '', '.wasm'];
  // gemm_bench.wasm is built by tests/bench/gemm_bench.sh only, not with qlite.wasm.
  const gemmSources = ['kernels_wasm/gemm_int8.cc', 'kernels_wasm/gemm_int8.h',
    'kernels_wasm/relaxed_dot.cc', 'kernels_wasm/relaxed_dot.h',
    'kernels_wasm/requantize.cc', 'kernels_wasm/requantize.h', 'tests/bench/gemm_bench.cc'];
  const staleGemm = existsSync(gemmWasm) && gemmSources.some((f) => existsSync(join(repoDir, f)) &&
    statSync(join(repoDir, f)).mtimeMs > statSync(gemmWasm).mtimeMs);

  const server = await harness.startServer({ pages, roots });
  const browser = await harness.launchChromium();
  const errors = [];
  // One page (a fresh wasm instance of each runtime), cross-origin isolated
  // for fine-grained performance.now() (see the top).
  const openPage = async (initScript) => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.wasmFiles = new Set();
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) page.wasmFiles.add(new URL(r.url()).pathname); });
    if (initScript) await page.addInitScript(initScript);
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(),
        'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } });
    });
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => window.ready === true);
    return page;
  };
  const timing = { runs: o.runs, batchMs: o.batchMs, seconds: o.seconds };
  try {
    const page = await openPage();
    const isolated = await page.evaluate(() => window.isolated);
    console.log(`Chromium ${browser.version()}, qlite wasm from ${webBuild}; cross-origin isolated: ${isolated}; ` +
      `per runtime: >= ${o.runs} batches of >= ${o.batchMs} ms, for >= ${o.seconds} s`);
    const results = [];
    for (let i = 0; i < o.models.length; ++i) {
      const r = await page.evaluate(([url, opts]) => window.benchModel(url, opts),
        [`/model/${i}.tflite`, { ...timing, litert: o.litert, baseline: Boolean(o.baseline) }]);
      r.name = basename(o.models[i], '.tflite');
      results.push(r);
      printModel(r, o.nodes);
    }
    console.log(`\nwasm files the page loaded: ${[...page.wasmFiles].sort().join(', ')}`);
    if (o.litert && o.compat) {
      // LiteRT.js without relaxed SIMD, in a second page: the same instruction set as qlite.wasm.
      const compatPage = await openPage(NO_RELAXED_SIMD);
      for (let i = 0; i < o.models.length; ++i) {
        const r = await compatPage.evaluate(([url, opts]) => window.benchModel(url, opts),
          [`/model/${i}.tflite`, { ...timing, litert: true, litertOnly: true }]);
        results[i].litertCompat = r.litert;
        results[i].litertCompatError = r.litertError;
      }
      console.log(`wasm files the compat page loaded: ${[...compatPage.wasmFiles].sort().join(', ')}`);
      await compatPage.close();
    }
    printSummary(results);
    let gemm = null;
    if (pages['/gemm/gemm_bench.wasm']) {
      gemm = await page.evaluate(() => window.gemmBench());
      console.log('\nint8 GEMM micro-benchmark in Chromium:');
      if (staleGemm) {
        console.log(`  STALE: ${gemmWasm} is older than the GEMM sources; ` +
                    'rebuild it with tests/bench/gemm_bench.sh');
      }
      for (const line of gemm.lines) console.log(`  ${line}`);
    }
    if (o.json) writeFileSync(o.json, JSON.stringify({ results, gemm }, null, 1));
  } finally {
    await browser.close();
    await server.close();
  }
  if (errors.length) console.log(`page errors: ${errors.join('\n')}`);
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`browser_bench: ${e.message}`);
  process.exit(1);
});
