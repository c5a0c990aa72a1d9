// TFLite's integer requantization (core/quant_math.h), four int32 lanes at a
// time. Every function gives, lane by lane, the same bits as its scalar twin
// for every input, including SaturatingRoundingDoublingHighMul's one
// saturating case (INT32_MIN * INT32_MIN) and wrapping left shifts.
//
// WebAssembly SIMD128 only shifts all lanes by one scalar amount, while
// per-channel requantization needs a shift per lane: the per-lane shifts below
// are composed of the five power-of-two shifts selected by the bits of each
// lane's amount.
//
// Typical use (per-channel, prepared once):
//   ChannelRequantization rq;
//   rq.Init(multipliers, shifts, output_zero_point, act_min, act_max);
//   v128_t q = rq.Apply(acc, channel);  // 4 clamped int32 outputs of
//                                       // channels channel..channel+3
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "kernels_wasm/simd128.h"

namespace qlite {
namespace simd {

// floor(a * b / 2^32) lane by lane: the high words of the four exact 64-bit
// products.
inline v128_t HighWordsOfProductsX4(v128_t a, v128_t b) {
  return wasm_i32x4_shuffle(wasm_i64x2_extmul_low_i32x4(a, b), wasm_i64x2_extmul_high_i32x4(a, b),
                            1, 3, 5, 7);
}

// round(a * b / 2^31) without saturation: floor((a * b + 2^30) / 2^31) in
// 64 bits, which equals the scalar's truncating division of (product + nudge)
// for both signs. Bits 31..62 of the 64-bit sum are taken as
// (high word << 1) | (low word >> 31): an i64x2 arithmetic shift would be
// emulated (slowly) on x86 engines. Exact for every pair except
// INT32_MIN * INT32_MIN, whose result 2^31 does not fit (never a multiplier
// QuantizeMultiplier makes).
inline v128_t RoundingDoublingHighMulX4(v128_t a, v128_t b) {
  const v128_t nudge = wasm_i64x2_splat(int64_t{1} << 30);
  const v128_t lo = wasm_i64x2_add(wasm_i64x2_extmul_low_i32x4(a, b), nudge);
  const v128_t hi = wasm_i64x2_add(wasm_i64x2_extmul_high_i32x4(a, b), nudge);
  const v128_t low_words = wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6);
  const v128_t high_words = wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7);
  return wasm_v128_or(wasm_i32x4_shl(high_words, 1), wasm_u32x4_shr(low_words, 31));
}

// RoundingDoublingHighMul(t * 2^20, m) for |t| <= 256 (an 8-bit value minus
// its zero point, as 8-bit ADD shifts it) in 32-bit arithmetic. The high
// multiply is floor((t * 2^20 * m + 2^30) / 2^31) = floor((t * m + 2^10) / 2^11);
// with m = high * 2^11 + low (low in [0, 2^11), MultiplierHigh/Low) that is
// t * high + floor((t * low + 2^10) / 2^11), both products well inside int32.
inline int32_t MultiplierHigh(int32_t m) { return m >> 11; }
inline int32_t MultiplierLow(int32_t m) { return m & ((1 << 11) - 1); }
inline v128_t RoundingDoublingHighMulShifted20X4(v128_t t, v128_t high, v128_t low) {
  const v128_t low_part =
      wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(t, low), wasm_i32x4_splat(1 << 10)), 11);
  return wasm_i32x4_add(wasm_i32x4_mul(t, high), low_part);
}

// round(a * b / 2^31), saturated: lane-wise SaturatingRoundingDoublingHighMul.
inline v128_t SaturatingRoundingDoublingHighMulX4(v128_t a, v128_t b) {
  const v128_t int_min = wasm_i32x4_splat(INT32_MIN);
  const v128_t saturate = wasm_v128_and(wasm_i32x4_eq(a, b), wasm_i32x4_eq(a, int_min));
  return wasm_v128_bitselect(wasm_i32x4_splat(INT32_MAX), RoundingDoublingHighMulX4(a, b),
                             saturate);
}

// Arithmetic right shift of each lane by its own amount in [0, 31].
// `bits_used` (the OR of all amounts, when the caller knows it) skips the
// power-of-two steps no lane needs.
inline v128_t ShiftRightPerLaneX4(v128_t x, v128_t amount, int bits_used = 31) {
  for (int bit = 0; bit < 5; ++bit) {
    if ((bits_used & (1 << bit)) == 0) continue;
    const v128_t step = wasm_i32x4_splat(1 << bit);
    const v128_t has_bit = wasm_i32x4_eq(wasm_v128_and(amount, step), step);
    x = wasm_v128_bitselect(wasm_i32x4_shr(x, 1 << bit), x, has_bit);
  }
  return x;
}

// Left shift of each lane by its own amount in [0, 31], wrapping like the
// scalar ShiftLeftWrapping (a shift, not a multiply: natively SIMDe's
// multiply could overflow a signed int, which is undefined behaviour).
inline v128_t ShiftLeftPerLaneX4(v128_t x, v128_t amount, int bits_used = 31) {
  for (int bit = 0; bit < 5; ++bit) {
    if ((bits_used & (1 << bit)) == 0) continue;
    const v128_t step = wasm_i32x4_splat(1 << bit);
    const v128_t has_bit = wasm_i32x4_eq(wasm_v128_and(amount, step), step);
    x = wasm_v128_bitselect(wasm_i32x4_shl(x, 1 << bit), x, has_bit);
  }
  return x;
}

// 2^amount - 1 per lane (amount in [0, 31]): RoundingDivideByPOT's mask.
inline v128_t LowBitsMaskPerLaneX4(v128_t amount) {
  const v128_t ones = wasm_i32x4_splat(1);
  return wasm_i32x4_sub(ShiftLeftPerLaneX4(ones, amount), ones);
}

// x / 2^exponent rounded half away from zero (RoundingDivideByPOT), one
// exponent in [0, 31] for all lanes, its mask made once. Kernels keep one in
// memory they read through a reference: as locals, several such constants
// outgrow the engine's 16 vector registers and spill.
struct UniformRoundingDivideByPOT {
  explicit UniformRoundingDivideByPOT(int exponent)
      : exponent(exponent),
        mask(wasm_i32x4_splat(static_cast<int32_t>((int64_t{1} << exponent) - 1))),
        half_mask(wasm_i32x4_splat(static_cast<int32_t>(((int64_t{1} << exponent) - 1) >> 1))) {}

  v128_t operator()(v128_t x) const {
    const v128_t remainder = wasm_v128_and(x, mask);
    // threshold = mask / 2 + (x < 0); (x >> 31) is -1 for negative lanes.
    const v128_t threshold = wasm_i32x4_sub(half_mask, wasm_i32x4_shr(x, 31));
    // The comparison yields -1 where the quotient rounds up.
    return wasm_i32x4_sub(wasm_i32x4_shr(x, exponent), wasm_i32x4_gt(remainder, threshold));
  }

  int exponent;
  v128_t mask, half_mask;
};

inline v128_t RoundingDivideByPOTX4(v128_t x, int exponent) {
  return UniformRoundingDivideByPOT(exponent)(x);
}

// RoundingDivideByPOT with one exponent in [0, 31] per lane; `mask` must be
// 2^exponent - 1 per lane and `bits_used` cover every exponent (both
// precomputed by callers that requantize often).
inline v128_t RoundingDivideByPOTPerLaneX4(v128_t x, v128_t exponent, v128_t mask,
                                           int bits_used = 31) {
  const v128_t remainder = wasm_v128_and(x, mask);
  const v128_t threshold = wasm_i32x4_sub(wasm_i32x4_shr(mask, 1), wasm_i32x4_shr(x, 31));
  return wasm_i32x4_sub(ShiftRightPerLaneX4(x, exponent, bits_used),
                        wasm_i32x4_gt(remainder, threshold));
}

inline v128_t RoundingDivideByPOTPerLaneX4(v128_t x, v128_t exponent) {
  return RoundingDivideByPOTPerLaneX4(x, exponent, LowBitsMaskPerLaneX4(exponent));
}

// RoundingDivideByPOT with one exponent in [2, 31] per lane, the shift done as
// the high half of a multiply: `factor` = 2^(32 - exponent), `mask` =
// 2^exponent - 1 per lane. Cheaper than the per-bit shifts.
inline v128_t RoundingDivideByPOTByMultiplyX4(v128_t x, v128_t factor, v128_t mask) {
  const v128_t quotient = HighWordsOfProductsX4(x, factor);  // floor(x / 2^exponent)
  const v128_t remainder = wasm_v128_and(x, mask);
  const v128_t threshold = wasm_i32x4_sub(wasm_i32x4_shr(mask, 1), wasm_i32x4_shr(x, 31));
  return wasm_i32x4_sub(quotient, wasm_i32x4_gt(remainder, threshold));
}

// MultiplyByQuantizedMultiplier lane by lane: x * multiplier * 2^(shift - 31)
// with TFLite's double rounding. `shift` lanes in [-31, 31] (positive = left;
// the left shift wraps like the scalar ShiftLeftWrapping).
inline v128_t MultiplyByQuantizedMultiplierX4(v128_t x, v128_t multiplier, v128_t shift) {
  const v128_t zero = wasm_i32x4_splat(0);
  const v128_t left = wasm_i32x4_max(shift, zero);
  const v128_t right = wasm_i32x4_max(wasm_i32x4_neg(shift), zero);
  const v128_t shifted = ShiftLeftPerLaneX4(x, left);
  return RoundingDivideByPOTPerLaneX4(SaturatingRoundingDoublingHighMulX4(shifted, multiplier),
                                      right);
}

// The largest |accumulator| of a channel summing raw int8 inputs (|x| <= 128)
// times weights whose |values| add up to `weight_abs_sum`, plus `bias`: for
// ChannelRequantization::SetAccumulatorBound.
inline int64_t Int8AccumulatorBound(int64_t bias, int64_t weight_abs_sum) {
  return (bias < 0 ? -bias : bias) + 128 * weight_abs_sum;
}

// The short path's per-channel arrays (see ChannelRequantization).
struct ShortPathConstants {
  const int32_t* factor;
  const int32_t* multiplier;
  const int32_t* add;
  const int32_t* negative;
};

// The short path (see ChannelRequantization) on 4 lanes from channel
// `channel`: the scaled value plus the output offset, not clamped (no int32
// wrap-around, so saturating narrows and an int8 clamp finish it exactly).
// `shift` must be short_shift: callers that know it at compile time pass the
// constant, which engines shift by without moving it into a vector register
// first.
inline v128_t ScaleShortX4(v128_t acc, const ShortPathConstants& k, int channel, int shift) {
  const v128_t scaled = wasm_i32x4_mul(acc, wasm_v128_load(k.factor + channel));
  const v128_t high = HighWordsOfProductsX4(scaled, wasm_v128_load(k.multiplier + channel));
  const v128_t negative =
      wasm_v128_and(wasm_i32x4_shr(acc, 31), wasm_v128_load(k.negative + channel));
  const v128_t sum =
      wasm_i32x4_sub(wasm_i32x4_add(high, wasm_v128_load(k.add + channel)), negative);
  return wasm_i32x4_shr(sum, shift);
}

// How the float path (below) rounds and clamps a layer's values.
enum class FloatForm {
  kSigned,  // z = y + 2^-(r+1) with y's sign; clamped to [act_min, act_max]
  // Output zero point <= act_min (a fused ReLU or ReLU6): every x < 0 gives
  // act_min (its q <= 0), so z = max(y, 0) + 2^-(r+1), one operation fewer.
  kNonNegative,
  // kNonNegative with zero point = act_min and act_max = 127: n >= 0 and the
  // narrowing saturation are the clamps.
  kSaturating,
};

// Calls fn(std::integral_constant<FloatForm, form>{}).
template <typename Fn>
void WithFloatForm(FloatForm form, Fn&& fn) {
  switch (form) {
    case FloatForm::kSigned: return fn(std::integral_constant<FloatForm, FloatForm::kSigned>{});
    case FloatForm::kNonNegative:
      return fn(std::integral_constant<FloatForm, FloatForm::kNonNegative>{});
    case FloatForm::kSaturating:
      return fn(std::integral_constant<FloatForm, FloatForm::kSaturating>{});
  }
}

// Per-output-channel requantization to int8/uint8/int16 values, prepared once:
// int32 accumulator (bias included) -> MultiplyByQuantizedMultiplier -> +
// output zero point -> clamp to the fused activation's range. Per-channel
// arrays hold channels + kWrapLanes entries, entry i for channel
// i % channels, so 4 (or 16) lanes may start at any channel: a flat tile of
// [pixel][channel] accumulators whose channel count is not a multiple of 16
// (12, 8, 10 ...) is requantized 16 values at a time, lanes wrapping into the
// next pixel's channels.
// The zero-point add differs between TFLite kernels when the scaled value is
// near INT32_MAX (only hostile multipliers get there): conv/depthwise add in
// int32 and wrap (OffsetMode::kWrap), fully-connected adds in int64 before
// clamping (OffsetMode::kExact).
//
// The short path (SetAccumulatorBound), for the usual multipliers: every
// right shift r in [1, 19], no left shift, multipliers in [0, 2^31). TFLite's
// two roundings of an accumulator x are
//   h = floor((x * m + 2^30) / 2^31)               (SRDHM)
//   q = floor((h + 2^(r-1) - [h < 0]) / 2^r)       (RoundingDivideByPOT)
// where [h < 0] may be replaced by [x < 0]: they differ only where h = 0, and
// there floor((2^(r-1) - 1) / 2^r) = 0 as well (m >= 0: h has x's sign or is
// 0). Nested floors merge, floor((floor(a / b) + c) / d) = floor((a + c*b) /
// (b*d)) for integer c, so q = floor((x*m + 2^30 + 2^(30+r) - [x<0] 2^31) /
// 2^(31+r)). Scaling by 2^s, s = T + 1 - r for one T > max r (so s >= 2),
// gives every channel the divisor 2^(32+T) and makes every added term a
// multiple of 2^32:
//   q = (hi32(x*2^s * m) + 2^(T-1) + 2^(s-2) - [x < 0] * 2^(s-1)) >> T
// with hi32 the high word of the 64-bit product: one multiply, one 64-bit
// multiply, adds and one shift for all lanes. Exact while x*2^s fits int32:
// |x| < 2^(31-s) = 2^(30 - T + r), for every channel. A larger T only lowers
// that bound, and the tile requantizer has copies with T fixed at compile
// time (kFixedShortShifts), so a layer takes the smallest of those above max
// r that its bound allows, else T = max r + 1. Adding
// zero_point * 2^T before the shift adds the output offset; nothing wraps, so
// both offset modes agree.
//
// The float path (SetAccumulatorBound; RequantizeToInt8 only) rounds in
// float32 and proves each result; bounds under 2^24 keep x exact as a float.
// In the terms above, q = floor(z + 1/2) with z = v + 2^-(r+1) for x >= 0 and
// z = v - 2^-(r+1) for x < 0, v = x * m / 2^(31+r). The float path computes
// y = x * S, S = m / 2^(31+r) rounded to float, and z' = y + 2^-(r+1) with
// y's sign: three relative roundings of 2^-24, under 2^-12 while |v| < 2^10.
// Adding 1.5 * 2^23 (+ zero point) rounds z' to an integer n in the float's
// low bits, and e = n - z' is exact. Where |e| <= 1/2 - 2^-11, z is more than
// 2^-12 from n +- 1/2, so q = n (the margin also covers a native compiler
// fusing a multiply and add); a group of 16 with any other lane (about 1.6%
// of groups) is requantized exactly. Where |v| >= 2^10, n and q are both
// beyond +-1000 and, with |zero point| <= 512, clamp to the same end. Per 4
// values: 9 to 11 operations (see FloatForm) against the short path's 14.
struct ChannelRequantization {
  enum class OffsetMode { kWrap, kExact };
  static constexpr int kWrapLanes = 16;
  int channels = 0;
  std::vector<int32_t> multiplier;    // Q0.31 per channel
  std::vector<int32_t> left_shift;    // max(shift, 0)
  std::vector<int32_t> right_shift;   // max(-shift, 0)
  std::vector<int32_t> right_mask;    // 2^right_shift - 1
  std::vector<int32_t> right_factor;  // 2^(32 - right_shift) when right_shift >= 2
  // The short path's per-channel constants (see above), r = right_shift:
  std::vector<int32_t> short_factor;    // 2^s, s = short_shift + 1 - r
  std::vector<int32_t> short_add;       // 2^(T-1) + 2^(s-2) + output_zero_point * 2^T
  std::vector<int32_t> short_negative;  // 2^(s-1), taken off for negative x
  int short_shift = 0;                  // T (0: no short path)
  int short_max_right_shift = 0;        // max r when the shifts allow the short path, else 0
  // The float path's per-channel constants (see above):
  std::vector<float> float_scale;     // m * 2^-(31 + r), rounded to float
  std::vector<float> float_nudge;     // 2^-(r+1), given y's sign before rounding
  float float_offset = 0;             // 1.5 * 2^23 + output_zero_point
  int32_t float_limit_bits = 0;       // the largest |e| taken as proof, bits << 1
  int left_bits = 0, right_bits = 0;  // OR of all left / right shifts
  bool may_saturate = false;          // some multiplier is INT32_MIN
  bool nonnegative_multipliers = true;
  bool right_by_multiply = false;             // every right shift in [2, 31] (the usual case)
  bool short_path = false;                    // see SetAccumulatorBound
  bool float_path = false;                    // see SetAccumulatorBound
  FloatForm float_form = FloatForm::kSigned;  // see FloatForm
  int32_t output_offset = 0, act_min = 0, act_max = 0;
  // kExact clamps before adding the offset: [act_min - offset, act_max - offset].
  int32_t clamp_min = 0, clamp_max = 0;
  OffsetMode mode = OffsetMode::kWrap;
  // Arithmetic::kXnnpack (UseXnnpackScales): XNNPACK's float requantization,
  // core/quant_math.h's XnnpackRequantize, replaces every path above.
  bool xnnpack = false;
  std::vector<float> xnnpack_scale;  // per channel, wrapping like the arrays above

  // `multipliers`/`shifts` as computed by core/quant_math.h (one per channel);
  // activation_min/max inside the int16 range.
  void Init(const std::vector<int32_t>& multipliers, const std::vector<int32_t>& shifts,
            int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
            OffsetMode offset_mode = OffsetMode::kWrap) {
    channels = static_cast<int>(multipliers.size());
    const size_t entries = channels + kWrapLanes;
    multiplier.assign(entries, 0);
    left_shift.assign(entries, 0);
    right_shift.assign(entries, 0);
    right_mask.assign(entries, 0);
    right_factor.assign(entries, 1 << 30);
    short_factor.assign(entries, 0);
    short_add.assign(entries, 0);
    short_negative.assign(entries, 0);
    float_scale.assign(entries, 0.0f);
    float_nudge.assign(entries, 0.0f);
    left_bits = right_bits = 0;
    may_saturate = false;
    right_by_multiply = channels > 0;
    short_path = false;
    float_path = false;
    nonnegative_multipliers = true;
    for (size_t i = 0; channels > 0 && i < entries; ++i) {
      const size_t c = i % channels;
      const int32_t shift = shifts[c];
      multiplier[i] = multipliers[c];
      left_shift[i] = shift > 0 ? shift : 0;
      right_shift[i] = shift > 0 ? 0 : -shift;
      left_bits |= left_shift[i];
      right_bits |= right_shift[i];
      right_mask[i] = static_cast<int32_t>((int64_t{1} << right_shift[i]) - 1);
      may_saturate |= multipliers[c] == INT32_MIN;
      nonnegative_multipliers &= multipliers[c] >= 0;
      right_by_multiply &= right_shift[i] >= 2;
      if (right_shift[i] >= 2) right_factor[i] = int32_t{1} << (32 - right_shift[i]);
    }
    output_offset = output_zero_point;
    xnnpack = false;
    InitShortPath();
    act_min = activation_min;
    act_max = activation_max;
    clamp_min = activation_min - output_zero_point;
    clamp_max = activation_max - output_zero_point;
    mode = offset_mode;
  }

  static constexpr int kShortMaxShift = 19;
  // Final shifts T with a tile requantizer of their own (see above).
  static constexpr int kFixedShortShifts[] = {12, 16, 20};

  // The caller guarantees |accumulator| <= bound for every value it will
  // requantize; takes the short and float paths when that and the
  // multipliers allow them.
  void SetAccumulatorBound(int64_t bound);

  // Switches to XNNPACK's requantization with one float scale per channel
  // (core/quant_math.h's XnnpackChannelScales); call after Init.
  void UseXnnpackScales(const std::vector<float>& scales);

  // Requantizes the accumulators of channels [channel, channel + 4); returns
  // the clamped outputs as int32 lanes.
  v128_t Apply(v128_t acc, int channel) const {
    if (xnnpack) return ApplyXnnpack(acc, channel);
    if (short_path) return ApplyShort(acc, channel);
    const v128_t shifted =
        left_bits == 0 ? acc
                       : ShiftLeftPerLaneX4(acc, wasm_v128_load(&left_shift[channel]), left_bits);
    const v128_t m = wasm_v128_load(&multiplier[channel]);
    const v128_t high = may_saturate ? SaturatingRoundingDoublingHighMulX4(shifted, m)
                                     : RoundingDoublingHighMulX4(shifted, m);
    const v128_t mask = wasm_v128_load(&right_mask[channel]);
    const v128_t scaled =
        right_by_multiply
            ? RoundingDivideByPOTByMultiplyX4(high, wasm_v128_load(&right_factor[channel]), mask)
            : RoundingDivideByPOTPerLaneX4(high, wasm_v128_load(&right_shift[channel]), mask,
                                           right_bits);
    const v128_t offset = wasm_i32x4_splat(output_offset);
    if (mode == OffsetMode::kExact) {
      const v128_t clamped = wasm_i32x4_min(wasm_i32x4_max(scaled, wasm_i32x4_splat(clamp_min)),
                                            wasm_i32x4_splat(clamp_max));
      return wasm_i32x4_add(clamped, offset);
    }
    return wasm_i32x4_min(wasm_i32x4_max(wasm_i32x4_add(scaled, offset), wasm_i32x4_splat(act_min)),
                          wasm_i32x4_splat(act_max));
  }

  // XnnpackRequantize on 4 lanes: float product, clamp, then the rounding
  // add of 1.5 * 2^23 (ties to even) and the zero point in the low bits.
  v128_t ApplyXnnpack(v128_t acc, int channel) const {
    const v128_t y =
        wasm_f32x4_mul(wasm_f32x4_convert_i32x4(acc), wasm_v128_load(&xnnpack_scale[channel]));
    const v128_t clamped =
        wasm_f32x4_pmin(wasm_f32x4_pmax(y, wasm_f32x4_splat(static_cast<float>(clamp_min))),
                        wasm_f32x4_splat(static_cast<float>(clamp_max)));
    const v128_t rounded = wasm_f32x4_add(clamped, wasm_f32x4_splat(12582912.0f));
    return wasm_i32x4_sub(rounded, wasm_i32x4_splat(0x4B400000 - output_offset));
  }

  // Apply's short path (see the top of the struct); only with short_path.
  v128_t ApplyShort(v128_t acc, int channel) const {
    return wasm_i32x4_min(wasm_i32x4_max(ScaleShortX4(acc, short_constants(), channel, short_shift),
                                         wasm_i32x4_splat(act_min)),
                          wasm_i32x4_splat(act_max));
  }

  ShortPathConstants short_constants() const {
    return {short_factor.data(), multiplier.data(), short_add.data(), short_negative.data()};
  }

  // int8 outputs of `count` accumulators laid out [pixel][channel] from
  // channel 0 (a tile of whole pixels), 16 at a time.
  void RequantizeToInt8(const int32_t* acc, int64_t count, int8_t* out) const;

  // 16 int8 outputs of acc[0..15] (channels from `channel`, wrapping) by the
  // exact paths: what the float path does with a group it did not prove.
  v128_t RequantizeGroupOf16Exact(const int32_t* acc, int channel) const;

 private:
  // Whether the merged-floor form of q above holds for every channel (both
  // the short and the float path rest on it): no left shift, multipliers in
  // [0, 2^31), every right shift at least 1.
  bool MergedFloorHolds() const;
  // Whether the multipliers and shifts allow the short path.
  void InitShortPath();
  // Whether final shift `t` is exact for accumulators up to `bound`.
  bool ShortShiftFits(int t, int64_t bound) const;
  // Sets float_path and its constants for accumulators up to `bound`.
  void InitFloatPath(int64_t bound);
};

// Four vectors of int32 lanes -> 16 int8. Saturating narrows keep every value
// inside [-128, 127] as it is and move the others to the nearer end, so
// clamping after them to a range inside int8 is exact.
inline v128_t NarrowToInt8(v128_t q0, v128_t q1, v128_t q2, v128_t q3) {
  return wasm_i8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(q0, q1), wasm_i16x8_narrow_i32x4(q2, q3));
}

// The rounding step of the float paths (here and kernels_wasm/add_float_path.h):
// adding `offset` = 1.5 * 2^23 + zero point to z (|z + zero point| < 2^22)
// leaves n = z rounded to nearest in the float's low bits, and e = n - z is
// exact. Returns n + zero point and folds |e| into *worst as its bits shifted
// past the sign: ordered like |e|, and as |e| <= 1/2 they stay positive int32
// (signed compares are native).
inline v128_t RoundTrackingError(v128_t z, v128_t offset, v128_t* worst) {
  const v128_t rounded = wasm_f32x4_add(z, offset);
  const v128_t e = wasm_f32x4_sub(wasm_f32x4_sub(rounded, offset), z);
  *worst = wasm_i32x4_max(*worst, wasm_i32x4_shl(e, 1));
  // A float in [2^23, 2^24) is the bits of 1.5 * 2^23 plus its value minus
  // 1.5 * 2^23.
  return wasm_i32x4_sub(rounded, wasm_i32x4_splat(0x4B400000));
}

// The largest |e| a float path takes as proof, `limit` rounded down to a
// float, in the form RoundTrackingError's *worst compares with.
int32_t FloatLimitBits(double limit);

// The float path (see ChannelRequantization) on 16 accumulators, with its
// constants copied out of `rq`: kernels storing int8 results would otherwise
// reload them after every store (which may alias them).
class FloatRequantizer {
 public:
  explicit FloatRequantizer(const ChannelRequantization& rq)
      : scale_(rq.float_scale.data()),
        nudge_(rq.float_nudge.data()),
        offset_(wasm_f32x4_splat(rq.float_offset)),
        limit_(wasm_i32x4_splat(rq.float_limit_bits)),
        low_(wasm_i8x16_splat(static_cast<int8_t>(rq.act_min))),
        high_(wasm_i8x16_splat(static_cast<int8_t>(rq.act_max))) {}

  // The int8 results of acc (channels from `channel`, wrapping) into *bytes
  // when every lane is proven; else false. kForm: rq.float_form.
  template <FloatForm kForm>
  bool TryRequantizeGroupOf16(const v128_t (&acc)[4], int channel, v128_t* bytes) const {
    v128_t q[4];
    v128_t worst = wasm_i32x4_splat(0);
    for (int j = 0; j < 4; ++j) {
      const v128_t y = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(acc[j]),
                                      wasm_v128_load(scale_ + channel + 4 * j));
      // z = y + 2^-(r+1) with y's sign (kSigned), or max(y, 0) + 2^-(r+1),
      // the max as an int32 max of the bits (negative floats, -0 too, are
      // negative int32).
      const v128_t nudge = wasm_v128_load(nudge_ + channel + 4 * j);
      const v128_t z =
          kForm != FloatForm::kSigned
              ? wasm_f32x4_add(wasm_i32x4_max(y, wasm_i32x4_splat(0)), nudge)
              : wasm_f32x4_add(y,
                               wasm_v128_or(wasm_v128_and(y, wasm_i32x4_splat(INT32_MIN)), nudge));
      q[j] = RoundTrackingError(z, offset_, &worst);  // n + zero point
    }
    if (wasm_v128_any_true(wasm_i32x4_gt(worst, limit_))) return false;
    *bytes = NarrowToInt8(q[0], q[1], q[2], q[3]);
    if (kForm != FloatForm::kSaturating) {
      *bytes = wasm_i8x16_min(wasm_i8x16_max(*bytes, low_), high_);
    }
    return true;
  }

 private:
  const float* scale_;
  const float* nudge_;
  v128_t offset_, limit_, low_, high_;
};

}  // namespace simd
}  // namespace qlite
