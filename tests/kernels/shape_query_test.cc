// SHAPE, RANK and RANGE reference kernels: shapes of inputs fed at run time
// and of scalars, both SHAPE output dtypes, RANGE counting up and down in
// every dtype (float sums accumulated as TFLite does, integer extremes), and
// the errors they report, RANGE's non-constant inputs included.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/kernels/shape_query.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

void ExpectError(const RunResult& r, const std::string& message) {
  ASSERT_FALSE(r.status.ok()) << "expected: " << message;
  EXPECT_NE(r.status.message().find(message), std::string::npos) << r.status.message();
}

// SHAPE or RANK of a float input of `shape` fed at run time.
RunResult RunShapeOp(BuiltinOp op, Shape shape, DType out_type, OpOptions options = {}) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, shape);
  const int out = b.AddTensor("out", out_type, {});
  b.AddOperator(op, {in}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return RunModel(b.Build(), {ToBytes(std::vector<float>(static_cast<size_t>(n), 1.0f))});
}

ShapeOptions OutType(DType type) { return ShapeOptions{static_cast<uint8_t>(type)}; }

TEST(ShapeTest, ShapeOfAnInputFedAtRunTime) {
  RunResult r = RunShapeOp(BuiltinOp::kShape, {2, 3, 4}, DType::kInt32, OutType(DType::kInt32));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{2, 3, 4}));

  r = RunShapeOp(BuiltinOp::kShape, {5, 1}, DType::kInt64, OutType(DType::kInt64));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{5, 1}));

  r = RunShapeOp(BuiltinOp::kShape, {}, DType::kInt32, OutType(DType::kInt32));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0}));
  EXPECT_TRUE(r.outputs[0].empty());
}

TEST(ShapeTest, OutTypeErrors) {
  // No options: the schema's default out_type, float32, as TFLite rejects.
  ExpectError(RunShapeOp(BuiltinOp::kShape, {2}, DType::kInt32),
              "out_type differs from the output dtype");
  ExpectError(RunShapeOp(BuiltinOp::kShape, {2}, DType::kInt32, OutType(DType::kInt64)),
              "out_type differs from the output dtype");
  ExpectError(RunShapeOp(BuiltinOp::kShape, {2}, DType::kInt16, OutType(DType::kInt16)),
              "output tensor 'out' has dtype int16, expected int32 or int64");
}

TEST(RankTest, RankIsAnInt32Scalar) {
  RunResult r = RunShapeOp(BuiltinOp::kRank, {2, 3, 4}, DType::kInt32);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{3}));
  r = RunShapeOp(BuiltinOp::kRank, {}, DType::kInt32);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{0}));
  ExpectError(RunShapeOp(BuiltinOp::kRank, {2}, DType::kInt64),
              "output tensor 'out' has dtype int64, expected int32");
}

// RANGE of constant scalars (folded at prepare); `start_is_input` feeds start
// at run time instead, `start_shape` makes it a tensor of one element.
template <typename T>
RunResult RunRange(DType type, T start, T limit, T delta, bool start_is_input = false,
                   DType limit_type = DType::kFloat32, Shape start_shape = {}) {
  if (limit_type == DType::kFloat32) limit_type = type;
  ModelBuilder b;
  const int s = start_is_input ? b.AddTensor("start", type, {})
                               : b.AddConstant("start", type, start_shape, std::vector<T>{start});
  const int l = limit_type == type
                    ? b.AddConstant("limit", type, {}, std::vector<T>{limit})
                    : b.AddConstant("limit", limit_type, {}, std::vector<int64_t>{0});
  const int d = b.AddConstant("delta", type, {}, std::vector<T>{delta});
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kRange, {s, l, d}, {out});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({start_is_input ? s : dummy});
  b.SetOutputs({out});
  return RunModel(b.Build(), {start_is_input ? ToBytes(std::vector<T>{start})
                                             : ToBytes(std::vector<float>{0})});
}

TEST(RangeTest, IntegersUpDownAndEmpty) {
  RunResult r = RunRange<int32_t>(DType::kInt32, 0, 5, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{0, 2, 4}));
  r = RunRange<int64_t>(DType::kInt64, 10, 3, -3);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{10, 7, 4}));
  r = RunRange<int32_t>(DType::kInt32, 5, 5, 1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0}));
  r = RunRange<int32_t>(DType::kInt32, 5, 5, -1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0}));
}

TEST(RangeTest, IntegerExtremesDoNotOverflow) {
  constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();
  // 2^32 - 1 apart in steps of 2^30: 4 values.
  RunResult r = RunRange<int32_t>(DType::kInt32, kMin32, kMax32, 1 << 30);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]),
            (std::vector<int32_t>{kMin32, -(1 << 30), 0, 1 << 30}));
  constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
  r = RunRange<int64_t>(DType::kInt64, kMax64 - 2, kMax64, 1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{kMax64 - 2, kMax64 - 1}));
  // From INT64_MAX down to INT64_MIN in steps of -INT64_MAX: 3 values.
  r = RunRange<int64_t>(DType::kInt64, kMax64, std::numeric_limits<int64_t>::min(), -kMax64);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{kMax64, 0, -kMax64}));
  ExpectError(RunRange<int64_t>(DType::kInt64, 0, kMax64, 1), "RANGE output is too long");
}

// Ten steps of 0.1f summed in float: 0.70000005f, 0.8000001f, 0.9000001f at
// the end, where 7 * 0.1f would give 0.7f.
TEST(RangeTest, FloatStepsAreAccumulated) {
  RunResult r = RunRange<float>(DType::kFloat32, 0.0f, 1.0f, 0.1f);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  ASSERT_EQ(r.shapes[0], (Shape{10}));
  const std::vector<float> v = FromBytes<float>(r.outputs[0]);
  EXPECT_EQ(v[0], 0.0f);
  EXPECT_EQ(v[1], 0.1f);
  EXPECT_EQ(v[7], 0.70000005f);
  EXPECT_EQ(v[9], 0.9000001f);
  r = RunRange<float>(DType::kFloat32, 1.0f, -0.5f, -0.5f);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1.0f, 0.5f, 0.0f}));
}

TEST(RangeTest, ErrorsNameWhatIsWrong) {
  ExpectError(RunRange<int32_t>(DType::kInt32, 0, 5, 0),
              "RANGE delta is zero or points away from limit");
  ExpectError(RunRange<int32_t>(DType::kInt32, 0, 5, -1), "points away from limit");
  ExpectError(RunRange<float>(DType::kFloat32, 0.0f, std::numeric_limits<float>::quiet_NaN(), 1.0f),
              "points away from limit");
  ExpectError(RunRange<float>(DType::kFloat32, 0.0f, std::numeric_limits<float>::infinity(), 1.0f),
              "RANGE output is too long");
  ExpectError(RunRange<int32_t>(DType::kInt32, 6, 5, 1, true), "points away from limit");
  ExpectError(RunRange<int32_t>(DType::kInt32, 0, 5, 1, false, DType::kInt64),
              "start, limit and delta must be scalars of one dtype");
  ExpectError(RunRange<int16_t>(DType::kInt16, 0, 5, 1),
              "start tensor 'start' has dtype int16, expected float32 or int32 or int64");
}

TEST(RangeTest, NonScalarInputIsRejected) {
  ExpectError(RunRange<int32_t>(DType::kInt32, 0, 3, 1, false, DType::kInt32, {1}),
              "start, limit and delta must be scalars of one dtype");
}

}  // namespace
}  // namespace qlite
