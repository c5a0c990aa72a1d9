// RELU / RELU6 / RELU_N1_TO_1 / LEAKY_RELU / HARD_SWISH reference kernels:
// float semantics, TFLite's integer requantization (worked out by hand in the
// comments), int16 saturation, and model errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using qlite::testing::FromBytes;
using qlite::testing::RunModel;
using qlite::testing::RunResult;
using qlite::testing::ToBytes;

struct UnaryCase {
  BuiltinOp op = BuiltinOp::kRelu;
  DType type = DType::kFloat32;
  Quantization in_quant, out_quant;
  OpOptions options;
  DType out_type = DType::kFloat32;  // used when different_out_type
  bool different_out_type = false;
};

UnaryCase Case(BuiltinOp op, DType type, Quantization in_quant = {}, Quantization out_quant = {},
               OpOptions options = std::monostate{}) {
  UnaryCase c;
  c.op = op;
  c.type = type;
  c.in_quant = std::move(in_quant);
  c.out_quant = std::move(out_quant);
  c.options = std::move(options);
  return c;
}

template <typename T>
RunResult RunUnary(const UnaryCase& c, const std::vector<T>& input) {
  ModelBuilder b;
  const Shape shape = {1, static_cast<int32_t>(input.size())};
  const int in = b.AddTensor("in", c.type, shape, c.in_quant);
  const int out =
      b.AddTensor("out", c.different_out_type ? c.out_type : c.type, shape, c.out_quant);
  b.AddOperator(c.op, {in}, {out}, c.options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

template <typename T>
std::vector<T> RunOk(const UnaryCase& c, const std::vector<T>& input) {
  const RunResult r = RunUnary(c, input);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  EXPECT_EQ(r.shapes[0], (Shape{1, static_cast<int32_t>(input.size())}));
  return FromBytes<T>(r.outputs[0]);
}

template <typename T>
void ExpectError(const UnaryCase& c, const std::vector<T>& input, const std::string& needle) {
  const RunResult r = RunUnary(c, input);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(needle), std::string::npos) << r.status.message();
}

// ---- RELU family ----

TEST(ActivationsTest, FloatReluFamily) {
  EXPECT_EQ(RunOk<float>(Case(BuiltinOp::kRelu, DType::kFloat32), {-2, -0.5f, 0, 0.5f, 3e6f}),
            (std::vector<float>{0, 0, 0, 0.5f, 3e6f}));
  EXPECT_EQ(RunOk<float>(Case(BuiltinOp::kRelu6, DType::kFloat32), {-1, 3, 6, 7.5f}),
            (std::vector<float>{0, 3, 6, 6}));
  EXPECT_EQ(RunOk<float>(Case(BuiltinOp::kReluN1To1, DType::kFloat32), {-2, -0.5f, 0.25f, 1.5f}),
            (std::vector<float>{-1, -0.5f, 0.25f, 1}));
}

// Input scale 0.5, output scale 1: the multiplier 0.5 is 2^30 * 2^-31, and
// SaturatingRoundingDoublingHighMul(x, 2^30) = x / 2 rounded with TFLite's
// nudge (+0.5 -> 1, 1.5 -> 2, 2.5 -> 3, 63.5 -> 64). Bounds [0, 127].
TEST(ActivationsTest, Int8ReluRequantizesWithRounding) {
  const auto c = Case(BuiltinOp::kRelu, DType::kInt8, PerTensor(0.5f, 0), PerTensor(1.0f, 0));
  EXPECT_EQ(RunOk<int8_t>(c, {-7, -1, 0, 1, 2, 3, 5, 127}),
            (std::vector<int8_t>{0, 0, 0, 1, 1, 2, 3, 64}));
}

// Scale 0.5 zp -10 -> scale 0.25 zp 5: out = 5 + 2 * (q + 10), clamped to
// [5 (real 0), 127].
TEST(ActivationsTest, Int8ReluWithZeroPoints) {
  const auto c = Case(BuiltinOp::kRelu, DType::kInt8, PerTensor(0.5f, -10), PerTensor(0.25f, 5));
  EXPECT_EQ(RunOk<int8_t>(c, {-128, -20, -10, -9, 0, 50, 127}),
            (std::vector<int8_t>{5, 5, 5, 7, 25, 125, 127}));
}

// Scale 0.1 -> 0.05 (ratio exactly 2 in float), output zp -128: out = -128 +
// 2q; the upper bound is -128 + round(6 / 0.05) = -8.
TEST(ActivationsTest, Int8Relu6ClampsAtSix) {
  const auto c = Case(BuiltinOp::kRelu6, DType::kInt8, PerTensor(0.1f, 0), PerTensor(0.05f, -128));
  EXPECT_EQ(RunOk<int8_t>(c, {-5, 0, 30, 59, 60, 61, 100}),
            (std::vector<int8_t>{-128, -128, -68, -10, -8, -8, -8}));
}

// Same scale 1/64 and zp 128 on both sides: bounds 128 -/+ 64.
TEST(ActivationsTest, UInt8ReluN1To1) {
  const auto c = Case(BuiltinOp::kReluN1To1, DType::kUInt8, PerTensor(1.0f / 64, 128),
                      PerTensor(1.0f / 64, 128));
  EXPECT_EQ(RunOk<uint8_t>(c, {0, 60, 64, 128, 150, 192, 200, 255}),
            (std::vector<uint8_t>{64, 64, 64, 128, 150, 192, 192, 192}));
}

// int16 scale 1/1024 -> 1/512: x / 2 rounded; the extremes stay in range.
TEST(ActivationsTest, Int16Relu) {
  const auto c =
      Case(BuiltinOp::kRelu, DType::kInt16, PerTensor(1.0f / 1024, 0), PerTensor(1.0f / 512, 0));
  EXPECT_EQ(RunOk<int16_t>(c, {-32768, -3, 0, 1, 3, 32767}),
            (std::vector<int16_t>{0, 0, 0, 1, 2, 16384}));
}

// Scale 1/4096 -> 1/8192 doubles every value: 2 * 32767 saturates at 32767
// (6.0 would be 49152, beyond int16), -32768 clamps to 0.
TEST(ActivationsTest, Int16Relu6Saturates) {
  const auto doubling =
      Case(BuiltinOp::kRelu6, DType::kInt16, PerTensor(1.0f / 4096, 0), PerTensor(1.0f / 8192, 0));
  EXPECT_EQ(RunOk<int16_t>(doubling, {32767, -32768, 100, 16384}),
            (std::vector<int16_t>{32767, 0, 200, 32767}));
  // Same scale 1/4096: 6.0 is 24576.
  const auto same =
      Case(BuiltinOp::kRelu6, DType::kInt16, PerTensor(1.0f / 4096, 0), PerTensor(1.0f / 4096, 0));
  EXPECT_EQ(RunOk<int16_t>(same, {32767, 30000, 24576, 24575, -1}),
            (std::vector<int16_t>{24576, 24576, 24576, 24575, 0}));
}

TEST(ActivationsTest, ReluErrors) {
  // TFLite has no int16 RELU_N1_TO_1.
  ExpectError<int16_t>(Case(BuiltinOp::kReluN1To1, DType::kInt16, PerTensor(1.0f / 1024, 0),
                            PerTensor(1.0f / 1024, 0)),
                       {1}, "has dtype int16");
  // int16 activations are symmetric.
  ExpectError<int16_t>(
      Case(BuiltinOp::kRelu, DType::kInt16, PerTensor(1.0f / 1024, 3), PerTensor(1.0f / 1024, 0)),
      {1}, "zero point 0");
  // Output dtype must match the input's.
  auto mismatch = Case(BuiltinOp::kRelu, DType::kInt8, PerTensor(0.5f, 0), PerTensor(0.5f, 0));
  mismatch.different_out_type = true;
  mismatch.out_type = DType::kUInt8;
  ExpectError<int8_t>(mismatch, {1}, "output tensor 'out' has dtype uint8");
  // Quantized tensors need quantization parameters.
  ExpectError<int8_t>(Case(BuiltinOp::kRelu6, DType::kInt8, {}, PerTensor(0.5f, 0)), {1},
                      "no quantization");
  ExpectError<int32_t>(Case(BuiltinOp::kRelu, DType::kInt32), {1}, "has dtype int32");
}

TEST(ActivationsTest, ReluRejectsTwoInputs) {
  ModelBuilder b;
  const int in0 = b.AddTensor("in0", DType::kFloat32, {2});
  const int in1 = b.AddTensor("in1", DType::kFloat32, {2});
  const int out = b.AddTensor("out", DType::kFloat32, {2});
  b.AddOperator(BuiltinOp::kRelu, {in0, in1}, {out});
  b.SetInputs({in0, in1});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes<float>({1, 2}), ToBytes<float>({3, 4})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("expects 1 inputs, got 2"), std::string::npos)
      << r.status.message();
}

// ---- LEAKY_RELU ----

TEST(ActivationsTest, FloatLeakyRelu) {
  const auto c = Case(BuiltinOp::kLeakyRelu, DType::kFloat32, {}, {}, LeakyReluOptions{0.2f});
  const auto out = RunOk<float>(c, {-5, -1, 0, 2});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_FLOAT_EQ(out[0], -1.0f);
  EXPECT_FLOAT_EQ(out[1], -0.2f);
  EXPECT_FLOAT_EQ(out[2], 0.0f);
  EXPECT_FLOAT_EQ(out[3], 2.0f);
  // A negative alpha flips negatives.
  const auto negative =
      Case(BuiltinOp::kLeakyRelu, DType::kFloat32, {}, {}, LeakyReluOptions{-0.5f});
  EXPECT_EQ(RunOk<float>(negative, {-4, 2}), (std::vector<float>{2, 2}));
}

// Scales 1 and 1, zp 10 -> -10, alpha 0.25 = 2^30 * 2^-32: negatives are
// x/2 rounded (SaturatingRoundingDoublingHighMul) then /2 rounded again
// (RoundingDivideByPOT): -138 -> -69 -> -35, -6 -> -3 -> -2, -3 -> -1 -> -1,
// -1 -> 0 -> 0. Non-negatives pass unchanged (identity multiplier).
TEST(ActivationsTest, Int8LeakyReluAlphaOnNegatives) {
  const auto c = Case(BuiltinOp::kLeakyRelu, DType::kInt8, PerTensor(1.0f, 10),
                      PerTensor(1.0f, -10), LeakyReluOptions{0.25f});
  EXPECT_EQ(RunOk<int8_t>(c, {-128, 4, 6, 7, 8, 9, 10, 11, 127}),
            (std::vector<int8_t>{-45, -12, -11, -11, -11, -10, -10, -9, 107}));
}

// Same as above in uint8 with zero points 128 -> 100; 255 - 128 = 127
// passes the identity and lands on 227.
TEST(ActivationsTest, UInt8LeakyRelu) {
  const auto c = Case(BuiltinOp::kLeakyRelu, DType::kUInt8, PerTensor(1.0f, 128),
                      PerTensor(1.0f, 100), LeakyReluOptions{0.25f});
  EXPECT_EQ(RunOk<uint8_t>(c, {0, 122, 127, 128, 129, 255}),
            (std::vector<uint8_t>{68, 98, 100, 100, 101, 227}));
}

// A negative alpha: the scaled magnitude is negated, -128 * -1 = 128
// saturates at 127.
TEST(ActivationsTest, Int8LeakyReluNegativeAlpha) {
  const auto c = Case(BuiltinOp::kLeakyRelu, DType::kInt8, PerTensor(1.0f, 0), PerTensor(1.0f, 0),
                      LeakyReluOptions{-1.0f});
  EXPECT_EQ(RunOk<int8_t>(c, {-128, -5, 0, 5}), (std::vector<int8_t>{127, 5, 0, 5}));
}

// int16, same scales, alpha 0.5: SaturatingRoundingDoublingHighMul(x, 2^30)
// rounds half up: -32768 -> -16384, -3 -> -1, -2 -> -1, -1 -> 0.
TEST(ActivationsTest, Int16LeakyRelu) {
  const auto c = Case(BuiltinOp::kLeakyRelu, DType::kInt16, PerTensor(1.0f / 1024, 0),
                      PerTensor(1.0f / 1024, 0), LeakyReluOptions{0.5f});
  EXPECT_EQ(RunOk<int16_t>(c, {-32768, -3, -2, -1, 0, 1, 32767}),
            (std::vector<int16_t>{-16384, -1, -1, 0, 0, 1, 32767}));
}

// Output scale half the input's: positives double and saturate at 32767;
// alpha 0.5 makes the negative multiplier exactly 1, so -32768 stays.
TEST(ActivationsTest, Int16LeakyReluSaturates) {
  const auto c = Case(BuiltinOp::kLeakyRelu, DType::kInt16, PerTensor(1.0f / 1024, 0),
                      PerTensor(1.0f / 2048, 0), LeakyReluOptions{0.5f});
  EXPECT_EQ(RunOk<int16_t>(c, {-32768, -5, 5, 20000, 32767}),
            (std::vector<int16_t>{-32768, -5, 10, 32767, 32767}));
}

TEST(ActivationsTest, LeakyReluErrors) {
  ExpectError<int16_t>(Case(BuiltinOp::kLeakyRelu, DType::kInt16, PerTensor(1.0f / 1024, 0),
                            PerTensor(1.0f / 1024, 1), LeakyReluOptions{0.5f}),
                       {1}, "zero point 0");
  ExpectError<float>(Case(BuiltinOp::kLeakyRelu, DType::kFloat32, {}, {},
                          LeakyReluOptions{std::numeric_limits<float>::infinity()}),
                     {1}, "alpha must be finite");
  ExpectError<int8_t>(Case(BuiltinOp::kLeakyRelu, DType::kInt8, PerTensor(0.0f, 0),
                           PerTensor(1.0f, 0), LeakyReluOptions{0.5f}),
                      {1}, "invalid scale");
}

// ---- HARD_SWISH ----

TEST(ActivationsTest, FloatHardSwish) {
  const auto c = Case(BuiltinOp::kHardSwish, DType::kFloat32);
  // x * relu6(x + 3) / 6: 0 at and below -3, x from +3 on.
  const auto out = RunOk<float>(c, {-4, -3, -1, 0, 0.5f, 1, 3, 5});
  const std::vector<float> expected = {0, 0, -1.0f / 3, 0, 0.5f * 3.5f / 6, 4.0f / 6, 3, 5};
  ASSERT_EQ(out.size(), expected.size());
  for (size_t i = 0; i < out.size(); ++i) EXPECT_FLOAT_EQ(out[i], expected[i]) << i;
}

// Input and output scale 1/16, zp 0. Prepare: hires scale 2^-11, output
// multiplier 2^-7 -> int16 16384 with exponent -6; relu-ish multiplier
// 2^-11 / (3/32768) = 16/3 -> Q31 1431655808 -> int16 21845, exponent 3.
// For q = 16 (1.0): x = 2048, x_out = 1024; relu-ish: 2048 << 2 = 8192,
// * 21845 / 2^15 -> 5461, << 1 -> 10922, to [0, 1]: (10922 + 32768) >> 1 =
// 21845; 21845 * 1024 / 2^15 -> 682 (truncated), / 64 rounded -> 11
// (ideal 2/3 * 16 = 10.7).
// q = 48 (3.0): relu-ish saturates to 32767, 32767 * 3072 / 2^15 -> 3071,
// / 64 -> 48 (= 3.0). q = -48 (-3.0): relu-ish -32768 -> 0 -> 0.
// q = -40 (-2.5): relu-ish 2731, * -2560 / 2^15 -> -213, / 64 -> -3
// (ideal -0.208 * 16 = -3.3). q = +-1: 32 / 64 rounds to 1, -31 / 64 to 0.
TEST(ActivationsTest, Int8HardSwish) {
  const auto c =
      Case(BuiltinOp::kHardSwish, DType::kInt8, PerTensor(1.0f / 16, 0), PerTensor(1.0f / 16, 0));
  EXPECT_EQ(RunOk<int8_t>(c, {-128, -48, -40, -1, 0, 1, 16, 48, 64, 127}),
            (std::vector<int8_t>{0, 0, -3, 0, 0, 1, 11, 48, 64, 127}));
}

// The int8 case shifted by zero points 128 (input) and 64 (output).
TEST(ActivationsTest, UInt8HardSwishWithZeroPoints) {
  const auto c = Case(BuiltinOp::kHardSwish, DType::kUInt8, PerTensor(1.0f / 16, 128),
                      PerTensor(1.0f / 16, 64));
  EXPECT_EQ(RunOk<uint8_t>(c, {0, 80, 88, 128, 144, 176, 255}),
            (std::vector<uint8_t>{64, 64, 61, 64, 75, 112, 191}));
}

// Output scale 1/32: results double, 127 (7.94) would be 254 -> clamps.
TEST(ActivationsTest, Int8HardSwishSaturatesOutput) {
  const auto c =
      Case(BuiltinOp::kHardSwish, DType::kInt8, PerTensor(1.0f / 16, 0), PerTensor(1.0f / 32, 0));
  // q = 48: 3071 / 32 -> 96 (= 3.0); q = 1: 32 / 32 = 1; q = -1: -31 / 32 -> -1.
  EXPECT_EQ(RunOk<int8_t>(c, {-48, -1, 0, 1, 48, 127}),
            (std::vector<int8_t>{0, -1, 0, 1, 96, 127}));
}

// Extreme but valid scales drive the relu-ish exponent to +14 (saturating
// left shifts) and -13, and the output exponent to -26 (gemmlowp's int16
// rounding shift beyond 15 bits): every input must run without overflow.
TEST(ActivationsTest, Int8HardSwishExtremeScales) {
  std::vector<int8_t> all;
  for (int v = -128; v <= 127; ++v) all.push_back(static_cast<int8_t>(v));
  const std::pair<float, float> scales[] = {{100.0f, 100.0f}, {1e-6f, 1e-6f}, {1e-3f, 1e3f}};
  for (const auto& [in_scale, out_scale] : scales) {
    const auto out = RunOk<int8_t>(
        Case(BuiltinOp::kHardSwish, DType::kInt8, PerTensor(in_scale, 0), PerTensor(out_scale, 0)),
        all);
    ASSERT_EQ(out.size(), all.size()) << in_scale;
  }
  // With input scale 100 every input is beyond +-3: x for q > 0, 0 below.
  const auto big = RunOk<int8_t>(
      Case(BuiltinOp::kHardSwish, DType::kInt8, PerTensor(100.0f, 0), PerTensor(100.0f, 0)),
      {-128, -1, 0, 1, 127});
  EXPECT_EQ(big, (std::vector<int8_t>{0, 0, 0, 1, 127}));
}

TEST(ActivationsTest, HardSwishErrors) {
  // Output scale below input scale / 128: TFLite needs a right-shifting
  // output multiplier.
  ExpectError<int8_t>(
      Case(BuiltinOp::kHardSwish, DType::kInt8, PerTensor(1.0f, 0), PerTensor(1.0f / 256, 0)), {1},
      "must be at least the input scale / 128");
  ExpectError<int16_t>(Case(BuiltinOp::kHardSwish, DType::kInt16, PerTensor(1.0f / 1024, 0),
                            PerTensor(1.0f / 1024, 0)),
                       {1}, "has dtype int16");
}

}  // namespace
}  // namespace qlite
