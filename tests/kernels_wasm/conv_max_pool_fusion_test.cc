// int8 CONV_2D followed by MAX_POOL_2D: the SIMD conv takes the pool over
// (pools its int32 accumulators, requantizes the maxima; FuseMaxPool in
// kernels_wasm/conv.cc). Random graphs input -> conv -> pool -> output must
// give the reference kernels' bytes, the pool must really have been fused
// where the requantization allows it, and never where the conv's output is
// read by anything else.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::RandomActivation;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;

constexpr char kFused[] = "fused_into_previous_node";

struct FusionCase {
  Shape input_shape, filter_shape;
  Conv2DOptions conv;
  Pool2DOptions pool;
  int input_zero_point = 0, output_zero_point = 0;
  float input_scale = 0.02f, output_scale = 0.05f;
  std::vector<float> filter_scales;
  int bias_range = 20000;
  // Extra readers of the conv's output, which must keep the nodes apart.
  bool conv_output_is_model_output = false;
  bool second_pool_reads_conv = false;

  std::string Describe() const {
    return StrCat(
        "input ", ShapeToString(input_shape), " filter ", ShapeToString(filter_shape),
        " conv stride ", conv.stride_h, "x", conv.stride_w,
        conv.padding == Padding::kSame ? " SAME" : " VALID", " ", ActivationName(conv.activation),
        "; pool ", pool.filter_h, "x", pool.filter_w, " stride ", pool.stride_h, "x", pool.stride_w,
        pool.padding == Padding::kSame ? " SAME " : " VALID ", ActivationName(pool.activation),
        "; zero points ", input_zero_point, "/", output_zero_point, " bias range ", bias_range);
  }
};

Model BuildGraph(const FusionCase& c, std::mt19937* rng) {
  ModelBuilder b;
  const int out_channels = c.filter_shape[0];
  const int input = b.AddTensor("input", DType::kInt8, c.input_shape,
                                PerTensor(c.input_scale, c.input_zero_point));
  const int filter = b.AddConstantBytes("filter", DType::kInt8, c.filter_shape,
                                        RandomInt8Bytes(ShapeElementCount(c.filter_shape), rng),
                                        PerChannel(c.filter_scales, 0));
  std::vector<int32_t> bias(out_channels);
  for (int32_t& v : bias) v = RandomInt(-c.bias_range, c.bias_range, rng);
  std::vector<float> bias_scales;
  for (float s : c.filter_scales) bias_scales.push_back(s * c.input_scale);
  const int bias_tensor = b.AddConstant<int32_t>("bias", DType::kInt32, {out_channels}, bias,
                                                 PerChannel(bias_scales, 0));
  const Quantization out_quant = PerTensor(c.output_scale, c.output_zero_point);
  const int conv_out = b.AddTensor("conv_out", DType::kInt8, {}, out_quant);
  const int pooled = b.AddTensor("pooled", DType::kInt8, {}, out_quant);
  b.AddOperator(BuiltinOp::kConv2D, {input, filter, bias_tensor}, {conv_out}, c.conv);
  b.AddOperator(BuiltinOp::kMaxPool2D, {conv_out}, {pooled}, c.pool);
  std::vector<int32_t> outputs = {pooled};
  if (c.second_pool_reads_conv) {
    const int other = b.AddTensor("other", DType::kInt8, {}, out_quant);
    b.AddOperator(BuiltinOp::kMaxPool2D, {conv_out}, {other}, c.pool);
    outputs.push_back(other);
  }
  if (c.conv_output_is_model_output) outputs.push_back(conv_out);
  b.SetInputs({input});
  b.SetOutputs(outputs);
  return b.Build();
}

FusionCase RandomCase(std::mt19937* rng) {
  FusionCase c;
  const int height = RandomInt(2, 16, rng);
  const int width = RandomInt(2, 16, rng);
  const int in_channels = RandomInt(1, 3, rng) == 1 ? 1 : RandomInt(2, 20, rng);
  const int out_channels = RandomInt(1, 24, rng);
  c.input_shape = {RandomInt(1, 2, rng), height, width, in_channels};
  const int k = RandomInt(1, 3, rng);
  c.filter_shape = {out_channels, k, k, in_channels};
  c.conv.stride_h = c.conv.stride_w = RandomInt(1, 2, rng);
  c.conv.padding =
      k > std::min(height, width) || RandomInt(0, 1, rng) == 0 ? Padding::kSame : Padding::kValid;
  c.conv.activation = RandomActivation(rng);
  c.pool.filter_h = RandomInt(1, 3, rng);
  c.pool.filter_w = RandomInt(1, 3, rng);
  c.pool.stride_h = RandomInt(1, 3, rng);
  c.pool.stride_w = RandomInt(1, 3, rng);
  c.pool.padding = RandomInt(0, 1, rng) == 0 ? Padding::kSame : Padding::kValid;
  c.pool.activation = RandomActivation(rng);
  c.input_zero_point = RandomInt(-128, 127, rng);
  c.output_zero_point = RandomInt(-128, 127, rng);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  c.input_scale = 0.002f + 0.1f * unit(*rng);
  const float base = 0.001f + 0.01f * unit(*rng);
  for (int oc = 0; oc < out_channels; ++oc) {
    c.filter_scales.push_back(base * std::pow(10.0f, 2.0f * unit(*rng) - 1.0f));
  }
  const float depth = static_cast<float>(k * k * in_channels);
  c.output_scale = c.input_scale * base * std::sqrt(depth) * (20.0f + 500.0f * unit(*rng));
  // Now and then a bias too large for the requantization's short path: the
  // nodes must then stay apart.
  if (RandomInt(0, 9, rng) == 0) c.bias_range = INT32_MAX;
  return c;
}

// Runs the graph with both kernel sets; returns the SIMD run's pool kernel.
std::string ExpectSameBytes(const FusionCase& c, std::mt19937* rng, bool* ok) {
  const Model model = BuildGraph(c, rng);
  const std::vector<uint8_t> input = RandomInt8Bytes(ShapeElementCount(c.input_shape), rng);
  const auto reference = RunWithKernels(model, {input}, KernelSet::kReference);
  const auto simd = RunWithKernels(model, {input}, KernelSet::kSimd);
  *ok = false;
  if (!reference.status.ok()) {
    // Shapes the pool rejects (e.g. a VALID window larger than its input).
    EXPECT_FALSE(simd.status.ok()) << c.Describe();
    return "";
  }
  EXPECT_TRUE(simd.status.ok()) << c.Describe() << ": " << simd.status.message();
  if (!simd.status.ok()) return "";
  EXPECT_EQ(simd.node_kernels.at(0), "conv2d_simd") << c.Describe();
  EXPECT_EQ(simd.output, reference.output)
      << c.Describe() << " (pool kernel " << simd.node_kernels.at(1) << ")";
  *ok = simd.output == reference.output;
  return simd.node_kernels.at(1);
}

TEST(ConvMaxPoolFusionTest, RandomGraphsMatchTheReference) {
  std::mt19937 rng(4242);
  int fused = 0, apart = 0, rejected = 0;
  for (int i = 0; i < 600; ++i) {
    const FusionCase c = RandomCase(&rng);
    bool ok = false;
    const std::string pool_kernel = ExpectSameBytes(c, &rng, &ok);
    if (pool_kernel.empty()) {
      ++rejected;
    } else {
      (pool_kernel == kFused ? fused : apart) += 1;
    }
    if (!pool_kernel.empty() && !ok) break;
  }
  // Most cases fuse; the huge-bias ones must not.
  EXPECT_GT(fused, 350) << "apart " << apart << ", rejected " << rejected;
  EXPECT_GT(apart, 20) << "fused " << fused;
}

// The tutorial CNN's layer shapes: 28x28x1 -> 3x3x12 VALID -> 2x2 pool.
TEST(ConvMaxPoolFusionTest, TutorialShapesFuse) {
  std::mt19937 rng(77);
  FusionCase c = RandomCase(&rng);
  c.input_shape = {1, 28, 28, 1};
  c.filter_shape = {12, 3, 3, 1};
  c.filter_scales.resize(12, c.filter_scales[0] * 1.3f);
  c.conv = Conv2DOptions{};
  c.conv.padding = Padding::kValid;
  c.conv.activation = Activation::kRelu;
  c.pool = Pool2DOptions{};
  c.pool.padding = Padding::kValid;
  c.pool.filter_h = c.pool.filter_w = c.pool.stride_h = c.pool.stride_w = 2;
  c.bias_range = 2000;
  bool ok = false;
  EXPECT_EQ(ExpectSameBytes(c, &rng, &ok), kFused);
  EXPECT_TRUE(ok);
}

// The conv's output has another reader: both nodes run (and agree).
TEST(ConvMaxPoolFusionTest, SharedConvOutputIsNotFused) {
  std::mt19937 rng(99);
  for (int variant = 0; variant < 2; ++variant) {
    FusionCase c = RandomCase(&rng);
    c.input_shape = {1, 9, 9, 3};
    c.filter_shape = {5, 3, 3, 3};
    c.filter_scales.resize(5, c.filter_scales[0]);
    c.conv.padding = Padding::kSame;
    c.pool.padding = Padding::kSame;
    c.bias_range = 2000;
    c.conv_output_is_model_output = variant == 0;
    c.second_pool_reads_conv = variant == 1;
    const Model model = BuildGraph(c, &rng);
    const std::vector<uint8_t> input = RandomInt8Bytes(9 * 9 * 3, &rng);
    const auto reference = RunWithKernels(model, {input}, KernelSet::kReference);
    const auto simd = RunWithKernels(model, {input}, KernelSet::kSimd);
    ASSERT_TRUE(simd.status.ok()) << simd.status.message();
    EXPECT_EQ(simd.node_kernels.at(1), "max_pool_2d_simd128") << c.Describe();
    EXPECT_EQ(simd.output, reference.output) << c.Describe();
  }
}

// InterpreterOptions::fuse_nodes = false keeps every node (the GUI's layer
// view reads each one's output).
TEST(ConvMaxPoolFusionTest, FusionCanBeTurnedOff) {
  std::mt19937 rng(5);
  FusionCase c = RandomCase(&rng);
  c.input_shape = {1, 8, 8, 2};
  c.filter_shape = {4, 3, 3, 2};
  c.filter_scales.resize(4, c.filter_scales[0]);
  c.bias_range = 2000;
  const Model model = BuildGraph(c, &rng);
  std::unique_ptr<Interpreter> interpreter;
  InterpreterOptions options;
  options.kernels = KernelSet::kSimd;
  options.fuse_nodes = false;
  ASSERT_TRUE(Interpreter::Create(model, options, &interpreter).ok());
  EXPECT_STREQ(interpreter->node_kernel_name(1), "max_pool_2d_simd128");
  options.fuse_nodes = true;
  ASSERT_TRUE(Interpreter::Create(model, options, &interpreter).ok());
  EXPECT_STREQ(interpreter->node_kernel_name(1), kFused);
}

}  // namespace
}  // namespace qlite
