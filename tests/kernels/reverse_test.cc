// REVERSE_V2 reference kernel: one axis, several and negative axes, a dtype
// sweep, and the errors it reports.
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
RunResult RunReverse(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                     const std::vector<int32_t>& axes) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape);
  const int ax = b.AddConstant("axis", DType::kInt32, {static_cast<int32_t>(axes.size())}, axes);
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kReverseV2, {in, ax}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

TEST(ReverseTest, OneAxisAndSeveralAxes) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};  // [2, 3]
  struct Case {
    std::vector<int32_t> axes;
    std::vector<float> expected;
  };
  for (const Case& c : {Case{{0}, {4, 5, 6, 1, 2, 3}}, Case{{1}, {3, 2, 1, 6, 5, 4}},
                        Case{{-1}, {3, 2, 1, 6, 5, 4}}, Case{{0, -1}, {6, 5, 4, 3, 2, 1}},
                        Case{{}, {1, 2, 3, 4, 5, 6}}}) {
    SCOPED_TRACE(ShapeToString(c.axes));
    const RunResult r = RunReverse<float>(DType::kFloat32, {2, 3}, x, c.axes);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), c.expected);
  }
}

template <typename T>
void ExpectReversed(DType type) {
  SCOPED_TRACE(DTypeName(type));
  const RunResult r = RunReverse<T>(type, {3}, {1, 0, 2}, {0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), (std::vector<T>{2, 0, 1}));
}

TEST(ReverseTest, EveryDtype) {
  ExpectReversed<int8_t>(DType::kInt8);
  ExpectReversed<uint8_t>(DType::kUInt8);
  ExpectReversed<uint8_t>(DType::kBool);
  ExpectReversed<int16_t>(DType::kInt16);
  ExpectReversed<int32_t>(DType::kInt32);
  ExpectReversed<int64_t>(DType::kInt64);
}

TEST(ReverseTest, ErrorsNameWhatIsWrong) {
  const std::vector<float> x(6);
  RunResult r = RunReverse<float>(DType::kFloat32, {2, 3}, x, {2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("axis 2 is out of range for input 'in' of rank 2"),
            std::string::npos)
      << r.status.message();
  r = RunReverse<float>(DType::kFloat32, {2, 3}, x, {1, -1});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("axis -1 is named twice"), std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace qlite
