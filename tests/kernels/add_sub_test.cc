// ADD and SUB reference kernels: float32, int8, uint8 and int16 (general and
// power-of-two scale paths), broadcasting and fused activations.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "tests/kernels/binary_op_test_util.h"

namespace qlite {
namespace {

using testing::BinaryCase;
using testing::RunBinary;
using testing::RunBinaryError;
using testing::RunBinaryOk;
using testing::SameShapeCase;

BinaryCase FloatCase(BuiltinOp op, Shape s1, Shape s2, Shape out) {
  BinaryCase c;
  c.op = op;
  c.shape1 = std::move(s1);
  c.shape2 = std::move(s2);
  c.out_shape = std::move(out);
  return c;
}

BinaryCase QuantCase(BuiltinOp op, DType type, Shape shape, Quantization q1, Quantization q2,
                     Quantization qout) {
  BinaryCase c = SameShapeCase(op, type, std::move(shape));
  c.q1 = std::move(q1);
  c.q2 = std::move(q2);
  c.qout = std::move(qout);
  return c;
}

BinaryCase Int8Case(BuiltinOp op, Shape shape, Quantization q1, Quantization q2,
                    Quantization qout) {
  return QuantCase(op, DType::kInt8, std::move(shape), std::move(q1), std::move(q2),
                   std::move(qout));
}

// int16 with the options a converter writes for 16x8 models
// (pot_scale_int16 = false: the general-scale path).
BinaryCase Int16Case(BuiltinOp op, Shape shape, Quantization q1, Quantization q2, Quantization qout,
                     bool pot_scale_int16 = false, Activation activation = Activation::kNone) {
  BinaryCase c =
      QuantCase(op, DType::kInt16, std::move(shape), std::move(q1), std::move(q2), std::move(qout));
  ElementwiseOptions options;
  options.pot_scale_int16 = pot_scale_int16;
  options.activation = activation;
  c.options = options;
  return c;
}

BinaryCase WithActivation(BinaryCase c, Activation activation) {
  ElementwiseOptions options;
  options.activation = activation;
  c.options = options;
  return c;
}

// ---------------------------------------------------------------- ADD float

TEST(AddTest, FloatSameShape) {
  EXPECT_EQ(RunBinaryOk<float>(FloatCase(BuiltinOp::kAdd, {2, 2}, {2, 2}, {2, 2}), {1, 2, 3, 4},
                               {10, 20, 30, 40.5f}),
            (std::vector<float>{11, 22, 33, 44.5f}));
}

TEST(AddTest, FloatRelu6) {
  const BinaryCase c =
      WithActivation(FloatCase(BuiltinOp::kAdd, {4}, {4}, {4}), Activation::kRelu6);
  EXPECT_EQ(RunBinaryOk<float>(c, {-5, 2, 7, 0.5f}, {1, 1, 1, 1}),
            (std::vector<float>{0, 3, 6, 1.5f}));
}

TEST(AddTest, FloatBroadcasting) {
  // [2,3] + [3]: the row vector is added to each row.
  EXPECT_EQ(RunBinaryOk<float>(FloatCase(BuiltinOp::kAdd, {2, 3}, {3}, {2, 3}), {0, 1, 2, 3, 4, 5},
                               {10, 20, 30}),
            (std::vector<float>{10, 21, 32, 13, 24, 35}));

  // [2,1] + [1,3] -> [2,3] outer sum.
  const auto r =
      RunBinary<float>(FloatCase(BuiltinOp::kAdd, {2, 1}, {1, 3}, {2, 3}), {100, 200}, {1, 2, 3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(testing::FromBytes<float>(r.outputs[0]),
            (std::vector<float>{101, 102, 103, 201, 202, 203}));
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));

  // Scalar + [2,2].
  EXPECT_EQ(
      RunBinaryOk<float>(FloatCase(BuiltinOp::kAdd, {}, {2, 2}, {2, 2}), {0.5f}, {1, 2, 3, 4}),
      (std::vector<float>{1.5f, 2.5f, 3.5f, 4.5f}));
}

TEST(AddTest, FloatRank6Broadcast) {
  // [2,1,1,1,1,2] + [1,1,1,1,2,1] -> [2,1,1,1,2,2]: out[i][j][k] = a[i][k] + b[j].
  const auto r = RunBinary<float>(
      FloatCase(BuiltinOp::kAdd, {2, 1, 1, 1, 1, 2}, {1, 1, 1, 1, 2, 1}, {2, 1, 1, 1, 2, 2}),
      {1, 2, 3, 4}, {10, 20});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(testing::FromBytes<float>(r.outputs[0]),
            (std::vector<float>{11, 12, 21, 22, 13, 14, 23, 24}));
  EXPECT_EQ(r.shapes[0], (Shape{2, 1, 1, 1, 2, 2}));
}

// ---------------------------------------------------------------- ADD int8 / uint8

TEST(AddTest, Int8EqualScalesIsExact) {
  // All scales 0.5: multipliers 0.5 = (2^30, 0) for the inputs and
  // 1 / (2^20 * 0.5) = (2^30, -18) for the output, so a + b comes back exactly.
  const Quantization q = PerTensor(0.5f, 0);
  EXPECT_EQ(RunBinaryOk<int8_t>(Int8Case(BuiltinOp::kAdd, {5}, q, q, q), {3, -3, 100, -100, 0},
                                {4, -4, 100, -100, 7}),
            (std::vector<int8_t>{7, -7, 127, -128, 7}));
}

TEST(AddTest, Int8RoundsHalfAwayFromZero) {
  // Inputs 0.5, output 1.0: the sum is halved; x.5 rounds away from zero.
  const Quantization q = PerTensor(0.5f, 0);
  // 3.5 -> 4, -3.5 -> -4, 1.5 -> 2, -1.5 -> -2.
  EXPECT_EQ(RunBinaryOk<int8_t>(Int8Case(BuiltinOp::kAdd, {4}, q, q, PerTensor(1.0f, 0)),
                                {3, -3, 1, -1}, {4, -4, 2, -2}),
            (std::vector<int8_t>{4, -4, 2, -2}));
}

TEST(AddTest, Int8ZeroPointsAndDifferentScales) {
  // a: scale 0.5 zp 10; b: scale 0.5 zp -5; out: scale 1 zp 3.
  // (13-10)*0.5 + (-1+5)*0.5 = 3.5 -> 4 -> 4 + 3 = 7.
  EXPECT_EQ(RunBinaryOk<int8_t>(Int8Case(BuiltinOp::kAdd, {1}, PerTensor(0.5f, 10),
                                         PerTensor(0.5f, -5), PerTensor(1.0f, 3)),
                                {13}, {-1}),
            (std::vector<int8_t>{7}));

  // a: 0.25, b: 0.5, out: 0.5. 5*0.25 + 3*0.5 = 2.75 = 5.5 steps -> 6.
  // (input1 multiplier 0.25 = (2^30, -1): 5*2^20 -> 5*2^18; input2 3*2^19;
  //  sum 11*2^18 -> output (2^30, -18): 5.5 -> 6.)
  EXPECT_EQ(RunBinaryOk<int8_t>(Int8Case(BuiltinOp::kAdd, {1}, PerTensor(0.25f, 0),
                                         PerTensor(0.5f, 0), PerTensor(0.5f, 0)),
                                {5}, {3}),
            (std::vector<int8_t>{6}));
}

TEST(AddTest, Int8ReluClampsAtZeroPoint) {
  const BinaryCase c = WithActivation(
      Int8Case(BuiltinOp::kAdd, {3}, PerTensor(0.5f, 0), PerTensor(0.5f, 0), PerTensor(0.5f, -10)),
      Activation::kRelu);
  // Sums -2, 0, 2 (real -1, 0, 1): output zp -10, ReLU floor is the zero point.
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {-1, 0, 1}, {-1, 0, 1}), (std::vector<int8_t>{-10, -10, -8}));
}

TEST(AddTest, Int8Broadcast) {
  const Quantization q = PerTensor(0.5f, 0);
  BinaryCase c = Int8Case(BuiltinOp::kAdd, {2, 2}, q, q, q);
  c.shape2 = {2, 1};
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {1, 2, 3, 4}, {10, 20}), (std::vector<int8_t>{11, 12, 23, 24}));
}

TEST(AddTest, UInt8) {
  const BinaryCase c = QuantCase(BuiltinOp::kAdd, DType::kUInt8, {2}, PerTensor(0.5f, 128),
                                 PerTensor(0.5f, 128), PerTensor(1.0f, 128));
  // (130-128)*0.5 + (131-128)*0.5 = 2.5 -> 3 -> 131; (100-128 + 90-128)*0.5 = -33 -> 95.
  EXPECT_EQ(RunBinaryOk<uint8_t>(c, {130, 100}, {131, 90}), (std::vector<uint8_t>{131, 95}));
}

// With arbitrary scales the result is within one step of the real sum.
TEST(AddTest, Int8ArbitraryScalesWithinOneStep) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> scale(0.01f, 0.2f);
  std::uniform_int_distribution<int> zp(-20, 20), value(-128, 127);
  for (int trial = 0; trial < 20; ++trial) {
    const float s1 = scale(rng), s2 = scale(rng), so = scale(rng) * 2;
    const int z1 = zp(rng), z2 = zp(rng), zo = zp(rng);
    std::vector<int8_t> a(64), b(64);
    for (auto& v : a) v = static_cast<int8_t>(value(rng));
    for (auto& v : b) v = static_cast<int8_t>(value(rng));
    const auto out = RunBinaryOk<int8_t>(
        Int8Case(BuiltinOp::kAdd, {64}, PerTensor(s1, z1), PerTensor(s2, z2), PerTensor(so, zo)), a,
        b);
    ASSERT_EQ(out.size(), 64u);
    for (int i = 0; i < 64; ++i) {
      const double real = s1 * (a[i] - z1) + s2 * (b[i] - z2);
      const double expected = std::min(127.0, std::max(-128.0, std::round(real / so) + zo));
      ASSERT_LE(std::abs(out[i] - expected), 1) << "trial " << trial << " i " << i;
    }
  }
}

// ---------------------------------------------------------------- ADD int16

TEST(AddTest, Int16GeneralScaleIsExactForEqualScales) {
  // All scales 0.5, pot_scale_int16 = false: left shift 15, input multipliers
  // (2^30, 0), output 1 / (2^15 * 0.5) = (2^30, -13): a + b exactly, then
  // saturation at the int16 limits.
  const Quantization q = PerTensor(0.5f, 0);
  EXPECT_EQ(RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kAdd, {6}, q, q, q),
                                 {1000, -1000, 30000, -30000, 32767, -32768},
                                 {2000, 3, 10000, -10000, 32767, -32768}),
            (std::vector<int16_t>{3000, -997, 32767, -32768, 32767, -32768}));
}

TEST(AddTest, Int16GeneralScaleRoundsHalfAwayFromZero) {
  // Inputs 0.5, output 1.0: 3 * 0.5 = 1.5 -> 2, -1.5 -> -2, 0.5 -> 1, -0.5 -> -1.
  const Quantization q = PerTensor(0.5f, 0);
  EXPECT_EQ(RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kAdd, {4}, q, q, PerTensor(1.0f, 0)),
                                 {3, -3, 1, -1}, {0, 0, 0, 0}),
            (std::vector<int16_t>{2, -2, 1, -1}));
}

TEST(AddTest, Int16PowerOfTwoPathRoundsTheShiftedInput) {
  // a: 2^-10 (= output), b: 2^-12. The power-of-two path rounds b / 4 first:
  //   1 + round(-2 / 4) = 1 + (-1) = 0,  100 + round(6/4) = 102,
  //   100 + round(-6/4) = 98, 100 + round(5/4) = 101, 32000 + 1000 -> 32767.
  // The general path adds exactly and rounds once: 1 - 0.5 = 0.5 -> 1.
  const Quantization qa = PerTensor(1.0f / 1024, 0), qb = PerTensor(1.0f / 4096, 0);
  const std::vector<int16_t> a = {1, 100, 100, 100, 32000};
  const std::vector<int16_t> b = {-2, 6, -6, 5, 4000};
  EXPECT_EQ(RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kAdd, {5}, qa, qb, qa, true), a, b),
            (std::vector<int16_t>{0, 102, 98, 101, 32767}));
  EXPECT_EQ(RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kAdd, {5}, qa, qb, qa, false), a, b),
            (std::vector<int16_t>{1, 102, 99, 101, 32767}));
}

TEST(AddTest, Int16NonPowerOfTwoScalesUseGeneralPath) {
  // pot_scale_int16 = true but 0.3 is not a power of two: general path.
  // Equal scales: a + b exactly.
  const Quantization q = PerTensor(0.3f, 0);
  EXPECT_EQ(RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kAdd, {2}, q, q, q, true), {7, -20000},
                                 {8, -20000}),
            (std::vector<int16_t>{15, -32768}));
}

TEST(AddTest, Int16ReluAndBroadcast) {
  const Quantization q = PerTensor(0.5f, 0);
  BinaryCase c = Int16Case(BuiltinOp::kAdd, {2, 2}, q, q, q, false, Activation::kRelu);
  c.shape2 = {2};
  // [[-5, 5], [100, -100]] + [1, 2].
  EXPECT_EQ(RunBinaryOk<int16_t>(c, {-5, 5, 100, -100}, {1, 2}),
            (std::vector<int16_t>{0, 7, 101, 0}));
}

// ---------------------------------------------------------------- SUB

TEST(SubTest, Float) {
  EXPECT_EQ(
      RunBinaryOk<float>(FloatCase(BuiltinOp::kSub, {3}, {3}, {3}), {5, 1, -2.5f}, {2, 4, 0.5f}),
      (std::vector<float>{3, -3, -3}));
  // Broadcast both ways: [2,1] - [1,3].
  EXPECT_EQ(
      RunBinaryOk<float>(FloatCase(BuiltinOp::kSub, {2, 1}, {1, 3}, {2, 3}), {10, 20}, {1, 2, 3}),
      (std::vector<float>{9, 8, 7, 19, 18, 17}));
  // Scalar first operand: 1 - [1, 2].
  EXPECT_EQ(RunBinaryOk<float>(FloatCase(BuiltinOp::kSub, {}, {2}, {2}), {1}, {1, 2}),
            (std::vector<float>{0, -1}));
}

TEST(SubTest, FloatReluN1To1) {
  const BinaryCase c =
      WithActivation(FloatCase(BuiltinOp::kSub, {3}, {3}, {3}), Activation::kReluN1To1);
  EXPECT_EQ(RunBinaryOk<float>(c, {5, 0, -7}, {1, 0.25f, 1}), (std::vector<float>{1, -0.25f, -1}));
}

TEST(SubTest, Int8ZeroPoints) {
  // a: 0.5 zp 10, b: 0.5 zp -5, out: 1.0 zp 3.
  //   (13-10)*0.5 - (-1+5)*0.5 = -0.5 -> -1 (away from zero) -> 2.
  //   (30-10)*0.5 - (0+5)*0.5 = 7.5 -> 8 -> 11.
  //   (-128-10)*0.5 - (127+5)*0.5 = -135 -> -132 -> clamps at -128.
  const BinaryCase c =
      Int8Case(BuiltinOp::kSub, {3}, PerTensor(0.5f, 10), PerTensor(0.5f, -5), PerTensor(1.0f, 3));
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {13, 30, -128}, {-1, 0, 127}),
            (std::vector<int8_t>{2, 11, -128}));
}

TEST(SubTest, Int8DifferentScalesAndBroadcast) {
  // a: 0.25, b: 0.5 (broadcast [2] over [2,2]), out: 0.5.
  //   5*0.25 - 3*0.5 = -0.25 = -0.5 steps -> -1;  8*0.25 - 3*0.5 = 0.5 -> 1;
  //   -8*0.25 - (-1)*0.5 = -1.5 -> -3;            127*0.25 - (-1)*0.5 = 32.25 -> 64.5 -> 65.
  BinaryCase c = Int8Case(BuiltinOp::kSub, {2, 2}, PerTensor(0.25f, 0), PerTensor(0.5f, 0),
                          PerTensor(0.5f, 0));
  c.shape1 = {2, 2};
  c.shape2 = {2};
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {5, -8, 8, 127}, {3, -1}), (std::vector<int8_t>{-1, -3, 1, 65}));
}

TEST(SubTest, UInt8Relu) {
  // All 0.5 zp 128; ReLU floor is the zero point 128.
  const Quantization q = PerTensor(0.5f, 128);
  const BinaryCase c =
      WithActivation(QuantCase(BuiltinOp::kSub, DType::kUInt8, {3}, q, q, q), Activation::kRelu);
  EXPECT_EQ(RunBinaryOk<uint8_t>(c, {200, 100, 255}, {150, 120, 0}),
            (std::vector<uint8_t>{178, 128, 255}));
}

TEST(SubTest, Int16GeneralScaleSaturates) {
  const Quantization q = PerTensor(0.5f, 0);
  EXPECT_EQ(
      RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kSub, {5}, q, q, q),
                           {5, -30000, 30000, -32768, 32767}, {7, 10000, -10000, 32767, -32768}),
      (std::vector<int16_t>{-2, -32768, 32767, -32768, 32767}));
}

TEST(SubTest, Int16PowerOfTwoPath) {
  // a at the output scale 2^-10, b at 2^-12: a - round(b / 4) vs. the general
  // path's single rounding: 1 - 0.5 = 0.5 -> 1.
  const Quantization qa = PerTensor(1.0f / 1024, 0), qb = PerTensor(1.0f / 4096, 0);
  EXPECT_EQ(RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kSub, {3}, qa, qb, qa, true), {1, 10, -32000},
                                 {2, -6, 4000}),
            (std::vector<int16_t>{0, 12, -32768}));
  EXPECT_EQ(RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kSub, {3}, qa, qb, qa, false),
                                 {1, 10, -32000}, {2, -6, 4000}),
            (std::vector<int16_t>{1, 12, -32768}));
  // The shifted input may be the first one too: round(a / 4) - b.
  EXPECT_EQ(
      RunBinaryOk<int16_t>(Int16Case(BuiltinOp::kSub, {2}, qb, qa, qa, true), {6, -6}, {1, 1}),
      (std::vector<int16_t>{1, -3}));
}

// ---------------------------------------------------------------- errors

TEST(AddSubTest, RejectsBadModels) {
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kSub}) {
    SCOPED_TRACE(BuiltinOpName(op));
    // Shapes that do not broadcast.
    EXPECT_NE(RunBinaryError<float>(FloatCase(op, {2, 3}, {3, 2}, {2, 3}), std::vector<float>(6),
                                    std::vector<float>(6))
                  .find("cannot be broadcast"),
              std::string::npos);
    // Rank 7.
    RunBinaryError<float>(FloatCase(op, {1, 1, 1, 1, 1, 1, 2}, {2}, {1, 1, 1, 1, 1, 1, 2}),
                          std::vector<float>(2), std::vector<float>(2));
    // Output scale so small that the output multiplier is >= 1.
    RunBinaryError<int8_t>(Int8Case(op, {2}, PerTensor(1, 0), PerTensor(1, 0), PerTensor(1e-7f, 0)),
                           std::vector<int8_t>(2), std::vector<int8_t>(2));
    // Missing quantization.
    RunBinaryError<int8_t>(Int8Case(op, {2}, {}, PerTensor(1, 0), PerTensor(1, 0)),
                           std::vector<int8_t>(2), std::vector<int8_t>(2));
    // Zero scale.
    RunBinaryError<int8_t>(Int8Case(op, {2}, PerTensor(0, 0), PerTensor(1, 0), PerTensor(1, 0)),
                           std::vector<int8_t>(2), std::vector<int8_t>(2));
    // TANH is not a fused activation ADD/SUB support.
    RunBinaryError<float>(WithActivation(FloatCase(op, {2}, {2}, {2}), Activation::kTanh),
                          std::vector<float>(2), std::vector<float>(2));
    // int16 needs zero points of 0.
    EXPECT_NE(RunBinaryError<int16_t>(
                  Int16Case(op, {2}, PerTensor(1, 0), PerTensor(1, 3), PerTensor(1, 0)),
                  std::vector<int16_t>(2), std::vector<int16_t>(2))
                  .find("zero points"),
              std::string::npos);
    // Power-of-two path: both inputs finer than the output.
    const Quantization fine = PerTensor(1.0f / 4096, 0), coarse = PerTensor(1.0f / 1024, 0);
    RunBinaryError<int16_t>(Int16Case(op, {2}, fine, fine, coarse, true), std::vector<int16_t>(2),
                            std::vector<int16_t>(2));
    // Power-of-two path: an input coarser than the output.
    RunBinaryError<int16_t>(Int16Case(op, {2}, coarse, fine, fine, true), std::vector<int16_t>(2),
                            std::vector<int16_t>(2));
    // bool is not supported (int32 and int64: int_arith_test.cc).
    RunBinaryError<uint8_t>(SameShapeCase(op, DType::kBool, {2}), std::vector<uint8_t>(2),
                            std::vector<uint8_t>(2));
    // Output dtype differs from the inputs.
    ModelBuilder builder;
    const int a = builder.AddTensor("a", DType::kInt8, {2}, PerTensor(1, 0));
    const int b = builder.AddTensor("b", DType::kInt8, {2}, PerTensor(1, 0));
    const int out = builder.AddTensor("out", DType::kInt16, {2}, PerTensor(1, 0));
    builder.AddOperator(op, {a, b}, {out});
    builder.SetInputs({a, b});
    builder.SetOutputs({out});
    EXPECT_FALSE(testing::RunModel(builder.Build(), {testing::ToBytes(std::vector<int8_t>(2)),
                                                     testing::ToBytes(std::vector<int8_t>(2))})
                     .status.ok());
  }
}

TEST(AddSubTest, RejectsWrongArityAndMixedInputTypes) {
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kSub}) {
    SCOPED_TRACE(BuiltinOpName(op));
    {  // Three inputs.
      ModelBuilder builder;
      const int a = builder.AddTensor("a", DType::kFloat32, {2});
      const int b = builder.AddTensor("b", DType::kFloat32, {2});
      const int c = builder.AddTensor("c", DType::kFloat32, {2});
      const int out = builder.AddTensor("out", DType::kFloat32, {2});
      builder.AddOperator(op, {a, b, c}, {out});
      builder.SetInputs({a, b, c});
      builder.SetOutputs({out});
      const std::vector<uint8_t> bytes = testing::ToBytes(std::vector<float>(2));
      EXPECT_FALSE(testing::RunModel(builder.Build(), {bytes, bytes, bytes}).status.ok());
    }
    {  // float32 + int32.
      ModelBuilder builder;
      const int a = builder.AddTensor("a", DType::kFloat32, {2});
      const int b = builder.AddTensor("b", DType::kInt32, {2});
      const int out = builder.AddTensor("out", DType::kFloat32, {2});
      builder.AddOperator(op, {a, b}, {out});
      builder.SetInputs({a, b});
      builder.SetOutputs({out});
      EXPECT_FALSE(testing::RunModel(builder.Build(), {testing::ToBytes(std::vector<float>(2)),
                                                       testing::ToBytes(std::vector<int32_t>(2))})
                       .status.ok());
    }
  }
}

}  // namespace
}  // namespace qlite
