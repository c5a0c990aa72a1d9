// DEPTH_TO_SPACE: the SIMD kernel (kernels_wasm/depth_to_space.cc) against
// the reference kernel on random seeded cases: block sizes 1..4, odd heights
// and widths, output depths 1..33 (runs of 1 to over 500 bytes, so every
// piece size of the copy shows), every dtype; output bytes must be identical
// and the SIMD kernel must really have run.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/kernels/space_rearrange.h"
#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomInt;
using testing::RandomInt8Bytes;
using testing::RunWithKernels;

Model BuildDepthToSpace(DType type, const Shape& input_shape, int32_t block) {
  ModelBuilder b;
  const bool quantized = type == DType::kInt8 || type == DType::kUInt8;
  const Quantization q = quantized ? PerTensor(0.25f, 1) : Quantization();
  const int input = b.AddTensor("input", type, input_shape, q);
  const int output = b.AddTensor("output", type, {}, q);
  b.AddOperator(BuiltinOp::kDepthToSpace, {input}, {output}, BlockSizeOptions{block});
  b.SetInputs({input});
  b.SetOutputs({output});
  return b.Build();
}

TEST(DepthToSpaceDiffTest, RandomCasesInEveryDtype) {
  std::mt19937 rng(2301);
  const DType kTypes[] = {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt32,
                          DType::kInt64};
  for (int i = 0; i < 1500; ++i) {
    const DType type = kTypes[i % 5];
    const int block = RandomInt(1, 4, &rng);
    const Shape shape = {RandomInt(1, 2, &rng), RandomInt(1, 7, &rng), RandomInt(1, 7, &rng),
                         block * block * RandomInt(1, 33, &rng)};
    // Random bytes: every dtype's values are moved, never computed with.
    const auto input =
        RandomInt8Bytes(ShapeElementCount(shape) * static_cast<int64_t>(DTypeSize(type)), &rng);
    if (!ExpectSimdMatchesReference(BuildDepthToSpace(type, shape, block), {input},
                                    "depth_to_space_simd128",
                                    StrCat("case ", i, ": DEPTH_TO_SPACE ", DTypeName(type), " ",
                                           ShapeToString(shape), " block ", block))) {
      return;
    }
  }
}

// A node the reference rejects (depth not a multiple of block_size^2) fails
// the same way under the SIMD kernel set.
TEST(DepthToSpaceDiffTest, RejectsLikeTheReference) {
  const Model model = BuildDepthToSpace(DType::kInt8, {1, 2, 2, 6}, 2);
  const std::vector<uint8_t> input(24, 1);
  const testing::KernelRun simd = RunWithKernels(model, {input}, KernelSet::kSimd);
  const testing::KernelRun reference = RunWithKernels(model, {input}, KernelSet::kReference);
  ASSERT_FALSE(simd.status.ok());
  EXPECT_EQ(simd.status.message(), reference.status.message());
}

}  // namespace
}  // namespace qlite
