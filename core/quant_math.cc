#include "core/quant_math.h"

#include <algorithm>
#include <cmath>

#include "core/fixed_point.h"

namespace qlite {

void QuantizeMultiplier(double real_multiplier, int32_t* multiplier, int* shift) {
  if (real_multiplier == 0.0 || !std::isfinite(real_multiplier)) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(real_multiplier, shift);
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {  // frexp's mantissa rounded up to 1.0
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {  // every bit would be shifted out: the product is 0
    *shift = 0;
    q_fixed = 0;
  }
  *multiplier = static_cast<int32_t>(q_fixed);
}

Status QuantizeMultiplierChecked(double real_multiplier, int32_t* multiplier, int* shift,
                                 int max_left_shift) {
  QLITE_ENSURE(std::isfinite(real_multiplier) && real_multiplier >= 0.0,
               "invalid quantization: effective scale multiplier ", real_multiplier,
               " is not a finite non-negative number");
  QuantizeMultiplier(real_multiplier, multiplier, shift);
  QLITE_ENSURE(*shift <= max_left_shift, "invalid quantization: effective scale multiplier ",
               real_multiplier, " is too large (scales differ by more than 2^", max_left_shift,
               ")");
  return Status::Ok();
}

int32_t XnnpackRequantize(int32_t acc, float scale, int32_t zero_point, int32_t act_min,
                          int32_t act_max) {
  float y = static_cast<float>(acc) * scale;
  y = std::min(std::max(y, static_cast<float>(act_min - zero_point)),
               static_cast<float>(act_max - zero_point));
  return static_cast<int32_t>(std::nearbyint(y)) + zero_point;
}

std::vector<float> XnnpackChannelScales(DType type, float input_scale,
                                        const std::vector<float>& filter_scales, float output_scale,
                                        int channels) {
  const float limit = type == DType::kUInt8 ? 1.0f : 256.0f;
  std::vector<float> scales(channels);
  for (int c = 0; c < channels; ++c) {
    const float filter_scale = filter_scales.size() == 1 ? filter_scales[0] : filter_scales[c];
    scales[c] = XnnpackRequantizationScale(input_scale, filter_scale, output_scale);
    if (!std::isnormal(scales[c]) || scales[c] <= 0.0f || scales[c] >= limit) return {};
  }
  return scales;
}

Status PerChannelMultipliers(float input_scale, const std::vector<float>& filter_scales,
                             float output_scale, int channels, std::vector<int32_t>* multipliers,
                             std::vector<int32_t>* shifts) {
  QLITE_ENSURE(filter_scales.size() == 1 || static_cast<int>(filter_scales.size()) == channels,
               "filter has ", filter_scales.size(), " scales but ", channels, " output channels");
  multipliers->resize(channels);
  shifts->resize(channels);
  for (int c = 0; c < channels; ++c) {
    const float filter_scale = filter_scales.size() == 1 ? filter_scales[0] : filter_scales[c];
    QLITE_ENSURE(std::isfinite(filter_scale) && filter_scale > 0.0f, "filter scale of channel ", c,
                 " is ", filter_scale, " (must be finite and > 0)");
    int shift = 0;
    QLITE_RETURN_IF_ERROR(
        QuantizeMultiplierChecked(ConvChannelMultiplier(input_scale, filter_scale, output_scale),
                                  &(*multipliers)[c], &shift));
    (*shifts)[c] = shift;
  }
  return Status::Ok();
}

Status ActivationRangeFloat(Activation activation, float* act_min, float* act_max) {
  constexpr float kLowest = std::numeric_limits<float>::lowest();
  constexpr float kHighest = std::numeric_limits<float>::max();
  switch (activation) {
    case Activation::kNone: *act_min = kLowest, *act_max = kHighest; return Status::Ok();
    case Activation::kRelu: *act_min = 0.0f, *act_max = kHighest; return Status::Ok();
    case Activation::kRelu6: *act_min = 0.0f, *act_max = 6.0f; return Status::Ok();
    case Activation::kReluN1To1: *act_min = -1.0f, *act_max = 1.0f; return Status::Ok();
    default:
      return Status::Error(
          StrCat("fused activation ", ActivationName(activation), " is not supported"));
  }
}

void QuantizedTypeRange(DType type, int32_t* qmin, int32_t* qmax) {
  switch (type) {
    case DType::kUInt8:
      *qmin = 0;
      *qmax = 255;
      return;
    case DType::kInt16:
      *qmin = -32768;
      *qmax = 32767;
      return;
    case DType::kInt32:
      *qmin = std::numeric_limits<int32_t>::min();
      *qmax = std::numeric_limits<int32_t>::max();
      return;
    default:  // int8
      *qmin = -128;
      *qmax = 127;
      return;
  }
}

Status ActivationRangeQuantized(Activation activation, const Tensor& output, int32_t* act_min,
                                int32_t* act_max) {
  float lo = 0.0f, hi = 0.0f;
  QLITE_RETURN_IF_ERROR(ActivationRangeFloat(activation, &lo, &hi));
  ClampRangeQuantized(lo, hi, output, act_min, act_max);
  return Status::Ok();
}

Status XnnpackActivationRange(Activation activation, const Tensor& output, int32_t* act_min,
                              int32_t* act_max) {
  float lo = 0.0f, hi = 0.0f;
  QLITE_RETURN_IF_ERROR(ActivationRangeFloat(activation, &lo, &hi));
  int32_t qmin = 0, qmax = 0;
  QuantizedTypeRange(output.type, &qmin, &qmax);
  const float scale = output.scale();
  const auto zero_point = static_cast<float>(output.zero_point());
  // An open side (float lowest / max) divides to +-inf or beyond the limits.
  auto quantize = [&](float f) {
    const float q = std::min(std::max(f / scale + zero_point, static_cast<float>(qmin)),
                             static_cast<float>(qmax));
    return static_cast<int32_t>(std::nearbyint(q));
  };
  *act_min = quantize(lo);
  *act_max = quantize(hi);
  return Status::Ok();
}

void ClampRangeQuantized(float lo, float hi, const Tensor& output, int32_t* act_min,
                         int32_t* act_max) {
  int32_t qmin = 0, qmax = 0;
  QuantizedTypeRange(output.type, &qmin, &qmax);
  const float scale = output.scale();
  const int32_t zero_point = output.zero_point();
  // Same expression as TFLite: float division, std::round, then int32.
  auto quantize = [&](float f) -> int32_t {
    const float q = std::round(f / scale);
    if (!(q > -2147483648.0f)) return std::numeric_limits<int32_t>::min();
    if (!(q < 2147483647.0f)) return std::numeric_limits<int32_t>::max();
    const int64_t v = static_cast<int64_t>(zero_point) + static_cast<int64_t>(q);
    return static_cast<int32_t>(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX));
  };
  // Each bound quantized as TFLite does; an unbounded side keeps the dtype's limit.
  *act_min = lo == std::numeric_limits<float>::lowest() ? qmin : std::max(qmin, quantize(lo));
  *act_max = hi == std::numeric_limits<float>::max() ? qmax : std::min(qmax, quantize(hi));
}

void PreprocessSoftmaxScaling(double beta, double input_scale, int input_integer_bits,
                              int32_t* multiplier, int* left_shift) {
  const double max_real_multiplier = static_cast<double>((int64_t{1} << 31) - 1);
  const double real = std::min<double>(
      beta * input_scale * static_cast<double>(int64_t{1} << (31 - input_integer_bits)),
      max_real_multiplier);
  QuantizeMultiplier(real, multiplier, left_shift);
}

int CalculateInputRadius(int input_integer_bits, int input_left_shift, int total_signed_bits) {
  const double max_input_rescaled =
      1.0 * ((1 << input_integer_bits) - 1) *
      static_cast<double>(int64_t{1} << (total_signed_bits - input_integer_bits)) /
      static_cast<double>(int64_t{1} << input_left_shift);
  return static_cast<int>(std::floor(max_input_rescaled));
}

void GetInvSqrtQuantizedMultiplierExp(int32_t input, int reverse_shift, int32_t* multiplier,
                                      int* shift) {
  namespace fp = fixed_point;
  if (input <= 1) {
    *multiplier = std::numeric_limits<int32_t>::max();
    *shift = 0;
    return;
  }
  // Normalize input into [2^27, 2^29) by factors of 4, tracking the sqrt's
  // power of two in `exponent`.
  int exponent = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++exponent;
  }
  const int left_shift_pairs = (fp::CountLeadingZeros(static_cast<uint32_t>(input)) - 1) / 2 - 1;
  exponent -= left_shift_pairs;
  input <<= 2 * left_shift_pairs;
  // x <- 1.5 x - (input / 2) x^3 in Q3, starting from x = 1.
  const int32_t half_input = fp::SaturatingRoundingMultiplyByPOT<-1>(input >> 1);
  constexpr int32_t kThreeHalves = (1 << 28) + (1 << 27);  // 1.5 in Q3
  int32_t x = fp::One<3>();
  for (int i = 0; i < 5; ++i) {
    const int32_t x3 = fp::Rescale<9, 3>(fp::Mul(fp::Mul(x, x), x));
    x = fp::Rescale<6, 3>(fp::WrappingSub(fp::Mul(kThreeHalves, x), fp::Mul(half_input, x3)));
  }
  constexpr int32_t kHalfSqrt2 = 1518500250;  // sqrt(2) / 2 in Q0
  x = fp::Mul(x, kHalfSqrt2);
  if (exponent < 0) {
    x = ShiftLeftWrapping(x, -exponent);
    exponent = 0;
  }
  *multiplier = x;
  *shift = exponent * reverse_shift;
}

Status CheckPerTensorQuant(const Tensor& t, const char* role) {
  QLITE_ENSURE(t.has_quant(), role, " tensor '", t.name(), "' (", DTypeName(t.type),
               ") has no quantization parameters");
  const float scale = t.scale();
  QLITE_ENSURE(std::isfinite(scale) && scale > 0.0f, role, " tensor '", t.name(),
               "' has invalid scale ", scale);
  int32_t qmin = 0, qmax = 0;
  QuantizedTypeRange(t.type, &qmin, &qmax);
  const int64_t zp = t.quant().zero_point[0];
  QLITE_ENSURE(zp >= qmin && zp <= qmax, role, " tensor '", t.name(), "' has zero point ", zp,
               " outside the ", DTypeName(t.type), " range");
  return Status::Ok();
}

}  // namespace qlite
