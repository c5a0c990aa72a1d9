// LOGICAL_AND / LOGICAL_OR / LOGICAL_NOT and SELECT / SELECT_V2 reference
// kernels: broadcasting, SELECT's rank-1 and scalar conditions, the
// one-element case that keeps the declared output shape, every element size,
// and the models they reject.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunResult;
using testing::ToBytes;

RunResult RunLogical(BuiltinOp op, Shape s1, Shape s2, const std::vector<uint8_t>& a,
                     const std::vector<uint8_t>& b, DType type = DType::kBool) {
  ModelBuilder builder;
  const int in1 = builder.AddTensor("a", type, std::move(s1));
  std::vector<int32_t> inputs = {in1};
  std::vector<std::vector<uint8_t>> data = {a};
  if (op != BuiltinOp::kLogicalNot) {
    inputs.push_back(builder.AddTensor("b", type, std::move(s2)));
    data.push_back(b);
  }
  const int out = builder.AddTensor("out", type, {});
  builder.AddOperator(op, inputs, {out});
  builder.SetInputs(inputs);
  builder.SetOutputs({out});
  return testing::RunModel(builder.Build(), data);
}

TEST(LogicalTest, AndOrBroadcast) {
  const std::vector<uint8_t> a = {0, 1, 1, 0, 1, 0}, b = {1, 0};
  RunResult r = RunLogical(BuiltinOp::kLogicalAnd, {3, 2}, {2}, a, b);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(r.outputs[0], (std::vector<uint8_t>{0, 0, 1, 0, 1, 0}));
  r = RunLogical(BuiltinOp::kLogicalOr, {3, 2}, {2}, a, b);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.outputs[0], (std::vector<uint8_t>{1, 1, 1, 0, 1, 0}));
}

TEST(LogicalTest, NonzeroBytesAreTrueAndOutputsAreZeroOrOne) {
  RunResult r = RunLogical(BuiltinOp::kLogicalAnd, {3}, {3}, {2, 255, 0}, {1, 2, 7});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.outputs[0], (std::vector<uint8_t>{1, 1, 0}));
  r = RunLogical(BuiltinOp::kLogicalNot, {2, 2}, {}, {0, 1, 2, 0}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
  EXPECT_EQ(r.outputs[0], (std::vector<uint8_t>{1, 0, 0, 1}));
}

TEST(LogicalTest, RejectsNonBoolAndBadShapes) {
  for (BuiltinOp op : {BuiltinOp::kLogicalAnd, BuiltinOp::kLogicalOr, BuiltinOp::kLogicalNot}) {
    SCOPED_TRACE(BuiltinOpName(op));
    EXPECT_FALSE(RunLogical(op, {2}, {2}, {0, 1}, {1, 1}, DType::kUInt8).status.ok());
  }
  EXPECT_FALSE(RunLogical(BuiltinOp::kLogicalOr, {3}, {2}, {0, 1, 1}, {1, 1}).status.ok());
}

struct SelectCase {
  BuiltinOp op = BuiltinOp::kSelectV2;
  DType type = DType::kFloat32;
  Shape cond, x, y, out;  // out: the declared shape
  Quantization qx, qy, qout;
  DType cond_type = DType::kBool;
};

template <typename T>
RunResult RunSelect(const SelectCase& c, const std::vector<uint8_t>& cond, const std::vector<T>& x,
                    const std::vector<T>& y) {
  ModelBuilder builder;
  const int ci = builder.AddTensor("condition", c.cond_type, c.cond);
  const int xi = builder.AddTensor("x", c.type, c.x, c.qx);
  const int yi = builder.AddTensor("y", c.type, c.y, c.qy);
  const int out = builder.AddTensor("out", c.type, c.out, c.qout);
  builder.AddOperator(c.op, {ci, xi, yi}, {out});
  builder.SetInputs({ci, xi, yi});
  builder.SetOutputs({out});
  return testing::RunModel(builder.Build(), {cond, ToBytes(x), ToBytes(y)});
}

SelectCase Shapes(BuiltinOp op, Shape cond, Shape x, Shape y, DType type = DType::kFloat32) {
  SelectCase c;
  c.op = op;
  c.type = type;
  c.cond = std::move(cond);
  c.x = std::move(x);
  c.y = std::move(y);
  return c;
}

TEST(SelectTest, SameShapesBothVersions) {
  for (BuiltinOp op : {BuiltinOp::kSelect, BuiltinOp::kSelectV2}) {
    SCOPED_TRACE(BuiltinOpName(op));
    const RunResult r = RunSelect<float>(Shapes(op, {2, 2}, {2, 2}, {2, 2}), {1, 0, 0, 3},
                                         {1, 2, 3, 4}, {-1, -2, -3, -4});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, -2, -3, 4}));
  }
}

TEST(SelectTest, SelectRankOneConditionPicksSlices) {
  const RunResult r =
      RunSelect<int32_t>(Shapes(BuiltinOp::kSelect, {3}, {3, 2}, {3, 2}, DType::kInt32), {0, 1, 0},
                         {1, 2, 3, 4, 5, 6}, {-1, -2, -3, -4, -5, -6});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{-1, -2, 3, 4, -5, -6}));
}

TEST(SelectTest, ScalarConditionPicksAWholeInput) {
  for (BuiltinOp op : {BuiltinOp::kSelect, BuiltinOp::kSelectV2}) {
    SCOPED_TRACE(BuiltinOpName(op));
    const SelectCase c = Shapes(op, {}, {3}, {3}, DType::kInt16);
    RunResult r = RunSelect<int16_t>(c, {1}, {1, 2, 3}, {4, 5, 6});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{1, 2, 3}));
    r = RunSelect<int16_t>(c, {0}, {1, 2, 3}, {4, 5, 6});
    EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{4, 5, 6}));
  }
}

TEST(SelectTest, OneElementKeepsTheDeclaredOutputShape) {
  for (BuiltinOp op : {BuiltinOp::kSelect, BuiltinOp::kSelectV2}) {
    SCOPED_TRACE(BuiltinOpName(op));
    SelectCase c = Shapes(op, {1}, {1, 1}, {});
    c.out = {1, 1, 1};
    const RunResult r = RunSelect<float>(c, {0}, {1}, {2});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], (Shape{1, 1, 1}));
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{2}));
  }
}

TEST(SelectTest, SelectV2BroadcastsAllThree) {
  // condition [2, 1], x [1, 3], y scalar -> [2, 3].
  const RunResult r = RunSelect<int64_t>(
      Shapes(BuiltinOp::kSelectV2, {2, 1}, {1, 3}, {}, DType::kInt64), {1, 0},
      {std::numeric_limits<int64_t>::min(), 2, std::numeric_limits<int64_t>::max()}, {7});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), 2,
                                  std::numeric_limits<int64_t>::max(), 7, 7, 7}));
  // The condition's shape alone sets an output dimension: [2, 1, 1] with
  // x, y [3] -> [2, 1, 3].
  const RunResult r2 =
      RunSelect<uint8_t>(Shapes(BuiltinOp::kSelectV2, {2, 1, 1}, {3}, {3}, DType::kBool), {0, 1},
                         {1, 1, 0}, {0, 0, 1});
  ASSERT_TRUE(r2.status.ok()) << r2.status.message();
  EXPECT_EQ(r2.shapes[0], (Shape{2, 1, 3}));
  EXPECT_EQ(r2.outputs[0], (std::vector<uint8_t>{0, 0, 1, 1, 1, 0}));
}

TEST(SelectTest, QuantizedValuesAreCopied) {
  SelectCase c = Shapes(BuiltinOp::kSelectV2, {2}, {2}, {1}, DType::kInt8);
  c.qx = c.qy = c.qout = PerTensor(0.5f, -3);
  const RunResult r = RunSelect<int8_t>(c, {1, 0}, {-128, 127}, {5});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-128, 5}));
}

TEST(SelectTest, RejectsBadModels) {
  // SELECT does not broadcast beyond a scalar or rank-1 condition.
  EXPECT_FALSE(RunSelect<float>(Shapes(BuiltinOp::kSelect, {1, 2}, {3, 2}, {3, 2}), {0, 1},
                                std::vector<float>(6), std::vector<float>(6))
                   .status.ok());
  EXPECT_FALSE(RunSelect<float>(Shapes(BuiltinOp::kSelect, {2}, {3, 2}, {3, 2}), {0, 1},
                                std::vector<float>(6), std::vector<float>(6))
                   .status.ok());
  EXPECT_FALSE(RunSelect<float>(Shapes(BuiltinOp::kSelect, {3}, {3, 2}, {3, 1}), {0, 1, 0},
                                std::vector<float>(6), std::vector<float>(3))
                   .status.ok());
  EXPECT_FALSE(
      RunSelect<float>(Shapes(BuiltinOp::kSelect, {2}, {}, {}), {0, 1}, {1}, {2}).status.ok());
  // SELECT_V2 shapes that do not broadcast.
  EXPECT_FALSE(RunSelect<float>(Shapes(BuiltinOp::kSelectV2, {3}, {2}, {2}), {0, 1, 0},
                                std::vector<float>(2), std::vector<float>(2))
                   .status.ok());
  // A condition that is not bool.
  SelectCase c = Shapes(BuiltinOp::kSelectV2, {2}, {2}, {2});
  c.cond_type = DType::kUInt8;
  EXPECT_FALSE(RunSelect<float>(c, {0, 1}, {1, 2}, {3, 4}).status.ok());
  // Quantized x, y and output must share their parameters.
  c = Shapes(BuiltinOp::kSelectV2, {2}, {2}, {2}, DType::kUInt8);
  c.qx = c.qout = PerTensor(0.5f, 128);
  c.qy = PerTensor(0.25f, 128);
  EXPECT_FALSE(RunSelect<uint8_t>(c, {0, 1}, {1, 2}, {3, 4}).status.ok());
  // float16 is not a SELECT dtype.
  c = Shapes(BuiltinOp::kSelectV2, {2}, {2}, {2}, DType::kFloat16);
  EXPECT_FALSE(RunSelect<uint16_t>(c, {0, 1}, {1, 2}, {3, 4}).status.ok());
}

}  // namespace
}  // namespace qlite
