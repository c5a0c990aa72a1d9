// TFLite's lookup tables for quantized elementwise functions (LUTPopulate /
// LUTLookup), shared by LOGISTIC, TANH, SOFTMAX and the unary math ops.
//   8-bit: one entry per raw input byte.
//   int16: 513 anchors over the whole int16 input range, linearly
//   interpolated between them.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace qlite {

// A real function of one float with one float parameter (a bound, a scale).
using LutFunction = float (*)(float x, float param);

// TFLite's 8-bit LUTPopulate: dequantize each input value, apply f in float,
// requantize with round-half-away-from-zero and clamp. A non-finite f(x)
// gives the dtype minimum, as TFLite's float-to-int conversion does on x86.
// `table` is indexed by the raw input byte. T is int8_t or uint8_t.
template <typename T>
void PopulateInt8Lut(float input_scale, int32_t input_zero_point, float output_scale,
                     int32_t output_zero_point, LutFunction f, float param, uint8_t* table) {
  const float inverse_scale = 1.0f / output_scale;
  const int32_t qmin = std::numeric_limits<T>::min(), qmax = std::numeric_limits<T>::max();
  for (int32_t q = qmin; q <= qmax; ++q) {
    const float y = f(input_scale * static_cast<float>(q - input_zero_point), param);
    int32_t quantized = qmin;
    // A subnormal output scale makes inverse_scale infinite and 0 * inf NaN:
    // that value takes the minimum too, never an undefined float-to-int cast.
    const float rescaled = std::round(y * inverse_scale) + static_cast<float>(output_zero_point);
    if (std::isfinite(y) && !std::isnan(rescaled)) {
      quantized = static_cast<int32_t>(
          std::clamp(rescaled, static_cast<float>(qmin), static_cast<float>(qmax)));
    }
    table[static_cast<uint8_t>(static_cast<T>(q))] =
        static_cast<uint8_t>(static_cast<T>(quantized));
  }
}

constexpr int kInt16LutSize = 513;  // 512 segments + closing anchor
using Int16Lut = std::array<int16_t, kInt16LutSize>;

// TFLite's LUTPopulate<int16_t> in FloatT arithmetic (float for the unary
// math ops, double for SOFTMAX): the int16 input range, mapped to reals by
// input scale and zero point, is cut into 512 segments. Each anchor holds f
// at the segment start, biased by half the error that linear interpolation
// makes at the segment's midpoint; the last entry is f at the end of the range.
template <typename FloatT, typename Fn>
void PopulateInt16Lut(FloatT input_scale, int32_t input_zero_point, FloatT output_scale,
                      int32_t output_zero_point, Fn fn, Int16Lut* lut) {
  const FloatT input_min = input_scale * static_cast<FloatT>(-32768 - input_zero_point);
  const FloatT input_max = input_scale * static_cast<FloatT>(32767 - input_zero_point);
  const FloatT output_min = output_scale * static_cast<FloatT>(-32768 - output_zero_point);
  const FloatT output_max = output_scale * static_cast<FloatT>(32767 - output_zero_point);
  const int kSteps = kInt16LutSize - 1;
  const FloatT step = (input_max - input_min) / kSteps;
  const FloatT half_step = step / 2;
  const FloatT output_scaling_inv = static_cast<FloatT>(65536) / (output_max - output_min);
  // NaN (only from scales so large that the input range overflows) gives 0.
  auto to_table = [](FloatT v) {
    if (std::isnan(v)) return int16_t{0};
    return static_cast<int16_t>(
        std::min<FloatT>(std::max<FloatT>(v, static_cast<FloatT>(-32768)), 32767));
  };
  for (int i = 0; i < kSteps; ++i) {
    const FloatT value = fn(input_min + i * step);
    const FloatT value_midpoint = fn(input_min + i * step + half_step);
    const FloatT value_next = fn(input_min + (i + 1) * step);
    const FloatT sample = std::round(value * output_scaling_inv);
    const FloatT midpoint_interpolated =
        std::round((value_next * output_scaling_inv + std::round(value * output_scaling_inv)) / 2);
    const FloatT midpoint = std::round(value_midpoint * output_scaling_inv);
    const FloatT bias = std::round((midpoint_interpolated - midpoint) / 2);
    (*lut)[i] = to_table(sample - bias);
  }
  (*lut)[kSteps] = to_table(std::round(fn(input_max) * output_scaling_inv));
}

// TFLite's LUTLookup for int16: the top 9 bits pick a segment, the low 7 bits
// interpolate linearly to the next anchor (rounded, with int16 wrap-around
// exactly where TFLite's int16 intermediates wrap).
inline int16_t LookupInt16Lut(int16_t value, const Int16Lut& lut) {
  const int index = 256 + (value >> 7);  // 0..511
  const int offset = value & 0x7f;
  const int16_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

}  // namespace qlite
