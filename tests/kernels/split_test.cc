// SPLIT and SPLIT_V reference kernels: equal and sized parts along every
// axis (negative too), a -1 size, a dtype sweep, and the errors they report.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/split.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

template <typename T>
RunResult RunSplit(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                   int32_t axis, int num_splits, int outputs) {
  ModelBuilder b;
  const int ax = b.AddConstant("axis", DType::kInt32, {}, std::vector<int32_t>{axis});
  const int in = b.AddTensor("in", type, shape);
  std::vector<int32_t> outs;
  for (int i = 0; i < outputs; ++i)
    outs.push_back(b.AddTensor("out" + std::to_string(i), type, {}));
  b.AddOperator(BuiltinOp::kSplit, {ax, in}, outs, SplitOptions{num_splits});
  b.SetInputs({in});
  b.SetOutputs(outs);
  return RunModel(b.Build(), {ToBytes(input)});
}

template <typename T>
RunResult RunSplitV(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                    const std::vector<int32_t>& sizes, int32_t axis, int outputs,
                    Quantization out_quant = {}) {
  ModelBuilder b;
  const int in =
      b.AddTensor("in", type, shape, out_quant.empty() ? Quantization{} : PerTensor(1, 0));
  const int sz =
      b.AddConstant("size_splits", DType::kInt32, {static_cast<int32_t>(sizes.size())}, sizes);
  const int ax = b.AddConstant("axis", DType::kInt32, {1}, std::vector<int32_t>{axis});
  std::vector<int32_t> outs;
  for (int i = 0; i < outputs; ++i) {
    outs.push_back(b.AddTensor("out" + std::to_string(i), type, {}, out_quant));
  }
  b.AddOperator(BuiltinOp::kSplitV, {in, sz, ax}, outs,
                SplitVOptions{static_cast<int32_t>(sizes.size())});
  b.SetInputs({in});
  b.SetOutputs(outs);
  return RunModel(b.Build(), {ToBytes(input)});
}

TEST(SplitTest, EqualPartsAlongEachAxis) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8};  // [2, 4]
  RunResult r = RunSplit<float>(DType::kFloat32, {2, 4}, x, 1, 2, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 2, 5, 6}));
  EXPECT_EQ(FromBytes<float>(r.outputs[1]), (std::vector<float>{3, 4, 7, 8}));
  r = RunSplit<float>(DType::kFloat32, {2, 4}, x, -2, 2, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[1]), (std::vector<float>{5, 6, 7, 8}));
}

template <typename T>
void ExpectSplitInThree(DType type) {
  SCOPED_TRACE(DTypeName(type));
  const RunResult r = RunSplit<T>(type, {3}, {7, 8, 9}, 0, 3, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<T>(r.outputs[2]), (std::vector<T>{9}));
}

TEST(SplitTest, EveryDtype) {
  ExpectSplitInThree<int8_t>(DType::kInt8);
  ExpectSplitInThree<uint8_t>(DType::kUInt8);
  ExpectSplitInThree<int16_t>(DType::kInt16);
  ExpectSplitInThree<int32_t>(DType::kInt32);
}

TEST(SplitTest, ErrorsNameWhatIsWrong) {
  const std::vector<float> x(6);
  RunResult r = RunSplit<float>(DType::kFloat32, {2, 3}, x, 1, 2, 2);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("(size 3) does not split into 2 equal parts"),
            std::string::npos)
      << r.status.message();
  r = RunSplit<float>(DType::kFloat32, {2, 3}, x, 2, 2, 2);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("axis 2 is out of range for input 'in' of rank 2"),
            std::string::npos)
      << r.status.message();
  r = RunSplit<float>(DType::kFloat32, {2, 3}, x, 0, 2, 3);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("expects 2 outputs, got 3"), std::string::npos)
      << r.status.message();
}

TEST(SplitVTest, SizedPartsWithTheRestAsMinusOne) {
  const std::vector<int64_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};  // [2, 5]
  const RunResult r = RunSplitV<int64_t>(DType::kInt64, {2, 5}, x, {1, -1, 2}, -1, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[1], (Shape{2, 2}));
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]), (std::vector<int64_t>{1, 6}));
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[1]), (std::vector<int64_t>{2, 3, 7, 8}));
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[2]), (std::vector<int64_t>{4, 5, 9, 10}));
}

TEST(SplitVTest, ZeroSizedPartAndInt8) {
  const RunResult r = RunSplitV<int8_t>(DType::kInt8, {3}, {-1, -2, -3}, {0, 3}, 0, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0}));
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[1]), (std::vector<int8_t>{-1, -2, -3}));
}

TEST(SplitVTest, ErrorsNameWhatIsWrong) {
  const std::vector<float> x(5);
  struct Case {
    std::vector<int32_t> sizes;
    std::string message;
  };
  for (const Case& c :
       {Case{{2, 2}, "add up to 4, not 5"}, Case{{-1, -1}, "more than one -1"},
        Case{{6, -1}, "add up to more than 5"}, Case{{-2, 7}, "negative size other than -1"}}) {
    const RunResult r = RunSplitV<float>(DType::kFloat32, {5}, x, c.sizes, 0, 2);
    ASSERT_FALSE(r.status.ok()) << c.message;
    EXPECT_NE(r.status.message().find(c.message), std::string::npos) << r.status.message();
  }
  const RunResult r =
      RunSplitV<int8_t>(DType::kInt8, {2}, {1, 2}, {1, 1}, 0, 2, PerTensor(0.5f, 0));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must share quantization parameters"), std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace qlite
