// FULLY_CONNECTED int16x8 (int16 activations, int8 filter, int64 bias) and
// hybrid (float input, int8 filter, inputs quantized per batch row) paths:
// hand-computed cases and the model errors prepare must report.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/model_builder.h"
#include "tests/kernels/fully_connected_test_util.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using qlite::testing::BuildFc;
using qlite::testing::ExpectFcError;
using qlite::testing::FcSpec;
using qlite::testing::FromBytes;
using qlite::testing::RunModel;
using qlite::testing::RunResult;
using qlite::testing::ToBytes;

// ---- int16x8 ----

FcSpec Int16Spec(float input_scale, Shape filter_shape, std::vector<int8_t> filter,
                 Quantization filter_quant, float output_scale) {
  FcSpec s;
  s.type = DType::kInt16;
  s.input_quant = PerTensor(input_scale, 0);
  s.output_quant = PerTensor(output_scale, 0);
  s.filter_type = DType::kInt8;
  s.filter_shape = std::move(filter_shape);
  s.filter = ToBytes(filter);
  s.filter_quant = std::move(filter_quant);
  return s;
}

void SetInt64Bias(FcSpec* s, const std::vector<int64_t>& bias) {
  s->bias = ToBytes(bias);
  s->bias_type = DType::kInt64;
  s->bias_shape = {static_cast<int32_t>(bias.size())};
}

std::vector<int16_t> RunInt16(const FcSpec& s, const std::vector<int16_t>& input) {
  const RunResult r = RunModel(BuildFc(s), {ToBytes(input)});
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.outputs.empty() ? std::vector<int16_t>{} : FromBytes<int16_t>(r.outputs[0]);
}

TEST(FullyConnectedInt16Test, PerTensorSaturatesAtInt16Limits) {
  // Multiplier (0.5 * 0.25) / 0.125 = 1 = (2^30, shift 1): the int64 path
  // reduces it to 2^14 and shifts by 14, so the output equals the sum.
  // input (100, -200, 300):
  //   unit 0 (1, 2, 3):          100 - 400 + 900 + 1000 = 1600
  //   unit 1 (-1, 0, 127):       -100 + 38100 + 0 = 38000 -> 32767
  //   unit 2 (-128, -128, -128): -128 * 200 - 10000 = -35600 -> -32768
  FcSpec s =
      Int16Spec(0.5f, {3, 3}, {1, 2, 3, -1, 0, 127, -128, -128, -128}, PerTensor(0.25f, 0), 0.125f);
  s.input_shape = {1, 3};
  SetInt64Bias(&s, {1000, 0, -10000});
  EXPECT_EQ(RunInt16(s, {100, -200, 300}), (std::vector<int16_t>{1600, 32767, -32768}));
}

TEST(FullyConnectedInt16Test, RoundsOnceLikeTheInt64Requantization) {
  // Multiplier (0.5 * 0.125) / 0.25 = 0.25 = (2^30, shift -1): reduced to 2^14,
  // shift 16: floor(x / 4 + 1/2). 5 -> 1 (1.25), -6 -> -1 (-1.5 rounds up),
  // 6 -> 2 (1.5), -5 -> -1 (-1.25). The int32 double-rounding path would give
  // 2 for 5 and -2 for -6.
  FcSpec s = Int16Spec(0.5f, {1, 1}, {1}, PerTensor(0.125f, 0), 0.25f);
  s.input_shape = {4, 1};
  EXPECT_EQ(RunInt16(s, {5, -6, 6, -5}), (std::vector<int16_t>{1, -1, 2, -1}));
}

TEST(FullyConnectedInt16Test, PerChannelAndRelu6) {
  // Channel multipliers 0.5 * 0.25 / 0.125 = 1 and 0.5 * 0.5 / 0.125 = 2.
  // input (10, -20): unit 0 (3, 1) = 10; unit 1 (-2, 5) = -120 + 7 = -113 -> -226.
  FcSpec s = Int16Spec(0.5f, {2, 2}, {3, 1, -2, 5}, PerChannel({0.25f, 0.5f}, 0), 0.125f);
  s.input_shape = {1, 2};
  SetInt64Bias(&s, {0, 7});
  EXPECT_EQ(RunInt16(s, {10, -20}), (std::vector<int16_t>{10, -226}));

  // RELU6 with output scale 0.125 is [0, 48]. input (30, -20): unit 0 = 70 -> 48,
  // unit 1 = (-60 - 100 + 7) * 2 = -306 -> 0.
  s.options.activation = Activation::kRelu6;
  EXPECT_EQ(RunInt16(s, {30, -20}), (std::vector<int16_t>{48, 0}));
}

TEST(FullyConnectedInt16Test, WithoutBias) {
  // Multiplier 1: (-32768 * 127) + (32767 * 127) = -127.
  FcSpec s = Int16Spec(0.5f, {1, 2}, {127, 127}, PerTensor(0.25f, 0), 0.125f);
  s.input_shape = {1, 2};
  EXPECT_EQ(RunInt16(s, {-32768, 32767}), (std::vector<int16_t>{-127}));
}

TEST(FullyConnectedInt16Test, ExtremeBiasStaysDefined) {
  // A hostile int64 bias cannot overflow the accumulator (it is saturated
  // before the int64 requantization); the run must simply succeed.
  FcSpec s = Int16Spec(0.5f, {2, 1}, {127, -128}, PerTensor(0.25f, 0), 0.125f);
  s.input_shape = {1, 1};
  SetInt64Bias(&s, {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()});
  const RunResult r = RunModel(BuildFc(s), {ToBytes(std::vector<int16_t>{32767})});
  EXPECT_TRUE(r.status.ok()) << r.status.message();
}

TEST(FullyConnectedInt16Test, RejectsInt32Bias) {
  FcSpec s = Int16Spec(0.5f, {1, 1}, {1}, PerTensor(0.25f, 0), 0.125f);
  s.input_shape = {1, 1};
  s.bias = ToBytes(std::vector<int32_t>{0});
  s.bias_type = DType::kInt32;
  s.bias_shape = {1};
  ExpectFcError(s, "expected int64");
}

TEST(FullyConnectedInt16Test, RejectsNonZeroZeroPoints) {
  FcSpec s = Int16Spec(0.5f, {1, 1}, {1}, PerTensor(0.25f, 0), 0.125f);
  s.input_shape = {1, 1};
  s.input_quant = PerTensor(0.5f, 4);
  ExpectFcError(s, "zero point 0");
  s.input_quant = PerTensor(0.5f, 0);
  s.output_quant = PerTensor(0.125f, -1);
  ExpectFcError(s, "zero point 0");
}

TEST(FullyConnectedInt16Test, RejectsInt16Filter) {
  FcSpec s = Int16Spec(0.5f, {1, 1}, {}, PerTensor(0.25f, 0), 0.125f);
  s.input_shape = {1, 1};
  s.filter_type = DType::kInt16;
  s.filter = ToBytes(std::vector<int16_t>{1});
  ExpectFcError(s, "expected int8");
}

TEST(FullyConnectedInt16Test, RejectsMultiplierBeyondTheInt64Path) {
  // 1 * 1 / 2^-10 = 1024 needs shift 11; the int64 requantization allows 7.
  FcSpec s = Int16Spec(1.0f, {2, 1}, {1, 1}, PerTensor(1.0f, 0), 1.0f / 1024);
  s.input_shape = {1, 1};
  ExpectFcError(s, "too large");
  s.filter_quant = PerChannel({1.0f / 1024, 1.0f}, 0);  // channel 1 is too large
  ExpectFcError(s, "too large");
}

// ---- hybrid: float input, int8 filter ----

// filter (1, 2, 3; -4, 5, 6), bias (1, 2), input row (1, -2, 0.5).
FcSpec HybridSpec(Quantization filter_quant, bool asymmetric) {
  FcSpec s;
  s.input_shape = {2, 3};
  s.filter_type = DType::kInt8;
  s.filter_shape = {2, 3};
  s.filter = ToBytes(std::vector<int8_t>{1, 2, 3, -4, 5, 6});
  s.filter_quant = std::move(filter_quant);
  s.bias = ToBytes(std::vector<float>{1, 2});
  s.bias_shape = {2};
  s.options.asymmetric_quantize_inputs = asymmetric;
  return s;
}

std::vector<float> RunHybrid(const FcSpec& s, const std::vector<float>& input) {
  const RunResult r = RunModel(BuildFc(s), {ToBytes(input)});
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.outputs.empty() ? std::vector<float>{} : FromBytes<float>(r.outputs[0]);
}

void ExpectNear(const std::vector<float>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-5) << i;
}

TEST(FullyConnectedHybridTest, SymmetricPerTensorQuantizesEachRow) {
  // Row 0 (1, -2, 0.5): max |x| = 2, scale 2/127, x * 63.5 rounded = (64, -127, 32).
  //   unit 0: 64 - 254 + 96 = -94;  unit 1: -256 - 635 + 192 = -699.
  //   out = bias + dot * (2/127) * 0.5: 1 - 94/127 = 0.259843, 2 - 699/127 = -3.503937
  //   (the float model gives 0.25 and -3.5).
  // Row 1 is all zero: scale 1, every product 0, the output is the bias.
  const FcSpec s = HybridSpec(PerTensor(0.5f, 0), /*asymmetric=*/false);
  ExpectNear(RunHybrid(s, {1, -2, 0.5f, 0, 0, 0}), {1.0 - 94.0 / 127, 2.0 - 699.0 / 127, 1, 2});
}

TEST(FullyConnectedHybridTest, SymmetricPerChannelScalesEachUnit) {
  // As above with filter scales (0.5, 0.25): unit 1 = 2 - 699/127 * 0.5.
  const FcSpec s = HybridSpec(PerChannel({0.5f, 0.25f}, 0), /*asymmetric=*/false);
  ExpectNear(RunHybrid(s, {1, -2, 0.5f, 0, 0, 0}), {1.0 - 94.0 / 127, 2.0 - 699.0 / 254, 1, 2});
}

TEST(FullyConnectedHybridTest, AsymmetricInputsSubtractRowSums) {
  // Row (1, -2, 0.5): range [-2, 1] -> scale 3/255, zero point 127 - 1 / (3/255)
  // = 42 (the max end has the smaller error); q = 42 + x * 85 = (127, -128, 84.5 -> 85).
  // Filter row sums 6 and 7:
  //   unit 0: 127 - 256 + 255 - 6 * 42 = -126;  unit 1: -508 - 640 + 510 - 7 * 42 = -932.
  //   out = bias + dot * (3/255) * 0.5: 1 - 126 * 3/510, 2 - 932 * 3/510.
  const FcSpec s = HybridSpec(PerTensor(0.5f, 0), /*asymmetric=*/true);
  ExpectNear(RunHybrid(s, {1, -2, 0.5f, 0, 0, 0}),
             {1.0 - 126.0 * 3 / 510, 2.0 - 932.0 * 3 / 510, 1, 2});
}

TEST(FullyConnectedHybridTest, AllZeroInputGivesActivatedBias) {
  FcSpec s = HybridSpec(PerTensor(0.5f, 0), /*asymmetric=*/false);
  s.bias = ToBytes(std::vector<float>{-1, 2});
  s.options.activation = Activation::kRelu;
  EXPECT_EQ(RunHybrid(s, std::vector<float>(6, 0.0f)), (std::vector<float>{0, 2, 0, 2}));
}

TEST(FullyConnectedHybridTest, Relu6AndNoBias) {
  // Row (1, -2, 0.5) without bias: -94/127 -> 0 and -699/127 -> 0;
  // row (-1, 2, -0.5) negates the products: 94/127 and 699/127 -> 5.503937.
  FcSpec s = HybridSpec(PerTensor(0.5f, 0), /*asymmetric=*/false);
  s.bias.reset();
  s.options.activation = Activation::kRelu6;
  ExpectNear(RunHybrid(s, {1, -2, 0.5f, -1, 2, -0.5f}), {0, 0, 94.0 / 127, 699.0 / 127});
}

TEST(FullyConnectedHybridTest, NonFiniteInputsStayDefined) {
  // Infinity and NaN make the row scale meaningless, but the run must not hit
  // undefined float-to-int conversions, in either input quantization.
  const float inf = std::numeric_limits<float>::infinity();
  for (bool asymmetric : {false, true}) {
    const FcSpec s = HybridSpec(PerTensor(0.5f, 0), asymmetric);
    const RunResult r =
        RunModel(BuildFc(s), {ToBytes(std::vector<float>{inf, 1, std::nanf(""), -inf, 0, 1})});
    EXPECT_TRUE(r.status.ok()) << r.status.message();
  }
}

TEST(FullyConnectedHybridTest, RejectsBadFilterQuantizationAndBias) {
  FcSpec s = HybridSpec(PerTensor(0.5f, 3), false);
  ExpectFcError(s, "zero point 3");
  s = HybridSpec({}, false);
  ExpectFcError(s, "needs quantization");
  s = HybridSpec(PerTensor(0.0f, 0), false);
  ExpectFcError(s, "invalid scale");
  s = HybridSpec(PerChannel({0.5f, 0.5f, 0.5f}, 0), false);  // 3 scales, 2 rows
  ExpectFcError(s, "per-channel scales");
  s = HybridSpec(PerChannel({0.5f, 0.5f, 0.5f}, 1), false);  // per input column
  ExpectFcError(s, "one scale per unit");
  s = HybridSpec(PerTensor(0.5f, 0), false);
  s.bias = ToBytes(std::vector<int32_t>{1, 2});
  s.bias_type = DType::kInt32;
  ExpectFcError(s, "expected float32");
  s = HybridSpec(PerTensor(0.5f, 0), false);
  s.filter_is_input = true;
  ExpectFcError(s, "must be constant");
}

}  // namespace
}  // namespace qlite
