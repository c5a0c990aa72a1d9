// MulAdd(a, b, c) = a * b + c lane for lane, for the float32 kernels' inner
// loops: either rounded once (fused, an FMA) or rounded after the multiply
// and again after the add, whichever the build and engine give.
//
// - qlite.wasm and native builds: unfused, f32x4.mul then f32x4.add, the
//   reference kernels' arithmetic, so their floats match byte for byte.
// - qlite.relaxed.wasm: relaxed SIMD's f32x4.relaxed_madd, which engines
//   fuse where the CPU has FMA (x86 with FMA3, ARM64) and leave unfused
//   elsewhere. Fused, each step of a sum of n products rounds once instead of
//   twice: both results lie within n * 2^-24 * sum |a_i * b_i| (plus the
//   bias) of the exact sum, so they differ by at most twice that. The engine
//   always picks the same way, so outputs stay deterministic on a machine and
//   for any thread count. Overflow can differ too: a fused step whose product
//   overflows but whose sum does not stays finite.
//
// Emscripten 3.1.6's clang cannot emit relaxed_madd, so under Emscripten
// MulAdd calls an imported marker that tools/wasm/relax_dot.mjs rewrites
// after linking: into f32x4.relaxed_madd for qlite.relaxed.wasm, and with
// --plain into f32x4.mul and f32x4.add for qlite.wasm. Native builds compute
// unfused unless a test emulates an FMA engine (EmulateFusedMulAddForTesting).
#pragma once

#include "kernels_wasm/simd128.h"

namespace qlite {
namespace simd {

#if defined(__EMSCRIPTEN__)
// `const`: no side effects, so the optimizer may move and merge calls as it
// would the instruction they become.
extern "C" __attribute__((import_name("qlite_relaxed_madd_f32x4"), const)) v128_t
qlite_relaxed_madd_f32x4(v128_t a, v128_t b, v128_t c);
inline v128_t MulAdd(v128_t a, v128_t b, v128_t c) { return qlite_relaxed_madd_f32x4(a, b, c); }
#else
// Process-wide, for tests: true makes MulAdd fused (std::fma per lane).
void EmulateFusedMulAddForTesting(bool fused);
bool FusedMulAddEmulated();
v128_t FusedMulAddLanes(v128_t a, v128_t b, v128_t c);
inline v128_t MulAdd(v128_t a, v128_t b, v128_t c) {
  if (FusedMulAddEmulated()) return FusedMulAddLanes(a, b, c);
  return wasm_f32x4_add(wasm_f32x4_mul(a, b), c);
}
#endif

}  // namespace simd
}  // namespace qlite
