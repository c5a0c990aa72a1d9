// Operator versions of quantized models, as TFLite's op_version rules give
// them: runtimes refuse versions they do not register (LiteRT.js rejected the
// int16x8 CNN for its RESHAPE version 3; RESHAPE has version 1 only).
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "core/kernels/resize.h"
#include "core/kernels/space_rearrange.h"
#include "core/model_builder.h"
#include "quantize/quantizer.h"
#include "tests/quantize/quantize_test_util.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

struct OpVersion {
  BuiltinOp op;
  int32_t version;
  bool operator==(const OpVersion& o) const { return op == o.op && version == o.version; }
};

std::ostream& operator<<(std::ostream& os, const OpVersion& v) {
  return os << BuiltinOpName(v.op) << " v" << v.version;
}

std::vector<OpVersion> Versions(const Model& m) {
  std::vector<OpVersion> out;
  for (const OperatorDef& op : m.operators) out.push_back({op.op, op.version});
  return out;
}

// Any range for every float activation: versions do not depend on it.
RangeMap UnitRanges(const Model& m) {
  RangeMap ranges;
  for (size_t t = 0; t < m.tensors.size(); ++t) {
    if (m.tensors[t].type == DType::kFloat32 && !m.is_constant(static_cast<int>(t))) {
      ranges[static_cast<int>(t)] = {-1.0f, 1.0f};
    }
  }
  return ranges;
}

Model Quantize(const Model& m, const RangeMap& ranges, QuantMode mode,
               IoType io = IoType::kFloat32) {
  QuantizeOptions options;
  options.mode = mode;
  options.io = io;
  Model out;
  const Status s = QuantizeModel(m, ranges, options, &out);
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

TEST(QuantizeVersions, MnistCnnInEveryMode) {
  const Model cnn = testing::BuildMnistCnn();
  const RangeMap ranges = UnitRanges(cnn);
  using B = BuiltinOp;
  EXPECT_EQ(Versions(Quantize(cnn, ranges, QuantMode::kInt8)),
            (std::vector<OpVersion>{{B::kQuantize, 1},
                                    {B::kConv2D, 3},
                                    {B::kMaxPool2D, 2},
                                    {B::kReshape, 1},
                                    {B::kFullyConnected, 4},
                                    {B::kDequantize, 2}}));
  EXPECT_EQ(Versions(Quantize(cnn, ranges, QuantMode::kInt8, IoType::kUInt8)),
            (std::vector<OpVersion>{{B::kQuantize, 1},
                                    {B::kConv2D, 3},
                                    {B::kMaxPool2D, 2},
                                    {B::kReshape, 1},
                                    {B::kFullyConnected, 4},
                                    {B::kQuantize, 1}}));
  EXPECT_EQ(Versions(Quantize(cnn, ranges, QuantMode::kInt16x8)),
            (std::vector<OpVersion>{{B::kQuantize, 2},
                                    {B::kConv2D, 4},
                                    {B::kMaxPool2D, 3},
                                    {B::kReshape, 1},
                                    {B::kFullyConnected, 7},
                                    {B::kDequantize, 3}}));
  EXPECT_EQ(Versions(Quantize(cnn, ranges, QuantMode::kInt16x8, IoType::kInt16)),
            (std::vector<OpVersion>{
                {B::kConv2D, 4}, {B::kMaxPool2D, 3}, {B::kReshape, 1}, {B::kFullyConnected, 7}}));
  // Hybrid FULLY_CONNECTED with per-channel weight scales is version 12 (9 is per-tensor).
  EXPECT_EQ(Versions(Quantize(cnn, {}, QuantMode::kDynamic)),
            (std::vector<OpVersion>{
                {B::kConv2D, 1}, {B::kMaxPool2D, 1}, {B::kReshape, 1}, {B::kFullyConnected, 12}}));
}

// a, b -> ADD -> SUB b -> MUL a -> MAXIMUM a -> LEAKY_RELU -> RESHAPE
Model Elementwise() {
  ModelBuilder b;
  const int a = b.AddTensor("a", DType::kFloat32, {1, 4});
  const int bb = b.AddTensor("b", DType::kFloat32, {1, 4});
  const int sum = b.AddTensor("sum", DType::kFloat32, {1, 4});
  const int diff = b.AddTensor("diff", DType::kFloat32, {1, 4});
  const int prod = b.AddTensor("prod", DType::kFloat32, {1, 4});
  const int max = b.AddTensor("max", DType::kFloat32, {1, 4});
  const int leaky = b.AddTensor("leaky", DType::kFloat32, {1, 4});
  const int shape = b.AddConstant("shape", DType::kInt32, {1}, std::vector<int32_t>{4});
  const int out = b.AddTensor("out", DType::kFloat32, {4});
  b.AddOperator(BuiltinOp::kAdd, {a, bb}, {sum});  // no options: as some writers leave them
  b.AddOperator(BuiltinOp::kSub, {sum, bb}, {diff}, ElementwiseOptions{});
  b.AddOperator(BuiltinOp::kMul, {diff, a}, {prod}, ElementwiseOptions{});
  b.AddOperator(BuiltinOp::kMaximum, {prod, a}, {max});
  LeakyReluOptions leaky_options;
  leaky_options.alpha = 0.1f;
  b.AddOperator(BuiltinOp::kLeakyRelu, {max}, {leaky}, leaky_options);
  ReshapeOptions reshape;
  reshape.new_shape = {4};
  reshape.has_new_shape = true;
  b.AddOperator(BuiltinOp::kReshape, {leaky, shape}, {out}, reshape);
  b.SetInputs({a, bb});
  b.SetOutputs({out});
  return b.Build();
}

TEST(QuantizeVersions, ElementwiseOpsInt8AndInt16) {
  const Model m = Elementwise();
  RangeMap ranges = UnitRanges(m);
  using B = BuiltinOp;
  const Model int16 = Quantize(m, ranges, QuantMode::kInt16x8, IoType::kInt16);
  EXPECT_EQ(Versions(int16), (std::vector<OpVersion>{{B::kAdd, 3},
                                                     {B::kSub, 5},
                                                     {B::kMul, 4},
                                                     {B::kMaximum, 4},
                                                     {B::kLeakyRelu, 2},
                                                     {B::kReshape, 1}}));
  for (int n : {0, 1}) {  // general-scale int16 ADD/SUB, stated in the options
    const auto* options = std::any_cast<ElementwiseOptions>(&int16.operators[n].options);
    ASSERT_NE(options, nullptr) << n;
    EXPECT_FALSE(options->pot_scale_int16) << n;
  }
  EXPECT_EQ(Versions(Quantize(m, ranges, QuantMode::kInt8, IoType::kInt8)),
            (std::vector<OpVersion>{{B::kAdd, 2},
                                    {B::kSub, 2},
                                    {B::kMul, 2},
                                    {B::kMaximum, 2},
                                    {B::kLeakyRelu, 1},
                                    {B::kReshape, 1}}));
  // MUL whose input1 * input2 / output scale is >= 1 is version 3: a product
  // range far narrower than its inputs'.
  for (size_t t = 0; t < m.tensors.size(); ++t) {
    if (m.tensors[t].name == "prod") ranges[static_cast<int>(t)] = {-1e-4f, 1e-4f};
  }
  const Model narrow = Quantize(m, ranges, QuantMode::kInt8, IoType::kInt8);
  EXPECT_EQ(narrow.operators[2].op, B::kMul);
  EXPECT_EQ(narrow.operators[2].version, 3);
}

// x [1, 2, 2, 1] -> RESIZE_BILINEAR (half-pixel, version 3 in float) to 3x3
// -> RESIZE_NEAREST_NEIGHBOR to 2x4.
Model ResizeChain() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 2, 2, 1});
  const int s1 = b.AddConstant("size1", DType::kInt32, {2}, std::vector<int32_t>{3, 3});
  const int s2 = b.AddConstant("size2", DType::kInt32, {2}, std::vector<int32_t>{2, 4});
  const int mid = b.AddTensor("mid", DType::kFloat32, {1, 3, 3, 1});
  const int y = b.AddTensor("y", DType::kFloat32, {1, 2, 4, 1});
  b.AddOperator(BuiltinOp::kResizeBilinear, {x, s1}, {mid}, ResizeOptions{false, true}, 3);
  b.AddOperator(BuiltinOp::kResizeNearestNeighbor, {mid, s2}, {y}, ResizeOptions{});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Build();
}

// Both resizes keep their input's parameters (TFLite's
// restrict_same_input_output_scale) and the quantized model runs.
TEST(QuantizeVersions, ResizesInt8AndInt16) {
  const Model m = ResizeChain();
  const RangeMap ranges = UnitRanges(m);
  using B = BuiltinOp;
  const Model int8 = Quantize(m, ranges, QuantMode::kInt8, IoType::kInt8);
  EXPECT_EQ(Versions(int8),
            (std::vector<OpVersion>{{B::kResizeBilinear, 3}, {B::kResizeNearestNeighbor, 2}}));
  for (const OperatorDef& op : int8.operators) {
    const TensorDef& in = int8.tensors[op.inputs[0]];
    const TensorDef& out = int8.tensors[op.outputs[0]];
    EXPECT_EQ(in.type, DType::kInt8) << BuiltinOpName(op.op);
    EXPECT_EQ(out.type, DType::kInt8) << BuiltinOpName(op.op);
    EXPECT_EQ(in.quant.scale, out.quant.scale) << BuiltinOpName(op.op);
    EXPECT_EQ(in.quant.zero_point, out.quant.zero_point) << BuiltinOpName(op.op);
  }
  // A constant image stays that constant through both resizes.
  const testing::RunResult r =
      testing::RunModel(int8, {testing::ToBytes(std::vector<int8_t>{20, 20, 20, 20})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(testing::FromBytes<int8_t>(r.outputs[0]), std::vector<int8_t>(8, 20));
  EXPECT_EQ(Versions(Quantize(m, ranges, QuantMode::kInt16x8, IoType::kInt16)),
            (std::vector<OpVersion>{{B::kResizeBilinear, 4}, {B::kResizeNearestNeighbor, 4}}));
}

// x -> PRELU (constant alpha per channel) -> L2_NORMALIZATION: TFLite has
// int8 kernels of both, with alpha quantized per tensor and the normalized
// output at the fixed 1/128, zero point 0; no int16 kernel of either.
TEST(QuantizeVersions, PreluAndL2NormalizationInt8) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 2, 3});
  const int alpha =
      b.AddConstant("alpha", DType::kFloat32, {3}, std::vector<float>{0.1f, 0.5f, -0.2f});
  const int act = b.AddTensor("act", DType::kFloat32, {1, 2, 3});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 2, 3});
  b.AddOperator(BuiltinOp::kPrelu, {x, alpha}, {act});
  b.AddOperator(BuiltinOp::kL2Normalization, {act}, {out}, L2NormOptions{});
  b.SetInputs({x});
  b.SetOutputs({out});
  const Model m = b.Build();
  const Model q = Quantize(m, UnitRanges(m), QuantMode::kInt8, IoType::kInt8);
  using B = BuiltinOp;
  ASSERT_EQ(Versions(q), (std::vector<OpVersion>{{B::kPrelu, 1}, {B::kL2Normalization, 2}}));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(q.tensors[q.operators[0].inputs[i]].type, DType::kInt8) << i;
  }
  const TensorDef& normalized = q.tensors[q.operators[1].outputs[0]];
  EXPECT_EQ(normalized.type, DType::kInt8);
  EXPECT_EQ(normalized.quant.scale, std::vector<float>{1.0f / 128});
  EXPECT_EQ(normalized.quant.zero_point, std::vector<int64_t>{0});
  // It runs: x = 0 everywhere (the input zero point) gives a zero row.
  const int64_t zp = q.tensors[q.inputs[0]].quant.zero_point[0];
  const auto r = testing::RunModel(
      q, {std::vector<uint8_t>(6, static_cast<uint8_t>(static_cast<int8_t>(zp)))});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.outputs[0], std::vector<uint8_t>(6, 0));

  // int16x8: no int16 kernel of either op: the run fails naming both; with
  // allow_float both stay float and the report says so.
  QuantizeOptions options;
  options.mode = QuantMode::kInt16x8;
  Model q16;
  QuantizeReport report;
  const Status refused = QuantizeModel(m, UnitRanges(m), options, &q16, &report);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("node 0 (PRELU): no int16x8 kernel"), std::string::npos)
      << refused.message();
  EXPECT_NE(refused.message().find("node 1 (L2_NORMALIZATION): no int16x8 kernel"),
            std::string::npos)
      << refused.message();
  options.allow_float = true;
  const Status allowed = QuantizeModel(m, UnitRanges(m), options, &q16, &report);
  ASSERT_TRUE(allowed.ok()) << allowed.message();
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("--mode int16x8 quantized nothing"), std::string::npos)
      << report.warnings[0];
  for (const OperatorDef& op : q16.operators) {
    if (op.op == B::kPrelu || op.op == B::kL2Normalization) {
      EXPECT_EQ(q16.tensors[op.outputs[0]].type, DType::kFloat32) << BuiltinOpName(op.op);
    }
  }
}

// x [1,4,4,2] -> SPACE_TO_BATCH_ND -> BATCH_TO_SPACE_ND -> MIRROR_PAD ->
// SPACE_TO_DEPTH -> DEPTH_TO_SPACE: each only moves values, so each keeps its
// input's int8 parameters (and the versions TFLite writes for int8).
Model SpaceOps() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 4, 4, 2});
  const int block = b.AddConstant("block", DType::kInt32, {2}, std::vector<int32_t>{2, 2});
  const int zeros = b.AddConstant("zeros", DType::kInt32, {2, 2}, std::vector<int32_t>{0, 0, 0, 0});
  const int pads =
      b.AddConstant("pads", DType::kInt32, {4, 2}, std::vector<int32_t>{0, 0, 1, 1, 1, 1, 0, 0});
  const int batched = b.AddTensor("batched", DType::kFloat32, {4, 2, 2, 2});
  const int space = b.AddTensor("space", DType::kFloat32, {1, 4, 4, 2});
  const int padded = b.AddTensor("padded", DType::kFloat32, {1, 6, 6, 2});
  const int deep = b.AddTensor("deep", DType::kFloat32, {1, 3, 3, 8});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 6, 6, 2});
  b.AddOperator(BuiltinOp::kSpaceToBatchNd, {x, block, zeros}, {batched});
  b.AddOperator(BuiltinOp::kBatchToSpaceNd, {batched, block, zeros}, {space});
  b.AddOperator(BuiltinOp::kMirrorPad, {space, pads}, {padded},
                MirrorPadOptions{kMirrorPadSymmetric});
  b.AddOperator(BuiltinOp::kSpaceToDepth, {padded}, {deep}, BlockSizeOptions{2});
  b.AddOperator(BuiltinOp::kDepthToSpace, {deep}, {out}, BlockSizeOptions{2});
  b.SetInputs({x});
  b.SetOutputs({out});
  return b.Build();
}

TEST(QuantizeVersions, SpaceAndDepthOpsKeepTheirInputsInt8Parameters) {
  const Model m = SpaceOps();
  const Model q = Quantize(m, UnitRanges(m), QuantMode::kInt8, IoType::kInt8);
  using B = BuiltinOp;
  EXPECT_EQ(Versions(q), (std::vector<OpVersion>{{B::kSpaceToBatchNd, 2},
                                                 {B::kBatchToSpaceNd, 2},
                                                 {B::kMirrorPad, 2},
                                                 {B::kSpaceToDepth, 2},
                                                 {B::kDepthToSpace, 2}}));
  const TensorDef& in = q.tensors[q.operators[0].inputs[0]];
  for (const OperatorDef& op : q.operators) {
    const TensorDef& t = q.tensors[op.outputs[0]];
    EXPECT_EQ(t.type, DType::kInt8) << t.name;
    EXPECT_EQ(t.quant.scale, in.quant.scale) << t.name;
    EXPECT_EQ(t.quant.zero_point, in.quant.zero_point) << t.name;
  }
  // The round trip through the space ops and back gives the SYMMETRIC padding
  // of the input: output row 0 repeats input row 0.
  std::vector<int8_t> x(32);
  for (int i = 0; i < 32; ++i) x[i] = static_cast<int8_t>(i - 16);
  const testing::RunResult r = testing::RunModel(q, {testing::ToBytes(x)});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const std::vector<int8_t> y = testing::FromBytes<int8_t>(r.outputs[0]);
  ASSERT_EQ(y.size(), 72u);
  // Row 1 (input row 0) is columns 0, 0, 1, 2, 3, 3 of x's first row, 2 channels each.
  EXPECT_EQ(std::vector<int8_t>(y.begin() + 12, y.begin() + 24),
            (std::vector<int8_t>{-16, -15, -16, -15, -14, -13, -12, -11, -10, -9, -10, -9}));
}
// RELU_0_TO_1 -> ELU -> GELU -> LOG_SOFTMAX: int8 tensors with TFLite's
// versions, LOG_SOFTMAX with its fixed output parameters, and the quantized
// model runs.
TEST(QuantizeVersions, MathActivationsInt8) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2, 8});
  const int r = b.AddTensor("r", DType::kFloat32, {2, 8});
  const int e = b.AddTensor("e", DType::kFloat32, {2, 8});
  const int g = b.AddTensor("g", DType::kFloat32, {2, 8});
  const int y = b.AddTensor("y", DType::kFloat32, {2, 8});
  b.AddOperator(BuiltinOp::kRelu0To1, {x}, {r});
  b.AddOperator(BuiltinOp::kElu, {r}, {e});
  b.AddOperator(BuiltinOp::kGelu, {e}, {g}, GeluOptions{true});
  b.AddOperator(BuiltinOp::kLogSoftmax, {g}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  const Model m = b.Build();
  const Model q = Quantize(m, UnitRanges(m), QuantMode::kInt8, IoType::kInt8);
  using B = BuiltinOp;
  EXPECT_EQ(Versions(q), (std::vector<OpVersion>{
                             {B::kRelu0To1, 1}, {B::kElu, 2}, {B::kGelu, 2}, {B::kLogSoftmax, 2}}));
  for (const OperatorDef& op : q.operators) {
    EXPECT_EQ(q.tensors[op.outputs[0]].type, DType::kInt8) << BuiltinOpName(op.op);
  }
  const TensorDef& out = q.tensors[q.operators.back().outputs[0]];
  ASSERT_EQ(out.quant.scale.size(), 1u);
  EXPECT_EQ(out.quant.scale[0], 16.0f / 256);
  EXPECT_EQ(out.quant.zero_point[0], 127);
  const testing::RunResult run = testing::RunModel(q, {std::vector<uint8_t>(16, 0)});
  EXPECT_TRUE(run.status.ok()) << run.status.message();
}

// x -> ABS -> SQRT -> RSQRT -> EXP -> LOG: each op's input is the previous
// op's non-negative output, so RSQRT and SQRT never see values below their
// input zero point.
TEST(QuantizeVersions, UnaryMathInt8AndInt16) {
  ModelBuilder b;
  const std::vector<int32_t> shape = {1, 6};
  int t = b.AddTensor("x", DType::kFloat32, shape);
  const int input = t;
  for (BuiltinOp op :
       {BuiltinOp::kAbs, BuiltinOp::kSqrt, BuiltinOp::kRsqrt, BuiltinOp::kExp, BuiltinOp::kLog}) {
    const int out = b.AddTensor(BuiltinOpName(op), DType::kFloat32, shape);
    b.AddOperator(op, {t}, {out});
    t = out;
  }
  b.SetInputs({input});
  b.SetOutputs({t});
  const Model m = b.Build();
  RangeMap ranges = UnitRanges(m);
  for (size_t i = 1; i < m.tensors.size(); ++i) ranges[static_cast<int>(i)] = {0.0f, 4.0f};
  using B = BuiltinOp;
  const Model int8 = Quantize(m, ranges, QuantMode::kInt8, IoType::kInt8);
  EXPECT_EQ(Versions(int8),
            (std::vector<OpVersion>{
                {B::kAbs, 2}, {B::kSqrt, 1}, {B::kRsqrt, 2}, {B::kExp, 2}, {B::kLog, 2}}));
  for (const OperatorDef& op : int8.operators) {
    EXPECT_EQ(int8.tensors[op.inputs[0]].type, DType::kInt8) << BuiltinOpName(op.op);
    EXPECT_EQ(int8.tensors[op.outputs[0]].type, DType::kInt8) << BuiltinOpName(op.op);
  }
  const std::vector<int8_t> x = {-128, -60, -1, 0, 50, 127};
  const testing::RunResult r = testing::RunModel(int8, {testing::ToBytes(x)});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.outputs[0].size(), x.size());
  const Model int16 = Quantize(m, ranges, QuantMode::kInt16x8, IoType::kInt16);
  EXPECT_EQ(Versions(int16),
            (std::vector<OpVersion>{
                {B::kAbs, 3}, {B::kSqrt, 1}, {B::kRsqrt, 3}, {B::kExp, 2}, {B::kLog, 2}}));
  const std::vector<int16_t> x16 = {-32768, -600, -1, 0, 500, 32767};
  const testing::RunResult r16 = testing::RunModel(int16, {testing::ToBytes(x16)});
  ASSERT_TRUE(r16.status.ok()) << r16.status.message();
}

// x [2,5] -> TOPK_V2 (k = 3) -> values, indices: int8 values keep x's
// parameters (TFLite's version 2), the indices stay int32 model outputs, and
// the model runs. int16x8 has no TOPK_V2 kernel here.
TEST(QuantizeVersions, TopKV2Int8KeepsInt32Indices) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2, 5});
  const int k = b.AddConstant("k", DType::kInt32, {}, std::vector<int32_t>{3});
  const int values = b.AddTensor("values", DType::kFloat32, {2, 3});
  const int indices = b.AddTensor("indices", DType::kInt32, {2, 3});
  b.AddOperator(BuiltinOp::kTopkV2, {x, k}, {values, indices});
  b.SetInputs({x});
  b.SetOutputs({values, indices});
  const Model m = b.Build();
  for (const IoType io : {IoType::kInt8, IoType::kFloat32}) {
    const Model q = Quantize(m, UnitRanges(m), QuantMode::kInt8, io);
    const OperatorDef* topk = nullptr;
    for (const OperatorDef& op : q.operators) {
      if (op.op == BuiltinOp::kTopkV2) topk = &op;
    }
    ASSERT_NE(topk, nullptr);
    EXPECT_EQ(topk->version, 2);
    const TensorDef& in = q.tensors[topk->inputs[0]];
    const TensorDef& out_values = q.tensors[topk->outputs[0]];
    const TensorDef& out_indices = q.tensors[topk->outputs[1]];
    EXPECT_EQ(in.type, DType::kInt8);
    EXPECT_EQ(q.tensors[topk->inputs[1]].type, DType::kInt32);
    EXPECT_EQ(out_values.type, DType::kInt8);
    EXPECT_EQ(out_values.quant.scale, in.quant.scale);
    EXPECT_EQ(out_values.quant.zero_point, in.quant.zero_point);
    EXPECT_EQ(out_indices.type, DType::kInt32);
    EXPECT_TRUE(out_indices.quant.empty());
    ASSERT_EQ(q.outputs.size(), 2u);
    EXPECT_EQ(q.tensors[q.outputs[0]].type, io == IoType::kInt8 ? DType::kInt8 : DType::kFloat32);
    EXPECT_EQ(q.outputs[1], topk->outputs[1]);
    if (io != IoType::kInt8) continue;
    // Row 0: 30, 7, 5 at 2, 4, 1; row 1 ties keep the lower position first.
    const std::vector<int8_t> in_values = {-16, 5, 30, -2, 7, 4, -9, 4, 100, 4};
    const testing::RunResult r = testing::RunModel(q, {testing::ToBytes(in_values)});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(testing::FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{30, 7, 5, 100, 4, 4}));
    EXPECT_EQ(testing::FromBytes<int32_t>(r.outputs[1]), (std::vector<int32_t>{2, 4, 1, 3, 0, 2}));
  }
  QuantizeOptions options;
  options.mode = QuantMode::kInt16x8;
  Model q16;
  const Status refused = QuantizeModel(m, UnitRanges(m), options, &q16);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("node 0 (TOPK_V2): no int16x8 kernel"), std::string::npos)
      << refused.message();
}

}  // namespace
}  // namespace qlite
