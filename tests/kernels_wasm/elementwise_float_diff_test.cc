// float32 ADD, SUB and MUL: the SIMD kernels (kernels_wasm/elementwise_float.cc)
// against the reference kernels on random seeded cases, same-shape and
// broadcast, every fused activation, inputs mixing ordinary values with
// infinities, NaNs, signed zeros and denormals; output bytes must be identical
// (at 1 to 4 threads) and the SIMD kernel must really have run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
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
using testing::RandomSpecialFloatBytes;

struct BinaryCase {
  BuiltinOp op = BuiltinOp::kAdd;
  Shape shape1, shape2;
  Activation activation = Activation::kNone;

  std::string Describe() const {
    return StrCat(BuiltinOpName(op), " ", ShapeToString(shape1), ", ", ShapeToString(shape2),
                  " activation ", ActivationName(activation));
  }
};

const char* SimdKernelName(BuiltinOp op) {
  return op == BuiltinOp::kAdd   ? "add_simd128"
         : op == BuiltinOp::kSub ? "sub_float32_simd128"
                                 : "mul_float32_simd128";
}

Model BuildBinary(const BinaryCase& c) {
  ModelBuilder b;
  const int in1 = b.AddTensor("a", DType::kFloat32, c.shape1);
  const int in2 = b.AddTensor("b", DType::kFloat32, c.shape2);
  const int out = b.AddTensor("out", DType::kFloat32, {});
  ElementwiseOptions options;
  options.activation = c.activation;
  b.AddOperator(c.op, {in1, in2}, {out}, options);
  b.SetInputs({in1, in2});
  b.SetOutputs({out});
  return b.Build();
}

// Inputs for a case: NaNs in one of the two (chosen at random) at most.
// When both operands are NaN, IEEE 754 leaves open which one's bits come
// out, and compilers commute a + b and a * b freely, so the reference itself
// has no fixed answer there (NanPairsGiveNan covers the pairs).
std::vector<std::vector<uint8_t>> RandomInputs(const BinaryCase& c, int special_every,
                                               std::mt19937* rng) {
  const int nan_input = RandomInt(0, 2, rng);  // 2: none
  auto a = RandomSpecialFloatBytes(ShapeElementCount(c.shape1), special_every, nan_input == 0, rng);
  auto b = RandomSpecialFloatBytes(ShapeElementCount(c.shape2), special_every, nan_input == 1, rng);
  return {std::move(a), std::move(b)};
}

BinaryCase RandomCase(BuiltinOp op, bool broadcast, std::mt19937* rng) {
  BinaryCase c;
  c.op = op;
  RandomBinaryShapes(broadcast, rng, &c.shape1, &c.shape2);
  c.activation = RandomActivation(rng);
  return c;
}

void RunRandomCases(BuiltinOp op, bool broadcast, uint32_t seed, int cases) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const BinaryCase c = RandomCase(op, broadcast, &rng);
    const int special_every = RandomInt(0, 1, &rng) == 0 ? 8 : 1000;
    if (!ExpectSimdMatchesReference(BuildBinary(c), RandomInputs(c, special_every, &rng),
                                    SimdKernelName(op), StrCat("case ", i, ": ", c.Describe()))) {
      return;
    }
  }
}

TEST(ElementwiseFloatDiffTest, AddSameShape) { RunRandomCases(BuiltinOp::kAdd, false, 101, 600); }
TEST(ElementwiseFloatDiffTest, AddBroadcast) { RunRandomCases(BuiltinOp::kAdd, true, 102, 600); }
TEST(ElementwiseFloatDiffTest, SubSameShape) { RunRandomCases(BuiltinOp::kSub, false, 103, 600); }
TEST(ElementwiseFloatDiffTest, SubBroadcast) { RunRandomCases(BuiltinOp::kSub, true, 104, 600); }
TEST(ElementwiseFloatDiffTest, MulSameShape) { RunRandomCases(BuiltinOp::kMul, false, 105, 600); }
TEST(ElementwiseFloatDiffTest, MulBroadcast) { RunRandomCases(BuiltinOp::kMul, true, 106, 600); }

// Lengths 1..19 (every tail of 0-3 values after 0-4 vectors), each activation,
// a row against a scalar on either side and a row against a row.
TEST(ElementwiseFloatDiffTest, ShortRowsAndScalars) {
  std::mt19937 rng(107);
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kSub, BuiltinOp::kMul}) {
    for (Activation activation :
         {Activation::kNone, Activation::kRelu, Activation::kReluN1To1, Activation::kRelu6}) {
      for (int32_t n = 1; n <= 19; ++n) {
        for (const auto& shapes :
             {std::pair<Shape, Shape>{{n}, {n}}, std::pair<Shape, Shape>{{n}, {1}},
              std::pair<Shape, Shape>{{}, {2, n}}, std::pair<Shape, Shape>{{3, 1}, {n}}}) {
          BinaryCase c{op, shapes.first, shapes.second, activation};
          if (!ExpectSimdMatchesReference(BuildBinary(c), RandomInputs(c, 3, &rng),
                                          SimdKernelName(op), c.Describe())) {
            return;
          }
        }
      }
    }
  }
}

// Large enough that the threaded runs split the work unevenly, rows and all.
TEST(ElementwiseFloatDiffTest, LargeTensors) {
  std::mt19937 rng(108);
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kMul}) {
    for (const auto& shapes : {std::pair<Shape, Shape>{{1, 33, 35, 23}, {1, 33, 35, 23}},
                               std::pair<Shape, Shape>{{1, 33, 35, 23}, {23}},
                               std::pair<Shape, Shape>{{1, 33, 35, 23}, {1, 33, 35, 1}},
                               std::pair<Shape, Shape>{{2, 1, 35, 7}, {1, 33, 1, 7}}}) {
      BinaryCase c{op, shapes.first, shapes.second, RandomActivation(&rng)};
      if (!ExpectSimdMatchesReference(BuildBinary(c), RandomInputs(c, 50, &rng), SimdKernelName(op),
                                      c.Describe())) {
        return;
      }
    }
  }
}

// Two NaN operands give a NaN (which one's bits: see RandomInputs), under
// every activation, in the vector body and in the tail.
TEST(ElementwiseFloatDiffTest, NanPairsGiveNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kSub, BuiltinOp::kMul}) {
    for (Activation activation :
         {Activation::kNone, Activation::kRelu, Activation::kReluN1To1, Activation::kRelu6}) {
      const BinaryCase c{op, {6}, {6}, activation};
      const auto run = testing::RunWithKernels(
          BuildBinary(c),
          {testing::ToBytes(std::vector<float>{nan, -nan, nan, 1, nan, -nan}),
           testing::ToBytes(std::vector<float>{-nan, nan, nan, nan, -nan, -nan})},
          KernelSet::kSimd);
      ASSERT_TRUE(run.status.ok()) << run.status.message();
      EXPECT_EQ(run.node_kernels.at(0), SimdKernelName(op));
      for (float v : testing::FromBytes<float>(run.output)) {
        EXPECT_TRUE(std::isnan(v)) << c.Describe() << ": " << v;
      }
    }
  }
}

// Other dtypes are declined and run the reference kernels.
TEST(ElementwiseFloatDiffTest, Int32FallsBackToReference) {
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kSub, BuiltinOp::kMul}) {
    ModelBuilder b;
    const int in1 = b.AddTensor("a", DType::kInt32, {3});
    const int in2 = b.AddTensor("b", DType::kInt32, {3});
    const int out = b.AddTensor("out", DType::kInt32, {});
    b.AddOperator(op, {in1, in2}, {out}, ElementwiseOptions{});
    b.SetInputs({in1, in2});
    b.SetOutputs({out});
    const auto run = testing::RunWithKernels(b.Build(),
                                             {testing::ToBytes(std::vector<int32_t>{1, 2, 3}),
                                              testing::ToBytes(std::vector<int32_t>{4, 5, 6})},
                                             KernelSet::kSimd);
    ASSERT_TRUE(run.status.ok()) << run.status.message();
    const char* reference = op == BuiltinOp::kAdd   ? "add_reference"
                            : op == BuiltinOp::kSub ? "sub_reference"
                                                    : "mul_reference";
    EXPECT_EQ(run.node_kernels.at(0), reference);
  }
}

}  // namespace
}  // namespace qlite
