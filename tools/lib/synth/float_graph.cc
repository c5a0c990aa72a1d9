#include "tools/lib/synth/float_graph.h"

#include <cmath>
#include <utility>

namespace qlite::synth {

namespace {
int SameOut(int in, int stride) { return (in + stride - 1) / stride; }
}  // namespace

int FloatGraph::Tensor(const std::string& name, std::vector<int32_t> shape) {
  return builder_.AddTensor(name, DType::kFloat32, std::move(shape));
}

int FloatGraph::Input(const std::string& name, std::vector<int32_t> shape) {
  const int t = Tensor(name, std::move(shape));
  builder_.SetInputs({t});
  return t;
}

int FloatGraph::Conv(const std::string& name, int input, int out_c, int k, int stride,
                     Activation act) {
  const std::vector<int32_t> in = shape(input);
  const int in_c = in[3];
  const int weights = builder_.AddConstant(name + "/weights", DType::kFloat32, {out_c, k, k, in_c},
                                           Weights(out_c * k * k * in_c, k * k * in_c, act));
  const int bias = builder_.AddConstant(name + "/bias", DType::kFloat32, {out_c}, Bias(out_c));
  Conv2DOptions options;
  options.padding = Padding::kSame;
  options.stride_h = options.stride_w = stride;
  options.activation = act;
  const int out = Tensor(name, {1, SameOut(in[1], stride), SameOut(in[2], stride), out_c});
  builder_.AddOperator(BuiltinOp::kConv2D, {input, weights, bias}, {out}, options);
  return out;
}

int FloatGraph::Depthwise(const std::string& name, int input, int k, int stride, Activation act) {
  const std::vector<int32_t> in = shape(input);
  const int c = in[3];
  const int weights = builder_.AddConstant(name + "/depthwise_weights", DType::kFloat32,
                                           {1, k, k, c}, Weights(k * k * c, k * k, act));
  const int bias = builder_.AddConstant(name + "/bias", DType::kFloat32, {c}, Bias(c));
  DepthwiseConv2DOptions options;
  options.padding = Padding::kSame;
  options.stride_h = options.stride_w = stride;
  options.depth_multiplier = 1;
  options.activation = act;
  const int out = Tensor(name, {1, SameOut(in[1], stride), SameOut(in[2], stride), c});
  builder_.AddOperator(BuiltinOp::kDepthwiseConv2D, {input, weights, bias}, {out}, options);
  return out;
}

int FloatGraph::Add(const std::string& name, int a, int b, Activation act) {
  const int out = Tensor(name, shape(a));
  ElementwiseOptions options;
  options.activation = act;
  builder_.AddOperator(BuiltinOp::kAdd, {a, b}, {out}, options);
  return out;
}

int FloatGraph::MaxPool2x2(const std::string& name, int input) {
  const std::vector<int32_t> in = shape(input);
  Pool2DOptions options;
  options.padding = Padding::kSame;
  options.filter_h = options.filter_w = 2;
  options.stride_h = options.stride_w = 2;
  const int out = Tensor(name, {1, SameOut(in[1], 2), SameOut(in[2], 2), in[3]});
  builder_.AddOperator(BuiltinOp::kMaxPool2D, {input}, {out}, options);
  return out;
}

int FloatGraph::PadChannels(const std::string& name, int input, int channels) {
  std::vector<int32_t> in = shape(input);
  const int paddings =
      builder_.AddConstant(name + "/paddings", DType::kInt32, {4, 2},
                           std::vector<int32_t>{0, 0, 0, 0, 0, 0, 0, channels - in[3]});
  in[3] = channels;
  const int out = Tensor(name, in);
  builder_.AddOperator(BuiltinOp::kPad, {input, paddings}, {out});
  return out;
}

int FloatGraph::GlobalAveragePool(const std::string& name, int input) {
  const std::vector<int32_t> in = shape(input);
  Pool2DOptions options;
  options.padding = Padding::kValid;
  options.filter_h = in[1];
  options.filter_w = in[2];
  const int out = Tensor(name, {1, 1, 1, in[3]});
  builder_.AddOperator(BuiltinOp::kAveragePool2D, {input}, {out}, options);
  return out;
}

int FloatGraph::ResizeBilinear(const std::string& name, int input, int out_h, int out_w) {
  const std::vector<int32_t> in = shape(input);
  const int size =
      builder_.AddConstant(name + "/size", DType::kInt32, {2}, std::vector<int32_t>{out_h, out_w});
  ResizeOptions options;
  options.half_pixel_centers = true;
  const int out = Tensor(name, {1, out_h, out_w, in[3]});
  builder_.AddOperator(BuiltinOp::kResizeBilinear, {input, size}, {out}, options, 3);
  return out;
}

int FloatGraph::Concatenate(const std::string& name, const std::vector<int>& inputs, int axis) {
  std::vector<int32_t> out_shape = shape(inputs[0]);
  if (axis < 0) axis += static_cast<int>(out_shape.size());
  for (size_t i = 1; i < inputs.size(); ++i) out_shape[axis] += shape(inputs[i])[axis];
  ConcatenationOptions options;
  options.axis = axis;
  const int out = Tensor(name, out_shape);
  builder_.AddOperator(BuiltinOp::kConcatenation,
                       std::vector<int32_t>(inputs.begin(), inputs.end()), {out}, options);
  return out;
}

int FloatGraph::Reshape(const std::string& name, int input, std::vector<int32_t> new_shape) {
  const int shape_tensor = builder_.AddConstant(
      name + "/shape", DType::kInt32, {static_cast<int32_t>(new_shape.size())}, new_shape);
  ReshapeOptions options;
  options.new_shape = new_shape;
  options.has_new_shape = true;
  const int out = Tensor(name, new_shape);
  builder_.AddOperator(BuiltinOp::kReshape, {input, shape_tensor}, {out}, options);
  return out;
}

int FloatGraph::FullyConnected(const std::string& name, int input, int units) {
  const int in_n = shape(input).back();
  const int weights = builder_.AddConstant(name + "/weights", DType::kFloat32, {units, in_n},
                                           Weights(units * in_n, in_n, Activation::kNone));
  const int bias = builder_.AddConstant(name + "/bias", DType::kFloat32, {units}, Bias(units));
  const int out = Tensor(name, {1, units});
  builder_.AddOperator(BuiltinOp::kFullyConnected, {input, weights, bias}, {out},
                       FullyConnectedOptions{});
  return out;
}

int FloatGraph::Softmax(const std::string& name, int input) {
  const int out = Tensor(name, shape(input));
  builder_.AddOperator(BuiltinOp::kSoftmax, {input}, {out}, SoftmaxOptions{});
  return out;
}

int FloatGraph::Logistic(const std::string& name, int input) {
  const int out = Tensor(name, shape(input));
  builder_.AddOperator(BuiltinOp::kLogistic, {input}, {out});
  return out;
}

// He-uniform for ReLU-family layers (variance 2 / fan_in), half that for
// linear ones (projections, heads, classifiers).
std::vector<float> FloatGraph::Weights(int count, int fan_in, Activation act) {
  const float gain = act == Activation::kNone ? 1.0f : 2.0f;
  const float limit = std::sqrt(3.0f * gain / static_cast<float>(fan_in));
  std::vector<float> w(count);
  for (float& v : w) v = rng_.Uniform(-limit, limit);
  return w;
}

// Small biases, as batch norm folding leaves them.
std::vector<float> FloatGraph::Bias(int count) {
  std::vector<float> b(count);
  for (float& v : b) v = rng_.Uniform(-0.1f, 0.1f);
  return b;
}

}  // namespace qlite::synth
