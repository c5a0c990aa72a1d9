// DEPTH_TO_SPACE, SPACE_TO_DEPTH, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND and
// MIRROR_PAD reference kernels: hand-placed results (TFLite's and
// TensorFlow's documented examples among them) for block sizes 2 and 4, odd
// paddings and crops, batches > 1, 3-D batch ops, quantized padding with the
// zero point, every dtype, and the errors prepare must report.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/space_rearrange.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct Param {  // a constant parameter input (block_shape, paddings, crops)
  Shape shape;
  std::vector<int32_t> values;
  DType type = DType::kInt32;
};

// A constant input (`constant_input`) is folded at prepare; the model then
// takes an unused input of its own (model inputs cannot be empty).
template <typename T>
RunResult RunOp(BuiltinOp op, DType type, Shape shape, const std::vector<T>& input,
                std::vector<Param> params, OpOptions options = {}, Quantization quant = {},
                bool constant_input = false) {
  ModelBuilder b;
  const int in = constant_input ? b.AddConstant("in", type, shape, input, quant)
                                : b.AddTensor("in", type, shape, quant);
  std::vector<int32_t> inputs = {in};
  for (size_t i = 0; i < params.size(); ++i) {
    const Param& p = params[i];
    const std::string name = "param" + std::to_string(i);
    inputs.push_back(p.type == DType::kInt64
                         ? b.AddConstant(name, p.type, p.shape,
                                         std::vector<int64_t>(p.values.begin(), p.values.end()))
                         : b.AddConstant(name, p.type, p.shape, p.values));
  }
  const int out = b.AddTensor("out", type, {}, quant);
  b.AddOperator(op, inputs, {out}, options);
  const int model_input = constant_input ? b.AddTensor("unused", DType::kFloat32, {1}) : in;
  b.SetInputs({model_input});
  b.SetOutputs({out});
  return RunModel(b.Build(), {constant_input ? ToBytes(std::vector<float>{0}) : ToBytes(input)});
}

template <typename T>
void ExpectResult(const RunResult& r, const Shape& shape, const std::vector<T>& expected) {
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], shape);
  EXPECT_EQ(FromBytes<T>(r.outputs[0]), expected);
}

void ExpectError(const RunResult& r, const std::string& piece) {
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(piece), std::string::npos) << r.status.message();
}

std::vector<int32_t> Iota(int n, int32_t first = 0) {
  std::vector<int32_t> v(n);
  for (int i = 0; i < n; ++i) v[i] = first + i;
  return v;
}

// ---- DEPTH_TO_SPACE / SPACE_TO_DEPTH ----

TEST(DepthToSpaceTest, Block2SpreadsEachPixelsDepthOverA2x2Block) {
  // TFLite's test: pixel (0,0) holds 1..4, pixel (0,1) holds 5..8.
  const RunResult r = RunOp<float>(BuiltinOp::kDepthToSpace, DType::kFloat32, {1, 1, 2, 4},
                                   {1, 2, 3, 4, 5, 6, 7, 8}, {}, BlockSizeOptions{2});
  ExpectResult<float>(r, {1, 2, 4, 1}, {1, 2, 5, 6, 3, 4, 7, 8});
}

TEST(DepthToSpaceTest, Block4WithTwoOutputChannelsAndTwoBatches) {
  // Each batch has one pixel of 32 values: block offset k = (h * 4 + w) takes
  // values 2k and 2k + 1, so the output is the input in order.
  std::vector<int32_t> x = Iota(64, -10);
  const RunResult r = RunOp<int32_t>(BuiltinOp::kDepthToSpace, DType::kInt32, {2, 1, 1, 32}, x, {},
                                     BlockSizeOptions{4});
  ExpectResult<int32_t>(r, {2, 4, 4, 2}, x);
}

TEST(DepthToSpaceTest, EveryDtypeMovesTheSameWay) {
  const Quantization q = PerTensor(0.5f, 3);
  ExpectResult<int8_t>(RunOp<int8_t>(BuiltinOp::kDepthToSpace, DType::kInt8, {1, 1, 2, 4},
                                     {1, 2, 3, 4, 5, 6, 7, -128}, {}, BlockSizeOptions{2}, q),
                       {1, 2, 4, 1}, {1, 2, 5, 6, 3, 4, 7, -128});
  ExpectResult<uint8_t>(RunOp<uint8_t>(BuiltinOp::kDepthToSpace, DType::kUInt8, {1, 1, 2, 4},
                                       {1, 2, 3, 4, 5, 6, 7, 255}, {}, BlockSizeOptions{2}, q),
                        {1, 2, 4, 1}, {1, 2, 5, 6, 3, 4, 7, 255});
  ExpectResult<int64_t>(RunOp<int64_t>(BuiltinOp::kDepthToSpace, DType::kInt64, {1, 1, 2, 4},
                                       {1, 2, 3, 4, 5, 6, 7, INT64_MIN}, {}, BlockSizeOptions{2}),
                        {1, 2, 4, 1}, {1, 2, 5, 6, 3, 4, 7, INT64_MIN});
}

TEST(DepthToSpaceTest, Errors) {
  const std::vector<float> x(8, 1.0f);
  ExpectError(RunOp<float>(BuiltinOp::kDepthToSpace, DType::kFloat32, {1, 1, 2, 4}, x, {},
                           BlockSizeOptions{0}),
              "block_size is 0");
  ExpectError(RunOp<float>(BuiltinOp::kDepthToSpace, DType::kFloat32, {1, 1, 1, 8}, x, {},
                           BlockSizeOptions{3}),
              "not a multiple of block_size^2");
  ExpectError(
      RunOp<float>(BuiltinOp::kDepthToSpace, DType::kFloat32, {2, 4}, x, {}, BlockSizeOptions{2}),
      "rank");
  // TFLite has no int16 kernel for it.
  ExpectError(RunOp<int16_t>(BuiltinOp::kDepthToSpace, DType::kInt16, {1, 1, 1, 4}, {1, 2, 3, 4},
                             {}, BlockSizeOptions{2}),
              "int16");
}

TEST(SpaceToDepthTest, Block2GathersA2x2BlockIntoOnePixel) {
  const RunResult r = RunOp<float>(BuiltinOp::kSpaceToDepth, DType::kFloat32, {1, 2, 4, 1},
                                   {1, 2, 5, 6, 3, 4, 7, 8}, {}, BlockSizeOptions{2});
  ExpectResult<float>(r, {1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
}

TEST(SpaceToDepthTest, TwoChannelsAndTwoBatches) {
  // Pixels (0,0)=(1,2) (0,1)=(3,4) (1,0)=(5,6) (1,1)=(7,8) in batch 0; +10 in batch 1.
  const RunResult r = RunOp<int8_t>(BuiltinOp::kSpaceToDepth, DType::kInt8, {2, 2, 2, 2},
                                    {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18}, {},
                                    BlockSizeOptions{2});
  ExpectResult<int8_t>(r, {2, 1, 1, 8}, {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18});
}

TEST(SpaceToDepthTest, Block4OfAn8x4Image) {
  // Columns 0..3 of rows 0..3 are block (0,0), rows 4..7 block (1,0): each
  // output pixel lists its block row by row.
  const std::vector<int32_t> x = Iota(32);
  std::vector<int32_t> expected = Iota(16);
  for (int32_t v : Iota(16, 16)) expected.push_back(v);
  ExpectResult<int32_t>(RunOp<int32_t>(BuiltinOp::kSpaceToDepth, DType::kInt32, {1, 8, 4, 1}, x, {},
                                       BlockSizeOptions{4}),
                        {1, 2, 1, 16}, expected);
}

TEST(SpaceToDepthTest, Errors) {
  const std::vector<float> x(6, 1.0f);
  ExpectError(RunOp<float>(BuiltinOp::kSpaceToDepth, DType::kFloat32, {1, 2, 3, 1}, x, {},
                           BlockSizeOptions{2}),
              "multiples of block_size 2");
  ExpectError(RunOp<float>(BuiltinOp::kSpaceToDepth, DType::kFloat32, {1, 2, 3, 1}, x, {},
                           BlockSizeOptions{-1}),
              "block_size is -1");
  ExpectError(RunOp<uint8_t>(BuiltinOp::kSpaceToDepth, DType::kBool, {1, 2, 2, 1}, {1, 0, 1, 0}, {},
                             BlockSizeOptions{2}),
              "bool");
}

TEST(DepthSpaceTest, EmptyBatchGivesAnEmptyOutput) {
  ExpectResult<float>(RunOp<float>(BuiltinOp::kSpaceToDepth, DType::kFloat32, {0, 2, 2, 1}, {}, {},
                                   BlockSizeOptions{2}, {}, true),
                      {0, 1, 1, 4}, {});
}

// ---- SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND ----

const std::vector<int32_t> k4x4 = Iota(16, 1);
// Output batch (sh, sw) of a 2x2 block over the 4x4 image 1..16.
const std::vector<int32_t> k4x4Batched = {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16};

TEST(SpaceToBatchNdTest, Block2x2WithoutPadding) {
  ExpectResult<float>(RunOp<float>(BuiltinOp::kSpaceToBatchNd, DType::kFloat32, {1, 4, 4, 1},
                                   std::vector<float>(k4x4.begin(), k4x4.end()),
                                   {{{2}, {2, 2}}, {{2, 2}, {0, 0, 0, 0}}}),
                      {4, 2, 2, 1}, std::vector<float>(k4x4Batched.begin(), k4x4Batched.end()));
}

TEST(SpaceToBatchNdTest, OddPaddingsAndABlockOf3x2) {
  // TFLite's test: 5x2 padded to 6x4 (one row on top, two columns left).
  const RunResult r = RunOp<int32_t>(BuiltinOp::kSpaceToBatchNd, DType::kInt32, {1, 5, 2, 1},
                                     Iota(10, 1), {{{2}, {3, 2}}, {{2, 2}, {1, 0, 2, 0}}});
  ExpectResult<int32_t>(r, {6, 2, 2, 1},
                        {0, 0, 0, 5, 0, 0, 0, 6, 0, 1, 0, 7, 0, 2, 0, 8, 0, 3, 0, 9, 0, 4, 0, 10});
}

TEST(SpaceToBatchNdTest, QuantizedPaddingIsTheOutputZeroPoint) {
  const std::vector<int8_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const RunResult r =
      RunOp<int8_t>(BuiltinOp::kSpaceToBatchNd, DType::kInt8, {1, 5, 2, 1}, x,
                    {{{2}, {3, 2}}, {{2, 2}, {1, 0, 2, 0}}}, {}, PerTensor(0.5f, -3));
  ExpectResult<int8_t>(r, {6, 2, 2, 1}, {-3, -3, -3, 5, -3, -3, -3, 6, -3, 1, -3, 7,
                                         -3, 2,  -3, 8, -3, 3,  -3, 9, -3, 4, -3, 10});
  const std::vector<uint8_t> u = {1, 2};
  const RunResult ru =
      RunOp<uint8_t>(BuiltinOp::kSpaceToBatchNd, DType::kUInt8, {1, 1, 2, 1}, u,
                     {{{2}, {2, 1}}, {{2, 2}, {0, 1, 0, 0}}}, {}, PerTensor(0.5f, 128));
  ExpectResult<uint8_t>(ru, {2, 1, 2, 1}, {1, 2, 128, 128});
}

TEST(SpaceToBatchNdTest, TwoBatchesInterleaveInTheOutputBatch) {
  // Output batch index is (sh * 2 + sw) * 2 + n.
  ExpectResult<int16_t>(
      RunOp<int16_t>(BuiltinOp::kSpaceToBatchNd, DType::kInt16, {2, 2, 2, 1},
                     {1, 2, 3, 4, 5, 6, 7, 8}, {{{2}, {2, 2}}, {{2, 2}, {0, 0, 0, 0}}}),
      {8, 1, 1, 1}, {1, 5, 2, 6, 3, 7, 4, 8});
}

TEST(SpaceToBatchNdTest, ThreeDimensionalInputAndBlock4) {
  // [1, 4, 2] rows (1,2) (3,4) (5,6) (7,8) padded by one row on each side.
  ExpectResult<int64_t>(RunOp<int64_t>(BuiltinOp::kSpaceToBatchNd, DType::kInt64, {1, 4, 2},
                                       {1, 2, 3, 4, 5, 6, 7, 8}, {{{1}, {2}}, {{1, 2}, {1, 1}}}),
                        {2, 3, 2}, {0, 0, 3, 4, 7, 8, 1, 2, 5, 6, 0, 0});
  // Block 4 over 4 rows without padding: each row becomes a batch.
  ExpectResult<int32_t>(RunOp<int32_t>(BuiltinOp::kSpaceToBatchNd, DType::kInt32, {1, 4, 1},
                                       {1, 2, 3, 4}, {{{1}, {4}}, {{1, 2}, {0, 0}}}),
                        {4, 1, 1}, {1, 2, 3, 4});
}

TEST(SpaceToBatchNdTest, Errors) {
  const std::vector<float> x(16, 1.0f);
  const auto run = [&](Shape shape, std::vector<Param> params) {
    return RunOp<float>(BuiltinOp::kSpaceToBatchNd, DType::kFloat32, shape, x, params);
  };
  ExpectError(run({1, 4, 4, 1}, {{{2}, {3, 2}}, {{2, 2}, {0, 0, 0, 0}}}), "not a multiple");
  ExpectError(run({1, 4, 4, 1}, {{{2}, {0, 2}}, {{2, 2}, {0, 0, 0, 0}}}),
              "block_shape [0,2] must be >= 1");
  ExpectError(run({1, 4, 4, 1}, {{{2}, {2, 2}}, {{2, 2}, {-1, 1, 0, 0}}}),
              "paddings [-1,1,0,0] >= 0");
  ExpectError(run({16}, {{{2}, {2, 2}}, {{2, 2}, {0, 0, 0, 0}}}), "expected a 3-D or 4-D input");
  ExpectError(run({1, 4, 4, 1}, {{{3}, {2, 2, 1}}, {{2, 2}, {0, 0, 0, 0}}}),
              "have shapes [1,4,4,1], [3], [2,2]");
  ExpectError(run({1, 4, 4, 1}, {{{2}, {2, 2}, DType::kInt64}, {{2, 2}, {0, 0, 0, 0}}}), "int64");
  // Hostile sizes: a block product past int32, and a padding whose index
  // tables would be far larger than the tensors.
  ExpectError(run({1, 4, 4, 1}, {{{2}, {65536, 65536}}, {{2, 2}, {0, 0, 0, 0}}}),
              "product <= INT32_MAX");
  ExpectError(run({1, 4, 4, 1}, {{{2}, {1, 1}}, {{2, 2}, {0, 1 << 25, 0, 0}}}), "index tables");
}

TEST(BatchToSpaceNdTest, Block2x2WithoutCrops) {
  ExpectResult<int32_t>(RunOp<int32_t>(BuiltinOp::kBatchToSpaceNd, DType::kInt32, {4, 2, 2, 1},
                                       k4x4Batched, {{{2}, {2, 2}}, {{2, 2}, {0, 0, 0, 0}}}),
                        {1, 4, 4, 1}, k4x4);
}

TEST(BatchToSpaceNdTest, OddCropsUndoSpaceToBatchPaddings) {
  const std::vector<float> x = {0, 0, 0, 5, 0, 0, 0, 6, 0, 1, 0, 7,
                                0, 2, 0, 8, 0, 3, 0, 9, 0, 4, 0, 10};
  ExpectResult<float>(RunOp<float>(BuiltinOp::kBatchToSpaceNd, DType::kFloat32, {6, 2, 2, 1}, x,
                                   {{{2}, {3, 2}}, {{2, 2}, {1, 0, 2, 0}}}),
                      {1, 5, 2, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  // Crops on the right and bottom: keep the top-left 3x3 of the 4x4 image.
  ExpectResult<int32_t>(RunOp<int32_t>(BuiltinOp::kBatchToSpaceNd, DType::kInt32, {4, 2, 2, 1},
                                       k4x4Batched, {{{2}, {2, 2}}, {{2, 2}, {0, 1, 0, 1}}}),
                        {1, 3, 3, 1}, {1, 2, 3, 5, 6, 7, 9, 10, 11});
}

TEST(BatchToSpaceNdTest, TwoOutputBatchesAndA3DInput) {
  ExpectResult<int8_t>(
      RunOp<int8_t>(BuiltinOp::kBatchToSpaceNd, DType::kInt8, {8, 1, 1, 1},
                    {1, 5, 2, 6, 3, 7, 4, 8}, {{{2}, {2, 2}}, {{2, 2}, {0, 0, 0, 0}}}, {},
                    PerTensor(0.25f, 7)),
      {2, 2, 2, 1}, {1, 2, 3, 4, 5, 6, 7, 8});
  ExpectResult<int64_t>(
      RunOp<int64_t>(BuiltinOp::kBatchToSpaceNd, DType::kInt64, {2, 3, 2},
                     {0, 0, 3, 4, 7, 8, 1, 2, 5, 6, 0, 0}, {{{1}, {2}}, {{1, 2}, {1, 1}}}),
      {1, 4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  // Block 4: four batches become four rows.
  ExpectResult<uint8_t>(
      RunOp<uint8_t>(BuiltinOp::kBatchToSpaceNd, DType::kUInt8, {4, 1, 1}, {9, 8, 7, 255},
                     {{{1}, {4}}, {{1, 2}, {0, 0}}}, {}, PerTensor(1.0f, 128)),
      {1, 4, 1}, {9, 8, 7, 255});
}

TEST(BatchToSpaceNdTest, Errors) {
  const std::vector<float> x(12, 1.0f);
  const auto run = [&](Shape shape, std::vector<Param> params) {
    return RunOp<float>(BuiltinOp::kBatchToSpaceNd, DType::kFloat32, shape, x, params);
  };
  ExpectError(run({3, 2, 2, 1}, {{{2}, {2, 2}}, {{2, 2}, {0, 0, 0, 0}}}), "not a multiple");
  ExpectError(run({4, 1, 3, 1}, {{{2}, {2, 2}}, {{2, 2}, {0, -1, 0, 0}}}), "crops [0,-1,0,0] >= 0");
  ExpectError(run({4, 1, 3, 1}, {{{2}, {2, 2}}, {{2, 2}, {2, 1, 0, 0}}}), "would be -1");
  ExpectError(run({4, 1, 3, 1}, {{{2}, {2, 2}}, {{2, 3}, {0, 0, 0, 0, 0, 0}}}), "crops");
  ExpectError(RunOp<uint8_t>(BuiltinOp::kBatchToSpaceNd, DType::kBool, {4, 1, 1, 1}, {1, 0, 1, 0},
                             {{{2}, {2, 2}}, {{2, 2}, {0, 0, 0, 0}}}),
              "bool");
}

// ---- MIRROR_PAD ----

const std::vector<int32_t> k2x3 = {1, 2, 3, 4, 5, 6};

TEST(MirrorPadTest, TensorFlowsDocumentedExamples) {
  // tf.pad of [[1, 2, 3], [4, 5, 6]] with paddings [[1, 1], [2, 2]].
  ExpectResult<int32_t>(
      RunOp<int32_t>(BuiltinOp::kMirrorPad, DType::kInt32, {2, 3}, k2x3, {{{2, 2}, {1, 1, 2, 2}}},
                     MirrorPadOptions{kMirrorPadSymmetric}),
      {4, 7}, {2, 1, 1, 2, 3, 3, 2, 2, 1, 1, 2, 3, 3, 2, 5, 4, 4, 5, 6, 6, 5, 5, 4, 4, 5, 6, 6, 5});
  ExpectResult<int32_t>(
      RunOp<int32_t>(BuiltinOp::kMirrorPad, DType::kInt32, {2, 3}, k2x3, {{{2, 2}, {1, 1, 2, 2}}},
                     MirrorPadOptions{kMirrorPadReflect}),
      {4, 7}, {6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1});
}

TEST(MirrorPadTest, OddPaddingsOfOneDimensionWithInt64Paddings) {
  const Param reflect_after = {{1, 2}, {0, 2}, DType::kInt64};
  ExpectResult<float>(RunOp<float>(BuiltinOp::kMirrorPad, DType::kFloat32, {3}, {1, 2, 3},
                                   {reflect_after}, MirrorPadOptions{kMirrorPadReflect}),
                      {5}, {1, 2, 3, 2, 1});
  ExpectResult<int8_t>(RunOp<int8_t>(BuiltinOp::kMirrorPad, DType::kInt8, {3}, {1, 2, -128},
                                     {{{1, 2}, {3, 0}, DType::kInt64}},
                                     MirrorPadOptions{kMirrorPadSymmetric}, PerTensor(0.5f, 1)),
                       {6}, {-128, 2, 1, 1, 2, -128});
}

TEST(MirrorPadTest, RanksOneToFiveAndEveryDtype) {
  // Rank 5 [1, 1, 1, 2, 2] reflected by one on the last two dimensions.
  ExpectResult<int16_t>(RunOp<int16_t>(BuiltinOp::kMirrorPad, DType::kInt16, {1, 1, 1, 2, 2},
                                       {1, 2, 3, 4}, {{{5, 2}, {0, 0, 0, 0, 0, 0, 1, 0, 0, 1}}},
                                       MirrorPadOptions{kMirrorPadReflect}),
                        {1, 1, 1, 3, 3}, {3, 4, 3, 1, 2, 1, 3, 4, 3});
  ExpectResult<uint8_t>(
      RunOp<uint8_t>(BuiltinOp::kMirrorPad, DType::kUInt8, {2}, {7, 255}, {{{1, 2}, {2, 2}}},
                     MirrorPadOptions{kMirrorPadSymmetric}, PerTensor(1.0f, 128)),
      {6}, {255, 7, 7, 255, 255, 7});
  ExpectResult<int64_t>(RunOp<int64_t>(BuiltinOp::kMirrorPad, DType::kInt64, {2}, {INT64_MAX, 5},
                                       {{{1, 2}, {1, 1}}}, MirrorPadOptions{kMirrorPadReflect}),
                        {4}, {5, INT64_MAX, 5, INT64_MAX});
}

TEST(MirrorPadTest, EmptyDimensionWithZeroPaddingStaysEmpty) {
  ExpectResult<float>(
      RunOp<float>(BuiltinOp::kMirrorPad, DType::kFloat32, {0, 2}, {}, {{{2, 2}, {0, 0, 1, 1}}},
                   MirrorPadOptions{kMirrorPadReflect}, {}, true),
      {0, 4}, {});
  // Crops that remove every row leave an empty output too.
  ExpectResult<float>(
      RunOp<float>(BuiltinOp::kBatchToSpaceNd, DType::kFloat32, {4, 1, 2, 1},
                   {1, 2, 3, 4, 5, 6, 7, 8}, {{{2}, {2, 2}}, {{2, 2}, {1, 1, 0, 0}}}),
      {1, 0, 4, 1}, {});
}

TEST(MirrorPadTest, PaddingsTooLargeForTheModeAreRejected) {
  const auto run = [&](std::vector<int32_t> paddings, uint8_t mode) {
    return RunOp<int32_t>(BuiltinOp::kMirrorPad, DType::kInt32, {2, 3}, k2x3, {{{2, 2}, paddings}},
                          MirrorPadOptions{mode});
  };
  // REFLECT leaves out the edge: at most size - 1; SYMMETRIC: at most size.
  ExpectError(run({2, 0, 0, 0}, kMirrorPadReflect), "REFLECT allows 0..1 for size 2");
  ExpectError(run({0, 0, 0, 4}, kMirrorPadSymmetric), "SYMMETRIC allows 0..3 for size 3");
  ExpectResult<int32_t>(run({2, 0, 0, 0}, kMirrorPadSymmetric), {4, 3},
                        {4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6});
  ExpectError(run({0, -1, 0, 0}, kMirrorPadSymmetric), "(0,-1)");
  ExpectError(run({0, 0, 0, 0}, 2), "mode 2");
  ExpectError(RunOp<int32_t>(BuiltinOp::kMirrorPad, DType::kInt32, {2, 3}, k2x3,
                             {{{3, 2}, {0, 0, 0, 0, 0, 0}}}),
              "must have shape [2,2]");
  ExpectError(RunOp<uint8_t>(BuiltinOp::kMirrorPad, DType::kBool, {2}, {1, 0}, {{{1, 2}, {0, 0}}}),
              "bool");
}

}  // namespace
}  // namespace qlite
