// Relaxed SIMD's int8 dot product, i32x4.relaxed_dot_i8x16_i7x16_add_s:
//   out[i] = c[i] + sum_{j<4} a[4i+j] * b[4i+j]
// 16 multiply-adds in one instruction, twice dot_i16x8's 8 and without its
// widening. "Relaxed" means engines may differ when a b lane has its top bit
// set: x86 with AVX-VNNI reads b as uint8 exactly, ARM's sdot as int8, x86
// through pmaddubsw (no VNNI, or an older V8 such as Node 20's) saturates
// pairs of products to int16. qlite must give the same bytes everywhere, so
// UseRelaxedDot() probes the engine once and the int8 GEMM and 3x3 depthwise
// kernels use the instruction only when it is exact: as uint8 x int8 (inputs
// offset by 128 into uint8) or int8 x int8 (inputs as they are); otherwise
// they keep dot_i16x8.
//
// Emscripten 3.1.6's clang cannot emit the instruction, so under Emscripten
// RelaxedDotAdd calls an imported marker function that tools/wasm/relax_dot.mjs
// replaces with the instruction after linking. The unpatched module keeps the
// import (its JS stub throws), so UseRelaxedDot(true) there throws to its JS
// caller instead of running anything. Native builds emulate the instruction
// with the behaviour a test picks (EmulateRelaxedDotForTesting).
#pragma once

#include <cstdint>

#include "kernels_wasm/simd128.h"

namespace qlite {
namespace simd {

// How the int8 GEMM may use the relaxed dot product on this engine.
enum class RelaxedDot {
  kUnavailable,  // not used: no relaxed SIMD, or a behaviour that is not exact
  kUnsigned,     // b read as uint8, exact
  kSigned,       // b read as int8, exact
};

const char* RelaxedDotName(RelaxedDot mode);

#if defined(__EMSCRIPTEN__)
extern "C" __attribute__((import_name("qlite_relaxed_dot_i8x16_i7x16_add_s"))) v128_t
qlite_relaxed_dot_i8x16_i7x16_add_s(v128_t a, v128_t b, v128_t c);
inline v128_t RelaxedDotAdd(v128_t a, v128_t b, v128_t c) {
  return qlite_relaxed_dot_i8x16_i7x16_add_s(a, b, c);
}
#else
// The behaviours a native build can emulate (kSaturating: x86 without VNNI).
enum class EmulatedRelaxedDot { kNone, kUnsigned, kSigned, kSaturating };
// Process-wide; kNone (the default) makes UseRelaxedDot(true) find nothing.
void EmulateRelaxedDotForTesting(EmulatedRelaxedDot behaviour);
v128_t RelaxedDotAdd(v128_t a, v128_t b, v128_t c);
#endif

// What a kernel adds to every int8 input for `mode`: 128 for kUnsigned (the
// input byte xor 0x80 is its value + 128 as uint8; the kernel takes
// 128 * sum w back out of its bias), else 0. As an int8 it is the xor mask.
inline int32_t RelaxedDotInputOffset(RelaxedDot mode) {
  return mode == RelaxedDot::kUnsigned ? 128 : 0;
}

// Runs the instruction on probe values (tops of b lanes set, products at the
// int16 saturation edge, int32 wrap-around) and names the exact behaviour it
// shows, or kUnavailable.
RelaxedDot ProbeRelaxedDot();

// on: probe and let PackInt8Weights use what the probe found; off: stop
// using it. Weights packed before keep their layout. Returns the mode in use.
RelaxedDot UseRelaxedDot(bool on);
RelaxedDot ActiveRelaxedDot();

}  // namespace simd
}  // namespace qlite
