// Arithmetic::kXnnpack: XNNPACK's float requantization, hand-checked where it
// and TFLite's fixed-point requantization part ways (exact ties: XNNPACK
// rounds them to even; TFLite's rounding doubling high multiply rounds them
// up, its rounding shift away from zero), for each op that takes it.
#include <gtest/gtest.h>

#include <vector>

#include "core/kernels/resize.h"
#include "core/model_builder.h"
#include "core/quant_math.h"
#include "tests/kernels/conv_test_util.h"
#include "tests/kernels/fully_connected_test_util.h"

namespace qlite {
namespace {

using testing::BuildConvModel;
using testing::BuildFc;
using testing::ConvSpec;
using testing::FcSpec;
using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

Quantization Quant(float scale, int64_t zero_point) {
  Quantization q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

TEST(XnnpackArithmeticTest, RequantizeRoundsTiesToEven) {
  // 5 * 0.5 = 2.5 -> 2; 7 * 0.5 = 3.5 -> 4; -5 * 0.5 = -2.5 -> -2; 3 * 0.5 = 1.5 -> 2.
  EXPECT_EQ(XnnpackRequantize(5, 0.5f, 0, -128, 127), 2);
  EXPECT_EQ(XnnpackRequantize(7, 0.5f, 0, -128, 127), 4);
  EXPECT_EQ(XnnpackRequantize(-5, 0.5f, 0, -128, 127), -2);
  EXPECT_EQ(XnnpackRequantize(3, 0.5f, 0, -128, 127), 2);
  EXPECT_EQ(XnnpackRequantize(-7, 0.5f, 0, -128, 127), -4);
  // TFLite (0.5 = 2^30 / 2^31, no shift) rounds these ties up: 3, 4, -2, 2, -3.
  int32_t multiplier = 0;
  int shift = 0;
  QuantizeMultiplier(0.5, &multiplier, &shift);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(5, multiplier, shift), 3);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-5, multiplier, shift), -2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-7, multiplier, shift), -3);
}

TEST(XnnpackArithmeticTest, RequantizeAddsTheZeroPointAfterRounding) {
  // An odd zero point must not move the tie: 2.5 -> 2, + 1 = 3 (rounding
  // 2.5 + 1 = 3.5 would give 4).
  EXPECT_EQ(XnnpackRequantize(5, 0.5f, 1, -128, 127), 3);
  EXPECT_EQ(XnnpackRequantize(5, 0.5f, -7, -128, 127), -5);
}

TEST(XnnpackArithmeticTest, RequantizeClampsToTheActivationRange) {
  EXPECT_EQ(XnnpackRequantize(1000, 1.0f, 10, -128, 127), 127);
  EXPECT_EQ(XnnpackRequantize(-1000, 1.0f, 10, -128, 127), -128);
  EXPECT_EQ(XnnpackRequantize(-3, 1.0f, 10, 10, 127), 10);  // a fused ReLU
  EXPECT_EQ(XnnpackRequantize(2000000000, 100.0f, 0, 0, 255), 255);
}

TEST(XnnpackArithmeticTest, ChannelScalesFollowXnnpackLimits) {
  // input * filter / output in float: 0.5 * 0.25 / 0.125 = 1.
  EXPECT_EQ(XnnpackChannelScales(DType::kInt8, 0.5f, {0.25f, 0.5f}, 0.125f, 2),
            (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(XnnpackChannelScales(DType::kInt8, 0.5f, {0.25f}, 0.125f, 3),
            (std::vector<float>{1.0f, 1.0f, 1.0f}));
  // XNNPACK refuses int8 scales >= 256 and uint8 scales >= 1: TFLite's kernel runs.
  EXPECT_TRUE(XnnpackChannelScales(DType::kInt8, 1.0f, {1.0f, 300.0f}, 1.0f, 2).empty());
  EXPECT_TRUE(XnnpackChannelScales(DType::kUInt8, 1.0f, {1.0f}, 1.0f, 1).empty());
  EXPECT_FALSE(XnnpackChannelScales(DType::kUInt8, 1.0f, {0.5f}, 1.0f, 1).empty());
}

// A 1x1 convolution with weight 1 (int8) or 130 - 128 = 2 (uint8) over three
// pixels: the accumulators 5, -7 and 7 (int8) or 10, -10 and 14 (uint8)
// times the scale 0.5 (0.25) are 2.5, -3.5 (-2.5) and 3.5.
ConvSpec TieConv(BuiltinOp op, DType type, int output_zero_point) {
  ConvSpec s;
  s.op = op;
  s.Type(type);
  s.input_shape = {1, 1, 3, 1};
  if (type == DType::kInt8) {
    s.input_quant = Quant(1.0f, 0);
    s.Filter<int8_t>({1, 1, 1, 1}, {1}, Quant(0.5f, 0));
  } else {
    s.input_quant = Quant(1.0f, 128);
    s.Filter<uint8_t>({1, 1, 1, 1}, {130}, Quant(0.25f, 128));
  }
  s.output_quant = Quant(1.0f, output_zero_point);
  return s;
}

template <typename T>
std::vector<int> RunWith(const Model& model, const std::vector<T>& input, Arithmetic arithmetic,
                         KernelSet kernels = KernelSet::kReference) {
  InterpreterOptions options;
  options.arithmetic = arithmetic;
  options.kernels = kernels;
  const RunResult r = RunModel(model, {ToBytes(input)}, options);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  const std::vector<T> values = FromBytes<T>(r.outputs[0]);
  return std::vector<int>(values.begin(), values.end());
}

TEST(XnnpackArithmeticTest, Conv2DInt8) {
  const Model model = BuildConvModel(TieConv(BuiltinOp::kConv2D, DType::kInt8, 1));
  const std::vector<int8_t> input = {5, -7, 7};
  // TFLite: 3, -3, 4 (ties up); XNNPACK: 2, -4, 4 (ties to even); + 1.
  EXPECT_EQ(RunWith(model, input, Arithmetic::kTflite), (std::vector<int>{4, -2, 5}));
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{3, -3, 5}));
}

TEST(XnnpackArithmeticTest, DepthwiseConv2DInt8) {
  const Model model = BuildConvModel(TieConv(BuiltinOp::kDepthwiseConv2D, DType::kInt8, 0));
  const std::vector<int8_t> input = {5, -7, 7};
  EXPECT_EQ(RunWith(model, input, Arithmetic::kTflite), (std::vector<int>{3, -3, 4}));
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{2, -4, 4}));
}

TEST(XnnpackArithmeticTest, Conv2DUInt8WithFilterZeroPoint) {
  const Model model = BuildConvModel(TieConv(BuiltinOp::kConv2D, DType::kUInt8, 128));
  const std::vector<uint8_t> input = {133, 123, 135};  // 5, -5, 7 after the zero point
  // TFLite's multiplier 0.25 = 2^30 / 2^31 with a right shift of 1: the
  // shift rounds -2.5 away from zero (-3); XNNPACK rounds it to even (-2).
  EXPECT_EQ(RunWith(model, input, Arithmetic::kTflite), (std::vector<int>{131, 125, 132}));
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{130, 126, 132}));
}

TEST(XnnpackArithmeticTest, FullyConnectedInt8) {
  FcSpec s;
  s.type = s.filter_type = DType::kInt8;
  s.input_shape = {3, 1};
  s.input_quant = Quant(1.0f, 0);
  s.filter_shape = {1, 1};
  s.filter = ToBytes(std::vector<int8_t>{1});
  s.filter_quant = Quant(0.5f, 0);
  s.output_quant = Quant(1.0f, 0);
  const Model model = BuildFc(s);
  const std::vector<int8_t> input = {5, -7, 7};
  EXPECT_EQ(RunWith(model, input, Arithmetic::kTflite), (std::vector<int>{3, -3, 4}));
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{2, -4, 4}));
}

TEST(XnnpackArithmeticTest, ScalesXnnpackRefusesKeepTflitesArithmetic) {
  // uint8 with a requantization scale of 1.25 (>= 1): XNNPACK refuses the
  // node and TFLite's kernel runs it, so the ties 2 * 1.25 = 2.5 and -2.5
  // round up (3 and -2; XNNPACK's arithmetic would give 2 and -2).
  ConvSpec s = TieConv(BuiltinOp::kConv2D, DType::kUInt8, 128);
  s.Filter<uint8_t>({1, 1, 1, 1}, {129}, Quant(1.25f, 128));  // weight 1, scale 1.25
  const Model model = BuildConvModel(s);
  const std::vector<uint8_t> input = {130, 126, 128};  // 2, -2, 0
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{131, 126, 128}));
}

TEST(XnnpackArithmeticTest, ResizeBilinearInt8RoundsItsElevenBitSumHalfUp) {
  // [-1, 0] to 3 columns with align_corners: the middle column sits at 0.5.
  // XNNPACK: weight 0.5 * 2^11 = 1024; (-1 * 2048 + 1 * 1024) * 2048 = -2^21,
  // + 2^21 = 0, >> 22 = 0. TFLite's 10-bit kernel rounds -0.5 away from zero: -1.
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kInt8, {1, 1, 2, 1}, Quant(0.5f, 0));
  const int size = b.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{1, 3});
  const int out = b.AddTensor("out", DType::kInt8, {}, Quant(0.5f, 0));
  b.AddOperator(BuiltinOp::kResizeBilinear, {in, size}, {out}, ResizeOptions{true, false});
  b.SetInputs({in});
  b.SetOutputs({out});
  const Model model = b.Build();
  const std::vector<int8_t> input = {-1, 0};
  EXPECT_EQ(RunWith(model, input, Arithmetic::kTflite), (std::vector<int>{-1, -1, 0}));
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{-1, 0, 0}));
}

// MEAN over H and W of a tensor of `shape` ([1, 2, 2, 3]: n = 4).
Model MeanModel(DType type, Quantization in_quant, Quantization out_quant, bool keep_dims,
                std::vector<int32_t> shape = {1, 2, 2, 3}) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape, in_quant);
  const int axes = b.AddConstant("axes", DType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int out = b.AddTensor("out", type, {}, out_quant);
  b.AddOperator(BuiltinOp::kMean, {in, axes}, {out}, ReducerOptions{keep_dims}, 2);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

TEST(XnnpackArithmeticTest, MeanInt8RoundsTiesToEven) {
  // Channel sums 2, 6 and -2 over n = 4 at scale 1: means 0.5, 1.5, -0.5.
  // XNNPACK: 0, 2, 0 (ties to even); TFLite's MultiplyByQuantizedMultiplier
  // by 0.25: 1, 2, -1 (ties away from zero), on both its kernels (Mean4D
  // with keep_dims, QuantizedMeanOrSum without).
  const std::vector<int8_t> input = {1, 2, -1, 1, 2, -1, 0, 1, 0, 0, 1, 0};
  for (bool keep_dims : {true, false}) {
    const Model model = MeanModel(DType::kInt8, Quant(1.0f, 0), Quant(1.0f, 0), keep_dims);
    EXPECT_EQ(RunWith(model, input, Arithmetic::kTflite), (std::vector<int>{1, 2, -1}));
    EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{0, 2, 0}));
  }
  // Output zero point 1 is added before rounding: 1.5, 2.5, 0.5 -> 2, 2, 0
  // (rounding first would give 1, 3, 1). TFLite: 1 + 1, 2 + 1, -1 + 1.
  const Model odd = MeanModel(DType::kInt8, Quant(1.0f, 0), Quant(1.0f, 1), true);
  EXPECT_EQ(RunWith(odd, input, Arithmetic::kTflite), (std::vector<int>{2, 3, 0}));
  EXPECT_EQ(RunWith(odd, input, Arithmetic::kXnnpack), (std::vector<int>{2, 2, 0}));
}

TEST(XnnpackArithmeticTest, MeanUInt8FoldsTheInputZeroPointIntoTheBias) {
  // Input zp 128 at 0.5, output zp 10 at 0.25: S = 2 * (1 / 4) = 0.5 and
  // B = 10 - 4 * 128 * 0.5 = -246. The raw sums 513, 515, 517 give 10.5,
  // 11.5, 12.5 -> XNNPACK 10, 12, 12 (ties to even). TFLite's Mean4D scales
  // them by 0.5 (rounding up: 257, 258, 259) and adds 10 - 256: 11, 12, 13.
  const std::vector<uint8_t> input = {129, 129, 130, 128, 129, 130, 128, 129, 129, 128, 128, 128};
  const Model model = MeanModel(DType::kUInt8, Quant(0.5f, 128), Quant(0.25f, 10), true);
  EXPECT_EQ(RunWith(model, input, Arithmetic::kTflite), (std::vector<int>{11, 12, 13}));
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{10, 12, 12}));
}

TEST(XnnpackArithmeticTest, MeanUInt8ScalesTheRawSumAtTies) {
  // xnnpack_mean_uint8_ties of tests/cross_runtime/op_models_xnnpack.cc:
  // input 0.045 zp 130, output 0.01 zp 121, n = 36. In float32 0.045f / 0.01f
  // is 0x1.200002p+2, so S = that * (1 / 36.f) = 0x1.000002p-3 = 1/8 + 2^-26,
  // and 4680 * S = 585 + 585 * 2^-23 rounds to 585 + 2^-14: B = 121 - that =
  // -464.00006103515625.
  // Channel 0, sum 3724 (35 x 104 + 84): 3724 * S = 465.5 + 3724 * 2^-26
  // rounds to 465.5 + 2^-14 (ulp 2^-15), and adding B gives 1.5 exactly: 2 by
  // ties to even, LiteRT.js's byte. Centring first, -956 * S = -119.5 -
  // 956 * 2^-26 rounds to -119.5 - 2^-16 (ulp 2^-17), plus 121 is
  // 1.4999847...: 1, one below.
  // Channel 1, sum 4676 (32 x 130 + 4 x 129): 4676 * S rounds to
  // 584.5 + 2^-14, plus B is 120.5 exactly: 120 (ties to even, not 121).
  std::vector<uint8_t> input;
  for (int i = 0; i < 36; ++i) {
    input.push_back(i < 35 ? 104 : 84);
    input.push_back(i < 32 ? 130 : 129);
  }
  const Model model =
      MeanModel(DType::kUInt8, Quant(0.045f, 130), Quant(0.01f, 121), true, {1, 6, 6, 2});
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{2, 120}));
}

TEST(XnnpackArithmeticTest, MeanInt8ClampsToTheOutputRange) {
  // Means of 100 at an output scale of 0.5 are 200: clamped to 127.
  const std::vector<int8_t> input(12, 100);
  const Model model = MeanModel(DType::kInt8, Quant(1.0f, 0), Quant(0.5f, 0), false);
  EXPECT_EQ(RunWith(model, input, Arithmetic::kXnnpack), (std::vector<int>{127, 127, 127}));
}

}  // namespace
}  // namespace qlite
