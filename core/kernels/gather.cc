// GATHER copies the slices of `params` (input 0) that `indices` (input 1)
// name along `axis`, per batch when batch_dims > 0; GATHER_ND copies the
// slices addressed by the innermost dimension of `indices`. Both move bytes:
// float32, int8, uint8, int16, int32, int64 and bool params with int32 or
// int64 indices, as TFLite's kernels; quantized params and output must share
// parameters. Indices are checked at eval (they may be model inputs): a bad
// one fails the run, as in TFLite, and nothing outside params is read.
#include "core/kernels/gather.h"

#include <cstdint>
#include <cstring>
#include <utility>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// Arity, dtypes and quantization, the same for GATHER and GATHER_ND.
QLITE_PREPARE_TIME Status CheckGatherInputs(OpContext& ctx, const Tensor** params,
                                            const Tensor** indices) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, params));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, indices));
  QLITE_RETURN_IF_ERROR(CheckType(**params,
                                  {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16,
                                   DType::kInt32, DType::kInt64, DType::kBool},
                                  "params"));
  QLITE_RETURN_IF_ERROR(CheckType(**indices, {DType::kInt32, DType::kInt64}, "indices"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {(*params)->type}, "output"));
  return CheckSameQuantization(**params, *ctx.output(0));
}

int64_t IndexAt(const Tensor& indices, int64_t i) {
  return indices.type == DType::kInt32 ? indices.data_as<int32_t>()[i]
                                       : indices.data_as<int64_t>()[i];
}

// TFLite rejects a negative index anywhere in `indices` before it copies.
Status CheckNoNegativeIndex(const Tensor& indices, const char* op) {
  const int64_t n = indices.num_elements();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t index = IndexAt(indices, i);
    QLITE_ENSURE(index >= 0, op, " index ", index, " is negative");
  }
  return Status::Ok();
}

// Appends dims [begin, end) of `from` to `out`.
void AppendDims(const Shape& from, int begin, int end, Shape* out) {
  for (int d = begin; d < end; ++d) out->push_back(from[d]);
}

// GATHER's axis and batch_dims with negative values resolved.
void GatherAxes(const OpContext& ctx, int* axis, int* batch_dims) {
  const auto& o = ctx.options<GatherOptions>();
  *axis = o.axis < 0 ? o.axis + ctx.input(0)->rank() : o.axis;
  *batch_dims = o.batch_dims < 0 ? o.batch_dims + ctx.input(1)->rank() : o.batch_dims;
}

QLITE_PREPARE_TIME Status GatherPrepare(OpContext& ctx) {
  const Tensor *params = nullptr, *indices = nullptr;
  QLITE_RETURN_IF_ERROR(CheckGatherInputs(ctx, &params, &indices));
  int axis = 0, batch_dims = 0;
  GatherAxes(ctx, &axis, &batch_dims);
  const auto& o = ctx.options<GatherOptions>();
  QLITE_ENSURE(axis >= 0 && axis < params->rank(), "axis ", o.axis, " is out of range for rank ",
               params->rank());
  QLITE_ENSURE(batch_dims >= 0 && batch_dims <= axis && batch_dims <= indices->rank(),
               "batch_dims ", o.batch_dims, " must be in [0, min(axis, indices rank)]");
  for (int d = 0; d < batch_dims; ++d) {
    QLITE_ENSURE(params->dim(d) == indices->dim(d), "params and indices differ in batch dimension ",
                 d);
  }
  // params[:axis] + indices[batch_dims:] + params[axis + 1:]
  Shape out;
  AppendDims(params->shape, 0, axis, &out);
  AppendDims(indices->shape, batch_dims, indices->rank(), &out);
  AppendDims(params->shape, axis + 1, params->rank(), &out);
  return ctx.SetOutputShape(0, std::move(out));
}

Status GatherEval(OpContext& ctx) {
  const Tensor& params = *ctx.input(0);
  const Tensor& indices = *ctx.input(1);
  QLITE_RETURN_IF_ERROR(CheckNoNegativeIndex(indices, "gather"));
  int axis = 0, batch_dims = 0;
  GatherAxes(ctx, &axis, &batch_dims);
  int64_t blocks = 1, outer = 1, coords = 1;  // blocks: batches x outer
  size_t inner_bytes = DTypeSize(params.type);
  for (int d = 0; d < axis; ++d) blocks *= params.dim(d);
  for (int d = batch_dims; d < axis; ++d) outer *= params.dim(d);
  for (int d = axis + 1; d < params.rank(); ++d) inner_bytes *= params.dim(d);
  for (int d = batch_dims; d < indices.rank(); ++d) coords *= indices.dim(d);
  const int64_t axis_size = params.dim(axis);
  uint8_t* out = ctx.output(0)->data;
  for (int64_t block = 0; block < blocks; ++block) {
    for (int64_t i = 0; i < coords; ++i) {
      const int64_t index = IndexAt(indices, block / outer * coords + i);
      QLITE_ENSURE(index < axis_size, "gather index ", index, " is out of range for axis ", axis);
      if (inner_bytes == 0) continue;
      std::memcpy(out, params.data + (block * axis_size + index) * inner_bytes, inner_bytes);
      out += inner_bytes;
    }
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status GatherNdPrepare(OpContext& ctx) {
  const Tensor *params = nullptr, *indices = nullptr;
  QLITE_RETURN_IF_ERROR(CheckGatherInputs(ctx, &params, &indices));
  QLITE_ENSURE(params->rank() >= 1 && indices->rank() >= 1,
               "params and indices must have rank >= 1");
  const int nd = indices->dim(indices->rank() - 1);
  QLITE_ENSURE(nd <= params->rank(), "indices address ", nd, " dimensions but params has rank ",
               params->rank());
  // indices[:-1] + params[nd:]
  Shape out;
  AppendDims(indices->shape, 0, indices->rank() - 1, &out);
  AppendDims(params->shape, nd, params->rank(), &out);
  return ctx.SetOutputShape(0, std::move(out));
}

// As TFLite, an index tuple is checked by the flat position it reaches: the
// slice must end inside params (a too-large inner index that still lands
// inside params reads the element that flat position names).
Status GatherNdEval(OpContext& ctx) {
  const Tensor& params = *ctx.input(0);
  const Tensor& indices = *ctx.input(1);
  const int64_t flat_size = params.num_elements();
  QLITE_ENSURE(flat_size > 0 || indices.num_elements() == 0, "params is empty, indices are not");
  QLITE_RETURN_IF_ERROR(CheckNoNegativeIndex(indices, "gather_nd"));
  const int nd = indices.dim(indices.rank() - 1);
  int64_t slices = 1, slice_size = 1;
  for (int d = 0; d + 1 < indices.rank(); ++d) slices *= indices.dim(d);
  for (int d = nd; d < params.rank(); ++d) slice_size *= params.dim(d);
  const size_t element = DTypeSize(params.type);
  uint8_t* out = ctx.output(0)->data;
  for (int64_t s = 0; s < slices; ++s) {
    int64_t from = 0, stride = slice_size;
    for (int j = nd - 1; j >= 0 && from < flat_size; --j) {
      const int64_t index = IndexAt(indices, s * nd + j);
      // Capped at flat_size (already past the end): the sum cannot overflow.
      from += index < flat_size ? index * stride : flat_size;
      stride *= params.dim(j);
    }
    QLITE_ENSURE(from + slice_size <= flat_size, "gather_nd indices of slice ", s,
                 " point outside params");
    if (slice_size == 0) continue;
    std::memcpy(out, params.data + from * element, slice_size * element);
    out += slice_size * element;
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Gather() {
  static const KernelRegistration kRegistration = {"gather_reference", GatherPrepare, GatherEval};
  return &kRegistration;
}
const KernelRegistration* GatherNd() {
  static const KernelRegistration kRegistration = {"gather_nd_reference", GatherNdPrepare,
                                                   GatherNdEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kGatherFields[] = {
    {"axis", 0, FieldType::kInt32, offsetof(GatherOptions, axis)},
    {"batch_dims", 1, FieldType::kInt32, offsetof(GatherOptions, batch_dims)},
};
extern const OptionsIO kGatherOptionsIO, kGatherNdOptionsIO;
const OptionsIO kGatherOptionsIO =
    OptionsIOFor<GatherOptions>(tfl::BuiltinOptions::GatherOptions, kGatherFields);
const OptionsIO kGatherNdOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::GatherNdOptions);

}  // namespace qlite
