// FILL and ZEROS_LIKE reference kernels: every FILL dtype, a value fed as a
// model input, folding, and the errors they report.
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
RunResult RunFill(DType type, const std::vector<int32_t>& dims, T value,
                  Quantization value_quant = {}, Quantization out_quant = {}) {
  ModelBuilder b;
  const int d = b.AddConstant("dims", DType::kInt32, {static_cast<int32_t>(dims.size())}, dims);
  const int v = b.AddTensor("value", type, {}, value_quant);
  const int out = b.AddTensor("out", type, {}, out_quant);
  b.AddOperator(BuiltinOp::kFill, {d, v}, {out});
  b.SetInputs({v});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(std::vector<T>{value})});
}

template <typename T>
void ExpectFilled(DType type, T value) {
  SCOPED_TRACE(DTypeName(type));
  const RunResult r = RunFill<T>(type, {2, 3}, value);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), std::vector<T>(6, value));
}

TEST(FillTest, EveryDtype) {
  ExpectFilled<float>(DType::kFloat32, -2.5f);
  ExpectFilled<int8_t>(DType::kInt8, -7);
  ExpectFilled<int16_t>(DType::kInt16, 300);
  ExpectFilled<int32_t>(DType::kInt32, 1 << 20);
  ExpectFilled<int64_t>(DType::kInt64, int64_t{1} << 40);
  ExpectFilled<uint8_t>(DType::kBool, 1);
}

TEST(FillTest, EmptyDimsGiveAScalar) {
  const RunResult r = RunFill<float>(DType::kFloat32, {}, 4.0f);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], Shape{});
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{4}));
}

TEST(FillTest, ErrorsNameWhatIsWrong) {
  RunResult r = RunFill<float>(DType::kFloat32, {2, -1}, 1.0f);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("dims [2,-1] has a negative size"), std::string::npos)
      << r.status.message();
  r = RunFill<uint8_t>(DType::kUInt8, {2}, 1);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("value tensor 'value' has dtype uint8"), std::string::npos)
      << r.status.message();
  r = RunFill<int8_t>(DType::kInt8, {2}, 1, PerTensor(0.5f, 0), PerTensor(0.5f, 1));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must share quantization parameters"), std::string::npos)
      << r.status.message();
}

TEST(ZerosLikeTest, ZerosOfTheInputsShapeAndDtype) {
  for (DType type : {DType::kFloat32, DType::kInt32, DType::kInt64}) {
    SCOPED_TRACE(DTypeName(type));
    ModelBuilder b;
    const int in = b.AddTensor("in", type, {2, 2});
    const int out = b.AddTensor("out", type, {});
    b.AddOperator(BuiltinOp::kZerosLike, {in}, {out});
    b.SetInputs({in});
    b.SetOutputs({out});
    const std::vector<uint8_t> x(4 * DTypeSize(type), 0x5a);
    const RunResult r = RunModel(b.Build(), {x});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
    EXPECT_EQ(r.outputs[0], std::vector<uint8_t>(x.size(), 0));
  }
}

TEST(ZerosLikeTest, Int8IsRejected) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kInt8, {2});
  const int out = b.AddTensor("out", DType::kInt8, {});
  b.AddOperator(BuiltinOp::kZerosLike, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<int8_t>{1, 2})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("input tensor 'in' has dtype int8"), std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace qlite
