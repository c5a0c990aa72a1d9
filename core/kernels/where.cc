// WHERE with one input (tf.where(condition)): the int64 coordinates of the
// true / non-zero elements of the condition, in row-major order, as an
// output of shape [number of them, rank]. Condition dtypes as TFLite's
// kernel: bool, float32, int32, int8, uint8, int64 (raw values are compared
// with 0, so -0.0 counts as zero and NaN as non-zero). Rank 0 is refused,
// as TFLite's kernel does. The output shape depends on the values, so it is
// computed at prepare for a constant condition and is dynamic otherwise.
#include <cstdint>
#include <cstring>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

template <typename T>
int64_t CountNonZero(const Tensor& cond) {
  const T* values = cond.data_as<T>();
  int64_t count = 0;
  for (int64_t i = 0, n = cond.num_elements(); i < n; ++i) count += values[i] != T(0);
  return count;
}

template <typename T>
void WriteCoordinates(const Tensor& cond, int64_t* out) {
  const T* values = cond.data_as<T>();
  const int rank = cond.rank();
  int64_t index[8] = {};  // rank <= 8: the walk never needs more
  for (int64_t i = 0, n = cond.num_elements(); i < n; ++i) {
    if (values[i] != T(0)) {
      for (int d = 0; d < rank; ++d) *out++ = index[d];
    }
    for (int d = rank - 1; d >= 0; --d) {
      if (++index[d] < cond.dim(d)) break;
      index[d] = 0;
    }
  }
}

// Calls f<T>() for the condition's element type.
template <template <typename> class F, typename... Args>
auto ByType(DType type, Args&&... args) {
  switch (type) {
    // A bool byte other than 0 or 1 counts as true; reading it as bool
    // would be undefined.
    case DType::kBool: return F<uint8_t>()(args...);
    case DType::kFloat32: return F<float>()(args...);
    case DType::kInt32: return F<int32_t>()(args...);
    case DType::kInt8: return F<int8_t>()(args...);
    case DType::kUInt8: return F<uint8_t>()(args...);
    default: return F<int64_t>()(args...);
  }
}

template <typename T>
struct Count {
  int64_t operator()(const Tensor& cond) const { return CountNonZero<T>(cond); }
};
template <typename T>
struct Write {
  void operator()(const Tensor& cond, int64_t* out) const { WriteCoordinates<T>(cond, out); }
};

Shape WhereShape(const Tensor& cond) {
  const int64_t count = ByType<Count>(cond.type, cond);
  return {static_cast<int32_t>(count), cond.rank()};
}

QLITE_PREPARE_TIME Status WherePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* cond = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &cond));
  QLITE_RETURN_IF_ERROR(CheckType(
      *cond,
      {DType::kBool, DType::kFloat32, DType::kInt32, DType::kInt8, DType::kUInt8, DType::kInt64},
      "condition"));
  QLITE_ENSURE(cond->rank() >= 1 && cond->rank() <= 8, "condition tensor '", cond->name(),
               "' must have rank 1 to 8, has shape ", ShapeToString(cond->shape));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {DType::kInt64}, "output"));
  if (!ValuesKnownAtPrepare(*cond)) return ctx.MarkOutputDynamic(0);
  return ctx.SetOutputShape(0, WhereShape(*cond));
}

Status WhereEval(OpContext& ctx) {
  const Tensor& cond = *ctx.input(0);
  if (ctx.output(0)->is_dynamic()) QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, WhereShape(cond)));
  ByType<Write>(cond.type, cond, ctx.output(0)->data_as<int64_t>());
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Where() {
  static const KernelRegistration kRegistration = {"where_reference", WherePrepare, WhereEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kWhereOptionsIO;
const OptionsIO kWhereOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::WhereOptions);

}  // namespace qlite
