// MEAN over the axes of a constant int32 tensor (negative and repeated axes
// allowed), keep_dims or not, following TFLite's builtin kernel
// (kernels/reduce.cc, EvalMean):
// - float32: per output, the sum in input order divided by the count.
// - int8/uint8, rank 4, keep_dims, axes exactly {1,2} or {2,1} (the global
//   average pool of a CNN): optimized Mean4D. Raw values are summed, then
//     out = clamp(MBQM(sum, M, shift) + bias),  M = in_scale / (n * out_scale)
//   (float), bias = out_zp - round_away(in_zp * in_scale / out_scale) (float).
// - every other int8/uint8/int16 case: reference QuantizedMeanOrSum. The
//   multiplier of in_scale / out_scale absorbs 1/n by an integer division,
//     out = clamp(MBQM(sum - in_zp * n, M', shift') + out_zp).
// int16 needs zero points of 0. An empty input gives 0 (NaN for float).
// Arithmetic::kXnnpack, int8/uint8 (XNNPACK's reduce operator, which the
// delegate takes for every quantized MEAN, on every axis set): int32 sums of
// the raw values, converted as an int32 tensor whose zero point is folded
// into the output's, all in float32:
//   out = clamp(round_even(float(sum) * S + B)),  S = (in_scale / out_scale) * (1 / n),
//   B = out_zp - float(n * in_zp) * S.
// The input zero point leaves the sum uncentred: float(sum) * S rounds
// otherwise than float(sum - n * in_zp) * S, most at large uint8 sums.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/reduce_axes.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

enum class MeanPath { kFloat, kPooled4D, kGeneralQuantized, kXnnpack };

struct MeanData : OpData {
  MeanPath path = MeanPath::kFloat;
  ReducedAxes axes;
  int32_t multiplier = 0;
  int shift = 0;
  int32_t in_zero_point = 0;
  int32_t bias = 0;  // kPooled4D: added after scaling; otherwise the out zero point
  int32_t qmin = 0, qmax = 0;
  float xnnpack_scale = 0.0f;  // kXnnpack: S = (in_scale / out_scale) * (1 / n)
  float xnnpack_bias = 0.0f;   // kXnnpack: B = out_zp - float(n * in_zp) * S
  int sums_scratch = -1;       // one accumulator per output element
};

void MeanFloat(const MeanData& d, const Tensor& input, float* output, float* sums) {
  SumReducedInputs(d.axes, input, sums);
  for (int64_t o = 0; o < d.axes.out_count; ++o) {
    output[o] = sums[o] / static_cast<float>(d.axes.reduced_count);
  }
}

// kXnnpack's output value of a raw sum: clamp(round_even(float(sum) * S + B)).
[[gnu::noinline]] int32_t XnnpackMean(const MeanData& d, int32_t sum) {
  const float y = static_cast<float>(sum) * d.xnnpack_scale + d.xnnpack_bias;
  const float clamped =
      std::min(std::max(y, static_cast<float>(d.qmin)), static_cast<float>(d.qmax));
  return static_cast<int32_t>(std::nearbyint(clamped));
}

template <typename T>
void MeanQuantized(const MeanData& d, const Tensor& input, T* output, int32_t* sums) {
  // int32 sums wrap around like TFLite's (AddTensorValuesWithExpectedOverflow).
  SumReducedInputs(d.axes, input, sums);
  if (d.path == MeanPath::kXnnpack) {
    for (int64_t o = 0; o < d.axes.out_count; ++o)
      output[o] = static_cast<T>(XnnpackMean(d, sums[o]));
    return;
  }
  for (int64_t o = 0; o < d.axes.out_count; ++o) {
    int32_t value = 0;
    if (d.path == MeanPath::kPooled4D) {
      value = MultiplyByQuantizedMultiplier(sums[o], d.multiplier, d.shift);
    } else {
      // (sum - zp * n) is formed in int64 and truncated to int32, as TFLite.
      const int64_t centered = int64_t{sums[o]} - int64_t{d.in_zero_point} * d.axes.reduced_count;
      const auto centered32 =
          static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(centered)));
      value = MultiplyByQuantizedMultiplier(centered32, d.multiplier, d.shift);
    }
    // Both terms are bounded (|value| <= 2^31, |bias| <= 2^31): int64 is exact.
    const int64_t biased = int64_t{value} + d.bias;
    output[o] = static_cast<T>(std::clamp<int64_t>(biased, d.qmin, d.qmax));
  }
}

Status MeanEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<MeanData>();
  Tensor& output = *ctx.output(0);
  if (ShapeElementCount(d.axes.in_shape) == 0) {
    // TFLite fills the output with T's quiet NaN: NaN for float, 0 otherwise.
    if (output.type == DType::kFloat32) {
      float* out = output.data_as<float>();
      std::fill(out, out + d.axes.out_count, std::numeric_limits<float>::quiet_NaN());
    } else if (output.bytes > 0) {
      std::fill(output.data, output.data + output.bytes, uint8_t{0});
    }
    return Status::Ok();
  }
  const Tensor& input = *ctx.input(0);
  void* sums = ctx.scratch(d.sums_scratch);
  switch (input.type) {
    case DType::kFloat32:
      MeanFloat(d, input, output.data_as<float>(), static_cast<float*>(sums));
      break;
    case DType::kInt8:
      MeanQuantized(d, input, output.data_as<int8_t>(), static_cast<int32_t*>(sums));
      break;
    case DType::kUInt8:
      MeanQuantized(d, input, output.data_as<uint8_t>(), static_cast<int32_t*>(sums));
      break;
    case DType::kInt16:
      MeanQuantized(d, input, output.data_as<int16_t>(), static_cast<int32_t*>(sums));
      break;
    default: return Status::Error(StrCat("MEAN: unsupported dtype ", DTypeName(input.type)));
  }
  return Status::Ok();
}

// Optimized Mean4D's multiplier and bias (float arithmetic as TFLite's).
QLITE_PREPARE_TIME Status PreparePooled4D(const Tensor& input, const Tensor& output, MeanData* d) {
  const float in_scale = input.scale(), out_scale = output.scale();
  const float n = static_cast<float>(d->axes.reduced_count);
  float shift_of_zero = static_cast<float>(input.zero_point()) * in_scale / out_scale;
  shift_of_zero = shift_of_zero > 0 ? shift_of_zero + 0.5f : shift_of_zero - 0.5f;
  QLITE_ENSURE(std::fabs(shift_of_zero) < 1.0e9f, "input zero point ", input.zero_point(),
               " rescaled to the output scale is out of range");
  d->bias = output.zero_point() - static_cast<int32_t>(shift_of_zero);
  const float real_scale = in_scale / (n * out_scale);
  return QuantizeMultiplierChecked(real_scale, &d->multiplier, &d->shift);
}

// QuantizedMeanOrSum's multiplier: in_scale / out_scale (double), with 1/n
// folded in by an integer division after shifting by up to floor(log2 n).
QLITE_PREPARE_TIME Status PrepareGeneralQuantized(const Tensor& input, const Tensor& output,
                                                  MeanData* d) {
  int32_t multiplier = 0;
  int shift = 0;
  QLITE_RETURN_IF_ERROR(QuantizeMultiplierChecked(
      static_cast<double>(input.scale()) / static_cast<double>(output.scale()), &multiplier,
      &shift));
  const int64_t n = d->axes.reduced_count;
  int log2_n = 0;
  while ((n >> (log2_n + 1)) != 0) ++log2_n;
  const int n_shift = std::min({log2_n, 32, 31 + shift});
  d->multiplier = static_cast<int32_t>((int64_t{multiplier} << n_shift) / n);
  d->shift = shift - n_shift;
  d->bias = output.zero_point();
  return Status::Ok();
}

QLITE_PREPARE_TIME Status MeanPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = nullptr;
  const Tensor* axis_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &axis_tensor));
  const Tensor& output = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(output, {input->type}, "output"));
  auto* d = ctx.NewOpData<MeanData>();
  const bool keep_dims = ctx.options<ReducerOptions>().keep_dims;
  const int rank = input->rank();
  std::vector<int32_t> axes;
  QLITE_RETURN_IF_ERROR(ResolveReducedAxes(*input, *axis_tensor, keep_dims, &d->axes, &axes));

  if (input->type == DType::kFloat32) {
    d->path = MeanPath::kFloat;
  } else {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
    if (input->type == DType::kInt16) {
      QLITE_ENSURE(input->zero_point() == 0 && output.zero_point() == 0,
                   "int16 MEAN needs zero points of 0, has ", input->zero_point(), " and ",
                   output.zero_point());
    }
    QuantizedTypeRange(output.type, &d->qmin, &d->qmax);
    d->in_zero_point = input->zero_point();
    // TFLite matches the raw axis values here: {-3,-2} takes the general path.
    const bool pooled_axes =
        axes.size() == 2 && ((axes[0] == 1 && axes[1] == 2) || (axes[0] == 2 && axes[1] == 1));
    const bool pooled = input->type != DType::kInt16 && keep_dims && rank == 4 && pooled_axes;
    if (d->axes.reduced_count > 0) {
      if (ctx.arithmetic() == Arithmetic::kXnnpack && input->type != DType::kInt16) {
        d->path = MeanPath::kXnnpack;
        const float n = static_cast<float>(d->axes.reduced_count);
        d->xnnpack_scale = (input->scale() / output.scale()) * (1.0f / n);
        d->xnnpack_bias = static_cast<float>(output.zero_point()) -
                          n * static_cast<float>(input->zero_point()) * d->xnnpack_scale;
      } else if (pooled) {
        d->path = MeanPath::kPooled4D;
        QLITE_RETURN_IF_ERROR(PreparePooled4D(*input, output, d));
      } else {
        d->path = MeanPath::kGeneralQuantized;
        QLITE_RETURN_IF_ERROR(PrepareGeneralQuantized(*input, output, d));
      }
    }
  }
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, d->axes.out_shape));
  // float sums or int32 sums: 4 bytes per output element either way.
  return ctx.RequestScratch(static_cast<size_t>(std::max<int64_t>(d->axes.out_count, 1)) * 4,
                            &d->sums_scratch);
}

}  // namespace

namespace ref {
const KernelRegistration* Mean() {
  static const KernelRegistration kRegistration = {"mean_reference", MeanPrepare, MeanEval};
  return &kRegistration;
}
}  // namespace ref

// MEAN (and the other reductions).
constexpr OptionsField kReducerFields[] = {
    {"keep_dims", 0, FieldType::kBool, offsetof(ReducerOptions, keep_dims)},
};
extern const OptionsIO kReducerOptionsIO;
const OptionsIO kReducerOptionsIO =
    OptionsIOFor<ReducerOptions>(tfl::BuiltinOptions::ReducerOptions, kReducerFields);

}  // namespace qlite
