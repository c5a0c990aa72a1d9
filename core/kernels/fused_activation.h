// A fused activation applied to float values in place, as TFLite's
// ApplyActivationToVector does for its recurrent kernels (SVDF, RNN), which,
// unlike the others, also take TANH and SIGN_BIT.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/op_options.h"
#include "core/quant_math.h"

namespace qlite {

inline void ApplyFusedActivationFloat(Activation activation, float* values, int64_t count) {
  if (activation == Activation::kTanh) {
    for (int64_t i = 0; i < count; ++i) values[i] = std::tanh(values[i]);
  } else if (activation == Activation::kSignBit) {
    for (int64_t i = 0; i < count; ++i) values[i] = std::signbit(values[i]) ? 1.0f : 0.0f;
  } else if (activation != Activation::kNone) {
    float lo = 0, hi = 0;
    ActivationRangeFloat(activation, &lo, &hi);  // RELU, RELU6, RELU_N1_TO_1: never fails
    for (int64_t i = 0; i < count; ++i) values[i] = std::fmin(std::fmax(values[i], lo), hi);
  }
}

}  // namespace qlite
