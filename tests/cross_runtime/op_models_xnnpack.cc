// Models for qlite's 'xnnpack' arithmetic (web/test/xnnpack-arithmetic.test.mjs
// and the xnnpack pass of web/test/ops-litert.test.mjs): TF1-style uint8
// MobileNet v1 and v2 (inverted residual block) graphs (uint8 weights with
// non-zero zero points, per-tensor scales, AVERAGE_POOL_2D head, RESHAPE,
// FULLY_CONNECTED, SOFTMAX at 1/256),
// an NCHW-pattern int8 graph (TRANSPOSE into the first CONV_2D, PAD before a
// stride-2 VALID DEPTHWISE_CONV_2D, per-channel weights with tiny scales,
// MEAN over H,W, FULLY_CONNECTED), and their one-op parts whose arithmetic
// XNNPACK owns. Weights are seeded random; op versions are the converter's.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

struct QuantBuilder {
  ModelBuilder b;
  std::mt19937 rng;

  // uint8 weights in [0, 255] around `zero_point`, one per-tensor scale; the
  // int32 bias at input x weight scale.
  std::pair<int, int> Uint8FilterAndBias(const std::string& name, std::vector<int32_t> shape,
                                         int channels, float input_scale, float scale,
                                         int zero_point) {
    int64_t n = 1;
    for (int32_t d : shape) n *= d;
    std::uniform_int_distribution<int> w(0, 255);
    std::vector<uint8_t> w8(n);
    for (uint8_t& x : w8) x = static_cast<uint8_t>(w(rng));
    std::uniform_int_distribution<int32_t> bias(-2000, 2000);
    std::vector<int32_t> b32(channels);
    for (int32_t& x : b32) x = bias(rng);
    return {b.AddConstant(name + "/w", DType::kUInt8, shape, w8, PerTensor(scale, zero_point)),
            b.AddConstant(name + "/b", DType::kInt32, {channels}, b32,
                          PerTensor(input_scale * scale, 0))};
  }

  // One uint8 conv-like node `op` on `input`: Uint8FilterAndBias, then an
  // output tensor named `out_name` (default: `name`). Returns the output.
  int Uint8Op(BuiltinOp op, const std::string& name, int input, std::vector<int32_t> filter_shape,
              int channels, float input_scale, float scale, int zero_point,
              std::vector<int32_t> out_shape, Quantization out_quant, OpOptions options,
              const std::string& out_name = "") {
    auto [w, bias] =
        Uint8FilterAndBias(name, filter_shape, channels, input_scale, scale, zero_point);
    const int out =
        b.AddTensor(out_name.empty() ? name : out_name, DType::kUInt8, out_shape, out_quant);
    b.AddOperator(op, {input, w, bias}, {out}, std::move(options));
    return out;
  }

  // int8 symmetric weights quantized per channel along `dim` with tiny scales
  // (1e-4 .. 3e-3), as a converter writes them for small trained weights.
  std::pair<int, int> Int8FilterAndBias(const std::string& name, std::vector<int32_t> shape,
                                        int dim, float input_scale) {
    int64_t n = 1;
    for (int32_t d : shape) n *= d;
    const int channels = shape[dim];
    std::uniform_int_distribution<int> w(-127, 127);
    std::vector<int8_t> w8(n);
    for (int8_t& x : w8) x = static_cast<int8_t>(w(rng));
    std::uniform_real_distribution<float> s(1e-4f, 3e-3f);
    std::vector<float> scales(channels);
    for (float& x : scales) x = s(rng);
    std::uniform_int_distribution<int32_t> bias(-3000, 3000);
    std::vector<int32_t> b32(channels);
    std::vector<float> bias_scales(channels);
    for (int c = 0; c < channels; ++c) {
      b32[c] = bias(rng);
      bias_scales[c] = input_scale * scales[c];
    }
    return {b.AddConstant(name + "/w", DType::kInt8, shape, w8, PerChannel(scales, dim)),
            b.AddConstant(name + "/b", DType::kInt32, {channels}, b32, PerChannel(bias_scales, 0))};
  }
};

constexpr float kRelu6Scale = 6.0f / 255;

// TF1's quantized MobileNet v1 (mobilenet_v1_0.25_128_quant's layout, small):
// input [1,16,16,3] uint8 at 1/128 zp 128, ReLU6 activations at 6/255 zp 0.
Model Uint8MobileNet() {
  QuantBuilder k{ModelBuilder{}, std::mt19937(25)};
  ModelBuilder& b = k.b;
  const DType u8 = DType::kUInt8;
  const int image = b.AddTensor("image", u8, {1, 16, 16, 3}, PerTensor(1.0f / 128, 128));

  auto [c1w, c1b] = k.Uint8FilterAndBias("conv1", {8, 3, 3, 3}, 8, 1.0f / 128, 0.005f, 122);
  const int c1 = b.AddTensor("conv1", u8, {1, 8, 8, 8}, PerTensor(kRelu6Scale, 0));
  Conv2DOptions s2;
  s2.stride_w = s2.stride_h = 2;
  s2.activation = Activation::kRelu6;
  b.AddOperator(BuiltinOp::kConv2D, {image, c1w, c1b}, {c1}, s2);

  DepthwiseConv2DOptions dw_options;
  dw_options.activation = Activation::kRelu6;
  const int d1 = k.Uint8Op(BuiltinOp::kDepthwiseConv2D, "dw1", c1, {1, 3, 3, 8}, 8, kRelu6Scale,
                           0.01f, 131, {1, 8, 8, 8}, PerTensor(kRelu6Scale, 0), dw_options);

  Conv2DOptions pw;
  pw.activation = Activation::kRelu6;
  const int p1 = k.Uint8Op(BuiltinOp::kConv2D, "pw1", d1, {16, 1, 1, 8}, 16, kRelu6Scale, 0.006f,
                           127, {1, 8, 8, 16}, PerTensor(kRelu6Scale, 0), pw);

  dw_options.stride_w = dw_options.stride_h = 2;
  const int d2 = k.Uint8Op(BuiltinOp::kDepthwiseConv2D, "dw2", p1, {1, 3, 3, 16}, 16, kRelu6Scale,
                           0.01f, 118, {1, 4, 4, 16}, PerTensor(kRelu6Scale, 0), dw_options);

  const int p2 = k.Uint8Op(BuiltinOp::kConv2D, "pw2", d2, {32, 1, 1, 16}, 32, kRelu6Scale, 0.005f,
                           133, {1, 4, 4, 32}, PerTensor(kRelu6Scale, 0), pw);

  // TF1's AvgPool keeps its input's parameters.
  Pool2DOptions pool;
  pool.padding = Padding::kValid;
  pool.filter_w = pool.filter_h = 4;
  const int pooled = b.AddTensor("pool", u8, {1, 1, 1, 32}, PerTensor(kRelu6Scale, 0));
  b.AddOperator(BuiltinOp::kAveragePool2D, {p2}, {pooled}, pool);
  ReshapeOptions reshape;
  reshape.new_shape = {1, 32};
  reshape.has_new_shape = true;
  const int flat = b.AddTensor("flat", u8, {1, 32}, PerTensor(kRelu6Scale, 0));
  const int shape = b.AddConstant("shape", DType::kInt32, {2}, std::vector<int32_t>{1, 32});
  b.AddOperator(BuiltinOp::kReshape, {pooled, shape}, {flat}, reshape);

  const int logits =
      k.Uint8Op(BuiltinOp::kFullyConnected, "fc", flat, {10, 32}, 10, kRelu6Scale, 0.004f, 126,
                {1, 10}, PerTensor(0.11f, 131), FullyConnectedOptions{}, "logits");
  const int probs = b.AddTensor("probs", u8, {1, 10}, PerTensor(1.0f / 256, 0));
  b.AddOperator(BuiltinOp::kSoftmax, {logits}, {probs}, SoftmaxOptions{1.0f});
  b.SetInputs({image});
  b.SetOutputs({probs});
  return b.Build();
}

// TF1's quantized MobileNet v2 (mobilenet_v2_1.0_224_quant's layout, one
// inverted residual block): a stride-2 stem, 1x1 expand (ReLU6), 3x3
// depthwise (ReLU6), linear 1x1 projection, residual ADD with its own output
// parameters, AVERAGE_POOL_2D head, FULLY_CONNECTED, SOFTMAX at 1/256.
Model Uint8MobileNetV2() {
  QuantBuilder k{ModelBuilder{}, std::mt19937(225)};
  ModelBuilder& b = k.b;
  const DType u8 = DType::kUInt8;
  const int image = b.AddTensor("image", u8, {1, 16, 16, 3}, PerTensor(1.0f / 128, 128));
  Conv2DOptions stem_options;
  stem_options.stride_w = stem_options.stride_h = 2;
  stem_options.activation = Activation::kRelu6;
  const int stem = k.Uint8Op(BuiltinOp::kConv2D, "stem", image, {8, 3, 3, 3}, 8, 1.0f / 128, 0.006f,
                             119, {1, 8, 8, 8}, PerTensor(kRelu6Scale, 0), stem_options);

  Conv2DOptions relu6_options;
  relu6_options.activation = Activation::kRelu6;
  const int expand =
      k.Uint8Op(BuiltinOp::kConv2D, "expand", stem, {24, 1, 1, 8}, 24, kRelu6Scale, 0.007f, 135,
                {1, 8, 8, 24}, PerTensor(kRelu6Scale, 0), relu6_options);
  DepthwiseConv2DOptions dw_options;
  dw_options.activation = Activation::kRelu6;
  const int depthwise =
      k.Uint8Op(BuiltinOp::kDepthwiseConv2D, "dw", expand, {1, 3, 3, 24}, 24, kRelu6Scale, 0.012f,
                124, {1, 8, 8, 24}, PerTensor(kRelu6Scale, 0), dw_options);
  const int project =
      k.Uint8Op(BuiltinOp::kConv2D, "project", depthwise, {8, 1, 1, 24}, 8, kRelu6Scale, 0.005f,
                130, {1, 8, 8, 8}, PerTensor(0.09f, 129), Conv2DOptions{});
  const int residual = b.AddTensor("residual", u8, {1, 8, 8, 8}, PerTensor(0.1f, 121));
  b.AddOperator(BuiltinOp::kAdd, {stem, project}, {residual}, ElementwiseOptions{});

  Pool2DOptions pool;
  pool.padding = Padding::kValid;
  pool.filter_w = pool.filter_h = 8;
  const int pooled = b.AddTensor("pool", u8, {1, 1, 1, 8}, PerTensor(0.1f, 121));
  b.AddOperator(BuiltinOp::kAveragePool2D, {residual}, {pooled}, pool);
  ReshapeOptions reshape;
  reshape.new_shape = {1, 8};
  reshape.has_new_shape = true;
  const int flat = b.AddTensor("flat", u8, {1, 8}, PerTensor(0.1f, 121));
  const int shape = b.AddConstant("shape", DType::kInt32, {2}, std::vector<int32_t>{1, 8});
  b.AddOperator(BuiltinOp::kReshape, {pooled, shape}, {flat}, reshape);
  const int logits =
      k.Uint8Op(BuiltinOp::kFullyConnected, "fc", flat, {10, 8}, 10, 0.1f, 0.02f, 127, {1, 10},
                PerTensor(0.13f, 140), FullyConnectedOptions{}, "logits");
  const int probs = b.AddTensor("probs", u8, {1, 10}, PerTensor(1.0f / 256, 0));
  b.AddOperator(BuiltinOp::kSoftmax, {logits}, {probs}, SoftmaxOptions{1.0f});
  b.SetInputs({image});
  b.SetOutputs({probs});
  return b.Build();
}

// A PyTorch-export-style int8 graph: NCHW input [1,3,16,16] transposed to
// NHWC, explicit PAD before a stride-2 VALID depthwise, MEAN over H,W.
Model NchwInt8() {
  QuantBuilder k{ModelBuilder{}, std::mt19937(2025)};
  ModelBuilder& b = k.b;
  const DType i8 = DType::kInt8;
  const int image = b.AddTensor("image", i8, {1, 3, 16, 16}, PerTensor(0.0186f, -14));
  const int perm = b.AddConstant("perm", DType::kInt32, {4}, std::vector<int32_t>{0, 2, 3, 1});
  const int nhwc = b.AddTensor("nhwc", i8, {1, 16, 16, 3}, PerTensor(0.0186f, -14));
  b.AddOperator(BuiltinOp::kTranspose, {image, perm}, {nhwc}, {}, 2);

  auto [cw, cb] = k.Int8FilterAndBias("conv", {8, 3, 3, 3}, 0, 0.0186f);
  const int conv = b.AddTensor("conv", i8, {1, 16, 16, 8}, PerTensor(0.012f, -128));
  Conv2DOptions conv_options;
  conv_options.activation = Activation::kRelu;
  b.AddOperator(BuiltinOp::kConv2D, {nhwc, cw, cb}, {conv}, conv_options, 3);

  const int pads =
      b.AddConstant("pads", DType::kInt32, {4, 2}, std::vector<int32_t>{0, 0, 0, 1, 0, 1, 0, 0});
  const int padded = b.AddTensor("padded", i8, {1, 17, 17, 8}, PerTensor(0.012f, -128));
  b.AddOperator(BuiltinOp::kPad, {conv, pads}, {padded}, {}, 2);

  auto [dw, db] = k.Int8FilterAndBias("dw", {1, 3, 3, 8}, 3, 0.012f);
  const int depthwise = b.AddTensor("dw", i8, {1, 8, 8, 8}, PerTensor(0.008f, 3));
  DepthwiseConv2DOptions dw_options;
  dw_options.padding = Padding::kValid;
  dw_options.stride_w = dw_options.stride_h = 2;
  b.AddOperator(BuiltinOp::kDepthwiseConv2D, {padded, dw, db}, {depthwise}, dw_options, 3);

  // keep_dims MEAN, a 1x1 CONV on the pooled vector, then MEAN without keep_dims.
  const int axes = b.AddConstant("axes", DType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int pooled = b.AddTensor("pooled", i8, {1, 1, 1, 8}, PerTensor(0.004f, 1));
  b.AddOperator(BuiltinOp::kMean, {depthwise, axes}, {pooled}, ReducerOptions{true}, 2);
  auto [pw, pb] = k.Int8FilterAndBias("pw", {16, 1, 1, 8}, 0, 0.004f);
  const int expanded = b.AddTensor("expanded", i8, {1, 1, 1, 16}, PerTensor(0.002f, -5));
  b.AddOperator(BuiltinOp::kConv2D, {pooled, pw, pb}, {expanded}, Conv2DOptions{}, 3);
  const int flat = b.AddTensor("flat", i8, {1, 16}, PerTensor(0.0015f, -3));
  b.AddOperator(BuiltinOp::kMean, {expanded, axes}, {flat}, ReducerOptions{false}, 2);

  auto [fw, fb] = k.Int8FilterAndBias("fc", {10, 16}, 0, 0.0015f);
  const int logits = b.AddTensor("logits", i8, {1, 10}, PerTensor(0.002f, 7));
  b.AddOperator(BuiltinOp::kFullyConnected, {flat, fw, fb}, {logits}, FullyConnectedOptions{}, 4);
  b.SetInputs({image});
  b.SetOutputs({logits});
  return b.Build();
}

// One op of `type` on input [1, 6, 6, 8] with the given parameters.
Model OneOp(BuiltinOp op, DType type, Quantization in_quant, Quantization out_quant,
            std::vector<int32_t> out_shape, std::vector<int32_t> constant, OpOptions options,
            int version) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, {1, 6, 6, 8}, in_quant);
  std::vector<int32_t> inputs = {in};
  if (!constant.empty()) {
    const int32_t n = static_cast<int32_t>(constant.size());
    std::vector<int32_t> shape = {n};
    if (op == BuiltinOp::kPad) shape = {n / 2, 2};
    inputs.push_back(b.AddConstant("c", DType::kInt32, shape, constant));
  }
  const int out = b.AddTensor("y", type, out_shape, out_quant);
  b.AddOperator(op, inputs, {out}, options, version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// One int8 DEPTHWISE_CONV_2D of a `size` x `size` filter on [1, height,
// width, channels]: the shapes qlite's relaxed-dot column quads take (3x3 and
// 5x5, channel counts that are not multiples of 16) as BlazeFace-style
// detectors have them.
Model DepthwiseInt8(int height, int width, int channels, int size, int stride, Padding padding,
                    uint32_t seed) {
  QuantBuilder k{ModelBuilder{}, std::mt19937(seed)};
  ModelBuilder& b = k.b;
  const int in = b.AddTensor("x", DType::kInt8, {1, height, width, channels}, PerTensor(0.02f, -7));
  auto [w, bias] = k.Int8FilterAndBias("dw", {1, size, size, channels}, 3, 0.02f);
  auto out_size = [&](int in) {
    return padding == Padding::kSame ? (in + stride - 1) / stride : (in - size) / stride + 1;
  };
  const int out = b.AddTensor("y", DType::kInt8, {1, out_size(height), out_size(width), channels},
                              PerTensor(6.0f / 255, -128));
  DepthwiseConv2DOptions o;
  o.padding = padding;
  o.stride_w = o.stride_h = stride;
  o.activation = Activation::kRelu6;
  b.AddOperator(BuiltinOp::kDepthwiseConv2D, {in, w, bias}, {out}, o, 3);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// keep_dims MEAN of `type` over `axes` of an input of `in_shape`.
Model MeanOf(DType type, std::vector<int32_t> in_shape, std::vector<int32_t> axes,
             Quantization in_quant, Quantization out_quant) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, in_shape, in_quant);
  std::vector<int32_t> out_shape = in_shape;
  for (int32_t a : axes) out_shape[a] = 1;
  const int32_t n = static_cast<int32_t>(axes.size());
  const int c = b.AddConstant("c", DType::kInt32, {n}, axes);
  const int out = b.AddTensor("y", type, out_shape, out_quant);
  b.AddOperator(BuiltinOp::kMean, {in, c}, {out}, ReducerOptions{true}, 2);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddXnnpackModels(OpModels* models) {
  models->push_back({"xnnpack_mobilenet_v1_uint8", Uint8MobileNet});
  models->push_back({"xnnpack_mobilenet_v2_uint8", Uint8MobileNetV2});
  models->push_back({"xnnpack_nchw_int8", NchwInt8});
  // MEAN over H,W with other output parameters than the input's (where
  // XNNPACK's reduce and TFLite's kernels round differently).
  for (DType type : {DType::kInt8, DType::kUInt8}) {
    const bool u8 = type == DType::kUInt8;
    const std::string name = u8 ? "uint8" : "int8";
    const Quantization in = PerTensor(0.05f, u8 ? 131 : 3);
    const Quantization out = PerTensor(0.013f, u8 ? 120 : -9);
    models->push_back({"xnnpack_mean_" + name + "_keep_dims", [=] {
                         return OneOp(BuiltinOp::kMean, type, in, out, {1, 1, 1, 8}, {1, 2},
                                      ReducerOptions{true}, 2);
                       }});
    // in / out / n = 4.5 / 36 = 1/8: many exact ties.
    const Quantization tie_in = PerTensor(0.045f, u8 ? 130 : 3);
    const Quantization tie_out = PerTensor(0.01f, u8 ? 121 : -4);
    models->push_back({"xnnpack_mean_" + name + "_ties", [=] {
                         return OneOp(BuiltinOp::kMean, type, tie_in, tie_out, {1, 1, 1, 8}, {1, 2},
                                      ReducerOptions{true}, 2);
                       }});
    // More MEAN models near ties, with other counts, zero points and scales
    // (in / out is 9 or 36, inexact in float32): n = 16, 64 and 144 over H,W,
    // and n = 16 over the innermost axis (XNNPACK's contiguous reduction).
    // On the test's inputs each has values where subtracting n * in_zp from
    // the sum before scaling (rather than from the scaled zero point) or
    // rounding ties away from zero gives another byte than LiteRT.js.
    // uint8 zero points; int8 takes them less 128.
    struct MeanTie {
      const char* suffix;
      std::vector<int32_t> shape, axes;
      float in_scale;
      int in_zp;
      float out_scale;
      int out_zp;
    };
    const MeanTie ties[] = {
        {"ties_n16", {1, 4, 4, 8}, {1, 2}, 0.09f, 140, 0.01f, 45},
        {"ties_n64", {1, 8, 8, 16}, {1, 2}, 0.09f, 140, 0.01f, 198},
        {"ties_inner_n16", {1, 6, 6, 16}, {3}, 0.072f, 145, 0.002f, 36},
        {"ties_n144", {1, 12, 12, 8}, {1, 2}, 0.072f, 125, 0.002f, 45},
    };
    const int zp_shift = u8 ? 0 : 128;
    for (const MeanTie& m : ties) {
      models->push_back({"xnnpack_mean_" + name + "_" + m.suffix, [=] {
                           return MeanOf(type, m.shape, m.axes,
                                         PerTensor(m.in_scale, m.in_zp - zp_shift),
                                         PerTensor(m.out_scale, m.out_zp - zp_shift));
                         }});
    }
    models->push_back(
        {"xnnpack_mean_" + name, [=] {
           return OneOp(BuiltinOp::kMean, type, in, out, {1, 8}, {1, 2}, ReducerOptions{false}, 2);
         }});
  }
  // TF1's head: AVERAGE_POOL_2D (input parameters kept) and SOFTMAX at 1/256.
  models->push_back({"xnnpack_average_pool_2d_uint8", [] {
                       Pool2DOptions pool;
                       pool.padding = Padding::kValid;
                       pool.filter_w = pool.filter_h = 6;
                       return OneOp(BuiltinOp::kAveragePool2D, DType::kUInt8, PerTensor(0.0235f, 0),
                                    PerTensor(0.0235f, 0), {1, 1, 1, 8}, {}, pool, 1);
                     }});
  models->push_back({"xnnpack_softmax_uint8", [] {
                       return OneOp(BuiltinOp::kSoftmax, DType::kUInt8, PerTensor(0.11f, 131),
                                    PerTensor(1.0f / 256, 0), {1, 6, 6, 8}, {},
                                    SoftmaxOptions{1.0f}, 1);
                     }});
  models->push_back({"xnnpack_depthwise_5x5_int8_24ch",
                     [] { return DepthwiseInt8(12, 14, 24, 5, 1, Padding::kSame, 2031); }});
  models->push_back({"xnnpack_depthwise_5x5_s2_int8_42ch",
                     [] { return DepthwiseInt8(11, 9, 42, 5, 2, Padding::kValid, 2032); }});
  models->push_back({"xnnpack_depthwise_3x3_int8_28ch",
                     [] { return DepthwiseInt8(9, 10, 28, 3, 1, Padding::kSame, 2033); }});
  // The NCHW pattern's layout ops.
  models->push_back({"xnnpack_pad_int8", [] {
                       return OneOp(BuiltinOp::kPad, DType::kInt8, PerTensor(0.012f, -128),
                                    PerTensor(0.012f, -128), {1, 7, 7, 8}, {0, 0, 0, 1, 0, 1, 0, 0},
                                    {}, 2);
                     }});
  models->push_back({"xnnpack_transpose_int8", [] {
                       return OneOp(BuiltinOp::kTranspose, DType::kInt8, PerTensor(0.0186f, -14),
                                    PerTensor(0.0186f, -14), {1, 8, 6, 6}, {0, 3, 1, 2}, {}, 2);
                     }});
}

}  // namespace qlite
