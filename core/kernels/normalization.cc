// L2_NORMALIZATION and LOCAL_RESPONSE_NORMALIZATION along the last axis.
// L2_NORMALIZATION: float32 (x / max(|v|, 1e-6)), int8 and uint8 with TFLite's
// fixed output quantization (scale 1/128, zero point 0 / 128) and its integer
// inverse square root. LOCAL_RESPONSE_NORMALIZATION: float32, rank 4.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

// Rows of the last axis: `rows` vectors of `depth` elements.
struct RowsData : OpData {
  int64_t rows = 0;
  int32_t depth = 0;
  int32_t input_zero_point = 0;
};

// The checks both ops share; `data` is created by the caller.
QLITE_PREPARE_TIME Status PrepareRows(OpContext& ctx, const char* op,
                                      std::initializer_list<DType> types, int min_rank,
                                      int max_rank, RowsData* data, const Tensor** input) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, input));
  const Tensor& in = **input;
  QLITE_RETURN_IF_ERROR(CheckType(in, types, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {in.type}, "output"));
  QLITE_ENSURE(in.rank() >= min_rank && in.rank() <= max_rank && in.num_elements() >= 0, op,
               ": input shape ", ShapeToString(in.shape), " is not of rank ", min_rank, " to ",
               max_rank);
  data->depth = in.dim(in.rank() - 1);
  data->rows = 1;
  for (int i = 0; i + 1 < in.rank(); ++i) data->rows *= in.dim(i);
  return ctx.SetOutputShape(0, in.shape);
}

// ---- L2_NORMALIZATION ----

QLITE_PREPARE_TIME Status L2NormPrepare(OpContext& ctx) {
  const Tensor* input = nullptr;
  auto* data = ctx.NewOpData<RowsData>();
  QLITE_RETURN_IF_ERROR(PrepareRows(
      ctx, "L2_NORMALIZATION", {DType::kFloat32, DType::kInt8, DType::kUInt8}, 1, 4, data, &input));
  const Activation activation = ctx.options<L2NormOptions>().activation;
  QLITE_ENSURE(activation == Activation::kNone,
               "L2_NORMALIZATION supports no fused activation, got ", ActivationName(activation));
  if (input->type == DType::kFloat32) return Status::Ok();
  const Tensor& output = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  const int64_t zero_point = input->type == DType::kInt8 ? 0 : 128;
  QLITE_ENSURE(output.scale() == 1.0f / 128 && output.zero_point() == zero_point,
               "L2_NORMALIZATION: output '", output.name(),
               "' must have scale 1/128 and zero point ", zero_point, ", has ", output.scale(),
               " and ", output.zero_point());
  data->input_zero_point = static_cast<int32_t>(input->zero_point());
  return Status::Ok();
}

void L2NormFloat(const RowsData& d, const float* in, float* out) {
  for (int64_t r = 0; r < d.rows; ++r, in += d.depth, out += d.depth) {
    float sum = 0.0f;
    for (int32_t c = 0; c < d.depth; ++c) sum += in[c] * in[c];
    const float norm = std::max(std::sqrt(sum), 1e-6f);
    for (int32_t c = 0; c < d.depth; ++c) out[c] = in[c] / norm;
  }
}

// TFLite's two integer kernels differ in how they apply 1 / |v|: int8
// requantizes x by 2^7 / |v| in one step, uint8 scales 128 * x by 1 / |v|
// (rounding once less). Both clamp to the dtype. One function serves both
// (the dtype only changes loads, stores and the clamp) to keep qlite.wasm small.
void L2NormQuantized(const RowsData& d, bool is_int8, const uint8_t* in, uint8_t* out) {
  auto value = [&](int32_t c) {
    return (is_int8 ? static_cast<int8_t>(in[c]) : in[c]) - d.input_zero_point;
  };
  const int32_t lo = is_int8 ? -128 : 0, hi = is_int8 ? 127 : 255;
  for (int64_t r = 0; r < d.rows; ++r, in += d.depth, out += d.depth) {
    // TFLite sums in int32; a row long enough to overflow wraps around
    // (2^15 elements and more), its negative sum is treated like 0.
    uint32_t sum = 0;
    for (int32_t c = 0; c < d.depth; ++c) sum += static_cast<uint32_t>(value(c) * value(c));
    int32_t multiplier = 0;
    int shift = 0;
    GetInvSqrtQuantizedMultiplierExp(static_cast<int32_t>(sum), -1, &multiplier, &shift);
    for (int32_t c = 0; c < d.depth; ++c) {
      const int32_t y = is_int8 ? MultiplyByQuantizedMultiplier(value(c), multiplier, shift + 7)
                                : 128 + MultiplyByQuantizedMultiplierSmallerThanOneExp(
                                            128 * value(c), multiplier, shift);
      out[c] = static_cast<uint8_t>(Clamp(y, lo, hi));
    }
  }
}

Status L2NormEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<RowsData>();
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  switch (input.type) {
    case DType::kFloat32:
      L2NormFloat(d, input.data_as<float>(), output.data_as<float>());
      return Status::Ok();
    default:  // int8 or uint8, checked at prepare
      L2NormQuantized(d, input.type == DType::kInt8, input.data, output.data);
      return Status::Ok();
  }
}

// ---- LOCAL_RESPONSE_NORMALIZATION ----

struct LrnData : RowsData {
  LocalResponseNormalizationOptions options;
};

QLITE_PREPARE_TIME Status LrnPrepare(OpContext& ctx) {
  const Tensor* input = nullptr;
  auto* data = ctx.NewOpData<LrnData>();
  data->options = ctx.options<LocalResponseNormalizationOptions>();
  QLITE_ENSURE(data->options.radius >= 0, "LOCAL_RESPONSE_NORMALIZATION: radius must be >= 0, got ",
               data->options.radius);
  return PrepareRows(ctx, "LOCAL_RESPONSE_NORMALIZATION", {DType::kFloat32}, 4, 4, data, &input);
}

// The window of channel c is [c - radius, c + radius] clipped to the row, as
// in TFLite's optimized kernel (the one its op resolver registers) and TF.
// Like that kernel, the window's sum of alpha * x^2 is a running sum (add the
// entering term, subtract the leaving one): an infinity or NaN in a row makes
// every later output of the row NaN, and the sums round as TFLite's do.
Status LrnEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<LrnData>();
  const auto& o = d.options;
  const float* in = ctx.input(0)->data_as<float>();
  float* out = ctx.output(0)->data_as<float>();
  const int64_t radius = o.radius;
  for (int64_t r = 0; r < d.rows; ++r, in += d.depth, out += d.depth) {
    auto term = [&](int64_t k) { return in[k] * in[k] * o.alpha; };
    float sum = 0.0f;
    for (int64_t k = 0; k < std::min<int64_t>(radius, d.depth); ++k) sum += term(k);
    for (int64_t c = 0; c < d.depth; ++c) {
      if (c + radius < d.depth) sum += term(c + radius);
      const float scale = o.bias + sum;
      if (c - radius >= 0) sum -= term(c - radius);
      // TFLite's special cases of beta (1 / s and 1 / sqrt(s) instead of pow).
      if (o.beta == 1.0f) {
        out[c] = in[c] * (1.0f / scale);
      } else if (o.beta == 0.5f) {
        out[c] = in[c] * (1.0f / std::sqrt(scale));
      } else {
        out[c] = in[c] * std::pow(scale, -o.beta);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* L2Normalization() {
  static const KernelRegistration kRegistration = {"l2_normalization_reference", L2NormPrepare,
                                                   L2NormEval};
  return &kRegistration;
}

const KernelRegistration* LocalResponseNormalization() {
  static const KernelRegistration kRegistration = {"local_response_normalization_reference",
                                                   LrnPrepare, LrnEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kL2NormFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation, offsetof(L2NormOptions, activation)},
};
extern const OptionsIO kL2NormOptionsIO;
const OptionsIO kL2NormOptionsIO =
    OptionsIOFor<L2NormOptions>(tfl::BuiltinOptions::L2NormOptions, kL2NormFields);

constexpr OptionsField kLocalResponseNormalizationFields[] = {
    {"radius", 0, FieldType::kInt32, offsetof(LocalResponseNormalizationOptions, radius)},
    {"bias", 1, FieldType::kFloat, offsetof(LocalResponseNormalizationOptions, bias)},
    {"alpha", 2, FieldType::kFloat, offsetof(LocalResponseNormalizationOptions, alpha)},
    {"beta", 3, FieldType::kFloat, offsetof(LocalResponseNormalizationOptions, beta)},
};
extern const OptionsIO kLocalResponseNormalizationOptionsIO;
const OptionsIO kLocalResponseNormalizationOptionsIO =
    OptionsIOFor<LocalResponseNormalizationOptions>(
        tfl::BuiltinOptions::LocalResponseNormalizationOptions, kLocalResponseNormalizationFields);

}  // namespace qlite
