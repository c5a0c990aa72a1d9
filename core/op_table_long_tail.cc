// The long tail of the op table: ops that real models use but that few
// models need, kept apart so that the wasm package can load them as a side
// module (qlite-ops.wasm, web/ops_module.cc) and keep qlite.wasm small. Every
// other build links these rows in directly; FindOpRow searches them after
// core/op_table.cc's rows. Adding an op here is the same as there: its kernel
// file plus one row, and the file in QLITE_LONG_TAIL_OP_SOURCES
// (core/CMakeLists.txt).
#include "core/format/options_io.h"
#include "core/op_rows.h"

namespace qlite {

namespace ref {
const KernelRegistration* Sum();                         // reduce.cc
const KernelRegistration* ReduceProd();                  // reduce.cc
const KernelRegistration* ReduceMax();                   // reduce.cc
const KernelRegistration* ReduceMin();                   // reduce.cc
const KernelRegistration* ReduceAny();                   // reduce.cc
const KernelRegistration* ReduceAll();                   // reduce.cc
const KernelRegistration* ArgMax();                      // arg_min_max.cc
const KernelRegistration* ArgMin();                      // arg_min_max.cc
const KernelRegistration* Cumsum();                      // cumsum.cc
const KernelRegistration* Call();                        // control_flow.cc
const KernelRegistration* If();                          // control_flow.cc
const KernelRegistration* While();                       // control_flow.cc
const KernelRegistration* StablehloComposite();          // control_flow.cc
const KernelRegistration* Slice();                       // slice.cc
const KernelRegistration* Tile();                        // tile.cc
const KernelRegistration* ExpandDims();                  // expand_dims.cc
const KernelRegistration* Pack();                        // pack.cc
const KernelRegistration* Unpack();                      // pack.cc
const KernelRegistration* Split();                       // split.cc
const KernelRegistration* SplitV();                      // split.cc
const KernelRegistration* ReverseV2();                   // reverse.cc
const KernelRegistration* BroadcastTo();                 // broadcast_to.cc
const KernelRegistration* Fill();                        // fill.cc
const KernelRegistration* ZerosLike();                   // fill.cc
const KernelRegistration* Where();                       // where.cc
const KernelRegistration* Cast();                        // cast.cc
const KernelRegistration* Gather();                      // gather.cc
const KernelRegistration* GatherNd();                    // gather.cc
const KernelRegistration* Shape();                       // shape_query.cc
const KernelRegistration* Rank();                        // shape_query.cc
const KernelRegistration* Range();                       // shape_query.cc
const KernelRegistration* Equal();                       // comparisons.cc
const KernelRegistration* NotEqual();                    // comparisons.cc
const KernelRegistration* Less();                        // comparisons.cc
const KernelRegistration* LessEqual();                   // comparisons.cc
const KernelRegistration* Greater();                     // comparisons.cc
const KernelRegistration* GreaterEqual();                // comparisons.cc
const KernelRegistration* LogicalAnd();                  // comparisons.cc
const KernelRegistration* LogicalOr();                   // comparisons.cc
const KernelRegistration* LogicalNot();                  // comparisons.cc
const KernelRegistration* Select();                      // select.cc
const KernelRegistration* SelectV2();                    // select.cc
const KernelRegistration* L2Normalization();             // normalization.cc
const KernelRegistration* LocalResponseNormalization();  // normalization.cc
const KernelRegistration* L2Pool2D();                    // l2_pool.cc
const KernelRegistration* DepthToSpace();                // space_rearrange.cc
const KernelRegistration* SpaceToDepth();                // space_rearrange.cc
const KernelRegistration* SpaceToBatchNd();              // space_rearrange.cc
const KernelRegistration* BatchToSpaceNd();              // space_rearrange.cc
const KernelRegistration* Elu();                         // elu_gelu.cc
const KernelRegistration* Gelu();                        // elu_gelu.cc
const KernelRegistration* LogSoftmax();                  // log_softmax.cc
const KernelRegistration* Atan2();                       // atan2.cc
const KernelRegistration* MirrorPad();                   // space_rearrange.cc
const KernelRegistration* Abs();                         // elementwise_unary.cc
const KernelRegistration* Neg();                         // elementwise_unary.cc
const KernelRegistration* Square();                      // elementwise_unary.cc
const KernelRegistration* Sqrt();                        // elementwise_unary.cc
const KernelRegistration* Rsqrt();                       // elementwise_unary.cc
const KernelRegistration* Exp();                         // elementwise_unary.cc
const KernelRegistration* Log();                         // elementwise_unary.cc
const KernelRegistration* Sin();                         // elementwise_unary.cc
const KernelRegistration* Cos();                         // elementwise_unary.cc
const KernelRegistration* Ceil();                        // elementwise_unary.cc
const KernelRegistration* Floor();                       // elementwise_unary.cc
const KernelRegistration* Round();                       // elementwise_unary.cc
const KernelRegistration* Sign();                        // elementwise_unary.cc
const KernelRegistration* Div();                         // binary_math.cc
const KernelRegistration* FloorDiv();                    // binary_math.cc
const KernelRegistration* FloorMod();                    // binary_math.cc
const KernelRegistration* Pow();                         // binary_math.cc
const KernelRegistration* SquaredDifference();           // binary_math.cc
const KernelRegistration* BatchMatMul();                 // batch_matmul.cc
const KernelRegistration* ResizeBilinear();              // resize.cc
const KernelRegistration* ResizeNearestNeighbor();       // resize.cc
const KernelRegistration* Prelu();                       // prelu.cc
const KernelRegistration* NonMaxSuppression();           // non_max_suppression.cc (V4 and V5)
const KernelRegistration* DetectionPostprocess();        // detection_postprocess.cc (custom)
const KernelRegistration* TransposeConvBias();          // mediapipe_transpose_conv_bias.cc (custom)
const KernelRegistration* MaxPoolingWithArgmax();       // mediapipe_pooling.cc (custom)
const KernelRegistration* MaxUnpooling();               // mediapipe_pooling.cc (custom)
const KernelRegistration* MaxUnpoolingFlatIndices();    // mediapipe_pooling.cc (custom)
const KernelRegistration* ScatterNd();                  // scatter_nd.cc
const KernelRegistration* EmbeddingLookup();            // embedding_lookup.cc
const KernelRegistration* TopKV2();                     // topk_v2.cc
const KernelRegistration* Svdf();                       // svdf.cc
const KernelRegistration* Rnn();                        // rnn.cc
const KernelRegistration* UnidirectionalSequenceRnn();  // rnn.cc
const KernelRegistration* BidirectionalSequenceRnn();   // rnn.cc
const KernelRegistration* Lstm();                       // lstm.cc
const KernelRegistration* UnidirectionalSequenceLstm();  // lstm.cc
const KernelRegistration* BidirectionalSequenceLstm();   // lstm.cc
const KernelRegistration* Densify();                     // densify.cc
const KernelRegistration* TransposeConv();               // transpose_conv.cc
const KernelRegistration* Maximum();                     // maximum_minimum.cc
const KernelRegistration* Minimum();                     // maximum_minimum.cc
const KernelRegistration* VarHandle();                   // resource_variables.cc
const KernelRegistration* AssignVariable();              // resource_variables.cc
const KernelRegistration* ReadVariable();                // resource_variables.cc
const KernelRegistration* CallOnce();                    // resource_variables.cc
const KernelRegistration* Softmax();                     // softmax.cc
const KernelRegistration* Logistic();                    // logistic_tanh.cc
const KernelRegistration* Tanh();                        // logistic_tanh.cc
const KernelRegistration* Mean();                        // mean.cc
}  // namespace ref

extern const OptionsIO kArgMaxOptionsIO, kArgMinOptionsIO, kBroadcastToOptionsIO, kCastOptionsIO,
    kCumsumOptionsIO, kCallOptionsIO, kIfOptionsIO, kWhileOptionsIO, kStableHloCompositeOptionsIO,
    kEqualOptionsIO, kExpandDimsOptionsIO, kFillOptionsIO, kGatherNdOptionsIO, kGatherOptionsIO,
    kGreaterEqualOptionsIO, kGreaterOptionsIO, kL2NormOptionsIO, kLessEqualOptionsIO,
    kLessOptionsIO, kLocalResponseNormalizationOptionsIO, kLogicalAndOptionsIO,
    kLogicalNotOptionsIO, kLogicalOrOptionsIO, kNotEqualOptionsIO, kPackOptionsIO, kPool2DOptionsIO,
    kRangeOptionsIO, kRankOptionsIO, kReducerOptionsIO, kReverseV2OptionsIO, kSelectOptionsIO,
    kSelectV2OptionsIO, kShapeOptionsIO, kSliceOptionsIO, kSplitOptionsIO, kSplitVOptionsIO,
    kTileOptionsIO, kUnpackOptionsIO, kZerosLikeOptionsIO, kDepthToSpaceOptionsIO,
    kSpaceToDepthOptionsIO, kSpaceToBatchNdOptionsIO, kBatchToSpaceNdOptionsIO, kMirrorPadOptionsIO,
    kGeluOptionsIO, kLogSoftmaxOptionsIO, kAbsOptionsIO, kBatchMatMulOptionsIO, kCosOptionsIO,
    kDivOptionsIO, kExpOptionsIO, kFloorDivOptionsIO, kFloorModOptionsIO, kNegOptionsIO,
    kPowOptionsIO, kResizeBilinearOptionsIO, kResizeNearestNeighborOptionsIO, kSignOptionsIO,
    kSquareOptionsIO, kSquaredDifferenceOptionsIO, kNonMaxSuppressionV4OptionsIO,
    kNonMaxSuppressionV5OptionsIO, kScatterNdOptionsIO, kTopKV2OptionsIO, kSvdfOptionsIO,
    kRnnOptionsIO, kSequenceRnnOptionsIO, kBidirectionalRnnOptionsIO, kLstmOptionsIO,
    kSequenceLstmOptionsIO, kBidirectionalLstmOptionsIO, kDensifyOptionsIO,
    kMaximumMinimumOptionsIO, kTransposeConvOptionsIO, kWhereOptionsIO, kVarHandleOptionsIO,
    kCallOnceOptionsIO, kReadVariableOptionsIO, kAssignVariableOptionsIO, kSoftmaxOptionsIO;

namespace {

using namespace op_rows;  // NOLINT: the rows read as a table

// clang-format off
constexpr OpRow kLongTailRows[] = {
  // op                        options                     reference kernel      fold   quantizer rule
  {BuiltinOp::kSoftmax,         &kSoftmaxOptionsIO,          ref::Softmax,          false, Fixed()},
  {BuiltinOp::kLogistic,        nullptr,                     ref::Logistic,         false, Fixed()},
  {BuiltinOp::kTanh,            nullptr,                     ref::Tanh,             false, Fixed()},
  {BuiltinOp::kMean,            &kReducerOptionsIO,          ref::Mean,             false, Both()},
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
  {BuiltinOp::kWhere,           &kWhereOptionsIO,            ref::Where,            kFold, Float()},  // int64 coordinates, never quantized
  {BuiltinOp::kGather,          &kGatherOptionsIO,           ref::Gather,           kFold, Float()},
  {BuiltinOp::kGatherNd,        &kGatherNdOptionsIO,         ref::GatherNd,         kFold, Float()},
  {BuiltinOp::kShape,           &kShapeOptionsIO,            ref::Shape,            kFold, Float()},
  {BuiltinOp::kRank,            &kRankOptionsIO,             ref::Rank,             kFold, Float()},
  {BuiltinOp::kRange,           &kRangeOptionsIO,            ref::Range,            kFold, Float()},
  {BuiltinOp::kSum,             &kReducerOptionsIO,          ref::Sum,              kFold, Float()},
  {BuiltinOp::kReduceProd,      &kReducerOptionsIO,          ref::ReduceProd,       kFold, Float()},
  {BuiltinOp::kReduceMax,       &kReducerOptionsIO,          ref::ReduceMax,        kFold, Float()},
  {BuiltinOp::kReduceMin,       &kReducerOptionsIO,          ref::ReduceMin,        kFold, Float()},
  {BuiltinOp::kReduceAny,       &kReducerOptionsIO,          ref::ReduceAny,        kFold, Float()},
  {BuiltinOp::kReduceAll,       &kReducerOptionsIO,          ref::ReduceAll,        kFold, Float()},
  {BuiltinOp::kArgMax,          &kArgMaxOptionsIO,           ref::ArgMax,           kFold, Float()},
  {BuiltinOp::kArgMin,          &kArgMinOptionsIO,           ref::ArgMin,           kFold, Float()},
  {BuiltinOp::kCumsum,          &kCumsumOptionsIO,           ref::Cumsum,           kFold, Float()},
  {BuiltinOp::kCast,            &kCastOptionsIO,             ref::Cast,             kFold, Float()},
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
  {BuiltinOp::kL2Normalization, &kL2NormOptionsIO,           ref::L2Normalization,  kFold, Int8Only(Fixed())},
  {BuiltinOp::kLocalResponseNormalization, &kLocalResponseNormalizationOptionsIO, ref::LocalResponseNormalization, kFold, Float()},
  {BuiltinOp::kL2Pool2D,        &kPool2DOptionsIO,           ref::L2Pool2D,         false, Float()},
  {BuiltinOp::kMirrorPad,       &kMirrorPadOptionsIO,        ref::MirrorPad,        kFold, Versions(SameAsInput(), 2, 3)},
  {BuiltinOp::kDepthToSpace,    &kDepthToSpaceOptionsIO,     ref::DepthToSpace,     kFold, Int8Only(Versions(SameAsInput(), 2, 1))},  // TFLite has no int16 DEPTH_TO_SPACE
  {BuiltinOp::kSpaceToDepth,    &kSpaceToDepthOptionsIO,     ref::SpaceToDepth,     kFold, Int8Only(Versions(SameAsInput(), 2, 1))},  // nor SPACE_TO_DEPTH
  {BuiltinOp::kSpaceToBatchNd,  &kSpaceToBatchNdOptionsIO,   ref::SpaceToBatchNd,   kFold, Versions(SameAsInput(), 2, 4)},  // 4-D; TFLite writes 3 for 3-D int8
  {BuiltinOp::kBatchToSpaceNd,  &kBatchToSpaceNdOptionsIO,   ref::BatchToSpaceNd,   kFold, Versions(SameAsInput(), 2, 4)},
  // TFLite has int8 (and uint8) kernels for these, no int16 ones.
  {BuiltinOp::kElu,             nullptr,                     ref::Elu,              false, Int8Only(Versions(Both(), 2, 2))},
  {BuiltinOp::kGelu,            &kGeluOptionsIO,             ref::Gelu,             false, Int8Only(Versions(Both(), 2, 2))},
  {BuiltinOp::kLogSoftmax,      &kLogSoftmaxOptionsIO,       ref::LogSoftmax,       false, Int8Only(Versions(Fixed(), 2, 2))},
  {BuiltinOp::kAtan2,           nullptr,                     ref::Atan2,            kFold, Float()},
  {BuiltinOp::kBatchMatmul,     &kBatchMatMulOptionsIO,      ref::BatchMatMul,      kFold, Both(Output::kOwnRange, 2)},
  // int8 = 2, int16 = 4; half_pixel_centers (and align_corners for nearest) make a model version 3.
  {BuiltinOp::kResizeBilinear,  &kResizeBilinearOptionsIO,   ref::ResizeBilinear,   kFold, Versions(SameAsInput(), 2, 4)},
  {BuiltinOp::kResizeNearestNeighbor, &kResizeNearestNeighborOptionsIO, ref::ResizeNearestNeighbor, kFold, Versions(SameAsInput(), 2, 4)},
  {BuiltinOp::kAbs,             &kAbsOptionsIO,              ref::Abs,              kFold, Versions(Both(), 2, 3)},
  {BuiltinOp::kNeg,             &kNegOptionsIO,              ref::Neg,              kFold, Float()},
  {BuiltinOp::kSquare,          &kSquareOptionsIO,           ref::Square,           kFold, Float()},
  {BuiltinOp::kSqrt,            nullptr,                     ref::Sqrt,             kFold, Versions(Both(), 1, 1)},  // TFLite keeps version 1,
  {BuiltinOp::kRsqrt,           nullptr,                     ref::Rsqrt,            kFold, Both()},
  {BuiltinOp::kExp,             &kExpOptionsIO,              ref::Exp,              kFold, Versions(Both(), 2, 2)},
  {BuiltinOp::kLog,             nullptr,                     ref::Log,              kFold, Versions(Both(), 2, 2)},
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
  // TFLite has int8 PRELU (alpha a quantized constant input; the
  // converter keeps version 1, the only one TFLite registers) and int8
  // L2_NORMALIZATION (fixed output 1/128), no int16 kernel of either.
  {BuiltinOp::kPrelu,           nullptr,                     ref::Prelu,            kFold, Int8Only(Versions(Both(Output::kOwnRange, 2), 1, 1))},
  // Detection post-processing: float only (the converter keeps it float).
  {BuiltinOp::kNonMaxSuppressionV4, &kNonMaxSuppressionV4OptionsIO, ref::NonMaxSuppression, false, Float()},
  {BuiltinOp::kNonMaxSuppressionV5, &kNonMaxSuppressionV5OptionsIO, ref::NonMaxSuppression, false, Float()},
  // Options in custom_options (a flexbuffer map), read by the kernel at prepare.
  {BuiltinOp::kCustom,          nullptr,                     ref::DetectionPostprocess, false, Float(), "TFLite_Detection_PostProcess"},
  // MediaPipe's, with a raw TFLite params struct as custom_options.
  {BuiltinOp::kCustom,          nullptr,                     ref::TransposeConvBias, false, Float(), "Convolution2DTransposeBias"},
  {BuiltinOp::kCustom,          nullptr,                     ref::MaxPoolingWithArgmax, false, Float(), "MaxPoolingWithArgmax2D"},
  {BuiltinOp::kCustom,          nullptr,                     ref::MaxUnpooling,     false, Float(), "MaxUnpooling2D"},
  // LiteRT's name for TFLite's own MaxUnpooling2D: int32 flat indices, not MediaPipe's.
  {BuiltinOp::kCustom,          nullptr,                     ref::MaxUnpoolingFlatIndices, false, Float(), "LiteRtMaxUnpooling2D"},
  // Float: int8 EMBEDDING_LOOKUP tables come from dynamic-range (hybrid)
  // quantization.
  {BuiltinOp::kScatterNd,       &kScatterNdOptionsIO,        ref::ScatterNd,        kFold, Float()},
  {BuiltinOp::kEmbeddingLookup, nullptr,                     ref::EmbeddingLookup,  kFold, Float()},
  // As TFLite's converter: int8 values keep the input's parameters, the
  // indices stay int32 (qlite's TOPK_V2 has no int16 kernel).
  {BuiltinOp::kTopkV2,          &kTopKV2OptionsIO,           ref::TopKV2,           kFold, KeepsIntegerOutputs(Int8Only(SameAsInput()))},
  // Stateful ops: never folded (their state changes every step). Float()
  // for the integer modes, which refuse them by name (quantize/op_rules.h
  // IsStatefulSequenceOp: TFLite's int8 SVDF needs an int16 state and time
  // weights, its int8 LSTM an int16 cell state and intermediate scales, that
  // the calibration does not record; TFLite has no integer RNN); the
  // dynamic-range mode makes them hybrid (quantize/weight_only.cc).
  {BuiltinOp::kSvdf,            &kSvdfOptionsIO,             ref::Svdf,             false, Float()},
  {BuiltinOp::kRnn,             &kRnnOptionsIO,              ref::Rnn,              false, Float()},
  {BuiltinOp::kUnidirectionalSequenceRnn, &kSequenceRnnOptionsIO, ref::UnidirectionalSequenceRnn, false, Float()},
  {BuiltinOp::kBidirectionalSequenceRnn, &kBidirectionalRnnOptionsIO, ref::BidirectionalSequenceRnn, false, Float()},
  {BuiltinOp::kLstm,            &kLstmOptionsIO,             ref::Lstm,             false, Float()},
  {BuiltinOp::kUnidirectionalSequenceLstm, &kSequenceLstmOptionsIO, ref::UnidirectionalSequenceLstm, false, Float()},
  {BuiltinOp::kBidirectionalSequenceLstm, &kBidirectionalLstmOptionsIO, ref::BidirectionalSequenceLstm, false, Float()},
  // Its input is always a constant, densified when the interpreter binds it.
  {BuiltinOp::kDensify,         &kDensifyOptionsIO,          ref::Densify,          kFold, Float()},
  {BuiltinOp::kTransposeConv,   &kTransposeConvOptionsIO,    ref::TransposeConv,    false, Float()},
  {BuiltinOp::kMaximum,         &kMaximumMinimumOptionsIO,   ref::Maximum,          false, Versions(Both(Output::kOwnRange, 2, true), 2, 4)},
  {BuiltinOp::kMinimum,         &kMaximumMinimumOptionsIO,   ref::Minimum,          false, Versions(Both(Output::kOwnRange, 2, true), 2, 4)},
  // Control flow (core/subgraph.h): never folded, never quantized (the
  // quantizer refuses models with more than one subgraph).
  {BuiltinOp::kCall,            &kCallOptionsIO,             ref::Call,             false, Float()},
  {BuiltinOp::kIf,              &kIfOptionsIO,               ref::If,               false, Float()},
  {BuiltinOp::kWhile,           &kWhileOptionsIO,            ref::While,            false, Float()},
  // Run-time state: never folded; the quantizer leaves them as they are.
  {BuiltinOp::kVarHandle,       &kVarHandleOptionsIO,        ref::VarHandle,        false, Float()},
  {BuiltinOp::kAssignVariable,  &kAssignVariableOptionsIO,   ref::AssignVariable,   false, Float()},
  {BuiltinOp::kReadVariable,    &kReadVariableOptionsIO,     ref::ReadVariable,     false, Float()},
  {BuiltinOp::kCallOnce,        &kCallOnceOptionsIO,         ref::CallOnce,         false, Float()},
  {BuiltinOp::kStablehloComposite, &kStableHloCompositeOptionsIO, ref::StablehloComposite, false, Float()},
};
// clang-format on

}  // namespace

OpRowSpan LongTailOpRows() {
  return {kLongTailRows, sizeof(kLongTailRows) / sizeof(kLongTailRows[0])};
}

}  // namespace qlite
