// SUM, REDUCE_PROD, REDUCE_MAX, REDUCE_MIN, REDUCE_ANY and REDUCE_ALL over
// the axes of a constant int32 tensor (reduce_axes.h), keep_dims or not, as
// TFLite's builtin kernels (kernels/reduce.cc and its optimized Reduce)
// compute them:
// - each output starts at the op's identity (0, 1, the dtype's lowest or
//   max, false, true) and takes its inputs in memory order; an empty
//   reduction leaves the identity. MAX keeps acc > x ? acc : x (MIN with <),
//   so a NaN input replaces the running value and the next input replaces
//   the NaN. With no axis to reduce the output is a copy of the input.
// - integer sums and products wrap in the dtype, int8/uint8/int16 on raw
//   values, which needs equal input and output parameters (int16: zero
//   points 0).
// - SUM int8/uint8 with other output parameters: the raw values' int32 sum s,
//   then in float, as TFLite's optimized QuantizedMeanOrSum:
//     out = (T)((int32)round(s * k - in_zp * k * n) + out_zp),  k = in_scale / out_scale
//   with no clamp (n inputs per output; an empty input gives 0).
// REDUCE_PROD is float32, int32 and int64: TFLite's quantized int8/int16
// product (a per-step n-th-root rescale) is not implemented.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/kernels/kernel_util.h"
#include "core/kernels/reduce_axes.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

enum class ReduceOp : uint8_t { kSum, kProd, kMax, kMin, kAny, kAll };

struct ReduceData : OpData {
  ReduceOp op = ReduceOp::kSum;
  ReducedAxes axes;
  bool rescale = false;  // SUM int8/uint8 into other parameters
  float scale = 0, bias = 0;
  int32_t out_zero_point = 0;
  int sums_scratch = -1;
};

// One step of the reduction. Integers run in int64, loaded sign- or
// zero-extended and stored back truncated: the wrapped sums and products
// keep TFLite's low bits (two's complement), max and min their values, and
// bool (0 or 1) runs as uint8.
template <typename T>
T Combine(ReduceOp op, T acc, T x) {
  switch (op) {
    case ReduceOp::kSum:
      if constexpr (std::is_integral_v<T>) return T(uint64_t(acc) + uint64_t(x));
      return acc + x;
    case ReduceOp::kProd:
      if constexpr (std::is_integral_v<T>) return T(uint64_t(acc) * uint64_t(x));
      return acc * x;
    case ReduceOp::kMax: return acc > x ? acc : x;
    case ReduceOp::kMin: return acc < x ? acc : x;
    case ReduceOp::kAny: return T(acc || x);
    default: return T(acc && x);
  }
}

int64_t LoadInt(DType type, const void* data, int64_t i) {
  switch (type) {
    case DType::kInt8: return static_cast<const int8_t*>(data)[i];
    case DType::kInt16: return static_cast<const int16_t*>(data)[i];
    case DType::kInt32: return static_cast<const int32_t*>(data)[i];
    case DType::kInt64: return static_cast<const int64_t*>(data)[i];
    default: return static_cast<const uint8_t*>(data)[i];  // uint8 and bool
  }
}

void StoreInt(DType type, void* data, int64_t i, int64_t value) {
  switch (DTypeSize(type)) {
    case 1: static_cast<uint8_t*>(data)[i] = static_cast<uint8_t>(value); break;
    case 2: static_cast<uint16_t*>(data)[i] = static_cast<uint16_t>(value); break;
    case 4: static_cast<uint32_t*>(data)[i] = static_cast<uint32_t>(value); break;
    default: static_cast<int64_t*>(data)[i] = value; break;
  }
}

// The op's starting value: 0, 1, or the dtype's lowest (max) or highest (min).
int64_t IntIdentity(ReduceOp op, DType type) {
  const uint64_t high = type == DType::kUInt8 || type == DType::kBool
                            ? 255
                            : ~uint64_t{0} >> (65 - 8 * DTypeSize(type));
  switch (op) {
    case ReduceOp::kProd:
    case ReduceOp::kAll: return 1;
    case ReduceOp::kMax: return high == 255 ? 0 : -static_cast<int64_t>(high) - 1;
    case ReduceOp::kMin: return static_cast<int64_t>(high);
    default: return 0;
  }
}

struct RowContext {
  ReduceOp op;
  DType type;
  const void* in;
  void* out;
};

void ReduceFloatRow(const void* context, int64_t i, int64_t o, int64_t length, int64_t step) {
  const auto& c = *static_cast<const RowContext*>(context);
  const float* in = static_cast<const float*>(c.in) + i;
  float* out = static_cast<float*>(c.out) + o;
  for (int64_t k = 0; k < length; ++k, out += step) *out = Combine(c.op, *out, in[k]);
}

void ReduceIntRow(const void* context, int64_t i, int64_t o, int64_t length, int64_t step) {
  const auto& c = *static_cast<const RowContext*>(context);
  for (int64_t k = 0; k < length; ++k, o += step) {
    StoreInt(c.type, c.out, o,
             Combine(c.op, LoadInt(c.type, c.out, o), LoadInt(c.type, c.in, i + k)));
  }
}

void SumRescaled(const ReduceData& d, const Tensor& input, uint8_t* output, int32_t* sums) {
  SumReducedInputs(d.axes, input, sums);
  for (int64_t o = 0; o < d.axes.out_count; ++o) {
    const float value = std::round(static_cast<float>(sums[o]) * d.scale + d.bias);
    // Past int64 (extreme scale ratios) TFLite's cast is undefined: 0 here.
    const int64_t whole = value > -9.0e18f && value < 9.0e18f ? static_cast<int64_t>(value) : 0;
    // The int32 result's low byte is the int8 or uint8 output: it wraps.
    output[o] = static_cast<uint8_t>(static_cast<uint32_t>(whole) +
                                     static_cast<uint32_t>(d.out_zero_point));
  }
}

Status ReduceEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<ReduceData>();
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const void* in = input.data;
  void* out = output.data;
  if (d.rescale) {
    if (input.num_elements() == 0) {
      if (output.bytes > 0) std::memset(out, 0, output.bytes);
    } else {
      SumRescaled(d, input, output.data, static_cast<int32_t*>(ctx.scratch(d.sums_scratch)));
    }
    return Status::Ok();
  }
  if (!d.axes.any_reduced) {
    if (output.bytes > 0) std::memcpy(out, in, output.bytes);
    return Status::Ok();
  }
  const RowContext c = {d.op, input.type, in, out};
  if (input.type == DType::kFloat32) {
    float identity = d.op == ReduceOp::kSum ? 0.0f : 1.0f;
    if (d.op == ReduceOp::kMax) identity = std::numeric_limits<float>::lowest();
    if (d.op == ReduceOp::kMin) identity = std::numeric_limits<float>::max();
    std::fill_n(static_cast<float*>(out), d.axes.out_count, identity);
    ForEachReducedRow(d.axes, ReduceFloatRow, &c);
  } else {
    const int64_t identity = IntIdentity(d.op, input.type);
    for (int64_t o = 0; o < d.axes.out_count; ++o) StoreInt(input.type, out, o, identity);
    ForEachReducedRow(d.axes, ReduceIntRow, &c);
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status ReducePrepare(OpContext& ctx, ReduceOp op) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = nullptr;
  const Tensor* axis_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &axis_tensor));
  const Tensor& output = *ctx.output(0);
  switch (op) {
    case ReduceOp::kAny:
    case ReduceOp::kAll: QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kBool}, "input")); break;
    case ReduceOp::kProd:
      QLITE_RETURN_IF_ERROR(
          CheckType(*input, {DType::kFloat32, DType::kInt32, DType::kInt64}, "input"));
      break;
    default:
      QLITE_RETURN_IF_ERROR(CheckType(*input,
                                      {DType::kFloat32, DType::kInt32, DType::kInt64, DType::kInt8,
                                       DType::kUInt8, DType::kInt16},
                                      "input"));
  }
  QLITE_RETURN_IF_ERROR(CheckType(output, {input->type}, "output"));
  auto* d = ctx.NewOpData<ReduceData>();
  d->op = op;
  std::vector<int32_t> axes;
  QLITE_RETURN_IF_ERROR(ResolveReducedAxes(
      *input, *axis_tensor, ctx.options<ReducerOptions>().keep_dims, &d->axes, &axes));
  const bool quantized =
      input->type == DType::kInt8 || input->type == DType::kUInt8 || input->type == DType::kInt16;
  if (quantized && input->has_quant() && output.has_quant()) {
    QLITE_ENSURE(
        input->type != DType::kInt16 || (input->zero_point() == 0 && output.zero_point() == 0),
        "int16 zero points must be 0, are ", input->zero_point(), " and ", output.zero_point());
    d->rescale = op == ReduceOp::kSum && input->type != DType::kInt16 &&
                 (input->scale() != output.scale() || input->zero_point() != output.zero_point());
  }
  if (d->rescale) {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
    d->scale = input->scale() / output.scale();
    d->bias = static_cast<float>(-input->zero_point()) * d->scale *
              static_cast<float>(d->axes.reduced_count);
    d->out_zero_point = output.zero_point();
    QLITE_RETURN_IF_ERROR(ctx.RequestScratch(
        static_cast<size_t>(std::max<int64_t>(d->axes.out_count, 1)) * 4, &d->sums_scratch));
  } else if (quantized) {
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(*input, output));
  }
  return ctx.SetOutputShape(0, d->axes.out_shape);
}

QLITE_PREPARE_TIME Status SumPrepare(OpContext& ctx) { return ReducePrepare(ctx, ReduceOp::kSum); }
QLITE_PREPARE_TIME Status ProdPrepare(OpContext& ctx) {
  return ReducePrepare(ctx, ReduceOp::kProd);
}
QLITE_PREPARE_TIME Status MaxPrepare(OpContext& ctx) { return ReducePrepare(ctx, ReduceOp::kMax); }
QLITE_PREPARE_TIME Status MinPrepare(OpContext& ctx) { return ReducePrepare(ctx, ReduceOp::kMin); }
QLITE_PREPARE_TIME Status AnyPrepare(OpContext& ctx) { return ReducePrepare(ctx, ReduceOp::kAny); }
QLITE_PREPARE_TIME Status AllPrepare(OpContext& ctx) { return ReducePrepare(ctx, ReduceOp::kAll); }

}  // namespace

namespace ref {
const KernelRegistration* Sum() {
  static const KernelRegistration kRegistration = {"sum_reference", SumPrepare, ReduceEval};
  return &kRegistration;
}
const KernelRegistration* ReduceProd() {
  static const KernelRegistration kRegistration = {"reduce_prod_reference", ProdPrepare,
                                                   ReduceEval};
  return &kRegistration;
}
const KernelRegistration* ReduceMax() {
  static const KernelRegistration kRegistration = {"reduce_max_reference", MaxPrepare, ReduceEval};
  return &kRegistration;
}
const KernelRegistration* ReduceMin() {
  static const KernelRegistration kRegistration = {"reduce_min_reference", MinPrepare, ReduceEval};
  return &kRegistration;
}
const KernelRegistration* ReduceAny() {
  static const KernelRegistration kRegistration = {"reduce_any_reference", AnyPrepare, ReduceEval};
  return &kRegistration;
}
const KernelRegistration* ReduceAll() {
  static const KernelRegistration kRegistration = {"reduce_all_reference", AllPrepare, ReduceEval};
  return &kRegistration;
}
}  // namespace ref

}  // namespace qlite
