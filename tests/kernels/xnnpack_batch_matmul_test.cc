// Arithmetic::kXnnpack for int8 BATCH_MATMUL: XNNPACK's float32
// requantization (ties to even), hand-checked on the ties where it and
// TFLite's fixed-point requantization part ways.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/kernels/batch_matmul.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct Operand {
  Shape shape;
  float scale;
  int32_t zero_point;
};

// One two-input op on `type` tensors, run in `arithmetic`; the output as ints.
template <typename T>
std::vector<int> RunTwoInputs(BuiltinOp op, DType type, const Operand& a, const Operand& b,
                              const Operand& out, const std::vector<T>& a_values,
                              const std::vector<T>& b_values, Arithmetic arithmetic,
                              OpOptions options) {
  ModelBuilder builder;
  const int in1 = builder.AddTensor("a", type, a.shape, PerTensor(a.scale, a.zero_point));
  const int in2 = builder.AddTensor("b", type, b.shape, PerTensor(b.scale, b.zero_point));
  const int output =
      builder.AddTensor("out", type, out.shape, PerTensor(out.scale, out.zero_point));
  builder.AddOperator(op, {in1, in2}, {output}, std::move(options));
  builder.SetInputs({in1, in2});
  builder.SetOutputs({output});
  InterpreterOptions run_options;
  run_options.arithmetic = arithmetic;
  const RunResult r =
      RunModel(builder.Build(), {ToBytes(a_values), ToBytes(b_values)}, run_options);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  const std::vector<T> values = FromBytes<T>(r.outputs[0]);
  return std::vector<int>(values.begin(), values.end());
}

// Rows {3, 2}, {-4, -1}, {4, 3} times the column {1, 1}: accumulators 5, -5
// and 7, at scale 1 * 1 / 2 = 0.5: 2.5, -2.5 and 3.5.
std::vector<int> RunBatchMatMulTies(int32_t lhs_zero_point, int32_t output_zero_point,
                                    Arithmetic arithmetic) {
  std::vector<int8_t> lhs = {3, 2, -4, -1, 4, 3};
  for (int8_t& v : lhs) v = static_cast<int8_t>(v + lhs_zero_point);
  return RunTwoInputs<int8_t>(BuiltinOp::kBatchMatmul, DType::kInt8,
                              {{1, 3, 2}, 1.0f, lhs_zero_point}, {{1, 2, 1}, 1.0f, 0},
                              {{1, 3, 1}, 2.0f, output_zero_point}, lhs, {1, 1}, arithmetic,
                              BatchMatMulOptions{});
}

TEST(XnnpackBatchMatMulTest, Int8TiesRoundToEven) {
  // XNNPACK: 2, -2, 4. TFLite's rounding doubling high multiply rounds the
  // ties up: 3, -2, 4.
  EXPECT_EQ(RunBatchMatMulTies(0, 0, Arithmetic::kXnnpack), (std::vector<int>{2, -2, 4}));
  EXPECT_EQ(RunBatchMatMulTies(0, 0, Arithmetic::kTflite), (std::vector<int>{3, -2, 4}));
}

TEST(XnnpackBatchMatMulTest, Int8ZeroPointsAroundTheRounding) {
  // lhs zero point 5 gives the same accumulators; output zero point 3 is
  // added after rounding: 2 + 3, -2 + 3, 4 + 3.
  EXPECT_EQ(RunBatchMatMulTies(5, 3, Arithmetic::kXnnpack), (std::vector<int>{5, 1, 7}));
  EXPECT_EQ(RunBatchMatMulTies(5, 3, Arithmetic::kTflite), (std::vector<int>{6, 1, 7}));
}

TEST(XnnpackBatchMatMulTest, Int8ClampsToTheOutputRange) {
  // 100 * 1 + 100 * 1 = 200 at scale 1: clamps to 127; -200 to -128.
  const std::vector<int> out =
      RunTwoInputs<int8_t>(BuiltinOp::kBatchMatmul, DType::kInt8, {{2, 2}, 1.0f, 0},
                           {{2, 1}, 1.0f, 0}, {{2, 1}, 1.0f, 0}, {100, 100, -100, -100}, {1, 1},
                           Arithmetic::kXnnpack, BatchMatMulOptions{});
  EXPECT_EQ(out, (std::vector<int>{127, -128}));
}

}  // namespace
}  // namespace qlite
