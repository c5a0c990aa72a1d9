// PACK and UNPACK reference kernels: every axis (negative too) of 2-D
// values, a dtype sweep, a round trip, and the errors they report.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/pack.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

template <typename T>
RunResult RunPack(DType type, std::vector<int32_t> shape, const std::vector<std::vector<T>>& values,
                  PackOptions options, Quantization out_quant = {}) {
  ModelBuilder b;
  std::vector<int32_t> ins;
  std::vector<std::vector<uint8_t>> inputs;
  for (size_t i = 0; i < values.size(); ++i) {
    ins.push_back(b.AddTensor("in" + std::to_string(i), type, shape,
                              out_quant.empty() ? Quantization{} : PerTensor(0.5f, 1)));
    inputs.push_back(ToBytes(values[i]));
  }
  const int out = b.AddTensor("out", type, {}, out_quant);
  b.AddOperator(BuiltinOp::kPack, ins, {out}, options);
  b.SetInputs(ins);
  b.SetOutputs({out});
  return RunModel(b.Build(), inputs);
}

template <typename T>
RunResult RunUnpack(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                    UnpackOptions options, int outputs) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape);
  std::vector<int32_t> outs;
  for (int i = 0; i < outputs; ++i)
    outs.push_back(b.AddTensor("out" + std::to_string(i), type, {}));
  b.AddOperator(BuiltinOp::kUnpack, {in}, outs, options);
  b.SetInputs({in});
  b.SetOutputs(outs);
  return RunModel(b.Build(), {ToBytes(input)});
}

TEST(PackTest, EveryAxisOf2DValues) {
  const std::vector<std::vector<float>> v = {{1, 2, 3, 4}, {5, 6, 7, 8}};  // each [2, 2]
  struct Case {
    int32_t axis;
    Shape shape;
    std::vector<float> expected;
  };
  for (const Case& c :
       {Case{0, {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}}, Case{1, {2, 2, 2}, {1, 2, 5, 6, 3, 4, 7, 8}},
        Case{2, {2, 2, 2}, {1, 5, 2, 6, 3, 7, 4, 8}}, Case{-1, {2, 2, 2}, {1, 5, 2, 6, 3, 7, 4, 8}},
        Case{-3, {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}}}) {
    SCOPED_TRACE(c.axis);
    const RunResult r = RunPack<float>(DType::kFloat32, {2, 2}, v, {2, c.axis});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], c.shape);
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), c.expected);
  }
}

template <typename T>
void ExpectPackedThree(DType type) {
  SCOPED_TRACE(DTypeName(type));
  const RunResult r = RunPack<T>(type, {2}, {{1, 2}, {3, 4}, {5, 6}}, {3, 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), (std::vector<T>{1, 3, 5, 2, 4, 6}));
}

TEST(PackTest, EveryDtype) {
  ExpectPackedThree<int8_t>(DType::kInt8);
  ExpectPackedThree<uint8_t>(DType::kUInt8);
  ExpectPackedThree<int16_t>(DType::kInt16);
  ExpectPackedThree<int32_t>(DType::kInt32);
  ExpectPackedThree<int64_t>(DType::kInt64);
}

TEST(PackTest, ErrorsNameWhatIsWrong) {
  RunResult r = RunPack<float>(DType::kFloat32, {2}, {{1, 2}, {3, 4}}, {2, 2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("axis 2 is out of range for inputs of rank 1"),
            std::string::npos)
      << r.status.message();
  r = RunPack<float>(DType::kFloat32, {2}, {{1, 2}, {3, 4}}, {3, 0});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("values_count 3 does not match the 2 inputs"),
            std::string::npos)
      << r.status.message();
  r = RunPack<int8_t>(DType::kInt8, {2}, {{1, 2}, {3, 4}}, {2, 0}, PerTensor(0.25f, 1));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must share quantization parameters"), std::string::npos)
      << r.status.message();
}

TEST(UnpackTest, EveryAxisIncludingNegative) {
  const std::vector<int32_t> x = {1, 2, 3, 4, 5, 6};  // [2, 3]
  RunResult r = RunUnpack<int32_t>(DType::kInt32, {2, 3}, x, {3, 1}, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{1, 4}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[2]), (std::vector<int32_t>{3, 6}));
  r = RunUnpack<int32_t>(DType::kInt32, {2, 3}, x, {2, -2}, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[1], (Shape{3}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{4, 5, 6}));
}

TEST(UnpackTest, BoolInt8AndInt16) {
  RunResult r = RunUnpack<uint8_t>(DType::kBool, {2, 2}, {1, 0, 0, 1}, {2, 0}, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[1]), (std::vector<uint8_t>{0, 1}));
  r = RunUnpack<int8_t>(DType::kInt8, {2, 2}, {-1, -2, -3, -4}, {2, 1}, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-1, -3}));
  r = RunUnpack<int16_t>(DType::kInt16, {1, 2}, {300, -300}, {1, 0}, 1);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{300, -300}));
}

TEST(UnpackTest, ErrorsNameWhatIsWrong) {
  RunResult r = RunUnpack<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), {2, 1}, 2);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("num 2 must equal the size 3 of dimension 1"),
            std::string::npos)
      << r.status.message();
  r = RunUnpack<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), {2, 2}, 2);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("axis 2 is out of range for an input of rank 2"),
            std::string::npos)
      << r.status.message();
  r = RunUnpack<float>(DType::kFloat32, {2, 3}, std::vector<float>(6), {3, 0}, 2);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("num 3 does not match the 2 outputs"), std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace qlite
