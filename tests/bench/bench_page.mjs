// The browser benchmark's page (served at /bench/bench_page.mjs by
// tests/bench/browser_bench.mjs): window.benchModel(url, options) times one
// model through qlite's kernel sets and LiteRT.js, interleaved, on the same
// inputs (tests/bench/bench_inputs.mjs).
import { loadQlite } from '/pkg/src/index.js';
import { initLiteRt, loadLiteRtModel } from '/litert-runner.js';
import { makeInputs } from '/bench/bench_inputs.mjs';

let qlitePromise = null;
const threadedPromises = {}; // loadQlite({ threads: n }) by n
let baselinePromise = null;

// Batch means, the runtimes interleaved: a batch is as many calls of one
// function as last >= batchMs (the timer is coarse); rounds of one batch per
// function repeat until 'runs' rounds and 'seconds' per function have passed
// (at most 1000). Interleaving lets every runtime see the same machine (a
// shared machine's speed drifts by 2x over seconds), so that the ratio of two
// runtimes within one round is the figure that drift cannot skew. Returns
// each function's batch means in round order.
async function timeInterleaved(fns, { runs, batchMs, seconds }) {
  const plans = [];
  for (const fn of fns) {
    await fn(); // warm-up (first-run costs: lazy packing, page faults, thread start)
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
  return plans.map(({ means, perBatch }) => ({ means, perBatch }));
}

// Per-node µs: medians of model.profile() over `count` runs.
function profileNodes(model, inputs, count) {
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

// options: qlite (names of the qlite runtimes to time: 'simd', 'reference',
// 'xnnpack', and with qliteThreads 'simd1t': the single-threaded module's
// SIMD kernels), qliteThreads (n > 1: the other runtimes run on
// loadQlite({ threads: n })), litert (null, or { threads: n, load: loadLiteRt's options }),
// baseline, profileRuns (per-node profiles, see below), inputKind, floatRange,
// returnInputs, and the timing
// (runs, batchMs, seconds).
window.benchModel = async (url, options) => {
  const {
    qlite: qliteNames, qliteThreads = 1, litert, baseline, profileRuns, inputKind, floatRange,
    returnInputs,
  } = options;
  qlitePromise ??= loadQlite();
  const single = await qlitePromise;
  const qlite = qliteThreads > 1
    ? await (threadedPromises[qliteThreads] ??= loadQlite({ threads: qliteThreads }))
    : single;
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const result = {
    url, bytes: bytes.length, relaxedDot: qlite.relaxedDot, inputKind,
    qliteThreads: qlite.threads, qliteThreadsNote: qlite.threadsNote,
  };
  // Timed models do not profile (reading the clock around each op costs ~1 µs
  // here); per-op times come from twins loaded with { profile: true }.
  const loaded = {
    reference: qlite.loadModel(bytes, { kernels: 'reference' }),
    simd: qlite.loadModel(bytes, { kernels: 'simd' }),
    xnnpack: qlite.loadModel(bytes, { kernels: 'simd', arithmetic: 'xnnpack' }),
  };
  if (qliteNames.includes('simd1t')) loaded.simd1t = single.loadModel(bytes, { kernels: 'simd' });
  const infos = loaded.reference.inputs;
  const inputs = makeInputs(infos, { kind: inputKind, floatRange });
  result.inputInfos = infos.map(({ dtype, shape, scale, zeroPoint }) => ({ dtype, shape, scale, zeroPoint }));
  if (returnInputs) result.inputs = inputs.map((a) => Array.from(a));
  result.io = [infos.map((i) => i.dtype + '[' + i.shape + ']').join(','),
    loaded.reference.outputs.map((o) => o.dtype).join(',')];
  const outs = Object.fromEntries(Object.entries(loaded).map(([k, m]) => [k, m.run(inputs)]));
  result.simdEqualsRef = outs.reference.every((o, i) => same(o, outs.simd[i]));
  if (outs.simd1t) result.threadsEqual = outs.simd1t.every((o, i) => same(o, outs.simd[i]));
  const timed = qliteNames.map((name) => [name, () => loaded[name].run(inputs)]);
  let model = null;
  let baselineSimd = null;
  try {
    if (baseline) {
      // Another build of qlite (--baseline), interleaved with this one: an A/B run.
      baselinePromise ??= import('/pkg-base/src/index.js').then((m) => m.loadQlite());
      baselineSimd = (await baselinePromise).loadModel(bytes, { kernels: 'simd' });
      const out = baselineSimd.run(inputs);
      result.baselineEqualsSimd = out.every((o, i) => same(o, outs.simd[i]));
      timed.push(['baseline', () => baselineSimd.run(inputs)]);
    }
    if (litert) {
      try {
        const liteRt = await initLiteRt(litert.load);
        result.litertDefaultThreads = liteRt.liteRtWasm.getThreadCount?.();
        model = await loadLiteRtModel(bytes, { numThreads: litert.threads });
        const [out] = await model.run(inputs);
        let maxDiff = 0;
        for (let i = 0; i < out.length; ++i) maxDiff = Math.max(maxDiff, Math.abs(out[i] - outs.simd[0][i]));
        result.litertMaxAbsDiff = maxDiff;
        result.xnnpackEqualsLitert = same(out, outs.xnnpack[0]);
        timed.push(['litert', () => model.run(inputs)]);
      } catch (e) {
        result.litertError = String(e?.message ?? e);
      }
    }
    const times = await timeInterleaved(timed.map(([, fn]) => fn), options);
    timed.forEach(([name], i) => { result[name] = times[i]; });
  } finally {
    model?.delete();
    baselineSimd?.dispose();
    Object.values(loaded).forEach((m) => m.dispose());
  }
  if (profileRuns > 0) {
    // Page 1: SIMD against reference kernels; the threaded page: the threaded
    // module at qliteThreads against itself at 1 thread (where threads gain).
    const twins = qliteThreads > 1
      ? [['simdNodes', { kernels: 'simd' }], ['simd1tNodes', { kernels: 'simd', threads: 1 }]]
      : [['simdNodes', { kernels: 'simd' }], ['referenceNodes', { kernels: 'reference' }]];
    for (const [key, options] of twins) {
      const profiled = qlite.loadModel(bytes, { ...options, profile: true });
      result[key] = profileNodes(profiled, inputs, profileRuns);
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
window.isolated = self.crossOriginIsolated;
window.ready = true;
