// XNNPACK's int8 / uint8 ADD and SUB (its vadd kernel; SUB is the same
// kernel with input2's scale negated), for Arithmetic::kXnnpack. Each input's
// scale over the output scale becomes a fixed-point multiplier: the float
// ratio times 2^shift, rounded to even, with shift = 20 minus the larger
// ratio's binary exponent. The int32 sum bias + a * a_multiplier +
// b * b_multiplier (bias = 2^(shift - 1) minus the zero points' products) is
// shifted right arithmetically (ties round up), plus the output zero point,
// clamped. TFLite's kernel rescales both inputs with 20 bits of headroom and
// rounds each step on its own: the two differ by 1 on some ties.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/tensor.h"

namespace qlite {

struct XnnpackAddSubParams {
  int32_t a_multiplier = 0, b_multiplier = 0, bias = 0;
  int shift = 0;  // 0: not in use (TFLite's arithmetic)
  int32_t output_zero_point = 0;
};

// Fills `p` for in1 +- in2 -> out (validated per-tensor int8 / uint8), or
// leaves it unused where XNNPACK's delegate refuses the node (an input /
// output scale ratio outside [2^-10, 2^8), or a subnormal scale).
inline void PrepareXnnpackAddSub(const Tensor& in1, const Tensor& in2, const Tensor& out,
                                 bool subtract, XnnpackAddSubParams* p) {
  *p = XnnpackAddSubParams{};
  const float out_scale = out.scale(), min_normal = std::numeric_limits<float>::min();
  if (in1.scale() < min_normal || in2.scale() < min_normal || out_scale < min_normal) return;
  const float a_ratio = in1.scale() / out_scale, b_ratio = in2.scale() / out_scale;
  if (!(a_ratio >= 0x1.0p-10f && a_ratio < 0x1.0p+8f && b_ratio >= 0x1.0p-10f &&
        b_ratio < 0x1.0p+8f)) {
    return;
  }
  // The larger ratio's binary exponent, read from its bits; scaling by
  // 2^shift is exact, and nearbyint rounds half to even as XNNPACK's lrintf.
  uint32_t max_bits = 0;
  const float max_ratio = std::max(a_ratio, b_ratio);
  std::memcpy(&max_bits, &max_ratio, sizeof(max_bits));
  p->shift = 20 - (static_cast<int>(max_bits >> 23) - 127);
  const float two_to_shift = static_cast<float>(int32_t{1} << p->shift);
  p->a_multiplier = static_cast<int32_t>(std::nearbyint(a_ratio * two_to_shift));
  p->b_multiplier = static_cast<int32_t>(std::nearbyint(b_ratio * two_to_shift));
  if (subtract) p->b_multiplier = -p->b_multiplier;
  p->bias = (int32_t{1} << (p->shift - 1)) - p->a_multiplier * in1.zero_point() -
            p->b_multiplier * in2.zero_point();
  p->output_zero_point = out.zero_point();
}

// One output element, clamped to [act_min, act_max]. |a|, |b| <= 255 and
// the multipliers stay under 2^21: the sum fits int32.
inline int32_t XnnpackAddSubElement(const XnnpackAddSubParams& p, int32_t a, int32_t b,
                                    int32_t act_min, int32_t act_max) {
  const int32_t acc = p.bias + a * p.a_multiplier + b * p.b_multiplier;
  return std::min(std::max((acc >> p.shift) + p.output_zero_point, act_min), act_max);
}

}  // namespace qlite
