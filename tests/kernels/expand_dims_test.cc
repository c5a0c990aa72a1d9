// EXPAND_DIMS reference kernel: every axis of a 2-D input (negative too),
// int64 axis, a dtype sweep, and the errors it reports.
#include <gtest/gtest.h>

#include <cstdint>
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

template <typename T>
RunResult RunExpandDims(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                        int32_t axis, DType axis_type = DType::kInt32) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape);
  const int ax = axis_type == DType::kInt32
                     ? b.AddConstant("axis", axis_type, {1}, std::vector<int32_t>{axis})
                     : b.AddConstant("axis", axis_type, {1}, std::vector<int64_t>{axis});
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kExpandDims, {in, ax}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

TEST(ExpandDimsTest, EveryAxisOfA2DInput) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  struct Case {
    int32_t axis;
    Shape shape;
  };
  for (const Case& c : {Case{0, {1, 2, 3}}, Case{1, {2, 1, 3}}, Case{2, {2, 3, 1}},
                        Case{-1, {2, 3, 1}}, Case{-2, {2, 1, 3}}, Case{-3, {1, 2, 3}}}) {
    SCOPED_TRACE(c.axis);
    const RunResult r = RunExpandDims<float>(DType::kFloat32, {2, 3}, x, c.axis);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], c.shape);
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), x);
  }
}

TEST(ExpandDimsTest, DtypesAndInt64Axis) {
  RunResult r = RunExpandDims<int8_t>(DType::kInt8, {2}, {-1, 2}, 0, DType::kInt64);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2}));
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-1, 2}));
  r = RunExpandDims<int64_t>(DType::kInt64, {}, {int64_t{1} << 40}, -1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1}));
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{int64_t{1} << 40}));
  r = RunExpandDims<uint8_t>(DType::kBool, {2}, {1, 0}, 1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 1}));
}

TEST(ExpandDimsTest, OutOfRangeAxisIsAnError) {
  for (int32_t axis : {3, -4}) {
    const RunResult r = RunExpandDims<float>(DType::kFloat32, {2, 3}, {1, 2, 3, 4, 5, 6}, axis);
    ASSERT_FALSE(r.status.ok());
    EXPECT_NE(r.status.message().find("axis " + std::to_string(axis) +
                                      " is out of range for an input of rank 2"),
              std::string::npos)
        << r.status.message();
  }
}

}  // namespace
}  // namespace qlite
