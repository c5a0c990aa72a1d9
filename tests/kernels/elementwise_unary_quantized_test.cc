// Quantized int8 / int16 ABS, RSQRT, SQRT, EXP and LOG. Expected values are
// worked out by hand from the real function: dequantize, apply, divide by
// the output scale, round (SQRT truncates), add the zero point, clamp. The
// int16 tables interpolate between anchors that TFLite biases by half their
// segment's midpoint error, so their results are checked within two steps.
#include <gtest/gtest.h>

#include <cmath>
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
RunResult RunQuantized(BuiltinOp op, DType type, const std::vector<T>& input, Quantization in_q,
                       Quantization out_q) {
  ModelBuilder b;
  const Shape shape = {static_cast<int32_t>(input.size())};
  const int in = b.AddTensor("in", type, shape, std::move(in_q));
  const int out = b.AddTensor("out", type, {}, std::move(out_q));
  b.AddOperator(op, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

std::vector<int8_t> RunInt8(BuiltinOp op, const std::vector<int8_t>& input, Quantization in_q,
                            Quantization out_q) {
  const RunResult r = RunQuantized(op, DType::kInt8, input, std::move(in_q), std::move(out_q));
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.status.ok() ? FromBytes<int8_t>(r.outputs[0]) : std::vector<int8_t>{};
}

std::vector<int16_t> RunInt16(BuiltinOp op, const std::vector<int16_t>& input, float in_scale,
                              float out_scale) {
  const RunResult r =
      RunQuantized(op, DType::kInt16, input, PerTensor(in_scale, 0), PerTensor(out_scale, 0));
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.status.ok() ? FromBytes<int16_t>(r.outputs[0]) : std::vector<int16_t>{};
}

void ExpectWithinTwo(const std::vector<int16_t>& got, const std::vector<int>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 2) << "element " << i;
}

TEST(ElementwiseUnaryQuantizedTest, AbsInt8Requantizes) {
  // in: scale 0.5, zp 3; out: scale 0.25, zp -10. -5 is -4.0 -> 4.0 -> 16 - 10.
  EXPECT_EQ(
      RunInt8(BuiltinOp::kAbs, {-5, 3, 4, 127, -128}, PerTensor(0.5f, 3), PerTensor(0.25f, -10)),
      (std::vector<int8_t>{6, -10, -8, 127, 127}));
  // Multiplier 2.5: 1 step -> 2.5 -> 3 (half away from zero), on both signs.
  EXPECT_EQ(RunInt8(BuiltinOp::kAbs, {1, -1, 2, 0}, PerTensor(0.5f, 0), PerTensor(0.2f, 0)),
            (std::vector<int8_t>{3, 3, 5, 0}));
  // Equal scales: no multiplier, zero points still shift (|0 - 5| - 3 = 2).
  EXPECT_EQ(RunInt8(BuiltinOp::kAbs, {0, 127, -128}, PerTensor(0.1f, 5), PerTensor(0.1f, -3)),
            (std::vector<int8_t>{2, 119, 127}));
}

TEST(ElementwiseUnaryQuantizedTest, AbsInt16QuantizedAndPlain) {
  EXPECT_EQ(RunInt16(BuiltinOp::kAbs, {-20000, -3, 100, 0}, 0.5f, 0.25f),
            (std::vector<int16_t>{32767, 6, 200, 0}));
  // Without quantization parameters int16 ABS is plain abs; -32768 wraps.
  const RunResult r = RunQuantized<int16_t>(BuiltinOp::kAbs, DType::kInt16, {-32768, -5, 7, 0},
                                            Quantization{}, Quantization{});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{-32768, 5, 7, 0}));
}

TEST(ElementwiseUnaryQuantizedTest, RsqrtInt8FixedPoint) {
  // in: scale 0.25, zp -128 (steps above -128 are multiples of 0.25);
  // out: scale 1/64, zp -128. 1/sqrt(1.0) = 1 -> 64 - 128; 1/sqrt(0.25) = 2 -> 0;
  // 1/sqrt(4) -> 32 - 128; 1/sqrt(16) -> 16 - 128; 1/sqrt(2.25) = 0.667 -> 43 - 128;
  // 1/sqrt(63.75) = 0.12525 -> 8.016 -> 8 - 128. The zero point (0) gives the maximum.
  EXPECT_EQ(RunInt8(BuiltinOp::kRsqrt, {-124, -127, -112, -64, -119, 127, -128},
                    PerTensor(0.25f, -128), PerTensor(1.0f / 64, -128)),
            (std::vector<int8_t>{-64, 0, -96, -112, -85, -120, 127}));
}

TEST(ElementwiseUnaryQuantizedTest, RsqrtInt16Table) {
  // in: scale 1/1024, out: scale 1/4096. 1 -> 4096, 4 -> 2048, 16 -> 1024.
  ExpectWithinTwo(RunInt16(BuiltinOp::kRsqrt, {1024, 4096, 16384}, 1.0f / 1024, 1.0f / 4096),
                  {4096, 2048, 1024});
}

TEST(ElementwiseUnaryQuantizedTest, SqrtTruncatesToTheOutputGrid) {
  // in: scale 0.1, zp -128; out: scale 0.05, zp -100. sqrt(0.2) = 0.447 ->
  // 8.94 -> 8 (not 9); sqrt(25.5) = 5.0498 -> 100.99 -> 100 (not 101).
  EXPECT_EQ(RunInt8(BuiltinOp::kSqrt, {-128, -118, -88, -126, 127}, PerTensor(0.1f, -128),
                    PerTensor(0.05f, -100)),
            (std::vector<int8_t>{-100, -80, -60, -92, 0}));
  // int16, scales 0.01: sqrt(0.02) = 0.1414 -> 14.14 -> 14.
  EXPECT_EQ(RunInt16(BuiltinOp::kSqrt, {100, 400, 2, 0}, 0.01f, 0.01f),
            (std::vector<int16_t>{100, 200, 14, 0}));
}

TEST(ElementwiseUnaryQuantizedTest, ExpInt8AndInt16Tables) {
  // in: scale 0.1, zp 0; out: scale 0.05, zp -128. e^1 = 2.718 -> 54.37 -> 54;
  // e^-1 -> 7.36 -> 7; e^2 -> 147.8 -> 148; e^3 = 20.1 saturates; e^-12.8 -> 0.
  EXPECT_EQ(RunInt8(BuiltinOp::kExp, {0, 10, -10, 20, 30, -128}, PerTensor(0.1f, 0),
                    PerTensor(0.05f, -128)),
            (std::vector<int8_t>{-108, -74, -121, 20, 127, -128}));
  // in: scale 1/4096 ([-8, 8)); out: scale 1/1024 ([-32, 32)).
  // e^0 -> 1024, e^1 -> 2783.4, e^-1 -> 376.7, e^4 = 54.6 saturates, e^-8 -> 0.34.
  ExpectWithinTwo(
      RunInt16(BuiltinOp::kExp, {0, 4096, -4096, 16384, -32768}, 1.0f / 4096, 1.0f / 1024),
      {1024, 2783, 377, 32767, 0});
}

TEST(ElementwiseUnaryQuantizedTest, LogInt8AndInt16Tables) {
  // in: scale 0.1, zp -128 ([0, 25.5]); out: scale 0.05, zp 0. log(0) gives
  // the output minimum; log(3) = 1.0986 -> 21.97 -> 22; log(0.1) -> -46.05 -> -46;
  // log(25.5) = 3.2387 -> 64.77 -> 65.
  EXPECT_EQ(RunInt8(BuiltinOp::kLog, {-128, -118, -98, -127, 127}, PerTensor(0.1f, -128),
                    PerTensor(0.05f, 0)),
            (std::vector<int8_t>{-128, 0, 22, -46, 65}));
  // Negative reals also give the minimum (no error, unlike RSQRT / SQRT).
  EXPECT_EQ(RunInt8(BuiltinOp::kLog, {-5}, PerTensor(0.1f, 0), PerTensor(0.05f, 0)),
            (std::vector<int8_t>{-128}));
  // in: scale 1/1024; out: scale 1/4096. log 1 = 0, log 2 -> 2839.1,
  // log 8 -> 8517.4, log(31.999) -> 14195.6; negatives whose segment does
  // not reach 0 -> -32768.
  ExpectWithinTwo(
      RunInt16(BuiltinOp::kLog, {1024, 2048, 8192, 32767, -1000}, 1.0f / 1024, 1.0f / 4096),
      {0, 2839, 8517, 14196, -32768});
}

TEST(ElementwiseUnaryQuantizedTest, ErrorsNameWhatIsWrong) {
  // RSQRT and SQRT are undefined below the input zero point.
  for (BuiltinOp op : {BuiltinOp::kRsqrt, BuiltinOp::kSqrt}) {
    RunResult r =
        RunQuantized<int8_t>(op, DType::kInt8, {3, -1}, PerTensor(0.1f, 0), PerTensor(0.1f, 0));
    ASSERT_FALSE(r.status.ok());
    EXPECT_NE(r.status.message().find("input -1 is below the zero point 0"), std::string::npos)
        << r.status.message();
    r = RunQuantized<int16_t>(op, DType::kInt16, {-2}, PerTensor(0.1f, 0), PerTensor(0.1f, 0));
    ASSERT_FALSE(r.status.ok());
  }
  // int16 needs zero points 0.
  RunResult r = RunQuantized<int16_t>(BuiltinOp::kExp, DType::kInt16, {1}, PerTensor(0.1f, 4),
                                      PerTensor(0.1f, 0));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("int16 EXP needs zero points 0, has 4 and 0"),
            std::string::npos)
      << r.status.message();
  // int8 needs quantization parameters; int16 too, except for ABS.
  r = RunQuantized<int8_t>(BuiltinOp::kLog, DType::kInt8, {1}, Quantization{}, Quantization{});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("has no quantization parameters"), std::string::npos)
      << r.status.message();
  r = RunQuantized<int16_t>(BuiltinOp::kRsqrt, DType::kInt16, {1}, Quantization{}, Quantization{});
  ASSERT_FALSE(r.status.ok());
  // A scale so large that the int16 input range overflows float still runs.
  r = RunQuantized<int16_t>(BuiltinOp::kExp, DType::kInt16, {1, -1}, PerTensor(1e38f, 0),
                            PerTensor(0.1f, 0));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // TFLite has no quantized SQUARE, SIN, COS, NEG; no uint8 for any of them.
  r = RunQuantized<int8_t>(BuiltinOp::kSquare, DType::kInt8, {1}, PerTensor(0.1f, 0),
                           PerTensor(0.1f, 0));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("has dtype int8, expected float32"), std::string::npos)
      << r.status.message();
  r = RunQuantized<uint8_t>(BuiltinOp::kExp, DType::kUInt8, {1}, PerTensor(0.1f, 0),
                            PerTensor(0.1f, 0));
  ASSERT_FALSE(r.status.ok());
}

}  // namespace
}  // namespace qlite
