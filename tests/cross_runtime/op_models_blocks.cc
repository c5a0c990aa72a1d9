// Multi-op blocks as converted transformer layers hold them, float32 and int8:
//   attention: softmax(mask ? Q·Kᵀ * scale : min) · V on [1, 4 heads, 8 tokens,
//     16 dims], the mask a bool input broadcast over the heads;
//   layer norm: (x - mean) * rsqrt(mean((x - mean)^2) + eps) * gamma + beta
//     over the last axis of [1, 8, 32].
// int8 tensors carry the parameters a converter would derive from the value
// ranges these inputs produce (inputs: every int8 value at scale 0.05), and
// constants are quantized as it quantizes them (symmetric, per tensor).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/batch_matmul.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

// Builds one block for float32 or int8: tensors get their int8 parameters
// only when the block is int8; ops get the int8 or float version.
class BlockBuilder {
 public:
  explicit BlockBuilder(DType type) : type_(type) {}
  bool int8() const { return type_ == DType::kInt8; }

  int Tensor(const std::string& name, std::vector<int32_t> shape, float scale, int32_t zp) {
    return b_.AddTensor(name, type_, std::move(shape), Quant(scale, zp));
  }
  // A constant of real `values`, quantized symmetrically in int8.
  int Constant(const std::string& name, std::vector<int32_t> shape,
               const std::vector<float>& values) {
    if (!int8()) return b_.AddConstant(name, type_, std::move(shape), values);
    float max_abs = 0.0f;
    for (float v : values) max_abs = std::max(max_abs, std::fabs(v));
    const float scale = max_abs / 127;
    std::vector<int8_t> q;
    for (float v : values) q.push_back(static_cast<int8_t>(std::lround(v / scale)));
    return b_.AddConstant(name, type_, std::move(shape), q, PerTensor(scale, 0));
  }
  // A constant holding one raw value `q` with parameters of its own (int8), or `value`.
  int Scalar(const std::string& name, float value, int8_t q, float scale, int32_t zp) {
    if (!int8()) return b_.AddConstant(name, type_, {}, std::vector<float>{value});
    return b_.AddConstant(name, type_, {}, std::vector<int8_t>{q}, PerTensor(scale, zp));
  }
  int Axis(const std::string& name, int32_t axis) {
    return b_.AddConstant(name, DType::kInt32, {1}, std::vector<int32_t>{axis});
  }
  void Op(BuiltinOp op, std::vector<int32_t> inputs, int output, OpOptions options = {}) {
    b_.AddOperator(op, std::move(inputs), {output}, std::move(options), int8() ? 2 : 1);
  }
  ModelBuilder& builder() { return b_; }

 private:
  Quantization Quant(float scale, int32_t zp) const {
    return int8() ? PerTensor(scale, zp) : Quantization{};
  }
  DType type_;
  ModelBuilder b_;
};

}  // namespace

Model AttentionBlock(DType type) {
  BlockBuilder b(type);
  const std::vector<int32_t> qkv_shape = {1, 4, 8, 16}, score_shape = {1, 4, 8, 8};
  const int q = b.Tensor("q", qkv_shape, 0.05f, 0);
  const int k = b.Tensor("k", qkv_shape, 0.05f, 0);
  const int v = b.Tensor("v", qkv_shape, 0.05f, 0);
  const int mask = b.builder().AddTensor("mask", DType::kBool, {1, 1, 8, 8});
  // Dot products of 16 products of values up to 6.4: about +-160.
  const int scores = b.Tensor("scores", score_shape, 1.25f, 0);
  b.Op(BuiltinOp::kBatchMatmul, {q, k}, scores, BatchMatMulOptions{false, true});
  const int scale = b.Scalar("scale", 0.25f, 127, 0.25f / 127, 0);
  const int scaled = b.Tensor("scaled", score_shape, 0.3125f, 0);
  b.Op(BuiltinOp::kMul, {scores, scale}, scaled);
  // Masked scores: int8 the range's minimum in the scores' own parameters.
  const int masked_value = b.Scalar("masked_value", -1e9f, -128, 0.3125f, 0);
  const int masked = b.Tensor("masked", score_shape, 0.3125f, 0);
  // SELECT_V2 has version 1 for every dtype but uint32.
  b.builder().AddOperator(BuiltinOp::kSelectV2, {mask, scaled, masked_value}, {masked});
  const int probs = b.Tensor("probs", score_shape, 1.0f / 256, -128);
  b.Op(BuiltinOp::kSoftmax, {masked}, probs, SoftmaxOptions{1.0f});
  const int out = b.Tensor("out", qkv_shape, 0.05f, 0);
  b.Op(BuiltinOp::kBatchMatmul, {probs, v}, out, BatchMatMulOptions{false, false});
  b.builder().SetInputs({q, k, v, mask});
  b.builder().SetOutputs({out});
  return b.builder().Build();
}

Model LayerNormBlock(DType type) {
  BlockBuilder b(type);
  const std::vector<int32_t> shape = {1, 8, 32}, row_shape = {1, 8, 1};
  const int x = b.Tensor("x", shape, 0.05f, 0);
  const int axis = b.Axis("axis", -1);
  const ReducerOptions keep{true};
  const int mean = b.Tensor("mean", row_shape, 0.025f, 0);
  b.Op(BuiltinOp::kMean, {x, axis}, mean, keep);
  const int centered = b.Tensor("centered", shape, 0.08f, 0);
  b.Op(BuiltinOp::kSub, {x, mean}, centered);
  const int squared = b.Tensor("squared", shape, 0.36f, -128);
  b.Op(BuiltinOp::kSquaredDifference, {x, mean}, squared);
  const int variance = b.Tensor("variance", row_shape, 0.1f, -128);
  b.Op(BuiltinOp::kMean, {squared, axis}, variance, keep);
  const int epsilon = b.Scalar("epsilon", 1e-5f, 127, 1e-5f / 127, 0);
  const int variance_eps = b.Tensor("variance_eps", row_shape, 0.1f, -128);
  b.Op(BuiltinOp::kAdd, {variance, epsilon}, variance_eps);
  const int inv_std = b.Tensor("inv_std", row_shape, 2.0f / 255, -128);
  b.Op(BuiltinOp::kRsqrt, {variance_eps}, inv_std);
  const int normalized = b.Tensor("normalized", shape, 3.5f / 127, 0);
  b.Op(BuiltinOp::kMul, {centered, inv_std}, normalized);
  std::vector<float> gamma_values, beta_values;
  for (int i = 0; i < 32; ++i) {
    gamma_values.push_back(0.5f + static_cast<float>(i * 7 % 32) / 31);
    beta_values.push_back(static_cast<float>(i * 5 % 32) / 31 - 0.5f);
  }
  const int gamma = b.Constant("gamma", {32}, gamma_values);
  const int scaled = b.Tensor("scaled", shape, 0.035f, 0);
  b.Op(BuiltinOp::kMul, {normalized, gamma}, scaled);
  const int beta = b.Constant("beta", {32}, beta_values);
  const int out = b.Tensor("out", shape, 0.04f, 0);
  b.Op(BuiltinOp::kAdd, {scaled, beta}, out);
  b.builder().SetInputs({x});
  b.builder().SetOutputs({out});
  return b.builder().Build();
}

void AddBlockModels(OpModels* models) {
  models->push_back({"block_attention_float32", [] { return AttentionBlock(DType::kFloat32); }});
  models->push_back({"block_layer_norm_float32", [] { return LayerNormBlock(DType::kFloat32); }});
  // int8: LiteRT.js's XNNPACK delegate takes some of their nodes; see
  // web/test/ops-litert.test.mjs for what each arithmetic gives.
  models->push_back({"block_attention_int8", [] { return AttentionBlock(DType::kInt8); }});
  models->push_back({"block_layer_norm_int8", [] { return LayerNormBlock(DType::kInt8); }});
}

}  // namespace qlite
