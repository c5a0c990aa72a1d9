// QUANTIZE between 8-bit types: the SIMD kernel (kernels_wasm/quantize.cc)
// against the reference kernel on seeded random cases — every int8/uint8
// pairing, equal scales (the zero-point shift) and scale ratios from 1/300 to
// 300 (ChannelRequantization), lengths that are not multiples of 16 — and on
// all 256 input values at once; output bytes must be identical and the SIMD
// kernel must really have run.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomInt;

Model BuildQuantize(DType in_type, DType out_type, int64_t count, const Quantization& in_q,
                    const Quantization& out_q) {
  ModelBuilder b;
  const int in = b.AddTensor("in", in_type, {static_cast<int32_t>(count)}, in_q);
  const int out = b.AddTensor("out", out_type, {}, out_q);
  b.AddOperator(BuiltinOp::kQuantize, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

int RandomZeroPoint(DType type, std::mt19937* rng) {
  return type == DType::kInt8 ? RandomInt(-128, 127, rng) : RandomInt(0, 255, rng);
}

TEST(QuantizeDiffTest, EightBitRequantizeRandomCases) {
  std::mt19937 rng(31);
  std::uniform_real_distribution<float> log_ratio(std::log(1.0f / 300), std::log(300.0f));
  const DType types[2] = {DType::kInt8, DType::kUInt8};
  int cases = 0;
  for (int round = 0; round < 400; ++round) {
    const DType in_type = types[round % 2];
    const DType out_type = types[(round / 2) % 2];
    const float in_scale = 0.01f * std::exp(log_ratio(rng) / 4);
    // A third of the cases keep the scale: the zero-point shift path.
    const float out_scale = round % 3 == 0 ? in_scale : in_scale * std::exp(log_ratio(rng));
    const int64_t count = round % 5 == 0 ? 256 : RandomInt(1, 100, &rng);
    const Quantization in_q = PerTensor(in_scale, RandomZeroPoint(in_type, &rng));
    // uint8 -> int8 with zero points 128 apart: the usual model input.
    const int zp_step = in_type == DType::kUInt8 ? -128 : 128;
    const int out_zp = round % 7 == 0 && in_type != out_type
                           ? static_cast<int>(in_q.zero_point[0]) + zp_step
                           : RandomZeroPoint(out_type, &rng);
    const Quantization out_q = PerTensor(out_scale, out_zp);
    std::vector<uint8_t> input(count);
    for (int64_t i = 0; i < count; ++i) {
      input[i] = static_cast<uint8_t>(count == 256 ? i : RandomInt(0, 255, &rng));
    }
    const std::string what = StrCat("QUANTIZE ", DTypeName(in_type), " -> ", DTypeName(out_type),
                                    " x", count, " scales ", in_scale, " -> ", out_scale,
                                    " zero points ", in_q.zero_point[0], " -> ", out_zp);
    ASSERT_TRUE(ExpectSimdMatchesReference(BuildQuantize(in_type, out_type, count, in_q, out_q),
                                           {input}, "quantize_simd128", what));
    ++cases;
  }
  EXPECT_EQ(cases, 400);
}

TEST(QuantizeDiffTest, FloatInputFallsBackToReference) {
  const Model model =
      BuildQuantize(DType::kFloat32, DType::kInt8, 20, Quantization{}, PerTensor(0.1f, 3));
  const testing::KernelRun run =
      testing::RunWithKernels(model, {std::vector<uint8_t>(80, 0)}, KernelSet::kSimd);
  ASSERT_TRUE(run.status.ok()) << run.status.message();
  EXPECT_EQ(run.node_kernels.at(0), "quantize_reference");
}

}  // namespace
}  // namespace qlite
