// TILE reference kernel: repeats along every dimension for each dtype,
// int64 multiples, a zero multiple, folding, and the errors it reports.
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
RunResult RunTile(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                  const std::vector<int32_t>& multiples, DType multiples_type = DType::kInt32,
                  Quantization in_quant = {}, Quantization out_quant = {}) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape, in_quant);
  const int32_t n = static_cast<int32_t>(multiples.size());
  const int m = multiples_type == DType::kInt32
                    ? b.AddConstant("multiples", multiples_type, {n}, multiples)
                    : b.AddConstant("multiples", multiples_type, {n},
                                    std::vector<int64_t>(multiples.begin(), multiples.end()));
  const int out = b.AddTensor("out", type, {}, out_quant);
  b.AddOperator(BuiltinOp::kTile, {in, m}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

// [[1, 2, 3], [4, 5, 6]] tiled [2, 2].
template <typename T>
void ExpectTiled2x2(DType type) {
  SCOPED_TRACE(DTypeName(type));
  const RunResult r = RunTile<T>(type, {2, 3}, {1, 2, 3, 4, 5, 6}, {2, 2});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{4, 6}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), (std::vector<T>{1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6,  //
                                                        1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}));
}

TEST(TileTest, EveryDtypeRepeatsAlongEachDimension) {
  ExpectTiled2x2<float>(DType::kFloat32);
  ExpectTiled2x2<int8_t>(DType::kInt8);
  ExpectTiled2x2<uint8_t>(DType::kUInt8);
  ExpectTiled2x2<int32_t>(DType::kInt32);
  ExpectTiled2x2<int64_t>(DType::kInt64);
}

TEST(TileTest, BoolWithInt64MultiplesAlongTheFirstDimension) {
  const RunResult r = RunTile<uint8_t>(DType::kBool, {1, 2}, {1, 0}, {3, 1}, DType::kInt64);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{1, 0, 1, 0, 1, 0}));
}

TEST(TileTest, ZeroMultipleGivesAnEmptyOutput) {
  const RunResult r = RunTile<float>(DType::kFloat32, {2}, {1, 2}, {0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0}));
  EXPECT_TRUE(r.outputs[0].empty());
}

TEST(TileTest, ConstantInputIsFoldedAtPrepare) {
  ModelBuilder b;
  const int in = b.AddConstant("in", DType::kInt32, {2}, std::vector<int32_t>{7, 8});
  const int m = b.AddConstant("multiples", DType::kInt32, {1}, std::vector<int32_t>{2});
  const int out = b.AddTensor("out", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kTile, {in, m}, {out});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{7, 8, 7, 8}));
}

TEST(TileTest, ErrorsNameWhatIsWrong) {
  RunResult r = RunTile<float>(DType::kFloat32, {2, 1}, {1, 2}, {2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("multiples has 1 entries, input 'in' has rank 2"),
            std::string::npos)
      << r.status.message();
  r = RunTile<float>(DType::kFloat32, {2}, {1, 2}, {-1});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("multiple -1 of dimension 0 must be >= 0"), std::string::npos)
      << r.status.message();
  r = RunTile<int16_t>(DType::kInt16, {2}, {1, 2}, {2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("input tensor 'in' has dtype int16"), std::string::npos)
      << r.status.message();
  r = RunTile<int8_t>(DType::kInt8, {2}, {1, 2}, {2}, DType::kInt32, PerTensor(0.5f, 0),
                      PerTensor(1.0f, 0));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must share quantization parameters"), std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace qlite
