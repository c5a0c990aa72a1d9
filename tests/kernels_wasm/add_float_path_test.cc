// The int8 ADD's float path (kernels_wasm/add_float_path.h) on every pair of
// int8 values: each group of 16 it proves equals TFLite's integer ADD
// (QuantizedAddSubElement), it declines groups that hold rounding ties, and at
// ordinary scales it proves nearly every group (else it would be a slow path).
#include "kernels_wasm/add_float_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/quant_math.h"

namespace qlite::simd {
namespace {

// What PrepareAddSub computes for an int8 ADD of these per-tensor
// quantizations (TFLite's general path), without the activation.
AddSubData Int8Add(float scale1, int zp1, float scale2, int zp2, float out_scale, int out_zp) {
  AddSubData p;
  p.left_shift = 20;
  p.input1_offset = -zp1;
  p.input2_offset = -zp2;
  p.output_offset = out_zp;
  p.act_min = -128;
  p.act_max = 127;
  const double twice_max = 2 * std::max(scale1, scale2);
  QuantizeMultiplier(scale1 / twice_max, &p.input1_multiplier, &p.input1_shift);
  QuantizeMultiplier(scale2 / twice_max, &p.input2_multiplier, &p.input2_shift);
  QuantizeMultiplier(twice_max / static_cast<double>((1 << 20) * out_scale), &p.output_multiplier,
                     &p.output_shift);
  return p;
}

// Runs all 65536 pairs (a fixed per group of 16, b = 16 consecutive values)
// through the float path; proven outputs must equal the reference. Returns
// the fraction of groups proven.
double ProvenFraction(const AddSubData& p, const char* what) {
  const Int8AddFloatPath path(p);
  EXPECT_TRUE(path.usable()) << what;
  int proven = 0, groups = 0;
  for (int a = -128; a < 128; ++a) {
    for (int b0 = -128; b0 < 128; b0 += 16) {
      int8_t as[16], bs[16], out[16];
      for (int i = 0; i < 16; ++i) {
        as[i] = static_cast<int8_t>(a);
        bs[i] = static_cast<int8_t>(b0 + i);
      }
      ++groups;
      if (!path.TryAddGroupOf16(wasm_v128_load(as), wasm_v128_load(bs), out)) continue;
      ++proven;
      for (int i = 0; i < 16; ++i) {
        const int8_t expected = QuantizedAddSubElement<ArithOp::kAdd>(p, as[i], bs[i]);
        if (out[i] != expected) {
          ADD_FAILURE() << what << ": " << a << " + " << int{bs[i]} << " gave " << int{out[i]}
                        << ", the reference " << int{expected};
          return 0;
        }
      }
    }
  }
  return static_cast<double>(proven) / groups;
}

TEST(AddFloatPathTest, ProvenGroupsMatchTheReference) {
  std::mt19937 rng(2026);
  std::uniform_real_distribution<float> log_scale(std::log(0.002f), std::log(2.0f));
  std::uniform_int_distribution<int> zero_point(-128, 127);
  double total = 0;
  const int cases = 40;
  for (int i = 0; i < cases; ++i) {
    const float s1 = std::exp(log_scale(rng)), s2 = std::exp(log_scale(rng));
    // Output scales as quantizers choose them: the sum's range over 255 steps.
    const float out_scale = (s1 + s2) * std::exp(log_scale(rng) / 8);
    const AddSubData p =
        Int8Add(s1, zero_point(rng), s2, zero_point(rng), out_scale, zero_point(rng));
    total += ProvenFraction(p, "random scales");
  }
  EXPECT_GT(total / cases, 0.95);
}

// (x + y) / 2 with unit input scales: every odd sum sits on a tie, which
// TFLite rounds away from zero and float rounding to even would not.
TEST(AddFloatPathTest, DeclinesGroupsHoldingTies) {
  EXPECT_EQ(ProvenFraction(Int8Add(1.0f, 0, 1.0f, 0, 2.0f, 0), "halved sum"), 0.0);
  // Quarter of the sum: ties where the sum is 2 mod 4, still in every group.
  EXPECT_EQ(ProvenFraction(Int8Add(1.0f, 3, 1.0f, -7, 4.0f, 5), "quartered sum"), 0.0);
  // Input scales equal to the output scale: integer results, no ties at all.
  EXPECT_GT(ProvenFraction(Int8Add(2.0f, 0, 2.0f, 0, 2.0f, 0), "doubled values"), 0.99);
}

TEST(AddFloatPathTest, UnusableWhereTheProofDoesNotHold) {
  // Outputs far beyond 2^21 before clamping: the rounding add would leave
  // [2^23, 2^24).
  EXPECT_FALSE(Int8AddFloatPath(Int8Add(1.0f, 0, 1.0f, 0, 4.0f / (1 << 19), 0)).usable());
  AddSubData int16 = Int8Add(1.0f, 0, 1.0f, 0, 1.0f, 0);
  int16.left_shift = 15;
  EXPECT_FALSE(Int8AddFloatPath(int16).usable());
  EXPECT_TRUE(Int8AddFloatPath(Int8Add(1.0f, 0, 1.0f, 0, 1.0f, 0)).usable());
}

}  // namespace
}  // namespace qlite::simd
