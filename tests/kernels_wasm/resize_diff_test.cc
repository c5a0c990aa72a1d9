// int8 and float32 RESIZE_BILINEAR: the SIMD kernel (kernels_wasm/resize.cc)
// against the reference kernel on random seeded cases (odd sizes, up- and
// down-scaling, channels 1..33 and a few wider, every align_corners /
// half_pixel_centers combination); output bytes must be identical and the
// SIMD kernel must really have run.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>

#include "core/kernels/resize.h"
#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;

constexpr char kKernel[] = "resize_bilinear_simd128";

struct ResizeCase {
  DType type = DType::kInt8;
  Shape input_shape;
  int32_t out_h = 1, out_w = 1;
  ResizeOptions options;

  std::string Describe() const {
    return StrCat("RESIZE_BILINEAR ", DTypeName(type), " ", ShapeToString(input_shape), " -> ",
                  out_h, "x", out_w, " align_corners ", options.align_corners,
                  " half_pixel_centers ", options.half_pixel_centers);
  }
};

Model BuildResize(const ResizeCase& c) {
  ModelBuilder b;
  const Quantization q = c.type == DType::kFloat32 ? Quantization() : PerTensor(0.1f, 3);
  const int input = b.AddTensor("input", c.type, c.input_shape, q);
  const int size =
      b.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{c.out_h, c.out_w});
  const int output = b.AddTensor("output", c.type, {}, q);
  b.AddOperator(BuiltinOp::kResizeBilinear, {input, size}, {output}, c.options);
  b.SetInputs({input});
  b.SetOutputs({output});
  return b.Build();
}

// The three valid combinations (both flags together are rejected).
ResizeOptions ModeOf(int mode) {
  ResizeOptions o;
  o.align_corners = mode == 1;
  o.half_pixel_centers = mode == 2;
  return o;
}

ResizeCase RandomResizeCase(DType type, std::mt19937* rng) {
  ResizeCase c;
  c.type = type;
  const int channels = RandomInt(0, 9, rng) == 0 ? RandomInt(34, 70, rng) : RandomInt(1, 33, rng);
  c.input_shape = {RandomInt(1, 2, rng), RandomInt(1, 11, rng), RandomInt(1, 11, rng), channels};
  c.out_h = RandomInt(1, 23, rng);
  c.out_w = RandomInt(1, 23, rng);
  if (RandomInt(0, 4, rng) == 0) {  // exact 2x, the common upsampling of vision models
    c.out_h = 2 * c.input_shape[1];
    c.out_w = 2 * c.input_shape[2];
  }
  c.options = ModeOf(RandomInt(0, 2, rng));
  return c;
}

// float32 values in [-8, 8), some exact zeros, signed zeros and ones, and
// one case in 8 with infinities (whose products with zero weights give NaN).
std::vector<uint8_t> RandomFloatBytes(int64_t count, bool infinities, std::mt19937* rng) {
  std::vector<float> values(count);
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  constexpr float kInf = std::numeric_limits<float>::infinity();
  for (float& v : values) {
    const int kind = RandomInt(0, 19, rng);
    v = kind == 0                 ? 0.0f
        : kind == 1               ? -0.0f
        : kind == 2               ? 1.0f
        : kind == 3 && infinities ? (RandomInt(0, 1, rng) ? kInf : -kInf)
                                  : dist(*rng);
  }
  return testing::ToBytes(values);
}

std::vector<uint8_t> RandomInput(const ResizeCase& c, std::mt19937* rng) {
  const int64_t count = ShapeElementCount(c.input_shape);
  if (c.type == DType::kInt8) return RandomInt8Bytes(count, rng);
  return RandomFloatBytes(count, RandomInt(0, 7, rng) == 0, rng);
}

void RunRandomCases(DType type, uint32_t seed, int cases) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const ResizeCase c = RandomResizeCase(type, &rng);
    if (!ExpectSimdMatchesReference(BuildResize(c), {RandomInput(c, &rng)}, kKernel,
                                    StrCat("case ", i, ": ", c.Describe()))) {
      return;
    }
  }
}

TEST(ResizeDiffTest, Int8RandomCases) { RunRandomCases(DType::kInt8, 2201, 1500); }

TEST(ResizeDiffTest, FloatRandomCases) { RunRandomCases(DType::kFloat32, 2202, 1500); }

// Every mode on the shapes of a vision model's decoder (2x and 4x upsampling,
// 16-channel multiples and their neighbours) and on large downscales.
TEST(ResizeDiffTest, VisionShapesInEveryMode) {
  std::mt19937 rng(2203);
  const Shape kShapes[] = {{1, 8, 8, 32}, {1, 7, 5, 17}, {1, 4, 6, 48}, {2, 3, 3, 15}};
  for (const DType type : {DType::kInt8, DType::kFloat32}) {
    for (int mode = 0; mode < 3; ++mode) {
      for (const Shape& shape : kShapes) {
        for (const int factor : {2, 4}) {
          ResizeCase c;
          c.type = type;
          c.input_shape = shape;
          c.out_h = shape[1] * factor;
          c.out_w = shape[2] * factor;
          c.options = ModeOf(mode);
          ASSERT_TRUE(ExpectSimdMatchesReference(BuildResize(c), {RandomInput(c, &rng)}, kKernel,
                                                 c.Describe()));
          // Downscale from the upsampled size back to the shape and further.
          c.input_shape = {shape[0], c.out_h, c.out_w, shape[3]};
          c.out_h = shape[1] / factor + 1;
          c.out_w = shape[2];
          ASSERT_TRUE(ExpectSimdMatchesReference(BuildResize(c), {RandomInput(c, &rng)}, kKernel,
                                                 c.Describe()));
        }
      }
    }
  }
}

// int8 images of 1..7 channels run 8 output values at a time from 16 input
// bytes (masks and logits): rows wide enough for that, up- and downscales
// whose chunks fit or do not, every mode, output rows not a multiple of 8
// values (ExpectSimdMatchesReference also runs 2 to 4 threads).
TEST(ResizeDiffTest, Int8NarrowDepthRows) {
  std::mt19937 rng(2205);
  for (int i = 0; i < 400; ++i) {
    ResizeCase c;
    c.type = DType::kInt8;
    const int depth = RandomInt(1, 7, &rng);
    c.input_shape = {RandomInt(1, 2, &rng), RandomInt(1, 9, &rng), RandomInt(16 / depth, 40, &rng),
                     depth};
    const int scale = RandomInt(0, 3, &rng);  // 2x, 4x, any up to 3x, any down to 1/3
    c.out_h = RandomInt(1, 20, &rng);
    c.out_w = scale == 0   ? 2 * c.input_shape[2]
              : scale == 1 ? 4 * c.input_shape[2]
              : scale == 2 ? RandomInt(c.input_shape[2], 3 * c.input_shape[2], &rng)
                           : RandomInt(std::max(1, c.input_shape[2] / 3), c.input_shape[2], &rng);
    c.options = ModeOf(RandomInt(0, 2, &rng));
    ASSERT_TRUE(ExpectSimdMatchesReference(BuildResize(c), {RandomInput(c, &rng)}, kKernel,
                                           StrCat("case ", i, ": ", c.Describe())));
  }
}

// int8 inputs at the extremes (all -128, all 127, or a random mix of both):
// the largest sums and the rounding of exact halves.
TEST(ResizeDiffTest, Int8ExtremeValues) {
  std::mt19937 rng(2204);
  for (int i = 0; i < 300; ++i) {
    const ResizeCase c = RandomResizeCase(DType::kInt8, &rng);
    std::vector<uint8_t> input(ShapeElementCount(c.input_shape));
    for (uint8_t& v : input) {
      const int pattern = i % 3;
      const bool low = pattern == 0 || (pattern == 2 && RandomInt(0, 1, &rng) == 0);
      v = static_cast<uint8_t>(static_cast<int8_t>(low ? -128 : 127));
    }
    ASSERT_TRUE(ExpectSimdMatchesReference(BuildResize(c), {input}, kKernel,
                                           StrCat("case ", i, ": ", c.Describe())));
  }
}

// uint8 and int16 stay on the reference kernel; a node the reference rejects
// fails the same way under the SIMD kernel set.
TEST(ResizeDiffTest, DeclinesOtherDtypesAndRejectsLikeTheReference) {
  for (const DType type : {DType::kUInt8, DType::kInt16}) {
    ResizeCase c;
    c.type = type;
    c.input_shape = {1, 3, 3, 4};
    c.out_h = c.out_w = 5;
    const std::vector<uint8_t> input(ShapeElementCount(c.input_shape) * DTypeSize(type), 7);
    const testing::KernelRun run = RunWithKernels(BuildResize(c), {input}, KernelSet::kSimd);
    ASSERT_TRUE(run.status.ok()) << run.status.message();
    EXPECT_EQ(run.node_kernels.at(0), "resize_bilinear_reference") << DTypeName(type);
  }
  ResizeCase both;
  both.type = DType::kFloat32;
  both.input_shape = {1, 2, 2, 4};
  both.options.align_corners = both.options.half_pixel_centers = true;
  const std::vector<uint8_t> input(16 * sizeof(float), 0);
  const testing::KernelRun simd = RunWithKernels(BuildResize(both), {input}, KernelSet::kSimd);
  const testing::KernelRun reference =
      RunWithKernels(BuildResize(both), {input}, KernelSet::kReference);
  ASSERT_FALSE(simd.status.ok());
  EXPECT_EQ(simd.status.message(), reference.status.message());
}

}  // namespace
}  // namespace qlite
