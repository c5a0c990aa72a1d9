// StrCat's float formatting is printf's "%g" without printf: values print as
// the C library prints them, except within an ulp or two of a rounding
// boundary, where either neighbour is accepted.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "core/status.h"

namespace qlite {
namespace {

std::string PrintfG(double v) {
  char text[64];
  std::snprintf(text, sizeof(text), "%g", v);
  return text;
}

TEST(StrCatFloat, HandPickedValues) {
  EXPECT_EQ(StrCat(0.0), "0");
  EXPECT_EQ(StrCat(-0.0), "-0");
  EXPECT_EQ(StrCat(1.0), "1");
  EXPECT_EQ(StrCat(0.5f), "0.5");
  EXPECT_EQ(StrCat(-2.25), "-2.25");
  EXPECT_EQ(StrCat(0.00392156862745098), "0.00392157");  // 1/255
  EXPECT_EQ(StrCat(100000.0), "100000");
  EXPECT_EQ(StrCat(999999.0), "999999");
  EXPECT_EQ(StrCat(999999.5), "1e+06");         // rounding carries into the exponent
  EXPECT_EQ(StrCat(1234565.0), "1.23456e+06");  // exact tie: to even
  EXPECT_EQ(StrCat(1234575.0), "1.23458e+06");
  EXPECT_EQ(StrCat(0.0001), "0.0001");
  EXPECT_EQ(StrCat(0.00001), "1e-05");
  EXPECT_EQ(StrCat(1e100), "1e+100");
  EXPECT_EQ(StrCat(std::numeric_limits<double>::denorm_min()), "4.94066e-324");
  EXPECT_EQ(StrCat(std::numeric_limits<double>::max()), "1.79769e+308");
  EXPECT_EQ(StrCat(std::numeric_limits<float>::infinity()), "inf");
  EXPECT_EQ(StrCat(-std::numeric_limits<float>::infinity()), "-inf");
  EXPECT_EQ(StrCat(std::numeric_limits<float>::quiet_NaN()), "nan");
}

// Within a few ulps of a rounding boundary the scaled double cannot tell
// which side the exact value lies on; printf can. There either neighbour is
// accepted (and nothing else): these are the only values that may differ.
TEST(StrCatFloat, NearTiesRoundToOneOfTheTwoNeighbours) {
  for (int e = -320; e <= 308; ++e) {
    for (double m : {9.999995, 9.9999949, 1.000005, 1.2345650000000001}) {
      const double v = m * std::pow(10.0, e);
      if (!std::isfinite(v) || v == 0.0) continue;
      const std::string ours = StrCat(v);
      if (ours == PrintfG(v)) continue;
      EXPECT_TRUE(ours == PrintfG(std::nextafter(v, 0.0)) ||
                  ours == PrintfG(std::nextafter(v, 1e308)) || ours == PrintfG(v * (1 + 1e-15)) ||
                  ours == PrintfG(v * (1 - 1e-15)))
          << ours << " vs " << PrintfG(v) << " m=" << m << " e=" << e;
    }
  }
}

TEST(StrCatFloat, MatchesPrintfOnPowersOfTenAndExactTies) {
  for (int e = -320; e <= 308; ++e) {
    for (double m : {1.0, 5.0, 2.5, 3.0, 7.0}) {
      const double v = m * std::pow(10.0, e);
      if (!std::isfinite(v)) continue;
      ASSERT_EQ(StrCat(v), PrintfG(v)) << "m=" << m << " e=" << e;
    }
  }
  for (int64_t n = 1000000; n < 1002000; ++n) {  // integer ties at 7 digits
    ASSERT_EQ(StrCat(static_cast<double>(n)), PrintfG(static_cast<double>(n))) << n;
  }
}

TEST(StrCatFloat, MatchesPrintfOnRandomBitPatterns) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    ASSERT_EQ(StrCat(v), PrintfG(v)) << std::hexfloat << v;
    const float f = static_cast<float>(std::ldexp(static_cast<double>(rng() % 100000000), -20));
    ASSERT_EQ(StrCat(f), PrintfG(f)) << std::hexfloat << f;
  }
}

}  // namespace
}  // namespace qlite
