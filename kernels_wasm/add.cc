// int8 ADD in SIMD128, 16 elements per step, byte-identical to the reference
// (core/kernels/add_sub.cc, TFLite's integer ADD): each input (minus its zero
// point) is shifted left by 20 bits and rescaled to the common scale, the two
// are added, and the sum is rescaled to the output scale; all three rescales
// are MultiplyByQuantizedMultiplierSmallerThanOneExp (one multiplier and one
// right shift per tensor, so the shifts are uniform across lanes).
// The two input rescales skip the 64-bit multiplies: see AddX4. Most groups
// of 16 take the float path (kernels_wasm/add_float_path.h) instead, which
// proves its results; the others run AddX4.
// Broadcasting uses the reference's BroadcastShape: the innermost dimension is
// either contiguous or broadcast (stride 1 or 0) in each input, so every
// output row is vectorized, a broadcast operand being splatted.
#include <algorithm>
#include <cstdint>

#include "core/kernels/add_sub.h"
#include "core/op_table.h"
#include "core/quant_math.h"
#include "kernels_wasm/add_float_path.h"
#include "kernels_wasm/requantize.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

QLITE_PREPARE_TIME bool AcceptsInt8(const OpContext& ctx) {
  const Tensor* in1 = ctx.input(0);
  const Tensor* in2 = ctx.input(1);
  const Tensor* out = ctx.output(0);
  // Arithmetic::kXnnpack: the reference kernel has XNNPACK's arithmetic.
  return in1 != nullptr && in2 != nullptr && out != nullptr && in1->type == DType::kInt8 &&
         in2->type == DType::kInt8 && out->type == DType::kInt8 &&
         ctx.arithmetic() == Arithmetic::kTflite;
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  return PrepareAddSub(ctx, ArithOp::kAdd, ctx.NewOpData<AddSubData>());
}

// QuantizedAddSubElement<kAdd> on int8 values: operator() on four int32
// lanes up to the clamp, Clamp on the narrowed bytes (saturating narrows keep
// [-128, 127] as it is, so clamping after them is exact).
class AddX4 {
 public:
  explicit AddX4(const AddSubData& p)
      : offset1_(wasm_i32x4_splat(p.input1_offset)),
        offset2_(wasm_i32x4_splat(p.input2_offset)),
        output_multiplier_(wasm_i32x4_splat(p.output_multiplier)),
        output_offset_(wasm_i32x4_splat(p.output_offset)),
        high1_(wasm_i32x4_splat(simd::MultiplierHigh(p.input1_multiplier))),
        high2_(wasm_i32x4_splat(simd::MultiplierHigh(p.input2_multiplier))),
        low1_(wasm_i32x4_splat(simd::MultiplierLow(p.input1_multiplier))),
        low2_(wasm_i32x4_splat(simd::MultiplierLow(p.input2_multiplier))),
        act_min_(wasm_i8x16_splat(static_cast<int8_t>(p.act_min))),
        act_max_(wasm_i8x16_splat(static_cast<int8_t>(p.act_max))),
        divide1_(-p.input1_shift),
        divide2_(-p.input2_shift),
        divide_output_(-p.output_shift) {}

  v128_t operator()(v128_t a, v128_t b) const {
    // MultiplyByQuantizedMultiplierSmallerThanOneExp((t << 20), m, shift) of
    // each input: PrepareAddSub makes the left shift 20 for int8 and keeps
    // zero points inside int8, so |t| <= 256 and the high multiply needs no
    // 64-bit products (RoundingDoublingHighMulShifted20X4).
    const v128_t scaled1 = divide1_(
        simd::RoundingDoublingHighMulShifted20X4(wasm_i32x4_add(a, offset1_), high1_, low1_));
    const v128_t scaled2 = divide2_(
        simd::RoundingDoublingHighMulShifted20X4(wasm_i32x4_add(b, offset2_), high2_, low2_));
    // The multipliers come from QuantizeMultiplier (never INT32_MIN), so the
    // saturating case of the high multiply cannot occur.
    const v128_t sum = divide_output_(
        simd::RoundingDoublingHighMulX4(wasm_i32x4_add(scaled1, scaled2), output_multiplier_));
    return wasm_i32x4_add(sum, output_offset_);
  }

  v128_t Clamp(v128_t bytes) const {
    return wasm_i8x16_min(wasm_i8x16_max(bytes, act_min_), act_max_);
  }

 private:
  v128_t offset1_, offset2_, output_multiplier_, output_offset_;
  v128_t high1_, high2_, low1_, low2_;
  v128_t act_min_, act_max_;  // int8 lanes
  simd::UniformRoundingDivideByPOT divide1_, divide2_, divide_output_;
};

// 16 int8 lanes widened to four int32 vectors.
void WidenInt8x16(v128_t v, v128_t (&out)[4]) {
  const v128_t lo = wasm_i16x8_extend_low_i8x16(v);
  const v128_t hi = wasm_i16x8_extend_high_i8x16(v);
  out[0] = wasm_i32x4_extend_low_i16x8(lo);
  out[1] = wasm_i32x4_extend_high_i16x8(lo);
  out[2] = wasm_i32x4_extend_low_i16x8(hi);
  out[3] = wasm_i32x4_extend_high_i16x8(hi);
}

// 16 outputs by the exact integer ADD (AddX4), for a group the float path
// did not prove; kept out of the loop, which rarely needs it.
__attribute__((noinline)) void AddGroupOf16Exact(const AddX4& add, v128_t a, v128_t b,
                                                 int8_t* out) {
  v128_t wide_a[4], wide_b[4];
  WidenInt8x16(a, wide_a);
  WidenInt8x16(b, wide_b);
  const v128_t bytes = simd::NarrowToInt8(add(wide_a[0], wide_b[0]), add(wide_a[1], wide_b[1]),
                                          add(wide_a[2], wide_b[2]), add(wide_a[3], wide_b[3]));
  wasm_v128_store(out, add.Clamp(bytes));
}

// out[i] = a[i * stride_a] + b[i * stride_b] for i < n; strides are 0 or 1.
void AddRow(const AddSubData& p, const AddX4& add, const simd::Int8AddFloatPath& fast,
            const int8_t* a, int64_t stride_a, const int8_t* b, int64_t stride_b, int64_t n,
            int8_t* out) {
  int64_t i = 0;
  if (n >= 16) {
    const v128_t splat_a = wasm_i8x16_splat(*a);
    const v128_t splat_b = wasm_i8x16_splat(*b);
    for (; i + 16 <= n; i += 16) {
      const v128_t va = stride_a != 0 ? wasm_v128_load(a + i) : splat_a;
      const v128_t vb = stride_b != 0 ? wasm_v128_load(b + i) : splat_b;
      if (!fast.usable() || !fast.TryAddGroupOf16(va, vb, out + i)) {
        AddGroupOf16Exact(add, va, vb, out + i);
      }
    }
  }
#if defined(__clang__)
  // Under 16 values per row: vectorized, they would only cost code size.
#pragma clang loop vectorize(disable) unroll(disable)
#endif
  for (; i < n; ++i) {
    out[i] = QuantizedAddSubElement<ArithOp::kAdd>(p, a[i * stride_a], b[i * stride_b]);
  }
}

Status Eval(OpContext& ctx) {
  const AddSubData& p = *ctx.op_data<AddSubData>();
  const int8_t* in1 = ctx.input(0)->data_as<int8_t>();
  const int8_t* in2 = ctx.input(1)->data_as<int8_t>();
  int8_t* out = ctx.output(0)->data_as<int8_t>();
  const AddX4 add(p);
  const simd::Int8AddFloatPath fast(p);
  if (p.broadcast.same_shapes) {
    // Runs of 16 values are split over the threads (each value depends on
    // its own inputs only).
    const int64_t n = p.broadcast.num_elements;
    // Work per group: ~8 multiply-adds per value.
    ctx.ParallelFor((n + 15) / 16, 16 * 8, [&](int64_t begin, int64_t end, int) {
      const int64_t first = begin * 16;
      const int64_t count = std::min(end * 16, n) - first;
      AddRow(p, add, fast, in1 + first, 1, in2 + first, 1, count, out + first);
    });
    return Status::Ok();
  }
  ForEachBroadcastRow(
      p.broadcast, in1, in2, out,
      [&](const int8_t* row1, int64_t step1, const int8_t* row2, int64_t step2, int64_t count,
          int8_t* row_out) { AddRow(p, add, fast, row1, step1, row2, step2, count, row_out); });
  return Status::Ok();
}

}  // namespace

namespace simd {
// Registered through elementwise_float.cc's ADD, which also takes float32.
const KernelRegistration* AddInt8() {
  static const KernelRegistration kRegistration = {"add_int8_simd128", Prepare, Eval, AcceptsInt8};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
