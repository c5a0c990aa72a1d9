// SCATTER_ND writes `updates` (input 1) into a zero tensor of shape `shape`
// (input 2, a 1-D int32 tensor; computed at run time, it makes the output
// dynamic, sized in eval) at the slices `indices` (input 0,
// int32) address through their innermost dimension; updates that land on the
// same slice add up, in index order, as in TFLite's kernel: float32, int8,
// uint8, int32 and int64 sums (integers wrap around), bool ORs. Quantized
// updates and output must share parameters (the raw values are added).
// As TFLite, an index tuple is checked by the flat position it reaches: the
// slice must lie inside the output, or the run fails before the write.
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// The output shape `shape_tensor` holds, checked against indices and updates
// (at prepare when constant, else at each eval).
QLITE_PREPARE_TIME Status OutputShape(const Tensor& indices, const Tensor& updates,
                                      const Tensor& shape_tensor, Shape* shape) {
  QLITE_RETURN_IF_ERROR(ReadInt32s(shape_tensor, "shape", shape));
  for (int32_t d : *shape) {
    QLITE_ENSURE(d >= 0, "shape ", ShapeToString(*shape), " has a negative size");
  }
  // updates = indices[:-1] + shape[nd:]
  const int outer = indices.rank() - 1;
  const int nd = indices.dim(outer);
  const int rank = static_cast<int>(shape->size());
  bool fits = nd <= rank && updates.rank() == outer + rank - nd;
  for (int d = 0; fits && d < updates.rank(); ++d) {
    fits = updates.dim(d) == (d < outer ? indices.dim(d) : (*shape)[nd + d - outer]);
  }
  QLITE_ENSURE(fits, "updates shape ", ShapeToString(updates.shape), " does not match indices ",
               ShapeToString(indices.shape), " and output shape ", ShapeToString(*shape));
  return Status::Ok();
}

QLITE_PREPARE_TIME Status ScatterNdPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor *indices = nullptr, *updates = nullptr, *shape_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &indices));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &updates));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &shape_tensor));
  QLITE_RETURN_IF_ERROR(CheckType(*indices, {DType::kInt32}, "indices"));
  QLITE_RETURN_IF_ERROR(CheckType(*shape_tensor, {DType::kInt32}, "shape"));
  QLITE_RETURN_IF_ERROR(CheckType(
      *updates,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt32, DType::kInt64, DType::kBool},
      "updates"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {updates->type}, "output"));
  QLITE_RETURN_IF_ERROR(CheckSameQuantization(*updates, *ctx.output(0)));
  QLITE_RETURN_IF_ERROR(CheckRank(*shape_tensor, 1, "shape"));
  QLITE_ENSURE(indices->rank() >= 1 && updates->rank() >= 1,
               "indices and updates must have rank >= 1");
  if (!ValuesKnownAtPrepare(*shape_tensor)) return ctx.MarkOutputDynamic(0);
  Shape shape;
  QLITE_RETURN_IF_ERROR(OutputShape(*indices, *updates, *shape_tensor, &shape));
  return ctx.SetOutputShape(0, std::move(shape));
}

// bool adds as OR (TFLite's `+=` on bool); integers wrap around.
template <typename T>
void Accumulate(T* out, const T* in, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      // As bytes: a fed bool tensor may hold any byte, and loading one that
      // is not 0 or 1 as bool is undefined. Nonzero is true.
      auto* out_bytes = reinterpret_cast<uint8_t*>(out);
      const auto* in_bytes = reinterpret_cast<const uint8_t*>(in);
      out_bytes[i] = (out_bytes[i] | in_bytes[i]) != 0;
    } else if constexpr (std::is_integral_v<T>) {
      using U = std::make_unsigned_t<T>;
      out[i] = static_cast<T>(static_cast<U>(out[i]) + static_cast<U>(in[i]));
    } else {
      out[i] += in[i];
    }
  }
}

// Where each slice starts in the output, checked by flat position as TFLite
// checks it. Strides are unsigned: hostile indices wrap (defined) and then
// fail the check; with a zero-size dimension every non-empty slice fails.
Status SliceStarts(const Tensor& indices, const Tensor& output, int64_t slice_size,
                   std::vector<int64_t>* starts) {
  const int nd = indices.dim(indices.rank() - 1);
  int64_t slices = 1;
  for (int d = 0; d + 1 < indices.rank(); ++d) slices *= indices.dim(d);
  const int64_t flat_size = output.num_elements();
  std::vector<uint64_t> strides(nd);
  for (int j = nd - 1; j >= 0; --j) {
    strides[j] = j == nd - 1 ? slice_size : strides[j + 1] * output.dim(j + 1);
  }
  const int32_t* index = indices.data_as<int32_t>();
  starts->resize(slices);
  for (int64_t s = 0; s < slices; ++s) {
    uint64_t sum = 0;
    for (int j = 0; j < nd; ++j) sum += static_cast<uint64_t>(index[s * nd + j]) * strides[j];
    const int64_t start = static_cast<int64_t>(sum);
    QLITE_ENSURE(start >= 0 && start <= flat_size - slice_size, "scatter_nd indices of slice ", s,
                 " point outside the output");
    (*starts)[s] = start;
  }
  return Status::Ok();
}

template <typename T>
void Scatter(const std::vector<int64_t>& starts, int64_t slice_size, const Tensor& updates,
             Tensor& output) {
  for (size_t s = 0; s < starts.size(); ++s) {
    Accumulate(output.data_as<T>() + starts[s], updates.data_as<T>() + s * slice_size, slice_size);
  }
}

Status ScatterNdEval(OpContext& ctx) {
  const Tensor& indices = *ctx.input(0);
  const Tensor& updates = *ctx.input(1);
  Tensor& output = *ctx.output(0);
  if (output.is_dynamic()) {
    Shape shape;
    QLITE_RETURN_IF_ERROR(OutputShape(indices, updates, *ctx.input(2), &shape));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, std::move(shape)));
  }
  int64_t slice_size = 1;
  for (int d = indices.dim(indices.rank() - 1); d < output.rank(); ++d) slice_size *= output.dim(d);
  std::vector<int64_t> starts;
  QLITE_RETURN_IF_ERROR(SliceStarts(indices, output, slice_size, &starts));
  if (output.bytes > 0) std::memset(output.data, 0, output.bytes);
  switch (updates.type) {
    case DType::kFloat32: Scatter<float>(starts, slice_size, updates, output); break;
    case DType::kInt8: Scatter<int8_t>(starts, slice_size, updates, output); break;
    case DType::kUInt8: Scatter<uint8_t>(starts, slice_size, updates, output); break;
    case DType::kInt32: Scatter<int32_t>(starts, slice_size, updates, output); break;
    case DType::kInt64: Scatter<int64_t>(starts, slice_size, updates, output); break;
    default: Scatter<bool>(starts, slice_size, updates, output); break;
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* ScatterNd() {
  static const KernelRegistration kRegistration = {"scatter_nd_reference", ScatterNdPrepare,
                                                   ScatterNdEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kScatterNdOptionsIO;
const OptionsIO kScatterNdOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::ScatterNdOptions);

}  // namespace qlite
