// The relaxed dot product's probe and the int8 GEMM's quad layout
// (kernels_wasm/relaxed_dot.h, gemm_int8.h). Natively the instruction is
// emulated with each behaviour engines show, so the quads are checked here
// against exact sums for both exact behaviours; in wasm the probe meets the
// real instruction (tests/kernels_wasm/CMakeLists.txt patches the binary).
#include "kernels_wasm/relaxed_dot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "kernels_wasm/gemm_int8.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite::simd {
namespace {

#if !defined(__EMSCRIPTEN__)
TEST(RelaxedDotProbe, NamesEachEmulatedBehaviour) {
  const std::vector<std::pair<EmulatedRelaxedDot, RelaxedDot>> cases = {
      {EmulatedRelaxedDot::kNone, RelaxedDot::kUnavailable},
      {EmulatedRelaxedDot::kUnsigned, RelaxedDot::kUnsigned},
      {EmulatedRelaxedDot::kSigned, RelaxedDot::kSigned},
      {EmulatedRelaxedDot::kSaturating, RelaxedDot::kUnavailable}};
  for (const auto& [behaviour, mode] : cases) {
    EmulateRelaxedDotForTesting(behaviour);
    EXPECT_EQ(ProbeRelaxedDot(), mode) << RelaxedDotName(mode);
  }
  EmulateRelaxedDotForTesting(EmulatedRelaxedDot::kNone);
  EXPECT_EQ(ActiveRelaxedDot(), RelaxedDot::kUnavailable);
}

// GemmInt8Accumulate with quads equals bias + sum (x + input_offset) * w,
// wrapped to int32, for shapes around every chunk, quad, block and tile edge.
// lhs holds exactly the bytes of its rows, so a read past them fails under
// ASan.
TEST(RelaxedDotGemm, QuadsGiveExactSums) {
  std::mt19937 rng(77);
  const int row_counts[] = {1, 2, 3, 16, 17, 35};
  const int depths[] = {1, 3, 4, 5, 8, 31, 32, 33, 64, 65, 100, 1030};
  const int channel_counts[] = {1, 4, 5, 23, 44};  // panels of 1..4 blocks
  for (const auto& [behaviour, mode] : testing::ExactRelaxedDots()) {
    testing::ScopedEmulatedRelaxedDot relaxed(behaviour);
    ASSERT_EQ(relaxed.mode(), mode);
    for (int rows : row_counts) {
      for (int depth : depths) {
        for (int channels : channel_counts) {
          const int stride = depth + testing::RandomInt(0, 1, &rng) * 7;
          std::vector<int8_t> lhs(static_cast<size_t>(rows - 1) * stride + depth);
          std::vector<int8_t> weights(static_cast<size_t>(channels) * depth);
          std::vector<int32_t> bias(channels);
          for (int8_t& v : lhs) v = static_cast<int8_t>(testing::RandomInt(-128, 127, &rng));
          // Extreme values first: the unsigned behaviour's largest products.
          for (size_t i = 0; i < weights.size(); ++i) {
            weights[i] = static_cast<int8_t>(i < 8 ? (i % 2 ? 127 : -127)
                                                   : testing::RandomInt(-127, 127, &rng));
          }
          if (rows == 3) std::fill(lhs.begin(), lhs.end(), int8_t{-128});
          for (int32_t& b : bias) b = testing::RandomInt(-100000, 100000, &rng);
          const int32_t input_offset = testing::RandomInt(-128, 127, &rng);

          PackedInt8Weights w;
          PackInt8Weights(weights.data(), channels, depth, rows, &w);
          ASSERT_EQ(w.layout, GemmLayout::kQuads);
          ASSERT_EQ(w.lhs_offset, mode == RelaxedDot::kUnsigned ? 128 : 0);
          const std::vector<int32_t> folded = FoldInputOffset(w, bias.data(), input_offset);
          std::vector<int32_t> acc(static_cast<size_t>(rows) * channels + kGemmAccumulatorSlack);
          GemmInt8Accumulate(lhs.data(), rows, stride, w, folded.data(), acc.data());

          int64_t largest = 0;
          for (int m = 0; m < rows; ++m) {
            for (int n = 0; n < channels; ++n) {
              int64_t sum = bias[n];
              for (int k = 0; k < depth; ++k) {
                sum += (int64_t{lhs[static_cast<size_t>(m) * stride + k]} + input_offset) *
                       weights[static_cast<size_t>(n) * depth + k];
              }
              largest = std::max(largest, sum < 0 ? -sum : sum);
              ASSERT_EQ(acc[static_cast<size_t>(m) * channels + n], static_cast<int32_t>(sum))
                  << RelaxedDotName(mode) << " rows " << rows << " depth " << depth << " channels "
                  << channels << " at " << m << "," << n;
            }
          }
          EXPECT_GE(GemmAccumulatorBound(w, folded.data()), largest);
        }
      }
    }
  }
  EXPECT_EQ(ActiveRelaxedDot(), RelaxedDot::kUnavailable);
}

TEST(RelaxedDotGemm, PairsAgainOnceTurnedOff) {
  {
    testing::ScopedEmulatedRelaxedDot relaxed(EmulatedRelaxedDot::kUnsigned);
    PackedInt8Weights w;
    const std::vector<int8_t> weights(8 * 24, 3);
    PackInt8Weights(weights.data(), 8, 24, 100, &w);
    EXPECT_EQ(w.layout, GemmLayout::kQuads);
  }
  PackedInt8Weights w;
  const std::vector<int8_t> weights(8 * 24, 3);
  PackInt8Weights(weights.data(), 8, 24, 100, &w);
  EXPECT_EQ(w.layout, GemmLayout::kPairs);
  EXPECT_EQ(w.lhs_offset, 0);
}
#else
// The real instruction: an engine either shows one exact behaviour, or the
// GEMM must not use it (Node 20's V8 on x86 saturates pairs: unavailable).
TEST(RelaxedDotProbe, RealInstructionIsExactOrUnused) {
  const RelaxedDot mode = UseRelaxedDot(true);
  std::printf("relaxed dot product on this engine: %s\n", RelaxedDotName(mode));
  PackedInt8Weights w;
  const std::vector<int8_t> weights(8 * 24, -127);
  PackInt8Weights(weights.data(), 8, 24, 100, &w);
  EXPECT_EQ(w.layout == GemmLayout::kQuads, mode != RelaxedDot::kUnavailable);
  if (mode != RelaxedDot::kUnavailable) {
    const std::vector<int8_t> lhs(24 * 3, -128);
    const std::vector<int32_t> folded = FoldInputOffset(w, nullptr, 0);
    std::vector<int32_t> acc(3 * 8 + kGemmAccumulatorSlack);
    GemmInt8Accumulate(lhs.data(), 3, 24, w, folded.data(), acc.data());
    for (int i = 0; i < 3 * 8; ++i) EXPECT_EQ(acc[i], 24 * 128 * 127);
  }
  UseRelaxedDot(false);
}
#endif

}  // namespace
}  // namespace qlite::simd
