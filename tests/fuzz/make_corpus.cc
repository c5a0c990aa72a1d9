// Seed models for the fuzz targets, written by qlite's own writer: small
// convolution networks whose shapes reach the SIMD kernels' paths (pairs and
// quads of output pixels, GEMM panels, 8-channel depthwise pixel pairs,
// column quads), in float32 and quantized by every quantizer mode. The
// one-op models of the cross-runtime test (qlite_op_models) complete the
// corpus with one model per op and dtype. Usage: qlite_fuzz_corpus OUT_DIR
#include <cstdio>
#include <string>
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

Status WriteQuantizedVariants(const Model& float_model, const std::string& base) {
  QLITE_RETURN_IF_ERROR(WriteModelFile(float_model, WriterOptions{}, base + "_float32.tflite"));
  const int64_t n = ShapeElementCount(float_model.tensors[float_model.inputs[0]].shape);
  VectorDataset dataset({{Seeded(size_t(n), 1)}, {Seeded(size_t(n), 2)}});
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
      QLITE_RETURN_IF_ERROR(QuantizeModel(float_model, ranges, options, &quantized));
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
  for (const qlite::NetShape& shape : shapes) {
    const qlite::Status s = qlite::WriteQuantizedVariants(qlite::FloatNet(shape),
                                                          std::string(argv[1]) + "/" + shape.name);
    if (!s.ok()) {
      std::fprintf(stderr, "qlite_fuzz_corpus: %s: %s\n", shape.name, s.message().c_str());
      return 1;
    }
  }
  return 0;
}
