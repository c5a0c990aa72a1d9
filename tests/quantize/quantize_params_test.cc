// The numbers the quantizer chooses: activation parameters from ranges,
// per-channel symmetric weights, bias scales, fixed and shared output
// parameters, and the full-integer failure list. Expected values by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/model_builder.h"
#include "quantize/op_rules.h"
#include "quantize/weights.h"
#include "tests/quantize/quantize_test_util.h"

namespace qlite {
namespace {

TEST(QuantizeParams, AsymmetricInt8FromRange) {
  // [-1, 3]: scale 4/255, zero point -128 + 1/(4/255) = -128 + 63.75 -> -64.
  Quantization q = AsymmetricInt8Params({-1.0f, 3.0f});
  EXPECT_FLOAT_EQ(q.scale[0], 4.0f / 255.0f);
  EXPECT_EQ(q.zero_point[0], -64);
  // [0.5, 2] is widened to [0, 2]: zero point -128.
  q = AsymmetricInt8Params({0.5f, 2.0f});
  EXPECT_FLOAT_EQ(q.scale[0], 2.0f / 255.0f);
  EXPECT_EQ(q.zero_point[0], -128);
  // [-2, -1] is widened to [-2, 0]: zero point 127.
  q = AsymmetricInt8Params({-2.0f, -1.0f});
  EXPECT_EQ(q.zero_point[0], 127);
  // Nothing seen (0, 0): a valid scale all the same.
  q = AsymmetricInt8Params({0.0f, 0.0f});
  EXPECT_GT(q.scale[0], 0.0f);
}

TEST(QuantizeParams, SymmetricInt16FromRange) {
  const Quantization q = SymmetricInt16Params({-3.0f, 1.0f});
  EXPECT_FLOAT_EQ(q.scale[0], 3.0f / 32767.0f);
  EXPECT_EQ(q.zero_point[0], 0);
}

TEST(QuantizeParams, PerChannelWeightsAreSymmetricInt8) {
  // Shape [2, 3] along dim 0: channel 0 max |w| = 2.54 -> scale 0.02;
  // channel 1 all zero -> scale 1, values 0.
  const std::vector<float> w = {2.54f, -1.27f, 0.01f, 0.0f, 0.0f, 0.0f};
  std::vector<int8_t> q;
  Quantization quant;
  ASSERT_TRUE(QuantizeWeightsPerChannel(w.data(), {2, 3}, 0, &q, &quant).ok());
  ASSERT_EQ(quant.scale.size(), 2u);
  EXPECT_FLOAT_EQ(quant.scale[0], 0.02f);
  EXPECT_FLOAT_EQ(quant.scale[1], 1.0f);
  EXPECT_EQ(quant.zero_point, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(q, (std::vector<int8_t>{127, -64, 1, 0, 0, 0}));  // -63.5 rounds away from 0
  // Along the last dim ([1, 1, 2, 2] depthwise-style): channel c = i % 2.
  const std::vector<float> dw = {1.0f, -4.0f, -0.5f, 2.0f};
  ASSERT_TRUE(QuantizeWeightsPerChannel(dw.data(), {1, 1, 2, 2}, 3, &q, &quant).ok());
  EXPECT_FLOAT_EQ(quant.scale[0], 1.0f / 127.0f);
  EXPECT_FLOAT_EQ(quant.scale[1], 4.0f / 127.0f);
  EXPECT_EQ(q, (std::vector<int8_t>{127, -127, -64, 64}));
  // Hostile data: NaN weights are an error, not garbage.
  const std::vector<float> bad = {NAN, 1.0f};
  EXPECT_FALSE(QuantizeWeightsPerChannel(bad.data(), {2, 1}, 0, &q, &quant).ok());
}

TEST(QuantizeParams, BiasScaleIsInputTimesWeightScale) {
  const std::vector<float> bias = {1.0f, -0.5f};
  std::vector<uint8_t> bytes;
  Quantization quant;
  // input 0.5, weights {0.1, 0.01}: scales 0.05, 0.005 -> 20, -100.
  ASSERT_TRUE(
      QuantizeBias(bias.data(), 2, 0.5f, {0.1f, 0.01f}, DType::kInt32, &bytes, &quant).ok());
  ASSERT_EQ(bytes.size(), 8u);
  int32_t v[2];
  std::memcpy(v, bytes.data(), 8);
  EXPECT_EQ(v[0], 20);
  EXPECT_EQ(v[1], -100);
  EXPECT_FLOAT_EQ(quant.scale[0], 0.5f * 0.1f);
  EXPECT_FLOAT_EQ(quant.scale[1], 0.5f * 0.01f);
  ASSERT_TRUE(QuantizeBias(bias.data(), 2, 0.5f, {0.1f}, DType::kInt64, &bytes, &quant).ok());
  EXPECT_EQ(bytes.size(), 16u);
}

// The CNN quantized to int8: weights, biases and shared/fixed parameters.
class QuantizedCnn : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new Model(testing::BuildMnistCnn({/*seed=*/3, /*softmax=*/true}));
    testing::MnistDataset data(MnistSplit::kTrain, 20);
    ranges_ = new RangeMap();
    ASSERT_TRUE(Calibrate(*model_, data, ranges_).ok());
    quantized_ = new Model();
    QuantizeOptions options;
    options.mode = QuantMode::kInt8;
    options.io = IoType::kInt8;
    const Status s = QuantizeModel(*model_, *ranges_, options, quantized_);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  static void TearDownTestSuite() {
    delete model_;
    delete ranges_;
    delete quantized_;
  }
  static const OperatorDef& Op(BuiltinOp code) {
    for (const OperatorDef& op : quantized_->operators) {
      if (op.op == code) return op;
    }
    static OperatorDef none;
    ADD_FAILURE() << "no " << BuiltinOpName(code);
    return none;
  }
  static const TensorDef& T(int index) { return quantized_->tensors[index]; }

  static Model* model_;
  static RangeMap* ranges_;
  static Model* quantized_;
};
Model* QuantizedCnn::model_ = nullptr;
RangeMap* QuantizedCnn::ranges_ = nullptr;
Model* QuantizedCnn::quantized_ = nullptr;

TEST_F(QuantizedCnn, WeightsArePerChannelSymmetricWithinMinus127To127) {
  for (BuiltinOp code : {BuiltinOp::kConv2D, BuiltinOp::kFullyConnected}) {
    SCOPED_TRACE(BuiltinOpName(code));
    const TensorDef& w = T(Op(code).inputs[1]);
    ASSERT_EQ(w.type, DType::kInt8);
    ASSERT_EQ(w.quant.scale.size(), static_cast<size_t>(w.shape[0]));
    EXPECT_EQ(w.quant.quantized_dimension, 0);
    const Buffer& data = quantized_->buffers[w.buffer];
    const int64_t per_channel = ShapeElementCount(w.shape) / w.shape[0];
    for (int32_t c = 0; c < w.shape[0]; ++c) {
      EXPECT_EQ(w.quant.zero_point[c], 0);
      int max_abs = 0;
      for (int64_t i = 0; i < per_channel; ++i) {
        const int v = static_cast<int8_t>(data.data[c * per_channel + i]);
        EXPECT_GE(v, -127);
        max_abs = std::max(max_abs, std::abs(v));
      }
      EXPECT_EQ(max_abs, 127) << "channel " << c;  // the largest weight maps to +-127
    }
  }
}

TEST_F(QuantizedCnn, BiasScalesAreInputTimesWeightScales) {
  for (BuiltinOp code : {BuiltinOp::kConv2D, BuiltinOp::kFullyConnected}) {
    SCOPED_TRACE(BuiltinOpName(code));
    const OperatorDef& op = Op(code);
    const TensorDef& in = T(op.inputs[0]);
    const TensorDef& w = T(op.inputs[1]);
    const TensorDef& b = T(op.inputs[2]);
    EXPECT_EQ(b.type, DType::kInt32);
    ASSERT_EQ(b.quant.scale.size(), w.quant.scale.size());
    for (size_t c = 0; c < b.quant.scale.size(); ++c) {
      EXPECT_EQ(b.quant.scale[c], in.quant.scale[0] * w.quant.scale[c]);
      EXPECT_EQ(b.quant.zero_point[c], 0);
    }
  }
}

TEST_F(QuantizedCnn, ReluOutputRangeStartsAtZeroAndPoolingSharesIt) {
  const TensorDef& conv_out = T(Op(BuiltinOp::kConv2D).outputs[0]);
  EXPECT_EQ(conv_out.quant.zero_point[0], -128);  // fused RELU: range [0, max]
  const TensorRange r = ranges_->at(model_->operators[0].outputs[0]);
  EXPECT_EQ(r.min, 0.0f);
  EXPECT_FLOAT_EQ(conv_out.quant.scale[0], r.max / 255.0f);
  const OperatorDef& pool = Op(BuiltinOp::kMaxPool2D);
  const OperatorDef& reshape = Op(BuiltinOp::kReshape);
  for (const OperatorDef* op : {&pool, &reshape}) {
    EXPECT_EQ(T(op->outputs[0]).quant.scale, T(op->inputs[0]).quant.scale);
    EXPECT_EQ(T(op->outputs[0]).quant.zero_point, T(op->inputs[0]).quant.zero_point);
  }
  EXPECT_EQ(T(reshape.inputs[1]).type, DType::kInt32);  // the shape is kept as is
}

TEST_F(QuantizedCnn, SoftmaxOutputIsFixedAndOpVersionsAreSet) {
  const OperatorDef& softmax = Op(BuiltinOp::kSoftmax);
  EXPECT_FLOAT_EQ(T(softmax.outputs[0]).quant.scale[0], 1.0f / 256.0f);
  EXPECT_EQ(T(softmax.outputs[0]).quant.zero_point[0], -128);
  EXPECT_EQ(Op(BuiltinOp::kConv2D).version, 3);
  EXPECT_EQ(Op(BuiltinOp::kFullyConnected).version, 4);
  EXPECT_EQ(softmax.version, 2);
}

TEST_F(QuantizedCnn, NoFloatWeightsAreLeftInTheFile) {
  for (const TensorDef& t : quantized_->tensors) {
    EXPECT_NE(t.type, DType::kFloat32) << t.name;
  }
  // Buffers: sentinel + conv w/b + reshape shape + dense w/b.
  EXPECT_EQ(quantized_->buffers.size(), 6u);
}

TEST(QuantizeFixedParams, LogisticTanhAndInt16) {
  float scale;
  int64_t zp;
  FixedOutputParams(BuiltinOp::kLogistic, false, &scale, &zp);
  EXPECT_EQ(scale, 1.0f / 256.0f);
  EXPECT_EQ(zp, -128);
  FixedOutputParams(BuiltinOp::kTanh, false, &scale, &zp);
  EXPECT_EQ(scale, 1.0f / 128.0f);
  EXPECT_EQ(zp, 0);
  FixedOutputParams(BuiltinOp::kTanh, true, &scale, &zp);
  EXPECT_EQ(scale, 1.0f / 32768.0f);
  EXPECT_EQ(zp, 0);
}

TEST(QuantizeFailure, FullInt8ListsEveryUnquantizableOp) {
  // input -> DIV -> TANH -> CUSTOM -> output; DIV and CUSTOM have no int8 form.
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 4});
  const int two = b.AddConstant("two", DType::kFloat32, {1}, std::vector<float>{2.0f});
  const int half = b.AddTensor("half", DType::kFloat32, {1, 4});
  const int tanh = b.AddTensor("tanh", DType::kFloat32, {1, 4});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kDiv, {in, two}, {half});
  b.AddOperator(BuiltinOp::kTanh, {half}, {tanh});
  b.AddOperator(BuiltinOp::kCustom, {tanh}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  const Model model = b.Build();
  RangeMap ranges = {{in, {-1, 1}}, {half, {-0.5f, 0.5f}}, {tanh, {-0.5f, 0.5f}}, {out, {-1, 1}}};
  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  Model result;
  QuantizeReport report;
  Status s = QuantizeModel(model, ranges, options, &result, &report);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 0 (DIV)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("node 2 (CUSTOM)"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("node 1"), std::string::npos) << s.message();
  EXPECT_EQ(report.unquantizable.size(), 2u);
  EXPECT_TRUE(result.operators.empty());

  // The fallback mode keeps both in float around an int8 TANH.
  options.mode = QuantMode::kInt8Fallback;
  s = QuantizeModel(model, ranges, options, &result, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<BuiltinOp> ops;
  for (const OperatorDef& op : result.operators) ops.push_back(op.op);
  EXPECT_EQ(ops, (std::vector<BuiltinOp>{BuiltinOp::kDiv, BuiltinOp::kQuantize, BuiltinOp::kTanh,
                                         BuiltinOp::kDequantize, BuiltinOp::kCustom}));
  const OperatorDef& tanh_op = result.operators[2];
  EXPECT_EQ(result.tensors[tanh_op.outputs[0]].quant.scale[0], 1.0f / 128.0f);
  EXPECT_EQ(result.tensors[tanh_op.outputs[0]].quant.zero_point[0], 0);
  // A missing range is an error that names the tensor.
  ranges.erase(half);
  s = QuantizeModel(model, ranges, options, &result, &report);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'half'"), std::string::npos) << s.message();
}

TEST(QuantizeFailure, IoTypeMustMatchTheMode) {
  const Model model = testing::BuildMnistCnn();
  QuantizeOptions options;
  options.mode = QuantMode::kInt16x8;
  options.io = IoType::kUInt8;
  Model result;
  EXPECT_FALSE(QuantizeModel(model, {}, options, &result).ok());
  options.mode = QuantMode::kInt8;
  options.io = IoType::kInt16;
  EXPECT_FALSE(QuantizeModel(model, {}, options, &result).ok());
}

}  // namespace
}  // namespace qlite

namespace qlite {
namespace {

TEST(QuantizeFailure, AModelQliteCouldNotRunIsRefused) {
  // A calibrated logit range of +-1e30 gives the int16 SOFTMAX an input scale
  // its fixed-point arithmetic cannot take (found by fuzzing: the quantizer
  // wrote such models). The run must fail, naming why (node 1: the QUANTIZE
  // of the float input comes first).
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 4});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kSoftmax, {in}, {out}, SoftmaxOptions{});
  b.SetInputs({in});
  b.SetOutputs({out});
  const Model model = b.Build();
  const RangeMap ranges = {{in, {-1e30f, 1e30f}}, {out, {0, 1}}};
  QuantizeOptions options;
  options.mode = QuantMode::kInt16x8;
  Model result;
  const Status s = QuantizeModel(model, ranges, options, &result);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the int16x8 model would not run: node 1 (SOFTMAX): int16 SOFTMAX"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(result.operators.empty());
}

TEST(QuantizeFailure, AModelWithSubgraphsIsRefusedInEveryMode) {
  // The rewrites edit the main subgraph only; a WHILE body or IF branch would
  // keep float tensors that its node now feeds int8 ones.
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 4});
  const int y = b.AddTensor("y", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kCall, {x}, {y}, CallOptions{1});
  b.SetInputs({x});
  b.SetOutputs({y});
  b.AddSubgraph("relu");
  const int in = b.AddTensor("in", DType::kFloat32, {1, 4});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kRelu, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  const Model model = b.Build();
  const RangeMap ranges = {{x, {-1, 1}}, {y, {0, 1}}};
  for (QuantMode mode : {QuantMode::kInt8, QuantMode::kInt8Fallback, QuantMode::kInt16x8,
                         QuantMode::kDynamic, QuantMode::kFloat16}) {
    QuantizeOptions options;
    options.mode = mode;
    Model result;
    const Status s = QuantizeModel(model, ranges, options, &result);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("the model has 2 subgraphs (control flow: CALL, IF, WHILE...); "
                               "qlite's quantizer handles single-subgraph models only"),
              std::string::npos)
        << s.message();
    EXPECT_TRUE(result.operators.empty());
  }
}

}  // namespace
}  // namespace qlite
