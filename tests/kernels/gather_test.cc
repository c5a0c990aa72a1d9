// GATHER and GATHER_ND reference kernels: every params dtype, int32 and
// int64 indices, negative axes, batch_dims, scalar and empty indices, TFLite's
// flat-position check of GATHER_ND, indices fed at run time, folding, and the
// errors they report.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/gather.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct GatherCase {
  BuiltinOp op = BuiltinOp::kGather;
  Shape params_shape;
  Shape indices_shape;
  std::vector<int64_t> indices;
  DType index_type = DType::kInt32;
  GatherOptions options;
  bool indices_are_input = false;  // fed at run time instead of constant
  Quantization params_quant, out_quant;
};

std::vector<uint8_t> IndexBytes(const GatherCase& c) {
  return c.index_type == DType::kInt64
             ? ToBytes(c.indices)
             : ToBytes(std::vector<int32_t>(c.indices.begin(), c.indices.end()));
}

template <typename T>
RunResult RunGather(DType type, const std::vector<T>& params, const GatherCase& c) {
  ModelBuilder b;
  const int p = b.AddTensor("params", type, c.params_shape, c.params_quant);
  const int i = c.indices_are_input
                    ? b.AddTensor("indices", c.index_type, c.indices_shape)
                    : b.AddConstantBytes("indices", c.index_type, c.indices_shape, IndexBytes(c));
  const int out = b.AddTensor("out", type, {}, c.out_quant);
  if (c.op == BuiltinOp::kGather) {
    b.AddOperator(c.op, {p, i}, {out}, c.options);
  } else {
    b.AddOperator(c.op, {p, i}, {out});
  }
  std::vector<std::vector<uint8_t>> inputs = {ToBytes(params)};
  if (c.indices_are_input) {
    b.SetInputs({p, i});
    inputs.push_back(IndexBytes(c));
  } else {
    b.SetInputs({p});
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), inputs);
}

void ExpectError(const RunResult& r, const std::string& message) {
  ASSERT_FALSE(r.status.ok()) << "expected: " << message;
  EXPECT_NE(r.status.message().find(message), std::string::npos) << r.status.message();
}

// [[0, 1], [2, 3], [4, 5]] rows 2 and 0; GATHER_ND of [[0, 1], [2, 3]] at
// (0, 0) and (1, 1).
template <typename T>
void ExpectRowsPicked(DType type) {
  SCOPED_TRACE(DTypeName(type));
  GatherCase g;
  g.params_shape = {3, 2};
  g.indices_shape = {2};
  g.indices = {2, 0};
  RunResult r = RunGather<T>(type, {0, 1, 2, 3, 4, 5}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), (std::vector<T>{4, 5, 0, 1}));

  GatherCase nd;
  nd.op = BuiltinOp::kGatherNd;
  nd.params_shape = {2, 2};
  nd.indices_shape = {2, 2};
  nd.indices = {0, 0, 1, 1};
  nd.index_type = DType::kInt64;
  r = RunGather<T>(type, {0, 1, 2, 3}, nd);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), (std::vector<T>{0, 3}));
}

TEST(GatherTest, EveryDtypeMovesTheBytes) {
  ExpectRowsPicked<float>(DType::kFloat32);
  ExpectRowsPicked<int8_t>(DType::kInt8);
  ExpectRowsPicked<uint8_t>(DType::kUInt8);
  ExpectRowsPicked<int16_t>(DType::kInt16);
  ExpectRowsPicked<int32_t>(DType::kInt32);
  ExpectRowsPicked<int64_t>(DType::kInt64);
  ExpectRowsPicked<uint8_t>(DType::kBool);  // values 0..5 are only bytes here
}

TEST(GatherTest, NegativeAxisWithInt64Indices) {
  GatherCase g;
  g.params_shape = {2, 3};  // [[0, 1, 2], [3, 4, 5]]
  g.indices_shape = {3};
  g.indices = {2, 2, 0};
  g.index_type = DType::kInt64;
  g.options.axis = -1;
  const RunResult r = RunGather<float>(DType::kFloat32, {0, 1, 2, 3, 4, 5}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{2, 2, 0, 5, 5, 3}));
}

TEST(GatherTest, MiddleAxisWith2DIndices) {
  // [[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]], rows 1 and 2 of axis 1.
  GatherCase g;
  g.params_shape = {2, 3, 2};
  g.indices_shape = {2, 1};
  g.indices = {1, 2};
  g.options.axis = 1;
  const RunResult r = RunGather<int32_t>(DType::kInt32, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2, 1, 2}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{2, 3, 4, 5, 8, 9, 10, 11}));
}

TEST(GatherTest, BatchDimsPickPerBatchIncludingNegative) {
  // Row 0 of [[0, 1, 2], [3, 4, 5]] at 2, 0; row 1 at 1, 1.
  GatherCase g;
  g.params_shape = {2, 3};
  g.indices_shape = {2, 2};
  g.indices = {2, 0, 1, 1};
  g.options = {1, 1};
  for (int32_t batch_dims : {1, -1}) {
    g.options.batch_dims = batch_dims;
    const RunResult r = RunGather<int8_t>(DType::kInt8, {0, 1, 2, 3, 4, 5}, g);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
    EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{2, 0, 4, 4}));
  }
}

TEST(GatherTest, ScalarAndEmptyIndices) {
  GatherCase g;
  g.params_shape = {3, 2};
  g.indices_shape = {};
  g.indices = {1};
  RunResult r = RunGather<float>(DType::kFloat32, {0, 1, 2, 3, 4, 5}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{2, 3}));

  g.indices_shape = {0};
  g.indices = {};
  r = RunGather<float>(DType::kFloat32, {0, 1, 2, 3, 4, 5}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0, 2}));
  EXPECT_TRUE(r.outputs[0].empty());
}

TEST(GatherTest, IndicesFedAtRunTimeAreChecked) {
  GatherCase g;
  g.params_shape = {3};
  g.indices_shape = {2};
  g.indices_are_input = true;
  g.indices = {2, 1};
  RunResult r = RunGather<int16_t>(DType::kInt16, {-7, 8, 9}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{9, 8}));
  g.indices = {1, 3};
  ExpectError(RunGather<int16_t>(DType::kInt16, {-7, 8, 9}, g),
              "gather index 3 is out of range for axis 0");
  g.indices = {1, -1};
  ExpectError(RunGather<int16_t>(DType::kInt16, {-7, 8, 9}, g), "gather index -1 is negative");
  g.index_type = DType::kInt64;
  g.indices = {int64_t{1} << 40, 0};
  ExpectError(RunGather<int16_t>(DType::kInt16, {-7, 8, 9}, g),
              "gather index 1099511627776 is out of range");
}

RunResult RunConstantGather(int32_t index) {
  ModelBuilder b;
  const int p = b.AddConstant("params", DType::kInt64, {3}, std::vector<int64_t>{10, 20, 30});
  const int i = b.AddConstant("indices", DType::kInt32, {2}, std::vector<int32_t>{index, 2});
  const int out = b.AddTensor("out", DType::kInt64, {});
  b.AddOperator(BuiltinOp::kGather, {p, i}, {out}, GatherOptions{});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
}

TEST(GatherTest, ConstantNodeIsFoldedAtPrepare) {
  const RunResult r = RunConstantGather(0);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{10, 30}));
  // A bad constant index fails while the model is prepared.
  ExpectError(RunConstantGather(3), "gather index 3 is out of range");
}

TEST(GatherTest, PrepareErrorsNameWhatIsWrong) {
  GatherCase g;
  g.params_shape = {2, 3};
  g.indices_shape = {2, 2};
  g.indices = {0, 0, 0, 0};
  const std::vector<float> x(6, 1.0f);
  g.options = {2, 0};
  ExpectError(RunGather<float>(DType::kFloat32, x, g), "axis 2 is out of range for rank 2");
  g.options = {-3, 0};
  ExpectError(RunGather<float>(DType::kFloat32, x, g), "axis -3 is out of range");
  g.options = {0, 1};
  ExpectError(RunGather<float>(DType::kFloat32, x, g),
              "batch_dims 1 must be in [0, min(axis, indices rank)]");
  g.options = {1, 3};
  ExpectError(RunGather<float>(DType::kFloat32, x, g), "batch_dims 3 must be in");
  g.options = {1, 1};
  g.indices_shape = {3, 1};
  g.indices = {0, 0, 0};
  ExpectError(RunGather<float>(DType::kFloat32, x, g),
              "params and indices differ in batch dimension 0");

  GatherCase q;
  q.params_shape = {2};
  q.indices_shape = {1};
  q.indices = {0};
  q.params_quant = PerTensor(0.5f, 1);
  q.out_quant = PerTensor(0.25f, 1);
  ExpectError(RunGather<int8_t>(DType::kInt8, {1, 2}, q), "must share quantization parameters");
  q.op = BuiltinOp::kGatherNd;
  ExpectError(RunGather<int8_t>(DType::kInt8, {1, 2}, q), "must share quantization parameters");

  q.params_quant = q.out_quant = {};
  q.index_type = DType::kInt16;
  q.indices = {};
  q.indices_shape = {0};
  ExpectError(RunGather<int8_t>(DType::kInt8, {1, 2}, q),
              "indices tensor 'indices' has dtype int16, expected int32 or int64");
  q.op = BuiltinOp::kGather;
  q.index_type = DType::kInt32;
  ExpectError(RunGather<uint16_t>(DType::kUInt16, {1, 2}, q),
              "params tensor 'params' has dtype uint16");
  q.params_shape = {};
  ExpectError(RunGather<float>(DType::kFloat32, {1}, q), "axis 0 is out of range for rank 0");
}

TEST(GatherNdTest, SlicesOfA3DParams) {
  // [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]: slices (0, 1) and (1, 0).
  GatherCase g;
  g.op = BuiltinOp::kGatherNd;
  g.params_shape = {2, 2, 2};
  g.indices_shape = {2, 2};
  g.indices = {0, 1, 1, 0};
  const RunResult r = RunGather<float>(DType::kFloat32, {0, 1, 2, 3, 4, 5, 6, 7}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{2, 3, 4, 5}));
}

TEST(GatherNdTest, OneIndexPicksARowZeroPicksAll) {
  GatherCase g;
  g.op = BuiltinOp::kGatherNd;
  g.params_shape = {2, 2};
  g.indices_shape = {1, 1};
  g.indices = {1};
  RunResult r = RunGather<int32_t>(DType::kInt32, {0, 1, 2, 3}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{2, 3}));

  g.indices_shape = {2, 0};
  g.indices = {};
  r = RunGather<int32_t>(DType::kInt32, {0, 1, 2, 3}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2, 2}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{0, 1, 2, 3, 0, 1, 2, 3}));
}

// TFLite checks only where an index tuple lands in the flat params: (0, 4)
// of a [2, 3] params is flat position 4, element (1, 1).
TEST(GatherNdTest, FlatPositionCheckAsTflite) {
  GatherCase g;
  g.op = BuiltinOp::kGatherNd;
  g.params_shape = {2, 3};
  g.indices_shape = {1, 2};
  g.indices = {0, 4};
  g.indices_are_input = true;
  RunResult r = RunGather<int32_t>(DType::kInt32, {0, 1, 2, 3, 4, 5}, g);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{4}));
  g.indices = {1, 3};  // flat 6: past the end
  ExpectError(RunGather<int32_t>(DType::kInt32, {0, 1, 2, 3, 4, 5}, g),
              "gather_nd indices of slice 0 point outside params");
  g.indices = {0, -1};
  ExpectError(RunGather<int32_t>(DType::kInt32, {0, 1, 2, 3, 4, 5}, g),
              "gather_nd index -1 is negative");
  g.index_type = DType::kInt64;
  g.indices = {INT64_MAX, INT64_MAX};  // would overflow a product
  ExpectError(RunGather<int32_t>(DType::kInt32, {0, 1, 2, 3, 4, 5}, g), "point outside params");
}

TEST(GatherNdTest, PrepareErrors) {
  GatherCase g;
  g.op = BuiltinOp::kGatherNd;
  g.params_shape = {2, 3};
  g.indices_shape = {1, 3};
  g.indices = {0, 0, 0};
  const std::vector<float> x(6, 1.0f);
  ExpectError(RunGather<float>(DType::kFloat32, x, g),
              "indices address 3 dimensions but params has rank 2");
  g.indices_shape = {};
  g.indices = {0};
  ExpectError(RunGather<float>(DType::kFloat32, x, g), "params and indices must have rank >= 1");
}

// An empty params (here a SLICE of size 0) with an index to look up.
TEST(GatherNdTest, EmptyParamsWithIndicesFail) {
  ModelBuilder b;
  const int x = b.AddConstant("x", DType::kFloat32, {2, 3}, std::vector<float>(6, 1.0f));
  const int begin = b.AddConstant("begin", DType::kInt32, {2}, std::vector<int32_t>{0, 0});
  const int size = b.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{0, 3});
  const int params = b.AddTensor("params", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kSlice, {x, begin, size}, {params});
  const int i = b.AddConstant("indices", DType::kInt32, {1, 1}, std::vector<int32_t>{0});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kGatherNd, {params, i}, {out});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  ExpectError(RunModel(b.Build(), {ToBytes(std::vector<float>{0})}),
              "params is empty, indices are not");
}

}  // namespace
}  // namespace qlite
