// MAX_POOL_2D / AVERAGE_POOL_2D / L2_POOL_2D reference kernels: hand-computed
// windows with SAME/VALID padding and strides, TFLite's integer rounding, and
// model errors.
#include <gtest/gtest.h>

#include <cmath>
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

Pool2DOptions PoolOptions(Padding padding, int filter_h, int filter_w, int stride_h, int stride_w,
                          Activation activation = Activation::kNone) {
  Pool2DOptions o;
  o.padding = padding;
  o.filter_h = filter_h;
  o.filter_w = filter_w;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  o.activation = activation;
  return o;
}

Model BuildPool(BuiltinOp op, DType type, Shape input_shape, const Pool2DOptions& options,
                Quantization input_quant = {}, Quantization output_quant = {},
                DType output_type = DType::kFloat32, bool same_output_type = true) {
  ModelBuilder b;
  const int input = b.AddTensor("input", type, input_shape, input_quant);
  const int output =
      b.AddTensor("output", same_output_type ? type : output_type, {1}, output_quant);
  b.AddOperator(op, {input}, {output}, options);
  b.SetInputs({input});
  b.SetOutputs({output});
  return b.Build();
}

template <typename T>
RunResult RunPool(const Model& model, const std::vector<T>& input) {
  return RunModel(model, {ToBytes(input)});
}

// 3x3 input 1..9, 2x2 filter, stride 1, SAME: output 3x3, the padding (total 1)
// goes after, so the last row/column windows hold 2 (corner: 1) inputs.
//   1 2 3
//   4 5 6
//   7 8 9
TEST(PoolingTest, MaxFloatSameOddSize) {
  const Model m = BuildPool(BuiltinOp::kMaxPool2D, DType::kFloat32, {1, 3, 3, 1},
                            PoolOptions(Padding::kSame, 2, 2, 1, 1));
  const RunResult r = RunPool<float>(m, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 3, 3, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{5, 6, 6, 8, 9, 9, 8, 9, 9}));
}

TEST(PoolingTest, AverageFloatDivisorExcludesPadding) {
  const Model m = BuildPool(BuiltinOp::kAveragePool2D, DType::kFloat32, {1, 3, 3, 1},
                            PoolOptions(Padding::kSame, 2, 2, 1, 1));
  const RunResult r = RunPool<float>(m, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // (1+2+4+5)/4 = 3, (2+3+5+6)/4 = 4, (3+6)/2 = 4.5
  // (4+5+7+8)/4 = 6, (5+6+8+9)/4 = 7, (6+9)/2 = 7.5
  // (7+8)/2 = 7.5,   (8+9)/2 = 8.5,   9/1 = 9
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9}));
}

// 5x5 input, 3x3 filter, stride 2. Channel 0 holds v = 5*y + x, channel 1
// holds 100 - v; batch 1 adds 1000 to both.
std::vector<float> StrideInput() {
  std::vector<float> input;
  for (int b = 0; b < 2; ++b) {
    for (int v = 0; v < 25; ++v) {
      input.push_back(1000.0f * b + v);
      input.push_back(1000.0f * b + 100 - v);
    }
  }
  return input;
}

TEST(PoolingTest, MaxFloatStride2Same) {
  // SAME: output 3x3, total padding 2*2 + 3 - 5 = 2, one before. Windows
  // along each axis: [0,2), [1,4), [3,5). Channel 0 max is v(last row, last
  // col); channel 1 max is 100 - v(first row, first col).
  const Model m = BuildPool(BuiltinOp::kMaxPool2D, DType::kFloat32, {2, 5, 5, 2},
                            PoolOptions(Padding::kSame, 3, 3, 2, 2));
  const RunResult r = RunPool(m, StrideInput());
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3, 3, 2}));
  const std::vector<float> batch0 = {6,  100, 8,  99, 9,  97,   // row 0
                                     16, 95,  18, 94, 19, 92,   // row 1
                                     21, 85,  23, 84, 24, 82};  // row 2
  std::vector<float> expected = batch0;
  for (float v : batch0) expected.push_back(v + 1000);
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), expected);
}

TEST(PoolingTest, MaxFloatStride2Valid) {
  // VALID: output (5 - 3) / 2 + 1 = 2; windows [0,3), [2,5).
  const Model m = BuildPool(BuiltinOp::kMaxPool2D, DType::kFloat32, {2, 5, 5, 2},
                            PoolOptions(Padding::kValid, 3, 3, 2, 2));
  const RunResult r = RunPool(m, StrideInput());
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2, 2, 2}));
  const std::vector<float> batch0 = {12, 100, 14, 98, 22, 90, 24, 88};
  std::vector<float> expected = batch0;
  for (float v : batch0) expected.push_back(v + 1000);
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), expected);
}

TEST(PoolingTest, AverageFloatStride2SameRelu6) {
  // Channel 0 of batch 0, windows as in MaxFloatStride2Same:
  // (0,0): rows 0-1, cols 0-1: (0+1+5+6)/4 = 3
  // (0,1): rows 0-1, cols 1-3: (1+2+3+6+7+8)/6 = 4.5
  // (1,1): rows 1-3, cols 1-3: center 12 -> 12, clamped to 6 by RELU6
  const Model m = BuildPool(BuiltinOp::kAveragePool2D, DType::kFloat32, {2, 5, 5, 2},
                            PoolOptions(Padding::kSame, 3, 3, 2, 2, Activation::kRelu6));
  const RunResult r = RunPool(m, StrideInput());
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const std::vector<float> out = FromBytes<float>(r.outputs[0]);
  ASSERT_EQ(out.size(), 36u);
  EXPECT_EQ(out[0], 3.0f);
  EXPECT_EQ(out[2], 4.5f);
  EXPECT_EQ(out[8], 6.0f);
  EXPECT_EQ(out[1], 6.0f);  // channel 1 averages ~97: clamped
}

TEST(PoolingTest, FilterFarLargerThanInputWithSamePadding) {
  // A 65536x65536 window over a 2x2 input: every window covers all 4 inputs.
  const std::vector<float> input = {1, 2, 3, 4};
  const Pool2DOptions options = PoolOptions(Padding::kSame, 65536, 65536, 1, 1);
  const RunResult max =
      RunPool(BuildPool(BuiltinOp::kMaxPool2D, DType::kFloat32, {1, 2, 2, 1}, options), input);
  ASSERT_TRUE(max.status.ok()) << max.status.message();
  EXPECT_EQ(FromBytes<float>(max.outputs[0]), (std::vector<float>{4, 4, 4, 4}));
  const RunResult avg =
      RunPool(BuildPool(BuiltinOp::kAveragePool2D, DType::kFloat32, {1, 2, 2, 1}, options), input);
  ASSERT_TRUE(avg.status.ok()) << avg.status.message();
  EXPECT_EQ(FromBytes<float>(avg.outputs[0]), (std::vector<float>{2.5f, 2.5f, 2.5f, 2.5f}));
}

// ---- int8 / uint8 ----

TEST(PoolingTest, AverageInt8RoundsHalfAwayFromZero) {
  // 1x2 windows, stride 2, scale 1, zp 0: six pairs.
  const Model m =
      BuildPool(BuiltinOp::kAveragePool2D, DType::kInt8, {1, 1, 12, 1},
                PoolOptions(Padding::kValid, 1, 2, 1, 2), PerTensor(1.0f, 0), PerTensor(1.0f, 0));
  const RunResult r = RunPool<int8_t>(m, {-2, -3, 2, 3, -1, -2, -1, 0, 1, 0, -1, 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // -2.5 -> -3, 2.5 -> 3, -1.5 -> -2, -0.5 -> -1, 0.5 -> 1, 0 -> 0
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-3, 3, -2, -1, 1, 0}));
}

TEST(PoolingTest, AverageInt8ThreeTapsAndSaturatedValues) {
  // 1x3 windows, stride 3: (-1,-1,0) = -0.67 -> -1, (-1,0,0) = -0.33 -> 0,
  // (-128,-128,-127) = -127.67 -> -128, (127,127,126) = 126.67 -> 127.
  const Model m =
      BuildPool(BuiltinOp::kAveragePool2D, DType::kInt8, {1, 1, 12, 1},
                PoolOptions(Padding::kValid, 1, 3, 1, 3), PerTensor(0.5f, 3), PerTensor(0.5f, 3));
  const RunResult r = RunPool<int8_t>(m, {-1, -1, 0, -1, 0, 0, -128, -128, -127, 127, 127, 126});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-1, 0, -128, 127}));
}

TEST(PoolingTest, AverageInt8SamePaddingExcludedFromCount) {
  // 1x3 input, 1x2 filter, stride 1, SAME: windows (a,b), (b,c), (c).
  // (-3 + -4)/2 = -3.5 -> -4, (-4 + 5)/2 = 0.5 -> 1, 5/1 = 5
  const Model m =
      BuildPool(BuiltinOp::kAveragePool2D, DType::kInt8, {1, 1, 3, 1},
                PoolOptions(Padding::kSame, 1, 2, 1, 1), PerTensor(1.0f, 0), PerTensor(1.0f, 0));
  const RunResult r = RunPool<int8_t>(m, {-3, -4, 5});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-4, 1, 5}));
}

TEST(PoolingTest, MaxInt8Relu6WithZeroPoint) {
  // scale 0.5, zp -10: RELU6 is [-10 + 0, -10 + 12] = [-10, 2].
  // One 2x2 window, two channels: max(-20,-15,-12,-30) = -12 -> -10,
  // max(5,100,-128,127) = 127 -> 2.
  const Model m = BuildPool(BuiltinOp::kMaxPool2D, DType::kInt8, {1, 2, 2, 2},
                            PoolOptions(Padding::kValid, 2, 2, 1, 1, Activation::kRelu6),
                            PerTensor(0.5f, -10), PerTensor(0.5f, -10));
  const RunResult r = RunPool<int8_t>(m, {-20, 5, -15, 100, -12, -128, -30, 127});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-10, 2}));
}

TEST(PoolingTest, MaxInt8AllMinimum) {
  const Model m =
      BuildPool(BuiltinOp::kMaxPool2D, DType::kInt8, {1, 2, 2, 1},
                PoolOptions(Padding::kSame, 2, 2, 2, 2), PerTensor(1.0f, 0), PerTensor(1.0f, 0));
  const RunResult r = RunPool<int8_t>(m, {-128, -128, -128, -128});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-128}));
}

TEST(PoolingTest, AverageAndMaxUint8) {
  // 1x2 windows: (1,2) = 1.5 -> 2, (0,0) -> 0, (255,254) = 254.5 -> 255.
  const Model avg = BuildPool(BuiltinOp::kAveragePool2D, DType::kUInt8, {1, 1, 6, 1},
                              PoolOptions(Padding::kValid, 1, 2, 1, 2), PerTensor(1.0f, 128),
                              PerTensor(1.0f, 128));
  const std::vector<uint8_t> input = {1, 2, 0, 0, 255, 254};
  const RunResult a = RunPool(avg, input);
  ASSERT_TRUE(a.status.ok()) << a.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(a.outputs[0]), (std::vector<uint8_t>{2, 0, 255}));

  const Model max = BuildPool(BuiltinOp::kMaxPool2D, DType::kUInt8, {1, 1, 6, 1},
                              PoolOptions(Padding::kValid, 1, 2, 1, 2), PerTensor(1.0f, 128),
                              PerTensor(1.0f, 128));
  const RunResult b = RunPool(max, input);
  ASSERT_TRUE(b.status.ok()) << b.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(b.outputs[0]), (std::vector<uint8_t>{2, 0, 255}));
}

// ---- int16 (zero point 0) ----

TEST(PoolingTest, AverageInt16RoundsHalfAwayFromZeroAndStaysInRange) {
  // 1x4 windows, stride 4, scale 2^-12:
  //   (32767, 32767, 32767, 32766) = 32766.75 -> 32767 (the int16 maximum),
  //   (-32768 x3, -32767) = -32767.75 -> -32768 (the int16 minimum),
  //   (1, 1, 0, 0) = 0.5 -> 1, (-1, -1, 0, 0) = -0.5 -> -1, (3, 3, 3, 2) = 2.75 -> 3.
  const Model m = BuildPool(BuiltinOp::kAveragePool2D, DType::kInt16, {1, 1, 20, 1},
                            PoolOptions(Padding::kValid, 1, 4, 1, 4), PerTensor(1.0f / 4096, 0),
                            PerTensor(1.0f / 4096, 0));
  const RunResult r =
      RunPool<int16_t>(m, {32767, 32767, 32767, 32766, -32768, -32768, -32768, -32767, 1, 1,
                           0,     0,     -1,    -1,    0,      0,      3,      3,      3, 2});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{32767, -32768, 1, -1, 3}));
}

TEST(PoolingTest, AverageInt16SameWindowAtTheEdges) {
  // 1x3 input, 1x2 filter, SAME: (32767 + 32767)/2 -> 32767 (the int64 sum
  // does not overflow), (32767 - 32768)/2 = -0.5 -> -1, -32768/1.
  const Model m =
      BuildPool(BuiltinOp::kAveragePool2D, DType::kInt16, {1, 1, 3, 1},
                PoolOptions(Padding::kSame, 1, 2, 1, 1), PerTensor(1.0f, 0), PerTensor(1.0f, 0));
  const RunResult r = RunPool<int16_t>(m, {32767, 32767, -32768});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{32767, -1, -32768}));
}

TEST(PoolingTest, MaxInt16ExtremesAndRelu) {
  // One 2x2 window, three channels:
  //   channel 0: (-32768, -32768, -32768, -32767) -> -32767;
  //   channel 1: (32767, 0, -5, 32766) -> 32767;
  //   channel 2: (-32768 x4) -> -32768.
  const Model m =
      BuildPool(BuiltinOp::kMaxPool2D, DType::kInt16, {1, 2, 2, 3},
                PoolOptions(Padding::kValid, 2, 2, 1, 1), PerTensor(0.5f, 0), PerTensor(0.5f, 0));
  const std::vector<int16_t> input = {-32768, 32767, -32768, -32768, 0,     -32768,
                                      -32768, -5,    -32768, -32767, 32766, -32768};
  RunResult r = RunPool<int16_t>(m, input);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{-32767, 32767, -32768}));

  // RELU6 with scale 0.5: [0, 12].
  const Model relu6 = BuildPool(BuiltinOp::kMaxPool2D, DType::kInt16, {1, 2, 2, 3},
                                PoolOptions(Padding::kValid, 2, 2, 1, 1, Activation::kRelu6),
                                PerTensor(0.5f, 0), PerTensor(0.5f, 0));
  r = RunPool<int16_t>(relu6, input);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{0, 12, 0}));
}

// ---- errors ----

void ExpectError(const Model& m, size_t input_bytes, const std::string& fragment) {
  const RunResult r = RunModel(m, {std::vector<uint8_t>(input_bytes)});
  ASSERT_FALSE(r.status.ok()) << "expected an error containing '" << fragment << "'";
  EXPECT_NE(r.status.message().find(fragment), std::string::npos) << r.status.message();
}

TEST(PoolingTest, RejectsRank3Input) {
  ExpectError(BuildPool(BuiltinOp::kMaxPool2D, DType::kFloat32, {3, 3, 1},
                        PoolOptions(Padding::kSame, 2, 2, 1, 1)),
              9 * 4, "rank 4");
}

TEST(PoolingTest, RejectsMismatchedInt8Scales) {
  ExpectError(
      BuildPool(BuiltinOp::kAveragePool2D, DType::kInt8, {1, 2, 2, 1},
                PoolOptions(Padding::kSame, 2, 2, 1, 1), PerTensor(0.5f, 0), PerTensor(0.25f, 0)),
      4, "same scale and zero point");
}

TEST(PoolingTest, RejectsMismatchedInt8ZeroPoints) {
  ExpectError(
      BuildPool(BuiltinOp::kMaxPool2D, DType::kInt8, {1, 2, 2, 1},
                PoolOptions(Padding::kSame, 2, 2, 1, 1), PerTensor(0.5f, 0), PerTensor(0.5f, 1)),
      4, "same scale and zero point");
}

TEST(PoolingTest, RejectsInt8WithoutQuantization) {
  ExpectError(BuildPool(BuiltinOp::kMaxPool2D, DType::kInt8, {1, 2, 2, 1},
                        PoolOptions(Padding::kSame, 2, 2, 1, 1)),
              4, "no quantization");
}

TEST(PoolingTest, RejectsInt16WithZeroPoint) {
  ExpectError(
      BuildPool(BuiltinOp::kMaxPool2D, DType::kInt16, {1, 2, 2, 1},
                PoolOptions(Padding::kSame, 2, 2, 1, 1), PerTensor(1.0f, 3), PerTensor(1.0f, 3)),
      8, "zero point 0");
}

TEST(PoolingTest, RejectsInt16WithDifferentScales) {
  ExpectError(
      BuildPool(BuiltinOp::kAveragePool2D, DType::kInt16, {1, 2, 2, 1},
                PoolOptions(Padding::kSame, 2, 2, 1, 1), PerTensor(1.0f, 0), PerTensor(2.0f, 0)),
      8, "same scale and zero point");
}

TEST(PoolingTest, RejectsInt32) {
  ExpectError(
      BuildPool(BuiltinOp::kMaxPool2D, DType::kInt32, {1, 2, 2, 1},
                PoolOptions(Padding::kSame, 2, 2, 1, 1), PerTensor(1.0f, 0), PerTensor(1.0f, 0)),
      16, "int32");
}

TEST(PoolingTest, RejectsOutputTypeMismatch) {
  ExpectError(BuildPool(BuiltinOp::kMaxPool2D, DType::kFloat32, {1, 2, 2, 1},
                        PoolOptions(Padding::kSame, 2, 2, 1, 1), {}, PerTensor(1.0f, 0),
                        DType::kInt8, /*same_output_type=*/false),
              16, "output");
}

TEST(PoolingTest, RejectsZeroStride) {
  ExpectError(BuildPool(BuiltinOp::kAveragePool2D, DType::kFloat32, {1, 2, 2, 1},
                        PoolOptions(Padding::kSame, 2, 2, 0, 1)),
              16, "strides");
}

TEST(PoolingTest, RejectsValidFilterLargerThanInput) {
  ExpectError(BuildPool(BuiltinOp::kMaxPool2D, DType::kFloat32, {1, 2, 2, 1},
                        PoolOptions(Padding::kValid, 3, 3, 1, 1)),
              16, "does not fit");
}

TEST(PoolingTest, RejectsTanhActivation) {
  ExpectError(BuildPool(BuiltinOp::kAveragePool2D, DType::kFloat32, {1, 2, 2, 1},
                        PoolOptions(Padding::kSame, 2, 2, 1, 1, Activation::kTanh)),
              16, "TANH");
}

TEST(PoolingTest, RejectsTwoInputs) {
  ModelBuilder b;
  const int input = b.AddTensor("input", DType::kFloat32, {1, 2, 2, 1});
  const int other = b.AddTensor("other", DType::kFloat32, {1, 2, 2, 1});
  const int output = b.AddTensor("output", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kMaxPool2D, {input, other}, {output},
                PoolOptions(Padding::kSame, 2, 2, 1, 1));
  b.SetInputs({input, other});
  b.SetOutputs({output});
  const RunResult r = RunModel(b.Build(), {std::vector<uint8_t>(16), std::vector<uint8_t>(16)});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("inputs"), std::string::npos) << r.status.message();
}

// ---- L2_POOL_2D (float32 only) ----

std::vector<float> RunL2Pool(Shape shape, const Pool2DOptions& o, const std::vector<float>& x) {
  const RunResult r = RunPool(BuildPool(BuiltinOp::kL2Pool2D, DType::kFloat32, shape, o), x);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  return r.status.ok() ? FromBytes<float>(r.outputs[0]) : std::vector<float>{};
}

TEST(L2PoolTest, ValidWindowsAndActivations) {
  // 2x4 input, 2x2 windows, stride 2: sqrt((0 + 36 + 9 + 4) / 4) = 3.5 and
  // sqrt((4 + 16 + 100 + 49) / 4) = 6.5.
  const std::vector<float> x = {0, 6, 2, 4, 3, 2, 10, 7};
  EXPECT_EQ(RunL2Pool({1, 2, 4, 1}, PoolOptions(Padding::kValid, 2, 2, 2, 2), x),
            (std::vector<float>{3.5f, 6.5f}));
  EXPECT_EQ(
      RunL2Pool({1, 2, 4, 1}, PoolOptions(Padding::kValid, 2, 2, 2, 2, Activation::kRelu6), x),
      (std::vector<float>{3.5f, 6}));
  EXPECT_EQ(
      RunL2Pool({1, 2, 4, 1}, PoolOptions(Padding::kValid, 2, 2, 2, 2, Activation::kReluN1To1), x),
      (std::vector<float>{1, 1}));
}

TEST(L2PoolTest, SamePaddingAveragesOverInBoundsTaps) {
  // 2x2 input, 2x2 filter, stride 1, SAME: the padding goes after, so the
  // windows hold 4, 2, 2 and 1 inputs.
  const auto y = RunL2Pool({1, 2, 2, 1}, PoolOptions(Padding::kSame, 2, 2, 1, 1), {3, 4, 0, 0});
  ASSERT_EQ(y.size(), 4u);
  EXPECT_FLOAT_EQ(y[0], 2.5f);             // sqrt(25 / 4)
  EXPECT_FLOAT_EQ(y[1], std::sqrt(8.0f));  // sqrt(16 / 2)
  EXPECT_EQ(y[2], 0.0f);
  EXPECT_EQ(y[3], 0.0f);
}

TEST(L2PoolTest, ChannelsBatchesAndNaN) {
  // Two batches of 1x2 with two channels, one 1x2 window each.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto y = RunL2Pool({2, 1, 2, 2}, PoolOptions(Padding::kValid, 1, 2, 1, 1),
                           {1, -3, 7, 4, nan, 2, 0, -2});
  ASSERT_EQ(y.size(), 4u);
  EXPECT_FLOAT_EQ(y[0], 5.0f);  // sqrt((1 + 49) / 2)
  EXPECT_FLOAT_EQ(y[1], std::sqrt(12.5f));
  EXPECT_TRUE(std::isnan(y[2]));
  EXPECT_FLOAT_EQ(y[3], 2.0f);  // sqrt((4 + 4) / 2)
}

TEST(L2PoolTest, RefusesQuantizedInput) {
  ExpectError(
      BuildPool(BuiltinOp::kL2Pool2D, DType::kInt8, {1, 2, 2, 1},
                PoolOptions(Padding::kSame, 2, 2, 1, 1), PerTensor(0.5f, 0), PerTensor(0.5f, 0)),
      4, "float32");
  ExpectError(BuildPool(BuiltinOp::kL2Pool2D, DType::kFloat32, {2, 2, 1},
                        PoolOptions(Padding::kSame, 2, 2, 1, 1)),
              16, "rank");
}

}  // namespace
}  // namespace qlite
