// DIV, FLOOR_DIV, FLOOR_MOD, POW and SQUARED_DIFFERENCE reference kernels:
// hand-computed results for every dtype TFLite has, negative operands,
// broadcasting, empty tensors, int32 overflow edges, NaN / inf, the uint8 DIV
// and int8 SQUARED_DIFFERENCE fixed-point paths, folding of constant inputs,
// and the errors (zero divisors, negative exponents, unsupported dtypes).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/op_options.h"
#include "tests/kernels/binary_op_test_util.h"

namespace qlite {
namespace {

using testing::BinaryCase;
using testing::FromBytes;
using testing::RunBinary;
using testing::RunBinaryError;
using testing::RunBinaryOk;
using testing::SameShapeCase;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kFloatMax = std::numeric_limits<float>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

void ExpectContains(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
}

TEST(DivTest, Float32ClampsInfinitiesToTheActivationRange) {
  // TFLite clamps to [lowest, max] without an activation: x / 0 is +-FLT_MAX.
  const auto out = RunBinaryOk<float>(SameShapeCase(BuiltinOp::kDiv, DType::kFloat32, {6}),
                                      {6, -7, 1, -1, 0, 1}, {3, 2, 0, 0, 0, 4});
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out[0], 2.0f);
  EXPECT_EQ(out[1], -3.5f);
  EXPECT_EQ(out[2], kFloatMax);
  EXPECT_EQ(out[3], -kFloatMax);
  EXPECT_TRUE(std::isnan(out[4]));  // 0 / 0
  EXPECT_EQ(out[5], 0.25f);
}

TEST(DivTest, Float32Relu6AndBroadcast) {
  BinaryCase c = SameShapeCase(BuiltinOp::kDiv, DType::kFloat32, {2, 3});
  c.options = ElementwiseOptions{Activation::kRelu6};
  c.shape2 = {3};
  EXPECT_EQ(RunBinaryOk<float>(c, {1, -2, 30, 4, 5, 6}, {1, 2, 4}),
            (std::vector<float>{1, 0, 6, 4, 2.5f, 1.5f}));
}

TEST(DivTest, Int32TruncatesTowardZero) {
  BinaryCase c = SameShapeCase(BuiltinOp::kDiv, DType::kInt32, {6});
  EXPECT_EQ(RunBinaryOk<int32_t>(c, {7, -7, 7, -7, kInt32Min, 5}, {2, 2, -2, -2, -1, 7}),
            (std::vector<int32_t>{3, -3, -3, 3, kInt32Min, 0}));
  c = SameShapeCase(BuiltinOp::kDiv, DType::kInt32, {2});
  c.options = ElementwiseOptions{Activation::kRelu};
  EXPECT_EQ(RunBinaryOk<int32_t>(c, {-7, 7}, {2, 2}), (std::vector<int32_t>{0, 3}));
}

TEST(DivTest, Int32ZeroDivisorIsAnError) {
  ExpectContains(
      RunBinaryError<int32_t>(SameShapeCase(BuiltinOp::kDiv, DType::kInt32, {2}), {1, 2}, {3, 0}),
      "DIV: division by zero in 'b'");
}

TEST(DivTest, UInt8Quantized) {
  // a: scale 0.5, b: scale 0.25, out: scale 0.5, zero points 0.
  // Reals 4/2, 5/1, 0/1.25, 100/0.25 = 2, 5, 0, 400 -> raw 4, 10, 0, 255 (clamped).
  BinaryCase c = SameShapeCase(BuiltinOp::kDiv, DType::kUInt8, {4}, PerTensor(0.5f, 0));
  c.q2 = PerTensor(0.25f, 0);
  EXPECT_EQ(RunBinaryOk<uint8_t>(c, {8, 10, 0, 200}, {8, 4, 5, 1}),
            (std::vector<uint8_t>{4, 10, 0, 255}));
  // b zero point 4: raw 12 is 2.0, raw 0 is -1.0; output zero point 128.
  // 4 / 2 = 2 -> 132; 4 / -1 = -4 -> 120.
  c.q2 = PerTensor(0.25f, 4);
  c.qout = PerTensor(0.5f, 128);
  EXPECT_EQ(RunBinaryOk<uint8_t>(c, {8, 8, 0, 8}, {12, 0, 0, 12}),
            (std::vector<uint8_t>{132, 120, 128, 132}));
  // A divisor at its zero point is a real 0.
  ExpectContains(RunBinaryError<uint8_t>(c, {8, 8, 8, 8}, {12, 4, 12, 12}), "division by zero");
}

TEST(FloorDivTest, Float32RoundsDown) {
  const auto out =
      RunBinaryOk<float>(SameShapeCase(BuiltinOp::kFloorDiv, DType::kFloat32, {7}),
                         {7, -7, 7, -7, 0.5f, kInf, kNaN}, {2, 2, -2, -2, 0.25f, 2, 1});
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0], 3.0f);
  EXPECT_EQ(out[1], -4.0f);
  EXPECT_EQ(out[2], -4.0f);
  EXPECT_EQ(out[3], 3.0f);
  EXPECT_EQ(out[4], 2.0f);
  EXPECT_EQ(out[5], kInf);
  EXPECT_TRUE(std::isnan(out[6]));
  // TFLite rejects a float zero divisor too.
  ExpectContains(
      RunBinaryError<float>(SameShapeCase(BuiltinOp::kFloorDiv, DType::kFloat32, {1}), {1}, {0}),
      "FLOOR_DIV: division by zero");
}

TEST(FloorDivTest, IntegersRoundDownForNegatives) {
  EXPECT_EQ(RunBinaryOk<int32_t>(SameShapeCase(BuiltinOp::kFloorDiv, DType::kInt32, {7}),
                                 {7, -7, 7, -7, 6, -6, kInt32Min}, {2, 2, -2, -2, 3, 3, -1}),
            (std::vector<int32_t>{3, -4, -4, 3, 2, -2, kInt32Min}));
  // -128 / -1 = 128 wraps to -128; floor(-63.5) = -64.
  EXPECT_EQ(RunBinaryOk<int8_t>(SameShapeCase(BuiltinOp::kFloorDiv, DType::kInt8, {3}),
                                {-128, 127, -7}, {-1, -2, 2}),
            (std::vector<int8_t>{-128, -64, -4}));
  // floor(-32768 / 3) = floor(-10922.67); floor(5 / -3) = floor(-1.67).
  EXPECT_EQ(RunBinaryOk<int16_t>(SameShapeCase(BuiltinOp::kFloorDiv, DType::kInt16, {2}),
                                 {-32768, 5}, {3, -3}),
            (std::vector<int16_t>{-10923, -2}));
}

TEST(FloorDivTest, BroadcastAndZeroDivisor) {
  BinaryCase c = SameShapeCase(BuiltinOp::kFloorDiv, DType::kInt32, {2, 2});
  c.shape2 = {2, 1};
  // Row 0 over 2, row 1 over -4: 9 / -4 = -2.25, -9 / -4 = 2.25.
  EXPECT_EQ(RunBinaryOk<int32_t>(c, {7, -7, 9, -9}, {2, -4}), (std::vector<int32_t>{3, -4, -3, 2}));
  ExpectContains(RunBinaryError<int32_t>(c, {1, 2, 3, 4}, {2, 0}), "FLOOR_DIV: division by zero");
}

TEST(FloorModTest, ResultTakesTheSignOfTheDivisor) {
  EXPECT_EQ(RunBinaryOk<int32_t>(SameShapeCase(BuiltinOp::kFloorMod, DType::kInt32, {6}),
                                 {7, -7, 7, -7, kInt32Min, 6}, {3, 3, -3, -3, -1, 3}),
            (std::vector<int32_t>{1, 2, -2, -1, 0, 0}));
  // -32768 = -4681 * 7 - 1 -> 6; 100 = -15 * -7 - 5 -> -5.
  EXPECT_EQ(RunBinaryOk<int16_t>(SameShapeCase(BuiltinOp::kFloorMod, DType::kInt16, {2}),
                                 {-32768, 100}, {7, -7}),
            (std::vector<int16_t>{6, -5}));
  EXPECT_EQ(RunBinaryOk<int8_t>(SameShapeCase(BuiltinOp::kFloorMod, DType::kInt8, {2}), {-128, -7},
                                {-1, 3}),
            (std::vector<int8_t>{0, 2}));
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(RunBinaryOk<int64_t>(SameShapeCase(BuiltinOp::kFloorMod, DType::kInt64, {2}),
                                 {-big - 1, big + 3}, {big, -big}),
            (std::vector<int64_t>{big - 1, 3 - big}));
}

TEST(FloorModTest, Float32AndZeroDivisors) {
  const auto out = RunBinaryOk<float>(SameShapeCase(BuiltinOp::kFloorMod, DType::kFloat32, {5}),
                                      {7.5f, -7.5f, 7.5f, 1, kInf}, {2, 2, -2, 0, 2});
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0], 1.5f);
  EXPECT_EQ(out[1], 0.5f);
  EXPECT_EQ(out[2], -0.5f);
  EXPECT_TRUE(std::isnan(out[3]));  // float mod 0 is NaN, not an error
  EXPECT_TRUE(std::isnan(out[4]));
  ExpectContains(
      RunBinaryError<int64_t>(SameShapeCase(BuiltinOp::kFloorMod, DType::kInt64, {1}), {5}, {0}),
      "FLOOR_MOD: division by zero");
}

TEST(PowTest, Float32) {
  BinaryCase c = SameShapeCase(BuiltinOp::kPow, DType::kFloat32, {6});
  const auto out = RunBinaryOk<float>(c, {2, 4, 0, -2, 2, -8}, {3, 0.5f, 0, 2, -1, 0.5f});
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out[0], 8.0f);
  EXPECT_EQ(out[1], 2.0f);
  EXPECT_EQ(out[2], 1.0f);
  EXPECT_EQ(out[3], 4.0f);
  EXPECT_EQ(out[4], 0.5f);
  EXPECT_TRUE(std::isnan(out[5]));  // negative base, fractional exponent
  // Scalar exponent broadcast over a matrix.
  c = SameShapeCase(BuiltinOp::kPow, DType::kFloat32, {2, 2});
  c.shape2 = {};
  EXPECT_EQ(RunBinaryOk<float>(c, {1, 2, 3, -4}, {2}), (std::vector<float>{1, 4, 9, 16}));
}

TEST(PowTest, Int32ExactAndOverflow) {
  // 2^31 and 3^20 leave int32: INT32_MIN, as TFLite's double -> int32
  // conversion gives; (-2)^31 is exactly INT32_MIN.
  EXPECT_EQ(
      RunBinaryOk<int32_t>(SameShapeCase(BuiltinOp::kPow, DType::kInt32, {9}),
                           {2, -3, 0, 1, -1, 2, 3, -2, 46340}, {10, 3, 0, 100, 7, 31, 20, 31, 2}),
      (std::vector<int32_t>{1024, -27, 1, 1, -1, kInt32Min, kInt32Min, kInt32Min, 2147395600}));
  ExpectContains(
      RunBinaryError<int32_t>(SameShapeCase(BuiltinOp::kPow, DType::kInt32, {2}), {2, 2}, {1, -1}),
      "POW: negative int32 exponent in 'b'");
}

TEST(SquaredDifferenceTest, Float32AndInt32) {
  const auto out =
      RunBinaryOk<float>(SameShapeCase(BuiltinOp::kSquaredDifference, DType::kFloat32, {5}),
                         {1, -2, 3, kInf, kInf}, {4, 2, 3, 1, kInf});
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0], 9.0f);
  EXPECT_EQ(out[1], 16.0f);
  EXPECT_EQ(out[2], 0.0f);
  EXPECT_EQ(out[3], kInf);
  EXPECT_TRUE(std::isnan(out[4]));
  // 46341^2 = 2147488281 wraps to 2147488281 - 2^32.
  EXPECT_EQ(RunBinaryOk<int32_t>(SameShapeCase(BuiltinOp::kSquaredDifference, DType::kInt32, {3}),
                                 {3, -5, 46341}, {-4, 5, 0}),
            (std::vector<int32_t>{49, 100, -2147479015}));
}

TEST(SquaredDifferenceTest, Int8Quantized) {
  // Inputs scale 0.5, output scale 1 zero point -20:
  // (3 - 1)^2 = 4 -> -16; (-5 - 1.5)^2 = 42.25 -> 42 - 20 = 22;
  // (63.5 + 64)^2 = 16256.25 -> clamped to 127.
  BinaryCase c =
      SameShapeCase(BuiltinOp::kSquaredDifference, DType::kInt8, {3}, PerTensor(0.5f, 0));
  c.qout = PerTensor(1.0f, -20);
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {6, -10, 127}, {2, 3, -128}),
            (std::vector<int8_t>{-16, 22, 127}));
  // Different input scales (0.5 and 0.25) broadcast: (2 - 1)^2 = 1, (2 - 0)^2 = 4.
  c = SameShapeCase(BuiltinOp::kSquaredDifference, DType::kInt8, {2}, PerTensor(1.0f, 0));
  c.q1 = PerTensor(0.5f, 0);
  c.q2 = PerTensor(0.25f, 0);
  c.shape1 = {1};
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {4}, {4, 0}), (std::vector<int8_t>{1, 4}));
  // An output scale this small needs a multiplier >= 1.
  c.qout = PerTensor(1e-5f, 0);
  ExpectContains(RunBinaryError<int8_t>(c, {4}, {4, 0}), "multiplier");
}

TEST(BinaryMathTest, EmptyBroadcast) {
  // Model inputs cannot be empty: the empty operand is a constant [0, 3].
  ModelBuilder b;
  const int x = b.AddConstant("x", DType::kInt32, {0, 3}, std::vector<int32_t>{});
  const int y = b.AddTensor("y", DType::kInt32, {3});
  const int out = b.AddTensor("out", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kFloorMod, {x, y}, {out});
  b.SetInputs({y});
  b.SetOutputs({out});
  const auto r = testing::RunModel(b.Build(), {testing::ToBytes(std::vector<int32_t>{1, 2, 3})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0, 3}));
  EXPECT_TRUE(r.outputs[0].empty());
}

TEST(BinaryMathTest, ConstantInputsAreFolded) {
  ModelBuilder b;
  const int x = b.AddConstant("x", DType::kInt32, {3}, std::vector<int32_t>{-7, 7, 8});
  const int y = b.AddConstant("y", DType::kInt32, {}, std::vector<int32_t>{3});
  const int q = b.AddTensor("q", DType::kInt32, {3});
  b.AddOperator(BuiltinOp::kFloorDiv, {x, y}, {q});
  const int in = b.AddTensor("in", DType::kInt32, {3});
  const int out = b.AddTensor("out", DType::kInt32, {3});
  b.AddOperator(BuiltinOp::kSquaredDifference, {q, in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  const auto r = testing::RunModel(b.Build(), {testing::ToBytes(std::vector<int32_t>{0, 1, 2})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // q = {-3, 2, 2}; (q - in)^2 = {9, 1, 0}.
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{9, 1, 0}));
}

TEST(BinaryMathTest, ErrorsNameWhatIsWrong) {
  ExpectContains(
      RunBinaryError<int8_t>(SameShapeCase(BuiltinOp::kDiv, DType::kInt8, {1}), {1}, {1}),
      "DIV: unsupported dtype int8 of input1 'a'");
  ExpectContains(
      RunBinaryError<int16_t>(SameShapeCase(BuiltinOp::kPow, DType::kInt16, {1}), {1}, {1}),
      "POW: unsupported dtype int16");
  ExpectContains(RunBinaryError<int64_t>(
                     SameShapeCase(BuiltinOp::kSquaredDifference, DType::kInt64, {1}), {1}, {1}),
                 "SQUARED_DIFFERENCE: unsupported dtype int64");
  BinaryCase c = SameShapeCase(BuiltinOp::kFloorMod, DType::kFloat32, {2, 3});
  c.shape2 = {2};
  ExpectContains(RunBinaryError<float>(c, {1, 2, 3, 4, 5, 6}, {1, 2}), "cannot be broadcast");
}

}  // namespace
}  // namespace qlite
