// FULLY_CONNECTED: the SIMD kernel (kernels_wasm/fully_connected.cc) against
// the reference kernel on thousands of random seeded cases: int8 with
// per-tensor and per-channel filters (scales spanning 1000x), zero points in
// [-128, 127], depths and unit counts that are not multiples of 4/8/16,
// several batches, inputs of rank 1-4 with and without keep_num_dims, every
// fused activation; float32 likewise. Output bytes must be identical and the
// SIMD kernel must have run.
#include <gtest/gtest.h>

#include <cmath>
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

constexpr char kSimdKernel[] = "fully_connected_simd";

struct FcCase {
  DType type = DType::kInt8;
  Shape input_shape;
  int units = 1, depth = 1;
  FullyConnectedOptions options;
  bool with_bias = true;
  bool per_channel = false;
  float input_scale = 0.02f, output_scale = 0.05f;
  int input_zero_point = 0, output_zero_point = 0;
  std::vector<float> filter_scales;  // one (per-tensor) or one per unit

  std::string Describe() const {
    return StrCat(DTypeName(type), " input ", ShapeToString(input_shape), " units ", units,
                  " depth ", depth, options.keep_num_dims ? " keep_num_dims" : "",
                  per_channel ? " per-channel" : " per-tensor", " activation ",
                  ActivationName(options.activation), " zero points ", input_zero_point, "/",
                  output_zero_point, with_bias ? " bias" : " no bias");
  }
};

struct FcModel {
  Model model;
  std::vector<uint8_t> input;
};

FcModel BuildCase(const FcCase& c, std::mt19937* rng) {
  ModelBuilder b;
  FcModel m;
  std::vector<int32_t> inputs;
  const int64_t filter_count = static_cast<int64_t>(c.units) * c.depth;
  if (c.type == DType::kInt8) {
    inputs.push_back(b.AddTensor("input", DType::kInt8, c.input_shape,
                                 PerTensor(c.input_scale, c.input_zero_point)));
    const Quantization filter_quant =
        c.per_channel ? PerChannel(c.filter_scales, 0) : PerTensor(c.filter_scales[0], 0);
    inputs.push_back(b.AddConstantBytes("filter", DType::kInt8, {c.units, c.depth},
                                        RandomInt8Bytes(filter_count, rng), filter_quant));
    if (c.with_bias) {
      const int range = RandomInt(0, 4, rng) == 0 ? 1 << 24 : 20000;
      std::vector<int32_t> bias(c.units);
      for (int32_t& v : bias) v = RandomInt(-range, range, rng);
      inputs.push_back(b.AddConstant<int32_t>("bias", DType::kInt32, {c.units}, bias,
                                              PerTensor(c.input_scale * c.filter_scales[0], 0)));
    }
    m.input = RandomInt8Bytes(ShapeElementCount(c.input_shape), rng);
  } else {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    auto random_floats = [&](int64_t count) {
      std::vector<float> v(count);
      for (float& x : v) x = RandomInt(0, 9, rng) == 0 ? 0.0f : dist(*rng);
      return v;
    };
    inputs.push_back(b.AddTensor("input", DType::kFloat32, c.input_shape));
    inputs.push_back(b.AddConstant<float>("filter", DType::kFloat32, {c.units, c.depth},
                                          random_floats(filter_count)));
    if (c.with_bias) {
      inputs.push_back(
          b.AddConstant<float>("bias", DType::kFloat32, {c.units}, random_floats(c.units)));
    }
    m.input = ToBytes(random_floats(ShapeElementCount(c.input_shape)));
  }
  const Quantization out_quant =
      c.type == DType::kInt8 ? PerTensor(c.output_scale, c.output_zero_point) : Quantization{};
  const int output = b.AddTensor("output", c.type, {}, out_quant);
  b.AddOperator(BuiltinOp::kFullyConnected, inputs, {output}, c.options);
  b.SetInputs({inputs[0]});
  b.SetOutputs({output});
  m.model = b.Build();
  return m;
}

FcCase RandomCase(DType type, std::mt19937* rng) {
  FcCase c;
  c.type = type;
  c.depth = RandomInt(0, 4, rng) == 0 ? RandomInt(100, 400, rng) : RandomInt(1, 70, rng);
  c.units = RandomInt(1, 70, rng);
  // Rank 1-4; the last dim is the depth, or (without keep_num_dims) the
  // depth may be spread over the last dims.
  const int rank = RandomInt(1, 4, rng);
  c.options.keep_num_dims = rank > 1 && RandomInt(0, 1, rng) == 1;
  c.input_shape.assign(rank, 1);
  for (int d = 0; d + 1 < rank; ++d) c.input_shape[d] = RandomInt(1, 3, rng);
  c.input_shape[rank - 1] = c.depth;
  if (!c.options.keep_num_dims && rank >= 2 && c.depth % 2 == 0 && RandomInt(0, 1, rng) == 1) {
    c.input_shape[rank - 1] = c.depth / 2;
    c.input_shape[rank - 2] *= 2;  // batches stay whole: elements = batches * depth
  }
  c.options.activation = RandomActivation(rng);
  c.with_bias = RandomInt(0, 5, rng) != 0;
  c.per_channel = RandomInt(0, 1, rng) == 1;
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  c.input_scale = 0.002f + 0.1f * unit(*rng);
  c.input_zero_point = RandomInt(-128, 127, rng);
  c.output_zero_point = RandomInt(-128, 127, rng);
  const float base = 0.001f + 0.01f * unit(*rng);
  const int scales = c.per_channel ? c.units : 1;
  for (int u = 0; u < scales; ++u) {
    c.filter_scales.push_back(base * std::pow(10.0f, 3.0f * unit(*rng) - 1.5f));
  }
  c.output_scale = c.input_scale * base * std::sqrt(static_cast<float>(c.depth)) *
                   (20.0f + 2000.0f * unit(*rng));
  return c;
}

void RunRandomCases(DType type, uint32_t seed, int cases,
                    Arithmetic arithmetic = Arithmetic::kTflite) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const FcCase c = RandomCase(type, &rng);
    const FcModel m = BuildCase(c, &rng);
    if (!ExpectSimdMatchesReference(m.model, {m.input}, kSimdKernel,
                                    StrCat("case ", i, ": ", c.Describe()), nullptr, arithmetic)) {
      return;
    }
  }
}

TEST(FullyConnectedDiffTest, Int8RandomCases) { RunRandomCases(DType::kInt8, 11, 2500); }

TEST(FullyConnectedDiffTest, Int8XnnpackArithmeticRandomCases) {
  RunRandomCases(DType::kInt8, 13, 1200, Arithmetic::kXnnpack);
}

// Shapes on both sides of the GEMM's layout choice (kernels_wasm/gemm_int8.h):
// int16 pairs in 16-deep chunks, or int8 blocks for depths past
// kPairDepthLimit and for one input row over more than 64 KB of pairs.
TEST(FullyConnectedDiffTest, Int8BothWeightLayouts) {
  std::mt19937 rng(44);
  const std::vector<std::vector<int>> shapes = {
      // batches, depth, units
      {1, 120, 84}, {1, 600, 70}, {3, 600, 70}, {1, 1030, 5}, {2, 1100, 21},
      {4, 1024, 9}, {1, 17, 300}, {2, 33, 13},  {5, 47, 6},   {1, 460, 72},
      {1, 456, 72}, {2, 16, 3},   {7, 95, 41}};
  for (const auto& s : shapes) {
    FcCase c = RandomCase(DType::kInt8, &rng);
    c.input_shape = {s[0], s[1]};
    // Keep typical sums near the int8 range (RandomCase scaled for its depth).
    c.output_scale *= std::sqrt(static_cast<float>(s[1]) / static_cast<float>(c.depth));
    c.depth = s[1];
    c.units = s[2];
    c.options.keep_num_dims = false;
    c.filter_scales.resize(c.per_channel ? c.units : 1, c.filter_scales[0]);
    const FcModel m = BuildCase(c, &rng);
    ExpectSimdMatchesReference(m.model, {m.input}, kSimdKernel, c.Describe());
  }
}

#if !defined(__EMSCRIPTEN__)
// The int8 cases again with the GEMM on int8 quads for a relaxed dot product,
// emulated with each exact behaviour (kernels_wasm/relaxed_dot.h).
TEST(FullyConnectedDiffTest, Int8RandomCasesOnRelaxedDotQuads) {
  for (const auto& [behaviour, mode] : testing::ExactRelaxedDots()) {
    testing::ScopedEmulatedRelaxedDot relaxed(behaviour);
    ASSERT_EQ(relaxed.mode(), mode);
    RunRandomCases(DType::kInt8, 909, 400);
  }
}
#endif

TEST(FullyConnectedDiffTest, Float32RandomCases) { RunRandomCases(DType::kFloat32, 22, 1500); }

// What the SIMD kernel does not cover (here hybrid: float input, int8
// weights) still runs, on the reference kernel.
TEST(FullyConnectedDiffTest, DeclinedNodesFallBackToReference) {
  std::mt19937 rng(33);
  ModelBuilder b;
  const int input = b.AddTensor("input", DType::kFloat32, {2, 10});
  const int filter = b.AddConstantBytes("filter", DType::kInt8, {3, 10}, RandomInt8Bytes(30, &rng),
                                        PerTensor(0.01f, 0));
  const int output = b.AddTensor("output", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kFullyConnected, {input, filter}, {output}, FullyConnectedOptions{});
  b.SetInputs({input});
  b.SetOutputs({output});
  const Model model = b.Build();
  const auto in = ToBytes(std::vector<float>(20, 0.5f));
  const auto simd = RunWithKernels(model, {in}, KernelSet::kSimd);
  const auto reference = RunWithKernels(model, {in}, KernelSet::kReference);
  ASSERT_TRUE(simd.status.ok()) << simd.status.message();
  EXPECT_EQ(simd.node_kernels.at(0), "fully_connected_reference");
  EXPECT_EQ(simd.output, reference.output);
}

}  // namespace
}  // namespace qlite
