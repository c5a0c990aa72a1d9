// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR reference kernels: every
// option on upsampling and downsampling, odd sizes, a 1x1 input, batches and
// channels, the rounding of each dtype's arithmetic, NaN/inf, a size folded
// from constants, and the errors. Expected values are worked out by hand in
// the comments (position = output index * scale, or (index + 0.5) * scale -
// 0.5 with half-pixel centres).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/kernels/resize.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

constexpr ResizeOptions kNone{false, false};
constexpr ResizeOptions kAlign{true, false};
constexpr ResizeOptions kHalfPixel{false, true};

Quantization QuantOf(DType type) {
  const bool quantized = type == DType::kInt8 || type == DType::kUInt8 || type == DType::kInt16;
  return quantized ? PerTensor(0.5f, 0) : Quantization{};
}

template <typename T>
RunResult RunResize(BuiltinOp op, DType type, Shape shape, const std::vector<T>& input,
                    std::vector<int32_t> size, ResizeOptions options) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape, QuantOf(type));
  const int s = b.AddConstant("size", DType::kInt32, {static_cast<int32_t>(size.size())}, size);
  const int out = b.AddTensor("out", type, {}, QuantOf(type));
  b.AddOperator(op, {in, s}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

// Resizes a [1, 1, W, 1] row to `width` and checks the values.
template <typename T>
void ExpectRow(BuiltinOp op, DType type, const std::vector<T>& row, int32_t width,
               ResizeOptions options, const std::vector<T>& expected) {
  SCOPED_TRACE(std::string(DTypeName(type)) +
               " align_corners=" + std::to_string(options.align_corners) +
               " half_pixel_centers=" + std::to_string(options.half_pixel_centers));
  const RunResult r =
      RunResize<T>(op, type, {1, 1, static_cast<int32_t>(row.size()), 1}, row, {1, width}, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 1, width, 1}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), expected);
}

template <typename T>
void ExpectBilinearRow(DType type, const std::vector<T>& row, int32_t width, ResizeOptions options,
                       const std::vector<T>& expected) {
  ExpectRow<T>(BuiltinOp::kResizeBilinear, type, row, width, options, expected);
}

template <typename T>
void ExpectNearestRow(DType type, const std::vector<T>& row, int32_t width, ResizeOptions options,
                      const std::vector<T>& expected) {
  ExpectRow<T>(BuiltinOp::kResizeNearestNeighbor, type, row, width, options, expected);
}

// [0, 10, 20, 30] to width 2: scale 2. Positions 0, 2 -> 0, 20; half-pixel
// 0.5, 2.5 -> 5, 25; align_corners (scale 3) 0, 3 -> 0, 30. Exact in every
// dtype's arithmetic.
template <typename T>
void ExpectBilinearDownsample(DType type) {
  ExpectBilinearRow<T>(type, {0, 10, 20, 30}, 2, kNone, {0, 20});
  ExpectBilinearRow<T>(type, {0, 10, 20, 30}, 2, kHalfPixel, {5, 25});
  ExpectBilinearRow<T>(type, {0, 10, 20, 30}, 2, kAlign, {0, 30});
}

TEST(ResizeBilinearTest, DownsamplesWithEachOptionInEveryDtype) {
  ExpectBilinearDownsample<float>(DType::kFloat32);
  ExpectBilinearDownsample<uint8_t>(DType::kUInt8);
  ExpectBilinearDownsample<int8_t>(DType::kInt8);
  ExpectBilinearDownsample<int16_t>(DType::kInt16);
}

// [0, 8] to width 4 with half-pixel centres: scale 0.5, positions -0.25
// (clamped to pixel 0), 0.25, 0.75, 1.25 (clamped to pixel 1) -> 0, 2, 6, 8.
TEST(ResizeBilinearTest, UpsamplesWithHalfPixelCentresInEveryDtype) {
  ExpectBilinearRow<float>(DType::kFloat32, {0, 8}, 4, kHalfPixel, {0, 2, 6, 8});
  ExpectBilinearRow<uint8_t>(DType::kUInt8, {0, 8}, 4, kHalfPixel, {0, 2, 6, 8});
  ExpectBilinearRow<int8_t>(DType::kInt8, {0, 8}, 4, kHalfPixel, {0, 2, 6, 8});
  ExpectBilinearRow<int16_t>(DType::kInt16, {0, 8}, 4, kHalfPixel, {0, 2, 6, 8});
}

// [[1, 2], [3, 4]] to 3x3: scale 2/3, positions 0, 2/3, 4/3 (clamped to 1).
TEST(ResizeBilinearTest, UpsamplesToAnOddSizeIn2D) {
  const RunResult r = RunResize<float>(BuiltinOp::kResizeBilinear, DType::kFloat32, {1, 2, 2, 1},
                                       {1, 2, 3, 4}, {3, 3}, kNone);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 3, 3, 1}));
  const std::vector<float> expected = {1, 5.f / 3, 2, 7.f / 3, 3, 10.f / 3, 3, 11.f / 3, 4};
  const std::vector<float> got = FromBytes<float>(r.outputs[0]);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-6) << i;

  // align_corners: scale 1/2, positions 0, 0.5, 1.
  const RunResult a = RunResize<float>(BuiltinOp::kResizeBilinear, DType::kFloat32, {1, 2, 2, 1},
                                       {1, 2, 3, 4}, {3, 3}, kAlign);
  ASSERT_TRUE(a.status.ok()) << a.status.message();
  EXPECT_EQ(FromBytes<float>(a.outputs[0]),
            (std::vector<float>{1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}));
}

// Ties: TFLite's int8/int16 kernel rounds the fixed-point sum half away from
// zero, its uint8 kernel adds 0.5 to the float sum and truncates.
TEST(ResizeBilinearTest, RoundsAsEachDtypesKernelDoes) {
  // align_corners, width 2 -> 3: the middle sample is the mean of the two.
  ExpectBilinearRow<int8_t>(DType::kInt8, {0, 1}, 3, kAlign, {0, 1, 1});
  ExpectBilinearRow<int8_t>(DType::kInt8, {0, -1}, 3, kAlign, {0, -1, -1});
  ExpectBilinearRow<int8_t>(DType::kInt8, {-128, 127}, 3, kAlign, {-128, -1, 127});  // -0.5
  ExpectBilinearRow<int16_t>(DType::kInt16, {-3, 0}, 3, kAlign, {-3, -2, 0});        // -1.5
  ExpectBilinearRow<int16_t>(DType::kInt16, {-32768, 32767}, 3, kAlign, {-32768, -1, 32767});
  ExpectBilinearRow<uint8_t>(DType::kUInt8, {0, 1}, 3, kAlign, {0, 1, 1});
  // [0, 255] to 4: positions 0, 0.5, 1, 1.5 -> 0, 127.5 + 0.5, 255, 255;
  // half-pixel 0.25, 0.75 -> 63.75 + 0.5 and 191.25 + 0.5, truncated.
  ExpectBilinearRow<uint8_t>(DType::kUInt8, {0, 255}, 4, kNone, {0, 128, 255, 255});
  ExpectBilinearRow<uint8_t>(DType::kUInt8, {0, 255}, 4, kHalfPixel, {0, 64, 191, 255});
  ExpectBilinearRow<float>(DType::kFloat32, {0, 1}, 3, kAlign, {0, 0.5f, 1});
}

// Two images of two RGB pixels to width 4: positions 0, 0.5, 1, 1.5.
template <typename T>
void ExpectBatchesAndChannels(BuiltinOp op, DType type, const std::vector<T>& expected) {
  SCOPED_TRACE(DTypeName(type));
  const RunResult r = RunResize<T>(op, type, {2, 1, 2, 3},
                                   {0, 10, 20, 4, 14, 24, 100, 0, -8, 200, 0, 8}, {1, 4}, kNone);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 1, 4, 3}));
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), expected);
}

TEST(ResizeTest, BatchesAndChannelsAreResizedApart) {
  const std::vector<int16_t> bilinear = {0,   10, 20, 2,   12, 22, 4,   14, 24, 4,   14, 24,
                                         100, 0,  -8, 150, 0,  0,  200, 0,  8,  200, 0,  8};
  ExpectBatchesAndChannels<float>(BuiltinOp::kResizeBilinear, DType::kFloat32,
                                  std::vector<float>(bilinear.begin(), bilinear.end()));
  ExpectBatchesAndChannels<int16_t>(BuiltinOp::kResizeBilinear, DType::kInt16, bilinear);
  // Nearest: floor of the positions -> pixels 0, 0, 1, 1.
  const std::vector<int16_t> nearest = {0,   10, 20, 0,   10, 20, 4,   14, 24, 4,   14, 24,
                                        100, 0,  -8, 100, 0,  -8, 200, 0,  8,  200, 0,  8};
  ExpectBatchesAndChannels<int16_t>(BuiltinOp::kResizeNearestNeighbor, DType::kInt16, nearest);
  ExpectBatchesAndChannels<float>(BuiltinOp::kResizeNearestNeighbor, DType::kFloat32,
                                  std::vector<float>(nearest.begin(), nearest.end()));
}

// A 1x1 image of two channels to 3x2: every output pixel is the input pixel.
TEST(ResizeTest, OnePixelInputFillsTheOutput) {
  for (BuiltinOp op : {BuiltinOp::kResizeBilinear, BuiltinOp::kResizeNearestNeighbor}) {
    for (ResizeOptions o : {kNone, kAlign, kHalfPixel}) {
      const RunResult r = RunResize<int8_t>(op, DType::kInt8, {1, 1, 1, 2}, {3, -7}, {3, 2}, o);
      ASSERT_TRUE(r.status.ok()) << r.status.message();
      EXPECT_EQ(r.shapes[0], (Shape{1, 3, 2, 2}));
      EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]),
                (std::vector<int8_t>{3, -7, 3, -7, 3, -7, 3, -7, 3, -7, 3, -7}));
    }
  }
}

// TFLite's float kernel weights all four corners, also those of weight 0: an
// output with an inf among its corners is NaN (inf * 0).
TEST(ResizeBilinearTest, NanAndInfSpreadAsTfliteWeightsThem) {
  const float inf = std::numeric_limits<float>::infinity();
  const RunResult r = RunResize<float>(BuiltinOp::kResizeBilinear, DType::kFloat32, {1, 1, 2, 1},
                                       {inf, 1}, {1, 3}, kAlign);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const std::vector<float> got = FromBytes<float>(r.outputs[0]);
  EXPECT_TRUE(std::isnan(got[0]));  // inf * 1 + inf * 0
  EXPECT_TRUE(std::isnan(got[1]));  // inf * 0.5 + 1 * 0.5 + inf * 0 + 1 * 0
  EXPECT_EQ(got[2], 1.0f);
  const RunResult n = RunResize<float>(BuiltinOp::kResizeBilinear, DType::kFloat32, {1, 1, 2, 1},
                                       {std::nanf(""), 1}, {1, 3}, kAlign);
  ASSERT_TRUE(n.status.ok()) << n.status.message();
  const std::vector<float> nan_got = FromBytes<float>(n.outputs[0]);
  EXPECT_TRUE(std::isnan(nan_got[0]) && std::isnan(nan_got[1]));
  EXPECT_EQ(nan_got[2], 1.0f);
}

// [1, 2, 3] to 5: scale 0.6 (align_corners 0.5).
//   none:        0, 0.6, 1.2, 1.8, 2.4 floored       -> 1 1 2 2 3
//   align:       0, 0.5, 1, 1.5, 2 rounded (half up) -> 1 2 2 3 3
//   half-pixel:  0.3, 0.9, 1.5, 2.1, 2.7 floored     -> 1 1 2 3 3
//   both:        0.25, 0.75, 1.25, 1.75, 2.25 rounded -> 1 2 2 3 3
template <typename T>
void ExpectNearestModes(DType type) {
  ExpectNearestRow<T>(type, {1, 2, 3}, 5, kNone, {1, 1, 2, 2, 3});
  ExpectNearestRow<T>(type, {1, 2, 3}, 5, kAlign, {1, 2, 2, 3, 3});
  ExpectNearestRow<T>(type, {1, 2, 3}, 5, kHalfPixel, {1, 1, 2, 3, 3});
  ExpectNearestRow<T>(type, {1, 2, 3}, 5, ResizeOptions{true, true}, {1, 2, 2, 3, 3});
  // [1, 2, 3, 4] to 2: scale 2, positions 0, 2 (half-pixel 1, 3).
  ExpectNearestRow<T>(type, {1, 2, 3, 4}, 2, kNone, {1, 3});
  ExpectNearestRow<T>(type, {1, 2, 3, 4}, 2, kHalfPixel, {2, 4});
  ExpectNearestRow<T>(type, {1, 2, 3, 4}, 2, kAlign, {1, 4});
}

TEST(ResizeNearestNeighborTest, UpsamplesAndDownsamplesWithEachOption) {
  ExpectNearestModes<float>(DType::kFloat32);
  ExpectNearestModes<uint8_t>(DType::kUInt8);
  ExpectNearestModes<int8_t>(DType::kInt8);
  ExpectNearestModes<int16_t>(DType::kInt16);
}

// Width 26 -> 22, output 11: the exact position is 11 * 26 / 22 = 13. The
// float scale 26/22 rounds down, 11 * scale = 12.99999 -> 12 (float32,
// int16); TFLite's 8-bit kernel uses (26 << 16) / 22 + 1 = 77452, and
// 11 * 77452 >> 16 = 13.
TEST(ResizeNearestNeighborTest, EightBitTypesUseTflitesFixedPointScale) {
  std::vector<int16_t> row(26);
  for (int i = 0; i < 26; ++i) row[i] = static_cast<int16_t>(i);
  const auto at11 = [&](DType type) {
    const RunResult r = RunResize<int16_t>(BuiltinOp::kResizeNearestNeighbor, DType::kInt16,
                                           {1, 1, 26, 1}, row, {1, 22}, kNone);
    if (type == DType::kInt16) return static_cast<int>(FromBytes<int16_t>(r.outputs[0])[11]);
    std::vector<int8_t> bytes(row.begin(), row.end());
    const RunResult q = RunResize<int8_t>(BuiltinOp::kResizeNearestNeighbor, type, {1, 1, 26, 1},
                                          bytes, {1, 22}, kNone);
    return static_cast<int>(FromBytes<int8_t>(q.outputs[0])[11]);
  };
  EXPECT_EQ(at11(DType::kInt16), 12);
  EXPECT_EQ(at11(DType::kInt8), 13);
  EXPECT_EQ(at11(DType::kUInt8), 13);
  std::vector<float> frow(row.begin(), row.end());
  const RunResult f = RunResize<float>(BuiltinOp::kResizeNearestNeighbor, DType::kFloat32,
                                       {1, 1, 26, 1}, frow, {1, 22}, kNone);
  EXPECT_EQ(FromBytes<float>(f.outputs[0])[11], 12.0f);
}

TEST(ResizeNearestNeighborTest, ZeroSizeGivesAnEmptyOutput) {
  const RunResult r = RunResize<float>(BuiltinOp::kResizeNearestNeighbor, DType::kFloat32,
                                       {1, 2, 2, 1}, {1, 2, 3, 4}, {0, 3}, kNone);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 0, 3, 1}));
  EXPECT_TRUE(r.outputs[0].empty());
}

// The size computed by a SLICE of a constant is folded before the resize's
// prepare, so it is constant there.
TEST(ResizeTest, SizeFoldedFromConstantsIsAccepted) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 1, 2, 1});
  const int all = b.AddConstant("all", DType::kInt32, {4}, std::vector<int32_t>{9, 2, 4, 9});
  const int begin = b.AddConstant("begin", DType::kInt32, {1}, std::vector<int32_t>{1});
  const int count = b.AddConstant("count", DType::kInt32, {1}, std::vector<int32_t>{2});
  const int size = b.AddTensor("size", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kSlice, {all, begin, count}, {size});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kResizeNearestNeighbor, {in, size}, {out}, kNone);
  b.SetInputs({in});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{5, 6})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2, 4, 1}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{5, 5, 6, 6, 5, 5, 6, 6}));
}

TEST(ResizeTest, ConstantInputIsFoldedAtPrepare) {
  ModelBuilder b;
  const int in = b.AddConstant("in", DType::kFloat32, {1, 1, 2, 1}, std::vector<float>{0, 4});
  const int size = b.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{1, 3});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kResizeBilinear, {in, size}, {out}, kAlign);
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{0, 2, 4}));
}

void ExpectError(const RunResult& r, const std::string& text) {
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(text), std::string::npos) << r.status.message();
}

// A size that is a model input: the output takes each run's size.
TEST(ResizeTest, SizeKnownOnlyAtRunTime) {
  for (BuiltinOp op : {BuiltinOp::kResizeNearestNeighbor, BuiltinOp::kResizeBilinear}) {
    ModelBuilder b;
    const int in = b.AddTensor("in", DType::kFloat32, {1, 2, 2, 1});
    const int size = b.AddTensor("size", DType::kInt32, {2});
    const int out = b.AddTensor("out", DType::kFloat32, {});
    b.AddOperator(op, {in, size}, {out}, kNone);
    b.SetInputs({in, size});
    b.SetOutputs({out});
    const auto run = [&](std::vector<int32_t> hw) {
      return RunModel(b.Build(), {ToBytes(std::vector<float>{1, 2, 3, 4}), ToBytes(hw)});
    };
    // Nearest and bilinear agree on a 2x upscale's even pixels and a 1x2 size.
    RunResult r = run({1, 2});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], (Shape{1, 1, 2, 1}));
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 2}));
    r = run({4, 4});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.shapes[0], (Shape{1, 4, 4, 1}));
    const std::vector<float> got = FromBytes<float>(r.outputs[0]);
    ASSERT_EQ(got.size(), 16u);
    EXPECT_EQ(got[0], 1);
    EXPECT_EQ(got[2], 2);
    EXPECT_EQ(got[8], 3);
    EXPECT_EQ(got[10], 4);
    if (op == BuiltinOp::kResizeNearestNeighbor) {
      EXPECT_EQ(got, (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
    } else {
      EXPECT_EQ(got[1], 1.5f);  // halfway between 1 and 2
    }
    ExpectError(run({-1, 2}), "must be >= ");
    ExpectError(run({65536, 65536}), "gives too many elements");
  }
}

TEST(ResizeTest, ErrorsNameWhatIsWrong) {
  const auto bilinear = [](DType type, Shape shape, std::vector<int32_t> size, ResizeOptions o) {
    std::vector<int32_t> values(4, 0);
    return RunResize<int32_t>(BuiltinOp::kResizeBilinear, type, shape, values, size, o);
  };
  ExpectError(bilinear(DType::kInt32, {1, 2, 2, 1}, {2, 2}, kNone),
              "input tensor 'in' has dtype int32");
  ExpectError(bilinear(DType::kFloat32, {2, 2, 1}, {2, 2}, kNone), "must have rank 4");
  ExpectError(bilinear(DType::kFloat32, {1, 2, 2, 1}, {2, 2, 2}, kNone), "size must hold 2 values");
  ExpectError(bilinear(DType::kFloat32, {1, 2, 2, 1}, {0, 2}, kNone), "size 0x2 must be >= 1");
  ExpectError(bilinear(DType::kFloat32, {1, 2, 2, 1}, {2, 2}, ResizeOptions{true, true}),
              "half_pixel_centers requires align_corners = false");
  // An empty image (a constant: model inputs cannot be empty) has no pixel to sample.
  ModelBuilder e;
  const int ein = e.AddConstant("in", DType::kFloat32, {1, 0, 2, 1}, std::vector<float>{});
  const int esize = e.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{2, 2});
  const int eout = e.AddTensor("out", DType::kFloat32, {});
  e.AddOperator(BuiltinOp::kResizeNearestNeighbor, {ein, esize}, {eout}, kNone);
  const int unused = e.AddTensor("unused", DType::kFloat32, {1});
  e.SetInputs({unused});
  e.SetOutputs({eout});
  ExpectError(RunModel(e.Build(), {ToBytes(std::vector<float>{0})}), "has no pixels to resize");
  ExpectError(RunResize<float>(BuiltinOp::kResizeNearestNeighbor, DType::kFloat32, {1, 1, 1, 1},
                               {1}, {-1, 2}, kNone),
              "size -1x2 must be >= 0");
  ExpectError(RunResize<float>(BuiltinOp::kResizeNearestNeighbor, DType::kFloat32, {1, 1, 1, 1},
                               {1}, {65536, 65536}, kNone),
              "gives too many elements");

  // Quantized input and output must carry the same parameters.
  ModelBuilder q;
  const int qin = q.AddTensor("in", DType::kInt8, {1, 1, 2, 1}, PerTensor(0.5f, 0));
  const int qsize = q.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{1, 3});
  const int qout = q.AddTensor("out", DType::kInt8, {}, PerTensor(1.0f, 0));
  q.AddOperator(BuiltinOp::kResizeNearestNeighbor, {qin, qsize}, {qout}, kNone);
  q.SetInputs({qin});
  q.SetOutputs({qout});
  ExpectError(RunModel(q.Build(), {ToBytes(std::vector<int8_t>{1, 2})}),
              "must share quantization parameters");

  // An int64 size: TFLite takes int32 only.
  ModelBuilder l;
  const int lin = l.AddTensor("in", DType::kFloat32, {1, 1, 2, 1});
  const int lsize = l.AddConstant("size", DType::kInt64, {2}, std::vector<int64_t>{1, 3});
  const int lout = l.AddTensor("out", DType::kFloat32, {});
  l.AddOperator(BuiltinOp::kResizeBilinear, {lin, lsize}, {lout}, kNone);
  l.SetInputs({lin});
  l.SetOutputs({lout});
  ExpectError(RunModel(l.Build(), {ToBytes(std::vector<float>{1, 2})}),
              "size tensor 'size' has dtype int64");
}

}  // namespace
}  // namespace qlite
