// Arithmetic::kXnnpack on one-input ops, hand-checked where XNNPACK's
// arithmetic and TFLite's part ways: fused-activation bounds at an exact .5,
// LEAKY_RELU and 8-bit requantization in Q8 fixed point (ties up), and
// float-to-int8 QUANTIZE (ties to even).
#include <gtest/gtest.h>

#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

Model UnaryModel(BuiltinOp op, DType in_type, Quantization in_quant, Quantization out_quant,
                 OpOptions options, int32_t n) {
  ModelBuilder b;
  const int in = b.AddTensor("x", in_type, {1, 1, n, 1}, std::move(in_quant));
  const int out = b.AddTensor("y", DType::kInt8, {1, 1, n, 1}, std::move(out_quant));
  b.AddOperator(op, {in}, {out}, std::move(options));
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

template <typename In>
std::vector<int> RunOp(const Model& model, const std::vector<In>& x, Arithmetic arithmetic) {
  InterpreterOptions options;
  options.arithmetic = arithmetic;
  const RunResult r = RunModel(model, {ToBytes(x)}, options);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  const std::vector<int8_t> values = FromBytes<int8_t>(r.outputs[0]);
  return std::vector<int>(values.begin(), values.end());
}

TEST(XnnpackUnaryTest, FusedRelu6BoundRoundsToEven) {
  // Scale 0.48, zero point -128: 6 / 0.48 is 12.5 in float. TFLite:
  // -128 + round(12.5) = -115. XNNPACK: lrintf(12.5 - 128 = -115.5) = -116.
  // A 1x1 MAX_POOL_2D only clamps.
  Pool2DOptions pool;
  pool.activation = Activation::kRelu6;
  const Quantization q = PerTensor(0.48f, -128);
  const Model model = UnaryModel(BuiltinOp::kMaxPool2D, DType::kInt8, q, q, pool, 4);
  const std::vector<int8_t> x = {-128, -116, -115, 127};
  EXPECT_EQ(RunOp(model, x, Arithmetic::kTflite), (std::vector<int>{-128, -116, -115, -115}));
  EXPECT_EQ(RunOp(model, x, Arithmetic::kXnnpack), (std::vector<int>{-128, -116, -116, -116}));
}

TEST(XnnpackUnaryTest, LeakyReluRoundsTiesUp) {
  // in 1 / out 2: multipliers 256 * 0.5 = 128 and 256 * 0.25 = 64 (alpha
  // 0.5). 3 -> 1.5, -2 -> -0.5, -6 -> -1.5, 5 -> 2.5, -3 -> -0.75.
  // XNNPACK: (x * m + 128) >> 8 = 2, 0, -1, 3, -1 (ties up); TFLite's
  // multipliers round ties away from zero: 2, -1, -2, 3, -1.
  const Model model = UnaryModel(BuiltinOp::kLeakyRelu, DType::kInt8, PerTensor(1.0f, 0),
                                 PerTensor(2.0f, 0), LeakyReluOptions{0.5f}, 5);
  const std::vector<int8_t> x = {3, -2, -6, 5, -3};
  EXPECT_EQ(RunOp(model, x, Arithmetic::kTflite), (std::vector<int>{2, -1, -2, 3, -1}));
  EXPECT_EQ(RunOp(model, x, Arithmetic::kXnnpack), (std::vector<int>{2, 0, -1, 3, -1}));
}

TEST(XnnpackUnaryTest, RequantizeRoundsTiesUp) {
  // int8 scale 1 zp 0 -> scale 4 zp 1: multiplier 256 / 4 = 64. 2 -> 0.5,
  // -2 -> -0.5, 6 -> 1.5, -6 -> -1.5, 100 -> 25, plus the zero point 1.
  // XNNPACK: (x * 64 + 256 + 128) >> 8 = 2, 1, 3, 0, 26. TFLite's 0.25 is
  // 2^30 with a rounding right shift of 1, which rounds -0.5 and -1.5 away
  // from zero: 2, 0, 3, -1, 26.
  const Model model =
      UnaryModel(BuiltinOp::kQuantize, DType::kInt8, PerTensor(1.0f, 0), PerTensor(4.0f, 1), {}, 5);
  const std::vector<int8_t> x = {2, -2, 6, -6, 100};
  EXPECT_EQ(RunOp(model, x, Arithmetic::kTflite), (std::vector<int>{2, 0, 3, -1, 26}));
  EXPECT_EQ(RunOp(model, x, Arithmetic::kXnnpack), (std::vector<int>{2, 1, 3, 0, 26}));
}

TEST(XnnpackUnaryTest, QuantizeFloatRoundsTiesToEven) {
  // Scale 0.5, zero point -3: 0.25 -> 0.5, 0.75 -> 1.5, -0.25 -> -0.5,
  // -1.25 -> -2.5, 100 -> 200 (clamped). TFLite rounds half away from zero:
  // 1, 2, -1, -3 (+ zp: -2, -1, -4, -6, 127); XNNPACK to even: 0, 2, -0, -2
  // (-3, -1, -3, -5, 127).
  const Model model =
      UnaryModel(BuiltinOp::kQuantize, DType::kFloat32, {}, PerTensor(0.5f, -3), {}, 5);
  const std::vector<float> x = {0.25f, 0.75f, -0.25f, -1.25f, 100.0f};
  EXPECT_EQ(RunOp(model, x, Arithmetic::kTflite), (std::vector<int>{-2, -1, -4, -6, 127}));
  EXPECT_EQ(RunOp(model, x, Arithmetic::kXnnpack), (std::vector<int>{-3, -1, -3, -5, 127}));
}

}  // namespace
}  // namespace qlite
