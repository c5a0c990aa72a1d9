// SLICE reference kernel: boxes of every supported dtype, size -1, int64
// parameters, begin as a model input, folding, and the errors it reports.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct SliceSpec {
  SliceSpec(std::vector<int32_t> b, std::vector<int32_t> s, DType type = DType::kInt32)
      : begin(std::move(b)), size(std::move(s)), index_type(type) {}
  std::vector<int32_t> begin, size;
  DType index_type = DType::kInt32;
  bool begin_is_input = false;
  Quantization in_quant, out_quant;
};

template <typename T>
std::vector<uint8_t> IndexBytes(const std::vector<int32_t>& v) {
  return ToBytes(std::vector<T>(v.begin(), v.end()));
}

template <typename T>
RunResult RunSlice(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                   const SliceSpec& s) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape, s.in_quant);
  const int rank = static_cast<int>(shape.size());
  const auto bytes = [&](const std::vector<int32_t>& v) {
    return s.index_type == DType::kInt32 ? IndexBytes<int32_t>(v) : IndexBytes<int64_t>(v);
  };
  const int begin =
      s.begin_is_input ? b.AddTensor("begin", s.index_type, {rank})
                       : b.AddConstantBytes("begin", s.index_type,
                                            {static_cast<int32_t>(s.begin.size())}, bytes(s.begin));
  const int size = b.AddConstantBytes("size", s.index_type, {static_cast<int32_t>(s.size.size())},
                                      bytes(s.size));
  const int out = b.AddTensor("out", type, {}, s.out_quant);
  b.AddOperator(BuiltinOp::kSlice, {in, begin, size}, {out});
  std::vector<std::vector<uint8_t>> inputs = {ToBytes(input)};
  if (s.begin_is_input) {
    b.SetInputs({in, begin});
    inputs.push_back(bytes(s.begin));
  } else {
    b.SetInputs({in});
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), inputs);
}

std::vector<int32_t> Iota(int n) {
  std::vector<int32_t> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

// Every dtype: a [2, 3, 4] box [1, 1:3, 1:4].
template <typename T>
void ExpectBoxOfIota(DType type) {
  SCOPED_TRACE(DTypeName(type));
  std::vector<T> x;
  for (int32_t v : Iota(24)) x.push_back(static_cast<T>(v % 100));
  const RunResult r = RunSlice<T>(type, {2, 3, 4}, x, {{1, 1, 1}, {1, 2, -1}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2, 3}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), (std::vector<T>{17, 18, 19, 21, 22, 23}));
}

TEST(SliceTest, EveryDtypeCopiesTheBox) {
  ExpectBoxOfIota<float>(DType::kFloat32);
  ExpectBoxOfIota<int8_t>(DType::kInt8);
  ExpectBoxOfIota<uint8_t>(DType::kUInt8);
  ExpectBoxOfIota<int16_t>(DType::kInt16);
  ExpectBoxOfIota<int32_t>(DType::kInt32);
  ExpectBoxOfIota<int64_t>(DType::kInt64);
}

TEST(SliceTest, BoolAndInt64Parameters) {
  const std::vector<uint8_t> x = {1, 0, 0, 1, 1, 0};
  SliceSpec s{{0, 1}, {2, 2}, DType::kInt64};
  const RunResult r = RunSlice<uint8_t>(DType::kBool, {2, 3}, x, s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{0, 0, 1, 0}));
}

TEST(SliceTest, BeginAsAnInputIsCheckedAtEval) {
  const std::vector<int32_t> x = Iota(10);
  SliceSpec s{{3}, {4}};
  s.begin_is_input = true;
  RunResult r = RunSlice<int32_t>(DType::kInt32, {10}, x, s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{3, 4, 5, 6}));
  s.begin = {7};
  r = RunSlice<int32_t>(DType::kInt32, {10}, x, s);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("slice begin 7 size 4 of dimension 0 does not fit"),
            std::string::npos)
      << r.status.message();
  // size -1 with a run-time begin: the output's extent is that run's.
  s.size = {-1};
  r = RunSlice<int32_t>(DType::kInt32, {10}, x, s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{7, 8, 9}));
  s.begin = {11};
  r = RunSlice<int32_t>(DType::kInt32, {10}, x, s);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("slice size -1 of dimension 0 must be >= 0"), std::string::npos)
      << r.status.message();
}

TEST(SliceTest, QuantizedTensorsMustShareParameters) {
  const std::vector<int8_t> x = {1, 2, 3, 4};
  SliceSpec s{{1}, {2}};
  s.in_quant = PerTensor(0.5f, 3);
  s.out_quant = PerTensor(0.5f, 3);
  RunResult r = RunSlice<int8_t>(DType::kInt8, {4}, x, s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{2, 3}));
  s.out_quant = PerTensor(0.25f, 3);
  r = RunSlice<int8_t>(DType::kInt8, {4}, x, s);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must share quantization parameters"), std::string::npos)
      << r.status.message();
}

TEST(SliceTest, ConstantInputIsFoldedAtPrepare) {
  ModelBuilder b;
  const int in = b.AddConstant("in", DType::kFloat32, {4}, std::vector<float>{1, 2, 3, 4});
  const int begin = b.AddConstant("begin", DType::kInt32, {1}, std::vector<int32_t>{2});
  const int size = b.AddConstant("size", DType::kInt32, {1}, std::vector<int32_t>{-1});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kSlice, {in, begin, size}, {out});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{3, 4}));
}

TEST(SliceTest, ErrorsNameWhatIsWrong) {
  const std::vector<float> x(6, 1.0f);
  struct Case {
    SliceSpec spec;
    std::string message;
  };
  for (const Case& c : {
           Case{{{0, 0}, {2, 4}}, "slice begin 0 size 4 of dimension 1 does not fit"},
           Case{{{-1, 0}, {1, 1}}, "slice begin -1 size 1 of dimension 0"},
           Case{{{0, 0}, {1, -2}}, "slice size -2 of dimension 1 must be >= 0"},
           Case{{{0}, {1}}, "begin and size need 2 entries"},
       }) {
    const RunResult r = RunSlice<float>(DType::kFloat32, {2, 3}, x, c.spec);
    ASSERT_FALSE(r.status.ok()) << c.message;
    EXPECT_NE(r.status.message().find(c.message), std::string::npos) << r.status.message();
  }
}

}  // namespace
}  // namespace qlite
