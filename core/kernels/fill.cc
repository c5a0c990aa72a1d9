// FILL writes `value` (input 1, a scalar; it may be a model input) into an
// output of shape `dims` (input 0, a 1-D int32/int64 tensor of sizes >= 0;
// when it is computed at run time, e.g. by SHAPE, the output is dynamic and
// sized in eval): float32, int8, int16, int32, int64 and bool, as TFLite's kernel; a
// quantized value must carry the output's scale and zero point. ZEROS_LIKE
// writes zeros of its input's shape and dtype (float32, int32, int64).
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

Status CheckDims(const Shape& dims) {
  for (int32_t d : dims) {
    QLITE_ENSURE(d >= 0, "dims ", ShapeToString(dims), " has a negative size");
  }
  return Status::Ok();
}

Status FillPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor *dims_tensor = nullptr, *value = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &dims_tensor));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &value));
  QLITE_RETURN_IF_ERROR(CheckType(
      *value,
      {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64, DType::kBool},
      "value"));
  QLITE_ENSURE(value->num_elements() == 1 && value->rank() == 0, "value tensor '", value->name(),
               "' must be a scalar, has shape ", ShapeToString(value->shape));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {value->type}, "output"));
  QLITE_RETURN_IF_ERROR(CheckSameQuantization(*value, *ctx.output(0)));
  QLITE_RETURN_IF_ERROR(CheckRank(*dims_tensor, 1, "dims"));
  QLITE_RETURN_IF_ERROR(CheckType(*dims_tensor, {DType::kInt32, DType::kInt64}, "dims"));
  if (!ValuesKnownAtPrepare(*dims_tensor)) return ctx.MarkOutputDynamic(0);
  Shape dims;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*dims_tensor, "dims", &dims));
  QLITE_RETURN_IF_ERROR(CheckDims(dims));
  return ctx.SetOutputShape(0, std::move(dims));
}

Status FillEval(OpContext& ctx) {
  const Tensor& value = *ctx.input(1);
  Tensor& output = *ctx.output(0);
  if (output.is_dynamic()) {
    Shape dims;
    QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(0), "dims", &dims));
    QLITE_RETURN_IF_ERROR(CheckDims(dims));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, std::move(dims)));
  }
  const size_t element = DTypeSize(value.type);
  for (size_t at = 0; at + element <= output.bytes; at += element) {
    std::memcpy(output.data + at, value.data, element);
  }
  return Status::Ok();
}

Status ZerosLikePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt32, DType::kInt64}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "output"));
  return ctx.SetOutputShape(0, input->shape);
}

// All-zero bytes are 0 in each of these dtypes (0.0f included).
Status ZerosLikeEval(OpContext& ctx) {
  Tensor& output = *ctx.output(0);
  if (output.bytes > 0) std::memset(output.data, 0, output.bytes);
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Fill() {
  static const KernelRegistration kRegistration = {"fill_reference", FillPrepare, FillEval};
  return &kRegistration;
}
const KernelRegistration* ZerosLike() {
  static const KernelRegistration kRegistration = {"zeros_like_reference", ZerosLikePrepare,
                                                   ZerosLikeEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kFillOptionsIO, kZerosLikeOptionsIO;
const OptionsIO kFillOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::FillOptions);
const OptionsIO kZerosLikeOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::ZerosLikeOptions);

}  // namespace qlite
