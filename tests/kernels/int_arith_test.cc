// ADD, SUB and MUL on int32 and int64 (shape arithmetic in converter-made
// models): hand-checked values, broadcasting, wrap-around and the fused
// activations' integer ranges.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
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
std::vector<T> RunInt(BuiltinOp op, DType type, Shape a_shape, const std::vector<T>& a,
                      Shape b_shape, const std::vector<T>& b,
                      Activation activation = Activation::kNone) {
  ModelBuilder builder;
  const int x = builder.AddTensor("a", type, a_shape);
  const int y = builder.AddTensor("b", type, b_shape);
  const int out = builder.AddTensor("out", type, {});
  ElementwiseOptions options;
  options.activation = activation;
  builder.AddOperator(op, {x, y}, {out}, options);
  builder.SetInputs({x, y});
  builder.SetOutputs({out});
  const RunResult r = RunModel(builder.Build(), {ToBytes(a), ToBytes(b)});
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.status.ok() ? FromBytes<T>(r.outputs[0]) : std::vector<T>{};
}

TEST(IntArithTest, Int32AddBroadcastsARow) {
  // [2, 3] + [3]: each row plus (10, 20, 30).
  EXPECT_EQ(RunInt<int32_t>(BuiltinOp::kAdd, DType::kInt32, {2, 3}, {1, 2, 3, -4, -5, -6}, {3},
                            {10, 20, 30}),
            (std::vector<int32_t>{11, 22, 33, 6, 15, 24}));
}

TEST(IntArithTest, Int32WrapsAroundLikeTflite) {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(RunInt<int32_t>(BuiltinOp::kAdd, DType::kInt32, {2}, {kMax, kMin}, {2}, {1, -1}),
            (std::vector<int32_t>{kMin, kMax}));
  EXPECT_EQ(RunInt<int32_t>(BuiltinOp::kSub, DType::kInt32, {1}, {kMin}, {1}, {1}),
            (std::vector<int32_t>{kMax}));
  // 65536 * 65536 = 2^32 wraps to 0; 65536 * 32768 = 2^31 wraps to INT32_MIN.
  EXPECT_EQ(
      RunInt<int32_t>(BuiltinOp::kMul, DType::kInt32, {2}, {65536, 65536}, {2}, {65536, 32768}),
      (std::vector<int32_t>{0, kMin}));
}

TEST(IntArithTest, Int64SubAndMul) {
  EXPECT_EQ(
      RunInt<int64_t>(BuiltinOp::kSub, DType::kInt64, {3}, {5, 0, int64_t{1} << 40}, {1}, {7}),
      (std::vector<int64_t>{-2, -7, (int64_t{1} << 40) - 7}));
  EXPECT_EQ(RunInt<int64_t>(BuiltinOp::kMul, DType::kInt64, {2}, {int64_t{1} << 40, -3}, {2},
                            {1 << 20, 5}),
            (std::vector<int64_t>{int64_t{1} << 60, -15}));
}

TEST(IntArithTest, FusedActivationsClampToTheirIntegerRange) {
  // 3 * x for x = -2, 1, 3: -6, 3, 9. RELU6 -> 0, 3, 6; RELU_N1_TO_1 -> -1, 1, 1.
  EXPECT_EQ(RunInt<int32_t>(BuiltinOp::kMul, DType::kInt32, {3}, {-2, 1, 3}, {1}, {3},
                            Activation::kRelu6),
            (std::vector<int32_t>{0, 3, 6}));
  EXPECT_EQ(RunInt<int64_t>(BuiltinOp::kAdd, DType::kInt64, {3}, {-8, -2, 0}, {1}, {2},
                            Activation::kReluN1To1),
            (std::vector<int64_t>{-1, 0, 1}));
  EXPECT_EQ(
      RunInt<int32_t>(BuiltinOp::kSub, DType::kInt32, {2}, {1, 9}, {1}, {4}, Activation::kRelu),
      (std::vector<int32_t>{0, 5}));
}

TEST(IntArithTest, MixedIntegerTypesAreRefused) {
  ModelBuilder builder;
  const int x = builder.AddTensor("a", DType::kInt32, {2});
  const int y = builder.AddTensor("b", DType::kInt64, {2});
  const int out = builder.AddTensor("out", DType::kInt32, {});
  builder.AddOperator(BuiltinOp::kAdd, {x, y}, {out}, ElementwiseOptions{});
  builder.SetInputs({x, y});
  builder.SetOutputs({out});
  const RunResult r = RunModel(
      builder.Build(), {ToBytes(std::vector<int32_t>{1, 2}), ToBytes(std::vector<int64_t>{1, 2})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("int64"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace qlite
