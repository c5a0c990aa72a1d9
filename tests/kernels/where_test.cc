// WHERE (one input): the int64 coordinates of the true / non-zero elements,
// [count, rank], for every condition dtype; all false; ranks 1 to 5; NaN and
// -0.0; a constant condition folded at prepare; and the errors.
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

template <typename T>
RunResult RunWhere(DType type, Shape shape, const std::vector<T>& cond, bool constant = false,
                   DType out_type = DType::kInt64) {
  ModelBuilder b;
  const int in =
      constant ? b.AddConstant("cond", type, shape, cond) : b.AddTensor("cond", type, shape);
  const int out = b.AddTensor("coords", out_type, {});
  b.AddOperator(BuiltinOp::kWhere, {in}, {out});
  if (constant) {
    // A constant condition folds at prepare; the model needs an input of its own.
    b.SetInputs({b.AddTensor("unused", DType::kFloat32, {1})});
    b.SetOutputs({out});
    return RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  }
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(cond)});
}

void ExpectCoords(const RunResult& r, Shape shape, std::vector<int64_t> coords) {
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], shape);
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), coords);
}

TEST(WhereTest, BoolConditionGivesRowMajorCoordinates) {
  ExpectCoords(RunWhere<uint8_t>(DType::kBool, {2, 3}, {1, 0, 1, 0, 0, 1}), {3, 2},
               {0, 0, 0, 2, 1, 2});
  // A bool byte other than 0 or 1 (hostile input) counts as true.
  ExpectCoords(RunWhere<uint8_t>(DType::kBool, {3}, {0, 2, 255}), {2, 1}, {1, 2});
}

TEST(WhereTest, AllFalseGivesZeroRows) {
  ExpectCoords(RunWhere<uint8_t>(DType::kBool, {2, 2}, {0, 0, 0, 0}), {0, 2}, {});
  ExpectCoords(RunWhere<float>(DType::kFloat32, {3}, {0.0f, -0.0f, 0.0f}), {0, 1}, {});
}

TEST(WhereTest, FloatNaNAndInfinityAreNonZero) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  ExpectCoords(RunWhere<float>(DType::kFloat32, {6}, {0.0f, -0.0f, nan, 2.5f, -inf, 1e-45f}),
               {4, 1}, {2, 3, 4, 5});
}

TEST(WhereTest, EveryIntegerDtype) {
  ExpectCoords(RunWhere<int8_t>(DType::kInt8, {2, 2}, {-128, 0, 0, 1}), {2, 2}, {0, 0, 1, 1});
  ExpectCoords(RunWhere<uint8_t>(DType::kUInt8, {3}, {0, 255, 0}), {1, 1}, {1});
  ExpectCoords(RunWhere<int32_t>(DType::kInt32, {1, 3}, {0, INT32_MIN, 7}), {2, 2}, {0, 1, 0, 2});
  ExpectCoords(RunWhere<int64_t>(DType::kInt64, {2}, {int64_t{1} << 40, 0}), {1, 1}, {0});
}

TEST(WhereTest, RanksOneToFive) {
  ExpectCoords(RunWhere<uint8_t>(DType::kBool, {1}, {1}), {1, 1}, {0});
  ExpectCoords(RunWhere<uint8_t>(DType::kBool, {2, 1, 2}, {0, 1, 1, 0}), {2, 3},
               {0, 0, 1, 1, 0, 0});
  ExpectCoords(RunWhere<uint8_t>(DType::kBool, {1, 2, 1, 2}, {0, 0, 0, 1}), {1, 4}, {0, 1, 0, 1});
  ExpectCoords(RunWhere<int32_t>(DType::kInt32, {1, 1, 2, 1, 2}, {0, 3, -1, 0}), {2, 5},
               {0, 0, 0, 0, 1, 0, 0, 1, 0, 0});
}

TEST(WhereTest, ConstantConditionIsFoldedAtPrepare) {
  ExpectCoords(RunWhere<uint8_t>(DType::kBool, {3}, {0, 1, 1}, true), {2, 1}, {1, 2});
}

TEST(WhereTest, ErrorsNameWhatIsWrong) {
  const auto expect_error = [](const RunResult& r, const std::string& text) {
    ASSERT_FALSE(r.status.ok());
    EXPECT_NE(r.status.message().find(text), std::string::npos) << r.status.message();
  };
  // TFLite refuses a scalar condition too.
  expect_error(RunWhere<uint8_t>(DType::kBool, {}, {1}), "must have rank 1 to 8");
  expect_error(RunWhere<int16_t>(DType::kInt16, {2}, {1, 0}),
               "condition tensor 'cond' has dtype int16");
  expect_error(RunWhere<uint8_t>(DType::kBool, {2}, {1, 0}, false, DType::kInt32),
               "output tensor 'coords' has dtype int32");
}

}  // namespace
}  // namespace qlite
