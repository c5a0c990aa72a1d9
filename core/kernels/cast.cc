// CAST between float32, float16, int8, uint8, int16, int32, int64 and bool
// (every pair, the dtypes read from the tensors as TFLite does), with the
// conversions of TFLite's kernel:
//   integer / bool -> integer   two's-complement wrap-around (bool is 0 / 1)
//   any -> bool                 value != 0 (NaN is true)
//   integer -> float16          via float32, then round to nearest even
//   float32 -> int32            truncation, saturated; NaN gives INT32_MAX
//   float32 -> int16 / uint8    truncation after a clamp to the type's range;
//                               NaN gives 0
//   float32 / float16 -> others truncation toward zero, narrowed by
//                               wrap-around; TFLite's unchecked conversion is
//                               undefined outside the target, qlite gives
//                               what LiteRT.js's wasm build gives: 0 for a
//                               negative value to uint8, and INT32_MIN
//                               (INT64_MIN) for a value outside int32 (int64)
//                               or NaN, as x86 does too.
// Each element is loaded as an int64 or a float and stored by the target's
// rule: two small switches instead of 64 typed loops.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>

#include "core/float16.h"
#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// CastOptions: the dtypes are informational (the kernel reads the tensors').
struct CastOptions {
  uint8_t in_data_type = 0, out_data_type = 0;
};

const std::initializer_list<DType> kCastTypes = {DType::kFloat32, DType::kFloat16, DType::kInt8,
                                                 DType::kUInt8,   DType::kInt16,   DType::kInt32,
                                                 DType::kInt64,   DType::kBool};

QLITE_PREPARE_TIME Status CastPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(CheckType(*input, kCastTypes, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), kCastTypes, "output"));
  return ctx.SetOutputShape(0, input->shape);
}

// One element, as an integer or as a float.
struct Element {
  bool is_float;
  float f;
  int64_t i;
};

Element Load(DType type, const void* data, int64_t k) {
  switch (type) {
    case DType::kFloat32: return {true, static_cast<const float*>(data)[k], 0};
    case DType::kFloat16: return {true, HalfToFloat(static_cast<const uint16_t*>(data)[k]), 0};
    case DType::kInt8: return {false, 0, static_cast<const int8_t*>(data)[k]};
    case DType::kUInt8: return {false, 0, static_cast<const uint8_t*>(data)[k]};
    case DType::kInt16: return {false, 0, static_cast<const int16_t*>(data)[k]};
    case DType::kInt32: return {false, 0, static_cast<const int32_t*>(data)[k]};
    case DType::kInt64: return {false, 0, static_cast<const int64_t*>(data)[k]};
    default: return {false, 0, static_cast<const uint8_t*>(data)[k] != 0};  // bool
  }
}

// Truncation toward zero with x86's out-of-range / NaN result (the minimum).
int64_t TruncateOrMin(float f, bool to_int64) {
  const float limit = to_int64 ? 9223372036854775808.0f : 2147483648.0f;
  if (!(f >= -limit && f < limit)) {
    return to_int64 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int32_t>::min();
  }
  return static_cast<int64_t>(f);
}

// float -> integer value (before narrowing to the target by wrap-around).
int64_t FloatToInteger(float f, DType target, bool from_float32) {
  if (from_float32 && target == DType::kInt32) {
    if (!(f <= 2147483520.0f)) return std::numeric_limits<int32_t>::max();  // also NaN
    return static_cast<int32_t>(std::max(f, -2147483648.0f));
  }
  if (from_float32 && (target == DType::kInt16 || target == DType::kUInt8)) {
    // Clamp (NaN passes through, as std::min / std::max leave it).
    const float lo = target == DType::kInt16 ? -32768.0f : 0.0f;
    const float hi = target == DType::kInt16 ? 32767.0f : 255.0f;
    f = std::max(std::min(f, hi), lo);
  }
  if (target == DType::kUInt8 && !(f >= 0.0f)) return 0;  // float16 source: no clamp above
  return TruncateOrMin(f, target == DType::kInt64);
}

void Store(DType type, void* data, int64_t k, const Element& e, bool from_float32) {
  if (type == DType::kFloat32 || type == DType::kFloat16) {
    const float f = e.is_float ? e.f : static_cast<float>(e.i);
    if (type == DType::kFloat32) {
      static_cast<float*>(data)[k] = f;
    } else {
      static_cast<uint16_t*>(data)[k] = FloatToHalf(f);
    }
    return;
  }
  if (type == DType::kBool) {
    static_cast<uint8_t*>(data)[k] = e.is_float ? e.f != 0.0f : e.i != 0;
    return;
  }
  const int64_t v = e.is_float ? FloatToInteger(e.f, type, from_float32) : e.i;
  const auto bits = static_cast<uint64_t>(v);  // narrowing below wraps
  switch (type) {
    case DType::kInt8: static_cast<uint8_t*>(data)[k] = static_cast<uint8_t>(bits); return;
    case DType::kUInt8: static_cast<uint8_t*>(data)[k] = static_cast<uint8_t>(bits); return;
    case DType::kInt16: static_cast<uint16_t*>(data)[k] = static_cast<uint16_t>(bits); return;
    case DType::kInt32: static_cast<uint32_t*>(data)[k] = static_cast<uint32_t>(bits); return;
    default: static_cast<uint64_t*>(data)[k] = bits; return;  // int64
  }
}

Status CastEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const void* in = input.data_as<uint8_t>();
  void* out = output.data_as<uint8_t>();
  const bool from_float32 = input.type == DType::kFloat32;
  const int64_t size = input.num_elements();
  for (int64_t k = 0; k < size; ++k) {
    Store(output.type, out, k, Load(input.type, in, k), from_float32);
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Cast() {
  static const KernelRegistration kRegistration = {"cast_reference", CastPrepare, CastEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kCastFields[] = {
    {"in_data_type", 0, FieldType::kUInt8, offsetof(CastOptions, in_data_type)},
    {"out_data_type", 1, FieldType::kUInt8, offsetof(CastOptions, out_data_type)},
};
extern const OptionsIO kCastOptionsIO;
const OptionsIO kCastOptionsIO =
    OptionsIOFor<CastOptions>(tfl::BuiltinOptions::CastOptions, kCastFields);

}  // namespace qlite
