// DEPTHWISE_CONV_2D: the SIMD kernel (kernels_wasm/depthwise_conv.cc) against
// the reference kernel on thousands of random seeded cases (int8 per-channel
// and float32; 3x3 stride 1/2 and general shapes, dilations, depth
// multipliers, SAME/VALID, every channel count 1..67); output bytes must be
// identical and the SIMD kernel must really have run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "tests/kernels/conv_test_util.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::BuildConvModel;
using testing::ConvSpec;
using testing::ExpectSimdMatchesReference;
using testing::RandomActivation;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;
using testing::ToBytes;

constexpr const char* kSimdKernel = "depthwise_conv2d_simd128";

float LogUniform(float lo, float hi, std::mt19937* rng) {
  return std::exp(std::uniform_real_distribution<float>(std::log(lo), std::log(hi))(*rng));
}

std::string Describe(const ConvSpec& s) {
  const auto& o = std::any_cast<const DepthwiseConv2DOptions&>(s.options);
  return StrCat(DTypeName(s.input_type), " input ", ShapeToString(s.input_shape), " filter ",
                ShapeToString(s.filter_shape), " stride ", o.stride_h, "x", o.stride_w,
                " dilation ", o.dilation_h, "x", o.dilation_w,
                o.padding == Padding::kSame ? " SAME" : " VALID", " multiplier option ",
                o.depth_multiplier, " activation ", ActivationName(o.activation), " bias ",
                s.bias == ConvSpec::Bias::kConstant ? "yes" : "no");
}

// Random geometry: 3x3 in half the cases (MobileNet's, strides 1 and 2 most
// of all), otherwise 1..5 x 1..5; odd sizes; channels 1..67 (after the depth
// multiplier at most 80). `column_quads`: only layers the relaxed dot's
// column quads take (kernels_wasm/depthwise_column_quads.h): 3x3 or 5x5,
// dilation 1, 16..80 channels (multiples of 16 and the overlapping last
// block of the others).
ConvSpec RandomGeometry(std::mt19937* rng, bool column_quads = false) {
  ConvSpec s;
  s.op = BuiltinOp::kDepthwiseConv2D;
  DepthwiseConv2DOptions o;
  const bool three_by_three = RandomInt(0, 1, rng) == 0;
  const int column_quad_size = three_by_three ? 3 : 5;
  const int filter_h = column_quads ? column_quad_size : three_by_three ? 3 : RandomInt(1, 5, rng);
  const int filter_w = column_quads ? column_quad_size : three_by_three ? 3 : RandomInt(1, 5, rng);
  o.stride_h =
      three_by_three && RandomInt(0, 2, rng) > 0 ? RandomInt(1, 2, rng) : RandomInt(1, 3, rng);
  o.stride_w = three_by_three && RandomInt(0, 2, rng) > 0 ? o.stride_h : RandomInt(1, 3, rng);
  o.dilation_h = !column_quads && RandomInt(0, 4, rng) == 0 ? 2 : 1;
  o.dilation_w = !column_quads && RandomInt(0, 4, rng) == 0 ? 2 : 1;
  const int height = RandomInt(1, 14, rng);
  const int width = RandomInt(1, 14, rng);
  const bool valid_fits =
      height >= (filter_h - 1) * o.dilation_h + 1 && width >= (filter_w - 1) * o.dilation_w + 1;
  o.padding = valid_fits && RandomInt(0, 1, rng) == 0 ? Padding::kValid : Padding::kSame;
  const int multiplier = RandomInt(0, 3, rng) == 0 ? 2 : 1;
  const int in_channels = column_quads ? RandomInt(16 / multiplier, 80 / multiplier, rng)
                                       : RandomInt(1, multiplier == 1 ? 67 : 40, rng);
  o.depth_multiplier = RandomInt(0, 3, rng) == 0 ? 0 : multiplier;  // 0: derived from shapes
  o.activation = RandomActivation(rng);
  s.options = o;
  s.input_shape = {RandomInt(1, 4, rng) == 1 ? 2 : 1, height, width, in_channels};
  s.filter_shape = {1, filter_h, filter_w, in_channels * multiplier};
  return s;
}

ConvSpec RandomInt8Case(std::mt19937* rng, std::vector<uint8_t>* input, bool column_quads = false) {
  ConvSpec s = RandomGeometry(rng, column_quads);
  s.Type(DType::kInt8);
  const int channels = s.filter_shape[3];
  const float input_scale = LogUniform(0.005f, 0.1f, rng);
  s.input_quant = PerTensor(input_scale, RandomInt(-128, 127, rng));
  // Per-channel scales spanning 1000x.
  std::vector<float> filter_scales(channels);
  for (float& f : filter_scales) f = LogUniform(0.0001f, 0.1f, rng);
  std::vector<int8_t> filter(ShapeElementCount(s.filter_shape));
  for (int8_t& w : filter) w = static_cast<int8_t>(RandomInt(-128, 127, rng));
  if (RandomInt(0, 7, rng) == 0) {  // one scale for every channel (older converters)
    filter_scales.assign(channels, filter_scales[0]);
    s.Filter(s.filter_shape, filter, PerTensor(filter_scales[0], 0));
  } else {
    s.Filter(s.filter_shape, filter, PerChannel(filter_scales, 3));
  }
  // Typical outputs land inside int8; some cases saturate on purpose.
  const float typical_filter_scale = 0.003f;
  const float output_scale = input_scale * typical_filter_scale * LogUniform(30.0f, 3000.0f, rng);
  s.output_quant = PerTensor(output_scale, RandomInt(-128, 127, rng));
  if (RandomInt(0, 3, rng) > 0) {
    std::vector<int32_t> bias(channels);
    const int range = RandomInt(0, 2, rng) == 0 ? 100 : 40000;
    for (int32_t& b : bias) b = RandomInt(-range, range, rng);
    std::vector<float> bias_scales(channels);
    for (int c = 0; c < channels; ++c) bias_scales[c] = input_scale * filter_scales[c];
    s.WithBias(bias, PerChannel(bias_scales, 0));
  }
  *input = RandomInt8Bytes(ShapeElementCount(s.input_shape), rng);
  return s;
}

ConvSpec RandomFloatCase(std::mt19937* rng, std::vector<uint8_t>* input_bytes) {
  ConvSpec s = RandomGeometry(rng);
  s.Type(DType::kFloat32);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<float> filter(ShapeElementCount(s.filter_shape));
  for (float& w : filter) w = dist(*rng);
  s.Filter(s.filter_shape, filter);
  if (RandomInt(0, 3, rng) > 0) {
    std::vector<float> bias(s.filter_shape[3]);
    for (float& b : bias) b = dist(*rng);
    s.WithBias(bias);
  }
  std::vector<float> input(ShapeElementCount(s.input_shape));
  for (float& x : input) x = dist(*rng);
  if (RandomInt(0, 9, rng) == 0) {  // special values propagate the same way
    const float specials[] = {std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::quiet_NaN(), -0.0f};
    for (int i = 0; i < 3; ++i) {
      input[RandomInt(0, static_cast<int>(input.size()) - 1, rng)] = specials[RandomInt(0, 3, rng)];
    }
  }
  *input_bytes = ToBytes(input);
  return s;
}

void RunInt8RandomCases(uint32_t seed, int cases, Arithmetic arithmetic) {
  std::mt19937 rng(seed);
  testing::Int8OutputStats stats;
  for (int i = 0; i < cases; ++i) {
    std::vector<uint8_t> input, output;
    const ConvSpec s = RandomInt8Case(&rng, &input);
    if (!ExpectSimdMatchesReference(BuildConvModel(s), {input}, kSimdKernel,
                                    StrCat("case ", i, ": ", Describe(s)), &output, arithmetic)) {
      return;
    }
    stats.Add(output);
  }
  // The cases compare real values, not mostly clamped ones.
  EXPECT_EQ(stats.DistinctValues(), 256);
  EXPECT_LT(stats.SaturatedFraction(), 0.3) << stats.total << " outputs";
}

TEST(DepthwiseConvDiffTest, Int8RandomCases) {
  RunInt8RandomCases(2024, 3000, Arithmetic::kTflite);
}

TEST(DepthwiseConvDiffTest, Int8XnnpackArithmeticRandomCases) {
  RunInt8RandomCases(2025, 1500, Arithmetic::kXnnpack);
}

TEST(DepthwiseConvDiffTest, Float32RandomCases) {
  std::mt19937 rng(7);
  for (int i = 0; i < 1500; ++i) {
    std::vector<uint8_t> input;
    const ConvSpec s = RandomFloatCase(&rng, &input);
    if (!ExpectSimdMatchesReference(BuildConvModel(s), {input}, kSimdKernel,
                                    StrCat("case ", i, ": ", Describe(s)))) {
      return;
    }
  }
}

// Special values, or one NaN (testing::SpecialsOrOneNanFloatBytes).
std::vector<uint8_t> GridInput(int64_t count, std::mt19937* rng) {
  return testing::SpecialsOrOneNanFloatBytes(count, 12, rng);
}

// BlazeFace's and MobileNet's float filters (3x3, 5x5) over every stride,
// padding and width 1..12 (pixels four at a time, the ragged ends and the
// borders' narrowed windows), channel counts around the vector width, with
// random dilation, depth multiplier, activation and batch, and inputs with
// special values (GridInput).
TEST(DepthwiseConvDiffTest, Float32FilterGrid) {
  std::mt19937 rng(5);
  const int channel_counts[] = {1, 3, 4, 5, 8, 16, 17, 33};
  int cases = 0;
  for (int filter : {3, 5}) {
    for (int stride = 1; stride <= 2; ++stride) {
      for (Padding padding : {Padding::kSame, Padding::kValid}) {
        for (int channels : channel_counts) {
          for (int width = 1; width <= 12; ++width) {
            DepthwiseConv2DOptions o;
            o.stride_h = o.stride_w = stride;
            o.dilation_h = RandomInt(0, 3, &rng) == 0 ? 2 : 1;
            o.dilation_w = RandomInt(0, 2, &rng) == 0 ? 2 : 1;
            const int height = RandomInt(1, 9, &rng);
            if (padding == Padding::kValid && (width < (filter - 1) * o.dilation_w + 1 ||
                                               height < (filter - 1) * o.dilation_h + 1)) {
              continue;
            }
            o.padding = padding;
            const int multiplier = RandomInt(0, 2, &rng) == 0 ? 2 : 1;
            o.depth_multiplier = multiplier;
            o.activation = RandomActivation(&rng);
            ConvSpec s;
            s.op = BuiltinOp::kDepthwiseConv2D;
            s.options = o;
            s.Type(DType::kFloat32);
            s.input_shape = {RandomInt(1, 2, &rng), height, width, channels};
            s.filter_shape = {1, filter, filter, channels * multiplier};
            std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
            std::vector<float> weights(ShapeElementCount(s.filter_shape));
            for (float& w : weights) w = dist(rng);
            s.Filter(s.filter_shape, weights);
            if (RandomInt(0, 3, &rng) > 0) {
              std::vector<float> bias(channels * multiplier);
              for (float& b : bias) b = dist(rng);
              s.WithBias(bias);
            }
            const auto input = GridInput(ShapeElementCount(s.input_shape), &rng);
            ASSERT_TRUE(ExpectSimdMatchesReference(BuildConvModel(s), {input}, kSimdKernel,
                                                   StrCat("grid case ", cases, ": ", Describe(s))));
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 500);  // VALID skips windows larger than the input
}

// MobileNet-like layers: 3x3 stride 1 and 2, SAME, channel counts that are
// and are not multiples of 16, larger images.
void RunMobileNetShapes() {
  std::mt19937 rng(99);
  const int channel_counts[] = {8, 16, 24, 32, 72, 96, 144};
  for (int channels : channel_counts) {
    for (int stride = 1; stride <= 2; ++stride) {
      ConvSpec s;
      s.op = BuiltinOp::kDepthwiseConv2D;
      s.Type(DType::kInt8);
      DepthwiseConv2DOptions o;
      o.stride_h = o.stride_w = stride;
      o.activation = Activation::kRelu6;
      s.options = o;
      s.input_shape = {1, 28, 28, channels};
      s.input_quant = PerTensor(0.0235f, -128);
      std::vector<float> scales(channels);
      for (float& f : scales) f = LogUniform(0.0005f, 0.05f, &rng);
      std::vector<int8_t> filter(9 * channels);
      for (int8_t& w : filter) w = static_cast<int8_t>(RandomInt(-127, 127, &rng));
      s.Filter({1, 3, 3, channels}, filter, PerChannel(scales, 3));
      std::vector<int32_t> bias(channels);
      for (int32_t& b : bias) b = RandomInt(-20000, 20000, &rng);
      s.WithBias(bias);
      s.output_quant = PerTensor(0.0235f, -128);
      const auto input = RandomInt8Bytes(28 * 28 * channels, &rng);
      EXPECT_TRUE(ExpectSimdMatchesReference(BuildConvModel(s), {input}, kSimdKernel,
                                             StrCat("channels ", channels, " stride ", stride)));
    }
  }
}

TEST(DepthwiseConvDiffTest, Int8MobileNetShapes) { RunMobileNetShapes(); }

#if !defined(__EMSCRIPTEN__)
// The int8 cases again with taps in fours for a relaxed dot product, emulated
// with each exact behaviour (kernels_wasm/relaxed_dot.h).
TEST(DepthwiseConvDiffTest, Int8RandomCasesOnRelaxedDotQuads) {
  for (const auto& [behaviour, mode] : testing::ExactRelaxedDots()) {
    testing::ScopedEmulatedRelaxedDot relaxed(behaviour);
    ASSERT_EQ(relaxed.mode(), mode);
    std::mt19937 rng(4048);
    for (int i = 0; i < 800; ++i) {
      std::vector<uint8_t> input;
      const ConvSpec s = RandomInt8Case(&rng, &input);
      if (!ExpectSimdMatchesReference(BuildConvModel(s), {input}, kSimdKernel,
                                      StrCat("case ", i, ": ", Describe(s)))) {
        return;
      }
    }
    RunMobileNetShapes();
  }
}

TEST(DepthwiseConvDiffTest, Int8ColumnQuadCases) {
  for (const auto& [behaviour, mode] : testing::ExactRelaxedDots()) {
    testing::ScopedEmulatedRelaxedDot relaxed(behaviour);
    std::mt19937 rng(4049);
    for (int i = 0; i < 300; ++i) {
      std::vector<uint8_t> input;
      const ConvSpec s = RandomInt8Case(&rng, &input, /*column_quads=*/true);
      if (!ExpectSimdMatchesReference(
              BuildConvModel(s), {input}, kSimdKernel,
              StrCat(simd::RelaxedDotName(mode), " case ", i, ": ", Describe(s)))) {
        return;
      }
    }
  }
}
#endif

// uint8 and hybrid depthwise convolutions are declined: the reference runs.
TEST(DepthwiseConvDiffTest, HybridFallsBackToReference) {
  ConvSpec s;
  s.op = BuiltinOp::kDepthwiseConv2D;
  s.Hybrid();
  s.options = DepthwiseConv2DOptions{};
  s.input_shape = {1, 3, 3, 2};
  s.Filter({1, 3, 3, 2}, std::vector<int8_t>(18, 1), PerChannel({0.5f, 0.25f}, 3));
  const auto run =
      RunWithKernels(BuildConvModel(s), {ToBytes(std::vector<float>(18, 1.0f))}, KernelSet::kSimd);
  ASSERT_TRUE(run.status.ok()) << run.status.message();
  EXPECT_EQ(run.node_kernels.at(0), "depthwise_conv2d_reference");
}

}  // namespace
}  // namespace qlite
