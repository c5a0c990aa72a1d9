// Integer-only quantization arithmetic, exactly as TFLite defines it. Every
// integer kernel (reference and SIMD) calls these and nothing else, so that
// rounding is identical everywhere.
//
// real_value = scale * (quantized_value - zero_point)
// A real multiplier M is stored as a Q0.31 `multiplier` in [2^30, 2^31) and a
// power-of-two `shift` (positive = left): M = multiplier * 2^(shift - 31).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/model.h"
#include "core/op_options.h"
#include "core/status.h"
#include "core/tensor.h"

namespace qlite {

// TFLite's QuantizeMultiplier (frexp based, round half away from zero;
// shifts below -31 become multiplier 0). Accepts any finite double.
void QuantizeMultiplier(double real_multiplier, int32_t* multiplier, int* shift);

// QuantizeMultiplier plus the range checks a hostile model needs: the
// multiplier must be finite, >= 0, and its shift <= `max_left_shift`, so that
// the integer kernels never shift by more than the word width.
Status QuantizeMultiplierChecked(double real_multiplier, int32_t* multiplier, int* shift,
                                 int max_left_shift = 30);

// gemmlowp's SaturatingRoundingDoublingHighMul: round(a * b / 2^31), saturated.
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// gemmlowp's RoundingDivideByPOT: x / 2^exponent, rounding half away from zero.
// exponent in [0, 31].
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * 2^left_shift with two's-complement wrap-around (TFLite computes this in
// int32 and relies on wrapping; spelled out here so it is defined behaviour).
inline int32_t ShiftLeftWrapping(int32_t x, int left_shift) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
}

// TFLite's MultiplyByQuantizedMultiplier (double rounding variant, TFLite's
// default build): x * multiplier * 2^(shift - 31), rounded.
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(ShiftLeftWrapping(x, left_shift), multiplier), right_shift);
}

// The int64-accumulator variant used by int16x8 kernels: the multiplier is
// reduced to 16 bits and a single rounding shift is applied.
// Requires shift in [-31, 7] and |x| < 2^47.
inline int32_t MultiplyByQuantizedMultiplier(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced_multiplier =
      multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t rounded =
      x * static_cast<int64_t>(reduced_multiplier) + (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(rounded >> total_shift);
}

// For multipliers < 1 given as (multiplier, left_shift <= 0).
inline int32_t MultiplyByQuantizedMultiplierSmallerThanOneExp(int32_t x, int32_t multiplier,
                                                              int left_shift) {
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, multiplier), -left_shift);
}

// For multipliers > 1 given as (multiplier, left_shift >= 0).
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x, int32_t multiplier,
                                                           int left_shift) {
  return SaturatingRoundingDoublingHighMul(ShiftLeftWrapping(x, left_shift), multiplier);
}

// ---- Scale helpers with TFLite's exact float/double evaluation order. ----

// Per-channel conv/depthwise/FC: (double)in * (double)filter / (double)out.
inline double ConvChannelMultiplier(float input_scale, float filter_scale, float output_scale) {
  return static_cast<double>(input_scale) * static_cast<double>(filter_scale) /
         static_cast<double>(output_scale);
}

// Per-tensor FC (GetQuantizedConvolutionMultipler): the product is taken in
// float first, then divided in double.
inline double LegacyConvMultiplier(float input_scale, float filter_scale, float output_scale) {
  return static_cast<double>(input_scale * filter_scale) / static_cast<double>(output_scale);
}

// Per-output-channel multipliers and shifts for CONV_2D / DEPTHWISE_CONV_2D /
// per-channel FULLY_CONNECTED. `filter_scales` has 1 entry (broadcast) or
// `channels` entries.
Status PerChannelMultipliers(float input_scale, const std::vector<float>& filter_scales,
                             float output_scale, int channels, std::vector<int32_t>* multipliers,
                             std::vector<int32_t>* shifts);

// ---- XNNPACK's requantization (Arithmetic::kXnnpack) ----

// XNNPACK's requantization scale of a conv / depthwise / fully connected
// output channel: input_scale * filter_scale / output_scale in float32, in
// that order (XNNPACK's operator setup).
inline float XnnpackRequantizationScale(float input_scale, float filter_scale, float output_scale) {
  return input_scale * filter_scale / output_scale;
}

// XNNPACK's fp32 requantization of an int32 accumulator: the accumulator
// converted to float32 (nearest even), times `scale` in float32, clamped to
// [act_min - zero_point, act_max - zero_point], rounded to nearest with ties
// to even (XNNPACK's "magic bias" add), plus the zero point.
int32_t XnnpackRequantize(int32_t acc, float scale, int32_t zero_point, int32_t act_min,
                          int32_t act_max);

// XNNPACK's Q8 requantization of 8-bit values (its qs8 / qu8 convert and
// leaky ReLU kernels): multiplier = lrintf(256 * scale), and
// ((x - in_zp) * multiplier + out_zp * 256 + 128) >> 8 (arithmetic shift,
// ties up), which the caller clamps. XNNPACK takes scales in [2^-8, 2^7].
inline bool XnnpackQ8ScaleInRange(float scale) { return scale >= 0x1.0p-8f && scale <= 0x1.0p+7f; }
inline int32_t XnnpackQ8Multiplier(float scale) {
  return static_cast<int32_t>(std::nearbyint(256.0f * scale));
}
inline int32_t XnnpackQ8Requantize(int32_t centered, int32_t multiplier, int32_t out_zero_point) {
  return (centered * multiplier + out_zero_point * 256 + 128) >> 8;
}

// The per-channel XNNPACK scales of a quantized conv-like op, or an empty
// vector where XNNPACK refuses the node (it then runs TFLite's kernel): an
// int8 scale >= 256, a uint8 scale >= 1, or a scale that is not a positive
// normal float.
std::vector<float> XnnpackChannelScales(DType type, float input_scale,
                                        const std::vector<float>& filter_scales, float output_scale,
                                        int channels);

// ---- Activation clamping ----

// Float bounds of a fused activation; error for TANH / SIGN_BIT, which no
// TFLite kernel accepts as a fused activation.
Status ActivationRangeFloat(Activation activation, float* act_min, float* act_max);

// Quantized bounds of a fused activation for `output` (dtype int8/uint8/int16),
// as TFLite's CalculateActivationRangeQuantized.
Status ActivationRangeQuantized(Activation activation, const Tensor& output, int32_t* act_min,
                                int32_t* act_max);

// XNNPACK's quantized bounds of a fused activation (its subgraph's
// xnn_qs8_quantize / xnn_qu8_quantize of the delegate's float range):
// round_even(clamp(bound / scale + zero_point, qmin, qmax)) in float32, an
// open side at the dtype's limit. TFLite rounds bound / scale half away from
// zero before it adds the zero point: the two differ where bound / scale is
// an exact .5 (ReLU6 at scale 0.48 gives 12.5).
Status XnnpackActivationRange(Activation activation, const Tensor& output, int32_t* act_min,
                              int32_t* act_max);

// The quantized bounds of clamping to [lo, hi] (float lowest / max for an
// open side) in `output`'s parameters, as TFLite's ReluX computes them.
void ClampRangeQuantized(float lo, float hi, const Tensor& output, int32_t* act_min,
                         int32_t* act_max);

// Integer limits of a quantized dtype.
void QuantizedTypeRange(DType type, int32_t* qmin, int32_t* qmax);

// ---- Softmax / LUT helpers ----

// TFLite's PreprocessSoftmaxScaling (Q(integer_bits).(31-integer_bits) input).
void PreprocessSoftmaxScaling(double beta, double input_scale, int input_integer_bits,
                              int32_t* multiplier, int* left_shift);

// TFLite's CalculateInputRadius.
int CalculateInputRadius(int input_integer_bits, int input_left_shift, int total_signed_bits = 31);

// TFLite's GetInvSqrtQuantizedMultiplierExp: 1 / sqrt(input) as a Q0.31
// multiplier and a shift (right shift if reverse_shift is 1, left shift if it
// is -1), by 5 Newton-Raphson steps in gemmlowp fixed point. Inputs 0 and 1
// (and negative ones) give INT32_MAX, shift 0, as TFLite does.
void GetInvSqrtQuantizedMultiplierExp(int32_t input, int reverse_shift, int32_t* multiplier,
                                      int* shift);

// Saturating cast of an int32 into [qmin, qmax].
inline int32_t Clamp(int32_t x, int32_t lo, int32_t hi) { return std::min(std::max(x, lo), hi); }

// Validates a tensor's quantization for use as an int8/uint8/int16 activation:
// exactly one finite, positive scale and a zero point inside the dtype range.
Status CheckPerTensorQuant(const Tensor& t, const char* role);

}  // namespace qlite
