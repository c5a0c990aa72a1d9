// SELECT and SELECT_V2: output[i] = condition[i] ? x[i] : y[i], condition
// bool, x / y / output one dtype of float32, int8, uint8, int16, int32,
// int64, bool, as TFLite's kernels. Values are copied, so quantized x, y and
// output must share their parameters (converters write them so).
//   SELECT (TFLite's older rules): condition, x and y of one shape; or x and y
//     of one shape with a scalar condition, or a rank-1 condition as long as
//     x's first dimension, choosing whole slices along it (x of rank <= 6).
//   SELECT_V2: condition, x and y broadcast together (numpy rules, ranks up
//     to 6).
// Both keep the output's declared shape when every tensor holds one element,
// as TFLite does. Every layout becomes one walk over the output with a stride
// per input (0 along broadcast dimensions), and values are copied by size.
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/broadcast.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// Only the element size matters: values are copied.
template <typename T>
void SelectRow(const void*, const uint8_t* const* rows, const int64_t* steps, int64_t count,
               uint8_t* out_bytes) {
  const uint8_t* cond = rows[0];
  const T* x = reinterpret_cast<const T*>(rows[1]);
  const T* y = reinterpret_cast<const T*>(rows[2]);
  T* out = reinterpret_cast<T*>(out_bytes);
  for (int64_t i = 0; i < count; ++i) {
    out[i] = cond[i * steps[0]] != 0 ? x[i * steps[1]] : y[i * steps[2]];
  }
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  const bool v2 = ctx.op().op == BuiltinOp::kSelectV2;
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor *cond = nullptr, *x = nullptr, *y = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &cond));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &x));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &y));
  const Tensor& out = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(*cond, {DType::kBool}, "condition"));
  QLITE_RETURN_IF_ERROR(CheckType(*x,
                                  {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16,
                                   DType::kInt32, DType::kInt64, DType::kBool},
                                  "x"));
  QLITE_ENSURE(y->type == x->type && out.type == x->type,
               "x, y and the output must have one dtype");
  QLITE_RETURN_IF_ERROR(CheckSameQuantization(*x, out));
  QLITE_RETURN_IF_ERROR(CheckSameQuantization(*y, out));
  auto* d = ctx.NewOpData<RowWalkData>();  // inputs: condition, x, y
  d->num_inputs = 3;
  d->element_bytes[0] = 1;
  d->element_bytes[1] = d->element_bytes[2] = d->out_bytes = DTypeSize(x->type);
  switch (d->out_bytes) {
    case 1: d->row = SelectRow<uint8_t>; break;
    case 2: d->row = SelectRow<uint16_t>; break;
    case 4: d->row = SelectRow<uint32_t>; break;
    default: d->row = SelectRow<uint64_t>; break;
  }
  RowWalk& w = d->walk;
  w.dims.fill(1);
  constexpr int kLast = kMaxBroadcastRank - 1;
  Shape out_shape = x->shape;
  if (cond->num_elements() == 1 && x->num_elements() == 1 && y->num_elements() == 1 &&
      out.num_elements() == 1) {
    // Every tensor one element: dims and strides as they are (all 1, all
    // 0), the output shape as declared.
    out_shape = out.shape;
  } else if (cond->shape == x->shape && x->shape == y->shape) {
    w.dims[kLast] = static_cast<int32_t>(x->num_elements());
    for (auto& s : w.strides) s[kLast] = 1;
  } else {
    // SELECT's scalar or rank-1 condition broadcasts as a condition of shape
    // [] or [x.dim(0), 1, ..., 1] would.
    Shape cond_shape = cond->shape;
    if (!v2) {
      QLITE_ENSURE(
          cond->rank() == 0 || (cond->rank() == 1 && x->rank() >= 1 && cond->dim(0) == x->dim(0)),
          "SELECT needs a condition of x's shape, a scalar or a rank-1 one over x's "
          "first dimension (SELECT_V2 broadcasts)");
      QLITE_ENSURE(x->shape == y->shape, "SELECT needs x and y of one shape");
      if (cond->rank() == 1) {
        cond_shape.assign(x->rank(), 1);
        cond_shape[0] = x->dim(0);
      }
    }
    // x with y, then the condition with that. An input's strides depend on
    // its own shape only, so each broadcast gives those of its operands.
    BroadcastShape xy, all;
    Shape xy_shape;
    QLITE_RETURN_IF_ERROR(ComputeBroadcastShape(x->shape, y->shape, "SELECT", &xy, &xy_shape));
    QLITE_RETURN_IF_ERROR(ComputeBroadcastShape(cond_shape, xy_shape, "SELECT", &all, &out_shape));
    w.dims = all.dims;
    w.strides[0] = all.stride1;
    w.strides[1] = xy.stride1;
    w.strides[2] = xy.stride2;
  }
  return ctx.SetOutputShape(0, std::move(out_shape));
}

}  // namespace

namespace ref {
const KernelRegistration* Select() {
  static const KernelRegistration kRegistration = {"select_reference", Prepare, EvalRowWalk};
  return &kRegistration;
}
const KernelRegistration* SelectV2() {
  static const KernelRegistration kRegistration = {"select_v2_reference", Prepare, EvalRowWalk};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kSelectOptionsIO, kSelectV2OptionsIO;
const OptionsIO kSelectOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::SelectOptions);
const OptionsIO kSelectV2OptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::SelectV2Options);

}  // namespace qlite
