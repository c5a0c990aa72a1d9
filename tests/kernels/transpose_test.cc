// TRANSPOSE reference kernel: 2-D, 4-D (NHWC -> NCHW), 3-D on 1- and 2-byte
// elements, int64 permutations, folding, and the errors prepare must report.
#include <gtest/gtest.h>

#include <cstdint>
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
RunResult RunTranspose(DType type, Shape shape, const std::vector<T>& input,
                       const std::vector<int32_t>& perm, bool perm_constant = true,
                       DType perm_type = DType::kInt32) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape);
  const Shape perm_shape = {static_cast<int32_t>(perm.size())};
  int p = 0;
  if (!perm_constant) {
    p = b.AddTensor("perm", DType::kInt32, perm_shape);
  } else if (perm_type == DType::kInt64) {
    p = b.AddConstant("perm", DType::kInt64, perm_shape,
                      std::vector<int64_t>(perm.begin(), perm.end()));
  } else {
    p = b.AddConstant("perm", perm_type, perm_shape, perm);
  }
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kTranspose, {in, p}, {out});
  std::vector<int32_t> model_inputs = {in};
  std::vector<std::vector<uint8_t>> bytes = {ToBytes(input)};
  if (!perm_constant) {
    model_inputs.push_back(p);
    bytes.push_back(ToBytes(perm));
  }
  b.SetInputs(model_inputs);
  b.SetOutputs({out});
  return RunModel(b.Build(), bytes);
}

TEST(TransposeTest, Float2D) {
  // [[1,2,3],[4,5,6]] -> [[1,4],[2,5],[3,6]].
  const RunResult r = RunTranspose<float>(DType::kFloat32, {2, 3}, {1, 2, 3, 4, 5, 6}, {1, 0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(TransposeTest, Float4DNhwcToNchw) {
  // Input [1,2,3,2] holds h*6 + w*2 + c; output [1,2,2,3] is out[c][h][w].
  std::vector<float> input(12);
  for (int i = 0; i < 12; ++i) input[i] = static_cast<float>(i);
  const RunResult r = RunTranspose<float>(DType::kFloat32, {1, 2, 3, 2}, input, {0, 3, 1, 2});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2, 2, 3}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11}));
}

TEST(TransposeTest, Int8And16Bit3DWithInt64Perm) {
  // Input [2,2,2] holds a*4 + b*2 + c; perm [2,0,1] gives out[c][a][b].
  const std::vector<int8_t> in8 = {0, 1, 2, 3, 4, 5, 6, 7};
  RunResult r = RunTranspose<int8_t>(DType::kInt8, {2, 2, 2}, in8, {2, 0, 1}, true, DType::kInt64);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{0, 2, 4, 6, 1, 3, 5, 7}));

  const std::vector<int16_t> in16 = {0, -1, 2, -3, 4, -5, 6, -32768};
  r = RunTranspose<int16_t>(DType::kInt16, {2, 2, 2}, in16, {2, 0, 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]),
            (std::vector<int16_t>{0, 2, 4, 6, -1, -3, -5, -32768}));
}

TEST(TransposeTest, Rank6Reversal) {
  // [2,1,1,1,1,3] reversed -> [3,1,1,1,1,2]: a plain 2-D transpose of 2x3.
  const RunResult r = RunTranspose<int32_t>(DType::kInt32, {2, 1, 1, 1, 1, 3}, {1, 2, 3, 4, 5, 6},
                                            {5, 4, 3, 2, 1, 0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 1, 1, 1, 1, 2}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{1, 4, 2, 5, 3, 6}));
}

TEST(TransposeTest, ConstantInputIsFolded) {
  ModelBuilder b;
  const int in = b.AddConstant<float>("in", DType::kFloat32, {2, 2}, {1, 2, 3, 4});
  const int perm = b.AddConstant<int32_t>("perm", DType::kInt32, {2}, {1, 0});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kTranspose, {in, perm}, {out});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 3, 2, 4}));
}

TEST(TransposeTest, RejectsBadPermutations) {
  const std::vector<float> input(6);
  RunResult r = RunTranspose<float>(DType::kFloat32, {2, 3}, input, {0, 0});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("not a permutation"), std::string::npos);
  EXPECT_FALSE(RunTranspose<float>(DType::kFloat32, {2, 3}, input, {0, 2}).status.ok());
  EXPECT_FALSE(RunTranspose<float>(DType::kFloat32, {2, 3}, input, {-1, 0}).status.ok());
  r = RunTranspose<float>(DType::kFloat32, {2, 3}, input, {1, 0, 2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("has rank 2"), std::string::npos);
  // A run-time perm is checked when the model runs.
  r = RunTranspose<float>(DType::kFloat32, {2, 3}, input, {1, 1}, /*perm_constant=*/false);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("permutation [1,1] is not a permutation of 0..1"),
            std::string::npos)
      << r.status.message();
  EXPECT_FALSE(
      RunTranspose<float>(DType::kFloat32, {2, 3}, input, {1, 0}, true, DType::kInt16).status.ok());
}

}  // namespace
}  // namespace qlite
