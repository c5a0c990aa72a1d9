// One-op int8 / uint8 models of the ops XNNPACK's TFLite delegate takes
// quantized, for the 'xnnpack' pass of web/test/ops-litert.test.mjs: odd zero
// points, and parameters that put values on rounding ties (LEAKY_RELU with
// alpha 0.5, requantization by exactly 1/2, fused-activation bounds where
// 6 / scale is an exact .5). Op versions are the converter's for each dtype.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

const std::vector<int32_t> kShape = {1, 6, 6, 8};

// op(x) with x of kShape; `constants` (int32) follow x as inputs.
Model Unary(BuiltinOp op, DType in_type, Quantization in_quant, DType out_type,
            Quantization out_quant, std::vector<int32_t> out_shape,
            std::vector<std::vector<int32_t>> constants, OpOptions options, int version) {
  ModelBuilder b;
  const int in = b.AddTensor("x", in_type, kShape, in_quant);
  std::vector<int32_t> inputs = {in};
  for (size_t i = 0; i < constants.size(); ++i) {
    const auto n = static_cast<int32_t>(constants[i].size());
    std::vector<int32_t> shape = {n};
    if (op == BuiltinOp::kPad) shape = {n / 2, 2};
    inputs.push_back(b.AddConstant("c" + std::to_string(i), DType::kInt32, shape, constants[i]));
  }
  const int out = b.AddTensor("y", out_type, out_shape, out_quant);
  b.AddOperator(op, inputs, {out}, std::move(options), version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// op(x, y), both of kShape with their own parameters.
Model Binary(BuiltinOp op, DType type, Quantization q1, Quantization q2, Quantization out_quant,
             std::vector<int32_t> out_shape, OpOptions options, int version) {
  ModelBuilder b;
  const int x = b.AddTensor("x", type, kShape, q1);
  const int y = b.AddTensor("y", type, kShape, q2);
  const int out = b.AddTensor("out", type, out_shape, out_quant);
  b.AddOperator(op, {x, y}, {out}, std::move(options), version);
  b.SetInputs({x, y});
  b.SetOutputs({out});
  return b.Build();
}

// DEQUANTIZE then QUANTIZE: float values (x - zp) / 4 exactly, quantized at
// scale 1/2, so that every odd x - zp is a tie of the float-to-int rounding.
Model DequantizeQuantize(DType type, int in_zp, int out_zp) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, kShape, PerTensor(0.25f, in_zp));
  const int f = b.AddTensor("f", DType::kFloat32, kShape);
  const int out = b.AddTensor("y", type, kShape, PerTensor(0.5f, out_zp));
  b.AddOperator(BuiltinOp::kDequantize, {in}, {f}, {}, type == DType::kInt8 ? 2 : 1);
  b.AddOperator(BuiltinOp::kQuantize, {f}, {out}, {}, 1);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddXnnpackSweepModels(OpModels* models_out) {
  OpModels& models = *models_out;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    const bool u8 = t == DType::kUInt8;
    const std::string tn = u8 ? "uint8" : "int8";
    const std::string prefix = "xnnpack_sweep_";
    const int v = u8 ? 1 : 2;  // the converter's version of most ops for int8
    // Zero points, odd, shifted by 128 for uint8.
    auto zp = [u8](int z) { return u8 ? z + 128 : z; };
    const Quantization in = PerTensor(0.0625f, zp(3));
    const Quantization out = PerTensor(0.05f, zp(-7));
    auto add = [&](const std::string& name, std::function<Model()> build) {
      models.push_back({prefix + name + "_" + tn, std::move(build)});
    };

    add("leaky_relu", [=] {
      return Unary(BuiltinOp::kLeakyRelu, t, in, t, out, kShape, {}, LeakyReluOptions{0.2f}, 1);
    });
    // alpha 1/2 with the input's parameters: every odd negative x - zp ties.
    add("leaky_relu_ties", [=] {
      return Unary(BuiltinOp::kLeakyRelu, t, in, t, in, kShape, {}, LeakyReluOptions{0.5f}, 1);
    });
    add("hard_swish", [=] {
      return Unary(BuiltinOp::kHardSwish, t, in, t, PerTensor(0.04f, zp(-9)), kShape, {}, {}, 1);
    });
    add("logistic", [=] {
      return Unary(BuiltinOp::kLogistic, t, in, t, PerTensor(1.0f / 256, zp(-128)), kShape, {}, {},
                   v);
    });
    add("tanh", [=] {
      return Unary(BuiltinOp::kTanh, t, PerTensor(0.03f, zp(-5)), t, PerTensor(1.0f / 128, zp(0)),
                   kShape, {}, {}, v);
    });
    add("relu", [=] { return Unary(BuiltinOp::kRelu, t, in, t, out, kShape, {}, {}, v); });
    add("relu6", [=] { return Unary(BuiltinOp::kRelu6, t, in, t, out, kShape, {}, {}, v); });
    add("relu_n1_to_1",
        [=] { return Unary(BuiltinOp::kReluN1To1, t, in, t, out, kShape, {}, {}, 1); });
    // Requantization by exactly 1/2: (x - zp) odd ties.
    add("requantize_half", [=] {
      return Unary(BuiltinOp::kQuantize, t, PerTensor(0.05f, zp(3)), t, PerTensor(0.1f, zp(-4)),
                   kShape, {}, {}, 1);
    });
    add("requantize", [=] {
      return Unary(BuiltinOp::kQuantize, t, PerTensor(0.05f, zp(3)), t, PerTensor(0.037f, zp(-9)),
                   kShape, {}, {}, 1);
    });
    add("dequantize_quantize_ties", [=] { return DequantizeQuantize(t, zp(3), zp(-4)); });
    add("dequantize", [=] {
      return Unary(BuiltinOp::kDequantize, t, in, DType::kFloat32, {}, kShape, {}, {}, v);
    });
    Pool2DOptions pool;
    pool.filter_w = pool.filter_h = 2;
    pool.stride_w = pool.stride_h = 2;
    add("max_pool_2d", [=] {
      return Unary(BuiltinOp::kMaxPool2D, t, in, t, in, {1, 3, 3, 8}, {}, pool, v);
    });
    // ReLU6 at scale 0.48: 6 / scale is 12.5 in float32. TFLite rounds the
    // bound half away from zero (zp + 13); XNNPACK rounds 12.5 + zp to even.
    Pool2DOptions pool_relu6 = pool;
    pool_relu6.activation = Activation::kRelu6;
    const Quantization tie = PerTensor(0.48f, zp(-128));
    add("max_pool_2d_relu6_bound_tie", [=] {
      return Unary(BuiltinOp::kMaxPool2D, t, tie, t, tie, {1, 3, 3, 8}, {}, pool_relu6, v);
    });
    // A standalone RELU6 at the same tie keeps TFLite's bound in LiteRT.js.
    add("relu6_bound_tie",
        [=] { return Unary(BuiltinOp::kRelu6, t, tie, t, tie, kShape, {}, {}, v); });
    ElementwiseOptions add_relu6;
    add_relu6.activation = Activation::kRelu6;
    add("add_relu6_bound_tie",
        [=] { return Binary(BuiltinOp::kAdd, t, tie, tie, tie, kShape, add_relu6, v); });
    add("mul_relu6_bound_tie", [=] {
      return Binary(BuiltinOp::kMul, t, PerTensor(0.3f, zp(5)), PerTensor(0.2f, zp(-3)), tie,
                    kShape, add_relu6, v);
    });
    Pool2DOptions avg;
    avg.filter_w = avg.filter_h = 3;
    add("average_pool_2d",
        [=] { return Unary(BuiltinOp::kAveragePool2D, t, in, t, in, kShape, {}, avg, v); });
    add("softmax", [=] {
      return Unary(BuiltinOp::kSoftmax, t, PerTensor(0.11f, zp(5)), t,
                   PerTensor(1.0f / 256, zp(-128)), kShape, {}, SoftmaxOptions{1.0f}, v);
    });
    add("concatenation", [=] {
      return Binary(BuiltinOp::kConcatenation, t, in, in, in, {1, 6, 6, 16},
                    ConcatenationOptions{3, Activation::kNone}, v);
    });
    // No int8 CONCATENATION with other input parameters: TFLite's int8
    // kernel requires the output's on every input, LiteRT.js gives other
    // bytes than qlite's rescaling there (uint8 rescales in both).
    if (u8) {
      add("concatenation_requantized", [=] {
        return Binary(BuiltinOp::kConcatenation, t, in, PerTensor(0.1f, zp(-5)), out, {1, 12, 6, 8},
                      ConcatenationOptions{1, Activation::kNone}, v);
      });
    }
    add("maximum", [=] { return Binary(BuiltinOp::kMaximum, t, in, in, in, kShape, {}, v); });
    add("minimum", [=] { return Binary(BuiltinOp::kMinimum, t, in, in, in, kShape, {}, v); });
    add("strided_slice", [=] {
      return Unary(BuiltinOp::kStridedSlice, t, in, t, in, {1, 3, 3, 3},
                   {{0, 1, 0, 0}, {1, 6, 6, 8}, {1, 2, 2, 3}}, StridedSliceOptions{}, v);
    });
    add("reshape", [=] {
      ReshapeOptions r;
      r.new_shape = {1, 36, 8};
      r.has_new_shape = true;
      return Unary(BuiltinOp::kReshape, t, in, t, in, {1, 36, 8}, {{1, 36, 8}}, r, 1);
    });
    add("pad", [=] {
      return Unary(BuiltinOp::kPad, t, in, t, in, {1, 7, 8, 8}, {{0, 0, 1, 0, 0, 2, 0, 0}}, {}, v);
    });
    add("transpose", [=] {
      return Unary(BuiltinOp::kTranspose, t, in, t, in, {1, 8, 6, 6}, {{0, 3, 1, 2}}, {}, v);
    });
  }
}

}  // namespace qlite
