// EQUAL ... GREATER_EQUAL reference kernel: every op on floats with NaN, -0
// and infinities, broadcasting, int64 beyond 2^53, bool, TFLite's rescaling of
// quantized inputs (including the rounding that makes unequal values equal),
// TFLite's int16 rules, folding and the models it rejects.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/interpreter.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::ToBytes;

constexpr BuiltinOp kOps[] = {BuiltinOp::kEqual,   BuiltinOp::kNotEqual,
                              BuiltinOp::kLess,    BuiltinOp::kLessEqual,
                              BuiltinOp::kGreater, BuiltinOp::kGreaterEqual};

struct Case {
  BuiltinOp op = BuiltinOp::kEqual;
  DType type = DType::kFloat32;
  Shape shape1, shape2;
  Quantization q1, q2;
  DType out_type = DType::kBool;
};

template <typename T>
testing::RunResult RunCase(const Case& c, const std::vector<T>& a, const std::vector<T>& b) {
  ModelBuilder builder;
  const int in1 = builder.AddTensor("a", c.type, c.shape1, c.q1);
  const int in2 = builder.AddTensor("b", c.type, c.shape2, c.q2);
  const int out = builder.AddTensor("out", c.out_type, {});
  builder.AddOperator(c.op, {in1, in2}, {out});
  builder.SetInputs({in1, in2});
  builder.SetOutputs({out});
  return testing::RunModel(builder.Build(), {ToBytes(a), ToBytes(b)});
}

// The output as 0/1 values.
template <typename T>
std::vector<int> RunOk(const Case& c, const std::vector<T>& a, const std::vector<T>& b) {
  const testing::RunResult r = RunCase(c, a, b);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  const std::vector<uint8_t> bytes = r.outputs[0];
  return std::vector<int>(bytes.begin(), bytes.end());
}

template <typename T>
std::string RunError(const Case& c, const std::vector<T>& a, const std::vector<T>& b) {
  const testing::RunResult r = RunCase(c, a, b);
  EXPECT_FALSE(r.status.ok()) << "expected an error";
  return r.status.ok() ? std::string() : r.status.message();
}

Case Same(BuiltinOp op, DType type, Shape shape, Quantization q = {}) {
  Case c;
  c.op = op;
  c.type = type;
  c.shape1 = c.shape2 = std::move(shape);
  c.q1 = c.q2 = std::move(q);
  return c;
}

TEST(ComparisonsTest, FloatEveryOpWithNaNZerosAndInfinities) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> a = {1, 2, 3, nan, -0.0f, inf, nan};
  const std::vector<float> b = {2, 2, 2, 1, 0.0f, inf, nan};
  const std::vector<std::vector<int>> expected = {
      {0, 1, 0, 0, 1, 1, 0},  // EQUAL
      {1, 0, 1, 1, 0, 0, 1},  // NOT_EQUAL: the only one true for NaN
      {1, 0, 0, 0, 0, 0, 0},  // LESS
      {1, 1, 0, 0, 1, 1, 0},  // LESS_EQUAL
      {0, 0, 1, 0, 0, 0, 0},  // GREATER
      {0, 1, 1, 0, 1, 1, 0},  // GREATER_EQUAL
  };
  for (int i = 0; i < 6; ++i) {
    SCOPED_TRACE(BuiltinOpName(kOps[i]));
    EXPECT_EQ(RunOk<float>(Same(kOps[i], DType::kFloat32, {7}), a, b), expected[i]);
  }
}

TEST(ComparisonsTest, Int32Broadcast) {
  Case c = Same(BuiltinOp::kLess, DType::kInt32, {2, 3});
  c.shape2 = {2, 1};
  const auto r = RunCase<int32_t>(c, {1, 5, 9, -4, 0, 4}, {5, 0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(r.outputs[0], (std::vector<uint8_t>{1, 0, 0, 1, 0, 0}));
  // A scalar first operand against rank 3.
  c = Same(BuiltinOp::kGreaterEqual, DType::kInt32, {1, 2, 2});
  c.shape1 = {};
  EXPECT_EQ(RunOk<int32_t>(c, {3}, {2, 3, 4, std::numeric_limits<int32_t>::min()}),
            (std::vector<int>{1, 1, 0, 1}));
}

TEST(ComparisonsTest, Int64BeyondTheDoubleMantissa) {
  const int64_t big = int64_t{1} << 62;
  const std::vector<int64_t> a = {big, -big, big + 1}, b = {big + 1, -big, big};
  EXPECT_EQ(RunOk<int64_t>(Same(BuiltinOp::kLess, DType::kInt64, {3}), a, b),
            (std::vector<int>{1, 0, 0}));
  EXPECT_EQ(RunOk<int64_t>(Same(BuiltinOp::kEqual, DType::kInt64, {3}), a, b),
            (std::vector<int>{0, 1, 0}));
}

TEST(ComparisonsTest, BoolEqualAndNotEqual) {
  Case c = Same(BuiltinOp::kEqual, DType::kBool, {2, 2});
  c.shape2 = {2};
  const std::vector<uint8_t> a = {0, 1, 1, 0}, b = {0, 0};
  EXPECT_EQ(RunOk<uint8_t>(c, a, b), (std::vector<int>{1, 0, 0, 1}));
  c.op = BuiltinOp::kNotEqual;
  EXPECT_EQ(RunOk<uint8_t>(c, a, b), (std::vector<int>{0, 1, 1, 0}));
}

TEST(ComparisonsTest, QuantizedInputsAreRescaledToOneScale) {
  // int8 1.0 (2 at scale 0.5) equals 1.0 (4 at scale 0.25); 1.5 > 1.25.
  Case c = Same(BuiltinOp::kEqual, DType::kInt8, {3});
  c.q1 = PerTensor(0.5f, 0);
  c.q2 = PerTensor(0.25f, 0);
  const std::vector<int8_t> a = {2, 3, -4}, b = {4, 5, -8};
  EXPECT_EQ(RunOk<int8_t>(c, a, b), (std::vector<int>{1, 0, 1}));
  c.op = BuiltinOp::kGreater;
  EXPECT_EQ(RunOk<int8_t>(c, a, b), (std::vector<int>{0, 1, 0}));
  // uint8 with zero points: reals 0, 1, -64 against 1, 3, -62.
  c = Same(BuiltinOp::kLess, DType::kUInt8, {3});
  c.q1 = PerTensor(0.5f, 128);
  c.q2 = PerTensor(0.5f, 124);
  EXPECT_EQ(RunOk<uint8_t>(c, {128, 130, 0}, {126, 130, 0}), (std::vector<int>{1, 1, 1}));
}

TEST(ComparisonsTest, SmallScalesRoundUnequalValuesToEqualOnes) {
  // TFLite compares round((v - zp) * 256 * scale) in fixed point: at scale
  // 0.001, raw 0 and 1 both become 0, raw 2 and 3 both 1. EQUAL(0, 1) is
  // therefore true, as in TFLite.
  Case c = Same(BuiltinOp::kEqual, DType::kInt8, {4}, PerTensor(0.001f, 0));
  c.shape2 = {1};
  const std::vector<int8_t> a = {0, 1, 2, 3}, b = {1};
  EXPECT_EQ(RunOk<int8_t>(c, a, b), (std::vector<int>{1, 1, 0, 0}));
  c.op = BuiltinOp::kGreater;
  EXPECT_EQ(RunOk<int8_t>(c, a, b), (std::vector<int>{0, 0, 1, 1}));
  // The extremes at a scale just below 1, the largest TFLite takes.
  c = Same(BuiltinOp::kLess, DType::kInt8, {2}, PerTensor(0.9f, 0));
  EXPECT_EQ(RunOk<int8_t>(c, {-128, 126}, {127, 127}), (std::vector<int>{1, 1}));
}

TEST(ComparisonsTest, Int16RulesFollowTFLite) {
  // LESS ... GREATER_EQUAL compare raw int16 values whatever the quantization.
  const std::vector<int16_t> a = {2, -32768, 32767}, b = {4, -32768, 32766};
  const std::vector<std::vector<int>> ordered = {
      {1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 1}};  // LESS, LESS_EQUAL, GREATER, GREATER_EQUAL
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(BuiltinOpName(kOps[i + 2]));
    Case c = Same(kOps[i + 2], DType::kInt16, {3});
    EXPECT_EQ(RunOk<int16_t>(c, a, b), ordered[i]);
    c.q1 = PerTensor(0.5f, 0);
    c.q2 = PerTensor(0.25f, 0);
    EXPECT_EQ(RunOk<int16_t>(c, a, b), ordered[i]);
  }
  // EQUAL: raw values without quantization, rescaled ones with it (2 at 0.5
  // is 4 at 0.25); NOT_EQUAL takes quantized int16 only.
  Case c = Same(BuiltinOp::kEqual, DType::kInt16, {3});
  EXPECT_EQ(RunOk<int16_t>(c, a, b), (std::vector<int>{0, 1, 0}));
  c.q1 = PerTensor(0.5f, 0);
  c.q2 = PerTensor(0.25f, 0);
  EXPECT_EQ(RunOk<int16_t>(c, {2, -100, 1000}, {4, -200, 1000}), (std::vector<int>{1, 1, 0}));
  c.op = BuiltinOp::kNotEqual;
  EXPECT_EQ(RunOk<int16_t>(c, {2, -100, 1000}, {4, -200, 1000}), (std::vector<int>{0, 0, 1}));
  EXPECT_NE(RunError<int16_t>(Same(BuiltinOp::kNotEqual, DType::kInt16, {1}), {0}, {1})
                .find("quantized only"),
            std::string::npos);
}

TEST(ComparisonsTest, ConstantInputsAreFolded) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kBool, {3});
  const int c1 = b.AddConstant("c1", DType::kFloat32, {3}, std::vector<float>{1, 2, 3});
  const int c2 = b.AddConstant("c2", DType::kFloat32, {1}, std::vector<float>{2});
  const int cmp = b.AddTensor("cmp", DType::kBool, {});
  const int out = b.AddTensor("out", DType::kBool, {});
  b.AddOperator(BuiltinOp::kGreaterEqual, {c1, c2}, {cmp});
  b.AddOperator(BuiltinOp::kLogicalAnd, {in, cmp}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(b.Build(), InterpreterOptions{}, &interpreter);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_STREQ(interpreter->node_kernel_name(0), "folded_at_prepare");
  const std::vector<uint8_t> x = {1, 1, 0};
  ASSERT_TRUE(interpreter->SetInput(0, x.data(), x.size()).ok());
  ASSERT_TRUE(interpreter->Invoke().ok());
  const uint8_t* y = interpreter->output(0)->data_as<uint8_t>();
  EXPECT_EQ(std::vector<uint8_t>(y, y + 3), (std::vector<uint8_t>{0, 1, 0}));
}

TEST(ComparisonsTest, RejectsWhatTFLiteDoesNotRun) {
  // bool only for EQUAL / NOT_EQUAL.
  for (BuiltinOp op : {BuiltinOp::kLess, BuiltinOp::kGreaterEqual}) {
    EXPECT_NE(RunError<uint8_t>(Same(op, DType::kBool, {1}), {0}, {1}).find("does not take"),
              std::string::npos);
  }
  RunError<double>(Same(BuiltinOp::kEqual, DType::kFloat64, {1}), {0}, {1});
  // Quantized scales must be below 1 and present.
  EXPECT_NE(
      RunError<int8_t>(Same(BuiltinOp::kEqual, DType::kInt8, {1}, PerTensor(1.0f, 0)), {0}, {1})
          .find("scale of 1 or more"),
      std::string::npos);
  RunError<uint8_t>(Same(BuiltinOp::kEqual, DType::kUInt8, {1}), {0}, {1});
  // Mixed input dtypes, a non-bool output, shapes that do not broadcast.
  ModelBuilder builder;
  const int a = builder.AddTensor("a", DType::kFloat32, {1});
  const int b = builder.AddTensor("b", DType::kInt32, {1});
  const int out = builder.AddTensor("out", DType::kBool, {1});
  builder.AddOperator(BuiltinOp::kEqual, {a, b}, {out});
  builder.SetInputs({a, b});
  builder.SetOutputs({out});
  EXPECT_FALSE(testing::RunModel(builder.Build(),
                                 {ToBytes(std::vector<float>{1}), ToBytes(std::vector<int32_t>{1})})
                   .status.ok());
  Case c = Same(BuiltinOp::kLess, DType::kFloat32, {2});
  c.out_type = DType::kFloat32;
  EXPECT_NE(RunError<float>(c, {1, 2}, {2, 1}).find("output"), std::string::npos);
  c = Same(BuiltinOp::kLess, DType::kFloat32, {3});
  c.shape2 = {2};
  RunError<float>(c, {1, 2, 3}, {2, 1});
}

}  // namespace
}  // namespace qlite
