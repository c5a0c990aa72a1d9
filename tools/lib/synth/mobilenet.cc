#include "tools/lib/synth/mobilenet.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "core/model_builder.h"
#include "data/dataset.h"
#include "train/random.h"

namespace qlite::synth {

namespace {

// Builds the float graph layer by layer, drawing every weight from one
// seeded generator so a seed always gives the same model.
class FloatGraph {
 public:
  explicit FloatGraph(uint64_t seed) : rng_(train::Mix64(seed)) {}

  int Input(const std::string& name, std::vector<int32_t> shape) {
    const int t = builder_.AddTensor(name, DType::kFloat32, std::move(shape));
    builder_.SetInputs({t});
    return t;
  }

  // CONV_2D k x k, SAME padding. `linear` layers (no activation) get half the
  // weight variance of ReLU6 ones so the activations keep a similar range.
  int Conv(const std::string& name, int input, int out_c, int k, int stride, Activation act) {
    const std::vector<int32_t> in = shape(input);
    const int in_c = in[3];
    const int weights =
        builder_.AddConstant(name + "/weights", DType::kFloat32, {out_c, k, k, in_c},
                             Weights(out_c * k * k * in_c, k * k * in_c, act));
    const int bias = builder_.AddConstant(name + "/bias", DType::kFloat32, {out_c}, Bias(out_c));
    Conv2DOptions options;
    options.padding = Padding::kSame;
    options.stride_h = options.stride_w = stride;
    options.activation = act;
    const int out = builder_.AddTensor(name, DType::kFloat32,
                                       {1, SameOut(in[1], stride), SameOut(in[2], stride), out_c});
    builder_.AddOperator(BuiltinOp::kConv2D, {input, weights, bias}, {out}, options);
    return out;
  }

  // DEPTHWISE_CONV_2D 3x3, depth multiplier 1, SAME padding.
  int Depthwise(const std::string& name, int input, int stride, Activation act) {
    const std::vector<int32_t> in = shape(input);
    const int c = in[3];
    const int weights = builder_.AddConstant(name + "/depthwise_weights", DType::kFloat32,
                                             {1, 3, 3, c}, Weights(9 * c, 9, act));
    const int bias = builder_.AddConstant(name + "/bias", DType::kFloat32, {c}, Bias(c));
    DepthwiseConv2DOptions options;
    options.padding = Padding::kSame;
    options.stride_h = options.stride_w = stride;
    options.depth_multiplier = 1;
    options.activation = act;
    const int out = builder_.AddTensor(name, DType::kFloat32,
                                       {1, SameOut(in[1], stride), SameOut(in[2], stride), c});
    builder_.AddOperator(BuiltinOp::kDepthwiseConv2D, {input, weights, bias}, {out}, options);
    return out;
  }

  int Add(const std::string& name, int a, int b) {
    const int out = builder_.AddTensor(name, DType::kFloat32, shape(a));
    builder_.AddOperator(BuiltinOp::kAdd, {a, b}, {out}, ElementwiseOptions{});
    return out;
  }

  // Global average pooling as AVERAGE_POOL_2D over the whole feature map.
  int GlobalAveragePool(const std::string& name, int input) {
    const std::vector<int32_t> in = shape(input);
    Pool2DOptions options;
    options.padding = Padding::kValid;
    options.filter_h = in[1];
    options.filter_w = in[2];
    const int out = builder_.AddTensor(name, DType::kFloat32, {1, 1, 1, in[3]});
    builder_.AddOperator(BuiltinOp::kAveragePool2D, {input}, {out}, options);
    return out;
  }

  int Reshape(const std::string& name, int input, std::vector<int32_t> new_shape) {
    const int shape_tensor = builder_.AddConstant(
        name + "/shape", DType::kInt32, {static_cast<int32_t>(new_shape.size())}, new_shape);
    ReshapeOptions options;
    options.new_shape = new_shape;
    options.has_new_shape = true;
    const int out = builder_.AddTensor(name, DType::kFloat32, new_shape);
    builder_.AddOperator(BuiltinOp::kReshape, {input, shape_tensor}, {out}, options);
    return out;
  }

  int FullyConnected(const std::string& name, int input, int units) {
    const int in_n = shape(input).back();
    const int weights = builder_.AddConstant(name + "/weights", DType::kFloat32, {units, in_n},
                                             Weights(units * in_n, in_n, Activation::kNone));
    const int bias = builder_.AddConstant(name + "/bias", DType::kFloat32, {units}, Bias(units));
    const int out = builder_.AddTensor(name, DType::kFloat32, {1, units});
    builder_.AddOperator(BuiltinOp::kFullyConnected, {input, weights, bias}, {out},
                         FullyConnectedOptions{});
    return out;
  }

  int Softmax(const std::string& name, int input) {
    const int out = builder_.AddTensor(name, DType::kFloat32, shape(input));
    builder_.AddOperator(BuiltinOp::kSoftmax, {input}, {out}, SoftmaxOptions{});
    return out;
  }

  std::vector<int32_t> shape(int tensor) { return builder_.model().tensors[tensor].shape; }
  ModelBuilder& builder() { return builder_; }

 private:
  static int SameOut(int in, int stride) { return (in + stride - 1) / stride; }

  // He-uniform for ReLU6 layers (variance 2 / fan_in), half that for linear
  // ones (projections, classifier).
  std::vector<float> Weights(int count, int fan_in, Activation act) {
    const float gain = act == Activation::kNone ? 1.0f : 2.0f;
    const float limit = std::sqrt(3.0f * gain / static_cast<float>(fan_in));
    std::vector<float> w(count);
    for (float& v : w) v = rng_.Uniform(-limit, limit);
    return w;
  }
  // Small biases, as batch norm folding leaves them.
  std::vector<float> Bias(int count) {
    std::vector<float> b(count);
    for (float& v : b) v = rng_.Uniform(-0.1f, 0.1f);
    return b;
  }

  train::Rng rng_;
  ModelBuilder builder_;
};

// Keras MobileNet (v1): conv 3x3/2, 13 depthwise-separable blocks, global
// average pool, 1x1 conv classifier, reshape, softmax.
void BuildV1(const MobileNetOptions& o, FloatGraph* g, int x) {
  const auto ch = [&](int base) { return ScaledChannels(Arch::kMobileNetV1, base, o.alpha); };
  x = g->Conv("conv1", x, ch(32), 3, 2, Activation::kRelu6);
  struct Block {
    int filters, stride;
  };
  const Block blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},  {512, 2}, {512, 1},
                          {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  int id = 1;
  for (const Block& b : blocks) {
    const std::string name = StrCat("block", id++);
    x = g->Depthwise(name + "/conv_dw", x, b.stride, Activation::kRelu6);
    x = g->Conv(name + "/conv_pw", x, ch(b.filters), 1, 1, Activation::kRelu6);
  }
  x = g->GlobalAveragePool("global_average_pooling2d", x);
  x = g->Conv("conv_preds", x, o.classes, 1, 1, Activation::kNone);
  x = g->Reshape("reshape", x, {1, o.classes});
  x = g->Softmax("predictions", x);
  g->builder().SetOutputs({x});
}

// Keras MobileNetV2: conv 3x3/2, 17 inverted residual blocks (expansion 6
// except the first, ReLU6, linear bottleneck, ADD when shapes allow), 1x1
// conv to 1280, global average pool, dense classifier, softmax.
void BuildV2(const MobileNetOptions& o, FloatGraph* g, int x) {
  const auto ch = [&](int base) { return ScaledChannels(Arch::kMobileNetV2, base, o.alpha); };
  x = g->Conv("Conv1", x, ch(32), 3, 2, Activation::kRelu6);
  struct Block {
    int filters, stride, expansion;
  };
  const Block blocks[] = {{16, 1, 1}, {24, 2, 6},  {24, 1, 6},  {32, 2, 6},  {32, 1, 6}, {32, 1, 6},
                          {64, 2, 6}, {64, 1, 6},  {64, 1, 6},  {64, 1, 6},  {96, 1, 6}, {96, 1, 6},
                          {96, 1, 6}, {160, 2, 6}, {160, 1, 6}, {160, 1, 6}, {320, 1, 6}};
  int id = 0;
  for (const Block& b : blocks) {
    const std::string name = StrCat("block_", id++);
    const int in_c = g->shape(x)[3];
    // Keras truncates filters * alpha before rounding here (not for the stem).
    const int out_c =
        ScaledChannels(Arch::kMobileNetV2, static_cast<int>(b.filters * o.alpha), 1.0f);
    int y = x;
    if (b.expansion != 1)
      y = g->Conv(name + "_expand", y, in_c * b.expansion, 1, 1, Activation::kRelu6);
    y = g->Depthwise(name + "_depthwise", y, b.stride, Activation::kRelu6);
    y = g->Conv(name + "_project", y, out_c, 1, 1, Activation::kNone);
    if (b.stride == 1 && in_c == out_c) y = g->Add(name + "_add", x, y);
    x = y;
  }
  const int last = o.alpha > 1.0f ? ScaledChannels(Arch::kMobileNetV2, 1280, o.alpha) : 1280;
  x = g->Conv("Conv_1", x, last, 1, 1, Activation::kRelu6);
  x = g->GlobalAveragePool("global_average_pooling2d", x);
  x = g->Reshape("flatten", x, {1, last});
  x = g->FullyConnected("predictions", x, o.classes);
  x = g->Softmax("predictions/Softmax", x);
  g->builder().SetOutputs({x});
}

}  // namespace

bool ParseArch(const std::string& text, Arch* arch) {
  if (text == "mobilenet_v1") {
    *arch = Arch::kMobileNetV1;
  } else if (text == "mobilenet_v2") {
    *arch = Arch::kMobileNetV2;
  } else {
    return false;
  }
  return true;
}

const char* ArchName(Arch arch) {
  return arch == Arch::kMobileNetV1 ? "mobilenet_v1" : "mobilenet_v2";
}

MobileNetOptions DefaultOptions(Arch arch) {
  MobileNetOptions o;
  o.arch = arch;
  if (arch == Arch::kMobileNetV1) {
    o.alpha = 0.25f;
    o.size = 96;
    o.channels = 1;
  }
  return o;
}

int ScaledChannels(Arch arch, int base, float alpha) {
  const double v = static_cast<double>(base) * alpha;
  if (arch == Arch::kMobileNetV1) return std::max(1, static_cast<int>(v));
  constexpr int kDivisor = 8;
  int rounded = std::max(kDivisor, static_cast<int>(v + kDivisor / 2.0) / kDivisor * kDivisor);
  if (rounded < 0.9 * v) rounded += kDivisor;
  return rounded;
}

Status BuildFloatMobileNet(const MobileNetOptions& o, Model* model) {
  QLITE_ENSURE(o.alpha > 0.0f && o.alpha <= 4.0f, "alpha must be in (0, 4], got ", o.alpha);
  QLITE_ENSURE(o.size >= 32 && o.size <= 1024, "size must be in [32, 1024], got ", o.size);
  QLITE_ENSURE(o.channels == 1 || o.channels == 3, "channels must be 1 or 3, got ", o.channels);
  QLITE_ENSURE(o.classes >= 1, "classes must be at least 1, got ", o.classes);
  FloatGraph g(o.seed);
  const int input = g.Input("input", {1, o.size, o.size, o.channels});
  if (o.arch == Arch::kMobileNetV1) {
    BuildV1(o, &g, input);
  } else {
    BuildV2(o, &g, input);
  }
  g.builder().model().description =
      StrCat("qlite synth ", ArchName(o.arch), " --alpha ", o.alpha, " --size ", o.size,
             " --channels ", o.channels, " --seed ", o.seed, " (random weights)");
  *model = g.builder().Build();
  return Status::Ok();
}

Status SynthesizeInt8MobileNet(const MobileNetOptions& o, Model* model) {
  QLITE_ENSURE(o.calibration_samples >= 1, "calibration needs at least one sample");
  Model float_model;
  QLITE_RETURN_IF_ERROR(BuildFloatMobileNet(o, &float_model));

  // Calibration inputs come from their own stream, so they do not depend on
  // how many weights the graph drew.
  train::Rng rng(train::HashKeys(o.seed, 0xCA11B4A7ull));
  const size_t input_size = static_cast<size_t>(o.size) * o.size * o.channels;
  std::vector<std::vector<std::vector<float>>> samples(o.calibration_samples);
  for (auto& sample : samples) {
    std::vector<float> image(input_size);
    for (float& v : image) v = rng.Uniform(-1.0f, 1.0f);
    sample.push_back(std::move(image));
  }
  VectorDataset dataset(std::move(samples));
  RangeMap ranges;
  QLITE_RETURN_IF_ERROR(Calibrate(float_model, dataset, &ranges).WithContext("calibration: "));

  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  options.io = o.io;
  Model quantized;
  QLITE_RETURN_IF_ERROR(QuantizeModel(float_model, ranges, options, &quantized));
  quantized.description = float_model.description;
  *model = std::move(quantized);
  return Status::Ok();
}

Status SynthesizeFloat16MobileNet(const MobileNetOptions& o, Model* model) {
  Model float_model;
  QLITE_RETURN_IF_ERROR(BuildFloatMobileNet(o, &float_model));
  QuantizeOptions options;
  options.mode = QuantMode::kFloat16;
  Model half;
  QLITE_RETURN_IF_ERROR(QuantizeModel(float_model, RangeMap(), options, &half));
  half.description = StrCat(float_model.description, ", float16 weights");
  *model = std::move(half);
  return Status::Ok();
}

}  // namespace qlite::synth
