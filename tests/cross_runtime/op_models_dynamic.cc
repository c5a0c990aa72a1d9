// Small blocks whose input's batch dimension is dynamic (shape_signature -1),
// float32 and int8: CONV 1x1 + RELU -> MEAN over H, W -> FULLY_CONNECTED ->
// SOFTMAX. The cross-runtime page runs them at the stored batch 1; the
// package's resizeInput test runs them at batch 3 too.
#include <cstdint>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

Model DynamicBatchBlock(DType type) {
  const bool q = type == DType::kInt8;
  auto act = [&](float scale, int zero_point) {
    return q ? PerTensor(scale, zero_point) : Quantization{};
  };
  ModelBuilder b;
  const int in = b.AddTensor("image", type, {1, 4, 4, 3}, act(0.02f, -10));
  b.model().tensors[in].shape_signature = {-1, 4, 4, 3};
  std::vector<float> conv_w(24), fc_w(40);
  for (int i = 0; i < 24; ++i) conv_w[i] = 0.25f * static_cast<float>(i % 7) - 0.75f;
  for (int i = 0; i < 40; ++i) fc_w[i] = 0.125f * static_cast<float>(i % 9) - 0.5f;
  int conv_filter, conv_bias, fc_filter;
  if (q) {  // int8 filters (conv per channel, FC per tensor), int32 biases
    std::vector<int8_t> w8(24), f8(40);
    for (int i = 0; i < 24; ++i) w8[i] = static_cast<int8_t>(conv_w[i] / (0.75f / 127) * 0.999f);
    for (int i = 0; i < 40; ++i) f8[i] = static_cast<int8_t>(fc_w[i] / (0.5f / 127) * 0.999f);
    conv_filter = b.AddConstant("conv/w", DType::kInt8, {8, 1, 1, 3}, w8,
                                PerChannel(std::vector<float>(8, 0.75f / 127), 0));
    conv_bias = b.AddConstant("conv/b", DType::kInt32, {8},
                              std::vector<int32_t>{50, -30, 0, 100, -80, 20, 10, -5},
                              PerChannel(std::vector<float>(8, 0.02f * 0.75f / 127), 0));
    fc_filter = b.AddConstant("fc/w", DType::kInt8, {5, 8}, f8, PerTensor(0.5f / 127, 0));
  } else {
    conv_filter = b.AddConstant("conv/w", DType::kFloat32, {8, 1, 1, 3}, conv_w);
    conv_bias = b.AddConstant("conv/b", DType::kFloat32, {8},
                              std::vector<float>{0.1f, -0.2f, 0, 0.3f, -0.4f, 0.05f, 0.2f, -0.1f});
    fc_filter = b.AddConstant("fc/w", DType::kFloat32, {5, 8}, fc_w);
  }
  const int conv = b.AddTensor("conv", type, {1, 4, 4, 8}, act(0.01f, -128));
  Conv2DOptions conv_options;
  conv_options.activation = Activation::kRelu;
  b.AddOperator(BuiltinOp::kConv2D, {in, conv_filter, conv_bias}, {conv}, conv_options, q ? 3 : 1);
  const int axes = b.AddConstant("axes", DType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int mean = b.AddTensor("mean", type, {1, 8}, act(0.008f, -128));
  b.AddOperator(BuiltinOp::kMean, {conv, axes}, {mean}, {}, q ? 2 : 1);
  const int logits = b.AddTensor("logits", type, {1, 5}, act(0.02f, 3));
  b.AddOperator(BuiltinOp::kFullyConnected, {mean, fc_filter, -1}, {logits}, {}, q ? 4 : 1);
  const int probs = b.AddTensor("probs", type, {1, 5}, act(1.0f / 256, -128));
  b.AddOperator(BuiltinOp::kSoftmax, {logits}, {probs}, {}, q ? 2 : 1);
  b.SetInputs({in});
  b.SetOutputs({probs});
  return b.Build();
}

}  // namespace

void AddDynamicBatchModels(OpModels* models) {
  models->push_back({"dynamic_batch_float32", [] { return DynamicBatchBlock(DType::kFloat32); }});
  models->push_back({"dynamic_batch_int8", [] { return DynamicBatchBlock(DType::kInt8); }});
}

}  // namespace qlite
