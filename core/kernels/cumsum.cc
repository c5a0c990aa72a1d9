// CUMSUM: running sums along one axis (input 1, an int32 scalar, negative
// counts from the end), as TFLite's kernel computes them: float32, int32 and
// int64; `exclusive` starts each sum at zero, `reverse` runs from the end.
// Float sums are accumulated in axis order, one add per element.
#include "core/kernels/cumsum.h"

#include <cstdint>
#include <type_traits>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

QLITE_PREPARE_TIME Status CumsumPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = nullptr;
  const Tensor* axis = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &axis));
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt32, DType::kInt64}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "output"));
  QLITE_RETURN_IF_ERROR(CheckType(*axis, {DType::kInt32}, "axis"));
  QLITE_ENSURE(axis->num_elements() == 1, "axis must hold one value, has shape ",
               ShapeToString(axis->shape));
  QLITE_ENSURE(input->rank() >= 1, "input must have rank >= 1");
  return ctx.SetOutputShape(0, input->shape);
}

// Integer sums wrap around in two's complement (as TFLite's kernel does on
// every platform it runs on) instead of overflowing into undefined behaviour.
template <typename T, bool = std::is_integral_v<T>>
struct Sum {
  using type = T;
};
template <typename T>
struct Sum<T, true> {
  using type = std::make_unsigned_t<T>;
};
template <typename T>
using SumType = typename Sum<T>::type;

template <typename T>
void RunningSums(const T* in, T* out, int64_t outer, int64_t length, int64_t inner, bool exclusive,
                 bool reverse) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * length * inner + i;
      SumType<T> sum = 0;
      for (int64_t k = 0; k < length; ++k) {
        const int64_t at = base + (reverse ? length - 1 - k : k) * inner;
        if (exclusive) {
          out[at] = static_cast<T>(sum);
          sum += static_cast<SumType<T>>(in[at]);
        } else {
          sum += static_cast<SumType<T>>(in[at]);
          out[at] = static_cast<T>(sum);
        }
      }
    }
  }
}

Status CumsumEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const int rank = input.rank();
  int axis = ctx.input(1)->data_as<int32_t>()[0];
  QLITE_ENSURE(axis >= -rank && axis < rank, "axis ", axis, " is out of range for rank ", rank);
  if (axis < 0) axis += rank;
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= input.dim(d);
  for (int d = axis + 1; d < rank; ++d) inner *= input.dim(d);
  const int64_t length = input.dim(axis);
  const auto& o = ctx.options<CumsumOptions>();
  switch (input.type) {
    case DType::kFloat32:
      RunningSums(input.data_as<float>(), output.data_as<float>(), outer, length, inner,
                  o.exclusive, o.reverse);
      break;
    case DType::kInt32:
      RunningSums(input.data_as<int32_t>(), output.data_as<int32_t>(), outer, length, inner,
                  o.exclusive, o.reverse);
      break;
    default:
      RunningSums(input.data_as<int64_t>(), output.data_as<int64_t>(), outer, length, inner,
                  o.exclusive, o.reverse);
      break;
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Cumsum() {
  static const KernelRegistration kRegistration = {"cumsum_reference", CumsumPrepare, CumsumEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kCumsumFields[] = {
    {"exclusive", 0, FieldType::kBool, offsetof(CumsumOptions, exclusive)},
    {"reverse", 1, FieldType::kBool, offsetof(CumsumOptions, reverse)},
};
extern const OptionsIO kCumsumOptionsIO;
const OptionsIO kCumsumOptionsIO =
    OptionsIOFor<CumsumOptions>(tfl::BuiltinOptions::CumsumOptions, kCumsumFields);

}  // namespace qlite
