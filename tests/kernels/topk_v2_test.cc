// TOPK_V2 reference kernel: the k largest values per row with their
// positions, ties (lower position first, -0 equal to 0), NaN and infinities,
// integer extremes of every dtype, k = 0 and k = row length, a folded
// constant input, and the prepare errors (run-time k among them).
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

struct TopKCase {
  int32_t k = 1;
  bool k_is_input = false;
  bool constant_input = false;
  DType indices_type = DType::kInt32;
};

template <typename T>
RunResult RunTopK(DType type, Shape shape, const std::vector<T>& input, const TopKCase& c) {
  ModelBuilder b;
  const int in =
      c.constant_input ? b.AddConstant("in", type, shape, input) : b.AddTensor("in", type, shape);
  const int k = c.k_is_input ? b.AddTensor("k", DType::kInt32, {})
                             : b.AddConstant("k", DType::kInt32, {}, std::vector<int32_t>{c.k});
  const int values = b.AddTensor("values", type, {});
  const int indices = b.AddTensor("indices", c.indices_type, {});
  b.AddOperator(BuiltinOp::kTopkV2, {in, k}, {values, indices});
  std::vector<int32_t> inputs;
  std::vector<std::vector<uint8_t>> data;
  if (!c.constant_input) {
    inputs.push_back(in);
    data.push_back(ToBytes(input));
  }
  if (c.k_is_input) {
    inputs.push_back(k);
    data.push_back(ToBytes(std::vector<int32_t>{c.k}));
  }
  if (inputs.empty()) {
    // A constant input folds at prepare; the model needs one input of its own.
    inputs.push_back(b.AddTensor("unused", DType::kFloat32, {1}));
    data.push_back(ToBytes(std::vector<float>{0}));
  }
  b.SetInputs(inputs);
  b.SetOutputs({values, indices});
  return RunModel(b.Build(), data);
}

void ExpectError(const RunResult& r, const std::string& message) {
  ASSERT_FALSE(r.status.ok()) << "expected: " << message;
  EXPECT_NE(r.status.message().find(message), std::string::npos) << r.status.message();
}

TEST(TopKV2Test, LargestOfEachRowFirst) {
  // [[3, 1, 4, 1, 5], [9, 2, 6, 5, 3]], k = 2.
  const RunResult r = RunTopK<float>(DType::kFloat32, {2, 5}, {3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, {2});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
  EXPECT_EQ(r.shapes[1], (Shape{2, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{5, 4, 9, 6}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{4, 2, 0, 2}));
}

TEST(TopKV2Test, TiesKeepTheLowerPositionFirst) {
  // tf.math.top_k's documented example: indices [0, 1, 3].
  RunResult r =
      RunTopK<int32_t>(DType::kInt32, {14}, {1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0}, {3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{1, 1, 1}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{0, 1, 3}));
  // -0 equals 0: positions in order, each value as stored.
  r = RunTopK<float>(DType::kFloat32, {3}, {0.0f, -0.0f, -1}, {3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{0, 1, 2}));
  EXPECT_TRUE(std::signbit(FromBytes<float>(r.outputs[0])[1]));
  r = RunTopK<float>(DType::kFloat32, {3}, {-0.0f, 0.0f, -1}, {1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{0}));
}

TEST(TopKV2Test, InfinitiesAndNaN) {
  const float inf = std::numeric_limits<float>::infinity();
  const RunResult r =
      RunTopK<float>(DType::kFloat32, {5}, {std::nanf(""), 1, inf, -inf, std::nanf("")}, {5});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // NaN ranks below -inf; two NaNs keep their order.
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{2, 1, 3, 0, 4}));
  const std::vector<float> v = FromBytes<float>(r.outputs[0]);
  EXPECT_EQ(v[0], inf);
  EXPECT_EQ(v[2], -inf);
  EXPECT_TRUE(std::isnan(v[3]) && std::isnan(v[4]));
}

TEST(TopKV2Test, IntegerExtremesOfEveryDtype) {
  RunResult r = RunTopK<int64_t>(
      DType::kInt64, {3},
      {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 0}, {2});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::max(), 0}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{1, 2}));
  r = RunTopK<uint8_t>(DType::kUInt8, {3}, {0, 255, 128}, {3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{255, 128, 0}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{1, 2, 0}));
  r = RunTopK<int8_t>(DType::kInt8, {2, 2}, {-128, 127, -1, -128}, {1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{127, -1}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{1, 0}));
}

TEST(TopKV2Test, ZeroKAndAFoldedConstantInput) {
  RunResult r = RunTopK<int32_t>(DType::kInt32, {2, 3}, {1, 2, 3, 4, 5, 6}, {0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 0}));
  EXPECT_TRUE(r.outputs[1].empty());
  TopKCase folded = {2};
  folded.constant_input = true;
  r = RunTopK<int32_t>(DType::kInt32, {2, 3}, {1, 2, 3, 6, 5, 4}, folded);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{3, 2, 6, 5}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{2, 1, 0, 1}));
}

// k as a model input: both outputs take its value's size at run time.
TEST(TopKV2Test, KKnownOnlyAtRunTime) {
  TopKCase c = {2};
  c.k_is_input = true;
  RunResult r = RunTopK<float>(DType::kFloat32, {2, 3}, {1, 9, 5, 7, 3, 8}, c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
  EXPECT_EQ(r.shapes[1], (Shape{2, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{9, 5, 8, 7}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{1, 2, 2, 0}));
  c.k = 0;
  r = RunTopK<float>(DType::kFloat32, {2, 3}, {1, 9, 5, 7, 3, 8}, c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 0}));
  EXPECT_TRUE(r.outputs[0].empty());
}

TEST(TopKV2Test, ErrorsNameWhatIsWrong) {
  const std::vector<float> x = {1, 2, 3};
  TopKCase c = {4};
  c.k_is_input = true;  // checked at invoke, with the same message
  ExpectError(RunTopK<float>(DType::kFloat32, {3}, x, c), "k = 4 is outside [0, 3]");
  ExpectError(RunTopK<float>(DType::kFloat32, {3}, x, {4}), "k = 4 is outside [0, 3]");
  ExpectError(RunTopK<float>(DType::kFloat32, {3}, x, {-1}), "k = -1 is outside [0, 3]");
  ExpectError(RunTopK<float>(DType::kFloat32, {}, {1}, {1}), "input must have rank >= 1");
  ExpectError(RunTopK<int16_t>(DType::kInt16, {2}, {1, 2}, {1}), "input");
  c = {1};
  c.indices_type = DType::kInt64;
  ExpectError(RunTopK<float>(DType::kFloat32, {3}, x, c), "indices output");
}

}  // namespace
}  // namespace qlite
