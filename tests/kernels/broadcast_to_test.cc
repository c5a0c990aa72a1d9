// BROADCAST_TO reference kernel: leading and inner broadcast dims, a dtype
// sweep, int64 shapes, and the errors it reports.
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
RunResult RunBroadcastTo(DType type, std::vector<int32_t> shape, const std::vector<T>& input,
                         const std::vector<int32_t>& target, DType shape_type = DType::kInt32) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape);
  const int32_t n = static_cast<int32_t>(target.size());
  const int s = shape_type == DType::kInt32
                    ? b.AddConstant("shape", shape_type, {n}, target)
                    : b.AddConstant("shape", shape_type, {n},
                                    std::vector<int64_t>(target.begin(), target.end()));
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kBroadcastTo, {in, s}, {out}, {}, 2);
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

TEST(BroadcastToTest, LeadingAndInnerDims) {
  RunResult r = RunBroadcastTo<float>(DType::kFloat32, {3}, {1, 2, 3}, {2, 3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 2, 3, 1, 2, 3}));
  r = RunBroadcastTo<float>(DType::kFloat32, {2, 1}, {1, 2}, {2, 2, 3});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
}

template <typename T>
void ExpectBroadcast(DType type) {
  SCOPED_TRACE(DTypeName(type));
  const RunResult r = RunBroadcastTo<T>(type, {1, 2}, {1, 0}, {2, 2}, DType::kInt64);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), (std::vector<T>{1, 0, 1, 0}));
}

TEST(BroadcastToTest, EveryDtype) {
  ExpectBroadcast<int8_t>(DType::kInt8);
  ExpectBroadcast<uint8_t>(DType::kUInt8);
  ExpectBroadcast<uint8_t>(DType::kBool);
  ExpectBroadcast<int16_t>(DType::kInt16);
  ExpectBroadcast<int32_t>(DType::kInt32);
  ExpectBroadcast<int64_t>(DType::kInt64);
}

TEST(BroadcastToTest, ErrorsNameWhatIsWrong) {
  RunResult r = RunBroadcastTo<float>(DType::kFloat32, {3}, {1, 2, 3}, {2, 4});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("input 'in' of shape [3] does not broadcast to [2,4]"),
            std::string::npos)
      << r.status.message();
  r = RunBroadcastTo<float>(DType::kFloat32, {1, 3}, {1, 2, 3}, {3});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("has more dimensions than the target shape"), std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace qlite
