// Elementwise unary reference kernels: each op on ordinary and edge values
// (-0, +-inf, NaN, log of 0 and of negatives, ROUND's ties), the int32
// variants TFLite has (ABS, NEG, SIGN, with INT32_MIN), folding of a constant
// input, and the dtype errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

template <typename T>
RunResult RunUnary(BuiltinOp op, DType type, const std::vector<T>& input, bool constant = false,
                   std::optional<DType> output_type = std::nullopt) {
  const Shape shape = {static_cast<int32_t>(input.size())};
  ModelBuilder b;
  const int in =
      constant ? b.AddConstant("in", type, shape, input) : b.AddTensor("in", type, shape);
  const int out = b.AddTensor("out", output_type.value_or(type), {});
  b.AddOperator(op, {in}, {out});
  std::vector<std::vector<uint8_t>> inputs;
  if (constant) {
    // A constant input folds at prepare; the model needs one input of its own.
    const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
    b.SetInputs({dummy});
    inputs.push_back(ToBytes(std::vector<float>{0}));
  } else {
    b.SetInputs({in});
    inputs.push_back(ToBytes(input));
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), inputs);
}

// Bit-exact float comparison, so that -0 differs from +0; any NaN matches NaN.
bool SameFloat(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof(float)) == 0;
}

void ExpectFloats(BuiltinOp op, const std::vector<float>& input,
                  const std::vector<float>& expected) {
  const RunResult r = RunUnary(op, DType::kFloat32, input);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], Shape{static_cast<int32_t>(input.size())});
  const std::vector<float> got = FromBytes<float>(r.outputs[0]);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(SameFloat(got[i], expected[i]))
        << "input " << input[i] << ": got " << got[i] << " (signbit " << std::signbit(got[i])
        << "), expected " << expected[i] << " (signbit " << std::signbit(expected[i]) << ")";
  }
}

void ExpectInt32s(BuiltinOp op, const std::vector<int32_t>& input,
                  const std::vector<int32_t>& expected) {
  const RunResult r = RunUnary(op, DType::kInt32, input);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), expected);
}

TEST(ElementwiseUnaryTest, Abs) {
  ExpectFloats(BuiltinOp::kAbs, {-2.5f, -0.0f, 0.0f, 3.0f, -kInf, kNaN},
               {2.5f, 0.0f, 0.0f, 3.0f, kInf, kNaN});
  // INT32_MIN has no positive counterpart and stays itself.
  ExpectInt32s(BuiltinOp::kAbs, {-5, 0, 7, kInt32Min, kInt32Max}, {5, 0, 7, kInt32Min, kInt32Max});
}

TEST(ElementwiseUnaryTest, Neg) {
  ExpectFloats(BuiltinOp::kNeg, {1.5f, 0.0f, -0.0f, -kInf, kNaN}, {-1.5f, -0.0f, 0.0f, kInf, kNaN});
  ExpectInt32s(BuiltinOp::kNeg, {3, -4, 0, kInt32Max, kInt32Min},
               {-3, 4, 0, -kInt32Max, kInt32Min});
}

TEST(ElementwiseUnaryTest, Square) {
  ExpectFloats(BuiltinOp::kSquare, {-3.0f, 0.5f, -0.0f, -kInf, 1e20f, kNaN},
               {9.0f, 0.25f, 0.0f, kInf, kInf, kNaN});
}

TEST(ElementwiseUnaryTest, SqrtAndRsqrt) {
  ExpectFloats(BuiltinOp::kSqrt, {4.0f, 2.0f, 0.0f, -0.0f, -1.0f, kInf, kNaN},
               {2.0f, std::sqrt(2.0f), 0.0f, -0.0f, kNaN, kInf, kNaN});
  ExpectFloats(BuiltinOp::kRsqrt, {4.0f, 0.25f, 2.0f, 0.0f, -0.0f, -1.0f, kInf},
               {0.5f, 2.0f, 1.0f / std::sqrt(2.0f), kInf, -kInf, kNaN, 0.0f});
}

TEST(ElementwiseUnaryTest, ExpAndLog) {
  ExpectFloats(BuiltinOp::kExp, {0.0f, 1.0f, -2.5f, 100.0f, -kInf, kInf, kNaN},
               {1.0f, std::exp(1.0f), std::exp(-2.5f), kInf, 0.0f, kInf, kNaN});
  // log(+-0) = -inf and log of a negative is NaN, as std::log gives.
  ExpectFloats(BuiltinOp::kLog, {1.0f, 10.0f, 0.0f, -0.0f, -1.0f, kInf, kNaN},
               {0.0f, std::log(10.0f), -kInf, -kInf, kNaN, kInf, kNaN});
}

TEST(ElementwiseUnaryTest, SinAndCos) {
  const float half_pi = 1.5707964f;
  ExpectFloats(BuiltinOp::kSin, {0.0f, -0.0f, half_pi, -3.0f, kInf, kNaN},
               {0.0f, -0.0f, std::sin(half_pi), std::sin(-3.0f), kNaN, kNaN});
  ExpectFloats(BuiltinOp::kCos, {0.0f, -0.0f, half_pi, -3.0f, -kInf, kNaN},
               {1.0f, 1.0f, std::cos(half_pi), std::cos(-3.0f), kNaN, kNaN});
}

TEST(ElementwiseUnaryTest, CeilAndFloor) {
  ExpectFloats(BuiltinOp::kCeil, {1.2f, -1.2f, -0.5f, -0.0f, 2.0f, -kInf, kNaN},
               {2.0f, -1.0f, -0.0f, -0.0f, 2.0f, -kInf, kNaN});
  ExpectFloats(BuiltinOp::kFloor, {1.8f, -1.2f, 0.5f, -0.0f, -2.0f, kInf, kNaN},
               {1.0f, -2.0f, 0.0f, -0.0f, -2.0f, kInf, kNaN});
}

TEST(ElementwiseUnaryTest, RoundHalfToEven) {
  ExpectFloats(BuiltinOp::kRound, {0.5f, 1.5f, 2.5f, -1.5f, -2.5f, 2.4f, 2.6f, -2.6f},
               {0.0f, 2.0f, 2.0f, -2.0f, -2.0f, 2.0f, 3.0f, -3.0f});
  // TFLite rounds from floor: inputs in [-0.5, 0) give +0, -0 stays -0.
  ExpectFloats(BuiltinOp::kRound, {-0.5f, -0.4f, -0.0f}, {0.0f, 0.0f, -0.0f});
  // Floats from 2^23 up are integers already.
  ExpectFloats(BuiltinOp::kRound, {8388609.0f, -16777218.0f, kInf, -kInf, kNaN},
               {8388609.0f, -16777218.0f, kInf, -kInf, kNaN});
}

TEST(ElementwiseUnaryTest, Sign) {
  // NaN and -0 compare neither above nor below zero: both give +0.
  ExpectFloats(BuiltinOp::kSign, {3.5f, -0.25f, 0.0f, -0.0f, kNaN, kInf, -kInf},
               {1.0f, -1.0f, 0.0f, 0.0f, 0.0f, 1.0f, -1.0f});
  ExpectInt32s(BuiltinOp::kSign, {5, -7, 0, kInt32Min, kInt32Max}, {1, -1, 0, -1, 1});
}

TEST(ElementwiseUnaryTest, ConstantInputIsFoldedAtPrepare) {
  const RunResult r = RunUnary<float>(BuiltinOp::kRound, DType::kFloat32, {0.5f, 1.5f, -2.7f},
                                      /*constant=*/true);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0.0f, 2.0f, -3.0f}));
}

TEST(ElementwiseUnaryTest, Int32OnlyWhereTfliteHasIt) {
  for (BuiltinOp op :
       {BuiltinOp::kSquare, BuiltinOp::kSqrt, BuiltinOp::kRsqrt, BuiltinOp::kExp, BuiltinOp::kLog,
        BuiltinOp::kSin, BuiltinOp::kCos, BuiltinOp::kCeil, BuiltinOp::kFloor, BuiltinOp::kRound}) {
    SCOPED_TRACE(static_cast<int>(op));
    const RunResult r = RunUnary<int32_t>(op, DType::kInt32, {1, 2});
    ASSERT_FALSE(r.status.ok());
    EXPECT_NE(r.status.message().find("input tensor 'in' has dtype int32, expected float32"),
              std::string::npos)
        << r.status.message();
  }
}

TEST(ElementwiseUnaryTest, ErrorsNameWhatIsWrong) {
  // NEG has no int8 kernel in TFLite (the quantized ops are in
  // elementwise_unary_quantized_test.cc).
  RunResult r = RunUnary<int8_t>(BuiltinOp::kNeg, DType::kInt8, {1, -2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("has dtype int8, expected float32 or int32"), std::string::npos)
      << r.status.message();
  // The output must have the input's dtype.
  r = RunUnary<float>(BuiltinOp::kNeg, DType::kFloat32, {1.0f}, false, DType::kInt32);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("output tensor 'out' has dtype int32, expected float32"),
            std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace qlite
