// DENSIFY: a sparse constant (float32, float16 or int8, the dtypes TFLite's
// kernel has) as a dense tensor of the same shape. The interpreter densifies
// every sparse constant when it binds it, so the node only copies dense
// bytes, and it is folded at prepare: it never runs.
#include <cstring>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

QLITE_PREPARE_TIME Status DensifyPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(CheckConstant(*input, "input"));
  QLITE_ENSURE(!input->def->sparsity.empty(), "input '", input->name(), "' is not sparse");
  QLITE_RETURN_IF_ERROR(
      CheckCopiedInput(ctx, *input, {DType::kFloat32, DType::kFloat16, DType::kInt8}));
  return ctx.SetOutputShape(0, input->shape);
}

Status DensifyEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  if (input.bytes > 0) std::memcpy(ctx.output(0)->data, input.data, input.bytes);
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Densify() {
  static const KernelRegistration kRegistration = {"densify_reference", DensifyPrepare,
                                                   DensifyEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kDensifyOptionsIO;
const OptionsIO kDensifyOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::DensifyOptions);

}  // namespace qlite
