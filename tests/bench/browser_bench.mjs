// Browser benchmark: qlite (SIMD kernels in both arithmetics, and the
// reference kernels) against LiteRT.js (npm @litertjs/core, wasm CPU) in
// headless Chromium, on the same model files and the same inputs, with the
// runtimes interleaved round by round. Reports per model the per-round ratio
// qlite/LiteRT.js (median and spread over the rounds), against LiteRT.js at one
// thread (its single-threaded wasm) and at two (its threaded wasm, numThreads
// 2, against qlite-threads.wasm at 2 threads, with qlite's own 1-thread/2-thread
// speed-up), and the count of denormal float32 values its layers produce on
// those inputs.
//
//   node tests/bench/browser_bench.mjs [MODEL.tflite ...] [--wasm-dir build/wasm]
//        [--native-dir build/native] [--inputs image|random] [--float-range LO,HI]
//        [--runs 21] [--batch-ms 1] [--seconds 2] [--nodes] [--no-profile]
//        [--json OUT.json] [--no-litert] [--no-threads] [--compat] [--baseline CHECKOUT]
//
// Models: by default the tutorial models in models/ and the synth models of
// tests/bench/bench_models.mjs in build/bench/ (made by scripts/bench.sh, or
// `node tests/bench/bench_models.mjs build/native/qlite`). --wasm-dir is the
// CMake build holding web/qlite.{js,wasm}.
//
// Inputs (tests/bench/bench_inputs.mjs): 'image' (default) is smooth gradients
// plus noise in the input's range (int8/uint8: the range its scale and zero
// point represent, quantized with them; float: --float-range, by default
// [0, 1] for the tutorial models, [-1, 1] for the others); 'random' is uniform.
//
// Denormals: the JS API does not expose intermediate tensors, so
// <native-dir>/qlite run --denormals counts them per layer on the same inputs
// (tests/bench/bench_denormals.mjs); skipped when that binary is missing.
//
// Timing: the pages are served cross-origin isolated (COOP/COEP headers) so
// performance.now() ticks in 5 µs, not 100 µs, and SharedArrayBuffer (LiteRT.js's
// threads) exists. A batch is as many runs of one runtime as last >= --batch-ms;
// rounds of one batch per runtime repeat (>= --runs, for >= --seconds per
// runtime and model). Page 1 interleaves qlite simd, reference and xnnpack with
// LiteRT.js's single-threaded wasm (numThreads 1); page 2 (unless --no-threads)
// interleaves qlite simd and xnnpack with LiteRT.js's threaded wasm at numThreads
// 2. Ratios are taken within a round, then summarized (tests/bench/bench_report.mjs).
// Per-op µs are per-node medians of profile() of twins loaded with
// { profile: true }, over --runs runs (--no-profile skips them); on the
// threaded page, the threaded module's per-op µs at 1 and 2 threads.
//
// The 'xnnpack' arithmetic's outputs are checked byte for byte against
// LiteRT.js's. --compat adds LiteRT.js's SIMD128-only "compat" build (third
// page), the instruction set Emscripten 3.1.6 gives qlite.wasm. If
// <wasm-dir>/bench/gemm_bench.wasm exists (tests/bench/gemm_bench.sh), the int8
// GEMM micro-benchmark runs in page 1 too. --baseline CHECKOUT (another
// checkout of qlite with its own build/wasm) adds that build's SIMD kernels to
// page 1's rounds: an A/B comparison, printed as "A/B" lines.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countDenormals } from './bench_denormals.mjs';
import { INPUT_KINDS } from './bench_inputs.mjs';
import { defaultModels, floatRange, repoDir } from './bench_models.mjs';
import { computeRatios, printModel, printSummary, printThreadedOps } from './bench_report.mjs';

function parseArgs(argv) {
  const o = { models: [], wasmDir: join(repoDir, 'build', 'wasm'), nativeDir: join(repoDir, 'build', 'native'),
    runs: 21, batchMs: 1, seconds: 2, nodes: false, profile: true, json: '', litert: true, threads: true,
    compat: false, inputs: 'image' };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--wasm-dir') o.wasmDir = resolve(value());
    else if (a === '--native-dir') o.nativeDir = resolve(value());
    else if (a === '--inputs') o.inputs = value();
    else if (a === '--float-range') o.floatRange = value().split(',').map(Number);
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--batch-ms') o.batchMs = Number(value());
    else if (a === '--seconds') o.seconds = Number(value());
    else if (a === '--nodes') o.nodes = true;
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--json') o.json = value();
    else if (a === '--no-litert') o.litert = false;
    else if (a === '--no-threads') o.threads = false;
    else if (a === '--compat') o.compat = true;
    else if (a === '--no-compat') o.compat = false;
    else if (a === '--baseline') o.baseline = resolve(value());
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.models.push(resolve(a));
  }
  if (!(o.runs >= 1) || !(o.batchMs > 0) || !(o.seconds >= 0)) {
    throw new Error('--runs and --batch-ms must be positive, --seconds not negative');
  }
  if (!INPUT_KINDS.includes(o.inputs)) throw new Error(`--inputs must be one of ${INPUT_KINDS.join(', ')}`);
  if (o.floatRange && !(o.floatRange.length === 2 && o.floatRange[0] < o.floatRange[1])) {
    throw new Error('--float-range must be LO,HI with LO < HI');
  }
  if (!o.models.length) o.models = defaultModels();
  return o;
}

// Init script of the compat page (--compat): LiteRT.js picks its wasm by probing
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
    throw new Error(`missing model(s): ${missing.join(', ')}\n(the synth models are made by ` +
      'scripts/bench.sh, or: node tests/bench/bench_models.mjs build/native/qlite)');
  }
  const qliteNative = join(o.nativeDir, 'qlite');
  const harness = await import('../../web/test/litert-harness.mjs');
  const reason = harness.missingReason();
  if (reason) throw new Error(reason);

  // The package's dist/ comes from --wasm-dir (exact-path pages win over roots).
  const pages = {
    '/': [harness.pageHtml("import '/bench/bench_page.mjs';"), '.html'],
    '/pkg/dist/qlite.js': () => [readFileSync(join(webBuild, 'qlite.js')), '.js'],
    '/pkg/dist/qlite.wasm': () => [readFileSync(join(webBuild, 'qlite.wasm')), '.wasm'],
    '/pkg/dist/qlite.relaxed.wasm': () =>
      [readFileSync(join(webBuild, 'qlite.relaxed.wasm')), '.wasm'],
    '/gemm/gemm_bench.mjs': () => [readFileSync(join(repoDir, 'tests', 'bench', 'gemm_bench.mjs')), '.js'],
  };
  o.models.forEach((m, i) => { pages[`/model/${i}.tflite`] = () => [readFileSync(m), '.tflite']; });
  const roots = { '/bench/': join(repoDir, 'tests', 'bench') };
  if (o.baseline) {
    // The baseline checkout's package, with its own wasm build.
    const baseBuild = join(o.baseline, 'build', 'wasm', 'web');
    roots['/pkg-base/'] = join(o.baseline, 'web');
    for (const f of ['qlite.js', 'qlite.wasm', 'qlite.relaxed.wasm', 'qlite-ops.wasm']) {
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

  // Cross-origin isolated by the server's own headers, so that LiteRT.js's
  // pthread workers are too (see the top).
  const server = await harness.startServer({ pages, roots, isolated: true });
  const browser = await harness.launchChromium();
  const errors = [];
  const openPage = async (initScript) => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.wasmFiles = new Set();
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) page.wasmFiles.add(new URL(r.url()).pathname); });
    if (initScript) await page.addInitScript(initScript);
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => window.ready === true);
    return page;
  };
  const timing = { runs: o.runs, batchMs: o.batchMs, seconds: o.seconds };
  const names = o.models.map((m) => basename(m, '.tflite'));
  const optionsOf = (i) => ({ ...timing, inputKind: o.inputs, floatRange: o.floatRange ?? floatRange(o.models[i]) });
  const bench = (page, i, options) => page.evaluate(([url, opts]) => window.benchModel(url, opts),
    [`/model/${i}.tflite`, { ...optionsOf(i), ...options }]);
  const load = (cmd) => `${cmd}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
  try {
    console.log(load(`start ${new Date().toISOString()}`));
    const page = await openPage();
    const isolated = await page.evaluate(() => window.isolated);
    console.log(`Chromium ${browser.version()}, qlite wasm from ${webBuild}; cross-origin isolated: ${isolated}; ` +
      `per runtime: >= ${o.runs} rounds of batches of >= ${o.batchMs} ms, for >= ${o.seconds} s; ` +
      `${o.inputs} inputs; qlite: 1 thread on page 1, 2 threads (qlite-threads.wasm) on the threaded page`);
    const results = [];
    for (let i = 0; i < o.models.length; ++i) {
      const r = await bench(page, i, { qlite: ['simd', 'reference', 'xnnpack'],
        litert: o.litert ? { threads: 1 } : null, baseline: Boolean(o.baseline),
        profileRuns: o.profile ? o.runs : 0, returnInputs: existsSync(qliteNative) });
      r.name = names[i];
      r.floatRange = r.io[0].includes('float32') ? optionsOf(i).floatRange : undefined;
      if (r.inputs) {
        r.denormals = countDenormals(qliteNative, o.models[i], r.inputs, r.inputInfos,
          join(repoDir, 'build', 'bench', 'inputs'));
        delete r.inputs;
      }
      results.push(r);
      printModel(r, o.nodes);
    }
    console.log(`\nwasm files page 1 loaded: ${[...page.wasmFiles].sort().join(', ')}`);
    const extraPage = async (what, initScript, options, store) => {
      const p = await openPage(initScript);
      for (let i = 0; i < o.models.length; ++i) store(results[i], await bench(p, i, options));
      console.log(`wasm files the ${what} page loaded: ${[...p.wasmFiles].sort().join(', ')}`);
      await p.close();
    };
    if (o.litert && o.threads) {
      // LiteRT.js's threaded wasm at 2 threads, interleaved with qlite at 2
      // threads and qlite at 1 (the speed-up) in its own page.
      await extraPage('threaded', null, { qlite: ['simd', 'xnnpack', 'simd1t'], qliteThreads: 2,
        litert: { threads: 2, load: { threads: true } }, profileRuns: o.profile ? o.runs : 0 },
      (r, t) => { r.threaded = t; });
      if (o.profile) results.forEach((r) => printThreadedOps(r, o.nodes));
    }
    if (o.litert && o.compat) {
      // LiteRT.js without relaxed SIMD: the same instruction set as qlite.wasm.
      await extraPage('compat', NO_RELAXED_SIMD, { qlite: [], litert: { threads: 1 } }, (r, t) => {
        r.litertCompat = t.litert;
        r.litertCompatError = t.litertError;
      });
    }
    results.forEach(computeRatios);
    printSummary(results, { rounds: o.runs });
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
    console.log(load(`\nend ${new Date().toISOString()}`));
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
