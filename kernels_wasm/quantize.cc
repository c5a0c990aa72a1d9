// QUANTIZE between 8-bit types (int8/uint8 -> int8/uint8) in SIMD128, 16
// values per step, byte-identical to the reference (core/kernels/quantize.cc,
// which also validates the node): q = clamp(MultiplyByQuantizedMultiplier(
// x - in_zp) + out_zp). The common case, a uint8 model input or output around
// an int8 graph, has equal scales: the multiplier is exactly 1 (2^30 with
// shift 1, which maps every integer to itself), so the op is a zero-point
// shift done in int16 lanes and saturating narrows. Other scales go through
// ChannelRequantization. float32 and int16/int32 inputs: reference kernel.
#include <cstdint>
#include <cstring>

#include "core/op_table.h"
#include "core/quant_math.h"
#include "kernels_wasm/requantize.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

bool IsByteType(DType type) { return type == DType::kInt8 || type == DType::kUInt8; }

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || !IsByteType(input->type) ||
      !IsByteType(output->type)) {
    return false;
  }
  // A tensor without quantization is the reference prepare's to refuse.
  if (!input->has_quant() || !output->has_quant()) return false;
  // XNNPACK's convert (the reference kernel's 'xnnpack' path) rounds other
  // scales its own way; equal scales are a zero-point shift in both.
  return ctx.arithmetic() != Arithmetic::kXnnpack || input->type != output->type ||
         input->scale() == output->scale();
}

struct SimdQuantizeData : OpData {
  bool signed_input = true, signed_output = true;
  bool unit_scale = false;       // multiplier exactly 1: a zero-point shift
  int16_t zero_point_shift = 0;  // out_zp - in_zp (unit_scale)
  int32_t input_zero_point = 0;
  simd::ChannelRequantization requant;  // one channel (other scales)
};

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  // The reference prepare validates the node and sets the output shape.
  QLITE_RETURN_IF_ERROR(FindOpRow(BuiltinOp::kQuantize)->reference()->prepare(ctx));
  const Tensor& input = *ctx.input(0);
  const Tensor& output = *ctx.output(0);
  auto* d = ctx.NewOpData<SimdQuantizeData>();
  d->signed_input = input.type == DType::kInt8;
  d->signed_output = output.type == DType::kInt8;
  d->input_zero_point = input.zero_point();
  int32_t multiplier = 0;
  int shift = 0;
  const double effective_scale =
      static_cast<double>(input.scale()) / static_cast<double>(output.scale());
  QLITE_RETURN_IF_ERROR(QuantizeMultiplierChecked(effective_scale, &multiplier, &shift));
  d->unit_scale = multiplier == (1 << 30) && shift == 1;
  d->zero_point_shift = static_cast<int16_t>(output.zero_point() - input.zero_point());
  const int32_t out_min = d->signed_output ? -128 : 0;
  const int32_t out_max = d->signed_output ? 127 : 255;
  d->requant.Init({multiplier}, {shift}, output.zero_point(), out_min, out_max,
                  simd::ChannelRequantization::OffsetMode::kExact);
  d->requant.SetAccumulatorBound(255);  // |x - in_zp| for 8-bit x and zero point
  return Status::Ok();
}

// 16 input bytes -> their int16 values (two vectors).
inline void Widen(const SimdQuantizeData& d, v128_t bytes, v128_t* lo, v128_t* hi) {
  *lo = d.signed_input ? wasm_i16x8_extend_low_i8x16(bytes) : wasm_u16x8_extend_low_u8x16(bytes);
  *hi = d.signed_input ? wasm_i16x8_extend_high_i8x16(bytes) : wasm_u16x8_extend_high_u8x16(bytes);
}

// Two int16 vectors -> 16 output bytes, saturated to the output type's range.
inline v128_t Narrow(const SimdQuantizeData& d, v128_t lo, v128_t hi) {
  return d.signed_output ? wasm_i8x16_narrow_i16x8(lo, hi) : wasm_u8x16_narrow_i16x8(lo, hi);
}

v128_t Quantize16(const SimdQuantizeData& d, v128_t bytes) {
  v128_t lo, hi;
  Widen(d, bytes, &lo, &hi);
  if (d.unit_scale) {
    // |x| <= 255 and |out_zp - in_zp| <= 383: the int16 sum is exact.
    const v128_t shift = wasm_i16x8_splat(d.zero_point_shift);
    return Narrow(d, wasm_i16x8_add(lo, shift), wasm_i16x8_add(hi, shift));
  }
  const v128_t zero_point = wasm_i32x4_splat(d.input_zero_point);
  v128_t q[4];
  const v128_t halves[2] = {lo, hi};
  for (int h = 0; h < 2; ++h) {
    const v128_t low = wasm_i32x4_sub(wasm_i32x4_extend_low_i16x8(halves[h]), zero_point);
    const v128_t high = wasm_i32x4_sub(wasm_i32x4_extend_high_i16x8(halves[h]), zero_point);
    q[2 * h] = d.requant.Apply(low, 0);  // already clamped to the output range
    q[2 * h + 1] = d.requant.Apply(high, 0);
  }
  return Narrow(d, wasm_i16x8_narrow_i32x4(q[0], q[1]), wasm_i16x8_narrow_i32x4(q[2], q[3]));
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<SimdQuantizeData>();
  const Tensor& input = *ctx.input(0);
  const auto* in = input.data_as<uint8_t>();
  auto* out = ctx.output(0)->data_as<uint8_t>();
  const int64_t count = input.num_elements();
  int64_t i = 0;
  for (; i + 16 <= count; i += 16) {
    wasm_v128_store(out + i, Quantize16(d, wasm_v128_load(in + i)));
  }
  if (i < count) {
    const int rest = static_cast<int>(count - i);
    uint8_t bytes[16] = {};
    std::memcpy(bytes, in + i, rest);
    wasm_v128_store(bytes, Quantize16(d, wasm_v128_load(bytes)));
    std::memcpy(out + i, bytes, rest);
  }
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* Quantize() {
  static const KernelRegistration registration = {"quantize_simd128", Prepare, Eval, Accepts};
  return &registration;
}
}  // namespace simd

}  // namespace qlite
