// float32 RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 and LEAKY_RELU: the SIMD
// kernels (kernels_wasm/activations_float.cc) against the reference kernels on
// random shapes (every tail length), inputs mixing ordinary values with
// infinities, NaNs, signed zeros and denormals; output bytes must be identical
// (at 1 to 4 threads) and the SIMD kernel must really have run.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomInt;
using testing::RandomSpecialFloatBytes;

struct UnaryOp {
  BuiltinOp op;
  const char* simd_kernel;
};

constexpr UnaryOp kOps[] = {
    {BuiltinOp::kRelu, "relu_float32_simd128"},
    {BuiltinOp::kRelu6, "relu6_float32_simd128"},
    {BuiltinOp::kReluN1To1, "relu_n1_to_1_float32_simd128"},
    {BuiltinOp::kRelu0To1, "relu_0_to_1_float32_simd128"},
    {BuiltinOp::kLeakyRelu, "leaky_relu_float32_simd128"},
};

Model BuildUnary(BuiltinOp op, const Shape& shape, float alpha, DType type = DType::kFloat32) {
  ModelBuilder b;
  const Quantization q = type == DType::kFloat32 ? Quantization{} : PerTensor(0.1f, 0);
  const int in = b.AddTensor("x", type, shape, q);
  const int out = b.AddTensor("out", type, {}, q);
  if (op == BuiltinOp::kLeakyRelu) {
    LeakyReluOptions options;
    options.alpha = alpha;
    b.AddOperator(op, {in}, {out}, options);
  } else {
    b.AddOperator(op, {in}, {out});
  }
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

float RandomAlpha(std::mt19937* rng) {
  static const float kAlphas[] = {0.2f, 0.01f, 0.0f, -0.5f, 1.5f, 1e-30f};
  return kAlphas[RandomInt(0, 5, rng)];
}

TEST(ActivationsFloatDiffTest, RandomShapes) {
  std::mt19937 rng(201);
  for (int i = 0; i < 1500; ++i) {
    const UnaryOp& op = kOps[i % 5];
    const int rank = RandomInt(1, 4, &rng);
    Shape shape(rank);
    int64_t elements = 1;
    for (int32_t& d : shape) {
      d = RandomInt(1, elements > 300 ? 2 : (rank <= 2 ? 60 : 9), &rng);
      elements *= d;
    }
    const float alpha = RandomAlpha(&rng);
    const int special_every = RandomInt(0, 1, &rng) == 0 ? 6 : 1000;
    const auto x = RandomSpecialFloatBytes(elements, special_every, true, &rng);
    if (!ExpectSimdMatchesReference(BuildUnary(op.op, shape, alpha), {x}, op.simd_kernel,
                                    StrCat("case ", i, ": ", BuiltinOpName(op.op), " ",
                                           ShapeToString(shape), " alpha ", alpha))) {
      return;
    }
  }
}

// Every length 1..21 (tails of 0-3 values) and a large tensor that the
// threaded runs split.
TEST(ActivationsFloatDiffTest, EveryTailAndLargeTensor) {
  std::mt19937 rng(202);
  for (const UnaryOp& op : kOps) {
    for (int32_t n = 1; n <= 21; ++n) {
      const auto x = RandomSpecialFloatBytes(n, 3, true, &rng);
      if (!ExpectSimdMatchesReference(BuildUnary(op.op, {n}, RandomAlpha(&rng)), {x},
                                      op.simd_kernel,
                                      StrCat(BuiltinOpName(op.op), " length ", n))) {
        return;
      }
    }
    const Shape large = {1, 37, 41, 19};
    const auto x = RandomSpecialFloatBytes(ShapeElementCount(large), 40, true, &rng);
    if (!ExpectSimdMatchesReference(BuildUnary(op.op, large, 0.1f), {x}, op.simd_kernel,
                                    StrCat(BuiltinOpName(op.op), " ", ShapeToString(large)))) {
      return;
    }
  }
}

// Quantized inputs are declined and run the reference kernels.
TEST(ActivationsFloatDiffTest, Int8FallsBackToReference) {
  for (const UnaryOp& op : kOps) {
    const auto run =
        testing::RunWithKernels(BuildUnary(op.op, {4}, 0.2f, DType::kInt8),
                                {std::vector<uint8_t>{1, 2, 0xFE, 0x80}}, KernelSet::kSimd);
    ASSERT_TRUE(run.status.ok()) << run.status.message();
    EXPECT_EQ(run.node_kernels.at(0).find("_reference") != std::string::npos, true)
        << run.node_kernels.at(0);
  }
}

}  // namespace
}  // namespace qlite
