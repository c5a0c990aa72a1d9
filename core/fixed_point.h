// Scalar int32 fixed-point arithmetic with the exact rounding of gemmlowp's
// FixedPoint, which TFLite's integer SOFTMAX / LOGISTIC / TANH are built on.
//
// A value in "Q(m)" has m integer bits (sign excluded) and 31 - m fractional
// bits: real = raw / 2^(31 - m). Functions take and return raw int32 values;
// the Q format is stated in each name or comment. Additions wrap instead of
// overflowing (gemmlowp leaves overflow undefined; for every input TFLite can
// produce the results are identical).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/quant_math.h"

namespace qlite::fixed_point {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

inline int32_t WrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t WrappingSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// Product of Q(a) and Q(b) giving Q(a + b): one rounding doubling high mul.
inline int32_t Mul(int32_t a, int32_t b) { return SaturatingRoundingDoublingHighMul(a, b); }

// 1.0 in Q(m): the largest raw value for m = 0 (1.0 itself is not representable).
template <int kIntegerBits>
constexpr int32_t One() {
  static_assert(kIntegerBits >= 0 && kIntegerBits < 31, "bad integer bits");
  return kIntegerBits == 0 ? kInt32Max : (int32_t{1} << (31 - kIntegerBits));
}

// 2^kExponent in Q(m); must be exactly representable.
template <int kIntegerBits, int kExponent>
constexpr int32_t ConstantPOT() {
  constexpr int kOffset = 31 - kIntegerBits + kExponent;
  static_assert(kOffset >= 0 && kOffset < 31, "constant not representable");
  return int32_t{1} << kOffset;
}

// x * 2^kExponent keeping the Q format: saturating for kExponent > 0,
// round-half-away-from-zero for kExponent < 0.
template <int kExponent>
inline int32_t SaturatingRoundingMultiplyByPOT(int32_t x) {
  static_assert(kExponent > -32 && kExponent < 31, "exponent out of range");
  if constexpr (kExponent == 0) {
    return x;
  } else if constexpr (kExponent < 0) {
    return RoundingDivideByPOT(x, -kExponent);
  } else {
    constexpr int32_t kThreshold = (int32_t{1} << (31 - kExponent)) - 1;
    if (x > kThreshold) return kInt32Max;
    if (x < -kThreshold) return kInt32Min;
    return ShiftLeftWrapping(x, kExponent);  // in range: no wrap happens
  }
}

// Converts a raw value from Q(src) to Q(dst).
template <int kSrcIntegerBits, int kDstIntegerBits>
inline int32_t Rescale(int32_t x) {
  return SaturatingRoundingMultiplyByPOT<kSrcIntegerBits - kDstIntegerBits>(x);
}

// (a + b) / 2 rounded half away from zero, without intermediate overflow.
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// exp(a) for a in [-1/4, 0); Q0 in, Q0 out. A 4th-order Taylor expansion
// around -1/8.
inline int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  constexpr int32_t kExpMinusOneEighth = 1895147668;       // exp(-1/8) in Q0
  constexpr int32_t kOneThird = 715827883;                 // 1/3 in Q0
  const int32_t x = WrappingAdd(a, ConstantPOT<0, -3>());  // x = a + 1/8
  const int32_t x2 = Mul(x, x);
  const int32_t x3 = Mul(x2, x);
  const int32_t x4 = Mul(x2, x2);
  const int32_t x4_over_4 = SaturatingRoundingMultiplyByPOT<-2>(x4);
  // x^4/24 + x^3/6 + x^2/2
  const int32_t higher_terms = SaturatingRoundingMultiplyByPOT<-1>(
      WrappingAdd(Mul(WrappingAdd(x4_over_4, x3), kOneThird), x2));
  return WrappingAdd(kExpMinusOneEighth, Mul(kExpMinusOneEighth, WrappingAdd(x, higher_terms)));
}

// exp(a) for a <= 0; a in Q(kIntegerBits), result in Q0. The input is split
// into a part in [-1/4, 0) (Taylor series) and multiples of 2^k, 1/4 <= 2^k
// <= 16, whose exponentials are applied as constant factors.
template <int kIntegerBits>
inline int32_t ExpOnNegativeValues(int32_t a) {
  static_assert(kIntegerBits >= 0 && kIntegerBits < 31, "bad integer bits");
  constexpr int kFractionalBits = 31 - kIntegerBits;
  constexpr int32_t kOneQuarter = ConstantPOT<kIntegerBits, -2>();
  constexpr int32_t kMask = kOneQuarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = WrappingSub(a & kMask, kOneQuarter);
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      Rescale<kIntegerBits, 0>(a_mod_quarter_minus_one_quarter));
  const int32_t remainder = WrappingSub(a_mod_quarter_minus_one_quarter, a);

  // exp(-2^k) in Q0 for k = -2..4.
  constexpr int32_t kExpOfMinusPowersOfTwo[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                 39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (kIntegerBits > k) {
      const int bit = kFractionalBits + k;  // <= 30 because k < kIntegerBits
      if (remainder & (int32_t{1} << bit)) result = Mul(result, kExpOfMinusPowersOfTwo[k + 2]);
    }
  }

  // Inputs below -32 would need more factors than the table has; exp is 0 there.
  if constexpr (kIntegerBits > 5) {
    constexpr int32_t kMinusThirtyTwo = -(int32_t{1} << (36 - kIntegerBits));
    if (a < kMinusThirtyTwo) result = 0;
  }
  if (a == 0) result = One<0>();
  return result;
}

namespace internal {
// Newton-Raphson for 1 / half_denominator, half_denominator in [1/2, 1) (Q0);
// the result is in Q2. The 48/17 - 32/17 * d start is the minimax linear fit.
inline int32_t NewtonReciprocalQ2(int32_t half_denominator) {
  constexpr int32_t kFortyEightOverSeventeen = 1515870810;       // 48/17 in Q2
  constexpr int32_t kMinusThirtyTwoOverSeventeen = -1010580540;  // -32/17 in Q2
  int32_t x =
      WrappingAdd(kFortyEightOverSeventeen, Mul(half_denominator, kMinusThirtyTwoOverSeventeen));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = Mul(half_denominator, x);  // Q2
    const int32_t one_minus_half_denominator_times_x =
        WrappingSub(One<2>(), half_denominator_times_x);  // Q2
    x = WrappingAdd(x, Rescale<4, 2>(Mul(x, one_minus_half_denominator_times_x)));
  }
  return x;
}
}  // namespace internal

// 1 / (1 + a) for a in [0, 1); Q0 in, Q0 out.
inline int32_t OneOverOnePlusXForXIn01(int32_t a) {
  const int32_t x = internal::NewtonReciprocalQ2(RoundingHalfSum(a, One<0>()));
  // x approximates 2 / (1 + a) in Q2, i.e. 1 / (1 + a) in Q1.
  return Rescale<1, 0>(x);
}

// (1 - a) / (1 + a) for a in [0, 1); Q0 in, Q0 out (used by TANH).
inline int32_t OneMinusXOverOnePlusXForXIn01(int32_t a) {
  const int32_t x = internal::NewtonReciprocalQ2(RoundingHalfSum(a, One<0>()));
  return Rescale<2, 0>(WrappingSub(x, One<2>()));
}

// Leading zero bits of x (32 for 0).
inline int CountLeadingZeros(uint32_t x) {
  int n = 0;
  for (uint32_t bit = uint32_t{1} << 31; bit != 0 && (x & bit) == 0; bit >>= 1) ++n;
  return n;
}

// TFLite's GetReciprocal: for x > 0 in Q(x_integer_digits), returns a Q0
// value r and *num_bits_over_unit = n such that 1/x ~= r * 2^-n.
inline int32_t GetReciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  // x normalised into [1, 2), minus 1, in Q0 (64-bit shift: defined for x == 0).
  const uint32_t normalized =
      static_cast<uint32_t>(static_cast<uint64_t>(static_cast<uint32_t>(x)) << headroom_plus_one);
  const int32_t shifted_minus_one = static_cast<int32_t>(normalized - (uint32_t{1} << 31));
  return OneOverOnePlusXForXIn01(shifted_minus_one);
}

// x * 2^exponent for a run-time exponent in [0, 31], saturating.
inline int32_t SaturatingMultiplyByPOT(int32_t x, int exponent) {
  if (exponent == 0) return x;
  const int64_t threshold = (int64_t{1} << (31 - exponent)) - 1;
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return ShiftLeftWrapping(x, exponent);
}

inline int32_t SaturatingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(std::clamp<int64_t>(int64_t{a} + b, kInt32Min, kInt32Max));
}

// TFLite's log_x_for_x_greater_than_or_equal_to_1: log(x) for x >= 1 (x in
// Q(kInputIntegerBits), result in Q(kOutputIntegerBits)). x is normalised to
// r * 2^z with r near 1 in two ways (directly and times sqrt(1/2)), the one
// with the smaller r is kept, and log(r) comes from a rational approximation
// around sqrt(sqrt(1/2)); the sum is accumulated with one bit of headroom.
template <int kOutputIntegerBits, int kInputIntegerBits>
inline int32_t LogForXAtLeastOne(int32_t x) {
  constexpr int kAccumIntegerBits = kOutputIntegerBits + 1;
  constexpr int32_t kLog2 = 1488522236;          // log(2) in Q0
  constexpr int32_t kSqrtSqrtHalf = 1805811301;  // (1/2)^(1/4)
  constexpr int32_t kSqrtHalf = 1518500250;      // (1/2)^(1/2)
  constexpr int32_t kAlphaN = 117049297;         // 11/240 * 2^(1/4)
  constexpr int32_t kAlphaD = 127690142;         // 1/20 * 2^(1/4)
  constexpr int32_t kAlphaI = 1057819769;        // 2 / 2^(1/4) - 2^(1/4)
  constexpr int32_t kAlphaF = 638450708;         // 1/4 * 2^(1/4)
  const int32_t shifted_quarter = Rescale<0, kAccumIntegerBits>(ConstantPOT<0, -2>());

  const int z_a_headroom_plus_1 = CountLeadingZeros(static_cast<uint32_t>(x));
  const int32_t r_a_tmp = SaturatingMultiplyByPOT(x, z_a_headroom_plus_1 - 1);
  const int32_t r_a = SaturatingMultiplyByPOT(Mul(r_a_tmp, kSqrtHalf), 1);
  const int32_t z_a_pow_2_adj = SaturatingAdd(
      SaturatingMultiplyByPOT(kInputIntegerBits - z_a_headroom_plus_1, 31 - kAccumIntegerBits),
      shifted_quarter);

  const int32_t z_b = Mul(x, kSqrtHalf);
  const int z_b_headroom = CountLeadingZeros(static_cast<uint32_t>(z_b)) - 1;
  const int32_t r_b = SaturatingMultiplyByPOT(x, z_b_headroom);
  const int32_t z_b_pow_2_adj = SaturatingAdd(
      SaturatingMultiplyByPOT(kInputIntegerBits - z_b_headroom, 31 - kAccumIntegerBits),
      -shifted_quarter);

  const int32_t r = std::min(r_a, r_b);
  const int32_t z_pow_2_adj = std::max(z_a_pow_2_adj, z_b_pow_2_adj);
  const int32_t p = RoundingHalfSum(r, kSqrtSqrtHalf);
  int32_t q = WrappingSub(r, kSqrtSqrtHalf);
  q = WrappingAdd(q, q);
  const int32_t common_sq = Mul(q, q);
  const int32_t num = WrappingAdd(Mul(q, r), Mul(Mul(q, common_sq), kAlphaN));
  const int32_t denom_minus_one = WrappingAdd(
      Mul(p, WrappingAdd(WrappingAdd(kAlphaI, q), Mul(kAlphaD, common_sq))), Mul(kAlphaF, q));
  const int32_t recip_denom = OneOverOnePlusXForXIn01(denom_minus_one);
  const int32_t num_scaled = Rescale<0, kAccumIntegerBits>(num);
  return Rescale<kAccumIntegerBits, kOutputIntegerBits>(
      WrappingAdd(Mul(z_pow_2_adj, kLog2), Mul(num_scaled, recip_denom)));
}

// ---- int16 raw values: gemmlowp's FixedPoint<int16_t, m> scalar primitives. ----
// Used by TFLite's int16 LOGISTIC / TANH and the 8-bit HARD_SWISH. A Q(m)
// int16 value has 15 - m fractional bits. Where gemmlowp adds in int16 and
// lets the sum wrap, Wrap16 spells that out.
namespace int16 {

inline int16_t Wrap16(int32_t x) { return static_cast<int16_t>(static_cast<uint16_t>(x)); }

inline int16_t Saturate16(int32_t x) {
  return static_cast<int16_t>(x < -32768 ? -32768 : (x > 32767 ? 32767 : x));
}

// round(a * b / 2^15), saturating -1 * -1 to the int16 maximum (VQRDMULH).
inline int16_t SaturatingRoundingDoublingHighMul(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) {
    return std::numeric_limits<int16_t>::max();
  }
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

// gemmlowp's RoundingDivideByPOT on int16, exponent in [0, 31]. For exponents
// of 16 and more gemmlowp's mask is truncated to 16 bits (all ones); the
// result is reproduced as it computes it, not as the ideal division.
inline int16_t RoundingDivideByPOT(int16_t x, int exponent) {
  const int32_t mask = static_cast<int16_t>(static_cast<uint16_t>((int64_t{1} << exponent) - 1));
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  const int32_t shifted = exponent >= 16 ? (x < 0 ? -1 : 0) : (x >> exponent);
  return Wrap16(shifted + (remainder > threshold ? 1 : 0));
}

// x * 2^kExponent keeping the Q format: saturating for kExponent > 0,
// rounding half away from zero for kExponent < 0.
template <int kExponent>
inline int16_t SaturatingRoundingMultiplyByPOT(int16_t x) {
  static_assert(kExponent > -16 && kExponent < 15, "exponent out of range");
  if constexpr (kExponent == 0) {
    return x;
  } else if constexpr (kExponent < 0) {
    return RoundingDivideByPOT(x, -kExponent);
  } else {
    constexpr int32_t kThreshold = (1 << (15 - kExponent)) - 1;
    if (x > kThreshold) return std::numeric_limits<int16_t>::max();
    if (x < -kThreshold) return std::numeric_limits<int16_t>::min();
    return static_cast<int16_t>(x * (1 << kExponent));  // in range: exact
  }
}

// A gemmlowp constant given as a Q(m) int32 raw value, as the int16 Q(m) raw
// value gemmlowp derives from it (rounding division by 2^16).
constexpr int16_t ConstantFromInt32(int32_t raw32) {
  const int32_t remainder = raw32 & 0xFFFF;
  const int32_t threshold = 0x7FFF + (raw32 < 0 ? 1 : 0);
  return static_cast<int16_t>((raw32 >> 16) + (remainder > threshold ? 1 : 0));
}

// ---- gemmlowp's int16 fixed-point logistic / tanh ----
// The same algorithm as the int32 one above (exp by a Taylor series on
// [-1/4, 0) and a barrel of exp(-2^k) factors; 1 / (1 + x) by Newton-Raphson),
// evaluated on int16 raw values with gemmlowp's int16 rounding and wrapping.
// Used by TFLite's int16 LOGISTIC / TANH and its integer LSTM.

constexpr int16_t kOneQ0 = std::numeric_limits<int16_t>::max();  // 1.0 is not representable
constexpr int16_t kOneQ2 = 1 << 13;

inline int16_t RoundingHalfSum(int16_t a, int16_t b) {
  const int32_t sum = static_cast<int32_t>(a) + static_cast<int32_t>(b);
  return static_cast<int16_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// exp(a) for a in [-1/4, 0); Q0 in and out. Taylor expansion around -1/8.
inline int16_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int16_t a) {
  constexpr int16_t kExpMinusOneEighth = ConstantFromInt32(1895147668);
  constexpr int16_t kOneThird = ConstantFromInt32(715827883);
  const int16_t x = Wrap16(a + (1 << 12));  // a + 1/8
  const int16_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int16_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int16_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int16_t x4_over_4 = SaturatingRoundingMultiplyByPOT<-2>(x4);
  const int16_t higher_terms = SaturatingRoundingMultiplyByPOT<-1>(
      Wrap16(SaturatingRoundingDoublingHighMul(Wrap16(x4_over_4 + x3), kOneThird) + x2));
  // gemmlowp saturates this last sum for 16-bit values.
  return Saturate16(kExpMinusOneEighth + SaturatingRoundingDoublingHighMul(
                                             kExpMinusOneEighth, Wrap16(x + higher_terms)));
}

// exp(a) for a <= 0; a in Q(kIntegerBits), result in Q0. gemmlowp's barrel
// has factors for exp(-2^k) up to k = 4; with more than 5 integer bits,
// inputs below -32 give 0.
template <int kIntegerBits>
int16_t ExpOnNegativeValues(int16_t a) {
  static_assert(kIntegerBits >= 1 && kIntegerBits <= 7, "integer bits out of range");
  constexpr int kFractionalBits = 15 - kIntegerBits;
  constexpr int32_t kOneQuarter = 1 << (kFractionalBits - 2);
  const int16_t a_mod_quarter_minus_one_quarter = Wrap16((a & (kOneQuarter - 1)) - kOneQuarter);
  int16_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      SaturatingRoundingMultiplyByPOT<kIntegerBits>(a_mod_quarter_minus_one_quarter));
  const int16_t remainder = Wrap16(a_mod_quarter_minus_one_quarter - a);
  // exp(-2^k) in Q0 (int32 raw values as gemmlowp states them), k = -2..4.
  constexpr int32_t kExpOfMinusPowersOfTwo[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                 39332535,   720401,     242};
  for (int k = -2; k < std::min(kIntegerBits, 5); ++k) {
    if (remainder & (1 << (kFractionalBits + k))) {
      result = SaturatingRoundingDoublingHighMul(result,
                                                 ConstantFromInt32(kExpOfMinusPowersOfTwo[k + 2]));
    }
  }
  if constexpr (kIntegerBits > 5) {
    constexpr int16_t kMinusThirtyTwo = ConstantFromInt32(-(int32_t{1} << (36 - kIntegerBits)));
    if (a < kMinusThirtyTwo) result = 0;
  }
  return a == 0 ? kOneQ0 : result;
}

// Newton-Raphson for 2 / (1 + a), a in [0, 1) (Q0); result in Q2.
inline int16_t TwoOverOnePlusXQ2(int16_t a) {
  constexpr int16_t kFortyEightOverSeventeen = ConstantFromInt32(1515870810);
  constexpr int16_t kMinusThirtyTwoOverSeventeen = ConstantFromInt32(-1010580540);
  const int16_t half_denominator = RoundingHalfSum(a, kOneQ0);
  int16_t x =
      Wrap16(kFortyEightOverSeventeen +
             SaturatingRoundingDoublingHighMul(half_denominator, kMinusThirtyTwoOverSeventeen));
  for (int i = 0; i < 3; ++i) {
    const int16_t one_minus_half_denominator_times_x =
        Wrap16(kOneQ2 - SaturatingRoundingDoublingHighMul(half_denominator, x));
    x = Wrap16(x + SaturatingRoundingMultiplyByPOT<2>(
                       SaturatingRoundingDoublingHighMul(x, one_minus_half_denominator_times_x)));
  }
  return x;
}

// Q3.12 in, Q0.15 out.
inline int16_t Logistic(int16_t a) {
  if (a == 0) return ConstantFromInt32(1 << 30);  // 0.5
  const bool positive = a > 0;
  const int16_t magnitude = positive ? a : Wrap16(-a);  // -(-8.0) wraps to -8.0, as in gemmlowp
  const int16_t exp_minus_magnitude = ExpOnNegativeValues<3>(Wrap16(-magnitude));
  // 1 / (1 + e) = (2 / (1 + e)) / 2: Q2 read as Q1, rescaled to Q0.
  const int16_t logistic_of_magnitude =
      SaturatingRoundingMultiplyByPOT<1>(TwoOverOnePlusXQ2(exp_minus_magnitude));
  return positive ? logistic_of_magnitude : Wrap16(kOneQ0 - logistic_of_magnitude);
}

// Q(kIntegerBits) in, Q0.15 out: tanh(|a|) = (1 - exp(-2|a|)) / (1 + exp(-2|a|)).
template <int kIntegerBits>
int16_t Tanh(int16_t a) {
  if (a == 0) return 0;
  const bool negative = a < 0;
  const int16_t minus_magnitude = negative ? a : Wrap16(-a);
  // -|a| in Q(k) read as Q(k + 1) is -2|a|.
  const int16_t e = ExpOnNegativeValues<kIntegerBits + 1>(minus_magnitude);
  const int16_t tanh_of_magnitude =
      SaturatingRoundingMultiplyByPOT<2>(Wrap16(TwoOverOnePlusXQ2(e) - kOneQ2));
  return negative ? Wrap16(-tanh_of_magnitude) : tanh_of_magnitude;
}

}  // namespace int16

}  // namespace qlite::fixed_point
