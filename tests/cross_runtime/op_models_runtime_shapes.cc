// Models with tensors whose shape is known only when they run: WHERE (every
// condition dtype), a RESHAPE to the shape SHAPE -> STRIDED_SLICE -> PACK
// compute, and RESIZE / FILL / TILE / BROADCAST_TO / TOPK_V2 / SLICE /
// STRIDED_SLICE whose size, dims, multiples, shape, k or end is a model
// input, and RANGE / MIRROR_PAD / SPLIT / SPLIT_V / SCATTER_ND / EXPAND_DIMS /
// PAD / PADV2 / TRANSPOSE whose bounds, paddings, axis, size_splits, shape or
// perm is a model input or computed from one (MINIMUM, MAXIMUM,
// CONCATENATION, TOPK_V2). Inputs named
// "small..." get integers in [1, 4] from the page, so each seed gives the
// dynamic tensor another shape.
//
// LiteRT.js sizes its output buffers from the shapes the file declares
// (make_op_models.cc), which a value-dependent shape cannot be, so each
// model ends in a reduction of the dynamic tensor over all its axes, to a
// scalar: qlite prepares that op again at every run, as TFLite does, and
// both runtimes must agree on its value. `qlite_op_models --dynamic` writes
// WHERE, the RESHAPE chain and FILL without the reduction, for the package's
// test of dynamic outputs (web/test/dynamic-shape.test.mjs); tests/kernels
// check their values and shapes by hand.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/pack.h"
#include "core/kernels/resize.h"
#include "core/kernels/shape_query.h"
#include "core/kernels/space_rearrange.h"
#include "core/kernels/split.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

// Reduces `dynamic` (of rank `rank`) over all axes (SUM, or REDUCE_MAX for
// int8: the same parameters, no requantization) into the model's scalar
// output; without `reduce`, `dynamic` is the output.
// The scalar that reduction of `dynamic` gives.
int ReduceAll(ModelBuilder& b, int dynamic, DType type, int rank, Quantization quant = {},
              const std::string& name = "y") {
  std::vector<int32_t> axes(rank);
  for (int i = 0; i < rank; ++i) axes[i] = i;
  const int ax = b.AddConstant(name + "_axes", DType::kInt32, {rank}, axes);
  const int y = b.AddTensor(name, type, {}, std::move(quant));
  const bool int8 = type == DType::kInt8;
  b.AddOperator(int8 ? BuiltinOp::kReduceMax : BuiltinOp::kSum, {dynamic, ax}, {y},
                ReducerOptions{}, int8 ? 2 : 1);
  return y;
}

void ReduceToOutput(ModelBuilder& b, int dynamic, DType type, int rank, bool reduce = true,
                    Quantization quant = {}) {
  b.SetOutputs({reduce ? ReduceAll(b, dynamic, type, rank, std::move(quant)) : dynamic});
}

// WHERE's coordinates [count, 3], summed. TFLite's WHERE is
// version 1 for bool conditions, 2 for the numeric ones.
Model Where(DType type, bool reduce) {
  ModelBuilder b;
  const int cond = b.AddTensor("ties_cond", type, {2, 3, 4});
  const int coords = b.AddTensor("coords", DType::kInt64, {1, 3});
  b.AddOperator(BuiltinOp::kWhere, {cond}, {coords}, {}, type == DType::kBool ? 1 : 2);
  b.SetInputs({cond});
  ReduceToOutput(b, coords, DType::kInt64, 2, reduce);
  return b.Build();
}

// x [2, 3, 4] -> RESHAPE(x, PACK(SHAPE(x)[0], -1)): [2, 12], as PyTorch and
// JAX exports flatten; summed.
Model ReshapeByShapeChain(bool reduce) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2, 3, 4});
  const int shape = b.AddTensor("shape", DType::kInt32, {3});
  b.AddOperator(BuiltinOp::kShape, {x}, {shape}, ShapeOptions{static_cast<uint8_t>(DType::kInt32)});
  const int zero = b.AddConstant("zero", DType::kInt32, {1}, std::vector<int32_t>{0});
  const int one = b.AddConstant("one", DType::kInt32, {1}, std::vector<int32_t>{1});
  const int batch = b.AddTensor("batch", DType::kInt32, {});
  StridedSliceOptions shrink;
  shrink.shrink_axis_mask = 1;
  b.AddOperator(BuiltinOp::kStridedSlice, {shape, zero, one, one}, {batch}, shrink);
  const int rest = b.AddConstant("rest", DType::kInt32, {}, std::vector<int32_t>{-1});
  const int packed = b.AddTensor("packed", DType::kInt32, {2});
  b.AddOperator(BuiltinOp::kPack, {batch, rest}, {packed}, PackOptions{2, 0});
  const int flat = b.AddTensor("flat", DType::kFloat32, {2, 12});
  b.AddOperator(BuiltinOp::kReshape, {x, packed}, {flat});
  b.SetInputs({x});
  ReduceToOutput(b, flat, DType::kFloat32, 2, reduce);
  return b.Build();
}

// image [1, 3, 4, 2] resized to the size input's [h, w], then reduced.
Model ResizeToSizeInput(BuiltinOp op, DType type) {
  ModelBuilder b;
  const int image = b.AddTensor("image", type, {1, 3, 4, 2}, MovedQuant(type));
  const int size = b.AddTensor("small_size", DType::kInt32, {2});
  const int resized = b.AddTensor("resized", type, {1, 1, 1, 2}, MovedQuant(type));
  b.AddOperator(op, {image, size}, {resized}, ResizeOptions{}, type == DType::kFloat32 ? 1 : 2);
  b.SetInputs({image, size});
  ReduceToOutput(b, resized, type, 4, true, MovedQuant(type));
  return b.Build();
}

// `op`(x, p), p a model input that sets the output's shape (of rank
// `rank`), summed.
Model WithShapeInput(BuiltinOp op, DType type, std::vector<int32_t> x_shape, int32_t p_size,
                     int rank, int version, bool x_first = true, bool reduce = true) {
  ModelBuilder b;
  const int x = b.AddTensor("x", type, x_shape);
  const int p = b.AddTensor("small_p", DType::kInt32, {p_size});
  const int t = b.AddTensor("t", type, {});
  b.AddOperator(op, x_first ? std::vector<int32_t>{x, p} : std::vector<int32_t>{p, x}, {t}, {},
                version);
  b.SetInputs({x, p});
  ReduceToOutput(b, t, type, rank, reduce);
  return b.Build();
}

// The k largest of each row of x [2, 8], k an input; summed.
Model TopKWithKInput() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2, 8});
  const int k = b.AddTensor("small_k", DType::kInt32, {});
  const int values = b.AddTensor("values", DType::kFloat32, {});
  const int indices = b.AddTensor("indices", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kTopkV2, {x, k}, {values, indices});
  b.SetInputs({x, k});
  ReduceToOutput(b, values, DType::kFloat32, 2);
  return b.Build();
}

// SLICE of x [4, 5] from the constant begin [0, 1], size an input.
Model SliceWithSizeInput() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kInt32, {4, 5});
  const int begin = b.AddConstant("begin", DType::kInt32, {2}, std::vector<int32_t>{0, 1});
  const int size = b.AddTensor("small_size", DType::kInt32, {2});
  const int t = b.AddTensor("t", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kSlice, {x, begin, size}, {t});
  b.SetInputs({x, size});
  ReduceToOutput(b, t, DType::kInt32, 2);
  return b.Build();
}

// x [6] strided-sliced from 0 by 1 to the end input's value.
Model StridedSliceWithEndInput() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {6});
  const int begin = b.AddConstant("begin", DType::kInt32, {1}, std::vector<int32_t>{0});
  const int end = b.AddTensor("small_end", DType::kInt32, {1});
  const int strides = b.AddConstant("strides", DType::kInt32, {1}, std::vector<int32_t>{1});
  const int t = b.AddTensor("t", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kStridedSlice, {x, begin, end, strides}, {t}, StridedSliceOptions{});
  b.SetInputs({x, end});
  ReduceToOutput(b, t, DType::kFloat32, 1);
  return b.Build();
}

// RANGE(MINIMUM(a, b), MAXIMUM(a, b), delta), all three known at run time
// only (empty when a == b).
Model RangeOfInputs(DType type) {
  ModelBuilder b;
  const int x = b.AddTensor("small_a", type, {});
  const int y = b.AddTensor("small_b", type, {});
  const int delta = b.AddTensor("small_delta", type, {});
  const int start = b.AddTensor("start", type, {});
  const int limit = b.AddTensor("limit", type, {});
  b.AddOperator(BuiltinOp::kMinimum, {x, y}, {start});
  b.AddOperator(BuiltinOp::kMaximum, {x, y}, {limit});
  const int t = b.AddTensor("t", type, {});
  b.AddOperator(BuiltinOp::kRange, {start, limit, delta}, {t});
  b.SetInputs({x, y, delta});
  ReduceToOutput(b, t, type, 1);
  return b.Build();
}

// MIRROR_PAD of x [5, 5] by a paddings input [2, 2] (at most 4: valid for
// REFLECT too), reduced.
Model MirrorPadWithPaddingsInput(DType type, uint8_t mode) {
  ModelBuilder b;
  const int x = b.AddTensor("x", type, {5, 5});
  const int p = b.AddTensor("small_paddings", DType::kInt32, {2, 2});
  const int t = b.AddTensor("t", type, {});
  b.AddOperator(BuiltinOp::kMirrorPad, {x, p}, {t}, MirrorPadOptions{mode});
  b.SetInputs({x, p});
  ReduceToOutput(b, t, type, 2);
  return b.Build();
}

// Both parts of a SPLIT of x [2, 2, 2, 2, 2] along an axis input in [1, 4],
// or of a SPLIT_V of x [2, 5] along axis 1 by CONCATENATION(head, [-1]),
// each reduced to a model output.
Model SplitWithRunTimeSizes(bool split_v) {
  ModelBuilder b;
  const int x =
      b.AddTensor("x", DType::kFloat32,
                  split_v ? std::vector<int32_t>{2, 5} : std::vector<int32_t>{2, 2, 2, 2, 2});
  const int y0 = b.AddTensor("y0", DType::kFloat32, {});
  const int y1 = b.AddTensor("y1", DType::kFloat32, {});
  int rank = 5;
  if (split_v) {
    rank = 2;
    const int head = b.AddTensor("small_head", DType::kInt32, {1});
    const int rest = b.AddConstant("rest", DType::kInt32, {1}, std::vector<int32_t>{-1});
    const int sizes = b.AddTensor("sizes", DType::kInt32, {2});
    b.AddOperator(BuiltinOp::kConcatenation, {head, rest}, {sizes}, ConcatenationOptions{0});
    const int axis = b.AddConstant("axis", DType::kInt32, {}, std::vector<int32_t>{1});
    b.AddOperator(BuiltinOp::kSplitV, {x, sizes, axis}, {y0, y1}, SplitVOptions{2});
    b.SetInputs({x, head});
  } else {
    const int axis = b.AddTensor("small_axis", DType::kInt32, {});
    b.AddOperator(BuiltinOp::kSplit, {axis, x}, {y0, y1}, SplitOptions{2});
    b.SetInputs({axis, x});
  }
  const int s0 = ReduceAll(b, y0, DType::kFloat32, rank, {}, "s0");
  const int s1 = ReduceAll(b, y1, DType::kFloat32, rank, {}, "s1");
  b.SetOutputs({s0, s1});
  return b.Build();
}

// updates [4] at indices [[0, 1], [1, 0], [1, 1], [0, 1]] (two add up) into
// shape MAXIMUM(small_shape, [2, 2]): [2..4, 2..4].
Model ScatterNdIntoComputedShape() {
  ModelBuilder b;
  const int indices =
      b.AddConstant("indices", DType::kInt32, {4, 2}, std::vector<int32_t>{0, 1, 1, 0, 1, 1, 0, 1});
  const int updates = b.AddTensor("updates", DType::kFloat32, {4});
  const int s = b.AddTensor("small_shape", DType::kInt32, {2});
  const int twos = b.AddConstant("twos", DType::kInt32, {2}, std::vector<int32_t>{2, 2});
  const int shape = b.AddTensor("shape", DType::kInt32, {2});
  b.AddOperator(BuiltinOp::kMaximum, {s, twos}, {shape});
  const int t = b.AddTensor("t", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kScatterNd, {indices, updates, shape}, {t});
  b.SetInputs({updates, s});
  ReduceToOutput(b, t, DType::kFloat32, 2);
  return b.Build();
}

// PAD of x [2, 3] float32 by a small_paddings input [2, 2] (int32 or int64),
// then plus 1 so that the padded count shows in the sum; PADV2 fills 7 (0.5
// for float32), which shows in the sum as it is.
Model PadWithPaddingsInput(BuiltinOp op, DType type, DType paddings_type) {
  ModelBuilder b;
  const bool is_float = type == DType::kFloat32;
  const int x = b.AddTensor("x", type, {2, 3});
  const int p = b.AddTensor("small_paddings", paddings_type, {2, 2});
  int padded = b.AddTensor("padded", type, {});
  std::vector<int32_t> inputs = {x, p};
  if (op == BuiltinOp::kPadV2) {
    inputs.push_back(is_float ? b.AddConstant("value", type, {}, std::vector<float>{0.5f})
                              : b.AddConstant("value", type, {}, std::vector<int32_t>{7}));
  }
  b.AddOperator(op, inputs, {padded});
  if (op == BuiltinOp::kPad) {
    const int one = b.AddConstant("one", type, {}, std::vector<float>{1.0f});
    const int plus_one = b.AddTensor("plus_one", type, {});
    b.AddOperator(BuiltinOp::kAdd, {padded, one}, {plus_one});
    padded = plus_one;
  }
  b.SetInputs({x, p});
  ReduceToOutput(b, padded, type, 2);
  return b.Build();
}

// TRANSPOSE of x [2, 3, 4] by perm = the indices of TOPK_V2(keys, 3), keys
// [3] a model input: a permutation known at run time only. The result is
// flattened to [24] and weighted by 1..24 before the sum, so that both its
// shape and its order show.
Model TransposeByTopKPerm() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2, 3, 4});
  const int keys = b.AddTensor("keys", DType::kFloat32, {3});
  const int k = b.AddConstant("k", DType::kInt32, {}, std::vector<int32_t>{3});
  const int sorted = b.AddTensor("sorted", DType::kFloat32, {3});
  const int perm = b.AddTensor("perm", DType::kInt32, {3});
  b.AddOperator(BuiltinOp::kTopkV2, {keys, k}, {sorted, perm});
  const int t = b.AddTensor("t", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kTranspose, {x, perm}, {t});
  const int flat_shape = b.AddConstant("flat_shape", DType::kInt32, {1}, std::vector<int32_t>{24});
  const int flat = b.AddTensor("flat", DType::kFloat32, {24});
  b.AddOperator(BuiltinOp::kReshape, {t, flat_shape}, {flat});
  std::vector<float> weights(24);
  for (int i = 0; i < 24; ++i) weights[i] = static_cast<float>(i + 1);
  const int w = b.AddConstant("weights", DType::kFloat32, {24}, weights);
  const int weighted = b.AddTensor("weighted", DType::kFloat32, {24});
  b.AddOperator(BuiltinOp::kMul, {flat, w}, {weighted});
  b.SetInputs({x, keys});
  ReduceToOutput(b, weighted, DType::kFloat32, 1);
  return b.Build();
}

}  // namespace

void AddRunTimeShapeModels(OpModels* models) {
  for (DType type :
       {DType::kBool, DType::kFloat32, DType::kInt32, DType::kInt8, DType::kUInt8, DType::kInt64}) {
    models->push_back(
        {std::string("where_") + DTypeName(type), [type] { return Where(type, true); }});
  }
  models->push_back({"reshape_by_shape_chain_float32", [] { return ReshapeByShapeChain(true); }});
  for (DType type : {DType::kFloat32, DType::kInt8}) {
    models->push_back({std::string("resize_bilinear_size_input_") + DTypeName(type),
                       [type] { return ResizeToSizeInput(BuiltinOp::kResizeBilinear, type); }});
    models->push_back({std::string("resize_nearest_size_input_") + DTypeName(type), [type] {
                         return ResizeToSizeInput(BuiltinOp::kResizeNearestNeighbor, type);
                       }});
  }
  models->push_back({"fill_dims_input_float32", [] {
                       return WithShapeInput(BuiltinOp::kFill, DType::kFloat32, {}, 3, 3, 1, false);
                     }});
  models->push_back({"tile_multiples_input_int32", [] {
                       return WithShapeInput(BuiltinOp::kTile, DType::kInt32, {2, 3}, 2, 2, 1);
                     }});
  models->push_back(
      {"broadcast_to_shape_input_float32", [] {
         return WithShapeInput(BuiltinOp::kBroadcastTo, DType::kFloat32, {1, 1}, 3, 3, 2);
       }});
  models->push_back({"topk_v2_k_input_float32", [] { return TopKWithKInput(); }});
  models->push_back({"slice_size_input_int32", [] { return SliceWithSizeInput(); }});
  models->push_back({"strided_slice_end_input_float32", [] { return StridedSliceWithEndInput(); }});
  for (DType type : {DType::kFloat32, DType::kInt32}) {
    models->push_back(
        {std::string("range_inputs_") + DTypeName(type), [type] { return RangeOfInputs(type); }});
  }
  models->push_back({"mirror_pad_reflect_paddings_input_float32", [] {
                       return MirrorPadWithPaddingsInput(DType::kFloat32, kMirrorPadReflect);
                     }});
  models->push_back({"mirror_pad_symmetric_paddings_input_int32", [] {
                       return MirrorPadWithPaddingsInput(DType::kInt32, kMirrorPadSymmetric);
                     }});
  models->push_back({"split_axis_input_float32", [] { return SplitWithRunTimeSizes(false); }});
  models->push_back({"split_v_sizes_input_float32", [] { return SplitWithRunTimeSizes(true); }});
  models->push_back(
      {"scatter_nd_shape_input_float32", [] { return ScatterNdIntoComputedShape(); }});
  models->push_back(
      {"expand_dims_axis_input_float32", [] {
         return WithShapeInput(BuiltinOp::kExpandDims, DType::kFloat32, {2, 1, 2, 1}, 1, 5, 1);
       }});
  models->push_back({"pad_paddings_input_float32", [] {
                       return PadWithPaddingsInput(BuiltinOp::kPad, DType::kFloat32, DType::kInt32);
                     }});
  models->push_back({"pad_int64_paddings_input_float32", [] {
                       return PadWithPaddingsInput(BuiltinOp::kPad, DType::kFloat32, DType::kInt64);
                     }});
  models->push_back({"padv2_paddings_input_int32", [] {
                       return PadWithPaddingsInput(BuiltinOp::kPadV2, DType::kInt32, DType::kInt32);
                     }});
  models->push_back(
      {"padv2_int64_paddings_input_float32",
       [] { return PadWithPaddingsInput(BuiltinOp::kPadV2, DType::kFloat32, DType::kInt64); }});
  models->push_back({"transpose_perm_input_float32", [] { return TransposeByTopKPerm(); }});
}

void AddDynamicOutputModels(OpModels* models) {
  models->push_back({"where_bool_output", [] { return Where(DType::kBool, false); }});
  models->push_back({"reshape_by_shape_chain_output", [] { return ReshapeByShapeChain(false); }});
  models->push_back({"fill_dims_input_output", [] {
                       return WithShapeInput(BuiltinOp::kFill, DType::kFloat32, {}, 3, 3, 1, false,
                                             false);
                     }});
}

}  // namespace qlite
