// SCATTER_ND reference kernel: TensorFlow's documented example, slices,
// duplicate indices adding up (integers wrap, bool ORs, inf + -inf = NaN),
// TFLite's flat-position index check, indices fed at run time, empty
// indices, and the errors it reports.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct ScatterCase {
  Shape indices_shape;
  std::vector<int32_t> indices;
  Shape updates_shape;
  std::vector<int32_t> shape;
  bool indices_are_input = false;
  bool shape_is_input = false;
  DType index_type = DType::kInt32;
};

template <typename T>
RunResult RunScatter(DType type, const std::vector<T>& updates, const ScatterCase& c) {
  ModelBuilder b;
  const int i = c.indices_are_input
                    ? b.AddTensor("indices", c.index_type, c.indices_shape)
                    : b.AddConstant("indices", c.index_type, c.indices_shape, c.indices);
  const int u = b.AddTensor("updates", type, c.updates_shape);
  const Shape shape_shape = {static_cast<int32_t>(c.shape.size())};
  const int s = c.shape_is_input ? b.AddTensor("shape", DType::kInt32, shape_shape)
                                 : b.AddConstant("shape", DType::kInt32, shape_shape, c.shape);
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kScatterNd, {i, u, s}, {out});
  std::vector<int32_t> inputs = {u};
  std::vector<std::vector<uint8_t>> data = {ToBytes(updates)};
  if (c.indices_are_input) {
    inputs.push_back(i);
    data.push_back(ToBytes(c.indices));
  }
  if (c.shape_is_input) {
    inputs.push_back(s);
    data.push_back(ToBytes(c.shape));
  }
  b.SetInputs(inputs);
  b.SetOutputs({out});
  return RunModel(b.Build(), data);
}

void ExpectError(const RunResult& r, const std::string& message) {
  ASSERT_FALSE(r.status.ok()) << "expected: " << message;
  EXPECT_NE(r.status.message().find(message), std::string::npos) << r.status.message();
}

TEST(ScatterNdTest, ElementsOfAVector) {
  // tf.scatter_nd's example: [0, 11, 0, 10, 9, 0, 0, 12].
  const RunResult r =
      RunScatter<float>(DType::kFloat32, {9, 10, 11, 12}, {{4, 1}, {4, 3, 1, 7}, {4}, {8}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{8}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 11, 0, 10, 9, 0, 0, 12}));
}

TEST(ScatterNdTest, RowsOfAMatrix) {
  // Rows 2 and 0 of a [3, 2] zero matrix get [1, 2] and [3, 4].
  const RunResult r =
      RunScatter<int64_t>(DType::kInt64, {1, 2, 3, 4}, {{2, 1}, {2, 0}, {2, 2}, {3, 2}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{3, 4, 0, 0, 1, 2}));
}

TEST(ScatterNdTest, DuplicateIndicesAddUp) {
  const ScatterCase twice_at_1 = {{3, 1}, {1, 1, 0}, {3}, {3}};
  RunResult r = RunScatter<int32_t>(DType::kInt32, {5, 7, 1}, twice_at_1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{1, 12, 0}));
  // Integers wrap around: INT32_MAX + 1, 100 + 100 in int8, 200 + 100 in uint8.
  r = RunScatter<int32_t>(DType::kInt32, {std::numeric_limits<int32_t>::max(), 1, 0}, twice_at_1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]),
            (std::vector<int32_t>{0, std::numeric_limits<int32_t>::min(), 0}));
  r = RunScatter<int8_t>(DType::kInt8, {100, 100, -128}, twice_at_1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-128, -56, 0}));
  r = RunScatter<uint8_t>(DType::kUInt8, {200, 100, 255}, twice_at_1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{255, 44, 0}));
  // bool: true + true stays true (1).
  r = RunScatter<uint8_t>(DType::kBool, {1, 1, 0}, twice_at_1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{0, 1, 0}));
  // float: inf + -inf is NaN; 2e38 + 2e38 overflows to inf.
  const float inf = std::numeric_limits<float>::infinity();
  r = RunScatter<float>(DType::kFloat32, {inf, -inf, 1e38f}, twice_at_1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const std::vector<float> out = FromBytes<float>(r.outputs[0]);
  EXPECT_EQ(out[0], 1e38f);
  EXPECT_TRUE(std::isnan(out[1]));
  r = RunScatter<float>(DType::kFloat32, {2e38f, 2e38f, 3e38f}, twice_at_1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0])[1], inf);
}

TEST(ScatterNdTest, IndicesAreCheckedByTheirFlatPosition) {
  // Output [2, 3]: (0, 4) is flat position 4 = (1, 1), and (1, -1) is
  // position 2 = (0, 2), as TFLite computes them; (2, 0) = 6 and (-1, 0) fail.
  ScatterCase c = {{2, 2}, {0, 4, 1, -1}, {2}, {2, 3}, true};
  RunResult r = RunScatter<float>(DType::kFloat32, {9, 8}, c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 0, 8, 0, 9, 0}));
  c.indices = {0, 0, 2, 0};
  ExpectError(RunScatter<float>(DType::kFloat32, {9, 8}, c),
              "scatter_nd indices of slice 1 point outside the output");
  c.indices = {-1, 0, 0, 0};
  ExpectError(RunScatter<float>(DType::kFloat32, {9, 8}, c),
              "scatter_nd indices of slice 0 point outside the output");
  // A row slice of [2, 3] at row 1 ends at 6; row 2 would end at 9.
  c = {{1, 1}, {2}, {1, 3}, {2, 3}, true};
  ExpectError(RunScatter<float>(DType::kFloat32, {1, 2, 3}, c), "point outside the output");
  c.indices = {1};
  r = RunScatter<float>(DType::kFloat32, {1, 2, 3}, c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 0, 0, 1, 2, 3}));
}

TEST(ScatterNdTest, EmptyIndicesGiveZeros) {
  // Model inputs cannot be empty: all three inputs are constants, the node folds.
  ModelBuilder b;
  const int i = b.AddConstant("indices", DType::kInt32, {0, 1}, std::vector<int32_t>{});
  const int u = b.AddConstant("updates", DType::kInt32, {0}, std::vector<int32_t>{});
  const int s = b.AddConstant("shape", DType::kInt32, {1}, std::vector<int32_t>{3});
  const int out = b.AddTensor("out", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kScatterNd, {i, u, s}, {out});
  const int unused = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({unused});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{0, 0, 0}));
}

TEST(ScatterNdTest, ErrorsNameWhatIsWrong) {
  ScatterCase c = {{1, 1}, {0}, {1}, {3}};
  c.shape_is_input = true;
  c.shape = {-3};
  ExpectError(RunScatter<float>(DType::kFloat32, {1}, c), "shape [-3] has a negative size");
  c.shape = {3, 2};  // updates [1] would need shape [3]
  ExpectError(RunScatter<float>(DType::kFloat32, {1}, c),
              "updates shape [1] does not match indices [1,1] and output shape [3,2]");
  c.shape = {3};
  c.shape_is_input = false;
  ExpectError(RunScatter<int16_t>(DType::kInt16, {1}, c), "updates");
  c.index_type = DType::kInt64;
  c.indices_are_input = true;
  ExpectError(RunScatter<float>(DType::kFloat32, {1}, c), "indices");
  // updates must be indices[:-1] + shape[nd:]: [2] does not fit one index.
  ExpectError(RunScatter<float>(DType::kFloat32, {1, 2}, {{1, 1}, {0}, {2}, {3}}),
              "does not match indices");
  ExpectError(RunScatter<float>(DType::kFloat32, {1}, {{1, 2}, {0, 0}, {1}, {3}}),
              "does not match indices");
  ExpectError(RunScatter<float>(DType::kFloat32, {1}, {{1, 1}, {0}, {1}, {-3}}),
              "has a negative size");
}

}  // namespace
}  // namespace qlite
