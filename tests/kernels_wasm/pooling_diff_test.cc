// int8 and float32 MAX_POOL_2D / AVERAGE_POOL_2D: the SIMD kernels (kernels_wasm/pooling.cc)
// against the reference kernels on thousands of random seeded cases; output
// bytes must be identical and the SIMD kernel must really have run.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomActivation;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;

struct PoolCase {
  BuiltinOp op = BuiltinOp::kMaxPool2D;
  DType type = DType::kInt8;
  Shape input_shape;
  Pool2DOptions options;
  float scale = 0.05f;
  int zero_point = 0;

  std::string Describe() const {
    return StrCat(op == BuiltinOp::kMaxPool2D ? "MAX_POOL_2D" : "AVERAGE_POOL_2D", " input ",
                  ShapeToString(input_shape), " filter ", options.filter_h, "x", options.filter_w,
                  " stride ", options.stride_h, "x", options.stride_w,
                  options.padding == Padding::kSame ? " SAME" : " VALID", " activation ",
                  ActivationName(options.activation), " ", DTypeName(type), " zero point ",
                  zero_point);
  }
};

Model BuildPool(const PoolCase& c) {
  ModelBuilder b;
  const Quantization q = c.type == DType::kInt8 ? PerTensor(c.scale, c.zero_point) : Quantization();
  const int input = b.AddTensor("input", c.type, c.input_shape, q);
  const int output = b.AddTensor("output", c.type, {}, q);
  b.AddOperator(c.op, {input}, {output}, c.options);
  b.SetInputs({input});
  b.SetOutputs({output});
  return b.Build();
}

// Odd sizes, every channel count 1..67 (16-wide, 8-wide and scalar tails),
// windows up to 4x4 or the whole input (global pooling), SAME and VALID.
PoolCase RandomPoolCase(BuiltinOp op, DType type, std::mt19937* rng) {
  PoolCase c;
  c.op = op;
  c.type = type;
  const int height = RandomInt(1, 13, rng);
  const int width = RandomInt(1, 13, rng);
  c.input_shape = {RandomInt(1, 2, rng), height, width, RandomInt(1, 67, rng)};
  Pool2DOptions& o = c.options;
  o.padding = RandomInt(0, 1, rng) == 0 ? Padding::kSame : Padding::kValid;
  if (RandomInt(0, 9, rng) == 0) {  // global pooling
    o.padding = Padding::kValid;
    o.filter_h = height;
    o.filter_w = width;
  } else {
    o.filter_h = RandomInt(1, std::min(4, height), rng);
    o.filter_w = RandomInt(1, std::min(4, width), rng);
  }
  o.stride_h = RandomInt(1, 3, rng);
  o.stride_w = RandomInt(1, 3, rng);
  o.activation = RandomActivation(rng);
  c.scale = std::uniform_real_distribution<float>(0.002f, 0.5f)(*rng);
  c.zero_point = RandomInt(-128, 127, rng);
  return c;
}

// float32 inputs in [-8, 8) with some exact ties and signed zeros, so the
// max's tie-breaking and the clamps' order of comparisons both show.
std::vector<uint8_t> RandomFloatBytes(int64_t count, std::mt19937* rng) {
  std::vector<float> values(count);
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  for (float& v : values) {
    const int kind = RandomInt(0, 9, rng);
    v = kind == 0 ? 0.0f : kind == 1 ? -0.0f : kind == 2 ? 1.0f : dist(*rng);
  }
  return testing::ToBytes(values);
}

void RunRandomCases(BuiltinOp op, DType type, const char* kernel, uint32_t seed, int cases) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const PoolCase c = RandomPoolCase(op, type, &rng);
    const int64_t count = ShapeElementCount(c.input_shape);
    const auto input =
        type == DType::kInt8 ? RandomInt8Bytes(count, &rng) : RandomFloatBytes(count, &rng);
    if (!ExpectSimdMatchesReference(BuildPool(c), {input}, kernel,
                                    StrCat("case ", i, ": ", c.Describe()))) {
      return;
    }
  }
}

TEST(PoolingDiffTest, MaxPoolInt8RandomCases) {
  RunRandomCases(BuiltinOp::kMaxPool2D, DType::kInt8, "max_pool_2d_simd128", 1234, 2000);
}

TEST(PoolingDiffTest, AveragePoolInt8RandomCases) {
  RunRandomCases(BuiltinOp::kAveragePool2D, DType::kInt8, "average_pool_2d_simd128", 5678, 2000);
}

TEST(PoolingDiffTest, MaxPoolFloatRandomCases) {
  RunRandomCases(BuiltinOp::kMaxPool2D, DType::kFloat32, "max_pool_2d_simd128", 4321, 1000);
}

TEST(PoolingDiffTest, AveragePoolFloatRandomCases) {
  RunRandomCases(BuiltinOp::kAveragePool2D, DType::kFloat32, "average_pool_2d_simd128", 8765, 1000);
}

// Inputs at the extremes: sums of -128 and 127 over large windows, where the
// int16 partial sums are flushed to int32 (more than 256 taps) and the
// rounding of exact halves matters.
TEST(PoolingDiffTest, AveragePoolInt8ExtremeValuesAndLargeWindows) {
  std::mt19937 rng(91);
  for (int i = 0; i < 60; ++i) {
    PoolCase c;
    c.op = BuiltinOp::kAveragePool2D;
    const int size = RandomInt(15, 40, &rng);
    c.input_shape = {1, size, size + RandomInt(0, 3, &rng), RandomInt(1, 40, &rng)};
    c.options.padding = Padding::kValid;
    c.options.filter_h = size - RandomInt(0, 3, &rng);
    c.options.filter_w = size - RandomInt(0, 3, &rng);
    c.options.activation = RandomActivation(&rng);
    c.zero_point = RandomInt(-128, 127, &rng);
    std::vector<uint8_t> input(ShapeElementCount(c.input_shape));
    const int pattern = i % 3;
    for (uint8_t& v : input) {
      const int8_t value = pattern == 0   ? -128
                           : pattern == 1 ? 127
                                          : static_cast<int8_t>(RandomInt(0, 1, &rng) ? -128 : 127);
      v = static_cast<uint8_t>(value);
    }
    if (!ExpectSimdMatchesReference(BuildPool(c), {input}, "average_pool_2d_simd128",
                                    StrCat("case ", i, ": ", c.Describe()))) {
      return;
    }
  }
}

// Windows too large for the exact float division go to the reference kernel.
TEST(PoolingDiffTest, AveragePoolHugeWindowFallsBackToReference) {
  PoolCase c;
  c.op = BuiltinOp::kAveragePool2D;
  c.input_shape = {1, 300, 300, 1};
  c.options.padding = Padding::kValid;
  c.options.filter_h = c.options.filter_w = 300;
  const auto run =
      RunWithKernels(BuildPool(c), {std::vector<uint8_t>(300 * 300, 7)}, KernelSet::kSimd);
  ASSERT_TRUE(run.status.ok()) << run.status.message();
  EXPECT_EQ(run.node_kernels.at(0), "average_pool_2d_reference");
  EXPECT_EQ(run.output, std::vector<uint8_t>{7});
}

// Other dtypes (here uint8) are declined and run the reference kernel.
TEST(PoolingDiffTest, Uint8PoolingFallsBackToReference) {
  ModelBuilder b;
  const Quantization q = PerTensor(0.5f, 10);
  const int input = b.AddTensor("input", DType::kUInt8, {1, 2, 2, 1}, q);
  const int output = b.AddTensor("output", DType::kUInt8, {}, q);
  Pool2DOptions o;
  o.filter_h = o.filter_w = 2;
  o.padding = Padding::kValid;
  b.AddOperator(BuiltinOp::kMaxPool2D, {input}, {output}, o);
  b.SetInputs({input});
  b.SetOutputs({output});
  const auto run = RunWithKernels(b.Build(), {std::vector<uint8_t>{1, 4, 2, 3}}, KernelSet::kSimd);
  ASSERT_TRUE(run.status.ok()) << run.status.message();
  EXPECT_EQ(run.node_kernels.at(0), "max_pool_2d_reference");
  EXPECT_EQ(run.output, std::vector<uint8_t>{4});
}

}  // namespace
}  // namespace qlite
