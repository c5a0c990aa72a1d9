// ARG_MAX and ARG_MIN along one axis (a constant one-element int32 or int64
// tensor, negative counts from the end), as TFLite's kernel: float32, int8,
// uint8, int32 and bool inputs; int32 or int64 indices (output_type). The
// first element is the running best and a later one replaces it only when
// strictly greater (less): ties give the first index, a NaN first element
// stays the answer and later NaNs are skipped. The axis dimension is dropped.
#include <cstdint>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/reduce_axes.h"

namespace qlite {
namespace {

struct ArgMinMaxData : OpData {
  int64_t outer = 1, length = 0, inner = 1;
};

// Every input dtype converts to double exactly, NaN included: one loop
// serves them all.
double ElementAsDouble(const Tensor& t, int64_t i) {
  switch (t.type) {
    case DType::kFloat32: return t.data_as<float>()[i];
    case DType::kInt32: return t.data_as<int32_t>()[i];
    case DType::kInt8: return t.data_as<int8_t>()[i];
    default: return t.data_as<uint8_t>()[i];  // uint8 and bool
  }
}

Status ArgMinMaxEval(OpContext& ctx, bool is_max) {
  const auto& d = *ctx.op_data<ArgMinMaxData>();
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  for (int64_t o = 0; o < d.outer; ++o) {
    for (int64_t i = 0; i < d.inner; ++i) {
      const int64_t base = o * d.length * d.inner + i;
      int64_t best = 0;
      double best_value = d.length > 0 ? ElementAsDouble(input, base) : 0;
      for (int64_t k = 1; k < d.length; ++k) {
        const double v = ElementAsDouble(input, base + k * d.inner);
        if (is_max ? v > best_value : v < best_value) {
          best = k;
          best_value = v;
        }
      }
      const int64_t at = o * d.inner + i;
      if (output.type == DType::kInt64) {
        output.data_as<int64_t>()[at] = best;
      } else {
        output.data_as<int32_t>()[at] = static_cast<int32_t>(best);
      }
    }
  }
  return Status::Ok();
}
Status ArgMaxEval(OpContext& ctx) { return ArgMinMaxEval(ctx, true); }
Status ArgMinEval(OpContext& ctx) { return ArgMinMaxEval(ctx, false); }

QLITE_PREPARE_TIME Status ArgMinMaxPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = nullptr;
  const Tensor* axis_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &axis_tensor));
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt32, DType::kInt8, DType::kUInt8, DType::kBool},
                "input"));
  const auto index_type = static_cast<DType>(ctx.options<ArgMinMaxOptions>().output_type);
  QLITE_ENSURE(index_type == DType::kInt32 || index_type == DType::kInt64,
               "output_type must be int32 or int64, is ", DTypeName(index_type));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {index_type}, "output"));
  QLITE_ENSURE(axis_tensor->num_elements() == 1, "axis must hold one value, has shape ",
               ShapeToString(axis_tensor->shape));
  QLITE_ENSURE(input->rank() >= 1, "input '", input->name(), "' must have rank >= 1");
  auto* d = ctx.NewOpData<ArgMinMaxData>();
  ReducedAxes r;
  std::vector<int32_t> axis;
  QLITE_RETURN_IF_ERROR(ResolveReducedAxes(*input, *axis_tensor, false, &r, &axis, true));
  const int a = axis[0] < 0 ? axis[0] + input->rank() : axis[0];
  for (int dim = 0; dim < input->rank(); ++dim) {
    if (dim < a) d->outer *= input->dim(dim);
    if (dim > a) d->inner *= input->dim(dim);
  }
  d->length = input->dim(a);
  return ctx.SetOutputShape(0, std::move(r.out_shape));
}

}  // namespace

namespace ref {
const KernelRegistration* ArgMax() {
  static const KernelRegistration kRegistration = {"arg_max_reference", ArgMinMaxPrepare,
                                                   ArgMaxEval};
  return &kRegistration;
}
const KernelRegistration* ArgMin() {
  static const KernelRegistration kRegistration = {"arg_min_reference", ArgMinMaxPrepare,
                                                   ArgMinEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kArgMinMaxFields[] = {
    {"output_type", 0, FieldType::kUInt8, offsetof(ArgMinMaxOptions, output_type)},
};
extern const OptionsIO kArgMaxOptionsIO, kArgMinOptionsIO;
const OptionsIO kArgMaxOptionsIO =
    OptionsIOFor<ArgMinMaxOptions>(tfl::BuiltinOptions::ArgMaxOptions, kArgMinMaxFields);
const OptionsIO kArgMinOptionsIO =
    OptionsIOFor<ArgMinMaxOptions>(tfl::BuiltinOptions::ArgMinOptions, kArgMinMaxFields);

}  // namespace qlite
