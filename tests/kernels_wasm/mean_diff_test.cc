// MEAN: the SIMD kernel (kernels_wasm/mean.cc) against the reference kernel:
// float32 global average pools (NHWC over H and W, keep_dims or not, H and W
// 1..7, inner channels around the vector width, batch 1 and 2) and other
// layouts with the reduced axes outside a run of kept ones; inputs with
// special values. Output bytes must be identical and the SIMD kernel must
// really have run; other layouts and dtypes run the reference kernel.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/kernels_wasm/diff_test_util.h"

namespace qlite {
namespace {

using testing::ExpectSimdMatchesReference;
using testing::RandomInt;
using testing::RunWithKernels;
using testing::ToBytes;

constexpr const char* kSimdKernel = "mean_simd128";

Model BuildMean(DType type, const Shape& shape, const std::vector<int32_t>& axes, bool keep_dims) {
  ModelBuilder b;
  const Quantization q = type == DType::kFloat32 ? Quantization() : PerTensor(0.5f, 3);
  const int in = b.AddTensor("in", type, shape, q);
  const int axis = b.AddConstant("axes", DType::kInt32, {static_cast<int32_t>(axes.size())}, axes);
  const int out = b.AddTensor("out", type, {}, q);
  ReducerOptions options;
  options.keep_dims = keep_dims;
  b.AddOperator(BuiltinOp::kMean, {in, axis}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// Special values, or one NaN (testing::SpecialsOrOneNanFloatBytes).
std::vector<uint8_t> RandomInput(int64_t count, std::mt19937* rng) {
  return testing::SpecialsOrOneNanFloatBytes(count, 8, rng);
}

std::string Describe(const Shape& shape, const std::vector<int32_t>& axes, bool keep_dims) {
  std::string a;
  for (int32_t axis : axes) a += StrCat(a.empty() ? "" : ",", axis);
  return StrCat("MEAN ", ShapeToString(shape), " axes {", a, "} keep_dims ", keep_dims);
}

TEST(MeanDiffTest, GlobalAveragePools) {
  std::mt19937 rng(31);
  const std::vector<int32_t> kAxes[] = {{1, 2}, {2, 1}, {-3, -2}};
  int cases = 0;
  for (int inner : {1, 3, 4, 5, 16, 17}) {
    for (int height = 1; height <= 7; ++height) {
      for (int width = 1; width <= 7; ++width) {
        for (bool keep_dims : {false, true}) {
          const Shape shape = {RandomInt(1, 2, &rng), height, width, inner};
          const std::vector<int32_t>& axes = kAxes[RandomInt(0, 2, &rng)];
          ASSERT_TRUE(ExpectSimdMatchesReference(
              BuildMean(DType::kFloat32, shape, axes, keep_dims),
              {RandomInput(ShapeElementCount(shape), &rng)}, kSimdKernel,
              StrCat("case ", cases, ": ", Describe(shape, axes, keep_dims))));
          ++cases;
        }
      }
    }
  }
}

// Wider channel counts (several 64-channel work items) and larger pools.
TEST(MeanDiffTest, WidePools) {
  std::mt19937 rng(32);
  for (int inner : {63, 64, 65, 130, 1280}) {
    const Shape shape = {2, RandomInt(5, 10, &rng), RandomInt(5, 10, &rng), inner};
    ASSERT_TRUE(ExpectSimdMatchesReference(BuildMean(DType::kFloat32, shape, {1, 2}, true),
                                           {RandomInput(ShapeElementCount(shape), &rng)},
                                           kSimdKernel, Describe(shape, {1, 2}, true)));
  }
}

// Other accepted layouts: [outer][reduced][inner] after dropping sizes of 1
// and merging neighbours (axis 0 of a matrix, middle axes, no reduced axis
// of size above 1, the last axes reduced: inner 1).
TEST(MeanDiffTest, OtherAcceptedLayouts) {
  std::mt19937 rng(33);
  struct Case {
    Shape shape;
    std::vector<int32_t> axes;
  };
  const Case kCases[] = {
      {{5, 7}, {0}},          {{3, 4, 9}, {1}},    {{3, 4, 9}, {0, 1}},
      {{2, 3, 4, 5}, {1, 2}}, {{2, 1, 4, 6}, {1}}, {{2, 3, 1, 6}, {0, 1}},
      {{4, 1, 3}, {1}},       {{3, 1, 4}, {0, 2}}, {{1, 6, 1, 2, 7}, {1, 2}},
      {{2, 3, 4, 5}, {-2}},   {{2, 3, 4}, {2}},    {{2, 3, 4}, {1, 2}},
  };
  for (const Case& c : kCases) {
    for (bool keep_dims : {false, true}) {
      ASSERT_TRUE(ExpectSimdMatchesReference(BuildMean(DType::kFloat32, c.shape, c.axes, keep_dims),
                                             {RandomInput(ShapeElementCount(c.shape), &rng)},
                                             kSimdKernel, Describe(c.shape, c.axes, keep_dims)));
    }
  }
}

// Declined: reduced axes on both sides of a kept one, and quantized dtypes;
// the reference kernel runs.
TEST(MeanDiffTest, DeclinedCasesRunTheReference) {
  struct Case {
    DType type;
    Shape shape;
    std::vector<int32_t> axes;
  };
  const Case kCases[] = {
      {DType::kFloat32, {2, 3, 4}, {0, 2}},
      {DType::kFloat32, {2, 3, 4, 5}, {0, 2}},
      {DType::kInt8, {1, 3, 3, 4}, {1, 2}},
      {DType::kUInt8, {1, 3, 3, 4}, {1, 2}},
  };
  std::mt19937 rng(34);
  for (const Case& c : kCases) {
    const Model model = BuildMean(c.type, c.shape, c.axes, true);
    const int64_t bytes = ShapeElementCount(c.shape) * static_cast<int64_t>(DTypeSize(c.type));
    const auto input = testing::RandomInt8Bytes(bytes, &rng);
    const testing::KernelRun simd = RunWithKernels(model, {input}, KernelSet::kSimd);
    const testing::KernelRun reference = RunWithKernels(model, {input}, KernelSet::kReference);
    const std::string what = StrCat(DTypeName(c.type), " ", Describe(c.shape, c.axes, true));
    ASSERT_TRUE(simd.status.ok()) << what << ": " << simd.status.message();
    EXPECT_EQ(simd.node_kernels.at(0), "mean_reference") << what;
    EXPECT_EQ(simd.output, reference.output) << what;
  }
}

}  // namespace
}  // namespace qlite
