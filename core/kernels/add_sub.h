// ADD / SUB prepare-time state, shared by the reference kernels (add_sub.cc)
// and the kernels that override ADD.
#pragma once

#include <cstdint>

#include "core/kernel_api.h"
#include "core/kernels/broadcast.h"
#include "core/kernels/int_arith.h"
#include "core/kernels/xnnpack_add_sub.h"
#include "core/quant_math.h"

namespace qlite {

enum class ArithOp { kAdd, kSub };

struct AddSubData : OpData {
  BroadcastShape broadcast;
  // float32.
  float float_min = 0.0f, float_max = 0.0f;
  // Quantized, general path.
  int left_shift = 0;  // 20 for 8-bit, 15 for int16
  int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
  int32_t input1_multiplier = 0, input2_multiplier = 0, output_multiplier = 0;
  int input1_shift = 0, input2_shift = 0, output_shift = 0;  // all <= 0
  // int16 power-of-two path: inputs are divided by 2^right_shift, no multipliers.
  bool pot_int16 = false;
  int input1_right_shift = 0, input2_right_shift = 0;  // in [0, 31]
  int32_t act_min = 0, act_max = 0;
  // int32 / int64 (int_arith.h).
  IntActivationRange int_range;
  // int8 / uint8 under Arithmetic::kXnnpack (xnnpack_add_sub.h).
  XnnpackAddSubParams xnnpack;
};

// Validates the node, fills `data` (created by the caller with
// ctx.NewOpData) and sets the output shape.
Status PrepareAddSub(OpContext& ctx, ArithOp op, AddSubData* data);

template <ArithOp kOp>
int32_t Combine(int32_t a, int32_t b) {
  return kOp == ArithOp::kAdd ? a + b : a - b;
}

// TFLite's general quantized ADD/SUB of one element pair: both inputs moved
// to a common scale with `left_shift` bits of headroom, combined, rescaled.
// The SIMD ADD uses it for row tails.
template <ArithOp kOp, typename T>
T QuantizedAddSubElement(const AddSubData& p, T a, T b) {
  const int32_t shifted1 = (p.input1_offset + a) * (1 << p.left_shift);
  const int32_t shifted2 = (p.input2_offset + b) * (1 << p.left_shift);
  const int32_t scaled1 =
      MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 =
      MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted2, p.input2_multiplier, p.input2_shift);
  const int32_t raw_output =
      MultiplyByQuantizedMultiplierSmallerThanOneExp(Combine<kOp>(scaled1, scaled2),
                                                     p.output_multiplier, p.output_shift) +
      p.output_offset;
  return static_cast<T>(Clamp(raw_output, p.act_min, p.act_max));
}

}  // namespace qlite
