// A face-detection-style block (the shape of BlazeFace's backbone and
// head): CONV 3x3 stride 2 -> PRELU -> DEPTHWISE 3x3 -> ADD (residual) ->
// PRELU -> upsampling RESIZE -> CONV 1x1 box regressors, float32 (bilinear,
// half-pixel centres) and int8 (nearest neighbour), built as a converter
// writes them: per-channel int8 filters, int32 biases at input x filter
// scale, per-tensor alpha, TFLite's op versions.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/resize.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

struct BlockBuilder {
  ModelBuilder b;
  bool q;
  uint32_t next = 1;  // deterministic weight pattern (a 32-bit LCG)

  float Weight() {
    next = next * 1103515245u + 12345u;
    return static_cast<float>(static_cast<int>((next >> 16) % 17) - 8) / 16.0f;  // [-0.5, 0.5]
  }
  Quantization Act(float scale, int zero_point) const {
    return q ? PerTensor(scale, zero_point) : Quantization{};
  }
  // A constant filter [shape] quantized per channel along `dim` (int8), and
  // its bias for an input of scale `input_scale`.
  std::pair<int, int> FilterAndBias(const std::string& name, std::vector<int32_t> shape, int dim,
                                    float input_scale) {
    int64_t n = 1;
    for (int32_t d : shape) n *= d;
    const int channels = shape[dim];
    std::vector<float> w(n);
    for (float& x : w) x = Weight();
    std::vector<float> bias(channels);
    for (float& x : bias) x = Weight() * 0.5f;
    if (!q) {
      return {b.AddConstant(name + "/w", DType::kFloat32, shape, w),
              b.AddConstant(name + "/b", DType::kFloat32, {channels}, bias)};
    }
    std::vector<float> scales(channels, 0.5f / 127);  // |w| <= 0.5
    std::vector<int8_t> w8(n);
    for (int64_t i = 0; i < n; ++i) w8[i] = static_cast<int8_t>(w[i] * 254.0f);
    std::vector<float> bias_scales(channels);
    std::vector<int32_t> b32(channels);
    for (int c = 0; c < channels; ++c) {
      bias_scales[c] = input_scale * scales[c];
      b32[c] = static_cast<int32_t>(bias[c] / bias_scales[c]);
    }
    return {b.AddConstant(name + "/w", DType::kInt8, shape, w8, PerChannel(scales, dim)),
            b.AddConstant(name + "/b", DType::kInt32, {channels}, b32, PerChannel(bias_scales, 0))};
  }
  int Alpha(const std::string& name, int channels) {
    std::vector<float> alpha(channels);
    for (float& x : alpha) x = Weight() * 0.5f;  // [-0.25, 0.25]
    if (!q) return b.AddConstant(name, DType::kFloat32, {1, 1, channels}, alpha);
    std::vector<int8_t> a8(channels);
    for (int c = 0; c < channels; ++c) a8[c] = static_cast<int8_t>(alpha[c] / (0.25f / 127));
    return b.AddConstant(name, DType::kInt8, {1, 1, channels}, a8, PerTensor(0.25f / 127, 0));
  }
};

}  // namespace

Model FaceDetectionStyleBlock(DType type) {
  BlockBuilder k{ModelBuilder{}, type == DType::kInt8};
  ModelBuilder& b = k.b;
  const int v = k.q ? 3 : 1;  // CONV_2D / DEPTHWISE_CONV_2D version
  const int image = b.AddTensor("image", type, {1, 16, 16, 3}, k.Act(0.04f, 0));

  auto [conv_w, conv_b] = k.FilterAndBias("conv", {8, 3, 3, 3}, 0, 0.04f);
  const int conv = b.AddTensor("conv", type, {1, 8, 8, 8}, k.Act(0.1f, 5));
  Conv2DOptions conv_options;
  conv_options.stride_w = conv_options.stride_h = 2;
  b.AddOperator(BuiltinOp::kConv2D, {image, conv_w, conv_b}, {conv}, conv_options, v);
  const int act1 = b.AddTensor("prelu1", type, {1, 8, 8, 8}, k.Act(0.08f, -20));
  b.AddOperator(BuiltinOp::kPrelu, {conv, k.Alpha("alpha1", 8)}, {act1});

  auto [dw_w, dw_b] = k.FilterAndBias("dw", {1, 3, 3, 8}, 3, 0.08f);
  const int dw = b.AddTensor("dw", type, {1, 8, 8, 8}, k.Act(0.1f, 3));
  b.AddOperator(BuiltinOp::kDepthwiseConv2D, {act1, dw_w, dw_b}, {dw}, DepthwiseConv2DOptions{}, v);
  const int sum = b.AddTensor("residual", type, {1, 8, 8, 8}, k.Act(0.15f, -2));
  b.AddOperator(BuiltinOp::kAdd, {dw, act1}, {sum}, ElementwiseOptions{}, k.q ? 2 : 1);
  const int act2 = b.AddTensor("prelu2", type, {1, 8, 8, 8}, k.Act(0.12f, -30));
  b.AddOperator(BuiltinOp::kPrelu, {sum, k.Alpha("alpha2", 8)}, {act2});

  // Upsampling back to the input grid, as a detector's feature pyramid does.
  const int size = b.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{16, 16});
  const int up = b.AddTensor("upsampled", type, {1, 16, 16, 8}, k.Act(0.12f, -30));
  ResizeOptions resize;
  resize.half_pixel_centers = !k.q;
  b.AddOperator(k.q ? BuiltinOp::kResizeNearestNeighbor : BuiltinOp::kResizeBilinear, {act2, size},
                {up}, resize, k.q ? 2 : 3);

  auto [box_w, box_b] = k.FilterAndBias("boxes", {4, 1, 1, 8}, 0, 0.12f);
  const int boxes = b.AddTensor("boxes", type, {1, 16, 16, 4}, k.Act(0.2f, 0));
  b.AddOperator(BuiltinOp::kConv2D, {up, box_w, box_b}, {boxes}, Conv2DOptions{}, v);
  b.SetInputs({image});
  b.SetOutputs({boxes});
  return b.Build();
}

void AddFaceDetectionModels(OpModels* models) {
  models->push_back(
      {"face_detection_style_float32", [] { return FaceDetectionStyleBlock(DType::kFloat32); }});
  models->push_back(
      {"face_detection_style_int8", [] { return FaceDetectionStyleBlock(DType::kInt8); }});
}

}  // namespace qlite
