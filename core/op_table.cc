#include "core/op_table.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"

namespace qlite {

// What each op's kernel file defines: its reference kernel and, for ops with
// options, how they are read, written and described.
namespace ref {
const KernelRegistration* Conv2D();             // conv.cc
const KernelRegistration* DepthwiseConv2D();    // depthwise_conv.cc
const KernelRegistration* TransposeConv();      // transpose_conv.cc
const KernelRegistration* FullyConnected();     // fully_connected.cc
const KernelRegistration* MaxPool2D();          // pooling.cc
const KernelRegistration* AveragePool2D();      // pooling.cc
const KernelRegistration* Reshape();            // reshape.cc
const KernelRegistration* Softmax();            // softmax.cc
const KernelRegistration* Add();                // add_sub.cc
const KernelRegistration* Sub();                // add_sub.cc
const KernelRegistration* Mul();                // mul.cc
const KernelRegistration* Maximum();            // maximum_minimum.cc
const KernelRegistration* Minimum();            // maximum_minimum.cc
const KernelRegistration* Quantize();           // quantize.cc
const KernelRegistration* Dequantize();         // quantize.cc
const KernelRegistration* Concatenation();      // concatenation.cc
const KernelRegistration* Pad();                // pad.cc (PAD and PADV2)
const KernelRegistration* Transpose();          // transpose.cc
const KernelRegistration* Squeeze();            // squeeze.cc
const KernelRegistration* StridedSlice();       // strided_slice.cc
const KernelRegistration* Mean();               // mean.cc
const KernelRegistration* Sum();                // reduce.cc
const KernelRegistration* ReduceProd();         // reduce.cc
const KernelRegistration* ReduceMax();          // reduce.cc
const KernelRegistration* ReduceMin();          // reduce.cc
const KernelRegistration* ReduceAny();          // reduce.cc
const KernelRegistration* ReduceAll();          // reduce.cc
const KernelRegistration* ArgMax();             // arg_min_max.cc
const KernelRegistration* ArgMin();             // arg_min_max.cc
const KernelRegistration* Relu();               // activations.cc
const KernelRegistration* Relu6();              // activations.cc
const KernelRegistration* ReluN1To1();          // activations.cc
const KernelRegistration* LeakyRelu();          // activations.cc
const KernelRegistration* HardSwish();          // activations.cc
const KernelRegistration* Logistic();           // logistic_tanh.cc
const KernelRegistration* Tanh();               // logistic_tanh.cc
const KernelRegistration* Cumsum();             // cumsum.cc
const KernelRegistration* Abs();                // elementwise_unary.cc
const KernelRegistration* Neg();                // elementwise_unary.cc
const KernelRegistration* Square();             // elementwise_unary.cc
const KernelRegistration* Sqrt();               // elementwise_unary.cc
const KernelRegistration* Rsqrt();              // elementwise_unary.cc
const KernelRegistration* Exp();                // elementwise_unary.cc
const KernelRegistration* Log();                // elementwise_unary.cc
const KernelRegistration* Sin();                // elementwise_unary.cc
const KernelRegistration* Cos();                // elementwise_unary.cc
const KernelRegistration* Ceil();               // elementwise_unary.cc
const KernelRegistration* Floor();              // elementwise_unary.cc
const KernelRegistration* Round();              // elementwise_unary.cc
const KernelRegistration* Sign();               // elementwise_unary.cc
const KernelRegistration* Slice();              // slice.cc
const KernelRegistration* Tile();               // tile.cc
const KernelRegistration* ExpandDims();         // expand_dims.cc
const KernelRegistration* Pack();               // pack.cc
const KernelRegistration* Unpack();             // pack.cc
const KernelRegistration* Split();              // split.cc
const KernelRegistration* SplitV();             // split.cc
const KernelRegistration* ReverseV2();          // reverse.cc
const KernelRegistration* BroadcastTo();        // broadcast_to.cc
const KernelRegistration* Fill();               // fill.cc
const KernelRegistration* ZerosLike();          // fill.cc
const KernelRegistration* Div();                // binary_math.cc
const KernelRegistration* FloorDiv();           // binary_math.cc
const KernelRegistration* FloorMod();           // binary_math.cc
const KernelRegistration* Pow();                // binary_math.cc
const KernelRegistration* SquaredDifference();  // binary_math.cc
const KernelRegistration* Cast();               // cast.cc
const KernelRegistration* Gather();             // gather.cc
const KernelRegistration* GatherNd();           // gather.cc
const KernelRegistration* Shape();              // shape_query.cc
const KernelRegistration* Rank();               // shape_query.cc
const KernelRegistration* Range();              // shape_query.cc
const KernelRegistration* Equal();              // comparisons.cc
const KernelRegistration* NotEqual();           // comparisons.cc
const KernelRegistration* Less();               // comparisons.cc
const KernelRegistration* LessEqual();          // comparisons.cc
const KernelRegistration* Greater();            // comparisons.cc
const KernelRegistration* GreaterEqual();       // comparisons.cc
const KernelRegistration* LogicalAnd();         // comparisons.cc
const KernelRegistration* LogicalOr();          // comparisons.cc
const KernelRegistration* LogicalNot();         // comparisons.cc
const KernelRegistration* Select();             // select.cc
const KernelRegistration* SelectV2();           // select.cc
const KernelRegistration* BatchMatMul();        // batch_matmul.cc
// resize.cc
const KernelRegistration* ResizeBilinear();
const KernelRegistration* ResizeNearestNeighbor();

// Vision ops.
const KernelRegistration* Prelu();                       // prelu.cc
const KernelRegistration* L2Normalization();             // normalization.cc
const KernelRegistration* LocalResponseNormalization();  // normalization.cc
const KernelRegistration* L2Pool2D();                    // l2_pool.cc
}  // namespace ref

extern const OptionsIO kConv2DOptionsIO, kDepthwiseConv2DOptionsIO, kTransposeConvOptionsIO,
    kFullyConnectedOptionsIO, kPool2DOptionsIO, kReshapeOptionsIO, kSoftmaxOptionsIO, kAddOptionsIO,
    kSubOptionsIO, kMulOptionsIO, kMaximumMinimumOptionsIO, kQuantizeOptionsIO,
    kDequantizeOptionsIO, kConcatenationOptionsIO, kPadOptionsIO, kPadV2OptionsIO,
    kTransposeOptionsIO, kSqueezeOptionsIO, kStridedSliceOptionsIO, kReducerOptionsIO,
    kLeakyReluOptionsIO, kHardSwishOptionsIO, kCumsumOptionsIO, kAbsOptionsIO, kNegOptionsIO,
    kSquareOptionsIO, kExpOptionsIO, kCosOptionsIO, kSignOptionsIO, kSliceOptionsIO, kTileOptionsIO,
    kExpandDimsOptionsIO, kPackOptionsIO, kUnpackOptionsIO, kSplitOptionsIO, kSplitVOptionsIO,
    kReverseV2OptionsIO, kBroadcastToOptionsIO, kFillOptionsIO, kZerosLikeOptionsIO, kDivOptionsIO,
    kFloorDivOptionsIO, kFloorModOptionsIO, kPowOptionsIO, kSquaredDifferenceOptionsIO,
    kCastOptionsIO, kArgMaxOptionsIO, kArgMinOptionsIO, kGatherOptionsIO, kGatherNdOptionsIO,
    kShapeOptionsIO, kRankOptionsIO, kRangeOptionsIO, kEqualOptionsIO, kNotEqualOptionsIO,
    kLessOptionsIO, kLessEqualOptionsIO, kGreaterOptionsIO, kGreaterEqualOptionsIO,
    kLogicalAndOptionsIO, kLogicalOrOptionsIO, kLogicalNotOptionsIO, kSelectOptionsIO,
    kSelectV2OptionsIO, kBatchMatMulOptionsIO, kResizeBilinearOptionsIO,
    kResizeNearestNeighborOptionsIO, kL2NormOptionsIO, kLocalResponseNormalizationOptionsIO;

namespace {

// Quantizer rules, named by what they do.
constexpr QuantRule Float() { return {}; }
constexpr QuantRule Both(QuantRule::Output output = QuantRule::Output::kOwnRange,
                         int activation_inputs = 1, bool share_output_params = false) {
  QuantRule r;
  r.int8 = r.int16 = true;
  r.output = output;
  r.activation_inputs = activation_inputs;
  r.inputs_share_output_params = share_output_params;
  return r;
}
constexpr QuantRule SameAsInput() { return Both(QuantRule::Output::kSameAsInput); }
constexpr QuantRule Fixed() { return Both(QuantRule::Output::kFixed); }
// Ops with constant weights quantized per channel along `channel_dim`, and a bias.
constexpr QuantRule Weighted(int channel_dim) {
  QuantRule r = Both();
  r.weights_input = 1;
  r.weights_channel_dim = channel_dim;
  r.bias_input = 2;
  return r;
}
// Operator versions where they differ from the common int8 = 2, int16 = 3
// (TFLite's op_version rules; a runtime rejects versions it does not
// register, e.g. LiteRT has RESHAPE version 1 only).
constexpr QuantRule Versions(QuantRule r, int int8_version, int int16_version) {
  r.int8_version = int8_version;
  r.int16_version = int16_version;
  return r;
}
constexpr QuantRule Int8Only(QuantRule r) {
  r.int16 = false;
  return r;
}

using Output = QuantRule::Output;
constexpr bool kFold = true;

// Constant data, not a vector built at start-up: each row then costs only
// its bytes in qlite.wasm, no initialization code.
// clang-format off
constexpr OpRow kRows[] = {
  // op                        options                     reference kernel      fold   quantizer rule
  {BuiltinOp::kConv2D,          &kConv2DOptionsIO,           ref::Conv2D,           false, Versions(Weighted(0), 3, 4)},  // [out, h, w, in]
  {BuiltinOp::kDepthwiseConv2D, &kDepthwiseConv2DOptionsIO,  ref::DepthwiseConv2D,  false, Versions(Weighted(3), 3, 5)},  // [1, h, w, in * mult]
  {BuiltinOp::kTransposeConv,   &kTransposeConvOptionsIO,    ref::TransposeConv,    false, Float()},
  {BuiltinOp::kFullyConnected,  &kFullyConnectedOptionsIO,   ref::FullyConnected,   false, Versions(Weighted(0), 4, 7)},  // [units, depth]
  {BuiltinOp::kBatchMatmul,     &kBatchMatMulOptionsIO,      ref::BatchMatMul,      kFold, Both(Output::kOwnRange, 2)},
  {BuiltinOp::kMaxPool2D,       &kPool2DOptionsIO,           ref::MaxPool2D,        false, SameAsInput()},
  {BuiltinOp::kAveragePool2D,   &kPool2DOptionsIO,           ref::AveragePool2D,    false, SameAsInput()},
  {BuiltinOp::kReshape,         &kReshapeOptionsIO,          ref::Reshape,          false, Versions(SameAsInput(), 1, 1)},
  {BuiltinOp::kSqueeze,         &kSqueezeOptionsIO,          ref::Squeeze,          kFold, Versions(SameAsInput(), 1, 1)},
  {BuiltinOp::kTranspose,       &kTransposeOptionsIO,        ref::Transpose,        kFold, Versions(SameAsInput(), 2, 5)},
  {BuiltinOp::kStridedSlice,    &kStridedSliceOptionsIO,     ref::StridedSlice,     kFold, Versions(SameAsInput(), 2, 1)},
  {BuiltinOp::kSlice,           &kSliceOptionsIO,            ref::Slice,            kFold, Versions(SameAsInput(), 2, 4)},
  {BuiltinOp::kTile,            &kTileOptionsIO,             ref::Tile,             kFold, Int8Only(Versions(SameAsInput(), 3, 1))},  // TFLite has no int16 TILE
  {BuiltinOp::kExpandDims,      &kExpandDimsOptionsIO,       ref::ExpandDims,       kFold, Versions(SameAsInput(), 1, 1)},
  {BuiltinOp::kPack,            &kPackOptionsIO,             ref::Pack,             kFold, Versions(Both(Output::kOwnRange, -1, true), 2, 3)},
  {BuiltinOp::kUnpack,          &kUnpackOptionsIO,           ref::Unpack,           kFold, Versions(SameAsInput(), 2, 4)},
  {BuiltinOp::kSplit,           &kSplitOptionsIO,            ref::Split,            kFold, Float()},  // data is input 1: SameAsInput would read the axis
  {BuiltinOp::kSplitV,          &kSplitVOptionsIO,           ref::SplitV,           kFold, SameAsInput()},
  {BuiltinOp::kReverseV2,       &kReverseV2OptionsIO,        ref::ReverseV2,        kFold, Versions(SameAsInput(), 3, 1)},
  {BuiltinOp::kBroadcastTo,     &kBroadcastToOptionsIO,      ref::BroadcastTo,      kFold, Versions(SameAsInput(), 3, 3)},
  {BuiltinOp::kFill,            &kFillOptionsIO,             ref::Fill,             kFold, Float()},  // input 0 is the shape
  {BuiltinOp::kZerosLike,       &kZerosLikeOptionsIO,        ref::ZerosLike,        kFold, Float()},  // no quantized kernel in TFLite
  {BuiltinOp::kGather,          &kGatherOptionsIO,           ref::Gather,           kFold, Float()},
  {BuiltinOp::kGatherNd,        &kGatherNdOptionsIO,         ref::GatherNd,         kFold, Float()},
  {BuiltinOp::kShape,           &kShapeOptionsIO,            ref::Shape,            kFold, Float()},
  {BuiltinOp::kRank,            &kRankOptionsIO,             ref::Rank,             kFold, Float()},
  {BuiltinOp::kRange,           &kRangeOptionsIO,            ref::Range,            kFold, Float()},
  // int8 = 2, int16 = 4; half_pixel_centers (and align_corners for nearest) make a model version 3.
  {BuiltinOp::kResizeBilinear,  &kResizeBilinearOptionsIO,   ref::ResizeBilinear,   kFold, Versions(SameAsInput(), 2, 4)},
  {BuiltinOp::kResizeNearestNeighbor, &kResizeNearestNeighborOptionsIO, ref::ResizeNearestNeighbor, kFold, Versions(SameAsInput(), 2, 4)},
  {BuiltinOp::kPad,             &kPadOptionsIO,              ref::Pad,              kFold, SameAsInput()},
  {BuiltinOp::kPadV2,           &kPadV2OptionsIO,            ref::Pad,              kFold, SameAsInput()},
  {BuiltinOp::kConcatenation,   &kConcatenationOptionsIO,    ref::Concatenation,    kFold, Both(Output::kOwnRange, -1, true)},
  {BuiltinOp::kSoftmax,         &kSoftmaxOptionsIO,          ref::Softmax,          false, Fixed()},
  {BuiltinOp::kLogistic,        nullptr,                     ref::Logistic,         false, Fixed()},
  {BuiltinOp::kTanh,            nullptr,                     ref::Tanh,             false, Fixed()},
  {BuiltinOp::kAdd,             &kAddOptionsIO,              ref::Add,              false, Both(Output::kOwnRange, 2)},
  {BuiltinOp::kSub,             &kSubOptionsIO,              ref::Sub,              false, Versions(Both(Output::kOwnRange, 2), 2, 5)},
  {BuiltinOp::kMul,             &kMulOptionsIO,              ref::Mul,              false, Versions(Both(Output::kOwnRange, 2), 2, 4)},
  {BuiltinOp::kMaximum,         &kMaximumMinimumOptionsIO,   ref::Maximum,          false, Versions(Both(Output::kOwnRange, 2, true), 2, 4)},
  {BuiltinOp::kMinimum,         &kMaximumMinimumOptionsIO,   ref::Minimum,          false, Versions(Both(Output::kOwnRange, 2, true), 2, 4)},
  {BuiltinOp::kMean,            &kReducerOptionsIO,          ref::Mean,             false, Both()},
  {BuiltinOp::kSum,             &kReducerOptionsIO,          ref::Sum,              kFold, Float()},
  {BuiltinOp::kReduceProd,      &kReducerOptionsIO,          ref::ReduceProd,       kFold, Float()},
  {BuiltinOp::kReduceMax,       &kReducerOptionsIO,          ref::ReduceMax,        kFold, Float()},
  {BuiltinOp::kReduceMin,       &kReducerOptionsIO,          ref::ReduceMin,        kFold, Float()},
  {BuiltinOp::kReduceAny,       &kReducerOptionsIO,          ref::ReduceAny,        kFold, Float()},
  {BuiltinOp::kReduceAll,       &kReducerOptionsIO,          ref::ReduceAll,        kFold, Float()},
  {BuiltinOp::kArgMax,          &kArgMaxOptionsIO,           ref::ArgMax,           kFold, Float()},
  {BuiltinOp::kArgMin,          &kArgMinOptionsIO,           ref::ArgMin,           kFold, Float()},
  {BuiltinOp::kRelu,            nullptr,                     ref::Relu,             false, Both()},
  {BuiltinOp::kRelu6,           nullptr,                     ref::Relu6,            false, Both()},
  {BuiltinOp::kReluN1To1,       nullptr,                     ref::ReluN1To1,        false, Int8Only(Versions(Both(), 1, 1))},  // TFLite has no int16 RELU_N1_TO_1
  {BuiltinOp::kLeakyRelu,       &kLeakyReluOptionsIO,        ref::LeakyRelu,        false, Versions(Both(), 1, 2)},
  {BuiltinOp::kHardSwish,       &kHardSwishOptionsIO,        ref::HardSwish,        false, Versions(Int8Only(Both()), 1, 1)},  // TFLite has no int16 HARD_SWISH
  {BuiltinOp::kQuantize,        &kQuantizeOptionsIO,         ref::Quantize,         false, Float()},
  {BuiltinOp::kDequantize,      &kDequantizeOptionsIO,       ref::Dequantize,       kFold, Float()},
  {BuiltinOp::kCumsum,          &kCumsumOptionsIO,           ref::Cumsum,           kFold, Float()},
  {BuiltinOp::kAbs,             &kAbsOptionsIO,              ref::Abs,              kFold, Float()},
  {BuiltinOp::kNeg,             &kNegOptionsIO,              ref::Neg,              kFold, Float()},
  {BuiltinOp::kSquare,          &kSquareOptionsIO,           ref::Square,           kFold, Float()},
  {BuiltinOp::kSqrt,            nullptr,                     ref::Sqrt,             kFold, Float()},
  {BuiltinOp::kRsqrt,           nullptr,                     ref::Rsqrt,            kFold, Float()},
  {BuiltinOp::kExp,             &kExpOptionsIO,              ref::Exp,              kFold, Float()},
  {BuiltinOp::kLog,             nullptr,                     ref::Log,              kFold, Float()},
  {BuiltinOp::kSin,             nullptr,                     ref::Sin,              kFold, Float()},
  {BuiltinOp::kCos,             &kCosOptionsIO,              ref::Cos,              kFold, Float()},
  {BuiltinOp::kCeil,            nullptr,                     ref::Ceil,             kFold, Float()},
  {BuiltinOp::kFloor,           nullptr,                     ref::Floor,            kFold, Float()},
  {BuiltinOp::kRound,           nullptr,                     ref::Round,            kFold, Float()},
  {BuiltinOp::kSign,            &kSignOptionsIO,             ref::Sign,             kFold, Float()},
  {BuiltinOp::kDiv,             &kDivOptionsIO,              ref::Div,              kFold, Float()},
  {BuiltinOp::kFloorDiv,        &kFloorDivOptionsIO,         ref::FloorDiv,         kFold, Float()},
  {BuiltinOp::kFloorMod,        &kFloorModOptionsIO,         ref::FloorMod,         kFold, Float()},
  {BuiltinOp::kPow,             &kPowOptionsIO,              ref::Pow,              kFold, Float()},
  {BuiltinOp::kSquaredDifference, &kSquaredDifferenceOptionsIO, ref::SquaredDifference, kFold, Float()},
  {BuiltinOp::kCast,            &kCastOptionsIO,             ref::Cast,             kFold, Float()},
  // Comparisons, logical ops and SELECT: the quantizer leaves them float.
  {BuiltinOp::kEqual,           &kEqualOptionsIO,            ref::Equal,            kFold, Float()},
  {BuiltinOp::kNotEqual,        &kNotEqualOptionsIO,         ref::NotEqual,         kFold, Float()},
  {BuiltinOp::kLess,            &kLessOptionsIO,             ref::Less,             kFold, Float()},
  {BuiltinOp::kLessEqual,       &kLessEqualOptionsIO,        ref::LessEqual,        kFold, Float()},
  {BuiltinOp::kGreater,         &kGreaterOptionsIO,          ref::Greater,          kFold, Float()},
  {BuiltinOp::kGreaterEqual,    &kGreaterEqualOptionsIO,     ref::GreaterEqual,     kFold, Float()},
  {BuiltinOp::kLogicalAnd,      &kLogicalAndOptionsIO,       ref::LogicalAnd,       kFold, Float()},
  {BuiltinOp::kLogicalOr,       &kLogicalOrOptionsIO,        ref::LogicalOr,        kFold, Float()},
  {BuiltinOp::kLogicalNot,      &kLogicalNotOptionsIO,       ref::LogicalNot,       kFold, Float()},
  {BuiltinOp::kSelect,          &kSelectOptionsIO,           ref::Select,           kFold, Float()},
  {BuiltinOp::kSelectV2,        &kSelectV2OptionsIO,         ref::SelectV2,         kFold, Float()},
  // Vision ops. TFLite has int8 PRELU (alpha a quantized constant input; the
  // converter keeps version 1, the only one TFLite registers) and int8
  // L2_NORMALIZATION (fixed output 1/128), no int16 kernel of either.
  {BuiltinOp::kPrelu,           nullptr,                     ref::Prelu,            kFold, Int8Only(Versions(Both(Output::kOwnRange, 2), 1, 1))},
  {BuiltinOp::kL2Normalization, &kL2NormOptionsIO,           ref::L2Normalization,  kFold, Int8Only(Fixed())},
  {BuiltinOp::kLocalResponseNormalization, &kLocalResponseNormalizationOptionsIO, ref::LocalResponseNormalization, kFold, Float()},
  {BuiltinOp::kL2Pool2D,        &kPool2DOptionsIO,           ref::L2Pool2D,         false, Float()},
};
// clang-format on
constexpr size_t kNumRows = sizeof(kRows) / sizeof(kRows[0]);

// Overrides registered by faster kernel sets, indexed like kRows.
std::vector<const KernelRegistration*>& Overrides() {
  static std::vector<const KernelRegistration*> overrides(kNumRows, nullptr);
  return overrides;
}

int RowIndex(const OpRow* row) { return static_cast<int>(row - kRows); }

}  // namespace

const OpRow* FindOpRow(BuiltinOp op, const std::string& custom_code) {
  for (const OpRow& row : kRows) {
    if (row.op != op) continue;
    if (op != BuiltinOp::kCustom || custom_code == row.custom_code) return &row;
  }
  return nullptr;
}

const OpRow* FindOpRow(const OperatorDef& op) { return FindOpRow(op.op, op.custom_code); }

OpOptions DefaultOptions(BuiltinOp op) {
  const OpRow* row = FindOpRow(op);
  return row != nullptr && row->options != nullptr && row->options->defaults != nullptr
             ? row->options->defaults()
             : OpOptions{};
}

std::string DescribeOptions(const OperatorDef& op) {
  const OpRow* row = FindOpRow(op);
  return row != nullptr && row->options != nullptr ? row->options->Describe(op.options) : "";
}

Activation FusedActivation(const OperatorDef& op) {
  const OpRow* row = FindOpRow(op);
  return row != nullptr && row->options != nullptr ? row->options->FusedActivation(op.options)
                                                   : Activation::kNone;
}

const char* KernelSetName(KernelSet set) { return set == KernelSet::kSimd ? "simd" : "reference"; }

void RegisterKernelOverride(BuiltinOp op, const KernelRegistration* kernel) {
  const OpRow* row = FindOpRow(op);
  if (row != nullptr) Overrides()[RowIndex(row)] = kernel;
}

bool HasKernelOverrides() {
  const auto& o = Overrides();
  return std::any_of(o.begin(), o.end(), [](const KernelRegistration* k) { return k != nullptr; });
}

const KernelRegistration* FindKernel(const OperatorDef& op, KernelSet set) {
  const OpRow* row = FindOpRow(op);
  if (row == nullptr) return nullptr;
  if (set == KernelSet::kSimd && Overrides()[RowIndex(row)] != nullptr) {
    return Overrides()[RowIndex(row)];
  }
  return row->reference != nullptr ? row->reference() : nullptr;
}

}  // namespace qlite
