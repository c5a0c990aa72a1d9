// Seed models for the fuzz targets, written by qlite's own writer: small
// convolution networks whose shapes reach the SIMD kernels' paths (pairs and
// quads of output pixels, GEMM panels, 8-channel depthwise pixel pairs,
// column quads) and one-op models of the ops they do not use, each in
// float32 and quantized by every quantizer mode. The one-op models of the
// cross-runtime test (qlite_op_models, and with --stateful its models with
// variable tensors) complete the corpus with the newer ops in every dtype.
// Usage: qlite_fuzz_corpus OUT_DIR
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "core/format/model_writer.h"
#include "core/model_builder.h"
#include "core/tensor.h"
#include "quantize/quantizer.h"

namespace qlite {
namespace {

std::vector<float> Seeded(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (float& x : v) x = ((seed = seed * 1664525u + 1013904223u) >> 8) / 8388608.0f - 1.0f;
  return v;
}

struct NetShape {
  const char* name;
  int size, channels, conv_channels;
  int dw_kernel;
  Activation activation;
};

// input -> CONV_2D 3x3 -> DEPTHWISE_CONV_2D -> ADD (residual) -> MAX_POOL_2D
// -> CONV_2D 1x1 -> MEAN -> FULLY_CONNECTED -> SOFTMAX, all float32.
Model FloatNet(const NetShape& n) {
  ModelBuilder b;
  uint32_t seed = 7;
  const int c = n.conv_channels;
  const int in = b.AddTensor("in", DType::kFloat32, {1, n.size, n.size, n.channels});
  const auto conv = [&](const std::string& name, int input, int in_c, int out_c, int k,
                        int stride) {
    const int w = b.AddConstant(name + "/w", DType::kFloat32, {out_c, k, k, in_c},
                                Seeded(size_t(out_c) * k * k * in_c, ++seed));
    const int bias = b.AddConstant(name + "/b", DType::kFloat32, {out_c}, Seeded(out_c, ++seed));
    const int out = b.AddTensor(name, DType::kFloat32, {});
    Conv2DOptions o;
    o.stride_w = o.stride_h = stride;
    o.activation = n.activation;
    b.AddOperator(BuiltinOp::kConv2D, {input, w, bias}, {out}, o);
    return out;
  };
  const int c1 = conv("conv1", in, n.channels, c, 3, 1);
  const int dw_w = b.AddConstant("dw/w", DType::kFloat32, {1, n.dw_kernel, n.dw_kernel, c},
                                 Seeded(size_t(n.dw_kernel) * n.dw_kernel * c, ++seed));
  const int dw_b = b.AddConstant("dw/b", DType::kFloat32, {c}, Seeded(c, ++seed));
  const int dw = b.AddTensor("dw", DType::kFloat32, {});
  DepthwiseConv2DOptions dwo;
  dwo.activation = n.activation;
  b.AddOperator(BuiltinOp::kDepthwiseConv2D, {c1, dw_w, dw_b}, {dw}, dwo);
  const int sum = b.AddTensor("residual", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kAdd, {c1, dw}, {sum}, ElementwiseOptions{});
  const int pooled = b.AddTensor("pool", DType::kFloat32, {});
  Pool2DOptions po;
  po.stride_w = po.stride_h = po.filter_w = po.filter_h = 2;
  b.AddOperator(BuiltinOp::kMaxPool2D, {sum}, {pooled}, po);
  const int c2 = conv("conv2", pooled, c, 2 * c, 1, 1);
  const int axes = b.AddConstant("axes", DType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int mean = b.AddTensor("mean", DType::kFloat32, {});
  ReducerOptions ro;
  ro.keep_dims = false;
  b.AddOperator(BuiltinOp::kMean, {c2, axes}, {mean}, ro);
  const int fc_w = b.AddConstant("fc/w", DType::kFloat32, {10, 2 * c}, Seeded(20 * c, ++seed));
  const int fc_b = b.AddConstant("fc/b", DType::kFloat32, {10}, Seeded(10, ++seed));
  const int logits = b.AddTensor("logits", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kFullyConnected, {mean, fc_w, fc_b}, {logits}, FullyConnectedOptions{});
  const int probs = b.AddTensor("probs", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kSoftmax, {logits}, {probs}, SoftmaxOptions{});
  b.SetInputs({in});
  b.SetOutputs({probs});
  return b.Build();
}

// One float op on model inputs of `shapes` (plus constant inputs), for the
// ops the conv nets do not use; the quantizer makes their integer forms.
struct ConstantInput {
  std::vector<int32_t> shape;
  std::vector<int32_t> int32_values;  // an int32 constant (axes, paddings, shapes)
  std::vector<float> float_values;    // else a float32 constant
};

Model OneOp(BuiltinOp op, const std::vector<std::vector<int32_t>>& shapes,
            const std::vector<ConstantInput>& constants, OpOptions options = {}) {
  ModelBuilder b;
  std::vector<int32_t> inputs, model_inputs;
  for (size_t i = 0; i < shapes.size(); ++i) {
    model_inputs.push_back(b.AddTensor("in" + std::to_string(i), DType::kFloat32, shapes[i]));
    inputs.push_back(model_inputs.back());
  }
  for (size_t i = 0; i < constants.size(); ++i) {
    const ConstantInput& c = constants[i];
    const std::string name = "const" + std::to_string(i);
    inputs.push_back(c.float_values.empty()
                         ? b.AddConstant(name, DType::kInt32, c.shape, c.int32_values)
                         : b.AddConstant(name, DType::kFloat32, c.shape, c.float_values));
  }
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(op, inputs, {out}, std::move(options));
  b.SetInputs(model_inputs);
  b.SetOutputs({out});
  return b.Build();
}

struct NamedModel {
  const char* name;
  Model model;
};

std::vector<NamedModel> OneOpModels() {
  const std::vector<int32_t> image = {1, 5, 6, 3};
  StridedSliceOptions slice;
  slice.shrink_axis_mask = 1;
  ConcatenationOptions concat;
  concat.axis = 3;
  ReshapeOptions reshape;
  reshape.new_shape = {5, 18};
  reshape.has_new_shape = true;
  SqueezeOptions squeeze;
  squeeze.squeeze_dims = {0};
  return {
      {"concatenation", OneOp(BuiltinOp::kConcatenation, {image, {1, 5, 6, 5}}, {}, concat)},
      {"pad", OneOp(BuiltinOp::kPad, {image}, {{{4, 2}, {0, 0, 1, 2, 2, 1, 0, 1}, {}}})},
      {"padv2", OneOp(BuiltinOp::kPadV2, {image},
                      {{{4, 2}, {0, 0, 1, 0, 0, 3, 0, 0}, {}}, {{}, {}, {0.5f}}})},
      {"transpose", OneOp(BuiltinOp::kTranspose, {image}, {{{4}, {0, 3, 1, 2}, {}}})},
      {"strided_slice",
       OneOp(BuiltinOp::kStridedSlice, {image},
             {{{4}, {0, 1, 0, 0}, {}}, {{4}, {1, 5, 6, 3}, {}}, {{4}, {1, 2, -1, 1}, {}}}, slice)},
      {"mul", OneOp(BuiltinOp::kMul, {image, {1, 1, 6, 3}}, {}, ElementwiseOptions{})},
      {"sub", OneOp(BuiltinOp::kSub, {image, {3}}, {}, ElementwiseOptions{})},
      {"maximum", OneOp(BuiltinOp::kMaximum, {image, {1, 5, 1, 3}}, {})},
      {"minimum", OneOp(BuiltinOp::kMinimum, {image, image}, {})},
      {"logistic", OneOp(BuiltinOp::kLogistic, {image}, {})},
      {"tanh", OneOp(BuiltinOp::kTanh, {image}, {})},
      {"relu", OneOp(BuiltinOp::kRelu, {image}, {})},
      {"relu6", OneOp(BuiltinOp::kRelu6, {image}, {})},
      {"relu_n1_to_1", OneOp(BuiltinOp::kReluN1To1, {image}, {})},
      {"leaky_relu", OneOp(BuiltinOp::kLeakyRelu, {image}, {}, LeakyReluOptions{})},
      {"hard_swish", OneOp(BuiltinOp::kHardSwish, {image}, {})},
      {"reshape", OneOp(BuiltinOp::kReshape, {image}, {{{2}, {5, 18}, {}}}, reshape)},
      {"squeeze", OneOp(BuiltinOp::kSqueeze, {{1, 6, 3}}, {}, squeeze)},
      {"softmax", OneOp(BuiltinOp::kSoftmax, {{2, 7}}, {}, SoftmaxOptions{})},
      {"average_pool", OneOp(BuiltinOp::kAveragePool2D, {image}, {}, Pool2DOptions{})},
      // Deeper than the int8 GEMM's pair layout (kPairDepthLimit), 3 rows:
      // its deep tiles, two rows at once and one left over.
      {"fully_connected_deep",
       OneOp(BuiltinOp::kFullyConnected, {{3, 1100}},
             {{{5, 1100}, {}, Seeded(5 * 1100, 11)}, {{5}, {}, Seeded(5, 12)}},
             FullyConnectedOptions{})},
  };
}

// Hybrid CONV_2D / DEPTHWISE_CONV_2D: float input and output, int8 constant
// filter (per-channel scales, or one), float bias; the input is quantized per
// batch at run time, asymmetrically for depthwise or differing scales.
Model HybridConv(bool depthwise, bool per_channel) {
  ModelBuilder b;
  const int channels = 6;
  const int in = b.AddTensor("in", DType::kFloat32, {2, 5, 6, depthwise ? channels : 3});
  const Shape filter_shape = depthwise ? Shape{1, 3, 3, channels} : Shape{channels, 3, 3, 3};
  std::vector<int8_t> weights(static_cast<size_t>(ShapeElementCount(filter_shape)));
  uint32_t seed = 21;
  for (int8_t& w : weights) w = static_cast<int8_t>((seed = seed * 1664525u + 1013904223u) >> 24);
  Quantization q;
  for (int c = 0; c < (per_channel ? channels : 1); ++c) {
    q.scale.push_back(0.01f + 0.002f * c);
    q.zero_point.push_back(0);
  }
  q.quantized_dimension = depthwise ? 3 : 0;
  const int filter = b.AddConstant("w", DType::kInt8, filter_shape, weights, q);
  const int bias = b.AddConstant("b", DType::kFloat32, {channels}, Seeded(channels, 22));
  const int out = b.AddTensor("out", DType::kFloat32, {});
  if (depthwise) {
    DepthwiseConv2DOptions o;
    o.activation = Activation::kRelu6;
    b.AddOperator(BuiltinOp::kDepthwiseConv2D, {in, filter, bias}, {out}, o);
  } else {
    Conv2DOptions o;
    o.stride_w = 2;
    b.AddOperator(BuiltinOp::kConv2D, {in, filter, bias}, {out}, o);
  }
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// int16 ADD and SUB at power-of-two scales with pot_scale_int16 set: TFLite's
// shift-only path, which no quantizer mode writes.
Model PowerOfTwoInt16(BuiltinOp op) {
  ModelBuilder b;
  const std::vector<int32_t> shape = {1, 4, 5, 3};
  const int a = b.AddTensor("a", DType::kInt16, shape, PerTensor(1.0f / 1024, 0));
  const int c = b.AddTensor("b", DType::kInt16, {1, 1, 5, 3}, PerTensor(1.0f / 4096, 0));
  const int out = b.AddTensor("out", DType::kInt16, {}, PerTensor(1.0f / 1024, 0));
  ElementwiseOptions o;
  o.pot_scale_int16 = true;
  o.activation = Activation::kRelu6;
  b.AddOperator(op, {a, c}, {out}, o);
  b.SetInputs({a, c});
  b.SetOutputs({out});
  return b.Build();
}

// TRANSPOSE_CONV takes (output_shape, weights, input[, bias]): input last.
Model TransposeConvModel() {
  ModelBuilder b;
  const int shape =
      b.AddConstant("output_shape", DType::kInt32, {4}, std::vector<int32_t>{1, 8, 10, 4});
  const int w = b.AddConstant("w", DType::kFloat32, {4, 3, 3, 3}, Seeded(4 * 3 * 3 * 3, 5));
  const int in = b.AddTensor("in", DType::kFloat32, {1, 4, 5, 3});
  const int bias = b.AddConstant("bias", DType::kFloat32, {4}, Seeded(4, 6));
  const int out = b.AddTensor("out", DType::kFloat32, {});
  TransposeConvOptions o;
  o.stride_w = o.stride_h = 2;
  b.AddOperator(BuiltinOp::kTransposeConv, {shape, w, in, bias}, {out}, o);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Status WriteQuantizedVariants(const Model& float_model, const std::string& base) {
  QLITE_RETURN_IF_ERROR(WriteModelFile(float_model, WriterOptions{}, base + "_float32.tflite"));
  std::vector<std::vector<std::vector<float>>> samples(2);
  for (size_t s = 0; s < samples.size(); ++s) {
    for (int32_t input : float_model.inputs) {
      const int64_t n = ShapeElementCount(float_model.tensors[input].shape);
      samples[s].push_back(Seeded(size_t(n), uint32_t(s + 1 + input)));
    }
  }
  VectorDataset dataset(std::move(samples));
  RangeMap ranges;
  QLITE_RETURN_IF_ERROR(Calibrate(float_model, dataset, &ranges));
  for (QuantMode mode :
       {QuantMode::kFloat16, QuantMode::kDynamic, QuantMode::kInt8, QuantMode::kInt16x8}) {
    for (IoType io : {IoType::kFloat32, IoType::kInt8, IoType::kUInt8}) {
      if (io != IoType::kFloat32 && mode != QuantMode::kInt8) continue;
      QuantizeOptions options;
      options.mode = mode;
      options.io = io;
      Model quantized;
      // Modes an op has no kernel for (int8 TRANSPOSE_CONV) are left out.
      if (!QuantizeModel(float_model, ranges, options, &quantized).ok()) continue;
      const std::string io_name = io == IoType::kFloat32 ? ""
                                  : io == IoType::kInt8  ? "_io_int8"
                                                         : "_io_uint8";
      QLITE_RETURN_IF_ERROR(WriteModelFile(quantized, WriterOptions{},
                                           base + "_" + QuantModeName(mode) + io_name + ".tflite"));
    }
  }
  return Status::Ok();
}

}  // namespace
}  // namespace qlite

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: qlite_fuzz_corpus OUT_DIR\n");
    return 2;
  }
  // Widths and channel counts around the SIMD kernels' blocking (4 and 8
  // output pixels, 4/8/16 channels, odd remainders).
  const qlite::NetShape shapes[] = {
      {"net_9x9_c3_k8", 9, 3, 8, 3, qlite::Activation::kRelu},
      {"net_8x8_c1_k16", 8, 1, 16, 3, qlite::Activation::kRelu6},
      {"net_7x7_c4_k12_dw5", 7, 4, 12, 5, qlite::Activation::kNone},
      {"net_12x12_c8_k8", 12, 8, 8, 3, qlite::Activation::kRelu},
  };
  std::vector<qlite::NamedModel> models = qlite::OneOpModels();
  models.push_back({"transpose_conv", qlite::TransposeConvModel()});
  for (const qlite::NetShape& shape : shapes)
    models.push_back({shape.name, qlite::FloatNet(shape)});
  // Integer and hybrid models written as they are (no quantizer makes them).
  const qlite::NamedModel as_is[] = {
      {"add_int16_power_of_two", qlite::PowerOfTwoInt16(qlite::BuiltinOp::kAdd)},
      {"sub_int16_power_of_two", qlite::PowerOfTwoInt16(qlite::BuiltinOp::kSub)},
      {"conv_hybrid", qlite::HybridConv(false, false)},
      {"conv_hybrid_per_channel", qlite::HybridConv(false, true)},
      {"depthwise_conv_hybrid", qlite::HybridConv(true, false)},
      {"depthwise_conv_hybrid_per_channel", qlite::HybridConv(true, true)},
  };
  for (const qlite::NamedModel& m : as_is) {
    const qlite::Status s = qlite::WriteModelFile(m.model, qlite::WriterOptions{},
                                                  std::string(argv[1]) + "/" + m.name + ".tflite");
    if (!s.ok()) {
      std::fprintf(stderr, "qlite_fuzz_corpus: %s: %s\n", m.name, s.message().c_str());
      return 1;
    }
  }
  for (const qlite::NamedModel& m : models) {
    const qlite::Status s =
        qlite::WriteQuantizedVariants(m.model, std::string(argv[1]) + "/" + m.name);
    if (!s.ok()) {
      std::fprintf(stderr, "qlite_fuzz_corpus: %s: %s\n", m.name, s.message().c_str());
      return 1;
    }
  }
  return 0;
}
