// kernels_wasm/requantize.h against the scalar core/quant_math.h, lane by lane,
// on random values and on every corner (INT32_MIN/MAX, saturation, all shifts).
#include "kernels_wasm/requantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "core/quant_math.h"

namespace qlite::simd {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

v128_t Load(const int32_t (&v)[4]) { return wasm_v128_load(v); }
void Store(v128_t v, int32_t (&out)[4]) { wasm_v128_store(out, v); }

std::vector<int32_t> InterestingValues(std::mt19937* rng) {
  std::vector<int32_t> values = {kMin, kMin + 1, -(1 << 30), -65536,  -32768,   -129,
                                 -128, -2,       -1,         0,       1,        2,
                                 127,  128,      32767,      1 << 30, kMax - 1, kMax};
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  std::uniform_int_distribution<int32_t> small(-100000, 100000);
  for (int i = 0; i < 40; ++i) values.push_back(any(*rng));
  for (int i = 0; i < 40; ++i) values.push_back(small(*rng));
  return values;
}

int32_t RandomIntBelow(int32_t n, std::mt19937* rng) {
  return std::uniform_int_distribution<int32_t>(0, n - 1)(*rng);
}

TEST(SimdRequantize, SaturatingRoundingDoublingHighMulMatchesScalar) {
  std::mt19937 rng(1);
  const std::vector<int32_t> values = InterestingValues(&rng);
  for (int32_t a : values) {
    for (size_t j = 0; j + 3 < values.size(); j += 4) {
      const int32_t as[4] = {a, a, a, a};
      const int32_t bs[4] = {values[j], values[j + 1], values[j + 2], values[j + 3]};
      int32_t out[4];
      Store(SaturatingRoundingDoublingHighMulX4(Load(as), Load(bs)), out);
      for (int l = 0; l < 4; ++l) {
        ASSERT_EQ(out[l], SaturatingRoundingDoublingHighMul(a, bs[l])) << a << " * " << bs[l];
      }
      Store(RoundingDoublingHighMulX4(Load(as), Load(bs)), out);
      for (int l = 0; l < 4; ++l) {
        if (a == kMin && bs[l] == kMin) continue;  // the one case it does not cover
        ASSERT_EQ(out[l], SaturatingRoundingDoublingHighMul(a, bs[l])) << a << " * " << bs[l];
      }
    }
  }
  const int32_t corner[4] = {kMin, kMin, kMin, kMin};
  int32_t out[4];
  Store(SaturatingRoundingDoublingHighMulX4(Load(corner), Load(corner)), out);
  for (int32_t v : out) EXPECT_EQ(v, kMax);
}

TEST(SimdRequantize, RoundingDivideByPOTMatchesScalarForEveryExponent) {
  std::mt19937 rng(2);
  const std::vector<int32_t> values = InterestingValues(&rng);
  for (int e = 0; e <= 31; ++e) {
    for (size_t j = 0; j + 3 < values.size(); j += 4) {
      const int32_t xs[4] = {values[j], values[j + 1], values[j + 2], values[j + 3]};
      const int32_t es[4] = {e, (e + 7) % 32, (e + 13) % 32, 31 - e};
      int32_t uniform[4], per_lane[4], by_multiply[4];
      Store(RoundingDivideByPOTX4(Load(xs), e), uniform);
      Store(RoundingDivideByPOTPerLaneX4(Load(xs), Load(es)), per_lane);
      // The multiply form covers exponents 2..31.
      int32_t big_es[4], factors[4], masks[4];
      for (int l = 0; l < 4; ++l) {
        big_es[l] = std::max(2, es[l]);
        factors[l] = int32_t{1} << (32 - big_es[l]);
        masks[l] = static_cast<int32_t>((int64_t{1} << big_es[l]) - 1);
      }
      Store(RoundingDivideByPOTByMultiplyX4(Load(xs), Load(factors), Load(masks)), by_multiply);
      for (int l = 0; l < 4; ++l) {
        ASSERT_EQ(uniform[l], RoundingDivideByPOT(xs[l], e)) << xs[l] << " / 2^" << e;
        ASSERT_EQ(per_lane[l], RoundingDivideByPOT(xs[l], es[l])) << xs[l] << " / 2^" << es[l];
        ASSERT_EQ(by_multiply[l], RoundingDivideByPOT(xs[l], big_es[l]))
            << xs[l] << " / 2^" << big_es[l];
      }
    }
  }
}

TEST(SimdRequantize, MultiplyByQuantizedMultiplierMatchesScalar) {
  std::mt19937 rng(3);
  const std::vector<int32_t> values = InterestingValues(&rng);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  std::vector<int32_t> multipliers = {0, 1, 1 << 30, kMax, kMin};
  for (int i = 0; i < 12; ++i) multipliers.push_back(multiplier_dist(rng));
  for (int32_t m : multipliers) {
    for (int shift = -31; shift <= 31; ++shift) {
      for (size_t j = 0; j + 3 < values.size(); j += 4) {
        const int32_t xs[4] = {values[j], values[j + 1], values[j + 2], values[j + 3]};
        const int32_t ms[4] = {m, m, m, m};
        const int32_t shifts[4] = {shift, -shift, shift / 2, (shift + 40) % 63 - 31};
        int32_t out[4];
        Store(MultiplyByQuantizedMultiplierX4(Load(xs), Load(ms), Load(shifts)), out);
        for (int l = 0; l < 4; ++l) {
          ASSERT_EQ(out[l], MultiplyByQuantizedMultiplier(xs[l], m, shifts[l]))
              << xs[l] << " m=" << m << " shift=" << shifts[l];
        }
      }
    }
  }
}

// ChannelRequantization in both offset modes against the reference kernels'
// scalar epilogues (conv: wrapping int32 add; fully-connected: int64 add).
TEST(SimdRequantize, ChannelRequantizationMatchesKernelEpilogues) {
  std::mt19937 rng(4);
  const std::vector<int32_t> values = InterestingValues(&rng);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  std::uniform_int_distribution<int32_t> shift_dist(-31, 30);
  std::uniform_int_distribution<int32_t> zp_dist(-128, 127);
  for (int round = 0; round < 200; ++round) {
    const int channels = 1 + round % 9;
    std::vector<int32_t> multipliers(channels), shifts(channels);
    for (int c = 0; c < channels; ++c) {
      multipliers[c] = multiplier_dist(rng);
      // Every other round only right shifts >= 2 (the multiply path), and now
      // and then an INT32_MIN multiplier (the saturating path).
      shifts[c] = round % 2 == 0 ? shift_dist(rng) : -2 - RandomIntBelow(30, &rng);
      if (round % 7 == 3 && c == 0) multipliers[c] = kMin;
    }
    const int32_t zp = zp_dist(rng);
    const int32_t act_min = round % 3 == 0 ? -128 : std::max<int32_t>(-128, zp);
    const int32_t act_max = round % 5 == 0 ? std::min<int32_t>(127, zp + 50) : 127;
    for (auto mode :
         {ChannelRequantization::OffsetMode::kWrap, ChannelRequantization::OffsetMode::kExact}) {
      ChannelRequantization rq;
      rq.Init(multipliers, shifts, zp, act_min, act_max, mode);
      for (size_t j = 0; j < values.size(); ++j) {
        for (int c0 = 0; c0 < channels; c0 += 4) {
          int32_t acc[4], out[4];
          for (int l = 0; l < 4; ++l) acc[l] = values[(j + l) % values.size()];
          Store(rq.Apply(Load(acc), c0), out);
          for (int l = 0; l < 4 && c0 + l < channels; ++l) {
            const int32_t scaled =
                MultiplyByQuantizedMultiplier(acc[l], multipliers[c0 + l], shifts[c0 + l]);
            int32_t expected = 0;
            if (mode == ChannelRequantization::OffsetMode::kWrap) {
              const int32_t sum =
                  static_cast<int32_t>(static_cast<uint32_t>(scaled) + static_cast<uint32_t>(zp));
              expected = Clamp(sum, act_min, act_max);
            } else {
              expected = static_cast<int32_t>(
                  std::min<int64_t>(std::max<int64_t>(int64_t{scaled} + zp, act_min), act_max));
            }
            ASSERT_EQ(out[l], expected) << "acc " << acc[l] << " channel " << c0 + l;
          }
        }
      }
    }
  }
}

// 8-bit ADD's input rescale without 64-bit multiplies, for every t in
// [-256, 256] (an int8 minus its zero point) and multipliers at the edges and
// at random: equal to SaturatingRoundingDoublingHighMul(t << 20, m).
TEST(SimdRequantize, HighMulOfShiftedInt8MatchesScalar) {
  std::mt19937 rng(20);
  std::vector<int32_t> multipliers = {0,    1,           2047, 2048,  2049,       1 << 30,
                                      kMax, kMax - 2047, -1,   -2048, -(1 << 30), kMin + 1};
  std::uniform_int_distribution<int32_t> any(kMin + 1, kMax);
  for (int i = 0; i < 200; ++i) multipliers.push_back(any(rng));
  for (int32_t m : multipliers) {
    const v128_t high = wasm_i32x4_splat(MultiplierHigh(m));
    const v128_t low = wasm_i32x4_splat(MultiplierLow(m));
    for (int32_t t = -256; t <= 256; t += 4) {
      const int32_t in[4] = {t, t + 1, t + 2, std::min(t + 3, 256)};
      int32_t out[4];
      Store(RoundingDoublingHighMulShifted20X4(Load(in), high, low), out);
      for (int lane = 0; lane < 4; ++lane) {
        ASSERT_EQ(out[lane], SaturatingRoundingDoublingHighMul(in[lane] * (1 << 20), m))
            << "t " << in[lane] << " m " << m;
      }
    }
  }
}

// The conv/depthwise (kWrap) or fully-connected (kExact) scalar epilogue.
int32_t ScalarEpilogue(int32_t acc, int32_t multiplier, int32_t shift, int32_t zp, int32_t act_min,
                       int32_t act_max, ChannelRequantization::OffsetMode mode) {
  const int32_t scaled = MultiplyByQuantizedMultiplier(acc, multiplier, shift);
  if (mode == ChannelRequantization::OffsetMode::kWrap) {
    return Clamp(static_cast<int32_t>(static_cast<uint32_t>(scaled) + static_cast<uint32_t>(zp)),
                 act_min, act_max);
  }
  return static_cast<int32_t>(
      std::min<int64_t>(std::max<int64_t>(int64_t{scaled} + zp, act_min), act_max));
}

// Accumulators inside +-limit that land on and next to rounding ties of both
// of TFLite's roundings (x * m near (k + 1/2) * 2^31, and near
// (k + 1/2) * 2^(31 + r)), plus the extremes and random values.
std::vector<int32_t> ShortPathValues(int32_t multiplier, int right_shift, int32_t limit,
                                     std::mt19937* rng) {
  std::vector<int32_t> values = {0, 1, -1, 2, -2, limit, -limit, limit - 1, -limit + 1};
  std::uniform_int_distribution<int32_t> inside(-limit, limit);
  std::uniform_int_distribution<int32_t> small(-std::min(limit, 5000), std::min(limit, 5000));
  for (int i = 0; i < 60; ++i) values.push_back(inside(*rng));
  for (int i = 0; i < 60; ++i) values.push_back(small(*rng));
  for (int k = -300; k <= 300; ++k) {
    for (int64_t half_unit : {int64_t{1} << 30, int64_t{1} << (30 + right_shift)}) {
      const int64_t tie = (2 * k + 1) * half_unit;  // x * m == tie
      const int64_t x = tie / multiplier;
      for (int64_t d = -2; d <= 2; ++d) {
        if (x + d >= -limit && x + d <= limit) values.push_back(static_cast<int32_t>(x + d));
      }
    }
  }
  return values;
}

// Requantizes `values` as channel `channel` of `rq` (each value in all four
// lanes, and as that channel's entry of a tile of whole pixels) and compares
// with the scalar epilogue.
void ExpectShortPathMatches(const ChannelRequantization& rq, int channel,
                            const std::vector<int32_t>& values, int32_t m, int right_shift,
                            int32_t zp, int32_t act_min, int32_t act_max,
                            ChannelRequantization::OffsetMode mode) {
  const int channels = rq.channels;
  std::vector<int32_t> tile(values.size() * channels, 0);
  for (size_t j = 0; j < values.size(); ++j) tile[j * channels + channel] = values[j];
  std::vector<int8_t> out(tile.size());
  rq.RequantizeToInt8(tile.data(), static_cast<int64_t>(tile.size()), out.data());
  for (size_t j = 0; j < values.size(); ++j) {
    const int32_t expected = ScalarEpilogue(values[j], m, -right_shift, zp, act_min, act_max, mode);
    const int32_t acc[4] = {values[j], values[j], values[j], values[j]};
    int32_t lanes[4];
    Store(rq.Apply(Load(acc), channel), lanes);
    ASSERT_EQ(lanes[0], expected) << "acc " << values[j] << " m " << m << " r " << right_shift;
    ASSERT_EQ(out[j * channels + channel], expected)
        << "acc " << values[j] << " m " << m << " r " << right_shift;
  }
}

// The short path against the scalar epilogues, lane by lane, through Apply
// and through the tile requantizer, for every shift it takes.
TEST(SimdRequantize, ShortPathMatchesKernelEpilogues) {
  std::mt19937 rng(6);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  std::uniform_int_distribution<int32_t> zp_dist(-128, 127);
  constexpr int32_t kLimit = (1 << 29) - 1;  // one channel: x * 4 fits int32
  for (int right_shift = 1; right_shift <= ChannelRequantization::kShortMaxShift; ++right_shift) {
    for (int variant = 0; variant < 3; ++variant) {
      const int32_t m = variant == 0 ? (1 << 30) : variant == 1 ? kMax : multiplier_dist(rng);
      const std::vector<int32_t> values = ShortPathValues(m, right_shift, kLimit, &rng);
      const int32_t zp = zp_dist(rng);
      const int32_t act_min = variant == 2 ? std::max<int32_t>(-128, zp) : -128;
      const int32_t act_max = variant == 1 ? std::min<int32_t>(127, zp + 30) : 127;
      for (auto mode :
           {ChannelRequantization::OffsetMode::kWrap, ChannelRequantization::OffsetMode::kExact}) {
        ChannelRequantization rq;
        rq.Init({m}, {-right_shift}, zp, act_min, act_max, mode);
        rq.SetAccumulatorBound(kLimit);
        ASSERT_TRUE(rq.short_path) << "shift " << right_shift;
        ExpectShortPathMatches(rq, 0, values, m, right_shift, zp, act_min, act_max, mode);
      }
    }
  }
}

// The smallest of the tile requantizer's fixed final shifts above r.
int FixedShortShift(int right_shift) {
  for (int t : ChannelRequantization::kFixedShortShifts) {
    if (t > right_shift) return t;
  }
  return 0;
}

// A layer whose bound allows it takes the smallest fixed final shift above
// its largest shift (the tile requantizer's compile-time copies); a bound
// that the fixed shift does not allow falls back to max r + 1.
TEST(SimdRequantize, FixedFinalShiftsMatchKernelEpilogues) {
  std::mt19937 rng(23);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  for (int right_shift = 1; right_shift <= ChannelRequantization::kShortMaxShift; ++right_shift) {
    const int fixed = FixedShortShift(right_shift);
    ASSERT_GT(fixed, right_shift);
    const int32_t limit = (1 << (30 - fixed + right_shift)) - 1;
    for (int32_t m : {1 << 30, kMax, multiplier_dist(rng)}) {
      ChannelRequantization rq;
      rq.Init({m}, {-right_shift}, -9, -128, 127);
      rq.SetAccumulatorBound(limit);
      ASSERT_TRUE(rq.short_path);
      ASSERT_EQ(rq.short_shift, fixed) << "shift " << right_shift;
      ExpectShortPathMatches(rq, 0, ShortPathValues(m, right_shift, limit, &rng), m, right_shift,
                             -9, -128, 127, ChannelRequantization::OffsetMode::kWrap);
      rq.SetAccumulatorBound(int64_t{limit} + 1);
      if (fixed == right_shift + 1) {
        EXPECT_FALSE(rq.short_path) << "shift " << right_shift;
      } else {
        ASSERT_TRUE(rq.short_path);
        EXPECT_EQ(rq.short_shift, right_shift + 1);
      }
    }
  }
}

// Channels with different shifts share one final shift: the channel with the
// smallest shift scales its accumulators furthest, which lowers the bound.
TEST(SimdRequantize, ShortPathWithMixedShifts) {
  std::mt19937 rng(22);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  for (int trial = 0; trial < 40; ++trial) {
    const int channels = 1 + RandomIntBelow(6, &rng);
    std::vector<int32_t> multipliers(channels), shifts(channels);
    int min_shift = 99, max_shift = 0;
    for (int c = 0; c < channels; ++c) {
      multipliers[c] = trial % 5 == 0 ? kMax : multiplier_dist(rng);
      const int r = 1 + RandomIntBelow(ChannelRequantization::kShortMaxShift, &rng);
      shifts[c] = -r;
      min_shift = std::min(min_shift, r);
      max_shift = std::max(max_shift, r);
    }
    const int32_t limit = (1 << (29 - max_shift + min_shift)) - 1;
    ChannelRequantization rq;
    rq.Init(multipliers, shifts, 5, -128, 127);
    rq.SetAccumulatorBound(limit + 1);
    ASSERT_FALSE(rq.short_path) << "bound " << limit + 1;
    // At the limit of T = max r + 1, and at that of the fixed final shift.
    const int fixed = FixedShortShift(max_shift);
    const int32_t fixed_limit = (1 << (30 - fixed + min_shift)) - 1;
    for (const int32_t bound : {limit, fixed_limit}) {
      rq.SetAccumulatorBound(bound);
      ASSERT_TRUE(rq.short_path) << "bound " << bound;
      ASSERT_EQ(rq.short_shift, bound == fixed_limit ? fixed : max_shift + 1);
      for (int c = 0; c < channels; ++c) {
        const std::vector<int32_t> values =
            ShortPathValues(multipliers[c], -shifts[c], bound, &rng);
        ExpectShortPathMatches(rq, c, values, multipliers[c], -shifts[c], 5, -128, 127,
                               ChannelRequantization::OffsetMode::kWrap);
      }
    }
  }
}

// Every accumulator the bound allows, for layers whose shifts lie far apart
// (the largest scale factors 2^s) and multipliers at the edges and at random.
TEST(SimdRequantize, ShortPathIsExactForEveryAllowedAccumulator) {
  std::mt19937 rng(21);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  struct Layer {
    int low, high, final_shift;
  };
  // Final shifts 15 and 17 (max r + 1: the fixed 16 and 20 do not allow the
  // bound), 20 (both), 12 and 16 (fixed).
  for (const auto& [low, high, final_shift] :
       {Layer{1, 14, 15}, Layer{3, 16, 17}, Layer{6, 19, 20}, Layer{6, 11, 12}, Layer{4, 15, 16}}) {
    const int32_t limit = (1 << 16) - 1;  // 2^(29 - high + low) - 1 for the first three
    std::vector<int32_t> values;
    for (int32_t x = -limit; x <= limit; ++x) values.push_back(x);
    for (int32_t m : {1 << 30, (1 << 30) + 1, kMax, kMax - 1, multiplier_dist(rng)}) {
      ChannelRequantization rq;
      rq.Init({m, m}, {-low, -high}, -7, -128, 127);
      rq.SetAccumulatorBound(limit);
      ASSERT_TRUE(rq.short_path);
      ASSERT_EQ(rq.short_shift, final_shift);
      ExpectShortPathMatches(rq, 0, values, m, low, -7, -128, 127,
                             ChannelRequantization::OffsetMode::kWrap);
      ExpectShortPathMatches(rq, 1, values, m, high, -7, -128, 127,
                             ChannelRequantization::OffsetMode::kWrap);
    }
  }
}

// A flat [pixel][channel] tile of any channel count and length, on both
// paths: 16 lanes at a time wrap across pixels; the last group is partial.
TEST(SimdRequantize, TileRequantizationWrapsChannelsAcrossPixels) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  for (int channels : {1, 3, 4, 8, 10, 12, 15, 16, 17, 24, 33, 100}) {
    std::vector<int32_t> multipliers(channels), shifts(channels);
    for (int c = 0; c < channels; ++c) {
      multipliers[c] = multiplier_dist(rng);
      shifts[c] = -4 - RandomIntBelow(8, &rng);  // bound 2^(29 - 11 + 4) - 1 allowed
    }
    constexpr int32_t kBound = (1 << 22) - 1;
    std::uniform_int_distribution<int32_t> acc_dist(-kBound, kBound);
    for (int pixels : {1, 2, 5, 7}) {
      std::vector<int32_t> acc(static_cast<size_t>(pixels) * channels);
      for (int32_t& a : acc) a = acc_dist(rng);
      for (bool short_path : {false, true}) {
        ChannelRequantization rq;
        rq.Init(multipliers, shifts, -3, -128, 127);
        if (short_path) rq.SetAccumulatorBound(kBound);
        ASSERT_EQ(rq.short_path, short_path);
        std::vector<int8_t> out(acc.size() + 1, 99);  // one guard byte
        rq.RequantizeToInt8(acc.data(), static_cast<int64_t>(acc.size()), out.data());
        for (size_t i = 0; i < acc.size(); ++i) {
          const int c = static_cast<int>(i % channels);
          ASSERT_EQ(out[i], ScalarEpilogue(acc[i], multipliers[c], shifts[c], -3, -128, 127,
                                           ChannelRequantization::OffsetMode::kWrap))
              << channels << " channels, value " << i << (short_path ? " (short)" : "");
        }
        EXPECT_EQ(out.back(), 99) << "wrote past the tile";
      }
    }
  }
}

// The float path against the scalar epilogues, on and next to the ties of
// both roundings and far enough from them to leave its window (the first
// rounding's ties land every 2^-r apart in v), for shifts past the short
// path's (its exact fallback is then the general path).
TEST(SimdRequantize, FloatPathMatchesKernelEpilogues) {
  std::mt19937 rng(31);
  std::uniform_int_distribution<int32_t> multiplier_dist(1 << 30, kMax);
  std::uniform_int_distribution<int32_t> zp_dist(-128, 127);
  for (int right_shift = 1; right_shift <= 24; ++right_shift) {
    // Variants 2 and 3 clamp like a fused ReLU (FloatForm kSaturating, and
    // kNonNegative for act_max < 127).
    for (int variant = 0; variant < 4; ++variant) {
      const int32_t m = variant == 0 ? (1 << 30) : variant == 1 ? kMax : multiplier_dist(rng);
      const double scale = std::ldexp(static_cast<double>(m), -31 - right_shift);
      const int32_t bound = static_cast<int32_t>(std::min((1 << 24) - 1.0, 2000000 / scale));
      // ShortPathValues' tie products overflow int64 past the short path's shifts.
      std::vector<int32_t> values = right_shift <= ChannelRequantization::kShortMaxShift
                                        ? ShortPathValues(m, right_shift, bound, &rng)
                                        : std::vector<int32_t>{0, 1, -1, bound, -bound};
      for (int k = -1100; k <= 1100; k += 3) {
        const int64_t x = std::llround(std::ldexp(2.0 * k + 1, 30 + right_shift) / m);
        for (int64_t d = -60; d <= 60; ++d) {
          if (x + d >= -bound && x + d <= bound) values.push_back(static_cast<int32_t>(x + d));
        }
      }
      const int32_t zp = variant == 3 ? zp_dist(rng) / 2 : zp_dist(rng);
      const int32_t act_min = variant >= 2 ? zp : -128;
      const int32_t act_max = variant == 3 ? 100 : 127;
      ChannelRequantization rq;
      rq.Init({m}, {-right_shift}, zp, act_min, act_max);
      rq.SetAccumulatorBound(bound);
      ASSERT_TRUE(rq.float_path) << "shift " << right_shift << " bound " << bound;
      const FloatForm form = variant == 2   ? FloatForm::kSaturating
                             : variant == 3 ? FloatForm::kNonNegative
                             : zp == -128   ? FloatForm::kSaturating
                                            : FloatForm::kSigned;
      ASSERT_EQ(rq.float_form, form) << "variant " << variant << " zero point " << zp;
      std::vector<int8_t> out(values.size());
      rq.RequantizeToInt8(values.data(), static_cast<int64_t>(values.size()), out.data());
      for (size_t i = 0; i < values.size(); ++i) {
        ASSERT_EQ(out[i], ScalarEpilogue(values[i], m, -right_shift, zp, act_min, act_max,
                                         ChannelRequantization::OffsetMode::kWrap))
            << "acc " << values[i] << " m " << m << " r " << right_shift;
      }
    }
  }
}

// One multiplier for every channel, one shift per channel, prepared for
// accumulators up to `bound`.
ChannelRequantization Prepared(std::vector<int32_t> shifts, int32_t multiplier, int64_t bound,
                               int32_t zp) {
  ChannelRequantization rq;
  rq.Init(std::vector<int32_t>(shifts.size(), multiplier), shifts, zp, -128, 127);
  rq.SetAccumulatorBound(bound);
  return rq;
}

// The float path is taken only where its proof holds.
TEST(SimdRequantize, FloatPathOnlyWhereItIsProven) {
  auto float_path = [](std::vector<int32_t> shifts, int32_t multiplier, int64_t bound,
                       int32_t zp = 0) {
    return Prepared(shifts, multiplier, bound, zp).float_path;
  };
  EXPECT_TRUE(float_path({-8, -24}, 1 << 30, (1 << 24) - 1));
  EXPECT_FALSE(float_path({-8, -24}, 1 << 30, 1 << 24));  // x not exact as a float
  // bound * m * 2^-(31 + r) + |zero point| must stay under 2^21.
  EXPECT_TRUE(float_path({-2}, 1 << 30, (1 << 24) - 801, 100));  // scale 2^-3
  EXPECT_FALSE(float_path({-2}, 1 << 30, (1 << 24) - 800, 100));
  EXPECT_TRUE(float_path({-1}, 1 << 30, (1 << 23) - 1));  // scale 2^-2
  EXPECT_FALSE(float_path({-1}, 1 << 30, 1 << 23));
  EXPECT_TRUE(float_path({-8}, 1 << 30, 100, 512));
  EXPECT_FALSE(float_path({-8}, 1 << 30, 100, -513));  // the clamp argument needs |zp| <= 512
  EXPECT_TRUE(float_path({-8}, 0, 100));               // multiplier 0
  EXPECT_TRUE(float_path({-8, -31}, 1 << 30, 100));    // right shift 31
  EXPECT_FALSE(float_path({-8, 0}, 1 << 30, 100));     // no shift
  EXPECT_FALSE(float_path({-8, 3}, 1 << 30, 100));     // a left shift
  EXPECT_FALSE(float_path({-8}, kMin, 100));           // the saturating multiplier
  EXPECT_FALSE(float_path({-8}, -(1 << 30), 100));     // a negative multiplier
  EXPECT_FALSE(float_path({-8}, 1 << 30, -1));         // no bound
}

// The short path is taken only when its conditions hold.
TEST(SimdRequantize, ShortPathOnlyWhereItIsExact) {
  auto short_path = [](std::vector<int32_t> shifts, int32_t multiplier, int64_t bound,
                       int32_t zp = 0) {
    return Prepared(shifts, multiplier, bound, zp).short_path;
  };
  // Bound 2^(29 - max r + min r): 2^12 for shifts 2 and 19.
  EXPECT_TRUE(short_path({-2, -19, -9}, 1 << 30, 4095));
  EXPECT_FALSE(short_path({-2, -19, -9}, 1 << 30, 4096));
  EXPECT_TRUE(short_path({-8, -9}, 1 << 30, (1 << 28) - 1));
  EXPECT_FALSE(short_path({-8, -9}, 1 << 30, 1 << 28));
  EXPECT_TRUE(short_path({-8, -1}, 1 << 30, 100));    // right shift 1
  EXPECT_TRUE(short_path({-8}, 0, 100));              // multiplier 0
  EXPECT_FALSE(short_path({-8, -20}, 1 << 30, 100));  // right shift 20
  EXPECT_FALSE(short_path({-8, 0}, 1 << 30, 100));    // no shift
  EXPECT_FALSE(short_path({-8, 3}, 1 << 30, 100));    // a left shift
  EXPECT_FALSE(short_path({-8, -31}, 1 << 30, 100));  // right shift 31
  EXPECT_FALSE(short_path({-8}, kMin, 100));          // the saturating multiplier
  EXPECT_FALSE(short_path({-8}, 1 << 30, -1));        // no bound
  // The output offset times 2^(max r + 1) must fit: 2^10 * 2^20 does not.
  EXPECT_TRUE(short_path({-19}, 1 << 30, 100, 511));
  EXPECT_FALSE(short_path({-19}, 1 << 30, 100, 1024));
  EXPECT_TRUE(short_path({-8}, 1 << 30, 100, 32767));
  // A negative multiplier gives h the opposite sign of x: [x < 0] would round
  // ties the wrong way.
  EXPECT_FALSE(short_path({-8}, -(1 << 30), 100));
}

// Negative multipliers (a negative scale is a valid float) with accumulators
// small enough for the short path: the tile requantizer must round their
// ties like the scalar epilogue.
TEST(SimdRequantize, NegativeMultipliersRoundLikeTheScalarEpilogue) {
  std::mt19937 rng(9);
  for (int right_shift : {2, 5, 12}) {
    for (int32_t m : {-(1 << 30), -kMax, -1234567891}) {
      const std::vector<int32_t> values = ShortPathValues(-m, right_shift, (1 << 30) - 1, &rng);
      ChannelRequantization rq;
      rq.Init({m}, {-right_shift}, 3, -128, 127);
      rq.SetAccumulatorBound((1 << 30) - 1);
      std::vector<int8_t> out(values.size());
      rq.RequantizeToInt8(values.data(), static_cast<int64_t>(values.size()), out.data());
      for (size_t i = 0; i < values.size(); ++i) {
        ASSERT_EQ(out[i], ScalarEpilogue(values[i], m, -right_shift, 3, -128, 127,
                                         ChannelRequantization::OffsetMode::kWrap))
            << "acc " << values[i] << " m " << m << " r " << right_shift;
      }
    }
  }
}

}  // namespace
}  // namespace qlite::simd
