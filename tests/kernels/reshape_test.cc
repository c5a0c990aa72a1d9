// RESHAPE reference kernel: shape from the shape tensor or the options, -1
// inference, byte copy for any dtype.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

// RESHAPE of a `type` tensor of `in_shape`; `shape_values` (if given) becomes
// a constant 1-D int32 shape input, `options` the ReshapeOptions.
template <typename T>
RunResult RunReshape(DType type, Shape in_shape, const std::vector<T>& input,
                     const std::vector<int32_t>* shape_values, ReshapeOptions options = {},
                     DType out_type = DType::kFloat32, bool out_type_set = false) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, in_shape);
  std::vector<int32_t> inputs = {in};
  if (shape_values != nullptr) {
    inputs.push_back(b.AddConstant("shape", DType::kInt32,
                                   {static_cast<int32_t>(shape_values->size())}, *shape_values));
  }
  const int out = b.AddTensor("out", out_type_set ? out_type : type, {});
  b.AddOperator(BuiltinOp::kReshape, inputs, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

TEST(ReshapeTest, ShapeTensorWithInferredDim) {
  const std::vector<int32_t> shape = {-1, 2};
  const RunResult r = RunReshape<float>(DType::kFloat32, {2, 3}, {1, 2, 3, 4, 5, 6}, &shape);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(ReshapeTest, OptionsShapeInt8) {
  ReshapeOptions options;
  options.new_shape = {4, 1, 2};
  options.has_new_shape = true;
  const std::vector<int8_t> data = {-128, -1, 0, 1, 2, 3, 4, 127};
  const RunResult r = RunReshape<int8_t>(DType::kInt8, {8}, data, nullptr, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{4, 1, 2}));
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), data);
}

TEST(ReshapeTest, ShapeTensorWinsOverOptions) {
  ReshapeOptions options;
  options.new_shape = {6};
  options.has_new_shape = true;
  const std::vector<int32_t> shape = {3, 2};
  const RunResult r = RunReshape<int32_t>(DType::kInt32, {6}, {1, 2, 3, 4, 5, 6}, &shape, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
}

TEST(ReshapeTest, LegacyZeroShapeMeansScalar) {
  ReshapeOptions options;
  options.new_shape = {0};
  options.has_new_shape = true;
  const RunResult r = RunReshape<float>(DType::kFloat32, {1, 1}, {42}, nullptr, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], Shape{});
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{42}));
}

TEST(ReshapeTest, RejectsBadShapes) {
  // 6 elements into 4.
  std::vector<int32_t> shape = {2, 2};
  RunResult r = RunReshape<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), &shape);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("4 elements"), std::string::npos) << r.status.message();

  shape = {-1, -1};
  r = RunReshape<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), &shape);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("more than one -1"), std::string::npos) << r.status.message();

  shape = {-2, -3};
  EXPECT_FALSE(
      RunReshape<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), &shape).status.ok());

  shape = {-1, 4};  // 6 is not a multiple of 4
  EXPECT_FALSE(
      RunReshape<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), &shape).status.ok());

  shape = {65536, 65536, 65536, 0};  // product overflow guard
  EXPECT_FALSE(
      RunReshape<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), &shape).status.ok());

  // Neither a shape input nor options.
  EXPECT_FALSE(
      RunReshape<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), nullptr).status.ok());

  // Output dtype differs from the input's.
  shape = {6};
  EXPECT_FALSE(RunReshape<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), &shape, {},
                                 DType::kInt32, true)
                   .status.ok());
}

// A shape input that is a model input: the output's shape is that run's.
TEST(ReshapeTest, ShapeTensorKnownOnlyAtRunTime) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {2, 3});
  const int shape = b.AddTensor("shape", DType::kInt32, {2});
  const int out = b.AddTensor("out", DType::kFloat32, {3, 2});
  b.AddOperator(BuiltinOp::kReshape, {in, shape}, {out});
  b.SetInputs({in, shape});
  b.SetOutputs({out});
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  RunResult r = RunModel(b.Build(), {ToBytes(x), ToBytes(std::vector<int32_t>{-1, 2})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), x);
  r = RunModel(b.Build(), {ToBytes(x), ToBytes(std::vector<int32_t>{6, 1})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{6, 1}));
  // Values that do not fit the input are named at invoke.
  r = RunModel(b.Build(), {ToBytes(x), ToBytes(std::vector<int32_t>{4, 2})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("new shape [4,2] has 8 elements, the input has 6"),
            std::string::npos)
      << r.status.message();
  r = RunModel(b.Build(), {ToBytes(x), ToBytes(std::vector<int32_t>{-2, -3})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("negative dimension -2"), std::string::npos)
      << r.status.message();
  r = RunModel(b.Build(), {ToBytes(x), ToBytes(std::vector<int32_t>{65536, 65536})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("too many elements"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace qlite
