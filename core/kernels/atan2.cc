// ATAN2(y, x) elementwise, float32 and float64, as TFLite's builtin kernel:
// std::atan2, so signed zeros, infinities and NaN follow IEEE 754 / C. TFLite
// does not broadcast: both inputs must have the same shape.
#include <cmath>
#include <cstdint>

#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

QLITE_PREPARE_TIME Status Atan2Prepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* y = nullptr;
  const Tensor* x = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &y));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &x));
  QLITE_RETURN_IF_ERROR(CheckType(*y, {DType::kFloat32, DType::kFloat64}, "input y"));
  QLITE_RETURN_IF_ERROR(CheckType(*x, {y->type}, "input x"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {y->type}, "output"));
  QLITE_ENSURE(y->shape == x->shape, "ATAN2 inputs must have the same shape (no broadcasting): '",
               y->name(), "' ", ShapeToString(y->shape), " vs '", x->name(), "' ",
               ShapeToString(x->shape));
  return ctx.SetOutputShape(0, y->shape);
}

template <typename T>
void Atan2(int64_t size, const T* y, const T* x, T* out) {
  for (int64_t i = 0; i < size; ++i) out[i] = std::atan2(y[i], x[i]);
}

Status Atan2Eval(OpContext& ctx) {
  const Tensor& y = *ctx.input(0);
  const Tensor& x = *ctx.input(1);
  Tensor& output = *ctx.output(0);
  if (y.type == DType::kFloat32) {
    Atan2(y.num_elements(), y.data_as<float>(), x.data_as<float>(), output.data_as<float>());
  } else {
    Atan2(y.num_elements(), y.data_as<double>(), x.data_as<double>(), output.data_as<double>());
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Atan2() {
  static const KernelRegistration kRegistration = {"atan2_reference", Atan2Prepare, Atan2Eval};
  return &kRegistration;
}
}  // namespace ref

}  // namespace qlite
