// MUL with numpy broadcasting (ranks up to 6) and a fused activation.
//   float32: clamp(a * b) to the activation range.
//   int8 / uint8 / int16: TFLite's integer reference. The product of the
//   zero-point-corrected inputs is requantized once with the multiplier
//   s1 * s2 / s_out, the output zero point is added, and the result clamped.
//   int16 needs zero points of 0 (as in TFLite: the product of two offset
//   int16 values would not fit in int32).
#include <algorithm>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/broadcast.h"
#include "core/kernels/int_arith.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

struct MulData : OpData {
  BroadcastShape broadcast;
  // float32.
  float float_min = 0.0f, float_max = 0.0f;
  // int32 / int64 (int_arith.h).
  IntActivationRange int_range;
  // Quantized.
  int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t act_min = 0, act_max = 0;
  // int8 / uint8 under Arithmetic::kXnnpack: XNNPACK's float scale (its vmul
  // kernel requantizes the product as XnnpackRequantize); 0: TFLite's.
  float xnnpack_scale = 0.0f;
};

QLITE_PREPARE_TIME Status PrepareQuantized(const Tensor& in1, const Tensor& in2, const Tensor& out,
                                           Activation activation, MulData* data) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(in1, "input1"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(in2, "input2"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(out, "output"));
  if (out.type == DType::kInt16) {
    QLITE_ENSURE(in1.zero_point() == 0 && in2.zero_point() == 0 && out.zero_point() == 0,
                 "int16 MUL needs zero points of 0, got ", in1.zero_point(), ", ", in2.zero_point(),
                 " and ", out.zero_point());
  }
  data->input1_offset = -in1.zero_point();
  data->input2_offset = -in2.zero_point();
  data->output_offset = out.zero_point();
  // TFLite evaluates the whole ratio in float and only then widens to double.
  const float real_multiplier = in1.scale() * in2.scale() / out.scale();
  QLITE_RETURN_IF_ERROR(
      QuantizeMultiplierChecked(real_multiplier, &data->output_multiplier, &data->output_shift));
  return ActivationRangeQuantized(activation, out, &data->act_min, &data->act_max);
}

QLITE_PREPARE_TIME Status MulPrepare(OpContext& ctx) {
  const Tensor *in1 = nullptr, *in2 = nullptr, *out = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareBinaryOperands(
      ctx,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      &in1, &in2, &out));

  auto* data = ctx.NewOpData<MulData>();
  Shape out_shape;
  QLITE_RETURN_IF_ERROR(
      ComputeBroadcastShape(in1->shape, in2->shape, "MUL", &data->broadcast, &out_shape));
  const Activation activation = ctx.options<ElementwiseOptions>().activation;
  if (in1->type == DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(ActivationRangeFloat(activation, &data->float_min, &data->float_max));
  } else if (IsPlainIntegerType(in1->type)) {
    QLITE_RETURN_IF_ERROR(IntegerActivationRange(activation, &data->int_range));
  } else {
    QLITE_RETURN_IF_ERROR(PrepareQuantized(*in1, *in2, *out, activation, data));
    const float scale = XnnpackRequantizationScale(in1->scale(), in2->scale(), out->scale());
    // XNNPACK's delegate takes product scales in [2^-16, 2^8).
    if (ctx.arithmetic() == Arithmetic::kXnnpack && out->type != DType::kInt16 &&
        scale >= 0x1.0p-16f && scale < 0x1.0p+8f) {
      data->xnnpack_scale = scale;
      QLITE_RETURN_IF_ERROR(
          XnnpackActivationRange(activation, *out, &data->act_min, &data->act_max));
    }
  }
  return ctx.SetOutputShape(0, std::move(out_shape));
}

template <typename T>
T MulQuantizedElement(const MulData& p, T a, T b) {
  // |product| <= 255 * 255 for 8-bit and 2^15 * 2^15 for int16: fits int32.
  const int32_t product = (p.input1_offset + a) * (p.input2_offset + b);
  if (p.xnnpack_scale > 0.0f) {
    return static_cast<T>(
        XnnpackRequantize(product, p.xnnpack_scale, p.output_offset, p.act_min, p.act_max));
  }
  // Added in int64: a huge multiplier can bring the requantized value close
  // to the int32 limits, and the clamp below must see the true sum.
  const int64_t raw_output =
      static_cast<int64_t>(p.output_offset) +
      MultiplyByQuantizedMultiplier(product, p.output_multiplier, p.output_shift);
  return static_cast<T>(std::clamp<int64_t>(raw_output, p.act_min, p.act_max));
}

template <typename T>
void MulQuantized(const MulData& p, const Tensor& in1, const Tensor& in2, Tensor& out) {
  ForEachBroadcast(p.broadcast, in1.data_as<T>(), in2.data_as<T>(), out.data_as<T>(),
                   [&p](T a, T b) { return MulQuantizedElement(p, a, b); });
}

Status MulEval(OpContext& ctx) {
  const Tensor& in1 = *ctx.input(0);
  const Tensor& in2 = *ctx.input(1);
  Tensor& out = *ctx.output(0);
  const auto& p = *ctx.op_data<MulData>();
  switch (in1.type) {
    case DType::kFloat32: {
      const float lo = p.float_min, hi = p.float_max;
      ForEachBroadcast(p.broadcast, in1.data_as<float>(), in2.data_as<float>(),
                       out.data_as<float>(),
                       [lo, hi](float a, float b) { return std::min(std::max(a * b, lo), hi); });
      return Status::Ok();
    }
    case DType::kInt8: MulQuantized<int8_t>(p, in1, in2, out); return Status::Ok();
    case DType::kUInt8: MulQuantized<uint8_t>(p, in1, in2, out); return Status::Ok();
    case DType::kInt16: MulQuantized<int16_t>(p, in1, in2, out); return Status::Ok();
    case DType::kInt32:
    case DType::kInt64:
      EvalPlainInteger(IntOp::kMul, p.broadcast, p.int_range, in1, in2, out);
      return Status::Ok();
    default: return Status::Error(StrCat("MUL: unsupported dtype ", DTypeName(in1.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* Mul() {
  static const KernelRegistration kRegistration = {"mul_reference", MulPrepare, MulEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kMulFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation,
     offsetof(ElementwiseOptions, activation)},
};
extern const OptionsIO kMulOptionsIO;
const OptionsIO kMulOptionsIO =
    OptionsIOFor<ElementwiseOptions>(tfl::BuiltinOptions::MulOptions, kMulFields);

}  // namespace qlite
