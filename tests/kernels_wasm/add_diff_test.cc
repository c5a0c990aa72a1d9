// int8 ADD: the SIMD kernel (kernels_wasm/add.cc) against the reference kernel
// on thousands of random seeded cases, same-shape and broadcast; output bytes
// must be identical and the SIMD kernel must really have run.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomActivation;
using testing::RandomBinaryShapes;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;

struct AddCase {
  Shape shape1, shape2;
  Quantization q1, q2, qout;
  ElementwiseOptions options;

  std::string Describe() const {
    return StrCat("ADD ", ShapeToString(shape1), " + ", ShapeToString(shape2), " scales ",
                  q1.scale[0], ", ", q2.scale[0], " -> ", qout.scale[0], " zero points ",
                  q1.zero_point[0], ", ", q2.zero_point[0], " -> ", qout.zero_point[0],
                  " activation ", ActivationName(options.activation));
  }
};

Model BuildAdd(const AddCase& c, DType type = DType::kInt8) {
  ModelBuilder b;
  const int in1 = b.AddTensor("a", type, c.shape1, c.q1);
  const int in2 = b.AddTensor("b", type, c.shape2, c.q2);
  const int out = b.AddTensor("out", type, {}, c.qout);
  b.AddOperator(BuiltinOp::kAdd, {in1, in2}, {out}, c.options);
  b.SetInputs({in1, in2});
  b.SetOutputs({out});
  return b.Build();
}

Quantization RandomQuant(float min_scale, float max_scale, std::mt19937* rng) {
  // Log-uniform scales: ratios between the three tensors up to max/min.
  std::uniform_real_distribution<float> log_scale(std::log(min_scale), std::log(max_scale));
  return PerTensor(std::exp(log_scale(*rng)), RandomInt(-128, 127, rng));
}

AddCase RandomAddCase(bool broadcast, std::mt19937* rng) {
  AddCase c;
  RandomBinaryShapes(broadcast, rng, &c.shape1, &c.shape2);
  c.q1 = RandomQuant(0.002f, 2.0f, rng);
  c.q2 = RandomQuant(0.002f, 2.0f, rng);
  c.qout = RandomQuant(0.004f, 4.0f, rng);
  c.options.activation = RandomActivation(rng);
  return c;
}

void RunRandomCases(bool broadcast, uint32_t seed, int cases) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const AddCase c = RandomAddCase(broadcast, &rng);
    const auto a = RandomInt8Bytes(ShapeElementCount(c.shape1), &rng);
    const auto b = RandomInt8Bytes(ShapeElementCount(c.shape2), &rng);
    if (!ExpectSimdMatchesReference(BuildAdd(c), {a, b}, "add_simd128",
                                    StrCat("case ", i, ": ", c.Describe()))) {
      return;
    }
  }
}

TEST(AddDiffTest, Int8SameShapeRandomCases) { RunRandomCases(false, 4321, 2000); }

TEST(AddDiffTest, Int8BroadcastRandomCases) { RunRandomCases(true, 8765, 2000); }

// Every pair of int8 values once, at scales where the rounding of the three
// rescales is exercised at both ends of the range.
TEST(AddDiffTest, Int8AllValuePairs) {
  std::mt19937 rng(17);
  for (int i = 0; i < 20; ++i) {
    AddCase c;
    c.shape1 = c.shape2 = {256, 256};
    c.q1 = RandomQuant(0.001f, 1.0f, &rng);
    c.q2 = RandomQuant(0.001f, 1.0f, &rng);
    c.qout = RandomQuant(0.001f, 1.0f, &rng);
    c.options.activation = RandomActivation(&rng);
    std::vector<uint8_t> a(256 * 256), b(256 * 256);
    for (int x = 0; x < 256; ++x) {
      for (int y = 0; y < 256; ++y) {
        a[x * 256 + y] = static_cast<uint8_t>(x);
        b[x * 256 + y] = static_cast<uint8_t>(y);
      }
    }
    if (!ExpectSimdMatchesReference(BuildAdd(c), {a, b}, "add_simd128",
                                    StrCat("case ", i, ": ", c.Describe()))) {
      return;
    }
  }
}

// int16 is declined and runs the reference kernel (float32 has its own SIMD
// kernel: elementwise_float_diff_test.cc).
TEST(AddDiffTest, Int16AddFallsBackToReference) {
  AddCase c;
  c.shape1 = c.shape2 = {3};
  c.q1 = c.q2 = c.qout = PerTensor(0.5f, 0);
  const auto run = RunWithKernels(BuildAdd(c, DType::kInt16),
                                  {testing::ToBytes(std::vector<int16_t>{1, 2, 3}),
                                   testing::ToBytes(std::vector<int16_t>{4, 5, 6})},
                                  KernelSet::kSimd);
  ASSERT_TRUE(run.status.ok()) << run.status.message();
  EXPECT_EQ(run.node_kernels.at(0), "add_reference");
  EXPECT_EQ(testing::FromBytes<int16_t>(run.output), (std::vector<int16_t>{5, 7, 9}));
}

}  // namespace
}  // namespace qlite
