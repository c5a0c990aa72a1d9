// CAST reference kernel: hand-checked conversions between float32, float16,
// int8, uint8, int16, int32, int64 and bool — truncation, TFLite's saturating
// float32 -> int32 / int16 / uint8, wrap-around narrowing, NaN and inf, bool
// from nonzero, float16 rounding — plus folding and the dtype errors.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

template <typename From>
RunResult RunCast(DType from, DType to, const std::vector<From>& input, bool constant = false) {
  ModelBuilder b;
  const Shape shape = {static_cast<int32_t>(input.size())};
  const int in =
      constant ? b.AddConstant("in", from, shape, input) : b.AddTensor("in", from, shape);
  const int out = b.AddTensor("out", to, shape);
  b.AddOperator(BuiltinOp::kCast, {in}, {out});
  std::vector<std::vector<uint8_t>> inputs;
  if (constant) {
    // A constant input folds at prepare; the model needs one input of its own.
    b.SetInputs({b.AddTensor("unused", DType::kFloat32, {1})});
    inputs.push_back(ToBytes(std::vector<float>{0}));
  } else {
    b.SetInputs({in});
    inputs.push_back(ToBytes(input));
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), inputs);
}

template <typename To, typename From>
std::vector<To> CastOk(DType from, DType to, const std::vector<From>& input) {
  const RunResult r = RunCast(from, to, input);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.status.ok() ? FromBytes<To>(r.outputs[0]) : std::vector<To>{};
}

TEST(CastTest, Float32ToInt32TruncatesAndSaturates) {
  // 2147483520 is the largest float below 2^31; NaN saturates high, as TFLite.
  EXPECT_EQ((CastOk<int32_t, float>(
                DType::kFloat32, DType::kInt32,
                {1.9f, -1.9f, -0.0f, 3e9f, -3e9f, kNaN, 2147483520.0f, 2147483648.0f, -kInf})),
            (std::vector<int32_t>{1, -1, 0, kInt32Max, kInt32Min, kInt32Max, 2147483520, kInt32Max,
                                  kInt32Min}));
}

TEST(CastTest, Float32ToSmallIntegers) {
  // int16 and uint8 clamp first (NaN gives 0); int8 truncates and wraps.
  EXPECT_EQ((CastOk<int16_t, float>(DType::kFloat32, DType::kInt16, {40000, -40000, -1.5f, kNaN})),
            (std::vector<int16_t>{32767, -32768, -1, 0}));
  EXPECT_EQ((CastOk<uint8_t, float>(DType::kFloat32, DType::kUInt8, {300, -5, 254.9f, kNaN})),
            (std::vector<uint8_t>{255, 0, 254, 0}));
  EXPECT_EQ((CastOk<int8_t, float>(DType::kFloat32, DType::kInt8, {300, -1.9f, 127.9f, -129})),
            (std::vector<int8_t>{44, -1, 127, 127}));
  EXPECT_EQ((CastOk<int64_t, float>(DType::kFloat32, DType::kInt64, {1e10f, -2.5f, 1e20f})),
            (std::vector<int64_t>{10000000000, -2, std::numeric_limits<int64_t>::min()}));
}

TEST(CastTest, ToBoolIsNonzero) {
  EXPECT_EQ((CastOk<uint8_t, float>(DType::kFloat32, DType::kBool, {0, -0.0f, 0.1f, kNaN})),
            (std::vector<uint8_t>{0, 0, 1, 1}));
  EXPECT_EQ((CastOk<uint8_t, int32_t>(DType::kInt32, DType::kBool, {0, -7, 256})),
            (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ((CastOk<uint8_t, uint8_t>(DType::kUInt8, DType::kBool, {0, 2})),
            (std::vector<uint8_t>{0, 1}));
}

TEST(CastTest, FromBool) {
  EXPECT_EQ((CastOk<float, uint8_t>(DType::kBool, DType::kFloat32, {0, 1})),
            (std::vector<float>{0, 1}));
  EXPECT_EQ((CastOk<int64_t, uint8_t>(DType::kBool, DType::kInt64, {1, 0})),
            (std::vector<int64_t>{1, 0}));
  EXPECT_EQ((CastOk<uint16_t, uint8_t>(DType::kBool, DType::kFloat16, {0, 1})),
            (std::vector<uint16_t>{0x0000, 0x3c00}));
}

TEST(CastTest, IntegerNarrowingWraps) {
  const std::vector<int32_t> x = {300, -1, 65535, -129};
  EXPECT_EQ((CastOk<int8_t, int32_t>(DType::kInt32, DType::kInt8, x)),
            (std::vector<int8_t>{44, -1, -1, 127}));
  EXPECT_EQ((CastOk<uint8_t, int32_t>(DType::kInt32, DType::kUInt8, x)),
            (std::vector<uint8_t>{44, 255, 255, 127}));
  EXPECT_EQ((CastOk<int16_t, int32_t>(DType::kInt32, DType::kInt16, x)),
            (std::vector<int16_t>{300, -1, -1, -129}));
  EXPECT_EQ((CastOk<int32_t, int64_t>(DType::kInt64, DType::kInt32, {(int64_t{1} << 32) + 5, -1})),
            (std::vector<int32_t>{5, -1}));
  EXPECT_EQ((CastOk<int8_t, uint8_t>(DType::kUInt8, DType::kInt8, {200, 127})),
            (std::vector<int8_t>{-56, 127}));
  EXPECT_EQ((CastOk<uint8_t, int8_t>(DType::kInt8, DType::kUInt8, {-1, 5})),
            (std::vector<uint8_t>{255, 5}));
  EXPECT_EQ((CastOk<int64_t, int8_t>(DType::kInt8, DType::kInt64, {-5, 127})),
            (std::vector<int64_t>{-5, 127}));
}

TEST(CastTest, IntegerToFloatRoundsToNearestEven) {
  // 2^24 + 1 is not a float: ties to the even 2^24. 2049 is not a half: 2048.
  EXPECT_EQ((CastOk<float, int64_t>(DType::kInt64, DType::kFloat32, {16777217, -3})),
            (std::vector<float>{16777216.0f, -3.0f}));
  EXPECT_EQ((CastOk<uint16_t, int32_t>(DType::kInt32, DType::kFloat16, {2049, 2051, -2, 70000})),
            (std::vector<uint16_t>{0x6800, 0x6802, 0xc000, 0x7c00}));
}

TEST(CastTest, Float16) {
  // float32 -> half: 0.1 rounds to 0x2e66, 65504 is the largest half, 65520 is inf.
  EXPECT_EQ((CastOk<uint16_t, float>(DType::kFloat32, DType::kFloat16, {1, 0.1f, 65504, 65520})),
            (std::vector<uint16_t>{0x3c00, 0x2e66, 0x7bff, 0x7c00}));
  // half -> float32 is exact; half -> int16 / uint8 truncates and wraps (TFLite
  // clamps only float32 sources): 40000 -> -25536, 300 -> 44; a negative
  // value to uint8 is 0 (LiteRT.js's wasm conversion); -inf -> INT32_MIN.
  const std::vector<uint16_t> h = {0x3e00 /*1.5*/, 0x78e2 /*40000*/, 0x5cb0 /*300*/,
                                   0xbe00 /*-1.5*/, 0xfc00 /*-inf*/};
  EXPECT_EQ((CastOk<float, uint16_t>(DType::kFloat16, DType::kFloat32, h)),
            (std::vector<float>{1.5f, 40000, 300, -1.5f, -kInf}));
  EXPECT_EQ((CastOk<int16_t, uint16_t>(DType::kFloat16, DType::kInt16, h)),
            (std::vector<int16_t>{1, -25536, 300, -1, 0}));
  EXPECT_EQ((CastOk<uint8_t, uint16_t>(DType::kFloat16, DType::kUInt8, h)),
            (std::vector<uint8_t>{1, 64, 44, 0, 0}));
  EXPECT_EQ((CastOk<int32_t, uint16_t>(DType::kFloat16, DType::kInt32, h)),
            (std::vector<int32_t>{1, 40000, 300, -1, kInt32Min}));
  EXPECT_EQ((CastOk<uint8_t, uint16_t>(DType::kFloat16, DType::kBool, {0x8000, 0x0001})),
            (std::vector<uint8_t>{0, 1}));
}

TEST(CastTest, EmptyAndFolded) {
  // Model inputs cannot be empty: an empty constant is cast at prepare.
  RunResult r = RunCast<int32_t>(DType::kInt32, DType::kFloat32, {}, /*constant=*/true);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_TRUE(r.outputs[0].empty());
  r = RunCast<int32_t>(DType::kInt32, DType::kFloat32, {-3, 7}, /*constant=*/true);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{-3, 7}));
}

TEST(CastTest, UnsupportedDtypesAreErrors) {
  RunResult r = RunCast<double>(DType::kFloat64, DType::kFloat32, {1.0});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("input"), std::string::npos) << r.status.message();
  r = RunCast<float>(DType::kFloat32, DType::kUInt32, {1.0f});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("output"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace qlite
