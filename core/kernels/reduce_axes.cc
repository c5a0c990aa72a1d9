#include "core/kernels/reduce_axes.h"

#include <cstring>

#include "core/kernels/kernel_util.h"

namespace qlite {

QLITE_PREPARE_TIME Status ResolveReducedAxes(const Tensor& input, const Tensor& axis_tensor,
                                             bool keep_dims, ReducedAxes* r,
                                             std::vector<int32_t>* axes, bool int64_axes) {
  QLITE_RETURN_IF_ERROR(int64_axes ? CheckType(axis_tensor, {DType::kInt32, DType::kInt64}, "axis")
                                   : CheckType(axis_tensor, {DType::kInt32}, "axis"));
  QLITE_ENSURE(axis_tensor.rank() <= 1, "axis tensor '", axis_tensor.name(),
               "' must be a scalar or 1-D, has shape ", ShapeToString(axis_tensor.shape));
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(axis_tensor, "axis", axes));
  const int rank = input.rank();
  r->in_shape = input.shape;
  std::vector<bool> reduced(rank, false);
  if (rank > 0) {  // a scalar ignores its axes, as in TFLite
    for (int32_t axis : *axes) {
      const int64_t a = axis < 0 ? int64_t{axis} + rank : axis;
      QLITE_ENSURE(a >= 0 && a < rank, "axis ", axis, " is out of range for input '", input.name(),
                   "' of shape ", ShapeToString(input.shape));
      reduced[a] = true;
    }
  }
  r->out_shape.clear();
  r->reduced_count = 1;
  r->any_reduced = false;
  for (int dim = 0; dim < rank; ++dim) {
    if (!reduced[dim]) {
      r->out_shape.push_back(input.dim(dim));
    } else {
      r->any_reduced = true;
      r->reduced_count *= input.dim(dim);
      if (keep_dims) r->out_shape.push_back(1);
    }
  }
  r->out_count = ShapeElementCount(r->out_shape);
  r->out_strides.assign(rank, 0);
  int64_t stride = 1;
  for (int dim = rank - 1; dim >= 0; --dim) {
    if (reduced[dim]) continue;
    r->out_strides[dim] = stride;
    stride *= input.dim(dim);
  }
  return Status::Ok();
}

void ForEachReducedRow(const ReducedAxes& r, ReducedRowFn row, const void* context) {
  const int rank = static_cast<int>(r.in_shape.size());
  if (rank == 0) {
    row(context, 0, 0, 1, 0);
    return;
  }
  const int64_t count = ShapeElementCount(r.in_shape);
  const int64_t length = r.in_shape[rank - 1];
  if (count <= 0) return;
  std::vector<int32_t> index(rank, 0);
  int64_t out = 0;
  for (int64_t i = 0; i < count; i += length) {
    row(context, i, out, length, r.out_strides[rank - 1]);
    for (int dim = rank - 2; dim >= 0; --dim) {
      if (++index[dim] < r.in_shape[dim]) {
        out += r.out_strides[dim];
        break;
      }
      out -= r.out_strides[dim] * (r.in_shape[dim] - 1);
      index[dim] = 0;
    }
  }
}

namespace {

struct SumContext {
  const void* in;
  void* sums;
};

void SumFloatRow(const void* context, int64_t i, int64_t o, int64_t length, int64_t step) {
  const auto& c = *static_cast<const SumContext*>(context);
  const float* in = static_cast<const float*>(c.in) + i;
  float* sums = static_cast<float*>(c.sums) + o;
  for (int64_t k = 0; k < length; ++k, sums += step) *sums += in[k];
}

template <typename T>
void SumIntRow(const void* context, int64_t i, int64_t o, int64_t length, int64_t step) {
  const auto& c = *static_cast<const SumContext*>(context);
  const T* in = static_cast<const T*>(c.in) + i;
  uint32_t* sums = static_cast<uint32_t*>(c.sums) + o;
  for (int64_t k = 0; k < length; ++k, sums += step) *sums += static_cast<uint32_t>(in[k]);
}

}  // namespace

void SumReducedInputs(const ReducedAxes& r, const Tensor& input, void* sums) {
  std::memset(sums, 0, static_cast<size_t>(r.out_count) * 4);  // 0.0f is all zero bits too
  const SumContext c = {input.data, sums};
  switch (input.type) {
    case DType::kFloat32: ForEachReducedRow(r, SumFloatRow, &c); break;
    case DType::kInt8: ForEachReducedRow(r, SumIntRow<int8_t>, &c); break;
    case DType::kInt16: ForEachReducedRow(r, SumIntRow<int16_t>, &c); break;
    default: ForEachReducedRow(r, SumIntRow<uint8_t>, &c); break;
  }
}

}  // namespace qlite
