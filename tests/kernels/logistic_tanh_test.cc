// LOGISTIC / TANH reference kernels: float, the 8-bit lookup tables (values
// worked out from the float functions by hand), both int16 paths of TFLite's
// default kernel, and the fixed output quantization.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using qlite::testing::FromBytes;
using qlite::testing::RunModel;
using qlite::testing::RunResult;
using qlite::testing::ToBytes;

template <typename T>
RunResult Run(BuiltinOp op, DType type, Quantization in_quant, Quantization out_quant,
              const std::vector<T>& input, DType out_type) {
  ModelBuilder b;
  const Shape shape = {static_cast<int32_t>(input.size())};
  const int in = b.AddTensor("in", type, shape, std::move(in_quant));
  const int out = b.AddTensor("out", out_type, shape, std::move(out_quant));
  b.AddOperator(op, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

template <typename T>
std::vector<T> RunOk(BuiltinOp op, DType type, Quantization in_quant, Quantization out_quant,
                     const std::vector<T>& input) {
  const RunResult r = Run(op, type, std::move(in_quant), std::move(out_quant), input, type);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  return FromBytes<T>(r.outputs[0]);
}

template <typename T>
void ExpectError(BuiltinOp op, DType type, Quantization in_quant, Quantization out_quant,
                 const std::string& needle, DType out_type) {
  const RunResult r = Run<T>(op, type, std::move(in_quant), std::move(out_quant), {0}, out_type);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(needle), std::string::npos) << r.status.message();
}

// ---- float ----

TEST(LogisticTanhTest, FloatLogistic) {
  const auto out =
      RunOk<float>(BuiltinOp::kLogistic, DType::kFloat32, {}, {}, {0, 1, -1, 20, -20, -9.5f});
  ASSERT_EQ(out.size(), 6u);
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_NEAR(out[1], 0.7310586f, 1e-7);
  EXPECT_NEAR(out[2], 0.2689414f, 1e-7);
  EXPECT_EQ(out[3], 1.0f);                    // above the 16.6 cut-off: exactly 1
  EXPECT_NEAR(out[4], 2.0611537e-9f, 1e-15);  // below -9: exp(x)
  EXPECT_NEAR(out[5], 7.4851830e-5f, 1e-11);
}

TEST(LogisticTanhTest, FloatTanh) {
  const auto out = RunOk<float>(BuiltinOp::kTanh, DType::kFloat32, {}, {}, {0, 1, -1, 20, -20});
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_NEAR(out[1], 0.7615942f, 1e-7);
  EXPECT_NEAR(out[2], -0.7615942f, 1e-7);
  EXPECT_EQ(out[3], 1.0f);
  EXPECT_EQ(out[4], -1.0f);
}

// ---- int8 / uint8: tables from the float function ----

// Input scale 1/16: q = 0, 16, -16, 8, 127, -128 are 0, 1, -1, 0.5, 7.94, -8.
// sigmoid * 256: 128, 187.15, 68.85, 159.35, 255.9, 0.09 -> round, - 128.
TEST(LogisticTanhTest, Int8Logistic) {
  EXPECT_EQ(RunOk<int8_t>(BuiltinOp::kLogistic, DType::kInt8, PerTensor(1.0f / 16, 0),
                          PerTensor(1.0f / 256, -128), {0, 16, -16, 8, 127, -128}),
            (std::vector<int8_t>{0, 59, -59, 31, 127, -128}));
}

TEST(LogisticTanhTest, UInt8Logistic) {
  EXPECT_EQ(RunOk<uint8_t>(BuiltinOp::kLogistic, DType::kUInt8, PerTensor(1.0f / 16, 128),
                           PerTensor(1.0f / 256, 0), {128, 144, 112, 136, 255, 0}),
            (std::vector<uint8_t>{128, 187, 69, 159, 255, 0}));
}

// tanh * 128: 0, 97.48, -97.48, 59.15, 127.99997 (-> 128, clamped), -128.
TEST(LogisticTanhTest, Int8Tanh) {
  EXPECT_EQ(RunOk<int8_t>(BuiltinOp::kTanh, DType::kInt8, PerTensor(1.0f / 16, 0),
                          PerTensor(1.0f / 128, 0), {0, 16, -16, 8, 127, -128}),
            (std::vector<int8_t>{0, 97, -97, 59, 127, -128}));
}

TEST(LogisticTanhTest, UInt8Tanh) {
  EXPECT_EQ(RunOk<uint8_t>(BuiltinOp::kTanh, DType::kUInt8, PerTensor(1.0f / 16, 128),
                           PerTensor(1.0f / 128, 128), {128, 144, 112, 136, 255, 0}),
            (std::vector<uint8_t>{128, 225, 31, 187, 255, 0}));
}

// ---- int16, input scale 2^-12 (Q3.12): gemmlowp's fixed-point functions ----
// Exact values of gemmlowp's int16 algorithm; the ideal results (x 32768)
// are in the comments, the fixed-point error is a few units.
TEST(LogisticTanhTest, Int16LogisticFixedPoint) {
  // Inputs 0, 1.0, -1.0, 4.0, -4.0, 7.9998, -8.0 (the wrap of |-8.0| back to
  // -8.0 in gemmlowp is harmless: 1 - logistic(8)).
  // Ideal: 16384, 23955.3, 8812.7, 32178.6, 589.4, 32757.0, 11.0.
  EXPECT_EQ(
      RunOk<int16_t>(BuiltinOp::kLogistic, DType::kInt16, PerTensor(1.0f / 4096, 0),
                     PerTensor(1.0f / 32768, 0), {0, 4096, -4096, 16384, -16384, 32767, -32768}),
      (std::vector<int16_t>{16384, 23952, 8815, 32182, 585, 32756, 11}));
}

TEST(LogisticTanhTest, Int16TanhFixedPoint) {
  // Inputs 0, 0.5, -0.5, 1.0, 4.0, 7.9998, -8.0.
  // Ideal: 0, 15142.7, -15142.7, 24955.9, 32746.0, 32768 (saturates), -32768.
  EXPECT_EQ(
      RunOk<int16_t>(BuiltinOp::kTanh, DType::kInt16, PerTensor(1.0f / 4096, 0),
                     PerTensor(1.0f / 32768, 0), {0, 2048, -2048, 4096, 16384, 32767, -32768}),
      (std::vector<int16_t>{0, 15136, -15136, 24964, 32744, 32767, -32767}));
}

// TANH also takes scale 2^-11 directly: the input is doubled (saturating)
// into Q3.12, so 16384 (8.0) saturates to 7.9998.
TEST(LogisticTanhTest, Int16TanhFixedPointShifted) {
  // Inputs 0, 1.0, 2.0, -2.0, 8.0, -16. Ideal: 0, 24955.9, 31589.3, -31589.3,
  // 32768, -32768.
  EXPECT_EQ(RunOk<int16_t>(BuiltinOp::kTanh, DType::kInt16, PerTensor(1.0f / 2048, 0),
                           PerTensor(1.0f / 32768, 0), {0, 2048, 4096, -4096, 16384, -32768}),
            (std::vector<int16_t>{0, 24964, 31596, -31596, 32767, -32767}));
}

// ---- int16, any other input scale: interpolation in the sigmoid table ----
// Input scale 3 * 2^-13: the prepare loop turns 3 * 2^-13 * 12288 = 4.5 into
// multiplier 18432 with right shift 12, i.e. x = round(q * 4.5) in units of
// 1/12288. q = 1000: x = 4500.
//   LOGISTIC: entry 4500 >> 9 = 8 (38180, next 38841), fraction 404:
//     38180 * 512 + 404 * 661 = 19815204; (+ 512) >> 10 = 19351
//     (ideal sigmoid(0.3662) * 32768 = 19351.0). q = -1000: x = -4500,
//     ((1 << 25) - 19815204 + 511) >> 10 = 13417 (ideal 13417.0).
//   Beyond entry 255 (|x| >= 130560) the table saturates: 32767 and 1.
TEST(LogisticTanhTest, Int16LogisticTable) {
  EXPECT_EQ(RunOk<int16_t>(BuiltinOp::kLogistic, DType::kInt16, PerTensor(3.0f / 8192, 0),
                           PerTensor(1.0f / 32768, 0), {0, 1000, -1000, 32767, -32768}),
            (std::vector<int16_t>{16384, 19351, 13417, 32767, 1}));
}

//   TANH reads the table at twice the argument: entry 4500 >> 8 = 17 (43912,
//   next 44511), fraction 148: 43912 * 256 + 148 * 599 = 11330124;
//   11330124 - 2^23 + 128 = 2941644, >> 8 = 11490 (ideal tanh(0.3662) *
//   32768 = 11491.9); the negative side floors to -11490. Saturation gives
//   (0xFFFF << 8) - 2^23 + 128 >> 8 = 32767 and, floored, -32767.
TEST(LogisticTanhTest, Int16TanhTable) {
  EXPECT_EQ(RunOk<int16_t>(BuiltinOp::kTanh, DType::kInt16, PerTensor(3.0f / 8192, 0),
                           PerTensor(1.0f / 32768, 0), {0, 1000, -1000, 32767, -32768}),
            (std::vector<int16_t>{0, 11490, -11490, 32767, -32767}));
}

// Every int16 input through the table path: the interpolation is monotonic
// and never leaves the ranges the saturation branches give. Scale 5.0 makes
// TFLite's multiplier 61440 with no shift, the widest product.
TEST(LogisticTanhTest, Int16TableSweep) {
  std::vector<int16_t> all;
  for (int32_t v = -32768; v <= 32767; ++v) all.push_back(static_cast<int16_t>(v));
  for (float scale : {0.001f, 5.0f}) {
    for (BuiltinOp op : {BuiltinOp::kLogistic, BuiltinOp::kTanh}) {
      const auto out =
          RunOk<int16_t>(op, DType::kInt16, PerTensor(scale, 0), PerTensor(1.0f / 32768, 0), all);
      ASSERT_EQ(out.size(), all.size());
      const int16_t lowest = op == BuiltinOp::kLogistic ? 1 : -32767;
      EXPECT_EQ(out.front(), lowest) << scale;
      EXPECT_EQ(out.back(), 32767) << scale;
      EXPECT_EQ(out[32768], op == BuiltinOp::kLogistic ? 16384 : 0) << scale;
      for (size_t i = 1; i < out.size(); ++i) ASSERT_LE(out[i - 1], out[i]) << scale << " " << i;
    }
  }
}

// Every int16 input through gemmlowp's functions: logistic(-x) is computed
// as 1 - logistic(x) and tanh(-x) as -tanh(x), so both are exactly symmetric.
TEST(LogisticTanhTest, Int16FixedPointSweepIsSymmetric) {
  std::vector<int16_t> all;
  for (int32_t v = -32768; v <= 32767; ++v) all.push_back(static_cast<int16_t>(v));
  auto at = [](const std::vector<int16_t>& out, int32_t v) { return out[v + 32768]; };
  const auto logistic = RunOk<int16_t>(BuiltinOp::kLogistic, DType::kInt16,
                                       PerTensor(1.0f / 4096, 0), PerTensor(1.0f / 32768, 0), all);
  ASSERT_EQ(logistic.size(), all.size());
  for (int32_t v = 1; v <= 32767; ++v) ASSERT_EQ(at(logistic, v) + at(logistic, -v), 32767) << v;
  for (float scale : {1.0f / 4096, 1.0f / 2048}) {
    const auto tanh = RunOk<int16_t>(BuiltinOp::kTanh, DType::kInt16, PerTensor(scale, 0),
                                     PerTensor(1.0f / 32768, 0), all);
    ASSERT_EQ(tanh.size(), all.size());
    EXPECT_EQ(at(tanh, 0), 0);
    for (int32_t v = 1; v <= 32767; ++v) ASSERT_EQ(at(tanh, -v), -at(tanh, v)) << v;
  }
}

// ---- errors ----

TEST(LogisticTanhTest, Int8OutputQuantizationIsFixed) {
  ExpectError<int8_t>(BuiltinOp::kLogistic, DType::kInt8, PerTensor(0.1f, 0),
                      PerTensor(1.0f / 128, -128), "must have scale 1/256", DType::kInt8);
  ExpectError<int8_t>(BuiltinOp::kLogistic, DType::kInt8, PerTensor(0.1f, 0),
                      PerTensor(1.0f / 256, 0), "zero point -128", DType::kInt8);
  ExpectError<uint8_t>(BuiltinOp::kLogistic, DType::kUInt8, PerTensor(0.1f, 0),
                       PerTensor(1.0f / 256, 128), "zero point 0", DType::kUInt8);
  ExpectError<int8_t>(BuiltinOp::kTanh, DType::kInt8, PerTensor(0.1f, 0), PerTensor(1.0f / 256, 0),
                      "must have scale 1/128", DType::kInt8);
  ExpectError<uint8_t>(BuiltinOp::kTanh, DType::kUInt8, PerTensor(0.1f, 0),
                       PerTensor(1.0f / 128, 0), "zero point 128", DType::kUInt8);
}

TEST(LogisticTanhTest, Int16Errors) {
  ExpectError<int16_t>(BuiltinOp::kLogistic, DType::kInt16, PerTensor(1.0f / 4096, 0),
                       PerTensor(1.0f / 16384, 0), "scale 1/32768", DType::kInt16);
  ExpectError<int16_t>(BuiltinOp::kTanh, DType::kInt16, PerTensor(1.0f / 4096, 0),
                       PerTensor(1.0f / 256, 0), "scale 1/32768", DType::kInt16);
  ExpectError<int16_t>(BuiltinOp::kTanh, DType::kInt16, PerTensor(1.0f / 4096, 5),
                       PerTensor(1.0f / 32768, 0), "zero point 0", DType::kInt16);
  // So small that no multiplier of the table path reaches 1.
  ExpectError<int16_t>(BuiltinOp::kLogistic, DType::kInt16, PerTensor(1e-20f, 0),
                       PerTensor(1.0f / 32768, 0), "outside the range", DType::kInt16);
}

TEST(LogisticTanhTest, DtypeErrors) {
  ExpectError<int8_t>(BuiltinOp::kLogistic, DType::kInt8, PerTensor(0.1f, 0),
                      PerTensor(1.0f / 256, 0), "output tensor 'out' has dtype uint8",
                      DType::kUInt8);
  ExpectError<float>(BuiltinOp::kTanh, DType::kFloat32, {}, {}, "has dtype int8", DType::kInt8);
  ExpectError<int32_t>(BuiltinOp::kTanh, DType::kInt32, {}, {}, "has dtype int32", DType::kInt32);
}

}  // namespace
}  // namespace qlite
