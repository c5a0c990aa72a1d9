// Elementwise activations with TFLite's builtin semantics:
//   RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1  float32, int8, uint8 (+ int16
//       for RELU/RELU6):
//       quantized inputs are requantized to the output scale, then clamped to
//       the activation's quantized bounds (TFLite's ReluX).
//   LEAKY_RELU  float32, int8, uint8, int16: one requantization multiplier for
//       x >= zero point (identity) and one for x < zero point (alpha).
//   HARD_SWISH  float32 (x * relu6(x + 3) / 6), int8, uint8: TFLite's int16
//       fixed-point algorithm (a "relu-ish" factor in [0, 1] times x).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/fixed_point.h"
#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

// Checks shared by every op here: one input, one output of the same dtype,
// which must be one of `types`; the output takes the input's shape.
QLITE_PREPARE_TIME Status PrepareUnary(OpContext& ctx, std::initializer_list<DType> types,
                                       const Tensor** input, Tensor** output) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, input));
  *output = ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(**input, types, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(**output, {(*input)->type}, "output"));
  QLITE_ENSURE((*input)->num_elements() >= 0, "input tensor '", (*input)->name(),
               "' has invalid shape ", ShapeToString((*input)->shape));
  if ((*input)->type != DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(**input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(**output, "output"));
  }
  return ctx.SetOutputShape(0, (*input)->shape);
}

// TFLite's int16 activations are symmetric: zero points must be 0.
Status CheckInt16ZeroPoints(const Tensor& input, const Tensor& output) {
  for (const Tensor* t : {&input, &output}) {
    QLITE_ENSURE(t->zero_point() == 0, "int16 tensor '", t->name(),
                 "' must have zero point 0, has ", t->zero_point());
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// RELU / RELU6 / RELU_N1_TO_1 / RELU_0_TO_1

enum class ClampOp { kRelu, kRelu6, kReluN1To1, kRelu0To1 };
// [lo, hi] per ClampOp; float max stands for no upper bound.
constexpr float kClampBounds[][2] = {
    {0.0f, std::numeric_limits<float>::max()}, {0.0f, 6.0f}, {-1.0f, 1.0f}, {0.0f, 1.0f}};

struct ClampData : OpData {
  float float_min = 0.0f, float_max = 0.0f;
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;  // input scale / output scale
  int shift = 0;
  int32_t act_min = 0, act_max = 0;
};

template <ClampOp kOp>
QLITE_PREPARE_TIME Status ClampPrepare(OpContext& ctx) {
  // TFLite has int16 kernels for RELU and RELU6 only.
  constexpr bool kHasInt16 = kOp == ClampOp::kRelu || kOp == ClampOp::kRelu6;
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  if (kHasInt16) {
    QLITE_RETURN_IF_ERROR(PrepareUnary(
        ctx, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, &input, &output));
  } else {
    QLITE_RETURN_IF_ERROR(
        PrepareUnary(ctx, {DType::kFloat32, DType::kInt8, DType::kUInt8}, &input, &output));
  }
  auto* data = ctx.NewOpData<ClampData>();
  data->float_min = kClampBounds[static_cast<int>(kOp)][0];
  data->float_max = kClampBounds[static_cast<int>(kOp)][1];
  if (input->type == DType::kFloat32) return Status::Ok();

  if (input->type == DType::kInt16) QLITE_RETURN_IF_ERROR(CheckInt16ZeroPoints(*input, *output));
  data->input_zero_point = input->zero_point();
  data->output_zero_point = output->zero_point();
  // TFLite divides the float scales first, then widens to double.
  const float ratio = input->scale() / output->scale();
  QLITE_RETURN_IF_ERROR(QuantizeMultiplierChecked(ratio, &data->multiplier, &data->shift));
  ClampRangeQuantized(data->float_min, data->float_max, *output, &data->act_min, &data->act_max);
  return Status::Ok();
}

void ClampFloat(const ClampData& data, int64_t size, const float* in, float* out) {
  for (int64_t i = 0; i < size; ++i) {
    out[i] = std::min(std::max(in[i], data.float_min), data.float_max);
  }
}

template <typename T>
void ClampQuantized(const ClampData& data, int64_t size, const T* in, T* out) {
  for (int64_t i = 0; i < size; ++i) {
    // Summed in 64 bits: a hostile scale ratio near 2^30 must not overflow.
    const int64_t requantized =
        int64_t{data.output_zero_point} +
        MultiplyByQuantizedMultiplier(static_cast<int32_t>(in[i]) - data.input_zero_point,
                                      data.multiplier, data.shift);
    out[i] = static_cast<T>(std::clamp<int64_t>(requantized, data.act_min, data.act_max));
  }
}

Status ClampEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<ClampData>();
  const int64_t size = input.num_elements();
  switch (input.type) {
    case DType::kFloat32:
      ClampFloat(data, size, input.data_as<float>(), output.data_as<float>());
      return Status::Ok();
    case DType::kInt8:
      ClampQuantized(data, size, input.data_as<int8_t>(), output.data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      ClampQuantized(data, size, input.data_as<uint8_t>(), output.data_as<uint8_t>());
      return Status::Ok();
    case DType::kInt16:
      ClampQuantized(data, size, input.data_as<int16_t>(), output.data_as<int16_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("unsupported dtype ", DTypeName(input.type)));
  }
}

// ---------------------------------------------------------------------------
// LEAKY_RELU

struct LeakyReluData : OpData {
  float alpha = 0.0f;
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t identity_multiplier = 0;  // input scale / output scale
  int identity_shift = 0;
  int32_t alpha_multiplier = 0;  // |alpha| * input scale / output scale
  int alpha_shift = 0;
  bool alpha_negative = false;  // the alpha product is negated after scaling
  // int8/uint8 under Arithmetic::kXnnpack: XNNPACK's Q8 multipliers of
  // in / out (x >= zp) and in / out * alpha (x < zp); 0: TFLite's arithmetic.
  int32_t xnnpack_positive = 0, xnnpack_negative = 0;
};

// XNNPACK's leaky ReLU multipliers (XnnpackQ8Multiplier of in / out and of
// in / out * alpha), or false where XNNPACK's delegate refuses the node.
bool XnnpackLeakyReluMultipliers(float input_scale, float output_scale, float alpha,
                                 int32_t* positive, int32_t* negative) {
  const float positive_scale = input_scale / output_scale;
  const float negative_scale = positive_scale * alpha;
  if (!XnnpackQ8ScaleInRange(positive_scale) || !XnnpackQ8ScaleInRange(std::fabs(negative_scale))) {
    return false;
  }
  *positive = XnnpackQ8Multiplier(positive_scale);
  *negative = XnnpackQ8Multiplier(negative_scale);
  return *negative != 0;
}

QLITE_PREPARE_TIME Status LeakyReluPrepare(OpContext& ctx) {
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareUnary(
      ctx, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, &input, &output));
  auto* data = ctx.NewOpData<LeakyReluData>();
  data->alpha = ctx.options<LeakyReluOptions>().alpha;
  QLITE_ENSURE(std::isfinite(data->alpha), "LEAKY_RELU alpha must be finite, got ", data->alpha);
  if (input->type == DType::kFloat32) return Status::Ok();

  if (input->type == DType::kInt16) QLITE_RETURN_IF_ERROR(CheckInt16ZeroPoints(*input, *output));
  data->input_zero_point = input->zero_point();
  data->output_zero_point = output->zero_point();
  // Evaluated in float like TFLite ((in * alpha) / out), then widened. A
  // negative alpha is quantized by magnitude; TFLite negates the product.
  const float identity_ratio = input->scale() / output->scale();
  const float alpha_ratio = input->scale() * data->alpha / output->scale();
  QLITE_RETURN_IF_ERROR(
      QuantizeMultiplierChecked(identity_ratio, &data->identity_multiplier, &data->identity_shift));
  data->alpha_negative = alpha_ratio < 0.0f;
  if (ctx.arithmetic() == Arithmetic::kXnnpack && input->type != DType::kInt16 &&
      !XnnpackLeakyReluMultipliers(input->scale(), output->scale(), data->alpha,
                                   &data->xnnpack_positive, &data->xnnpack_negative)) {
    data->xnnpack_positive = data->xnnpack_negative = 0;
  }
  return QuantizeMultiplierChecked(std::fabs(alpha_ratio), &data->alpha_multiplier,
                                   &data->alpha_shift);
}

void LeakyReluFloat(const LeakyReluData& data, int64_t size, const float* in, float* out) {
  for (int64_t i = 0; i < size; ++i) out[i] = in[i] > 0.0f ? in[i] : in[i] * data.alpha;
}

// XNNPACK's qs8 / qu8 leaky ReLU: XnnpackQ8Requantize with the multiplier
// of x's side of the zero point, clamped.
template <typename T>
T XnnpackLeakyReluElement(const LeakyReluData& data, T in) {
  const int32_t x = static_cast<int32_t>(in) - data.input_zero_point;
  const int32_t multiplier = x >= 0 ? data.xnnpack_positive : data.xnnpack_negative;
  return static_cast<T>(
      std::clamp<int32_t>(XnnpackQ8Requantize(x, multiplier, data.output_zero_point),
                          std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

template <typename T>
void LeakyReluQuantized(const LeakyReluData& data, int64_t size, const T* in, T* out) {
  if (sizeof(T) == 1 && data.xnnpack_positive != 0) {
    for (int64_t i = 0; i < size; ++i) out[i] = XnnpackLeakyReluElement(data, in[i]);
    return;
  }
  for (int64_t i = 0; i < size; ++i) {
    const int32_t x = static_cast<int32_t>(in[i]) - data.input_zero_point;
    int32_t scaled = 0;
    if (x >= 0) {
      scaled = MultiplyByQuantizedMultiplier(x, data.identity_multiplier, data.identity_shift);
    } else {
      scaled = MultiplyByQuantizedMultiplier(x, data.alpha_multiplier, data.alpha_shift);
      if (data.alpha_negative) scaled = -scaled;
    }
    out[i] = static_cast<T>(std::clamp<int64_t>(int64_t{data.output_zero_point} + scaled,
                                                std::numeric_limits<T>::min(),
                                                std::numeric_limits<T>::max()));
  }
}

Status LeakyReluEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<LeakyReluData>();
  const int64_t size = input.num_elements();
  switch (input.type) {
    case DType::kFloat32:
      LeakyReluFloat(data, size, input.data_as<float>(), output.data_as<float>());
      return Status::Ok();
    case DType::kInt8:
      LeakyReluQuantized(data, size, input.data_as<int8_t>(), output.data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      LeakyReluQuantized(data, size, input.data_as<uint8_t>(), output.data_as<uint8_t>());
      return Status::Ok();
    case DType::kInt16:
      LeakyReluQuantized(data, size, input.data_as<int16_t>(), output.data_as<int16_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("unsupported dtype ", DTypeName(input.type)));
  }
}

// ---------------------------------------------------------------------------
// HARD_SWISH
//
// Quantized algorithm (TFLite's reference HardSwish), all in int16:
//   x       = (q - input_zp) << 7                        "hires" input scale
//   x_out   = x * output_multiplier (Q15, rounding)      output scale, pre-shift
//   relu    = x * reluish_multiplier, saturated to [-1, 1] in Q15 where 1.0
//             stands for 3.0 real, then mapped to [0, 1]
//   result  = (relu * x_out, truncating) >> output exponent (rounding) + zp

struct HardSwishData : OpData {
  int32_t input_zero_point = 0, output_zero_point = 0;
  int16_t output_multiplier = 0;   // Q15, hires input scale / output scale
  int output_exponent = 0;         // <= 0
  int16_t reluish_multiplier = 0;  // Q15, hires input scale / (3 / 32768)
  int reluish_exponent = 0;
};

// TFLite's DownScaleInt32ToInt16Multiplier: Q31 -> Q15, rounded, saturated.
int16_t DownscaleMultiplierToInt16(int32_t multiplier) {
  constexpr int32_t kRounding = 1 << 15;
  if (multiplier >= std::numeric_limits<int32_t>::max() - kRounding) {
    return std::numeric_limits<int16_t>::max();
  }
  return static_cast<int16_t>((multiplier + kRounding) >> 16);
}

QLITE_PREPARE_TIME Status HardSwishPrepare(OpContext& ctx) {
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  QLITE_RETURN_IF_ERROR(
      PrepareUnary(ctx, {DType::kFloat32, DType::kInt8, DType::kUInt8}, &input, &output));
  auto* data = ctx.NewOpData<HardSwishData>();
  if (input->type == DType::kFloat32) return Status::Ok();

  data->input_zero_point = input->zero_point();
  data->output_zero_point = output->zero_point();
  // Float arithmetic in TFLite's order.
  const float hires_input_scale = (1.0f / 128.0f) * input->scale();
  const float reluish_scale = 3.0f / 32768.0f;
  const float output_ratio = hires_input_scale / output->scale();
  const float reluish_ratio = hires_input_scale / reluish_scale;

  // Exponents below -31 come back as multiplier 0 (every bit shifted out).
  int32_t multiplier = 0;
  QLITE_RETURN_IF_ERROR(
      QuantizeMultiplierChecked(output_ratio, &multiplier, &data->output_exponent));
  QLITE_ENSURE(data->output_exponent <= 0, "HARD_SWISH output scale ", output->scale(),
               " must be at least the input scale / 128 (input scale ", input->scale(), ")");
  data->output_multiplier = DownscaleMultiplierToInt16(multiplier);
  // The relu-ish rescale left-shifts (saturating) by up to its exponent; 31
  // is the most TFLite computes without overflow.
  QLITE_RETURN_IF_ERROR(
      QuantizeMultiplierChecked(reluish_ratio, &multiplier, &data->reluish_exponent, 31));
  data->reluish_multiplier = DownscaleMultiplierToInt16(multiplier);
  return Status::Ok();
}

void HardSwishFloat(int64_t size, const float* in, float* out) {
  for (int64_t i = 0; i < size; ++i) {
    const float x = in[i];
    out[i] = x * std::min(6.0f, std::max(0.0f, x + 3.0f)) / 6.0f;
  }
}

// value * 2^amount saturated to int16, amount in [0, 31].
int16_t SaturatingLeftShift16(int16_t value, int amount) {
  return fixed_point::int16::Saturate16(static_cast<int32_t>(
      std::clamp<int64_t>(static_cast<int64_t>(value) * (int64_t{1} << amount), -32768, 32767)));
}

// a * b / 2^15 truncated toward zero (SQDMULH), saturating -1 * -1.
int16_t SaturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) {
    return std::numeric_limits<int16_t>::max();
  }
  return static_cast<int16_t>((static_cast<int32_t>(a) * static_cast<int32_t>(b)) / (1 << 15));
}

template <typename T>
void HardSwishQuantized(const HardSwishData& data, int64_t size, const T* in, T* out) {
  namespace fp = fixed_point::int16;
  for (int64_t i = 0; i < size; ++i) {
    // |q - zp| <= 255, so both fit int16 exactly.
    const int16_t input_value = static_cast<int16_t>(in[i] - data.input_zero_point);
    const int16_t hires_input = static_cast<int16_t>(input_value * (1 << 7));
    const int16_t preshift_output =
        fp::SaturatingRoundingDoublingHighMul(hires_input, data.output_multiplier);

    int16_t reluish = hires_input;
    if (data.reluish_exponent > 0) {
      // All but the last bit first, so that saturation only happens in the
      // final shift, after the multiplier.
      reluish = SaturatingLeftShift16(reluish, data.reluish_exponent - 1);
    }
    reluish = fp::SaturatingRoundingDoublingHighMul(reluish, data.reluish_multiplier);
    if (data.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, 1);
    if (data.reluish_exponent < 0) {
      reluish = fp::RoundingDivideByPOT(reluish, -data.reluish_exponent);
    }
    // [-1, 1] -> [0, 1] in Q15.
    reluish = static_cast<int16_t>((static_cast<int32_t>(reluish) + (1 << 15)) >> 1);

    const int16_t preshift_result = SaturatingDoublingHighMul16(reluish, preshift_output);
    int16_t result = fp::RoundingDivideByPOT(preshift_result, -data.output_exponent);
    // TFLite adds the zero point in int16 (wrapping), then clamps.
    result = fp::Wrap16(result + data.output_zero_point);
    out[i] =
        static_cast<T>(Clamp(result, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  }
}

Status HardSwishEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<HardSwishData>();
  const int64_t size = input.num_elements();
  switch (input.type) {
    case DType::kFloat32:
      HardSwishFloat(size, input.data_as<float>(), output.data_as<float>());
      return Status::Ok();
    case DType::kInt8:
      HardSwishQuantized(data, size, input.data_as<int8_t>(), output.data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      HardSwishQuantized(data, size, input.data_as<uint8_t>(), output.data_as<uint8_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("unsupported dtype ", DTypeName(input.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* Relu() {
  static const KernelRegistration kRegistration = {"relu_reference", ClampPrepare<ClampOp::kRelu>,
                                                   ClampEval};
  return &kRegistration;
}

const KernelRegistration* Relu6() {
  static const KernelRegistration kRegistration = {"relu6_reference", ClampPrepare<ClampOp::kRelu6>,
                                                   ClampEval};
  return &kRegistration;
}

const KernelRegistration* ReluN1To1() {
  static const KernelRegistration kRegistration = {"relu_n1_to_1_reference",
                                                   ClampPrepare<ClampOp::kReluN1To1>, ClampEval};
  return &kRegistration;
}

const KernelRegistration* Relu0To1() {
  static const KernelRegistration kRegistration = {"relu_0_to_1_reference",
                                                   ClampPrepare<ClampOp::kRelu0To1>, ClampEval};
  return &kRegistration;
}

const KernelRegistration* LeakyRelu() {
  static const KernelRegistration kRegistration = {"leaky_relu_reference", LeakyReluPrepare,
                                                   LeakyReluEval};
  return &kRegistration;
}

const KernelRegistration* HardSwish() {
  static const KernelRegistration kRegistration = {"hard_swish_reference", HardSwishPrepare,
                                                   HardSwishEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kLeakyReluFields[] = {
    {"alpha", 0, FieldType::kFloat, offsetof(LeakyReluOptions, alpha)},
};
extern const OptionsIO kLeakyReluOptionsIO;
const OptionsIO kLeakyReluOptionsIO =
    OptionsIOFor<LeakyReluOptions>(tfl::BuiltinOptions::LeakyReluOptions, kLeakyReluFields);
extern const OptionsIO kHardSwishOptionsIO;
const OptionsIO kHardSwishOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::HardSwishOptions);

}  // namespace qlite
