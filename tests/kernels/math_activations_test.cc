// ELU / GELU / RELU_0_TO_1 / LOG_SOFTMAX / ATAN2 reference kernels. Expected
// values are worked out by hand (or with a calculator) in the comments.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
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

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// One op, one input (or two for ATAN2) of `shape`, output of the same dtype.
template <typename T>
RunResult RunOp(BuiltinOp op, DType type, const Shape& shape, const std::vector<T>& input,
                Quantization in_quant = {}, Quantization out_quant = {},
                OpOptions options = std::monostate{}, const std::vector<T>* second = nullptr,
                Shape second_shape = {}) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape, in_quant);
  std::vector<int> inputs = {in};
  std::vector<std::vector<uint8_t>> data = {ToBytes(input)};
  if (second != nullptr) {
    inputs.push_back(b.AddTensor("x", type, second_shape, {}));
    data.push_back(ToBytes(*second));
  }
  const int out = b.AddTensor("out", type, shape, out_quant);
  b.AddOperator(op, inputs, {out}, options);
  b.SetInputs(inputs);
  b.SetOutputs({out});
  return RunModel(b.Build(), data);
}

template <typename T>
std::vector<T> Ok(const RunResult& r) {
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.status.ok() ? FromBytes<T>(r.outputs[0]) : std::vector<T>{};
}

void ExpectError(const RunResult& r, const std::string& needle) {
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(needle), std::string::npos) << r.status.message();
}

void ExpectNear(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << i;
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << i;
    } else {
      EXPECT_NEAR(got[i], want[i], 1e-6f) << i;
    }
  }
}

// ---- RELU_0_TO_1 ----

TEST(MathActivationsTest, FloatRelu0To1) {
  EXPECT_EQ(Ok<float>(RunOp<float>(BuiltinOp::kRelu0To1, DType::kFloat32, {6},
                                   {-2, -0.5f, 0, 0.25f, 1, 1.5f})),
            (std::vector<float>{0, 0, 0, 0.25f, 1, 1}));
}

// Scale 1/64 -> 1/128, zp -128: out = -128 + 2q, clamped to [-128 (real 0),
// -128 + round(1 * 128) = 0].
TEST(MathActivationsTest, Int8Relu0To1Requantizes) {
  EXPECT_EQ(
      Ok<int8_t>(RunOp<int8_t>(BuiltinOp::kRelu0To1, DType::kInt8, {6}, {-10, 0, 10, 63, 64, 100},
                               PerTensor(1.0f / 64, 0), PerTensor(1.0f / 128, -128))),
      (std::vector<int8_t>{-128, -128, -108, -2, 0, 0}));
}

// Same scale 1/100, zp 50: bounds 50 and 150.
TEST(MathActivationsTest, UInt8Relu0To1) {
  EXPECT_EQ(Ok<uint8_t>(RunOp<uint8_t>(BuiltinOp::kRelu0To1, DType::kUInt8, {7},
                                       {0, 49, 50, 120, 150, 151, 255}, PerTensor(0.01f, 50),
                                       PerTensor(0.01f, 50))),
            (std::vector<uint8_t>{50, 50, 50, 120, 150, 150, 150}));
}

TEST(MathActivationsTest, Relu0To1RejectsInt16) {
  ExpectError(RunOp<int16_t>(BuiltinOp::kRelu0To1, DType::kInt16, {1}, {1}, PerTensor(1.0f, 0),
                             PerTensor(1.0f, 0)),
              "has dtype int16");
}

// ---- ELU ----

// elu(-1) = e^-1 - 1 = -0.6321205588, elu(-inf) = -1.
TEST(MathActivationsTest, FloatElu) {
  ExpectNear(Ok<float>(RunOp<float>(BuiltinOp::kElu, DType::kFloat32, {2, 3},
                                    {-1, 0, 2, -kInf, kInf, kNaN})),
             {-0.6321205588f, 0, 2, -1, kInf, kNaN});
}

// Input scale 1/16, output 1/64, zero points 0: q = -16 is -1.0 -> -0.63212
// * 64 = -40.46 -> -40; -128 is -8.0 -> -0.99966 * 64 -> -64; -1 is -0.0625
// -> -0.060587 * 64 = -3.88 -> -4; 16 is 1.0 -> 64; 127 is 7.94 -> 508 -> 127.
TEST(MathActivationsTest, Int8EluTable) {
  EXPECT_EQ(
      Ok<int8_t>(RunOp<int8_t>(BuiltinOp::kElu, DType::kInt8, {6}, {-128, -16, -1, 0, 16, 127},
                               PerTensor(1.0f / 16, 0), PerTensor(1.0f / 64, 0))),
      (std::vector<int8_t>{-64, -40, -4, 0, 64, 127}));
}

TEST(MathActivationsTest, EluRejectsUInt8AndEmptyInputs) {
  ExpectError(RunOp<uint8_t>(BuiltinOp::kElu, DType::kUInt8, {1}, {1}, PerTensor(1.0f, 0),
                             PerTensor(1.0f, 0)),
              "has dtype uint8");
  // Empty model inputs are refused before the kernel runs.
  ExpectError(RunOp<float>(BuiltinOp::kElu, DType::kFloat32, {0, 3}, {}), "empty dimension");
}

// ---- GELU ----

// Exact: gelu(x) = x * Phi(x); Phi(1) = 0.8413447461, Phi(3) = 0.9986501020.
// Tanh form at 1: 0.5 * (1 + tanh(0.7978845608 * 1.044715)) = 0.8411919906.
TEST(MathActivationsTest, FloatGeluBothForms) {
  const std::vector<float> in = {-3, -1, 0, 1, 3, kNaN};
  ExpectNear(Ok<float>(RunOp<float>(BuiltinOp::kGelu, DType::kFloat32, {6}, in, {}, {},
                                    GeluOptions{false})),
             {-0.0040496941f, -0.1586552539f, 0, 0.8413447461f, 2.9959503059f, kNaN});
  ExpectNear(Ok<float>(RunOp<float>(BuiltinOp::kGelu, DType::kFloat32, {6}, in, {}, {},
                                    GeluOptions{true})),
             {-0.0036373921f, -0.1588080094f, 0, 0.8411919906f, 2.9963626079f, kNaN});
}

// Input scale 1/32 zp 0, output 1/64 zp -10: q = 32 is 1.0 -> 0.84134 * 64 =
// 53.85 -> 54 - 10 = 44; 64 is 2.0 -> 1.9545 * 64 = 125.1 -> 115; 1 ->
// 0.016015 * 64 = 1.02 -> -9; -1 -> -0.97 -> -11; 127 saturates.
TEST(MathActivationsTest, Int8GeluTable) {
  EXPECT_EQ(Ok<int8_t>(RunOp<int8_t>(BuiltinOp::kGelu, DType::kInt8, {8},
                                     {-128, -32, -1, 0, 1, 32, 64, 127}, PerTensor(1.0f / 32, 0),
                                     PerTensor(1.0f / 64, -10), GeluOptions{false})),
            (std::vector<int8_t>{-10, -20, -11, -10, -9, 44, 115, 127}));
}

// Tanh form, scale 0.05 zp 128 in, 0.05 zp 20 out: 140 is 0.6 -> 0.43498 / 0.05
// = 8.7 -> 29; 200 is 3.6 -> 3.5994 -> 72 + 20 = 92; 100 is -1.4 -> -0.1128
// -> -2 -> 18.
TEST(MathActivationsTest, UInt8GeluApproximateTable) {
  EXPECT_EQ(
      Ok<uint8_t>(RunOp<uint8_t>(BuiltinOp::kGelu, DType::kUInt8, {6}, {0, 100, 128, 140, 200, 255},
                                 PerTensor(0.05f, 128), PerTensor(0.05f, 20), GeluOptions{true})),
      (std::vector<uint8_t>{20, 18, 20, 29, 92, 147}));
}

TEST(MathActivationsTest, GeluErrors) {
  ExpectError(RunOp<int32_t>(BuiltinOp::kGelu, DType::kInt32, {1}, {1}), "has dtype int32");
  ExpectError(RunOp<int8_t>(BuiltinOp::kGelu, DType::kInt8, {1}, {1}, {}, PerTensor(1.0f, 0)),
              "no quantization");
}

// ---- LOG_SOFTMAX ----

// Rows {0, 0}: -ln 2 each. {1, 2, 3}: x - 3 - ln(1 + e^-1 + e^-2) = x - 3.4076059644.
TEST(MathActivationsTest, FloatLogSoftmaxLastAxis) {
  ExpectNear(
      Ok<float>(RunOp<float>(BuiltinOp::kLogSoftmax, DType::kFloat32, {2, 1, 2}, {0, 0, -kInf, 5})),
      {-0.6931471806f, -0.6931471806f, -kInf, 0});
  ExpectNear(Ok<float>(RunOp<float>(BuiltinOp::kLogSoftmax, DType::kFloat32, {3}, {1, 2, 3})),
             {-2.4076059644f, -1.4076059644f, -0.4076059644f});
}

// Input scale 1/16, output 1/16 (zp 127 / 255). Row {0, 0}: -ln 2 * 16 =
// -11.09 -> -11. Row {16, 0} (1.0, 0.0): -0.31326 * 16 = -5.01 -> -5 and
// -1.31326 * 16 = -21.01 -> -21. A single entry is 0. A difference of -255
// steps is below the output range.
TEST(MathActivationsTest, Int8LogSoftmax) {
  EXPECT_EQ(Ok<int8_t>(RunOp<int8_t>(BuiltinOp::kLogSoftmax, DType::kInt8, {4, 2},
                                     {0, 0, 16, 0, 127, -128, 5, 5}, PerTensor(1.0f / 16, 0),
                                     PerTensor(16.0f / 256, 127))),
            (std::vector<int8_t>{116, 116, 122, 106, 127, -128, 116, 116}));
  EXPECT_EQ(Ok<int8_t>(RunOp<int8_t>(BuiltinOp::kLogSoftmax, DType::kInt8, {1}, {-7},
                                     PerTensor(0.1f, 3), PerTensor(16.0f / 256, 127))),
            (std::vector<int8_t>{127}));
}

TEST(MathActivationsTest, UInt8LogSoftmax) {
  EXPECT_EQ(Ok<uint8_t>(RunOp<uint8_t>(BuiltinOp::kLogSoftmax, DType::kUInt8, {3, 2},
                                       {0, 0, 16, 0, 255, 0}, PerTensor(1.0f / 16, 0),
                                       PerTensor(16.0f / 256, 255))),
            (std::vector<uint8_t>{244, 244, 250, 234, 255, 0}));
}

// 5000 equal entries: the Q12.19 sum (5000 * 1.0) leaves int32, where TFLite
// overflows; qlite saturates it at 4096, so every output is 127 -
// round(ln(4096) * 16 = 133.08) = -6 (the true -ln(5000) would give -9).
TEST(MathActivationsTest, Int8LogSoftmaxLongRowSaturatesTheSum) {
  const std::vector<int8_t> in(5000, 7);
  const auto out = Ok<int8_t>(RunOp<int8_t>(BuiltinOp::kLogSoftmax, DType::kInt8, {5000}, in,
                                            PerTensor(1.0f / 16, 0), PerTensor(16.0f / 256, 127)));
  ASSERT_EQ(out.size(), in.size());
  for (int8_t v : out) ASSERT_EQ(v, -6);
}

TEST(MathActivationsTest, LogSoftmaxErrors) {
  ExpectError(RunOp<int8_t>(BuiltinOp::kLogSoftmax, DType::kInt8, {2}, {0, 0},
                            PerTensor(1.0f / 16, 0), PerTensor(1.0f / 256, 127)),
              "scale 16/256 and zero point 127");
  ExpectError(RunOp<uint8_t>(BuiltinOp::kLogSoftmax, DType::kUInt8, {2}, {0, 0},
                             PerTensor(1.0f / 16, 0), PerTensor(16.0f / 256, 127)),
              "zero point 255");
  ExpectError(RunOp<int16_t>(BuiltinOp::kLogSoftmax, DType::kInt16, {2}, {0, 0}, PerTensor(1.0f, 0),
                             PerTensor(1.0f, 0)),
              "has dtype int16");
  ExpectError(RunOp<float>(BuiltinOp::kLogSoftmax, DType::kFloat32, {}, {1}), "rank >= 1");
  // An input scale so small that the Q5.26 rescale needs no left shift.
  ExpectError(RunOp<int8_t>(BuiltinOp::kLogSoftmax, DType::kInt8, {2}, {0, 0}, PerTensor(1e-12f, 0),
                            PerTensor(16.0f / 256, 127)),
              "out of the range");
  ExpectError(RunOp<float>(BuiltinOp::kLogSoftmax, DType::kFloat32, {2, 0}, {}), "empty dimension");
}

// ---- ATAN2 ----

// atan2(y, x): quadrants, signed zeros, infinities, NaN.
TEST(MathActivationsTest, Atan2Float) {
  const std::vector<float> x = {1, -1, -1, -1, 0, kInf, -3, 1};
  ExpectNear(Ok<float>(RunOp<float>(BuiltinOp::kAtan2, DType::kFloat32, {2, 4},
                                    {1, 1, 0.0f, -0.0f, 1, kInf, -2, kNaN}, {}, {},
                                    std::monostate{}, &x, {2, 4})),
             {0.7853981634f, 2.3561944902f, 3.1415926536f, -3.1415926536f, 1.5707963268f,
              0.7853981634f, -2.5535900500f, kNaN});
}

TEST(MathActivationsTest, Atan2Float64) {
  const std::vector<double> x = {1, -1};
  const auto got = Ok<double>(RunOp<double>(BuiltinOp::kAtan2, DType::kFloat64, {2}, {1, 1}, {}, {},
                                            std::monostate{}, &x, {2}));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NEAR(got[0], 0.78539816339744831, 1e-15);
  EXPECT_NEAR(got[1], 2.35619449019234492, 1e-15);
}

TEST(MathActivationsTest, Atan2Errors) {
  const std::vector<float> x = {1};
  ExpectError(RunOp<float>(BuiltinOp::kAtan2, DType::kFloat32, {2}, {1, 2}, {}, {},
                           std::monostate{}, &x, {1}),
              "same shape");
  const std::vector<int32_t> xi = {1};
  ExpectError(RunOp<int32_t>(BuiltinOp::kAtan2, DType::kInt32, {1}, {1}, {}, {}, std::monostate{},
                             &xi, {1}),
              "has dtype int32");
}

}  // namespace
}  // namespace qlite
