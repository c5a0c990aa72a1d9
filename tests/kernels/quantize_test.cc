// QUANTIZE (float -> int, requantize) and DEQUANTIZE (int / float16 -> float).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

template <typename T>
RunResult RunUnary(BuiltinOp op, DType in_type, Quantization in_q, DType out_type,
                   Quantization out_q, Shape shape, const std::vector<T>& input) {
  ModelBuilder b;
  const int in = b.AddTensor("in", in_type, shape, std::move(in_q));
  const int out = b.AddTensor("out", out_type, shape, std::move(out_q));
  b.AddOperator(op, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

template <typename T>
RunResult Quantize(DType in_type, Quantization in_q, DType out_type, Quantization out_q,
                   const std::vector<T>& input) {
  return RunUnary(BuiltinOp::kQuantize, in_type, std::move(in_q), out_type, std::move(out_q),
                  {static_cast<int32_t>(input.size())}, input);
}

template <typename T>
RunResult Dequantize(DType in_type, Quantization in_q, const std::vector<T>& input,
                     Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int32_t>(input.size())};
  return RunUnary(BuiltinOp::kDequantize, in_type, std::move(in_q), DType::kFloat32, {}, shape,
                  input);
}

TEST(QuantizeTest, FloatToInt8) {
  // scale 0.5, zp -1: x / 0.5 rounded half away from zero, plus -1, clamped.
  const RunResult r = Quantize<float>(DType::kFloat32, {}, DType::kInt8, PerTensor(0.5f, -1),
                                      {0, 0.25f, 0.75f, -0.25f, 1, 100, -100, -0.75f});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // 0 -> -1; 0.5 -> 1 -> 0; 1.5 -> 2 -> 1; -0.5 -> -1 -> -2; 2 -> 1;
  // 200 -> 127; -200 -> -128; -1.5 -> -2 -> -3.
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-1, 0, 1, -2, 1, 127, -128, -3}));
}

TEST(QuantizeTest, FloatNonFiniteSaturates) {
  const float inf = std::numeric_limits<float>::infinity();
  const RunResult r = Quantize<float>(DType::kFloat32, {}, DType::kInt8, PerTensor(0.5f, 3),
                                      {inf, -inf, std::nanf(""), 3e38f});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{127, -128, 3, 127}));
}

TEST(QuantizeTest, FloatToUInt8AndInt16) {
  // uint8 scale 0.25 zp 128: 0 -> 128, 1 -> 132, -1 -> 124, 40 -> 288 -> 255, -40 -> 0.
  RunResult r = Quantize<float>(DType::kFloat32, {}, DType::kUInt8, PerTensor(0.25f, 128),
                                {0, 1, -1, 40, -40});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{128, 132, 124, 255, 0}));

  // int16 scale 2^-10: 1 -> 1024, -1 -> -1024, 31.999 -> 32766.98 -> 32767, 40 -> 32767.
  r = Quantize<float>(DType::kFloat32, {}, DType::kInt16, PerTensor(1.0f / 1024, 0),
                      {1, -1, 31.999f, 40, -40});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]),
            (std::vector<int16_t>{1024, -1024, 32767, 32767, -32768}));
}

TEST(QuantizeTest, RequantizeInt8Rounding) {
  // Effective scale 0.5 = (2^30, shift 0): one rounding doubling high mul,
  // whose ties go up: 1.5 -> 2, -1.5 -> -1.
  RunResult r = Quantize<int8_t>(DType::kInt8, PerTensor(0.5f, 0), DType::kInt8, PerTensor(1.0f, 0),
                                 {3, -3, 4, -4});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{2, -1, 2, -2}));

  // Effective scale 0.25 = (2^30, shift -1): the high mul rounds to x/2, then
  // the rounding shift halves again, half away from zero: 6 -> 3 -> 2,
  // -6 -> -3 -> -2. TFLite rounds twice: 5 -> 2.5 -> 3 -> 2 (not 1.25 -> 1),
  // -5 -> -2.5 -> -2 -> -1.
  r = Quantize<int8_t>(DType::kInt8, PerTensor(0.25f, 0), DType::kInt8, PerTensor(1.0f, 0),
                       {6, -6, 5, -5});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{2, -2, 2, -1}));

  // Zero points and clamping: in scale 1 zp 10, out scale 0.5 zp -20:
  // (x - 10) * 2 - 20.
  r = Quantize<int8_t>(DType::kInt8, PerTensor(1.0f, 10), DType::kInt8, PerTensor(0.5f, -20),
                       {10, 11, 100, -128});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-20, -18, 127, -128}));
}

TEST(QuantizeTest, RequantizeInt8UInt8SameScaleShiftsBy128) {
  std::vector<int8_t> all_int8;
  std::vector<uint8_t> all_uint8;
  for (int v = -128; v <= 127; ++v) all_int8.push_back(static_cast<int8_t>(v));
  for (int v = 0; v <= 255; ++v) all_uint8.push_back(static_cast<uint8_t>(v));

  RunResult r = Quantize<int8_t>(DType::kInt8, PerTensor(0.37f, -3), DType::kUInt8,
                                 PerTensor(0.37f, 125), all_int8);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  auto to_uint8 = FromBytes<uint8_t>(r.outputs[0]);
  for (int i = 0; i < 256; ++i) ASSERT_EQ(to_uint8[i], all_int8[i] + 128) << i;

  r = Quantize<uint8_t>(DType::kUInt8, PerTensor(0.37f, 125), DType::kInt8, PerTensor(0.37f, -3),
                        all_uint8);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  auto to_int8 = FromBytes<int8_t>(r.outputs[0]);
  for (int i = 0; i < 256; ++i) ASSERT_EQ(to_int8[i], all_uint8[i] - 128) << i;

  // uint8 -> uint8 with a scale change of 2: (x - 128) * 2 + 128.
  r = Quantize<uint8_t>(DType::kUInt8, PerTensor(1.0f, 128), DType::kUInt8, PerTensor(0.5f, 128),
                        {128, 129, 127, 200, 10});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{128, 130, 126, 255, 0}));
}

TEST(QuantizeTest, RequantizeInt16) {
  // 2^-10 -> 2^-8: effective 0.25. 32767 -> 8191.75 -> 8192; 6 -> 2; -6 -> -2.
  RunResult r = Quantize<int16_t>(DType::kInt16, PerTensor(1.0f / 1024, 0), DType::kInt16,
                                  PerTensor(1.0f / 256, 0), {32767, 6, -6, -32768});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{8192, 2, -2, -8192}));

  // int16 -> int8: 2^-10 -> 2^-4: effective 2^-6; 640 -> 10, 32767 -> 512 -> 127.
  r = Quantize<int16_t>(DType::kInt16, PerTensor(1.0f / 1024, 0), DType::kInt8,
                        PerTensor(1.0f / 16, 0), {640, 32767, -32768});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{10, 127, -128}));
}

TEST(QuantizeTest, RequantizeInt16ToInt32) {
  // 2^-10 -> 2^-14 (effective 16, a left shift): 32767 -> 524272, -32768 ->
  // -524288, 3 -> 48; the output zero point 7 is added after.
  RunResult r = Quantize<int16_t>(DType::kInt16, PerTensor(1.0f / 1024, 0), DType::kInt32,
                                  PerTensor(1.0f / 16384, 7), {32767, -32768, 3, 0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{524279, -524281, 55, 7}));
  // 1.25 -> 0.5 (effective 2.5): 5 -> 12.5 -> 13 and 1 -> 2.5 -> 3 (ties round up), -4 -> -10.
  r = Quantize<int16_t>(DType::kInt16, PerTensor(1.25f, 0), DType::kInt32, PerTensor(0.5f, 0),
                        {5, 1, -4});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{13, 3, -10}));
  // int8 -> int32 is not a pair TFLite takes.
  r = Quantize<int8_t>(DType::kInt8, PerTensor(1, 0), DType::kInt32, PerTensor(1, 0), {1});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("int32"), std::string::npos) << r.status.message();
}

TEST(QuantizeTest, RequantizeInt32ToInt16) {
  // 2^-20 -> 2^-10: effective 2^-10 = (2^30, shift -9): the high mul halves
  // (rounding ties up), the rounding shift divides by 2^9 half away from zero.
  //   1024 -> 512 -> 1;  1536 -> 768 -> 1.5 -> 2;  -1536 -> -768 -> -1.5 -> -2;
  //   2^25 -> 32768 -> saturates to 32767;  -2^25 -> -32768 exactly;
  //   -2^25 - 1024 -> -32769 -> -32768;  INT32_MAX -> 2^21 -> 32767;
  //   INT32_MIN -> -2^21 -> -32768;  0 -> 0.
  const std::vector<int32_t> input = {
      1024, 1536, -1536, 1 << 25, -(1 << 25), -(1 << 25) - 1024, INT32_MAX, INT32_MIN, 0};
  RunResult r = Quantize<int32_t>(DType::kInt32, PerTensor(1.0f / (1 << 20), 0), DType::kInt16,
                                  PerTensor(1.0f / 1024, 0), input);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]),
            (std::vector<int16_t>{1, 2, -2, 32767, -32768, -32768, 32767, -32768, 0}));

  // Input zero point 1000: (x - 1000) first. With zero point -5, INT32_MAX - (-5)
  // wraps to INT32_MIN + 4 exactly as TFLite's int32 subtraction does.
  r = Quantize<int32_t>(DType::kInt32, PerTensor(1.0f / (1 << 20), 1000), DType::kInt16,
                        PerTensor(1.0f / 1024, 0), {2024, 1000, -536});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // 1024 -> 1; 0 -> 0; -1536 -> -2.
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{1, 0, -2}));
  r = Quantize<int32_t>(DType::kInt32, PerTensor(1.0f / (1 << 20), -5), DType::kInt16,
                        PerTensor(1.0f / 1024, 0), {INT32_MAX});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{-32768}));
}

TEST(QuantizeTest, RequantizeInt32ToInt8) {
  // 2^-8 -> scale 1, zero point 10: effective 2^-8 = (2^30, shift -7).
  // 256 -> 1 + 10 = 11; 384 -> 1.5 -> 2 -> 12; -384 -> -2 -> 8; 2^20 -> 4096 -> 127;
  // -2^20 -> -4096 + 10 -> -128.
  const RunResult r = Quantize<int32_t>(DType::kInt32, PerTensor(1.0f / 256, 0), DType::kInt8,
                                        PerTensor(1.0f, 10), {256, 384, -384, 1 << 20, -(1 << 20)});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{11, 12, 8, 127, -128}));
}

TEST(QuantizeTest, RejectsBadInt32Requantization) {
  // int32 -> uint8 and int32 -> int32 are not TFLite combinations.
  EXPECT_FALSE(
      Quantize<int32_t>(DType::kInt32, PerTensor(1, 0), DType::kUInt8, PerTensor(1, 0), {1})
          .status.ok());
  EXPECT_FALSE(
      Quantize<int32_t>(DType::kInt32, PerTensor(1, 0), DType::kInt32, PerTensor(1, 0), {1})
          .status.ok());
  // int16 output needs zero point 0.
  RunResult r =
      Quantize<int32_t>(DType::kInt32, PerTensor(1, 0), DType::kInt16, PerTensor(1, 3), {1});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("zero point"), std::string::npos) << r.status.message();
  // The int32 input needs quantization parameters.
  EXPECT_FALSE(
      Quantize<int32_t>(DType::kInt32, {}, DType::kInt16, PerTensor(1, 0), {1}).status.ok());
  // Scales 2^31 apart do not fit a multiplier.
  r = Quantize<int32_t>(DType::kInt32, PerTensor(1e10f, 0), DType::kInt16, PerTensor(1e-3f, 0),
                        {1});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("too large"), std::string::npos) << r.status.message();
}

TEST(QuantizeTest, RejectsBadTypesAndQuantization) {
  // float -> float.
  EXPECT_FALSE(Quantize<float>(DType::kFloat32, {}, DType::kFloat32, {}, {1}).status.ok());
  // int64 input.
  EXPECT_FALSE(
      Quantize<int64_t>(DType::kInt64, PerTensor(1, 0), DType::kInt16, PerTensor(1, 0), {1})
          .status.ok());
  // int16 output needs zero point 0.
  EXPECT_FALSE(
      Quantize<float>(DType::kFloat32, {}, DType::kInt16, PerTensor(1, 5), {1}).status.ok());
  // Output without quantization, or per channel.
  EXPECT_FALSE(Quantize<float>(DType::kFloat32, {}, DType::kInt8, {}, {1}).status.ok());
  EXPECT_FALSE(Quantize<float>(DType::kFloat32, {}, DType::kInt8, PerChannel({1, 2}, 0), {1, 2})
                   .status.ok());
  // Zero or non-finite scales.
  EXPECT_FALSE(
      Quantize<float>(DType::kFloat32, {}, DType::kInt8, PerTensor(0, 0), {1}).status.ok());
  EXPECT_FALSE(Quantize<int8_t>(DType::kInt8, PerTensor(std::nanf(""), 0), DType::kInt8,
                                PerTensor(1, 0), {1})
                   .status.ok());
  // int8 -> int16 is not a TFLite combination.
  EXPECT_FALSE(Quantize<int8_t>(DType::kInt8, PerTensor(1, 0), DType::kInt16, PerTensor(1, 0), {1})
                   .status.ok());
}

TEST(DequantizeTest, PerTensor) {
  RunResult r = Dequantize<int8_t>(DType::kInt8, PerTensor(0.5f, -1), {-1, 0, 127, -128});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 0.5f, 64, -63.5f}));

  r = Dequantize<uint8_t>(DType::kUInt8, PerTensor(0.25f, 128), {0, 128, 255});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{-32, 0, 31.75f}));

  r = Dequantize<int16_t>(DType::kInt16, PerTensor(1.0f / 1024, 0), {1024, -32768, 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, -32, 1.0f / 1024}));

  // 0.1f * 3 rounds like TFLite's double product cast to float.
  r = Dequantize<int8_t>(DType::kInt8, PerTensor(0.1f, 0), {3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0])[0], static_cast<float>(static_cast<double>(0.1f) * 3.0));
}

TEST(DequantizeTest, PerChannel) {
  // Shape [2,3]; dimension 0 scales {0.5, 2}: row 0 halves, row 1 doubles.
  RunResult r =
      Dequantize<int8_t>(DType::kInt8, PerChannel({0.5f, 2.0f}, 0), {2, 4, -6, 1, 2, -3}, {2, 3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 2, -3, 2, 4, -6}));

  // Dimension 1 scales {1, 10, 100}.
  r = Dequantize<int8_t>(DType::kInt8, PerChannel({1, 10, 100}, 1), {1, 1, 1, 2, 2, 2}, {2, 3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 10, 100, 2, 20, 200}));

  // Scale count must match the channel count.
  EXPECT_FALSE(
      Dequantize<int8_t>(DType::kInt8, PerChannel({1, 2}, 1), std::vector<int8_t>(6), {2, 3})
          .status.ok());
  EXPECT_FALSE(
      Dequantize<int8_t>(DType::kInt8, PerChannel({1, 2}, 5), std::vector<int8_t>(6), {2, 3})
          .status.ok());
}

TEST(DequantizeTest, Float16) {
  // 1.0, -2.0, 65504 (max), 2^-24 (min subnormal), 1023 * 2^-24 (max
  // subnormal), 2^-14 (min normal), +inf, -inf, -0, 0.333251953125.
  const std::vector<uint16_t> halves = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff,
                                        0x0400, 0x7c00, 0xfc00, 0x8000, 0x3555};
  RunResult r = Dequantize<uint16_t>(DType::kFloat16, {}, halves);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const auto out = FromBytes<float>(r.outputs[0]);
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> expected = {
      1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -24), std::ldexp(1023.0f, -24), std::ldexp(1.0f, -14),
      inf,  -inf,  -0.0f,    0.333251953125f};
  EXPECT_EQ(out, expected);
  EXPECT_TRUE(std::signbit(out[8]));

  r = Dequantize<uint16_t>(DType::kFloat16, {}, {0x7e00});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_TRUE(std::isnan(FromBytes<float>(r.outputs[0])[0]));
}

// Constant weights -> DEQUANTIZE -> FULLY_CONNECTED (input [1, 2] = {3, 6},
// no bias). FULLY_CONNECTED accepts only constant weights, so this runs only
// if DEQUANTIZE folded its output at prepare time.
RunResult RunDequantizedWeightsFc(DType weight_type, std::vector<uint8_t> weight_bytes,
                                  Quantization weight_quant) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 2});
  const int weights =
      b.AddConstantBytes("weights", weight_type, {2, 2}, std::move(weight_bytes), weight_quant);
  const int dequantized = b.AddTensor("dequantized", DType::kFloat32, {2, 2});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 2});
  b.AddOperator(BuiltinOp::kDequantize, {weights}, {dequantized});
  b.AddOperator(BuiltinOp::kFullyConnected, {in, dequantized, -1}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(std::vector<float>{3, 6})});
}

TEST(DequantizeTest, ConstantFloat16WeightsAreFoldedForFullyConnected) {
  // Weights {1, -2; 0.5, 0.333251953125}: unit 0 = 3 - 12 = -9,
  // unit 1 = 1.5 + 6 * 0.333251953125 = 3.49951171875 (all exact in float).
  const RunResult r = RunDequantizedWeightsFc(
      DType::kFloat16, ToBytes(std::vector<uint16_t>{0x3c00, 0xc000, 0x3800, 0x3555}), {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{-9.0f, 3.49951171875f}));
}

TEST(DequantizeTest, ConstantInt8PerChannelWeightsAreFoldedForFullyConnected) {
  // int8 {2, -4; 1, 3} with row scales {0.5, 2} = {1, -2; 2, 6}:
  // unit 0 = 3 - 12 = -9, unit 1 = 6 + 36 = 42.
  const RunResult r = RunDequantizedWeightsFc(
      DType::kInt8, ToBytes(std::vector<int8_t>{2, -4, 1, 3}), PerChannel({0.5f, 2.0f}, 0));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{-9.0f, 42.0f}));
}

TEST(DequantizeTest, NonConstantInputIsNotFolded) {
  // The same weights fed as a model input: DEQUANTIZE runs at invoke time, and
  // FULLY_CONNECTED rejects the non-constant weights it produces.
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 2});
  const int weights = b.AddTensor("weights", DType::kFloat16, {2, 2});
  const int dequantized = b.AddTensor("dequantized", DType::kFloat32, {2, 2});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 2});
  b.AddOperator(BuiltinOp::kDequantize, {weights}, {dequantized});
  b.AddOperator(BuiltinOp::kFullyConnected, {in, dequantized, -1}, {out});
  b.SetInputs({in, weights});
  b.SetOutputs({out});
  const RunResult r = RunModel(
      b.Build(), {ToBytes(std::vector<float>{3, 6}), ToBytes(std::vector<uint16_t>{0, 0, 0, 0})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must be constant"), std::string::npos) << r.status.message();
}

TEST(DequantizeTest, RejectsBadTypes) {
  EXPECT_FALSE(Dequantize<float>(DType::kFloat32, {}, {1}).status.ok());
  EXPECT_FALSE(Dequantize<int8_t>(DType::kInt8, {}, {1}).status.ok());  // no quantization
  EXPECT_FALSE(Dequantize<int8_t>(DType::kInt8, PerTensor(-1, 0), {1}).status.ok());
  // Output must be float32.
  EXPECT_FALSE(RunUnary<int8_t>(BuiltinOp::kDequantize, DType::kInt8, PerTensor(1, 0), DType::kInt8,
                                PerTensor(1, 0), {1}, {1})
                   .status.ok());
}

}  // namespace
}  // namespace qlite
