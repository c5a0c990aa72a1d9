// FULLY_CONNECTED reference kernel: hand-computed float, int8 (per-tensor and
// per-channel) and uint8 cases, plus the model errors prepare must report.
#include <gtest/gtest.h>

#include <optional>
#include <string>
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

FcSpec FloatSpec(Shape input_shape, Shape filter_shape, std::vector<float> filter) {
  FcSpec s;
  s.input_shape = std::move(input_shape);
  s.filter_shape = std::move(filter_shape);
  s.filter = ToBytes(filter);
  return s;
}

RunResult RunFloat(const FcSpec& s, const std::vector<float>& input) {
  return RunModel(BuildFc(s), {ToBytes(input)});
}

// ---- float32 ----

TEST(FullyConnectedTest, FloatTwoBatchesWithBias) {
  FcSpec s = FloatSpec({2, 3}, {2, 3}, {1, 0, -1, 0.5f, 0.5f, 0.5f});
  s.bias = ToBytes(std::vector<float>{10, -1});
  s.bias_shape = {2};
  // batch 0 = (1, 2, 3): unit 0 = 1 - 3 + 10 = 8, unit 1 = 0.5 * 6 - 1 = 2
  // batch 1 = (-1, 0, 1): unit 0 = -1 - 1 + 10 = 8, unit 1 = 0 - 1 = -1
  const RunResult r = RunFloat(s, {1, 2, 3, -1, 0, 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{8, 2, 8, -1}));
}

TEST(FullyConnectedTest, FloatFlattensInputWithoutKeepNumDims) {
  // [2, 2, 3] with input depth 3 is 4 batches; filter sums the row; bias = -1.
  FcSpec s = FloatSpec({2, 2, 3}, {1, 3}, {1, 1, 1});
  const std::vector<float> input = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const RunResult r = RunFloat(s, input);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{4, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{6, 15, 24, 33}));
}

TEST(FullyConnectedTest, FloatKeepNumDimsKeepsLeadingDims) {
  FcSpec s = FloatSpec({2, 2, 3}, {1, 3}, {1, 1, 1});
  s.options.keep_num_dims = true;
  s.bias_as_minus_one = false;  // bias left out by passing only two inputs
  const RunResult r = RunFloat(s, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{6, 15, 24, 33}));
}

TEST(FullyConnectedTest, FloatRelu6Clamps) {
  FcSpec s = FloatSpec({3, 2}, {1, 2}, {1, 1});
  s.options.activation = Activation::kRelu6;
  // sums -4, 5, 11 -> 0, 5, 6
  const RunResult r = RunFloat(s, {-5, 1, 2, 3, 10, 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 5, 6}));
}

// ---- int8, per-tensor ----

// input scale 0.5 zp -1, filter scale 0.25, output scale 1 zp 5: the
// multiplier is 0.125 exactly (2^30 with shift -2).
// input q (3, -1, 1) -> offset values (4, 0, 2)
// unit 0 filter (4, 8, -4):  4*4 + 0 + 2*(-4) = 8
// unit 1 filter (-8, 2, 12): 4*(-8) + 0 + 2*12 = -8
FcSpec Int8Spec(std::vector<int32_t> bias) {
  FcSpec s;
  s.type = DType::kInt8;
  s.input_shape = {1, 3};
  s.input_quant = PerTensor(0.5f, -1);
  s.output_quant = PerTensor(1.0f, 5);
  s.filter_type = DType::kInt8;
  s.filter_shape = {2, 3};
  s.filter = ToBytes(std::vector<int8_t>{4, 8, -4, -8, 2, 12});
  s.filter_quant = PerTensor(0.25f, 0);
  s.bias = ToBytes(bias);
  s.bias_type = DType::kInt32;
  s.bias_shape = {2};
  s.bias_quant = PerTensor(0.125f, 0);
  return s;
}

std::vector<int8_t> RunInt8(const FcSpec& s, const std::vector<int8_t>& input,
                            Status* status = nullptr) {
  const RunResult r = RunModel(BuildFc(s), {ToBytes(input)});
  if (status) *status = r.status;
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.outputs.empty() ? std::vector<int8_t>{} : FromBytes<int8_t>(r.outputs[0]);
}

TEST(FullyConnectedTest, Int8PerTensorWithZeroPoints) {
  // acc = (8 + 16, -8 - 8) = (24, -16); * 0.125 = (3, -2); + 5 = (8, 3)
  EXPECT_EQ(RunInt8(Int8Spec({16, -8}), {3, -1, 1}), (std::vector<int8_t>{8, 3}));
}

TEST(FullyConnectedTest, Int8RoundsHalfAwayFromZero) {
  // acc = (8 + 12, -8 - 12) = (20, -20); * 0.125 = (2.5, -2.5) -> (3, -3); + 5
  EXPECT_EQ(RunInt8(Int8Spec({12, -12}), {3, -1, 1}), (std::vector<int8_t>{8, 2}));
}

TEST(FullyConnectedTest, Int8Saturates) {
  // acc = (8008, -8008) -> (1001, -1001) + 5 -> clamped to (127, -128)
  EXPECT_EQ(RunInt8(Int8Spec({8000, -8000}), {3, -1, 1}), (std::vector<int8_t>{127, -128}));
}

TEST(FullyConnectedTest, Int8Relu6ClampsToQuantizedRange) {
  // RELU6 with scale 1, zp 5 is [5, 11]. acc = (88, -16) -> (11, -2) + 5 = (16, 3)
  FcSpec s = Int8Spec({80, -8});
  s.options.activation = Activation::kRelu6;
  EXPECT_EQ(RunInt8(s, {3, -1, 1}), (std::vector<int8_t>{11, 5}));
}

TEST(FullyConnectedTest, Int8WithoutBias) {
  // acc = (8, -8) -> (1, -1) + 5
  FcSpec s = Int8Spec({});
  s.bias.reset();
  EXPECT_EQ(RunInt8(s, {3, -1, 1}), (std::vector<int8_t>{6, 4}));
}

// ---- int8, per-channel ----

TEST(FullyConnectedTest, Int8PerChannelScalesDiffering1000x) {
  FcSpec s;
  s.type = DType::kInt8;
  s.input_shape = {1, 2};
  s.input_quant = PerTensor(1.0f, 0);
  s.output_quant = PerTensor(1.0f, 0);
  s.filter_type = DType::kInt8;
  s.filter_shape = {2, 2};
  s.filter = ToBytes(std::vector<int8_t>{10, 32, 1, -1});
  s.filter_quant = PerChannel({0.001f, 1.0f}, 0);
  // input (100, 50)
  // unit 0: 1000 + 1600 = 2600, * 0.001 = 2.6 -> 3
  //   (multiplier 1099511628 = round(0.512 * 2^31), shift -9:
  //    high mul 1331.2 -> 1331, 1331 / 512 = 2.6 -> 3)
  // unit 1: 100 - 50 = 50, * 1.0 = 50
  EXPECT_EQ(RunInt8(s, {100, 50}), (std::vector<int8_t>{3, 50}));
}

TEST(FullyConnectedTest, Int8AccumulatorWrapsLikeTflitesInt32) {
  // 70000 terms of (-128 - 127) * (-128) = 32640 sum to 2284800000, which
  // TFLite's int32 accumulator wraps to -2010167296; * 0.5 (output scale 2,
  // no left shift) is still negative: the output is -128, not 127.
  constexpr int kDepth = 70000;
  FcSpec s;
  s.type = DType::kInt8;
  s.input_shape = {1, kDepth};
  s.input_quant = PerTensor(1.0f, 127);
  s.output_quant = PerTensor(2.0f, 0);
  s.filter_type = DType::kInt8;
  s.filter_shape = {1, kDepth};
  s.filter = ToBytes(std::vector<int8_t>(kDepth, -128));
  s.filter_quant = PerTensor(1.0f, 0);
  EXPECT_EQ(RunInt8(s, std::vector<int8_t>(kDepth, -128)), (std::vector<int8_t>{-128}));
}

// ---- uint8 (legacy, filter zero point allowed) ----

TEST(FullyConnectedTest, Uint8WithFilterZeroPoint) {
  FcSpec s;
  s.type = DType::kUInt8;
  s.input_shape = {1, 2};
  s.input_quant = PerTensor(1.0f, 128);
  s.output_quant = PerTensor(1.0f, 128);
  s.filter_type = DType::kUInt8;
  s.filter_shape = {2, 2};
  s.filter = ToBytes(std::vector<uint8_t>{129, 127, 128, 138});  // (1, -1), (0, 10)
  s.filter_quant = PerTensor(1.0f, 128);
  // input (130, 126) = (2, -2): unit 0 = 2 + 2 = 4, unit 1 = -20; + 128
  const RunResult r = RunModel(BuildFc(s), {ToBytes(std::vector<uint8_t>{130, 126})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{132, 108}));
}

// ---- errors ----

TEST(FullyConnectedTest, RejectsNonConstantWeights) {
  FcSpec s = FloatSpec({1, 3}, {2, 3}, {});
  s.filter_is_input = true;
  ExpectFcError(s, "must be constant");
}

TEST(FullyConnectedTest, RejectsBiasWithWrongUnitCount) {
  FcSpec s = FloatSpec({1, 3}, {2, 3}, {1, 2, 3, 4, 5, 6});
  s.bias = ToBytes(std::vector<float>{1, 2, 3});
  s.bias_shape = {3};
  ExpectFcError(s, "2 units");
}

TEST(FullyConnectedTest, RejectsInputNotAMultipleOfDepth) {
  ExpectFcError(FloatSpec({1, 4}, {2, 3}, {1, 2, 3, 4, 5, 6}), "not a multiple");
}

TEST(FullyConnectedTest, RejectsKeepNumDimsWithMismatchedLastDim) {
  FcSpec s = FloatSpec({2, 6}, {2, 3}, {1, 2, 3, 4, 5, 6});  // fine without keep_num_dims
  s.options.keep_num_dims = true;
  ExpectFcError(s, "last dimension");
}

TEST(FullyConnectedTest, RejectsShuffledWeights) {
  FcSpec s = FloatSpec({1, 3}, {2, 3}, {1, 2, 3, 4, 5, 6});
  s.options.weights_format = 1;
  ExpectFcError(s, "shuffled weights not supported");
}

TEST(FullyConnectedTest, RejectsUint8FilterWithFloatInput) {
  FcSpec s = FloatSpec({1, 3}, {}, {});
  s.filter_type = DType::kUInt8;  // legacy uint8 hybrid is not supported
  s.filter_shape = {2, 3};
  s.filter = ToBytes(std::vector<uint8_t>{1, 2, 3, 4, 5, 6});
  s.filter_quant = PerTensor(0.1f, 128);
  ExpectFcError(s, "expected float32 or int8");
}

TEST(FullyConnectedTest, RejectsFilterOfRank3) {
  ExpectFcError(FloatSpec({1, 3}, {1, 2, 3}, {1, 2, 3, 4, 5, 6}), "rank 2");
}

TEST(FullyConnectedTest, RejectsWrongInputCount) {
  ModelBuilder b;
  const int input = b.AddTensor("input", DType::kFloat32, {1, 3});
  const int output = b.AddTensor("output", DType::kFloat32, {1, 2});
  b.AddOperator(BuiltinOp::kFullyConnected, {input}, {output});
  b.SetInputs({input});
  b.SetOutputs({output});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{1, 2, 3})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("inputs"), std::string::npos) << r.status.message();
}

TEST(FullyConnectedTest, RejectsInt8FilterWithZeroPoint) {
  FcSpec s = Int8Spec({0, 0});
  s.filter_quant = PerTensor(0.25f, 3);
  ExpectFcError(s, "zero point 3");
}

TEST(FullyConnectedTest, RejectsPerChannelScaleCountMismatch) {
  FcSpec s = Int8Spec({0, 0});
  s.filter_quant = PerChannel({0.25f, 0.25f, 0.25f}, 0);
  ExpectFcError(s, "scales but");  // the model checker may report it first
}

TEST(FullyConnectedTest, RejectsPerChannelOnWrongDimension) {
  FcSpec s = Int8Spec({0, 0});
  s.filter_quant = PerChannel({0.25f, 0.25f, 0.25f}, 1);
  ExpectFcError(s, "dimension 0");
}

TEST(FullyConnectedTest, RejectsZeroOutputScale) {
  FcSpec s = Int8Spec({0, 0});
  s.output_quant = PerTensor(0.0f, 0);
  ExpectFcError(s, "invalid scale");
}

TEST(FullyConnectedTest, RejectsFloatBiasOnInt8) {
  FcSpec s = Int8Spec({0, 0});
  s.bias = ToBytes(std::vector<float>{0, 0});
  s.bias_type = DType::kFloat32;
  ExpectFcError(s, "bias");
}

TEST(FullyConnectedTest, RejectsMismatchedOutputType) {
  FcSpec s = Int8Spec({0, 0});
  Model m = BuildFc(s);
  m.tensors[m.outputs[0]].type = DType::kFloat32;
  const RunResult r = RunModel(m, {std::vector<uint8_t>(3)});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("output"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace qlite
