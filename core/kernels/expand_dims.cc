// EXPAND_DIMS: inserts a size-1 dimension at `axis` (input 1, an int32/int64
// holding one value in [-rank - 1, rank]; negative counts from the end of the
// output), any dtype; the bytes are unchanged. An axis computed at run time
// makes the output dynamic, sized in eval (TFLite's rule).
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// The output shape for the axis tensor's value.
QLITE_PREPARE_TIME Status ExpandedShape(const Tensor& input, const Tensor& axis_tensor,
                                        Shape* shape) {
  std::vector<int32_t> axis;
  QLITE_RETURN_IF_ERROR(ReadInt32s(axis_tensor, "axis", &axis));
  QLITE_ENSURE(axis.size() == 1, "axis tensor '", axis_tensor.name(),
               "' must hold one value, has shape ", ShapeToString(axis_tensor.shape));
  const int rank = input.rank();
  QLITE_ENSURE(axis[0] >= -rank - 1 && axis[0] <= rank, "axis ", axis[0],
               " is out of range for an input of rank ", rank, " (expected ", -rank - 1, " to ",
               rank, ")");
  const int at = axis[0] < 0 ? axis[0] + rank + 1 : axis[0];
  *shape = input.shape;
  shape->insert(shape->begin() + at, 1);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status ExpandDimsPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor *input = nullptr, *axis_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &axis_tensor));
  QLITE_RETURN_IF_ERROR(CheckCopiedInput(ctx, *input, {}));
  QLITE_ENSURE(input->type != DType::kString, "EXPAND_DIMS does not support string tensors");
  QLITE_RETURN_IF_ERROR(CheckType(*axis_tensor, {DType::kInt32, DType::kInt64}, "axis"));
  if (!ValuesKnownAtPrepare(*axis_tensor)) return ctx.MarkOutputDynamic(0);
  Shape shape;
  QLITE_RETURN_IF_ERROR(ExpandedShape(*input, *axis_tensor, &shape));
  return ctx.SetOutputShape(0, std::move(shape));
}

Status ExpandDimsEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  if (output.is_dynamic()) {
    Shape shape;
    QLITE_RETURN_IF_ERROR(ExpandedShape(input, *ctx.input(1), &shape));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, std::move(shape)));
  }
  QLITE_ENSURE(output.bytes == input.bytes, "EXPAND_DIMS: output has ", output.bytes,
               " bytes, input ", input.bytes);
  if (input.bytes > 0 && output.data != input.data) {
    std::memcpy(output.data, input.data, input.bytes);
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* ExpandDims() {
  static const KernelRegistration kRegistration = {"expand_dims_reference", ExpandDimsPrepare,
                                                   ExpandDimsEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kExpandDimsOptionsIO;
const OptionsIO kExpandDimsOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::ExpandDimsOptions);

}  // namespace qlite
