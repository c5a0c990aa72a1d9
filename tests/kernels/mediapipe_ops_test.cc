// MediaPipe's custom ops Convolution2DTransposeBias, MaxPoolingWithArgmax2D,
// MaxUnpooling2D and LiteRT's LiteRtMaxUnpooling2D. Expected values are
// worked out by hand in the comments; options are the raw TFLite params
// structs (tests/util/mediapipe_models.h).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "tests/util/mediapipe_models.h"
#include "tests/util/op_runner.h"

namespace qlite::testing {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kLowest = std::numeric_limits<float>::lowest();

using Input = CustomOpSpec::Input;

Input Floats(Shape shape, const std::vector<float>& values, bool constant = false) {
  return {DType::kFloat32, std::move(shape), constant ? ToBytes(values) : std::vector<uint8_t>{}};
}

struct Result {
  Status status;
  std::vector<std::vector<uint8_t>> outputs;
  std::vector<Shape> shapes;
};

// Runs the op, feeding `fed` to its non-constant inputs in order.
Result RunOp(const CustomOpSpec& spec, const std::vector<std::vector<uint8_t>>& fed) {
  const RunResult r = RunModel(CustomOpModel(spec), fed);
  return {r.status, r.outputs, r.shapes};
}

void ExpectError(const CustomOpSpec& spec, const std::vector<std::vector<uint8_t>>& fed,
                 const std::string& needle) {
  const Result r = RunOp(spec, fed);
  ASSERT_FALSE(r.status.ok()) << "expected an error mentioning " << needle;
  EXPECT_NE(r.status.message().find(needle), std::string::npos) << r.status.message();
}

// --- Convolution2DTransposeBias ---------------------------------------------

CustomOpSpec TransposeConvBias(std::vector<uint8_t> options, Shape input, Shape weights_shape,
                               const std::vector<float>& weights, const std::vector<float>& bias) {
  CustomOpSpec s;
  s.code = "Convolution2DTransposeBias";
  s.options = std::move(options);
  s.inputs = {Floats(std::move(input), {}), Floats(std::move(weights_shape), weights, true),
              Floats({static_cast<int32_t>(bias.size())}, bias, true)};
  return s;
}

TEST(MediaPipeTransposeConvBiasTest, SameStride2) {
  // in 2x2, kernel 3, stride 2: pad_total = 3 - 1 % 2 - 1 = 1, out = 2 + 3 - 1
  // = 4, nothing padded before. Input (y, x) adds itself to rows 2y..2y+2,
  // columns 2x..2x+2 (clipped at 4); bias 0.5.
  const auto s = TransposeConvBias(TransposeConvParamBytes(kRawSame, 2, 2), {1, 2, 2, 1},
                                   {1, 3, 3, 1}, std::vector<float>(9, 1.0f), {0.5f});
  const Result r = RunOp(s, {ToBytes(std::vector<float>{1, 2, 3, 4})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 4, 4, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{1.5f, 1.5f, 3.5f, 2.5f, 1.5f, 1.5f, 3.5f, 2.5f,  //
                                4.5f, 4.5f, 10.5f, 6.5f, 3.5f, 3.5f, 7.5f, 4.5f}));
}

TEST(MediaPipeTransposeConvBiasTest, SameStride1PadsBefore) {
  // Kernel 3, stride 1: pad_total 2, out = in = 3, one column padded before:
  // out[0] = 1*10 + 2*1, out[1] = 1*100 + 2*10 + 3*1, out[2] = 2*100 + 3*10.
  const auto s = TransposeConvBias(TransposeConvParamBytes(kRawSame, 1, 1), {1, 1, 3, 1},
                                   {1, 1, 3, 1}, {1, 10, 100}, {0});
  const Result r = RunOp(s, {ToBytes(std::vector<float>{1, 2, 3})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 1, 3, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{12, 123, 230}));
}

TEST(MediaPipeTransposeConvBiasTest, ValidOddWidthTwoChannels) {
  // Input 1x1x3x2 (1,10) (2,20) (3,30); kernel 1x2, stride 1: out width 4.
  // oc0 taps (kx0: ic0, kx1: ic1), oc1 taps (kx0: ic0 + ic1, kx1: -ic0),
  // bias 0 and 100.
  const auto s = TransposeConvBias(TransposeConvParamBytes(kRawValid, 1, 1), {1, 1, 3, 2},
                                   {2, 1, 2, 2}, {1, 0, 0, 1, 1, 1, -1, 0}, {0, 100});
  const Result r = RunOp(s, {ToBytes(std::vector<float>{1, 10, 2, 20, 3, 30})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 1, 4, 2}));
  // x0: 1, 100+11; x1: 10+2, 100-1+22; x2: 20+3, 100-2+33; x3: 30, 100-3.
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 111, 12, 121, 23, 131, 30, 97}));
}

TEST(MediaPipeTransposeConvBiasTest, BiasIsAddedFirst) {
  // Middle output: MediaPipe sums (1 + 1e8) - 1e8 = 1e8 - 1e8 = 0 in float;
  // adding the bias last (TRANSPOSE_CONV's order) would give 1.
  const auto s = TransposeConvBias(TransposeConvParamBytes(kRawValid, 1, 1), {1, 1, 2, 1},
                                   {1, 1, 2, 1}, {1, 1}, {1});
  const Result r = RunOp(s, {ToBytes(std::vector<float>{1e8f, -1e8f})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1e8f, 0.0f, -1e8f}));
}

TEST(MediaPipeTransposeConvBiasTest, HostileOptionsAndTensorsAreRefused) {
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1, 2});
  auto spec = [](std::vector<uint8_t> options) {
    return TransposeConvBias(std::move(options), {1, 1, 2, 1}, {1, 1, 2, 1}, {1, 1}, {0});
  };
  ExpectError(spec(RawFields({kRawSame, 1})), {in}, "needs 12 bytes");
  ExpectError(spec({}), {in}, "needs 12 bytes");
  ExpectError(spec(TransposeConvParamBytes(0, 1, 1)), {in}, "padding 0");
  ExpectError(spec(TransposeConvParamBytes(3, 1, 1)), {in}, "padding 3");
  ExpectError(spec(TransposeConvParamBytes(kRawSame, 0, 1)), {in}, "strides");
  ExpectError(spec(TransposeConvParamBytes(kRawSame, 1, -2)), {in}, "strides");
  ExpectError(spec(TransposeConvParamBytes(kRawValid, 1 << 20, 1 << 20)), {in}, "strides");
  // Bias length, channel mismatch, dtype, missing bias.
  const auto options = TransposeConvParamBytes(kRawValid, 1, 1);
  ExpectError(TransposeConvBias(options, {1, 1, 2, 1}, {1, 1, 2, 1}, {1, 1}, {0, 0}), {in}, "bias");
  ExpectError(TransposeConvBias(options, {1, 1, 1, 2}, {1, 1, 2, 1}, {1, 1}, {0}), {in},
              "input channels");
  CustomOpSpec ints = spec(options);
  ints.inputs[0].type = DType::kInt32;
  ExpectError(ints, {in}, "input");
  CustomOpSpec two = spec(options);
  two.inputs.pop_back();
  ExpectError(two, {in}, "inputs");
}

// --- MaxPoolingWithArgmax2D ---------------------------------------------------

CustomOpSpec Argmax(std::vector<uint8_t> options, Shape input) {
  CustomOpSpec s;
  s.code = "MaxPoolingWithArgmax2D";
  s.options = std::move(options);
  s.inputs = {Floats(std::move(input), {})};
  s.outputs = {DType::kFloat32, DType::kFloat32};
  return s;
}

struct Pooled {
  std::vector<float> values, indices;
  Shape shape;
};

Pooled RunArgmax(const CustomOpSpec& s, const std::vector<float>& input) {
  const Result r = RunOp(s, {ToBytes(input)});
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  return {FromBytes<float>(r.outputs[0]), FromBytes<float>(r.outputs[1]), r.shapes[1]};
}

TEST(MediaPipeMaxPoolArgmaxTest, ValidStride2IndexInsideTheWindow) {
  // Windows [1 5; 3 4] and [2 2; 8 2]: 5 at (0, 1) -> 1, 8 at (1, 0) -> 2.
  const Pooled p = RunArgmax(Argmax(PoolParamBytes(kRawValid, 2, 2, 2, 2), {1, 2, 4, 1}),
                             {1, 5, 2, 2, 3, 4, 8, 2});
  EXPECT_EQ(p.shape, (Shape{1, 1, 2, 1}));
  EXPECT_EQ(p.values, (std::vector<float>{5, 8}));
  EXPECT_EQ(p.indices, (std::vector<float>{1.1f, 2.1f}));
}

TEST(MediaPipeMaxPoolArgmaxTest, TiesKeepTheFirstPosition) {
  // [7 7; 7 7] -> 0, [1 7; 7 7] -> 1 (row-major first).
  const Pooled p = RunArgmax(Argmax(PoolParamBytes(kRawValid, 2, 2, 2, 2), {1, 2, 4, 1}),
                             {7, 7, 1, 7, 7, 7, 7, 7});
  EXPECT_EQ(p.values, (std::vector<float>{7, 7}));
  EXPECT_EQ(p.indices, (std::vector<float>{0.1f, 1.1f}));
}

TEST(MediaPipeMaxPoolArgmaxTest, SameStride2OddSize) {
  // 3x3 input 1..9, 2x2 windows, stride 2: out 2x2, pad_total 1 after. Windows
  // clipped at the bottom/right: {1 2 4 5} 5 at (1,1) -> 3; {3 6} 6 at (1,0)
  // -> 2; {7 8} 8 at (0,1) -> 1; {9} at (0,0) -> 0.
  const Pooled p = RunArgmax(Argmax(PoolParamBytes(kRawSame, 2, 2, 2, 2), {1, 3, 3, 1}),
                             {1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(p.shape, (Shape{1, 2, 2, 1}));
  EXPECT_EQ(p.values, (std::vector<float>{5, 6, 8, 9}));
  EXPECT_EQ(p.indices, (std::vector<float>{3.1f, 2.1f, 1.1f, 0.1f}));
}

TEST(MediaPipeMaxPoolArgmaxTest, SameStride1PaddedBefore) {
  // 3x3 windows, stride 1, one row/column padded before: window (y, x)
  // starts at (y - 1, x - 1); the max of 1..9 sits at its bottom-right inside
  // cell, index 3 * (ym - y + 1) + (xm - x + 1).
  const Pooled p = RunArgmax(Argmax(PoolParamBytes(kRawSame, 1, 1, 3, 3), {1, 3, 3, 1}),
                             {1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(p.shape, (Shape{1, 3, 3, 1}));
  EXPECT_EQ(p.values, (std::vector<float>{5, 6, 6, 8, 9, 9, 8, 9, 9}));
  EXPECT_EQ(p.indices, (std::vector<float>{8.1f, 8.1f, 7.1f, 8.1f, 8.1f, 7.1f, 5.1f, 5.1f, 4.1f}));
}

TEST(MediaPipeMaxPoolArgmaxTest, ChannelsArePooledApart) {
  // ch0 [1 4; 3 2] -> 4 at 1; ch1 [8 5; 6 7] -> 8 at 0.
  const Pooled p = RunArgmax(Argmax(PoolParamBytes(kRawValid, 2, 2, 2, 2), {1, 2, 2, 2}),
                             {1, 8, 4, 5, 3, 6, 2, 7});
  EXPECT_EQ(p.values, (std::vector<float>{4, 8}));
  EXPECT_EQ(p.indices, (std::vector<float>{1.1f, 0.1f}));
}

TEST(MediaPipeMaxPoolArgmaxTest, NanAndMinusInfinityNeverWin) {
  // [-inf NaN]: nothing beats the lowest float, index 0; [NaN 3] -> 3 at 1.
  const Pooled p = RunArgmax(Argmax(PoolParamBytes(kRawValid, 1, 2, 1, 2), {1, 1, 4, 1}),
                             {-kInf, kNan, kNan, 3});
  EXPECT_EQ(p.values, (std::vector<float>{kLowest, 3}));
  EXPECT_EQ(p.indices, (std::vector<float>{0.1f, 1.1f}));
}

TEST(MediaPipeMaxPoolArgmaxTest, PlusInfinityIsClampedToTheLargestFloat) {
  // No activation still clamps to [lowest, max] (TFLite's float range).
  const Pooled p =
      RunArgmax(Argmax(PoolParamBytes(kRawValid, 1, 2, 1, 2), {1, 1, 4, 1}), {1, kInf, -kInf, -1});
  EXPECT_EQ(p.values, (std::vector<float>{std::numeric_limits<float>::max(), -1}));
  EXPECT_EQ(p.indices, (std::vector<float>{1.1f, 1.1f}));
}

TEST(MediaPipeMaxPoolArgmaxTest, FusedActivation) {
  // relu6 (3): max -3 -> 0, max 9 -> 6; tanh (4) is not applied, as TFLite's
  // float activation range leaves it unclamped.
  const Pooled relu6 =
      RunArgmax(Argmax(PoolParamBytes(kRawValid, 1, 2, 1, 2, 3), {1, 1, 4, 1}), {-5, -3, 7, 9});
  EXPECT_EQ(relu6.values, (std::vector<float>{0, 6}));
  EXPECT_EQ(relu6.indices, (std::vector<float>{1.1f, 1.1f}));
  const Pooled tanh =
      RunArgmax(Argmax(PoolParamBytes(kRawValid, 1, 2, 1, 2, 4), {1, 1, 4, 1}), {-5, -3, 7, 9});
  EXPECT_EQ(tanh.values, (std::vector<float>{-3, 9}));
}

TEST(MediaPipeMaxPoolArgmaxTest, HostileOptionsAndTensorsAreRefused) {
  const std::vector<uint8_t> in = ToBytes(std::vector<float>(4, 1.0f));
  const Shape shape = {1, 2, 2, 1};
  ExpectError(Argmax(RawFields({kRawValid, 2, 2, 2, 2}), shape), {in}, "needs 24 bytes");
  ExpectError(Argmax({}, shape), {in}, "needs 24 bytes");
  ExpectError(Argmax(PoolParamBytes(0, 2, 2, 2, 2), shape), {in}, "padding 0");
  ExpectError(Argmax(PoolParamBytes(7, 2, 2, 2, 2), shape), {in}, "padding 7");
  ExpectError(Argmax(PoolParamBytes(kRawValid, 0, 2, 2, 2), shape), {in}, "strides");
  ExpectError(Argmax(PoolParamBytes(kRawValid, 2, 2, -1, 2), shape), {in}, "filter size");
  ExpectError(Argmax(PoolParamBytes(kRawValid, 2, 2, 2, 2, 9), shape), {in}, "activation 9");
  // A VALID window larger than the input leaves nothing to pool.
  ExpectError(Argmax(PoolParamBytes(kRawValid, 1, 1, 3, 3), shape), {in}, "does not fit");
  CustomOpSpec int_indices = Argmax(PoolParamBytes(kRawValid, 2, 2, 2, 2), shape);
  int_indices.outputs[1] = DType::kInt32;  // MediaPipe writes float32 indices
  ExpectError(int_indices, {in}, "output");
  CustomOpSpec ints = Argmax(PoolParamBytes(kRawValid, 2, 2, 2, 2), shape);
  ints.inputs[0].type = DType::kInt32;
  ExpectError(ints, {in}, "input");
  CustomOpSpec rank3 = Argmax(PoolParamBytes(kRawValid, 2, 2, 2, 2), {2, 2, 1});
  ExpectError(rank3, {in}, "rank");
}

// --- MaxUnpooling2D (MediaPipe) and LiteRtMaxUnpooling2D --------------------

CustomOpSpec Unpool(const char* code, std::vector<uint8_t> options, Shape shape,
                    DType index_type = DType::kFloat32) {
  CustomOpSpec s;
  s.code = code;
  s.options = std::move(options);
  s.inputs = {Floats(shape, {}), Input{index_type, shape, {}}};
  return s;
}

template <typename Index>
Result RunUnpool(const CustomOpSpec& s, const std::vector<float>& values,
                 const std::vector<Index>& indices) {
  return RunOp(s, {ToBytes(values), ToBytes(indices)});
}

TEST(MediaPipeMaxUnpoolingTest, UndoesTheArgmaxPool) {
  // The pool of ValidStride2IndexInsideTheWindow: 5 back to (0, 1), 8 to
  // (1, 2) (window (0, 1) starts at column 2, index 2 = row 1, column 0).
  const Result r =
      RunUnpool(Unpool("MaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 2, 2), {1, 1, 2, 1}),
                std::vector<float>{5, 8}, std::vector<float>{1.1f, 2.1f});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2, 4, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 5, 0, 0, 0, 0, 8, 0}));
}

TEST(MediaPipeMaxUnpoolingTest, OverlappingWindowsLaterWriteWins) {
  // Stride 1, 2x2 windows: output 4x4 (input times filter), no padding.
  // (0,0) idx 3 -> (1,1) = 1; (0,1) idx 0 -> (0,1) = 2; (1,0) idx 0 -> (1,0) =
  // 3; (1,1) idx 0 -> (1,1) = 4 over the 1.
  const Result r =
      RunUnpool(Unpool("MaxUnpooling2D", PoolParamBytes(kRawSame, 1, 1, 2, 2), {1, 2, 2, 1}),
                std::vector<float>{1, 2, 3, 4}, std::vector<float>{3, 0, 0, 0});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 4, 4, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{0, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(MediaPipeMaxUnpoolingTest, IndicesTruncateAndOutsideOnesAreSkipped) {
  // -0.5 truncates to 0: 8 to (0, 2). Index 4 is row 2 of a 2-row output,
  // NaN and 1e10 are no index: all skipped.
  const Result r =
      RunUnpool(Unpool("MaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 2, 2), {1, 1, 4, 1}),
                std::vector<float>{5, 8, 6, 7}, std::vector<float>{4.1f, -0.5f, kNan, 1e10f});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2, 8, 1}));
  std::vector<float> expected(16, 0.0f);
  expected[2] = 8;
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), expected);
}

TEST(MediaPipeMaxUnpoolingTest, HostileOptionsAndTensorsAreRefused) {
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1, 2});
  const Shape shape = {1, 1, 2, 1};
  ExpectError(Unpool("MaxUnpooling2D", RawFields({2, 2, 2}), shape), {in, in}, "needs 24 bytes");
  ExpectError(Unpool("MaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 0, 2), shape), {in, in},
              "filter size");
  // MediaPipe's indices are float32, LiteRT's int32.
  ExpectError(Unpool("MaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 2, 2), shape, DType::kInt32),
              {in, in}, "indices");
  ExpectError(Unpool("LiteRtMaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 2, 2), shape),
              {in, in}, "indices");
  CustomOpSpec mismatch = Unpool("MaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 2, 2), shape);
  mismatch.inputs[1].shape = {1, 2, 1, 1};
  ExpectError(mismatch, {in, in}, "indices tensor");
  ExpectError(Unpool("LiteRtMaxUnpooling2D", PoolParamBytes(0, 2, 2, 2, 2), shape, DType::kInt32),
              {in, in}, "padding 0");
  const std::vector<uint8_t> wide = ToBytes(std::vector<float>(512, 0.0f));
  ExpectError(Unpool("MaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 1, 1 << 16), {1, 1, 512, 1}),
              {wide, wide}, "output would be");
}

TEST(LiteRtMaxUnpoolingTest, SameFlatIndices) {
  // SAME: output = input * stride = 2x4; flat indices 1 and 6 = (0,1), (1,2).
  const Result r = RunUnpool(Unpool("LiteRtMaxUnpooling2D", PoolParamBytes(kRawSame, 2, 2, 2, 2),
                                    {1, 1, 2, 1}, DType::kInt32),
                             std::vector<float>{5, 8}, std::vector<int32_t>{1, 6});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2, 4, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 5, 0, 0, 0, 0, 8, 0}));
}

TEST(LiteRtMaxUnpoolingTest, ValidIndicesCountWithinTheirBatch) {
  // VALID, stride 2, filter 3: 1x2 -> 3x5 (15 per batch). Batch 0: 1 at 0, 2
  // at 14; batch 1: 3 at 7, 15 and -1 are outside and skipped.
  const Result r = RunUnpool(Unpool("LiteRtMaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 3, 3),
                                    {2, 1, 2, 1}, DType::kInt32),
                             std::vector<float>{1, 2, 3, 4}, std::vector<int32_t>{0, 14, 7, 15});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3, 5, 1}));
  std::vector<float> expected(30, 0.0f);
  expected[0] = 1, expected[14] = 2, expected[15 + 7] = 3;
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), expected);
  const Result negative =
      RunUnpool(Unpool("LiteRtMaxUnpooling2D", PoolParamBytes(kRawValid, 2, 2, 3, 3), {2, 1, 2, 1},
                       DType::kInt32),
                std::vector<float>{1, 2, 3, 4}, std::vector<int32_t>{-1, 0, 0, -7});
  ASSERT_TRUE(negative.status.ok()) << negative.status.message();
  expected.assign(30, 0.0f);
  expected[0] = 2, expected[15] = 3;
  EXPECT_EQ(FromBytes<float>(negative.outputs[0]), expected);
}

TEST(MediaPipeOpsTest, WriterKeepsTheRawOptionBytes) {
  const CustomOpSpec s = Argmax(PoolParamBytes(kRawSame, 2, 2, 3, 3, 1), {1, 4, 4, 1});
  std::vector<uint8_t> bytes;
  const Status written = WriteModel(CustomOpModel(s), {}, &bytes);
  ASSERT_TRUE(written.ok()) << written.message();
  Model read;
  const Status st = ReadModelFromBytes(bytes.data(), bytes.size(), &read);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(read.operators.size(), 1u);
  EXPECT_EQ(read.operators[0].custom_code, "MaxPoolingWithArgmax2D");
  EXPECT_EQ(read.operators[0].custom_options, s.options);
  EXPECT_EQ(s.options.size(), 40u);  // sizeof(TfLitePoolParams)
}

}  // namespace
}  // namespace qlite::testing
