// CUMSUM reference kernel: TFLite's documented results for every
// exclusive/reverse combination, axes (negative too) of a 2-D input, int32
// and int64, folding of a constant input, and the errors it must report.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/kernels/cumsum.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

template <typename T>
RunResult RunCumsum(DType type, Shape shape, const std::vector<T>& input, int32_t axis,
                    CumsumOptions options, bool constant_input = false) {
  ModelBuilder b;
  const int in =
      constant_input ? b.AddConstant("in", type, shape, input) : b.AddTensor("in", type, shape);
  const int ax = b.AddConstant("axis", DType::kInt32, {}, std::vector<int32_t>{axis});
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kCumsum, {in, ax}, {out}, options);
  std::vector<std::vector<uint8_t>> inputs;
  if (constant_input) {
    // A constant input folds at prepare; the model needs one input of its own.
    const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
    b.SetInputs({dummy});
    inputs.push_back(ToBytes(std::vector<float>{0}));
  } else {
    b.SetInputs({in});
    inputs.push_back(ToBytes(input));
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), inputs);
}

TEST(CumsumTest, EveryExclusiveAndReverseCombination) {
  const std::vector<float> x = {1, 2, 4};
  struct Case {
    bool exclusive, reverse;
    std::vector<float> expected;
  };
  for (const Case& c : {Case{false, false, {1, 3, 7}}, Case{true, false, {0, 1, 3}},
                        Case{false, true, {7, 6, 4}}, Case{true, true, {6, 4, 0}}}) {
    SCOPED_TRACE(::testing::Message() << "exclusive=" << c.exclusive << " reverse=" << c.reverse);
    const RunResult r = RunCumsum<float>(DType::kFloat32, {3}, x, 0, {c.exclusive, c.reverse});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), c.expected);
  }
}

TEST(CumsumTest, IntegerSumsWrapAroundInTwosComplement) {
  // INT32_MAX + 1 wraps to INT32_MIN (found by fuzzing: signed overflow was
  // undefined behaviour); wrapping back down returns to INT32_MAX.
  const RunResult r = RunCumsum<int32_t>(DType::kInt32, {3}, {2147483647, 1, -1}, 0, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]),
            (std::vector<int32_t>{2147483647, -2147483647 - 1, 2147483647}));
}

TEST(CumsumTest, AxesOfA2DInputIncludingNegative) {
  // [[1, 2, 3], [4, 5, 6]]
  const std::vector<int32_t> x = {1, 2, 3, 4, 5, 6};
  RunResult r = RunCumsum<int32_t>(DType::kInt32, {2, 3}, x, 1, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{1, 3, 6, 4, 9, 15}));
  r = RunCumsum<int32_t>(DType::kInt32, {2, 3}, x, -2, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{1, 2, 3, 5, 7, 9}));
  r = RunCumsum<int32_t>(DType::kInt32, {2, 3}, x, 0, {true, true});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{4, 5, 6, 0, 0, 0}));
}

TEST(CumsumTest, Int64KeepsLargeSums) {
  const std::vector<int64_t> x = {int64_t{1} << 40, int64_t{1} << 40, -3};
  const RunResult r = RunCumsum<int64_t>(DType::kInt64, {3}, x, 0, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int64_t>(r.outputs[0]),
            (std::vector<int64_t>{int64_t{1} << 40, int64_t{1} << 41, (int64_t{1} << 41) - 3}));
}

TEST(CumsumTest, ConstantInputIsFoldedAtPrepare) {
  const RunResult r = RunCumsum<float>(DType::kFloat32, {4}, {1, 1, 1, 1}, 0, {false, true}, true);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{4, 3, 2, 1}));
}

TEST(CumsumTest, ErrorsNameWhatIsWrong) {
  RunResult r = RunCumsum<float>(DType::kFloat32, {3}, {1, 2, 3}, 1, {});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("axis 1 is out of range for rank 1"), std::string::npos)
      << r.status.message();
  r = RunCumsum<int8_t>(DType::kInt8, {3}, {1, 2, 3}, 0, {});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("input"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace qlite
