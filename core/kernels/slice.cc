// SLICE: output[i] = input[begin + i] over a box of `size` per dimension, as
// TFLite's kernel does it: float32, int8, uint8, int16, int32, int64 and bool
// (bytes are copied). begin and size are 1-D int32/int64 tensors with one
// entry per input dimension; size -1 takes the rest of the dimension. Either
// may be computed at run time: begin is then checked at every eval, and a
// run-time size (or size -1 with a run-time begin) makes the output
// dynamic, sized in eval.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

constexpr int kMaxRank = 5;  // TFLite's limit

using Begin = std::array<int32_t, kMaxRank>;

struct SliceData : OpData {
  bool begin_known = false;  // false: begin is an input, read at eval
  Begin begin{};
  Shape out_shape;
};

// begin as an input: its values are known at eval only.
Status ReadBegin(const Tensor& t, int rank, Begin* begin) {
  for (int i = 0; i < rank; ++i) {
    if (t.type == DType::kInt32) {
      (*begin)[i] = t.data_as<int32_t>()[i];
    } else {
      const int64_t v = t.data_as<int64_t>()[i];
      QLITE_ENSURE(v >= INT32_MIN && v <= INT32_MAX, "begin value ", v, " does not fit in int32");
      (*begin)[i] = static_cast<int32_t>(v);
    }
  }
  return Status::Ok();
}

Status CheckBegin(const Tensor& input, const Begin& begin, const Shape& out_shape) {
  for (int d = 0; d < input.rank(); ++d) {
    QLITE_ENSURE(begin[d] >= 0 && int64_t{begin[d]} + out_shape[d] <= input.dim(d), "slice begin ",
                 begin[d], " size ", out_shape[d], " of dimension ", d,
                 " does not fit input shape ", ShapeToString(input.shape));
  }
  return Status::Ok();
}

// Copies the box row by row: the last dimension's run is contiguous in both.
void CopyBox(const Tensor& input, const Begin& begin, const Shape& out_shape, uint8_t* out) {
  const int rank = static_cast<int>(out_shape.size());
  const size_t element = DTypeSize(input.type);
  if (ShapeElementCount(out_shape) == 0) return;
  if (rank == 0) {
    std::memcpy(out, input.data, element);
    return;
  }
  int64_t in_strides[kMaxRank];
  in_strides[rank - 1] = 1;
  for (int d = rank - 2; d >= 0; --d) in_strides[d] = in_strides[d + 1] * input.dim(d + 1);
  const size_t run = out_shape[rank - 1] * element;
  int32_t index[kMaxRank] = {};
  while (true) {
    int64_t offset = 0;
    for (int d = 0; d < rank; ++d) offset += (begin[d] + index[d]) * in_strides[d];
    std::memcpy(out, input.data + offset * element, run);
    out += run;
    int d = rank - 2;
    for (; d >= 0; --d) {
      if (++index[d] < out_shape[d]) break;
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

// The output shape; size -1 (to the end) needs `begin` (begin_known).
Status SliceShape(const Tensor& input, const std::vector<int32_t>& size, const Begin& begin,
                  bool begin_known, Shape* out_shape) {
  out_shape->clear();
  for (int d = 0; d < input.rank(); ++d) {
    int32_t s = size[d];
    if (s == -1 && begin_known) s = input.dim(d) - begin[d];
    QLITE_ENSURE(s >= 0, "slice size ", size[d], " of dimension ", d,
                 " must be >= 0 or -1 (to the end)");
    out_shape->push_back(s);
  }
  return Status::Ok();
}

Status SlicePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor *input = nullptr, *begin_tensor = nullptr, *size_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &begin_tensor));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &size_tensor));
  QLITE_RETURN_IF_ERROR(
      CheckCopiedInput(ctx, *input,
                       {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32,
                        DType::kInt64, DType::kBool}));
  QLITE_RETURN_IF_ERROR(CheckType(*begin_tensor, {DType::kInt32, DType::kInt64}, "begin"));
  QLITE_RETURN_IF_ERROR(CheckType(*size_tensor, {begin_tensor->type}, "size"));
  const int rank = input->rank();
  QLITE_ENSURE(rank <= kMaxRank, "SLICE supports rank up to ", kMaxRank, ", input '", input->name(),
               "' has shape ", ShapeToString(input->shape));
  QLITE_RETURN_IF_ERROR(CheckRank(*begin_tensor, 1, "begin"));
  QLITE_RETURN_IF_ERROR(CheckRank(*size_tensor, 1, "size"));
  QLITE_ENSURE(begin_tensor->dim(0) == rank && size_tensor->dim(0) == rank, "begin and size need ",
               rank, " entries (the input's rank), have ", begin_tensor->dim(0), " and ",
               size_tensor->dim(0));

  auto* data = ctx.NewOpData<SliceData>();
  if (begin_tensor->is_constant() || rank == 0) {
    std::vector<int32_t> begin;
    QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*begin_tensor, "begin", &begin));
    std::copy(begin.begin(), begin.end(), data->begin.begin());
    data->begin_known = true;
  }
  if (!ValuesKnownAtPrepare(*size_tensor)) return ctx.MarkOutputDynamic(0);
  std::vector<int32_t> size;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*size_tensor, "size", &size));
  bool to_end = false;
  for (int32_t s : size) to_end |= s == -1;
  // size -1 with a run-time begin: the extent is known at eval only.
  if (to_end && !data->begin_known) return ctx.MarkOutputDynamic(0);
  QLITE_RETURN_IF_ERROR(SliceShape(*input, size, data->begin, data->begin_known, &data->out_shape));
  if (data->begin_known) {
    QLITE_RETURN_IF_ERROR(CheckBegin(*input, data->begin, data->out_shape));
  }
  return ctx.SetOutputShape(0, data->out_shape);
}

Status SliceEval(OpContext& ctx) {
  auto& d = *ctx.op_data<SliceData>();
  const Tensor& input = *ctx.input(0);
  Begin begin = d.begin;
  if (!d.begin_known) QLITE_RETURN_IF_ERROR(ReadBegin(*ctx.input(1), input.rank(), &begin));
  if (ctx.output(0)->is_dynamic()) {
    std::vector<int32_t> size;
    QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(2), "size", &size));
    QLITE_ENSURE(static_cast<int>(size.size()) == input.rank(), "size needs ", input.rank(),
                 " entries (the input's rank), has ", size.size());
    QLITE_RETURN_IF_ERROR(SliceShape(input, size, begin, true, &d.out_shape));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, d.out_shape));
  }
  if (!d.begin_known || ctx.output(0)->is_dynamic()) {
    QLITE_RETURN_IF_ERROR(CheckBegin(input, begin, d.out_shape));
  }
  CopyBox(input, begin, d.out_shape, ctx.output(0)->data);
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Slice() {
  static const KernelRegistration kRegistration = {"slice_reference", SlicePrepare, SliceEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kSliceOptionsIO;
const OptionsIO kSliceOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::SliceOptions);

}  // namespace qlite
