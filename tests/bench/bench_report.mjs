// The browser benchmark's statistics and tables. Every ratio is computed per
// round (two runtimes' batch means of the same interleaved round, so that both
// saw the same machine speed), then summarized: median, 25th-75th percentile
// and min-max of the per-round ratios.
import { describeDenormals } from './bench_denormals.mjs';

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function spread(values) {
  if (!values?.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), min: s[0],
    max: s[s.length - 1], n: s.length };
}

// Per-round ratios a/b of two timed runtimes of one page.
export function roundRatios(a, b) {
  if (!a || !b) return undefined;
  const n = Math.min(a.means.length, b.means.length);
  return spread(Array.from({ length: n }, (_, i) => a.means[i] / b.means[i]));
}

// The issue's targets for qlite/LiteRT.js (1 and 2 threads): int8 synth
// models 0.8x, float32 synth models 1.0x; none for the tutorial models.
export function targetRatio(name) {
  if (/^tutorial/.test(name)) return undefined;
  if (/_int8$/.test(name)) return 0.8;
  if (/_float32$/.test(name)) return 1.0;
  return undefined;
}

const fmt = (us) => (us === undefined ? '-' : us >= 100 ? us.toFixed(0) : us.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const ratioCell = (s) => (s ? `${s.median.toFixed(2)} [${s.p25.toFixed(2)}-${s.p75.toFixed(2)}]` : '-');
const timeCell = (t) => {
  const s = spread(t?.means);
  return s ? `${fmt(s.median)} (${fmt(s.min)})` : 'n/a';
};

const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');

// Per op type, sums of per-node medians of two profiles of the same model:
// op -> { nodes, a, b, kernels (of profile a) }.
function sumsByOp(a, b) {
  const byOp = new Map();
  a.forEach((n, i) => {
    const e = byOp.get(n.op) ?? { nodes: 0, a: 0, b: 0, kernels: new Set() };
    e.nodes += 1;
    e.a += n.us;
    e.b += b[i].us;
    e.kernels.add(n.kernel);
    byOp.set(n.op, e);
  });
  return byOp;
}

export function printModel(r, showNodes) {
  console.log(`\n${r.name}: ${r.bytes} bytes, input ${r.io[0]} -> ${r.io[1]}, ${r.inputKind} inputs` +
    `${r.floatRange ? ` (float range [${r.floatRange}])` : ''}; simd output == reference output: ` +
    `${r.simdEqualsRef ? 'yes' : 'NO'}` +
    (r.litertMaxAbsDiff !== undefined ? `; max |qlite - LiteRT.js| = ${r.litertMaxAbsDiff}` : ''));
  console.log(`  denormal float32 values (native qlite, same inputs): ${describeDenormals(r.denormals)}`);
  if (!r.simdNodes) return;
  const byOp = sumsByOp(r.simdNodes, r.referenceNodes);
  console.log(`  ${pad('op', 18)} ${lpad('nodes', 5)} ${lpad('ref us', 10)} ${lpad('simd us', 10)} ` +
    `${lpad('simd/ref', 8)}  simd kernels`);
  for (const [op, e] of byOp) {
    console.log(`  ${pad(op, 18)} ${lpad(e.nodes, 5)} ${lpad(fmt(e.b), 10)} ${lpad(fmt(e.a), 10)} ` +
      `${lpad(ratio(e.a, e.b), 8)}  ${[...e.kernels].join(', ')}`);
  }
  if (!showNodes) return;
  console.log(`  ${lpad('node', 4)} ${pad('op', 18)} ${pad('simd kernel', 30)} ${lpad('ref us', 10)} ` +
    `${lpad('simd us', 10)} ${lpad('simd/ref', 8)}`);
  r.simdNodes.forEach((n, i) => {
    const ref = r.referenceNodes[i].us;
    console.log(`  ${lpad(n.node, 4)} ${pad(n.op, 18)} ${pad(n.kernel, 30)} ${lpad(fmt(ref), 10)} ` +
      `${lpad(fmt(n.us), 10)} ${lpad(ratio(n.us, ref), 8)}`);
  });
}

// The threaded module's per-op µs at 1 and 2 threads (sums of per-node
// medians, profiled on the threaded page) and their ratio, the speed-up; per
// node too with showNodes.
export function printThreadedOps(r, showNodes) {
  const one = r.threaded?.simd1tNodes;
  const two = r.threaded?.simdNodes;
  if (!one || !two) return;
  console.log(`\n${r.name}: qlite-threads per op at 1 and ${r.threaded.qliteThreads} threads`);
  console.log(`  ${pad('op', 18)} ${lpad('nodes', 5)} ${lpad('1t us', 10)} ` +
    `${lpad(`${r.threaded.qliteThreads}t us`, 10)} ${lpad('speed-up', 8)}`);
  for (const [op, e] of sumsByOp(one, two)) {
    console.log(`  ${pad(op, 18)} ${lpad(e.nodes, 5)} ${lpad(fmt(e.a), 10)} ${lpad(fmt(e.b), 10)} ` +
      `${lpad(ratio(e.a, e.b), 8)}`);
  }
  if (!showNodes) return;
  one.forEach((n, i) => {
    console.log(`  ${lpad(n.node, 4)} ${pad(n.op, 18)} ${lpad(fmt(n.us), 10)} ${lpad(fmt(two[i].us), 10)} ` +
      `${lpad(ratio(n.us, two[i].us), 8)}`);
  });
}

// Adds r.ratios: the per-round ratio summaries the tables print.
export function computeRatios(r) {
  const t = r.threaded ?? {};
  r.ratios = {
    simdLitert1: roundRatios(r.simd, r.litert),
    xnnLitert1: roundRatios(r.xnnpack, r.litert),
    simdLitert2: roundRatios(t.simd, t.litert),
    xnnLitert2: roundRatios(t.xnnpack, t.litert),
    refSimd: roundRatios(r.reference, r.simd),
    // qlite's own 1-thread time over its 2-thread time, per round: the speed-up.
    speedup2: roundRatios(t.simd1t, t.simd),
  };
  return r;
}

export function printSummary(results, { rounds }) {
  const w = Math.max(...results.map((r) => r.name.length), 5);
  console.log(`\nwhole model, µs per inference: median (best) of ${rounds}+ interleaved rounds' batch means`);
  console.log('qlite 1t: qlite.wasm; LiteRT.js 1t: its single-threaded wasm; LiteRT.js 2t: its threaded ' +
    'wasm with numThreads 2, interleaved with qlite-threads.wasm at 2 threads (second page)');
  console.log(`${pad('model', w)} ${lpad('LiteRT.js 1t', 16)} ${lpad('LiteRT.js 2t', 16)} ${lpad('qlite simd', 16)} ` +
    `${lpad('qlite xnn', 16)} ${lpad('qlite ref', 16)}  inputs`);
  for (const r of results) {
    console.log(`${pad(r.name, w)} ${lpad(timeCell(r.litert), 16)} ${lpad(timeCell(r.threaded?.litert), 16)} ` +
      `${lpad(timeCell(r.simd), 16)} ${lpad(timeCell(r.xnnpack), 16)} ${lpad(timeCell(r.reference), 16)}  ` +
      `${r.inputKind}`);
  }
  console.log('\nratios per round, then median [25th-75th percentile] over the rounds (< 1: qlite faster);');
  console.log('"simd": arithmetic \'tflite\' (default), "xnn": arithmetic \'xnnpack\' (== LiteRT.js bytes); ' +
    'target: the issue\'s acceptance ratio for both thread counts');
  console.log(`${pad('model', w)} ${lpad('simd/LiteRT 1t', 18)} ${lpad('xnn/LiteRT 1t', 18)} ` +
    `${lpad('simd/LiteRT 2t', 18)} ${lpad('xnn/LiteRT 2t', 18)} ${lpad('ref/simd', 18)} ${lpad('target', 6)} ` +
    `${lpad('met (simd 1t, 2t)', 17)}  denormals`);
  for (const r of results) {
    const q = r.ratios;
    const target = targetRatio(r.name);
    const met = (s) => (!s || target === undefined ? '-' : s.median <= target ? 'yes' : 'NO');
    const d = r.denormals;
    console.log(`${pad(r.name, w)} ${lpad(ratioCell(q.simdLitert1), 18)} ${lpad(ratioCell(q.xnnLitert1), 18)} ` +
      `${lpad(ratioCell(q.simdLitert2), 18)} ${lpad(ratioCell(q.xnnLitert2), 18)} ` +
      `${lpad(ratioCell(q.refSimd), 18)} ${lpad(target ?? '-', 6)} ` +
      `${lpad(`${met(q.simdLitert1)}, ${met(q.simdLitert2)}`, 17)}  ` +
      `${!d || d.error ? '?' : `${d.total}${d.nodes[0] ? ` (most: node ${d.nodes[0].node} ${d.nodes[0].op})` : ''}`}`);
    for (const [key, label] of [['simdLitert1', 'simd/LiteRT 1t'], ['simdLitert2', 'simd/LiteRT 2t']]) {
      const s = q[key];
      if (s) console.log(`  ${label}: min-max ${s.min.toFixed(2)}-${s.max.toFixed(2)} over ${s.n} rounds`);
    }
    if (q.speedup2) {
      console.log(`  qlite 1 thread / 2 threads (speed-up): ${ratioCell(q.speedup2)}; outputs equal: ` +
        `${r.threaded.threadsEqual ? 'yes' : 'NO'}; threads: ${r.threaded.qliteThreads}` +
        `${r.threaded.qliteThreadsNote ? ` (${r.threaded.qliteThreadsNote})` : ''}`);
    }
    if (r.baseline) {
      console.log(`  A/B: qlite simd ${timeCell(r.simd)} vs baseline simd ${timeCell(r.baseline)}: ` +
        `${ratioCell(roundRatios(r.simd, r.baseline))} (outputs equal: ${r.baselineEqualsSimd ? 'yes' : 'NO'})`);
    }
    if (r.litertCompat) console.log(`  LiteRT.js compat (SIMD128 only): ${timeCell(r.litertCompat)} µs`);
    if (r.litertError) console.log(`  LiteRT.js could not run it: ${r.litertError}`);
    if (r.threaded?.litertError) console.log(`  LiteRT.js threaded could not run it: ${r.threaded.litertError}`);
    if (r.litertCompatError) console.log(`  LiteRT.js compat could not run it: ${r.litertCompatError}`);
    if (r.xnnpackEqualsLitert === false && !r.io[1].includes('float')) {
      console.log('  qlite xnn output differs from LiteRT.js\'s (int outputs: should be the same bytes)');
    }
  }
  console.log(`qlite's relaxed dot product in this browser: ${results[0]?.relaxedDot}; LiteRT.js 1t: its ` +
    'default wasm (relaxed SIMD in this Chromium); LiteRT.js 2t page: getThreadCount() = ' +
    `${results.find((r) => r.threaded)?.threaded.litertDefaultThreads ?? '-'}`);
}
