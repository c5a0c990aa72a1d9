// MUL reference kernel: float32, int8, uint8, int16, broadcasting and fused
// activations. Quantized cases use scales whose multiplier is a power of two
// so that every expected value can be worked out by hand.
#include <cmath>
#include <cstdint>
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

BinaryCase MulCase(DType type, Shape shape, Quantization q1, Quantization q2, Quantization qout,
                   Activation activation = Activation::kNone) {
  BinaryCase c = SameShapeCase(BuiltinOp::kMul, type, std::move(shape));
  c.q1 = std::move(q1);
  c.q2 = std::move(q2);
  c.qout = std::move(qout);
  ElementwiseOptions options;
  options.activation = activation;
  c.options = options;
  return c;
}

TEST(MulTest, FloatBroadcastAndRelu6) {
  BinaryCase c = MulCase(DType::kFloat32, {2, 3}, {}, {}, {});
  c.shape2 = {3};
  EXPECT_EQ(RunBinaryOk<float>(c, {1, 2, 3, -1, 0.5f, 4}, {2, -3, 0.5f}),
            (std::vector<float>{2, -6, 1.5f, -2, -1.5f, 2}));

  c = MulCase(DType::kFloat32, {4}, {}, {}, {}, Activation::kRelu6);
  EXPECT_EQ(RunBinaryOk<float>(c, {1, -2, 3, 0.5f}, {2, 2, 3, 3}),
            (std::vector<float>{2, 0, 6, 1.5f}));
}

TEST(MulTest, FloatOuterProduct) {
  BinaryCase c = MulCase(DType::kFloat32, {3, 1}, {}, {}, {});
  c.shape2 = {1, 2};
  c.out_shape = {3, 2};
  const auto r = RunBinary<float>(c, {1, 2, 3}, {10, -1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(testing::FromBytes<float>(r.outputs[0]), (std::vector<float>{10, -1, 20, -2, 30, -3}));
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
}

TEST(MulTest, Int8UnitMultiplierIsExactAndSaturates) {
  // 0.5 * 0.5 / 0.25 = 1 = (2^30, shift 1): the output is the raw product.
  const BinaryCase c =
      MulCase(DType::kInt8, {5}, PerTensor(0.5f, 0), PerTensor(0.5f, 0), PerTensor(0.25f, 0));
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {3, -5, 12, -12, -128}, {4, 7, 11, 11, -1}),
            (std::vector<int8_t>{12, -35, 127, -128, 127}));
}

TEST(MulTest, Int8ZeroPointsAndDoubleRounding) {
  // a: 0.5 zp 2, b: 0.25 zp -3, out: 0.5 zp 5 -> multiplier 0.25 = (2^30, -1).
  //   (6-2) * (5+3) = 32 -> 32 * 0.25 = 8 -> 13.
  //   (3-2) * (-2+3) = 1: the high multiply rounds 0.5 up to 1, then the
  //   shift rounds 0.5 away from zero to 1 -> 6 (real value 0.25 steps).
  //   (1-2) * (-2+3) = -1: the high multiply of -0.5 rounds towards zero to 0
  //   -> 5 (TFLite's doubled rounding is not symmetric).
  //   (127-2) * (127+3) = 16250 -> 4062.5 -> 4063 -> clamps at 127.
  const BinaryCase c =
      MulCase(DType::kInt8, {4}, PerTensor(0.5f, 2), PerTensor(0.25f, -3), PerTensor(0.5f, 5));
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {6, 3, 1, 127}, {5, -2, -2, 127}),
            (std::vector<int8_t>{13, 6, 5, 127}));
}

TEST(MulTest, Int8ReluAndBroadcast) {
  // Scalar second input; ReLU floor is the output zero point -10.
  BinaryCase c = MulCase(DType::kInt8, {3}, PerTensor(0.5f, 0), PerTensor(0.5f, 0),
                         PerTensor(0.25f, -10), Activation::kRelu);
  c.shape2 = {};
  // Unit multiplier: products -6, 0, 12 -> -16, -10, 2 -> ReLU -10, -10, 2.
  EXPECT_EQ(RunBinaryOk<int8_t>(c, {2, 0, -4}, {-3}), (std::vector<int8_t>{-10, -10, 2}));
}

TEST(MulTest, UInt8) {
  // All zp 128; 0.5 * 0.5 / 0.25 = 1: (2)*(-3) = -6 -> 122; 72 * 2 = 144 -> 272 -> 255.
  const BinaryCase c = MulCase(DType::kUInt8, {2}, PerTensor(0.5f, 128), PerTensor(0.5f, 128),
                               PerTensor(0.25f, 128));
  EXPECT_EQ(RunBinaryOk<uint8_t>(c, {130, 200}, {125, 130}), (std::vector<uint8_t>{122, 255}));
}

TEST(MulTest, Int16SaturatesAtLimits) {
  // 2^-8 * 2^-8 / 2^-10 = 2^-6 = (2^30, -5): out = round(a * b / 64).
  //   256 * 512 = 131072 -> 2048 (1.0 * 2.0 = 2.0 at scale 2^-10).
  //   100 * -3 = -300 -> -4.6875 -> -5.
  //   32767^2, -32768 * 32767, (-32768)^2 all saturate.
  const Quantization q = PerTensor(1.0f / 256, 0);
  const BinaryCase c = MulCase(DType::kInt16, {5}, q, q, PerTensor(1.0f / 1024, 0));
  EXPECT_EQ(
      RunBinaryOk<int16_t>(c, {256, 100, 32767, -32768, -32768}, {512, -3, 32767, 32767, -32768}),
      (std::vector<int16_t>{2048, -5, 32767, -32768, 32767}));
}

TEST(MulTest, Int16BroadcastAndRelu) {
  // Unit multiplier (2^-4 * 2^-4 / 2^-8): out = a * b[column], ReLU at 0.
  BinaryCase c = MulCase(DType::kInt16, {2, 2}, PerTensor(1.0f / 16, 0), PerTensor(1.0f / 16, 0),
                         PerTensor(1.0f / 256, 0), Activation::kRelu);
  c.shape2 = {2};
  EXPECT_EQ(RunBinaryOk<int16_t>(c, {3, 4, -5, 6}, {-2, 100}),
            (std::vector<int16_t>{0, 400, 10, 600}));
}

TEST(MulTest, RejectsBadModels) {
  // Shapes that do not broadcast.
  BinaryCase c = MulCase(DType::kFloat32, {2, 3}, {}, {}, {});
  c.shape2 = {2};
  EXPECT_NE(RunBinaryError<float>(c, std::vector<float>(6), std::vector<float>(2))
                .find("cannot be broadcast"),
            std::string::npos);
  // int16 with a non-zero zero point.
  EXPECT_NE(RunBinaryError<int16_t>(
                MulCase(DType::kInt16, {2}, PerTensor(1, 0), PerTensor(1, 0), PerTensor(1, 1)),
                std::vector<int16_t>(2), std::vector<int16_t>(2))
                .find("zero points"),
            std::string::npos);
  // Multiplier 1e12 needs a left shift far beyond 31 bits.
  RunBinaryError<int8_t>(
      MulCase(DType::kInt8, {2}, PerTensor(1, 0), PerTensor(1, 0), PerTensor(1e-12f, 0)),
      std::vector<int8_t>(2), std::vector<int8_t>(2));
  // Missing and non-finite quantization.
  RunBinaryError<int8_t>(MulCase(DType::kInt8, {2}, PerTensor(1, 0), {}, PerTensor(1, 0)),
                         std::vector<int8_t>(2), std::vector<int8_t>(2));
  RunBinaryError<int8_t>(
      MulCase(DType::kInt8, {2}, PerTensor(INFINITY, 0), PerTensor(1, 0), PerTensor(1, 0)),
      std::vector<int8_t>(2), std::vector<int8_t>(2));
  // Unsupported dtype and fused activation.
  RunBinaryError<uint8_t>(SameShapeCase(BuiltinOp::kMul, DType::kBool, {2}),
                          std::vector<uint8_t>(2), std::vector<uint8_t>(2));
  RunBinaryError<float>(MulCase(DType::kFloat32, {2}, {}, {}, {}, Activation::kSignBit),
                        std::vector<float>(2), std::vector<float>(2));
  // Mixed input dtypes.
  ModelBuilder builder;
  const int a = builder.AddTensor("a", DType::kInt8, {2}, PerTensor(1, 0));
  const int b = builder.AddTensor("b", DType::kUInt8, {2}, PerTensor(1, 0));
  const int out = builder.AddTensor("out", DType::kInt8, {2}, PerTensor(1, 0));
  builder.AddOperator(BuiltinOp::kMul, {a, b}, {out});
  builder.SetInputs({a, b});
  builder.SetOutputs({out});
  EXPECT_FALSE(testing::RunModel(builder.Build(), {testing::ToBytes(std::vector<int8_t>(2)),
                                                   testing::ToBytes(std::vector<uint8_t>(2))})
                   .status.ok());
}

}  // namespace
}  // namespace qlite
