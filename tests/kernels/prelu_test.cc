// PRELU reference kernel: float32 with broadcast alpha shapes, NaN/inf, int8
// and uint8 with TFLite's two requantizations (rounding ties, clamping), and
// the models it must refuse.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct PreluCase {
  DType type = DType::kFloat32;
  Shape input_shape, alpha_shape;
  Quantization input_quant, alpha_quant, output_quant;
  bool constant_alpha = true;
};

// A quantized case; quantization as (scale, zero point) of input, alpha, output.
PreluCase QuantizedCase(DType type, Shape input_shape, Shape alpha_shape, Quantization input,
                        Quantization alpha, Quantization output) {
  PreluCase c;
  c.type = type;
  c.input_shape = std::move(input_shape);
  c.alpha_shape = std::move(alpha_shape);
  c.input_quant = std::move(input);
  c.alpha_quant = std::move(alpha);
  c.output_quant = std::move(output);
  return c;
}

template <typename T>
RunResult RunPrelu(const PreluCase& c, const std::vector<T>& input, const std::vector<T>& alpha) {
  ModelBuilder b;
  const int in = b.AddTensor("x", c.type, c.input_shape, c.input_quant);
  const int a = c.constant_alpha
                    ? b.AddConstant("alpha", c.type, c.alpha_shape, alpha, c.alpha_quant)
                    : b.AddTensor("alpha", c.type, c.alpha_shape, c.alpha_quant);
  const int out = b.AddTensor("y", c.type, {}, c.output_quant);
  b.AddOperator(BuiltinOp::kPrelu, {in, a}, {out});
  std::vector<std::vector<uint8_t>> inputs = {ToBytes(input)};
  if (c.constant_alpha) {
    b.SetInputs({in});
  } else {
    b.SetInputs({in, a});
    inputs.push_back(ToBytes(alpha));
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), inputs);
}

template <typename T>
std::vector<T> RunPreluOk(const PreluCase& c, const std::vector<T>& input,
                          const std::vector<T>& alpha) {
  const RunResult r = RunPrelu(c, input, alpha);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  EXPECT_EQ(r.shapes[0], c.input_shape);
  return FromBytes<T>(r.outputs[0]);
}

TEST(PreluTest, FloatAlphaPerChannelBroadcast) {
  // TFLite's documented case: [1, 2, 2, 3] against alpha [1, 1, 3].
  PreluCase c;
  c.input_shape = {1, 2, 2, 3};
  c.alpha_shape = {1, 1, 3};
  const std::vector<float> x = {0, 0, 0, 1, 1, 1, -1, -1, -1, -2, -2, -2};
  EXPECT_EQ(RunPreluOk<float>(c, x, {0, 1, 2}),
            (std::vector<float>{0, 0, 0, 1, 1, 1, 0, -1, -2, 0, -2, -4}));
  // The same alpha as a rank-1 [3] tensor, and fed at run time.
  c.alpha_shape = {3};
  c.constant_alpha = false;
  EXPECT_EQ(RunPreluOk<float>(c, x, {0, 1, 2}),
            (std::vector<float>{0, 0, 0, 1, 1, 1, 0, -1, -2, 0, -2, -4}));
}

TEST(PreluTest, FloatSameShapeScalarAndMiddleAxisAlpha) {
  PreluCase c;
  c.input_shape = {2, 2};
  c.alpha_shape = {2, 2};
  EXPECT_EQ(RunPreluOk<float>(c, {-1, -2, 3, -4}, {0.5f, 0.25f, 9, -1}),
            (std::vector<float>{-0.5f, -0.5f, 3, 4}));
  c.alpha_shape = {};  // one alpha for all
  EXPECT_EQ(RunPreluOk<float>(c, {-1, -2, 3, -4}, {0.5f}), (std::vector<float>{-0.5f, -1, 3, -2}));
  c.input_shape = {1, 2, 3};  // alpha per row: [2, 1]
  c.alpha_shape = {2, 1};
  EXPECT_EQ(RunPreluOk<float>(c, {-1, -2, 4, -1, -2, 4}, {0.5f, 2}),
            (std::vector<float>{-0.5f, -1, 4, -2, -4, 4}));
}

TEST(PreluTest, FloatNaNAndInfinity) {
  PreluCase c;
  c.input_shape = {4};
  c.alpha_shape = {1};
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto y = RunPreluOk<float>(c, {nan, -inf, inf, -2}, {0.5f});
  ASSERT_EQ(y.size(), 4u);
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_EQ(y[1], -inf);
  EXPECT_EQ(y[2], inf);
  EXPECT_EQ(y[3], -1.0f);
  // alpha NaN only reaches negative inputs.
  const auto z = RunPreluOk<float>(c, {1, -1, 0, 2}, {nan});
  ASSERT_EQ(z.size(), 4u);
  EXPECT_EQ(z[0], 1.0f);
  EXPECT_TRUE(std::isnan(z[1]));
  EXPECT_EQ(z[2], 0.0f);
}

TEST(PreluTest, Int8TwoMultipliersAndClamp) {
  // x real = 0.5 (q + 1); alpha real = 0.25 q: {0.5, -1}; y = 0.25 (q - 3).
  // x >= 0: y_q = 2 x_q' + 3; x < 0: y_q = x_q' * alpha_q / 2 + 3.
  const PreluCase c = QuantizedCase(DType::kInt8, {3, 2}, {2}, PerTensor(0.5f, -1),
                                    PerTensor(0.25f, 0), PerTensor(0.25f, 3));
  // 3.0 -> 3.0; -2.0 * -1 -> 2.0; 0 -> 0; -4 * -1 -> 4; 64 -> clamp; -63.5 * -1 -> clamp.
  EXPECT_EQ(RunPreluOk<int8_t>(c, {5, -5, -1, -9, 127, -128}, {2, -4}),
            (std::vector<int8_t>{15, 11, 3, 19, 127, 127}));
}

TEST(PreluTest, Int8NegativeClampAndAlphaZeroPoint) {
  // alpha zero point 10: alpha_q 14 is 1.0; y = x for all inputs, saturating
  // at the output's int8 range with output scale 0.25.
  const PreluCase c = QuantizedCase(DType::kInt8, {4}, {1}, PerTensor(0.5f, 0),
                                    PerTensor(0.25f, 10), PerTensor(0.25f, 0));
  // -100 * 0.5 = -50 -> -200 -> -128; -10 -> -5.0 -> -20; 30 -> 15 -> 60; 100 -> 200 -> 127.
  EXPECT_EQ(RunPreluOk<int8_t>(c, {-100, -10, 30, 100}, {14}),
            (std::vector<int8_t>{-128, -20, 60, 127}));
}

TEST(PreluTest, UInt8RoundsTiesLikeTflite) {
  // Scales 1 / 0.5 / 1: x < 0 gives x * (alpha_q - 128) / 2 through the
  // doubling high multiply, which rounds -1.5 to -1 (half towards +inf for
  // negative products) and -64 exactly.
  const PreluCase c = QuantizedCase(DType::kUInt8, {5}, {1}, PerTensor(1.0f, 128),
                                    PerTensor(0.5f, 128), PerTensor(1.0f, 128));
  EXPECT_EQ(RunPreluOk<uint8_t>(c, {138, 125, 124, 0, 255}, {129}),
            (std::vector<uint8_t>{138, 127, 126, 64, 255}));
}

TEST(PreluTest, EmptyConstantInputFolds) {
  // Model inputs cannot be empty: an empty constant input, folded at prepare.
  ModelBuilder b;
  const int in = b.AddConstant("x", DType::kFloat32, {0, 3}, std::vector<float>{});
  const int a = b.AddConstant("alpha", DType::kFloat32, {3}, std::vector<float>{1, 2, 3});
  const int out = b.AddTensor("y", DType::kFloat32, {});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kPrelu, {in, a}, {out});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0, 3}));
  EXPECT_TRUE(r.outputs[0].empty());
}

TEST(PreluTest, RefusesBadModels) {
  auto error = [](const PreluCase& c, size_t n, size_t alpha_n) {
    const RunResult r =
        RunPrelu<float>(c, std::vector<float>(n, 1.0f), std::vector<float>(alpha_n, 1.0f));
    EXPECT_FALSE(r.status.ok());
    return r.status.message();
  };
  PreluCase c;
  c.input_shape = {3};
  c.alpha_shape = {2, 3};  // would make the output larger than the input
  EXPECT_NE(error(c, 3, 6).find("alpha"), std::string::npos);
  c.alpha_shape = {2};  // does not broadcast
  EXPECT_NE(error(c, 3, 2).find("PRELU"), std::string::npos);

  // int16 and int32: TFLite has no kernel.
  for (DType type : {DType::kInt16, DType::kInt32}) {
    ModelBuilder b;
    const int in = b.AddTensor("x", type, {2}, PerTensor(1.0f, 0));
    const int a = b.AddTensor("alpha", type, {2}, PerTensor(1.0f, 0));
    const int out = b.AddTensor("y", type, {2}, PerTensor(1.0f, 0));
    b.AddOperator(BuiltinOp::kPrelu, {in, a}, {out});
    b.SetInputs({in, a});
    b.SetOutputs({out});
    const size_t bytes = type == DType::kInt16 ? 4 : 8;
    const RunResult r =
        RunModel(b.Build(), {std::vector<uint8_t>(bytes), std::vector<uint8_t>(bytes)});
    EXPECT_FALSE(r.status.ok()) << DTypeName(type);
  }

  // Alpha of another dtype than the input.
  {
    ModelBuilder b;
    const int in = b.AddTensor("x", DType::kInt8, {2}, PerTensor(1.0f, 0));
    const int a = b.AddConstant("alpha", DType::kFloat32, {2}, std::vector<float>{1, 2});
    const int out = b.AddTensor("y", DType::kInt8, {2}, PerTensor(1.0f, 0));
    b.AddOperator(BuiltinOp::kPrelu, {in, a}, {out});
    b.SetInputs({in});
    b.SetOutputs({out});
    EXPECT_FALSE(RunModel(b.Build(), {std::vector<uint8_t>(2)}).status.ok());
  }

  // Quantized alpha without quantization parameters.
  PreluCase q;
  q.type = DType::kInt8;
  q.input_shape = {2};
  q.alpha_shape = {1};
  q.input_quant = PerTensor(0.5f, 0);
  q.output_quant = PerTensor(0.5f, 0);
  const RunResult r = RunPrelu<int8_t>(q, {1, -1}, {1});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("alpha"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace qlite
