// ADD, SUB and MUL in Arithmetic::kXnnpack, hand-checked on the ties where
// XNNPACK's arithmetic and TFLite's part ways. Inputs have scale 1 and zero
// point 0, the output scale 2: the exact results are half the ADD / SUB and
// half the MUL of the int8 values.
#include <gtest/gtest.h>

#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

Model BinaryModel(BuiltinOp op, float out_scale) {
  ModelBuilder b;
  Quantization in_quant;
  in_quant.scale = {1.0f};
  in_quant.zero_point = {0};
  Quantization out_quant;
  out_quant.scale = {out_scale};
  out_quant.zero_point = {0};
  const int a = b.AddTensor("a", DType::kInt8, {3}, in_quant);
  const int c = b.AddTensor("b", DType::kInt8, {3}, in_quant);
  const int out = b.AddTensor("out", DType::kInt8, {}, out_quant);
  b.AddOperator(op, {a, c}, {out}, ElementwiseOptions{});
  b.SetInputs({a, c});
  b.SetOutputs({out});
  return b.Build();
}

std::vector<int> RunBinary(const Model& model, const std::vector<int8_t>& a,
                           const std::vector<int8_t>& b, Arithmetic arithmetic,
                           KernelSet kernels = KernelSet::kReference) {
  InterpreterOptions options;
  options.arithmetic = arithmetic;
  options.kernels = kernels;
  const RunResult r = RunModel(model, {ToBytes(a), ToBytes(b)}, options);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  const std::vector<int8_t> values = FromBytes<int8_t>(r.outputs[0]);
  return std::vector<int>(values.begin(), values.end());
}

TEST(XnnpackBinaryTest, AddRoundsTiesUp) {
  // (-1 + 0) / 2 = -0.5, (1 + 0) / 2 = 0.5, (-3 + 0) / 2 = -1.5. XNNPACK: both
  // ratios 0.5 -> shift 21, multipliers 2^20, bias 2^20; (2^20 - 2^20) >> 21 =
  // 0, 2^21 >> 21 = 1, -2^21 >> 21 = -1. TFLite's rescalings round -0.5 and
  // -1.5 away from zero: -1 and -2.
  const Model model = BinaryModel(BuiltinOp::kAdd, 2.0f);
  const std::vector<int8_t> a = {-1, 1, -3}, b = {0, 0, 0};
  EXPECT_EQ(RunBinary(model, a, b, Arithmetic::kTflite), (std::vector<int>{-1, 1, -2}));
  EXPECT_EQ(RunBinary(model, a, b, Arithmetic::kXnnpack), (std::vector<int>{0, 1, -1}));
}

TEST(XnnpackBinaryTest, SubNegatesTheSecondMultiplier) {
  // (0 - 1) / 2 = -0.5 and (0 - 3) / 2 = -1.5, (4 - 1) / 2 = 1.5.
  const Model model = BinaryModel(BuiltinOp::kSub, 2.0f);
  const std::vector<int8_t> a = {0, 0, 4}, b = {1, 3, 1};
  EXPECT_EQ(RunBinary(model, a, b, Arithmetic::kTflite), (std::vector<int>{-1, -2, 2}));
  EXPECT_EQ(RunBinary(model, a, b, Arithmetic::kXnnpack), (std::vector<int>{0, -1, 2}));
}

TEST(XnnpackBinaryTest, MulRoundsTheProductToEven) {
  // 5 / 2 = 2.5, -7 / 2 = -3.5, 3 / 2 = 1.5. XNNPACK: 2, -4, 2 (ties to
  // even); TFLite's rounding doubling high multiply rounds them up: 3, -3, 2.
  const Model model = BinaryModel(BuiltinOp::kMul, 2.0f);
  const std::vector<int8_t> a = {5, -7, 3}, b = {1, 1, 1};
  EXPECT_EQ(RunBinary(model, a, b, Arithmetic::kTflite), (std::vector<int>{3, -3, 2}));
  EXPECT_EQ(RunBinary(model, a, b, Arithmetic::kXnnpack), (std::vector<int>{2, -4, 2}));
}

}  // namespace
}  // namespace qlite
