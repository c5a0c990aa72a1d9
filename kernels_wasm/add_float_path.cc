#include "kernels_wasm/add_float_path.h"

#include <cmath>
#include <cstdlib>

namespace qlite {
namespace simd {
Int8AddFloatPath::Int8AddFloatPath(const AddSubData& p)
    : offset1_(wasm_i16x8_splat(static_cast<int16_t>(p.input1_offset))),
      offset2_(wasm_i16x8_splat(static_cast<int16_t>(p.input2_offset))),
      scale1_(wasm_f32x4_splat(0.0f)),
      scale2_(scale1_),
      offset_(scale1_),
      limit_bits_(wasm_i32x4_splat(0)),
      act_min_(wasm_i8x16_splat(static_cast<int8_t>(p.act_min))),
      act_max_(wasm_i8x16_splat(static_cast<int8_t>(p.act_max))) {
  const int r1 = -p.input1_shift, r2 = -p.input2_shift, r_out = -p.output_shift;
  // |t_i| <= 256 needs int8 values and zero points; the merged rounding
  // needs a nonnegative output multiplier and a right shift of at least 1.
  if (p.pot_int16 || p.left_shift != 20 || std::abs(p.input1_offset) > 128 ||
      std::abs(p.input2_offset) > 128 || p.input1_multiplier < 0 || p.input2_multiplier < 0 ||
      p.output_multiplier < 0 || r1 < 0 || r2 < 0 || r_out < 1 || r_out > 62) {
    return;
  }
  // All exact in double: 31-bit multipliers times powers of two.
  const double a1 = std::ldexp(static_cast<double>(p.input1_multiplier), -11 - r1);
  const double a2 = std::ldexp(static_cast<double>(p.input2_multiplier), -11 - r2);
  const double s = std::ldexp(static_cast<double>(p.output_multiplier), -31 - r_out);
  // Upper bounds: the products round in double (relative 2^-53).
  const double bound = 256 * (a1 + a2) * s * (1 + 0x1p-40);
  const double error = bound * 0x1p-22 + 2 * s * (1 + 0x1p-40);
  if (bound + error + std::abs(p.output_offset) + 1 >= 0x1p21) return;
  const double exact_limit = 0.5 - std::ldexp(1.0, -r_out - 1) - error - 0x1p-30;
  if (exact_limit < 0.25) return;  // too few lanes would be proven
  scale1_ = wasm_f32x4_splat(static_cast<float>(a1 * s));
  scale2_ = wasm_f32x4_splat(static_cast<float>(a2 * s));
  offset_ = wasm_f32x4_splat(static_cast<float>(1.5 * (1 << 23) + p.output_offset));
  limit_bits_ = wasm_i32x4_splat(FloatLimitBits(exact_limit));
  usable_ = true;
}

}  // namespace simd
}  // namespace qlite
