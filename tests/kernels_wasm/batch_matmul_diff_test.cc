// BATCH_MATMUL: the SIMD kernel (kernels_wasm/batch_matmul.cc) against the
// reference kernel on random seeded cases in float32, int8 and int16x8: ranks
// 2 to 5 with broadcast batch dims, adj_x / adj_y, constant and run-time rhs,
// 1, 3, 5, 17 and random column counts (partial panels of 8 and 4), depths
// that are not multiples of 2, 4, 8 or 16, every row remainder of the 4-row
// tiles, in both arithmetics for int8. Output bytes must be identical and the
// SIMD kernel must have run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/kernels/batch_matmul.h"
#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::FromBytes;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;
using testing::ToBytes;

constexpr char kSimdKernel[] = "batch_matmul_simd128";

struct MatMulCase {
  DType type = DType::kFloat32;
  Shape lhs_shape, rhs_shape;
  BatchMatMulOptions options;
  bool constant_rhs = false;
  float lhs_scale = 1.0f, rhs_scale = 1.0f, output_scale = 1.0f;
  int32_t lhs_zero_point = 0, rhs_zero_point = 0, output_zero_point = 0;

  std::string Describe() const {
    return StrCat(DTypeName(type), " ", ShapeToString(lhs_shape), " x ", ShapeToString(rhs_shape),
                  options.adj_x ? " adj_x" : "", options.adj_y ? " adj_y" : "",
                  constant_rhs ? " constant rhs" : "");
  }
};

std::vector<uint8_t> RandomValues(DType type, int64_t count, std::mt19937* rng) {
  if (type == DType::kInt8) return RandomInt8Bytes(count, rng);
  if (type == DType::kInt16) {
    std::vector<int16_t> v(count);
    for (int16_t& x : v) x = static_cast<int16_t>(RandomInt(-32768, 32767, rng));
    return ToBytes(v);
  }
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(count);
  for (float& x : v) x = RandomInt(0, 9, rng) == 0 ? 0.0f : dist(*rng);
  return ToBytes(v);
}

struct MatMulModel {
  Model model;
  std::vector<std::vector<uint8_t>> inputs;
};

MatMulModel BuildCase(const MatMulCase& c, std::mt19937* rng) {
  ModelBuilder b;
  const bool quantized = c.type != DType::kFloat32;
  const auto quant = [&](float scale, int32_t zero_point) {
    return quantized ? PerTensor(scale, zero_point) : Quantization{};
  };
  MatMulModel m;
  const int lhs = b.AddTensor("lhs", c.type, c.lhs_shape, quant(c.lhs_scale, c.lhs_zero_point));
  m.inputs.push_back(RandomValues(c.type, ShapeElementCount(c.lhs_shape), rng));
  std::vector<uint8_t> rhs_values = RandomValues(c.type, ShapeElementCount(c.rhs_shape), rng);
  const Quantization rhs_quant = quant(c.rhs_scale, c.rhs_zero_point);
  int rhs = 0;
  if (c.constant_rhs) {
    rhs = b.AddConstantBytes("rhs", c.type, c.rhs_shape, std::move(rhs_values), rhs_quant);
  } else {
    rhs = b.AddTensor("rhs", c.type, c.rhs_shape, rhs_quant);
    m.inputs.push_back(std::move(rhs_values));
  }
  const int output = b.AddTensor("output", c.type, {}, quant(c.output_scale, c.output_zero_point));
  b.AddOperator(BuiltinOp::kBatchMatmul, {lhs, rhs}, {output}, c.options);
  b.SetInputs(c.constant_rhs ? std::vector<int32_t>{lhs} : std::vector<int32_t>{lhs, rhs});
  b.SetOutputs({output});
  m.model = b.Build();
  return m;
}

// Quantization that keeps most outputs off the int8 / int16 limits.
void SetScales(MatMulCase* c, int32_t depth, std::mt19937* rng) {
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  c->lhs_scale = 0.002f + 0.1f * unit(*rng);
  c->rhs_scale = 0.002f + 0.1f * unit(*rng);
  const float spread = std::sqrt(static_cast<float>(depth));
  if (c->type == DType::kInt8) {
    // Zero points far from 0 (every fourth case) shift the sums by depth *
    // lhs_zp * rhs_zp: most such outputs clamp, but they test the offsets' range.
    const int zp = RandomInt(0, 3, rng) == 0 ? 128 : 20;
    c->lhs_zero_point = RandomInt(-zp, zp - 1, rng);
    c->rhs_zero_point = RandomInt(-zp, zp - 1, rng);
    c->output_zero_point = RandomInt(-zp, zp - 1, rng);
    c->output_scale = c->lhs_scale * c->rhs_scale * spread * (40.0f + 400.0f * unit(*rng));
  } else {
    c->output_scale = c->lhs_scale * c->rhs_scale * spread * (1.0e4f + 1.0e5f * unit(*rng));
  }
}

MatMulCase RandomCase(DType type, std::mt19937* rng) {
  static const int32_t kCols[] = {1, 3, 5, 17};
  static const int32_t kDepths[] = {1, 3, 5, 7, 17, 33};
  MatMulCase c;
  c.type = type;
  const int32_t rows = RandomInt(0, 5, rng) == 0 ? RandomInt(10, 40, rng) : RandomInt(1, 9, rng);
  const int32_t cols =
      RandomInt(0, 1, rng) == 0 ? kCols[RandomInt(0, 3, rng)] : RandomInt(1, 40, rng);
  const int32_t depth =
      RandomInt(0, 1, rng) == 0 ? kDepths[RandomInt(0, 5, rng)] : RandomInt(1, 90, rng);
  c.options.adj_x = RandomInt(0, 1, rng) == 1;
  c.options.adj_y = RandomInt(0, 1, rng) == 1;
  c.constant_rhs = RandomInt(0, 1, rng) == 1;
  // Batch dims: up to 3 each, 1s broadcast against the other operand's.
  const int lhs_batch = RandomInt(0, 3, rng), rhs_batch = RandomInt(0, 3, rng);
  Shape dims(3);
  for (int32_t& v : dims) v = RandomInt(1, 3, rng);
  for (int i = 0; i < lhs_batch; ++i) {
    c.lhs_shape.push_back(RandomInt(0, 2, rng) == 0 ? 1 : dims[3 - lhs_batch + i]);
  }
  for (int i = 0; i < rhs_batch; ++i) {
    c.rhs_shape.push_back(RandomInt(0, 2, rng) == 0 ? 1 : dims[3 - rhs_batch + i]);
  }
  c.lhs_shape.push_back(c.options.adj_x ? depth : rows);
  c.lhs_shape.push_back(c.options.adj_x ? rows : depth);
  c.rhs_shape.push_back(c.options.adj_y ? cols : depth);
  c.rhs_shape.push_back(c.options.adj_y ? depth : cols);
  if (type != DType::kFloat32) SetScales(&c, depth, rng);
  return c;
}

void RunRandomCases(DType type, uint32_t seed, int cases,
                    Arithmetic arithmetic = Arithmetic::kTflite) {
  std::mt19937 rng(seed);
  testing::Int8OutputStats stats;
  for (int i = 0; i < cases; ++i) {
    const MatMulCase c = RandomCase(type, &rng);
    const MatMulModel m = BuildCase(c, &rng);
    std::vector<uint8_t> output;
    if (!ExpectSimdMatchesReference(m.model, m.inputs, kSimdKernel,
                                    StrCat("case ", i, ": ", c.Describe()), &output, arithmetic)) {
      return;
    }
    if (type == DType::kInt8) stats.Add(output);
  }
  if (type == DType::kInt8) {
    EXPECT_GT(stats.DistinctValues(), 200);
    EXPECT_LT(stats.SaturatedFraction(), 0.2);
  }
}

TEST(BatchMatMulDiffTest, RandomFloat32Cases) { RunRandomCases(DType::kFloat32, 2601, 600); }
TEST(BatchMatMulDiffTest, RandomInt8Cases) { RunRandomCases(DType::kInt8, 2602, 600); }
TEST(BatchMatMulDiffTest, RandomInt16Cases) { RunRandomCases(DType::kInt16, 2603, 600); }
// The SIMD kernel requantizes through BatchMatMulData too: XNNPACK's float
// requantization in that arithmetic.
TEST(BatchMatMulDiffTest, RandomInt8XnnpackArithmeticCases) {
  RunRandomCases(DType::kInt8, 2606, 600, Arithmetic::kXnnpack);
}

// An attention-sized product (the shape the kernel is tuned for), both ways
// of holding the keys.
TEST(BatchMatMulDiffTest, AttentionShapes) {
  std::mt19937 rng(2604);
  for (const DType type : {DType::kFloat32, DType::kInt8, DType::kInt16}) {
    for (const bool adj_y : {false, true}) {
      MatMulCase c;
      c.type = type;
      c.options.adj_y = adj_y;
      c.lhs_shape = {1, 8, 128, 64};
      c.rhs_shape = adj_y ? Shape{1, 8, 128, 64} : Shape{1, 8, 64, 128};
      if (type != DType::kFloat32) SetScales(&c, 64, &rng);
      const MatMulModel m = BuildCase(c, &rng);
      ExpectSimdMatchesReference(m.model, m.inputs, kSimdKernel, c.Describe());
    }
  }
}

// int8 sums past int32 wrap as TFLite's accumulator does: 40000 products of
// (-128 - 127)^2 sum to 2.6e9.
TEST(BatchMatMulDiffTest, Int8SumsWrapLikeTheReference) {
  constexpr int32_t kDepth = 40000;
  MatMulCase c;
  c.type = DType::kInt8;
  c.lhs_shape = {2, kDepth};
  c.rhs_shape = {kDepth, 3};
  c.lhs_zero_point = c.rhs_zero_point = 127;
  c.lhs_scale = c.rhs_scale = 1.0f;
  c.output_scale = 1.0e7f;
  std::mt19937 rng(2605);
  MatMulModel m = BuildCase(c, &rng);
  for (auto& input : m.inputs) std::fill(input.begin(), input.end(), uint8_t{0x80});
  std::vector<uint8_t> output;
  ASSERT_TRUE(ExpectSimdMatchesReference(m.model, m.inputs, kSimdKernel, c.Describe(), &output));
  // 2601000000 wraps to -1693967296: / 1e7 clamps to -128 (unwrapped, 127).
  EXPECT_EQ(static_cast<int8_t>(output[0]), -128);
}

// int16 pairs of -32768 * -32768 sum to 2^31, one past int32: 5 * 2^30 /
// 2^20 = 5120 in every output (and random neighbours of the extremes).
TEST(BatchMatMulDiffTest, Int16PairsAtTheLimit) {
  MatMulCase c;
  c.type = DType::kInt16;
  c.lhs_shape = {3, 5};
  c.rhs_shape = {5, 6};
  c.lhs_scale = c.rhs_scale = 1.0f;
  c.output_scale = 1048576.0f;
  std::mt19937 rng(2607);
  MatMulModel m = BuildCase(c, &rng);
  for (auto& input : m.inputs) {
    for (size_t i = 0; i < input.size(); i += 2) {
      input[i] = 0x00;
      input[i + 1] = 0x80;  // -32768, little-endian
    }
  }
  std::vector<uint8_t> output;
  ASSERT_TRUE(ExpectSimdMatchesReference(m.model, m.inputs, kSimdKernel, c.Describe(), &output));
  for (int16_t v : FromBytes<int16_t>(output)) EXPECT_EQ(v, 5120);
  for (int i = 0; i < 50; ++i) {
    for (auto& input : m.inputs) {
      for (size_t e = 0; e < input.size(); e += 2) {
        const int16_t v = RandomInt(0, 1, &rng) == 0 ? -32768 : 32767;
        std::memcpy(&input[e], &v, 2);
      }
    }
    if (!ExpectSimdMatchesReference(m.model, m.inputs, kSimdKernel, StrCat("extremes ", i))) return;
  }
}

// A node the reference rejects (depths 3 and 4) fails the same way under the
// SIMD kernel set.
TEST(BatchMatMulDiffTest, RejectsLikeTheReference) {
  MatMulCase c;
  c.lhs_shape = {2, 3};
  c.rhs_shape = {4, 2};
  std::mt19937 rng(2606);
  const MatMulModel m = BuildCase(c, &rng);
  const testing::KernelRun simd = RunWithKernels(m.model, m.inputs, KernelSet::kSimd);
  const testing::KernelRun reference = RunWithKernels(m.model, m.inputs, KernelSet::kReference);
  ASSERT_FALSE(simd.status.ok());
  EXPECT_EQ(simd.status.message(), reference.status.message());
}

}  // namespace
}  // namespace qlite
