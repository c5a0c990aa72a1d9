// ARG_MAX and ARG_MIN reference kernel: inner and outer axes (negative too),
// int32 and int64 axis tensors and indices, ties (the first index), NaN as
// TFLite's strict comparison takes it, every input dtype, an empty axis,
// folding, and the errors prepare must report.
#include <gtest/gtest.h>

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

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

struct ArgCase {
  BuiltinOp op = BuiltinOp::kArgMax;
  DType type = DType::kFloat32;
  Shape shape;
  int64_t axis = 0;
  DType axis_type = DType::kInt32;
  Shape axis_shape = {1};
  DType index_type = DType::kInt32;
  DType out_type = DType::kInt32;
  bool constant_input = false;
};

template <typename T>
RunResult RunArg(const ArgCase& c, const std::vector<T>& input) {
  ModelBuilder b;
  const int in = c.constant_input ? b.AddConstant("in", c.type, c.shape, input)
                                  : b.AddTensor("in", c.type, c.shape);
  const int64_t n = ShapeElementCount(c.axis_shape);
  const int axis =
      c.axis_type == DType::kInt64
          ? b.AddConstant("axis", c.axis_type, c.axis_shape, std::vector<int64_t>(n, c.axis))
          : b.AddConstant("axis", c.axis_type, c.axis_shape,
                          std::vector<int32_t>(n, static_cast<int32_t>(c.axis)));
  const int out = b.AddTensor("out", c.out_type, {});
  ArgMinMaxOptions options;
  options.output_type = static_cast<uint8_t>(c.index_type);
  b.AddOperator(c.op, {in, axis}, {out}, options);
  if (c.constant_input) {
    b.SetInputs({b.AddTensor("unused", DType::kFloat32, {1})});
  } else {
    b.SetInputs({in});
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), {c.constant_input ? ToBytes(std::vector<float>{0}) : ToBytes(input)});
}

template <typename I = int32_t, typename T>
std::vector<I> Indices(const ArgCase& c, const std::vector<T>& input, Shape* shape = nullptr) {
  const RunResult r = RunArg(c, input);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  if (shape != nullptr) *shape = r.shapes[0];
  return FromBytes<I>(r.outputs[0]);
}

template <typename T>
std::string ArgError(const ArgCase& c, const std::vector<T>& input) {
  const RunResult r = RunArg(c, input);
  EXPECT_FALSE(r.status.ok());
  return r.status.message();
}

// [[1, 3, 3], [5, 0, 5]]
const std::vector<float> k2x3 = {1, 3, 3, 5, 0, 5};

TEST(ArgMinMaxTest, InnerAxisTiesGiveTheFirstIndex) {
  ArgCase c;
  c.shape = {2, 3};
  c.axis = 1;
  Shape shape;
  EXPECT_EQ(Indices(c, k2x3, &shape), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(shape, (Shape{2}));
  c.op = BuiltinOp::kArgMin;
  EXPECT_EQ(Indices(c, k2x3), (std::vector<int32_t>{0, 1}));
}

TEST(ArgMinMaxTest, OuterNegativeAxisInt64AxisAndIndices) {
  // Columns (1, 5), (3, 0), (3, 5).
  ArgCase c;
  c.shape = {2, 3};
  c.axis = -2;
  c.axis_type = DType::kInt64;
  c.index_type = c.out_type = DType::kInt64;
  Shape shape;
  EXPECT_EQ(Indices<int64_t>(c, k2x3, &shape), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(shape, (Shape{3}));
  c.op = BuiltinOp::kArgMin;
  c.axis_shape = {};  // a scalar axis holds one value too
  EXPECT_EQ(Indices<int64_t>(c, k2x3), (std::vector<int64_t>{0, 1, 0}));
}

TEST(ArgMinMaxTest, NaNFirstStaysLaterNaNIsSkipped) {
  ArgCase c;
  c.shape = {3, 3};
  c.axis = 1;
  const std::vector<float> x = {kNaN, 5, 7, 1, kNaN, 7, 1, kNaN, 0};
  EXPECT_EQ(Indices(c, x), (std::vector<int32_t>{0, 2, 0}));
  c.op = BuiltinOp::kArgMin;
  EXPECT_EQ(Indices(c, x), (std::vector<int32_t>{0, 0, 2}));
}

TEST(ArgMinMaxTest, EveryInputDtype) {
  ArgCase c;
  c.shape = {3};
  Shape shape;
  c.type = DType::kUInt8;
  EXPECT_EQ((Indices<int32_t, uint8_t>(c, {200, 10, 255}, &shape)), (std::vector<int32_t>{2}));
  EXPECT_EQ(shape, (Shape{}));
  c.type = DType::kInt8;
  EXPECT_EQ((Indices<int32_t, int8_t>(c, {-128, 127, 127})), (std::vector<int32_t>{1}));
  c.type = DType::kInt32;
  EXPECT_EQ((Indices<int32_t, int32_t>(c, {-5, -2147483647 - 1, 9})), (std::vector<int32_t>{2}));
  c.type = DType::kBool;
  EXPECT_EQ((Indices<int32_t, uint8_t>(c, {0, 1, 1})), (std::vector<int32_t>{1}));
  c.op = BuiltinOp::kArgMin;
  EXPECT_EQ((Indices<int32_t, uint8_t>(c, {1, 0, 0})), (std::vector<int32_t>{1}));
  c.type = DType::kInt32;
  EXPECT_EQ((Indices<int32_t, int32_t>(c, {-5, -2147483647 - 1, 9})), (std::vector<int32_t>{1}));
}

TEST(ArgMinMaxTest, EmptyAxisGivesZeroAndConstantInputFolds) {
  // An empty input can only be a constant (folded) tensor.
  ArgCase c;
  c.shape = {2, 0};
  c.axis = 1;
  c.constant_input = true;
  EXPECT_EQ((Indices<int32_t, float>(c, {})), (std::vector<int32_t>{0, 0}));
  c.shape = {2, 3};
  EXPECT_EQ(Indices(c, k2x3), (std::vector<int32_t>{1, 0}));
}

TEST(ArgMinMaxTest, ErrorsNameWhatIsWrong) {
  ArgCase c;
  c.shape = {2, 3};
  c.axis = 2;
  EXPECT_NE(ArgError(c, k2x3).find("axis 2 is out of range"), std::string::npos);
  c.axis = 0;
  c.axis_shape = {2};
  EXPECT_NE(ArgError(c, k2x3).find("axis must hold one value"), std::string::npos);
  c.axis_shape = {1};
  c.index_type = DType::kFloat32;  // the schema's default output_type
  EXPECT_NE(ArgError(c, k2x3).find("output_type must be int32 or int64"), std::string::npos);
  c.index_type = DType::kInt64;  // declared int64, output tensor int32
  EXPECT_NE(ArgError(c, k2x3).find("output tensor"), std::string::npos);
  c.index_type = DType::kInt32;
  c.type = DType::kInt16;
  EXPECT_NE(ArgError<int16_t>(c, {1, 2, 3, 4, 5, 6}).find("int16"), std::string::npos);
  c.type = DType::kFloat32;
  c.shape = {};
  EXPECT_NE(ArgError<float>(c, {1}).find("rank >= 1"), std::string::npos);
}

}  // namespace
}  // namespace qlite
