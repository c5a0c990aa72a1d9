// SOFTMAX reference kernel: float, int8 and uint8 (TFLite's integer algorithm)
// and int16 (TFLite's LUT algorithm).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
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

struct SoftmaxCase {
  DType type = DType::kFloat32;
  Shape shape;
  float beta = 1.0f;
  Quantization in_quant, out_quant;
  DType out_type = DType::kFloat32;
};

template <typename T>
RunResult RunSoftmax(const SoftmaxCase& c, const std::vector<T>& input) {
  ModelBuilder b;
  const int in = b.AddTensor("in", c.type, c.shape, c.in_quant);
  const int out = b.AddTensor("out", c.out_type, c.shape, c.out_quant);
  b.AddOperator(BuiltinOp::kSoftmax, {in}, {out}, SoftmaxOptions{c.beta});
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

SoftmaxCase Int8Case(Shape shape, float input_scale, float beta = 1.0f) {
  SoftmaxCase c;
  c.type = c.out_type = DType::kInt8;
  c.shape = std::move(shape);
  c.beta = beta;
  c.in_quant = PerTensor(input_scale, 0);
  c.out_quant = PerTensor(1.0f / 256, -128);
  return c;
}

TEST(SoftmaxTest, FloatRows) {
  SoftmaxCase c;
  c.shape = {2, 4};
  // Row 0: exp(-3), exp(-2), exp(-1), 1 over their sum 1.5530010.
  // Row 1: all equal -> 1/4 each.
  const RunResult r = RunSoftmax<float>(c, {1, 2, 3, 4, -7, -7, -7, -7});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const auto out = FromBytes<float>(r.outputs[0]);
  const std::vector<float> expected = {0.0320586f, 0.0871443f, 0.2368828f, 0.6439143f,
                                       0.25f,      0.25f,      0.25f,      0.25f};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(out[i], expected[i], 1e-6) << i;
  EXPECT_EQ(r.shapes[0], (Shape{2, 4}));
}

TEST(SoftmaxTest, FloatBetaAndRank1) {
  SoftmaxCase c;
  c.shape = {2};
  c.beta = 2.0f;
  // exp(2 * (0 - 1)) = e^-2: [e^-2, 1] / (1 + e^-2) = [0.1192029, 0.8807971].
  const RunResult r = RunSoftmax<float>(c, {0, 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const auto out = FromBytes<float>(r.outputs[0]);
  EXPECT_NEAR(out[0], 0.1192029f, 1e-6);
  EXPECT_NEAR(out[1], 0.8807971f, 1e-6);
}

// A row of N equal values has probability 1/N = round(256 / N) - 128.
TEST(SoftmaxTest, Int8EqualRows) {
  struct Expect {
    int n;
    int8_t value;
  };
  // 1 -> 256 clamps to 127; 2 -> 128-128; 3 -> 85.33; 4 -> 64; 5 -> 51.2;
  // 10 -> 25.6 -> 26; 256 -> 1; 300 -> 0.85 -> 1.
  for (const Expect e : {Expect{1, 127}, Expect{2, 0}, Expect{3, -43}, Expect{4, -64},
                         Expect{5, -77}, Expect{10, -102}, Expect{256, -127}, Expect{300, -127}}) {
    const RunResult r = RunSoftmax<int8_t>(Int8Case({1, e.n}, 0.1f), std::vector<int8_t>(e.n, 17));
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    const auto out = FromBytes<int8_t>(r.outputs[0]);
    for (int i = 0; i < e.n; ++i) ASSERT_EQ(out[i], e.value) << "n=" << e.n << " i=" << i;
  }
}

// Sums of 512 or more (TFLite's reference stops with a check failure there)
// give probabilities below half an output step: all -128.
TEST(SoftmaxTest, Int8VeryLongEqualRowIsAllMinimum) {
  const RunResult r = RunSoftmax<int8_t>(Int8Case({600}, 0.1f), std::vector<int8_t>(600, 0));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  for (int8_t v : FromBytes<int8_t>(r.outputs[0])) ASSERT_EQ(v, -128);
}

TEST(SoftmaxTest, Int8LargeLogitsGiveWinnerTakesAll) {
  // Scale 1, beta 1: multiplier 2^26 = 2^30 * 2^(27-31), left shift 27;
  // diff_min = -floor(31 * 2^26 / 2^27) = -15: every loser is cut off.
  const RunResult r = RunSoftmax<int8_t>(Int8Case({1, 4}, 1.0f), {100, -100, 0, 50});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{127, -128, -128, -128}));

  // Scale 0.1: left shift 23, diff_min = -floor(31 * 2^26 / 2^23) = -248, so
  // a diff of -255 is cut off while the winner stays at 127.
  const RunResult r2 = RunSoftmax<int8_t>(Int8Case({2}, 0.1f), {-128, 127});
  ASSERT_TRUE(r2.status.ok()) << r2.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r2.outputs[0]), (std::vector<int8_t>{-128, 127}));
}

TEST(SoftmaxTest, Int8TwoValues) {
  // Scale 0.5, diffs 0 and -2 -> exp(-1): p = [1, e^-1] / (1 + e^-1)
  // = [0.7310586, 0.2689414] -> 187.15, 68.85 -> 187-128, 69-128.
  const RunResult r = RunSoftmax<int8_t>(Int8Case({2}, 0.5f), {4, 2});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{59, -59}));
}

// The integer result stays within one step of the exactly rounded float
// softmax of the dequantized input, over many random rows and scales.
TEST(SoftmaxTest, Int8MatchesFloatWithinOneStep) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> value(-128, 127);
  std::uniform_int_distribution<int> depth_dist(1, 40);
  std::uniform_real_distribution<float> scale_dist(0.005f, 0.3f);
  std::uniform_real_distribution<float> beta_dist(0.5f, 2.0f);
  int checked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int depth = depth_dist(rng);
    const int rows = 20;
    const float scale = scale_dist(rng);
    const float beta = beta_dist(rng);
    std::vector<int8_t> input(rows * depth);
    for (auto& v : input) v = static_cast<int8_t>(value(rng));
    const RunResult r = RunSoftmax<int8_t>(Int8Case({rows, depth}, scale, beta), input);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    const auto out = FromBytes<int8_t>(r.outputs[0]);
    for (int row = 0; row < rows; ++row) {
      const int8_t* in = &input[row * depth];
      const int max = *std::max_element(in, in + depth);
      double sum = 0;
      for (int c = 0; c < depth; ++c) sum += std::exp(double(beta) * scale * (in[c] - max));
      for (int c = 0; c < depth; ++c) {
        const double p = std::exp(double(beta) * scale * (in[c] - max)) / sum;
        const double expected = std::clamp(std::round(p * 256) - 128, -128.0, 127.0);
        ASSERT_LE(std::abs(out[row * depth + c] - expected), 1)
            << "scale=" << scale << " beta=" << beta << " p=" << p;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(SoftmaxTest, UInt8EqualRow) {
  SoftmaxCase c;
  c.type = c.out_type = DType::kUInt8;
  c.shape = {4};
  c.in_quant = PerTensor(0.1f, 128);
  c.out_quant = PerTensor(1.0f / 256, 0);
  // 1/4 * 256 = 64.
  const RunResult r = RunSoftmax<uint8_t>(c, {200, 200, 200, 200});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{64, 64, 64, 64}));
}

// ---- int16 ----
// Table entries used below (exp table: inputs -10..0 in 512 steps of 10/512,
// outputs x 32768; each anchor is lowered by half its midpoint error):
//   exp[511]: exp(-10/512) * 32768 = 32134.21 -> 32134; midpoint exp(-5/512)
//     * 32768 = 32449.56 -> 32450, interpolated (32768 + 32134) / 2 = 32451:
//     error 1, bias round(0.5) = 1 -> 32133.  exp[512] = 32768 -> 32767.
//   exp[0]: exp(-10) * 32768 = 1.49 -> 1; midpoint 1.50 -> 2, interpolated
//     round((1.517 + 1) / 2) = 1: error -1, bias -1 -> 2.
//   1/(1+x) table (x in 0..1 in 512 steps): [511] = 16400.02 -> 16400
//     (midpoint error 0), [512] = 16384.
// exp(0): input 32767 -> segment 511, offset 127: 32133 + (634 * 127 + 64) >> 7
//   = 32133 + 629 = 32762.
SoftmaxCase Int16Case(Shape shape, float input_scale, float beta = 1.0f) {
  SoftmaxCase c;
  c.type = c.out_type = DType::kInt16;
  c.shape = std::move(shape);
  c.beta = beta;
  c.in_quant = PerTensor(input_scale, 0);
  c.out_quant = PerTensor(1.0f / 32768, 0);
  return c;
}

TEST(SoftmaxTest, Int16SingleEntrySaturatesAt32767) {
  // sum = 32762 (17 leading zeros): normalised (32762 << 16 + 2^13) >> 14 =
  // 131048, minus 98304 = 32744 -> segment 511, offset 104:
  // 16400 + (-16 * 104 + 64) >> 7 = 16400 - 13 = 16387.
  // (32762 * 16387 + 2^13) >> 14 = 32768 -> clamped to 32767.
  const RunResult r = RunSoftmax<int16_t>(Int16Case({3, 1}, 0.01f), {-32768, 0, 32767});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{32767, 32767, 32767}));
}

TEST(SoftmaxTest, Int16EqualPairAndWinnerTakesAll) {
  // Row 0 {5, 5}: sum 65524 (16 leading zeros) -> (65524 << 15 + 2^13) >> 14
  //   = 131048 -> reciprocal 16387 as above; (32762 * 16387 + 2^14) >> 15 =
  //   16384 = 0.5 each.
  // Row 1 {0, -32768} with scale 2^-10: the difference is -32 (real), far
  //   below -10, so the table input saturates to -32768 -> exp[0] = 2.
  //   sum 32764 -> (32764 << 16 + 2^13) >> 14 = 131056 -> 32752: segment 511,
  //   offset 112: 16400 + (-16 * 112 + 64) >> 7 = 16400 - 14 = 16386.
  //   (32762 * 16386 + 2^13) >> 14 = 32766; (2 * 16386 + 2^13) >> 14 = 2.
  const RunResult r = RunSoftmax<int16_t>(Int16Case({2, 2}, 1.0f / 1024), {5, 5, 0, -32768});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{16384, 16384, 32766, 2}));
}

TEST(SoftmaxTest, Int16MatchesFloatClosely) {
  // Random rows of 10 logits in [-8, 8] (scale 2^-12, beta 1): the LUT
  // algorithm stays within 2^-9 of float softmax for every probability.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> logit(-32768, 32767);
  const float scale = 1.0f / 4096;
  const int rows = 50, depth = 10;
  std::vector<int16_t> input(rows * depth);
  for (int16_t& v : input) v = static_cast<int16_t>(logit(rng));
  const RunResult r = RunSoftmax<int16_t>(Int16Case({rows, depth}, scale), input);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const auto out = FromBytes<int16_t>(r.outputs[0]);
  for (int row = 0; row < rows; ++row) {
    double max_logit = -1e9, sum = 0;
    for (int c = 0; c < depth; ++c) {
      max_logit = std::max(max_logit, input[row * depth + c] * 1.0 * scale);
    }
    for (int c = 0; c < depth; ++c) sum += std::exp(input[row * depth + c] * scale - max_logit);
    for (int c = 0; c < depth; ++c) {
      const double expected = std::exp(input[row * depth + c] * scale - max_logit) / sum;
      EXPECT_NEAR(out[row * depth + c] / 32768.0, expected, 1.0 / 512) << row << "," << c;
    }
  }
}

TEST(SoftmaxTest, Int16RejectsWrongQuantization) {
  SoftmaxCase c = Int16Case({4}, 0.1f);
  c.out_quant = PerTensor(1.0f / 256, 0);
  RunResult r = RunSoftmax<int16_t>(c, std::vector<int16_t>(4));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("scale 1/32768"), std::string::npos) << r.status.message();

  c = Int16Case({4}, 0.1f);
  c.out_quant = PerTensor(1.0f / 32768, 3);
  r = RunSoftmax<int16_t>(c, std::vector<int16_t>(4));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("zero point 0"), std::string::npos) << r.status.message();

  c = Int16Case({4}, 0.1f);
  c.in_quant = PerTensor(0.1f, -2);
  EXPECT_FALSE(RunSoftmax<int16_t>(c, std::vector<int16_t>(4)).status.ok());

  c = Int16Case({4}, 0.1f, 0.0f);  // beta 0
  EXPECT_FALSE(RunSoftmax<int16_t>(c, std::vector<int16_t>(4)).status.ok());

  c = Int16Case({4}, 1e30f);  // scale * beta / (10 / 65535) needs a shift > 30
  r = RunSoftmax<int16_t>(c, std::vector<int16_t>(4));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("too large"), std::string::npos) << r.status.message();

  c = Int16Case({4}, 0.1f);
  c.out_type = DType::kInt8;  // int16 in, int8 out
  c.out_quant = PerTensor(1.0f / 256, -128);
  EXPECT_FALSE(RunSoftmax<int16_t>(c, std::vector<int16_t>(4)).status.ok());

  c = Int16Case({4}, 0.1f);
  c.in_quant = {};
  EXPECT_FALSE(RunSoftmax<int16_t>(c, std::vector<int16_t>(4)).status.ok());
}

TEST(SoftmaxTest, RejectsWrongOutputQuantization) {
  SoftmaxCase c = Int8Case({4}, 0.1f);
  c.out_quant = PerTensor(1.0f / 128, -128);
  RunResult r = RunSoftmax<int8_t>(c, std::vector<int8_t>(4));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("scale 1/256"), std::string::npos) << r.status.message();

  c.out_quant = PerTensor(1.0f / 256, 0);
  r = RunSoftmax<int8_t>(c, std::vector<int8_t>(4));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("zero point -128"), std::string::npos) << r.status.message();

  c.out_quant = {};
  r = RunSoftmax<int8_t>(c, std::vector<int8_t>(4));
  EXPECT_FALSE(r.status.ok());
}

TEST(SoftmaxTest, RejectsBadDtypesAndOptions) {
  SoftmaxCase c = Int8Case({4}, 0.1f);
  c.out_type = DType::kFloat32;  // int8 in, float out
  c.out_quant = {};
  EXPECT_FALSE(RunSoftmax<int8_t>(c, std::vector<int8_t>(4)).status.ok());

  SoftmaxCase i32;
  i32.type = i32.out_type = DType::kInt32;
  i32.shape = {4};
  const RunResult r = RunSoftmax<int32_t>(i32, std::vector<int32_t>(4));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("int32"), std::string::npos) << r.status.message();

  SoftmaxCase zero_beta = Int8Case({4}, 0.1f, 0.0f);
  EXPECT_FALSE(RunSoftmax<int8_t>(zero_beta, std::vector<int8_t>(4)).status.ok());

  SoftmaxCase tiny = Int8Case({4}, 1e-12f);  // beta * scale * 2^26 < 1/2: no usable shift
  EXPECT_FALSE(RunSoftmax<int8_t>(tiny, std::vector<int8_t>(4)).status.ok());

  SoftmaxCase nan_beta;
  nan_beta.shape = {4};
  nan_beta.beta = std::nanf("");
  EXPECT_FALSE(RunSoftmax<float>(nan_beta, std::vector<float>(4)).status.ok());

  SoftmaxCase scalar;
  scalar.shape = {};
  EXPECT_FALSE(RunSoftmax<float>(scalar, std::vector<float>(1)).status.ok());
}

}  // namespace
}  // namespace qlite
