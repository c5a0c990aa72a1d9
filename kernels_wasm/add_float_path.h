// The int8 ADD's float path: 16 outputs from float32 arithmetic, each proven
// equal to TFLite's integer result, or the group is left to the exact kernel.
//
// TFLite's int8 ADD (core/kernels/add_sub.h) computes, with t_i = x_i + offset_i
// (|t_i| <= 256), u_i = RoundingDivideByPOT(SRDHM(t_i * 2^20, m_i), r_i) and
// q = RoundingDivideByPOT(SRDHM(u_1 + u_2, m_o), r_o). Each u_i is
// t_i * a_i + d_i with a_i = m_i * 2^-(11 + r_i) and |d_i| <= 1/2 + 2^-(r_i+1)
// <= 1 (two roundings of at most a half unit, the first one scaled down by
// 2^r_i). With S = m_o * 2^-(31 + r_o), m_o >= 0 and r_o >= 1 the second pair
// of roundings merges into one (kernels_wasm/requantize.h, the short path):
// q = floor(w + 1/2 +- 2^-(r_o+1)), w = (u_1 + u_2) * S, so q is w rounded to
// nearest unless w lies within 2^-(r_o+1) of a tie.
//
// The float path computes y = t_1 * F_1 + t_2 * F_2 with F_i = a_i * S rounded
// to float: t_i is exact as a float and three roundings of 2^-24 each leave
// |y - (t_1 a_1 + t_2 a_2) S| <= B * 2^-22, B = 256 (a_1 + a_2) S, so
// |y - w| <= E = B * 2^-22 + 2 S. Adding 1.5 * 2^23 + zero point rounds y to
// an integer n (|y + zero point| < 2^22 keeps the sum in [2^23, 2^24), where
// floats are the integers) and e = n - y is exact. Where |e| <= L =
// 1/2 - 2^-(r_o+1) - E, y is at least 2^-(r_o+1) + E from a tie, so w is more
// than 2^-(r_o+1) from it, on the same side: q = n. A native compiler that
// fuses a multiply and add only removes roundings. Per 4 outputs: 2 converts,
// 5 float and 2 integer operations, against about 60 for the exact kernel.
#pragma once

#include <cstdint>

#include "core/kernels/add_sub.h"
#include "kernels_wasm/requantize.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace simd {

class Int8AddFloatPath {
 public:
  // Usable when `p` is the general 8-bit path (left shift 20) and its output
  // rescale and bound allow the proof above.
  explicit Int8AddFloatPath(const AddSubData& p);

  bool usable() const { return usable_; }

  // a, b: 16 int8 inputs each. Stores the 16 clamped outputs and returns true
  // when every lane is proven; else returns false and stores nothing.
  bool TryAddGroupOf16(v128_t a, v128_t b, int8_t* out) const {
    const v128_t a_low = wasm_i16x8_add(wasm_i16x8_extend_low_i8x16(a), offset1_);
    const v128_t a_high = wasm_i16x8_add(wasm_i16x8_extend_high_i8x16(a), offset1_);
    const v128_t b_low = wasm_i16x8_add(wasm_i16x8_extend_low_i8x16(b), offset2_);
    const v128_t b_high = wasm_i16x8_add(wasm_i16x8_extend_high_i8x16(b), offset2_);
    v128_t worst = wasm_i32x4_splat(0);
    const v128_t q0 =
        Quarter(wasm_i32x4_extend_low_i16x8(a_low), wasm_i32x4_extend_low_i16x8(b_low), &worst);
    const v128_t q1 =
        Quarter(wasm_i32x4_extend_high_i16x8(a_low), wasm_i32x4_extend_high_i16x8(b_low), &worst);
    const v128_t q2 =
        Quarter(wasm_i32x4_extend_low_i16x8(a_high), wasm_i32x4_extend_low_i16x8(b_high), &worst);
    const v128_t q3 =
        Quarter(wasm_i32x4_extend_high_i16x8(a_high), wasm_i32x4_extend_high_i16x8(b_high), &worst);
    if (wasm_v128_any_true(wasm_i32x4_gt(worst, limit_bits_))) return false;
    const v128_t bytes = NarrowToInt8(q0, q1, q2, q3);
    wasm_v128_store(out, wasm_i8x16_min(wasm_i8x16_max(bytes, act_min_), act_max_));
    return true;
  }

 private:
  static v128_t ToFloat(v128_t x) {
#if defined(__wasm__)
    // Hidden from LLVM, which would fold the sign extensions into the
    // conversion, from int16 then, which wasm lacks: it converts lane by lane.
    __asm__("" : "+r"(x));
#endif
    return wasm_f32x4_convert_i32x4(x);
  }

  // n + zero point for 4 lanes of t_1, t_2 (int32); folds |e| into *worst
  // (RoundTrackingError).
  v128_t Quarter(v128_t t1, v128_t t2, v128_t* worst) const {
    const v128_t y =
        wasm_f32x4_add(wasm_f32x4_mul(ToFloat(t1), scale1_), wasm_f32x4_mul(ToFloat(t2), scale2_));
    return RoundTrackingError(y, offset_, worst);
  }

  bool usable_ = false;
  v128_t offset1_, offset2_;  // int16 lanes: -input zero points
  v128_t scale1_, scale2_;    // F_1, F_2
  v128_t offset_;             // 1.5 * 2^23 + output zero point
  v128_t limit_bits_;         // FloatLimitBits(L)
  v128_t act_min_, act_max_;  // int8 lanes
};

}  // namespace simd
}  // namespace qlite
