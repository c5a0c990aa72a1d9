// Drives gemm_bench.wasm (tests/bench/gemm_bench.cc) in Node or in a page:
// measures the i32x4.dot_i16x8_s peak and qlite's int8 GEMM on MobileNet-like
// shapes, and reports MAC/s and the GEMM's share of the peak.
//
//   node tests/bench/gemm_bench.mjs [build/wasm/bench/gemm_bench.wasm]
//
// runGemmBench(bytes) is what browser_bench.mjs calls in Chromium, also with
// gemm_bench.relaxed.wasm and { relaxed: true }: the GEMM on relaxed SIMD's
// dot product where the engine's is exact (kernels_wasm/relaxed_dot.h).

// M x N x K: output pixels x output channels x depth.
export const GEMM_SHAPES = [
  { name: 'v2 1x1 expand 56x56, 24->144', m: 3136, n: 144, k: 24 },
  { name: 'v2 1x1 project 28x28, 192->32', m: 784, n: 32, k: 192 },
  { name: 'v1 1x1 14x14, 512->512', m: 196, n: 512, k: 512 },
  { name: 'v2 1x1 7x7, 320->1280', m: 49, n: 1280, k: 320 },
  { name: 'square 256x256x256', m: 256, n: 256, k: 256 },
  { name: 'FC 1x1280 -> 1000', m: 1, n: 1000, k: 1280 },
  { name: 'tutorial conv 26x26, 3x3x1->12', m: 676, n: 12, k: 9 },
  { name: 'v1 conv0 48x48, 3x3x1->8', m: 2304, n: 8, k: 9 },
  { name: 'v1 1x1 48x48, 8->16', m: 2304, n: 16, k: 8 },
  { name: 'v2 1x1 expand 112x112, 16->96', m: 12544, n: 96, k: 16 },
  { name: 'v2 conv0 112x112, 3x3x3->32', m: 12544, n: 32, k: 27 },
];

const now = () => performance.now();

// Best of `runs` timings of fn() (ms per unit), each at least ~minMs long by
// calling it with a scaled work count (fn(count) does `count` units). The
// best, not the median: on a shared machine every slower run was preempted.
function timeWork(fn, { runs = 31, minMs = 5 } = {}) {
  fn(1); // warm-up
  let units = 1;
  for (;;) {
    const t = now();
    fn(units);
    const ms = now() - t;
    if (ms >= minMs || units > 1e9) break;
    units = Math.ceil(units * Math.max(2, (minMs * 1.2) / Math.max(ms, 0.01)));
  }
  const perUnit = [];
  for (let r = 0; r < runs; ++r) {
    const t = now();
    fn(units);
    perUnit.push((now() - t) / units);
  }
  return Math.min(...perUnit);
}

export async function runGemmBench(bytes, options = {}) {
  const module = await WebAssembly.compile(bytes);
  // A standalone module: stub whatever it imports (nothing is called in practice).
  const imports = {};
  for (const { module: m, name, kind } of WebAssembly.Module.imports(module)) {
    imports[m] ??= {};
    if (kind === 'function') {
      imports[m][name] = () => { throw new Error(`gemm_bench: unexpected import ${m}.${name}`); };
    }
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const e = instance.exports;
  e._initialize?.();

  const macsPerIter = e.peak_macs_per_iteration();
  const itersPerUnit = 100000;
  const peakRate = () => (macsPerIter * itersPerUnit)
    / (timeWork((units) => e.peak_dot_i16x8(units * itersPerUnit), options) / 1000);
  let peak = peakRate();
  const gemm = [];
  const modes = ['unavailable', 'unsigned', 'signed'];
  const relaxedDot = options.relaxed ? modes[e.gemm_use_relaxed_dot(1)] : 'unavailable';
  if (e.has_gemm()) {
    for (const s of GEMM_SHAPES) {
      e.gemm_setup(s.m, s.n, s.k);
      const ms = timeWork((units) => e.gemm_run(units), options);
      gemm.push({ ...s, us: ms * 1000, macPerSecond: (s.m * s.n * s.k) / (ms / 1000) });
      // The peak again between shapes, keeping the best: on a shared machine
      // one measurement can fall entirely into a busy stretch.
      peak = Math.max(peak, peakRate());
    }
  }
  const lines = [`i32x4.dot_i16x8_s peak: ${(peak / 1e9).toFixed(2)} G MAC/s (8 accumulators, one thread, best run)`];
  if (options.relaxed) {
    lines.push(`qlite int8 GEMM on relaxed SIMD's dot product: ${relaxedDot} ` +
      '(unavailable: the engine\'s is not exact, dot_i16x8 as in gemm_bench.wasm)');
  }
  if (!e.has_gemm()) {
    lines.push('qlite int8 GEMM: not in this build (kernels_wasm/gemm_int8.cc was missing when it was built)');
  }
  for (const g of gemm) {
    g.ofPeak = g.macPerSecond / peak;
    lines.push(`GEMM ${g.name.padEnd(32)} M=${String(g.m).padStart(4)} N=${String(g.n).padStart(4)} ` +
      `K=${String(g.k).padStart(4)}: ${g.us.toFixed(1).padStart(8)} us, ` +
      `${(g.macPerSecond / 1e9).toFixed(2).padStart(5)} G MAC/s = ${(100 * g.ofPeak).toFixed(0).padStart(3)} % of peak`);
  }
  return { peak, gemm, lines, relaxedDot };
}

// Node entry point.
if (typeof process === 'object' && process.argv?.[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { join, dirname } = await import('node:path');
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const path = process.argv[2] ?? join(repo, 'build', 'wasm', 'bench', 'gemm_bench.wasm');
  try {
    const { lines } = await runGemmBench(readFileSync(path));
    console.log(`int8 GEMM micro-benchmark in Node ${process.version} (${path}):`);
    for (const line of lines) console.log(`  ${line}`);
  } catch (error) {
    console.error(`gemm_bench: ${error.message}`);
    process.exit(1);
  }
}
