// The int8 attention and layer-norm blocks (tests/cross_runtime/
// op_models_blocks.cc) on seeded inputs: the SIMD kernels give the reference
// kernels' bytes, and the dequantized output stays close to the float32
// block's output on the same real inputs, so that every node's parameters
// and kernel carry the block's meaning.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "tests/cross_runtime/op_models.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct BlockInputs {
  std::vector<std::vector<uint8_t>> int8, float32;
};

// Every model input of `int8_model`: int8 tensors get uniform int8 values
// (their float twins the dequantized values), bool tensors 0 or 1.
BlockInputs SeededInputs(const Model& int8_model, uint32_t seed) {
  std::mt19937 rng(seed);
  BlockInputs in;
  for (int t : int8_model.inputs) {
    const TensorDef& def = int8_model.tensors[t];
    int64_t n = 1;
    for (int32_t d : def.shape) n *= d;
    if (def.type == DType::kBool) {
      std::vector<uint8_t> mask(n);
      for (uint8_t& m : mask) m = static_cast<uint8_t>(rng() % 2);
      in.int8.push_back(mask);
      in.float32.push_back(mask);
      continue;
    }
    std::vector<int8_t> q(n);
    std::vector<float> real(n);
    for (int64_t i = 0; i < n; ++i) {
      q[i] = static_cast<int8_t>(static_cast<int>(rng() % 256) - 128);
      real[i] = def.quant.scale[0] * static_cast<float>(q[i] - def.quant.zero_point[0]);
    }
    in.int8.push_back(ToBytes(q));
    in.float32.push_back(ToBytes(real));
  }
  return in;
}

// Runs both blocks; returns the largest |dequantized int8 - float| in output steps.
double MaxErrorInSteps(const Model& int8_model, const Model& float_model, uint32_t seed) {
  const BlockInputs in = SeededInputs(int8_model, seed);
  const RunResult ref = RunModel(int8_model, in.int8, KernelSet::kReference);
  const RunResult simd = RunModel(int8_model, in.int8, KernelSet::kSimd);
  const RunResult real = RunModel(float_model, in.float32);
  EXPECT_TRUE(ref.status.ok()) << ref.status.message();
  EXPECT_TRUE(simd.status.ok()) << simd.status.message();
  EXPECT_TRUE(real.status.ok()) << real.status.message();
  if (!ref.status.ok() || !simd.status.ok() || !real.status.ok()) return 1e9;
  EXPECT_EQ(ref.outputs[0], simd.outputs[0]);
  const TensorDef& out = int8_model.tensors[int8_model.outputs[0]];
  const std::vector<int8_t> q = FromBytes<int8_t>(ref.outputs[0]);
  const std::vector<float> f = FromBytes<float>(real.outputs[0]);
  EXPECT_EQ(q.size(), f.size());
  double worst = 0;
  for (size_t i = 0; i < q.size() && i < f.size(); ++i) {
    const double dequantized = out.quant.scale[0] * (q[i] - out.quant.zero_point[0]);
    worst = std::max(worst, std::fabs(dequantized - f[i]) / out.quant.scale[0]);
  }
  return worst;
}

// The scaled scores are quantized at 0.3125 before SOFTMAX, which moves
// probabilities by a few percent: up to about 10 output steps (0.5) seen.
TEST(Int8Blocks, AttentionTracksFloat) {
  const Model int8 = AttentionBlock(DType::kInt8), float32 = AttentionBlock(DType::kFloat32);
  for (uint32_t seed : {1u, 2u, 3u}) {
    EXPECT_LE(MaxErrorInSteps(int8, float32, seed), 16.0) << "seed " << seed;
  }
}

// Nine requantizations: within 1.7 output steps seen.
TEST(Int8Blocks, LayerNormTracksFloat) {
  const Model int8 = LayerNormBlock(DType::kInt8), float32 = LayerNormBlock(DType::kFloat32);
  for (uint32_t seed : {1u, 2u, 3u}) {
    EXPECT_LE(MaxErrorInSteps(int8, float32, seed), 3.0) << "seed " << seed;
  }
}

}  // namespace
}  // namespace qlite
