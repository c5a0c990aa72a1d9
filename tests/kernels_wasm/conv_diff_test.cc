// CONV_2D: the SIMD kernel (kernels_wasm/conv.cc) against the reference kernel
// on thousands of random seeded cases (odd sizes, channel counts that are not
// multiples of 4/8/16, strides 1-3, dilation 1-2, SAME/VALID, zero points in
// [-128, 127], per-channel scales spanning 1000x, every fused activation,
// batch > 1); output bytes must be identical and the SIMD kernel must have run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomActivation;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;
using testing::ToBytes;

constexpr char kSimdKernel[] = "conv2d_simd";

struct ConvCase {
  DType type = DType::kInt8;
  Shape input_shape, filter_shape;  // NHWC, [out, kh, kw, in]
  Conv2DOptions options;
  bool with_bias = true;
  // float32: inputs, weights and bias with special values (infinities,
  // zeros of both signs, subnormals, the float range's ends; no NaNs, whose
  // bits two orders of adds may pick differently); `inf_weight` also puts
  // an infinity among the weights.
  bool special = false, inf_weight = false;
  // int8
  float input_scale = 0.02f, output_scale = 0.05f;
  int input_zero_point = 0, output_zero_point = 0;
  std::vector<float> filter_scales;

  std::string Describe() const {
    return StrCat(DTypeName(type), " input ", ShapeToString(input_shape), " filter ",
                  ShapeToString(filter_shape), " stride ", options.stride_h, "x", options.stride_w,
                  " dilation ", options.dilation_h, "x", options.dilation_w,
                  options.padding == Padding::kSame ? " SAME" : " VALID", " activation ",
                  ActivationName(options.activation), " zero points ", input_zero_point, "/",
                  output_zero_point, with_bias ? " bias" : " no bias",
                  special ? " special values" : "", inf_weight ? " inf weight" : "");
  }
};

struct ConvModel {
  Model model;
  std::vector<uint8_t> input;
};

ConvModel BuildCase(const ConvCase& c, std::mt19937* rng) {
  ModelBuilder b;
  ConvModel m;
  const int out_channels = c.filter_shape[0];
  const int64_t filter_count = ShapeElementCount(c.filter_shape);
  std::vector<int32_t> inputs;
  if (c.type == DType::kInt8) {
    inputs.push_back(b.AddTensor("input", DType::kInt8, c.input_shape,
                                 PerTensor(c.input_scale, c.input_zero_point)));
    inputs.push_back(b.AddConstantBytes("filter", DType::kInt8, c.filter_shape,
                                        RandomInt8Bytes(filter_count, rng),
                                        PerChannel(c.filter_scales, 0)));
    if (c.with_bias) {
      // Typical biases, and now and then huge ones that saturate the output.
      const int range = RandomInt(0, 4, rng) == 0 ? 1 << 24 : 20000;
      std::vector<int32_t> bias(out_channels);
      for (int32_t& v : bias) v = RandomInt(-range, range, rng);
      std::vector<float> bias_scales;
      for (float s : c.filter_scales) bias_scales.push_back(s * c.input_scale);
      inputs.push_back(b.AddConstant<int32_t>("bias", DType::kInt32, {out_channels}, bias,
                                              PerChannel(bias_scales, 0)));
    }
    m.input = RandomInt8Bytes(ShapeElementCount(c.input_shape), rng);
  } else {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    auto random_floats = [&](int64_t count) {
      std::vector<float> v(count);
      // Some exact zeros so that -0/+0 sums and clamps are exercised.
      for (float& x : v) x = RandomInt(0, 9, rng) == 0 ? 0.0f : dist(*rng);
      return v;
    };
    auto values = [&](int64_t count) {
      return c.special ? testing::RandomSpecialFloatBytes(count, 6, /*nans=*/false, rng)
                       : ToBytes(random_floats(count));
    };
    std::vector<uint8_t> filter = values(filter_count);
    if (c.inf_weight) {
      const float inf = RandomInt(0, 1, rng) == 0 ? INFINITY : -INFINITY;
      std::memcpy(&filter[4 * RandomInt(0, static_cast<int>(filter_count) - 1, rng)], &inf, 4);
    }
    inputs.push_back(b.AddTensor("input", DType::kFloat32, c.input_shape));
    inputs.push_back(b.AddConstantBytes("filter", DType::kFloat32, c.filter_shape, filter));
    if (c.with_bias) {
      inputs.push_back(
          b.AddConstantBytes("bias", DType::kFloat32, {out_channels}, values(out_channels)));
    }
    m.input = values(ShapeElementCount(c.input_shape));
  }
  const Quantization out_quant =
      c.type == DType::kInt8 ? PerTensor(c.output_scale, c.output_zero_point) : Quantization{};
  const int output = b.AddTensor("output", c.type, {}, out_quant);
  b.AddOperator(BuiltinOp::kConv2D, inputs, {output}, c.options);
  b.SetInputs({inputs[0]});
  b.SetOutputs({output});
  m.model = b.Build();
  return m;
}

// A random case; `max_filter` 1 gives 1x1 convolutions (the GEMM-only path
// when the stride is 1).
ConvCase RandomCase(DType type, int max_filter, std::mt19937* rng) {
  ConvCase c;
  c.type = type;
  const int height = RandomInt(1, 11, rng);
  const int width = RandomInt(1, 11, rng);
  const int in_channels =
      RandomInt(0, 5, rng) == 0 ? RandomInt(33, 80, rng) : RandomInt(1, 24, rng);
  const int out_channels = RandomInt(1, 37, rng);
  c.input_shape = {RandomInt(1, 3, rng), height, width, in_channels};
  Conv2DOptions& o = c.options;
  o.stride_h = RandomInt(1, 3, rng);
  o.stride_w = RandomInt(1, 3, rng);
  if (max_filter == 1 && RandomInt(0, 2, rng) != 0) o.stride_h = o.stride_w = 1;
  o.dilation_h = RandomInt(1, 2, rng);
  o.dilation_w = RandomInt(1, 2, rng);
  const int kh = RandomInt(1, max_filter, rng);
  const int kw = RandomInt(1, max_filter, rng);
  o.padding = RandomInt(0, 1, rng) == 0 ? Padding::kSame : Padding::kValid;
  if ((kh - 1) * o.dilation_h + 1 > height || (kw - 1) * o.dilation_w + 1 > width) {
    o.padding = Padding::kSame;  // VALID would leave no output
  }
  o.activation = RandomActivation(rng);
  c.filter_shape = {out_channels, kh, kw, in_channels};
  c.with_bias = RandomInt(0, 5, rng) != 0;
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  c.input_scale = 0.002f + 0.1f * unit(*rng);
  c.input_zero_point = RandomInt(-128, 127, rng);
  c.output_zero_point = RandomInt(-128, 127, rng);
  // Per-channel scales spanning 1000x around a base; the output scale makes
  // typical sums land near the int8 range (sometimes far outside: clamping).
  const float base = 0.001f + 0.01f * unit(*rng);
  for (int oc = 0; oc < out_channels; ++oc) {
    c.filter_scales.push_back(base * std::pow(10.0f, 3.0f * unit(*rng) - 1.5f));
  }
  const float depth = static_cast<float>(kh * kw * in_channels);
  c.output_scale = c.input_scale * base * std::sqrt(depth) * (20.0f + 2000.0f * unit(*rng));
  return c;
}

void RunRandomCases(DType type, int max_filter, uint32_t seed, int cases,
                    Arithmetic arithmetic = Arithmetic::kTflite) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const ConvCase c = RandomCase(type, max_filter, &rng);
    const ConvModel m = BuildCase(c, &rng);
    if (!ExpectSimdMatchesReference(m.model, {m.input}, kSimdKernel,
                                    StrCat("case ", i, ": ", c.Describe()), nullptr, arithmetic)) {
      return;
    }
  }
}

TEST(ConvDiffTest, Int8GeneralRandomCases) { RunRandomCases(DType::kInt8, 5, 101, 1500); }

TEST(ConvDiffTest, Int8PointwiseRandomCases) { RunRandomCases(DType::kInt8, 1, 202, 800); }

TEST(ConvDiffTest, Int8XnnpackArithmeticRandomCases) {
  RunRandomCases(DType::kInt8, 5, 105, 600, Arithmetic::kXnnpack);
  RunRandomCases(DType::kInt8, 1, 205, 400, Arithmetic::kXnnpack);
}

TEST(ConvDiffTest, Float32RandomCases) { RunRandomCases(DType::kFloat32, 5, 303, 800); }

TEST(ConvDiffTest, Float32PointwiseRandomCases) { RunRandomCases(DType::kFloat32, 1, 404, 300); }

// Every edge of the float register tiles (4 pixels x 8 channels, chunks of
// 32 pixels): channel counts around multiples of 8, widths 1..13, 1x1 GEMM and
// tap-pointer shapes with padding, dilation, batch 2; special values, and
// infinite weights (the path that skips padding taps instead of reading zeros).
TEST(ConvDiffTest, Float32TileEdges) {
  std::mt19937 rng(909);
  struct Window {
    int k, stride, dilation;
    Padding padding;
  };
  const Window windows[] = {{1, 1, 1, Padding::kValid}, {1, 2, 1, Padding::kSame},
                            {3, 1, 1, Padding::kSame},  {3, 1, 1, Padding::kValid},
                            {3, 2, 1, Padding::kSame},  {3, 1, 2, Padding::kSame},
                            {5, 1, 1, Padding::kSame},  {5, 2, 1, Padding::kValid}};
  const int channel_counts[] = {1, 3, 7, 8, 9, 16, 17, 33};
  const Activation activations[] = {Activation::kNone, Activation::kRelu, Activation::kReluN1To1,
                                    Activation::kRelu6};
  int i = 0;
  for (const Window& win : windows) {
    for (int in_channels : channel_counts) {
      for (int out_channels : channel_counts) {
        ConvCase c;
        c.type = DType::kFloat32;
        const int width = 1 + i % 13;
        const int height = RandomInt(1, 6, &rng);
        c.input_shape = {1 + i % 2, height, width, in_channels};
        c.filter_shape = {out_channels, win.k, win.k, in_channels};
        Conv2DOptions& o = c.options;
        o.stride_h = o.stride_w = win.stride;
        o.dilation_h = o.dilation_w = win.dilation;
        o.padding = win.padding;
        const int extent = (win.k - 1) * win.dilation + 1;
        if (extent > height || extent > width) o.padding = Padding::kSame;
        o.activation = activations[i % 4];
        c.with_bias = i % 5 != 0;
        c.special = i % 3 != 0;
        c.inf_weight = i % 4 == 1;
        const ConvModel m = BuildCase(c, &rng);
        if (!ExpectSimdMatchesReference(m.model, {m.input}, kSimdKernel,
                                        StrCat("case ", i, ": ", c.Describe()))) {
          return;
        }
        ++i;
      }
    }
  }
}

// Larger layers: several GEMM row chunks, many channel blocks, deep patches.
TEST(ConvDiffTest, Int8LargerLayers) {
  std::mt19937 rng(505);
  const std::vector<std::vector<int>> shapes = {// h, w, in, out, k, stride
                                                {28, 28, 1, 16, 3, 1},
                                                {14, 14, 16, 32, 3, 2},
                                                {20, 20, 64, 40, 1, 1},
                                                {9, 9, 130, 21, 3, 1},
                                                {16, 16, 300, 12, 1, 1}};
  for (const auto& s : shapes) {
    ConvCase c = RandomCase(DType::kInt8, 3, &rng);
    c.input_shape = {1, s[0], s[1], s[2]};
    c.filter_shape = {s[3], s[4], s[4], s[2]};
    c.options.stride_h = c.options.stride_w = s[5];
    c.options.dilation_h = c.options.dilation_w = 1;
    c.filter_scales.resize(s[3], c.filter_scales[0]);
    const ConvModel m = BuildCase(c, &rng);
    ExpectSimdMatchesReference(m.model, {m.input}, kSimdKernel, c.Describe());
  }
}

// Float layers over many chunks of pixels, chunk ends inside output rows.
TEST(ConvDiffTest, Float32LargerLayers) {
  std::mt19937 rng(515);
  const std::vector<std::vector<int>> shapes = {// h, w, in, out, k, stride
                                                {17, 19, 8, 33, 3, 1},
                                                {30, 30, 3, 16, 3, 2},
                                                {12, 13, 64, 40, 1, 1},
                                                {9, 9, 33, 17, 5, 1}};
  for (const auto& s : shapes) {
    for (bool special : {false, true}) {
      ConvCase c = RandomCase(DType::kFloat32, 3, &rng);
      c.input_shape = {1, s[0], s[1], s[2]};
      c.filter_shape = {s[3], s[4], s[4], s[2]};
      c.options.stride_h = c.options.stride_w = s[5];
      c.options.dilation_h = c.options.dilation_w = 1;
      c.special = c.inf_weight = special;
      const ConvModel m = BuildCase(c, &rng);
      ExpectSimdMatchesReference(m.model, {m.input}, kSimdKernel, c.Describe());
    }
  }
}

#if !defined(__EMSCRIPTEN__)
// The int8 cases again with the GEMM on int8 quads for a relaxed dot product,
// emulated with each exact behaviour (kernels_wasm/relaxed_dot.h).
TEST(ConvDiffTest, Int8RandomCasesOnRelaxedDotQuads) {
  for (const auto& [behaviour, mode] : testing::ExactRelaxedDots()) {
    testing::ScopedEmulatedRelaxedDot relaxed(behaviour);
    ASSERT_EQ(relaxed.mode(), mode);
    RunRandomCases(DType::kInt8, 5, 707, 300);
    RunRandomCases(DType::kInt8, 1, 808, 200);
  }
}
#endif

// What the SIMD kernel does not cover still runs, on the reference kernel.
TEST(ConvDiffTest, DeclinedNodesFallBackToReference) {
  std::mt19937 rng(606);
  ModelBuilder b;
  const int input = b.AddTensor("input", DType::kUInt8, {1, 5, 5, 3}, PerTensor(0.1f, 128));
  const int filter = b.AddConstantBytes("filter", DType::kUInt8, {4, 3, 3, 3},
                                        RandomInt8Bytes(4 * 27, &rng), PerTensor(0.02f, 120));
  const int output = b.AddTensor("output", DType::kUInt8, {}, PerTensor(0.3f, 100));
  b.AddOperator(BuiltinOp::kConv2D, {input, filter}, {output}, Conv2DOptions{});
  b.SetInputs({input});
  b.SetOutputs({output});
  const Model model = b.Build();
  const auto in = RandomInt8Bytes(75, &rng);
  const auto simd = RunWithKernels(model, {in}, KernelSet::kSimd);
  const auto reference = RunWithKernels(model, {in}, KernelSet::kReference);
  ASSERT_TRUE(simd.status.ok()) << simd.status.message();
  EXPECT_EQ(simd.node_kernels.at(0), "conv2d_reference");
  EXPECT_EQ(simd.output, reference.output);
}

}  // namespace
}  // namespace qlite
