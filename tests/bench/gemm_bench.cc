// int8 GEMM micro-benchmark, built as a standalone wasm module (see
// tests/bench/gemm_bench.sh) and timed from JavaScript (gemm_bench.mjs) in
// Node and in Chromium:
//   - the peak: a loop of i32x4.dot_i16x8_s + i32x4.add (8 MACs per dot), with
//     8 independent accumulators so the dots never wait on each other; wasm
//     SIMD128 has no fused dot-accumulate, so a GEMM's inner loop cannot do
//     better than this pair;
//   - qlite's int8 GEMM (kernels_wasm/gemm_int8.h: packed weights, per-channel
//     requantization) on shapes of MobileNet's 1x1 convolutions and classifier,
//     when the build found it (QLITE_BENCH_HAVE_GEMM).
// The exports return checksums so the optimizer cannot drop the work.
#include <cstdint>
#include <vector>

#if !defined(__wasm_simd128__)
#error "gemm_bench is a wasm SIMD128 benchmark: build it with tests/bench/gemm_bench.sh"
#endif
#include <wasm_simd128.h>

#if QLITE_BENCH_HAVE_GEMM
#include "kernels_wasm/gemm_int8.h"
#include "kernels_wasm/relaxed_dot.h"
#endif

#define EXPORT extern "C" __attribute__((used, visibility("default")))

namespace {

volatile int32_t g_sink = 0;  // keeps results observable

#if QLITE_BENCH_HAVE_GEMM
struct GemmProblem {
  int m = 0, n = 0, k = 0;
  std::vector<int8_t> lhs, out;
  qlite::simd::PackedInt8Weights weights;
  std::vector<int32_t> bias;
  qlite::simd::ChannelRequantization rq;
  std::vector<int32_t> scratch;
};
GemmProblem* g_problem = nullptr;

// Deterministic bytes (xorshift32).
void FillRandom(std::vector<int8_t>* v, uint32_t seed) {
  uint32_t s = seed | 1u;
  for (int8_t& x : *v) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    x = static_cast<int8_t>(s >> 24);
  }
}
#endif

}  // namespace

// 64 MACs per iteration: 8 x i32x4.dot_i16x8_s (+ the i32x4.add each needs).
// `b` changes every iteration so nothing is loop-invariant.
EXPORT int32_t peak_dot_i16x8(int32_t iterations) {
  v128_t a0 = wasm_i16x8_splat(1), a1 = wasm_i16x8_splat(2), a2 = wasm_i16x8_splat(3),
         a3 = wasm_i16x8_splat(4), a4 = wasm_i16x8_splat(5), a5 = wasm_i16x8_splat(6),
         a6 = wasm_i16x8_splat(7), a7 = wasm_i16x8_splat(8);
  v128_t b = wasm_i16x8_make(1, -2, 3, -4, 5, -6, 7, -8);
  const v128_t step = wasm_i16x8_splat(g_sink | 1);
  v128_t c0 = wasm_i32x4_splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (int32_t i = 0; i < iterations; ++i) {
    c0 = wasm_i32x4_add(c0, wasm_i32x4_dot_i16x8(a0, b));
    c1 = wasm_i32x4_add(c1, wasm_i32x4_dot_i16x8(a1, b));
    c2 = wasm_i32x4_add(c2, wasm_i32x4_dot_i16x8(a2, b));
    c3 = wasm_i32x4_add(c3, wasm_i32x4_dot_i16x8(a3, b));
    c4 = wasm_i32x4_add(c4, wasm_i32x4_dot_i16x8(a4, b));
    c5 = wasm_i32x4_add(c5, wasm_i32x4_dot_i16x8(a5, b));
    c6 = wasm_i32x4_add(c6, wasm_i32x4_dot_i16x8(a6, b));
    c7 = wasm_i32x4_add(c7, wasm_i32x4_dot_i16x8(a7, b));
    b = wasm_i16x8_add(b, step);
  }
  const v128_t sum = wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_add(c0, c1), wasm_i32x4_add(c2, c3)),
                                    wasm_i32x4_add(wasm_i32x4_add(c4, c5), wasm_i32x4_add(c6, c7)));
  const int32_t r = wasm_i32x4_extract_lane(sum, 0) ^ wasm_i32x4_extract_lane(sum, 3);
  g_sink = r;
  return r;
}

EXPORT int32_t peak_macs_per_iteration() { return 64; }

EXPORT int32_t has_gemm() { return QLITE_BENCH_HAVE_GEMM ? 1 : 0; }

// Turns relaxed SIMD's dot product on for the next gemm_setup (only in
// gemm_bench.relaxed.wasm, where tools/wasm/relax_dot.mjs patched it in).
// Returns 1 or 2 when the GEMM will use it (unsigned / signed), else 0.
EXPORT int32_t gemm_use_relaxed_dot(int32_t on) {
#if QLITE_BENCH_HAVE_GEMM
  return static_cast<int32_t>(qlite::simd::UseRelaxedDot(on != 0));
#else
  (void)on;
  return 0;
#endif
}

// Prepares an M x N x K problem (random int8 data, weights packed once, as a
// conv's prepare does). Returns 1 on success, 0 without a GEMM kernel.
EXPORT int32_t gemm_setup(int32_t m, int32_t n, int32_t k) {
#if QLITE_BENCH_HAVE_GEMM
  delete g_problem;
  g_problem = new GemmProblem;
  GemmProblem& p = *g_problem;
  p.m = m;
  p.n = n;
  p.k = k;
  p.lhs.resize(static_cast<size_t>(m) * k);
  FillRandom(&p.lhs, 7);
  std::vector<int8_t> w(static_cast<size_t>(n) * k);
  FillRandom(&w, 11);
  qlite::simd::PackInt8Weights(w.data(), n, k, m, &p.weights);
  std::vector<int32_t> raw_bias(n, 100);
  p.bias = qlite::simd::FoldInputOffset(p.weights, raw_bias.data(), /*input_offset=*/3);
  // A typical conv requantization: multiplier ~0.7 * 2^31, right shift 8.
  p.rq.Init(std::vector<int32_t>(n, 1500000000), std::vector<int32_t>(n, -8),
            /*output_zero_point=*/-5, -128, 127);
  p.rq.SetAccumulatorBound(qlite::simd::GemmAccumulatorBound(p.weights, p.bias.data()));
  p.scratch.resize(qlite::simd::GemmScratchInts(p.weights));
  p.out.resize(static_cast<size_t>(m) * n);
  return 1;
#else
  (void)m;
  (void)n;
  (void)k;
  return 0;
#endif
}

// Runs the prepared GEMM `repetitions` times; returns a checksum.
EXPORT int32_t gemm_run(int32_t repetitions) {
#if QLITE_BENCH_HAVE_GEMM
  GemmProblem& p = *g_problem;
  int32_t sum = 0;
  for (int32_t r = 0; r < repetitions; ++r) {
    qlite::simd::GemmInt8(p.lhs.data(), p.m, p.k, p.weights, p.bias.data(), p.rq, p.out.data(), p.n,
                          p.scratch.data());
    sum += p.out[r % p.out.size()];
  }
  g_sink = sum;
  return sum;
#else
  (void)repetitions;
  return 0;
#endif
}
