// core/fixed_point.h: exact values (the "gemmlowp" ones were produced by
// gemmlowp's own fixedpoint.h, Debian libgemmlowp-dev) plus accuracy sweeps.
#include "core/fixed_point.h"

#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

namespace qlite::fixed_point {
namespace {

constexpr double kTwo31 = 2147483648.0;

TEST(FixedPointTest, RoundingHalfSumRoundsHalfAwayFromZero) {
  EXPECT_EQ(RoundingHalfSum(1, 2), 2);     // 1.5 -> 2
  EXPECT_EQ(RoundingHalfSum(-1, -2), -2);  // -1.5 -> -2
  EXPECT_EQ(RoundingHalfSum(2, 4), 3);
  EXPECT_EQ(RoundingHalfSum(kInt32Max, kInt32Max), kInt32Max);  // no overflow
  EXPECT_EQ(RoundingHalfSum(0, kInt32Max), 1 << 30);            // 2^30 - 0.5 -> 2^30
}

TEST(FixedPointTest, SaturatingRoundingMultiplyByPOT) {
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<1>((1 << 30) - 1), kInt32Max - 1);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<1>(1 << 30), kInt32Max);  // saturates
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<1>(-(1 << 30)), kInt32Min);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<1>(-(1 << 30) - 1), kInt32Min);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<3>(5), 40);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-1>(3), 2);    // 1.5 -> 2
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-1>(-3), -2);  // -1.5 -> -2
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-2>(5), 1);    // 1.25 -> 1
  // Q0 -> Q12: 1.0 (INT32_MAX) becomes 2^19.
  EXPECT_EQ((Rescale<0, 12>(kInt32Max)), 1 << 19);
}

TEST(FixedPointTest, ExpOnNegativeValuesMatchesGemmlowp) {
  EXPECT_EQ(ExpOnNegativeValues<5>(0), kInt32Max);
  EXPECT_EQ(ExpOnNegativeValues<5>(-1), 2147483124);
  EXPECT_EQ(ExpOnNegativeValues<5>(-(1 << 24)), 1672462419);  // exp(-1/4)
  EXPECT_EQ(ExpOnNegativeValues<5>(-(1 << 26)), 790015308);   // exp(-1)
  EXPECT_EQ(ExpOnNegativeValues<5>(-(3 << 25)), 479168506);   // exp(-1.5)
  EXPECT_EQ(ExpOnNegativeValues<5>(-123456789), 341177383);
  EXPECT_EQ(ExpOnNegativeValues<5>(-(1 << 30)), 242);  // exp(-16)
  EXPECT_EQ(ExpOnNegativeValues<5>(-(31 << 26)), 0);   // exp(-31)
  EXPECT_EQ(ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(-(1 << 29)), 1672462419);
}

TEST(FixedPointTest, ExpOnNegativeValuesIsAccurate) {
  for (int32_t raw = 0; raw > -(20 << 26); raw -= 999983) {  // Q5.26 down to -20
    const double x = raw / static_cast<double>(1 << 26);
    const double got = ExpOnNegativeValues<5>(raw) / kTwo31;
    EXPECT_NEAR(got, std::exp(x), 2e-7) << "x=" << x;
  }
  // More integer bits: below -32 the result is 0.
  EXPECT_EQ(ExpOnNegativeValues<6>(-(33 << 25)), 0);
  EXPECT_NEAR(ExpOnNegativeValues<6>(-(1 << 25)) / kTwo31, std::exp(-1.0), 2e-7);
}

TEST(FixedPointTest, ReciprocalsMatchGemmlowp) {
  EXPECT_EQ(OneOverOnePlusXForXIn01(0), kInt32Max);
  EXPECT_EQ(OneOverOnePlusXForXIn01(1 << 30), 1431655762);  // 1/1.5
  EXPECT_EQ(OneOverOnePlusXForXIn01(1 << 29), 1717986914);  // 1/1.25
  EXPECT_EQ(OneOverOnePlusXForXIn01(123456789), 2030738432);
  EXPECT_EQ(OneOverOnePlusXForXIn01(kInt32Max), 1073741820);
  EXPECT_EQ(OneMinusXOverOnePlusXForXIn01(1 << 30), 715827876);  // 0.5/1.5
  EXPECT_EQ(OneMinusXOverOnePlusXForXIn01(1 << 29), 1288490180);
  EXPECT_EQ(OneMinusXOverOnePlusXForXIn01(kInt32Max), -8);
  for (int32_t raw = 0; raw < kInt32Max - 9999991; raw += 9999991) {
    const double x = raw / kTwo31;
    EXPECT_NEAR(OneOverOnePlusXForXIn01(raw) / kTwo31, 1.0 / (1.0 + x), 1e-8);
    EXPECT_NEAR(OneMinusXOverOnePlusXForXIn01(raw) / kTwo31, (1.0 - x) / (1.0 + x), 1e-8);
  }
}

TEST(FixedPointTest, GetReciprocal) {
  int bits = -1;
  // 1.0 in Q12.19: 1/1 with no extra bits.
  EXPECT_EQ(GetReciprocal(1 << 19, 12, &bits), kInt32Max);
  EXPECT_EQ(bits, 0);
  // 3.0 in Q12.19 = 1.5 * 2^1: 1/1.5 and one bit over unit.
  EXPECT_EQ(GetReciprocal(3 << 19, 12, &bits), 1431655762);
  EXPECT_EQ(bits, 1);
  // 10.0 = 1.25 * 2^3.
  EXPECT_EQ(GetReciprocal(10 << 19, 12, &bits), 1717986914);
  EXPECT_EQ(bits, 3);
  EXPECT_EQ(CountLeadingZeros(0), 32);
  EXPECT_EQ(CountLeadingZeros(1), 31);
  EXPECT_EQ(CountLeadingZeros(0x80000000u), 0);
}

}  // namespace
}  // namespace qlite::fixed_point
