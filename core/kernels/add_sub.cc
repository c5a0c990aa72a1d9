// ADD and SUB with numpy broadcasting (ranks up to 6) and a fused activation.
// They share everything but the sign of the second operand.
//   float32: clamp(a ± b) to the activation range.
//   int8 / uint8 / int16 ("general scale" path, TFLite's integer reference):
//     both inputs (minus zero point) are shifted left by 20 bits (15 for
//     int16), rescaled to a common scale of 2 * max(s1, s2) / 2^shift, added
//     or subtracted, and the result is rescaled to the output scale; all
//     multipliers are < 1.
//   int16 "power-of-two" path: taken only when the op's pot_scale_int16 option
//     is set (the schema default) and all three scales are powers of two; the
//     input with the larger scale is rounding-shifted right onto the output
//     scale and the two are added/subtracted. The converter writes
//     pot_scale_int16 = false for 16x8 models, so those use the general path.
// int16 requires zero points of 0, as TFLite does. Under Arithmetic::kXnnpack
// int8 and uint8 follow XNNPACK's kernel (xnnpack_add_sub.h).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/add_sub.h"
#include "core/kernels/broadcast.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

const char* OpName(ArithOp op) { return op == ArithOp::kAdd ? "ADD" : "SUB"; }

// TFLite's CheckedLog2: log2 of a scale rounded to an integer, and whether the
// scale is a power of two within TFLite's 1e-3 tolerance (float arithmetic).
bool ScaleLog2(float scale, int* log2_rounded) {
  const float log2 = std::log(scale) * (1.0f / std::log(2.0f));
  const float rounded = std::round(log2);
  *log2_rounded = static_cast<int>(rounded);
  return std::abs(log2 - rounded) < 1e-3;  // float difference, double threshold
}

// A multiplier in (0, 1) as (Q0.31, shift <= 0), as TFLite's
// QuantizeMultiplierSmallerThanOneExp requires.
Status QuantizeSmallerThanOne(double real, ArithOp op, const char* what, int32_t* multiplier,
                              int* shift) {
  QLITE_ENSURE(real > 0.0 && real < 1.0, OpName(op), " ", what, " multiplier ", real,
               " must be in (0, 1) (output scale too small for the input scales?)");
  return QuantizeMultiplierChecked(real, multiplier, shift, /*max_left_shift=*/0);
}

QLITE_PREPARE_TIME Status PrepareGeneralScale(const Tensor& in1, const Tensor& in2,
                                              const Tensor& out, ArithOp op, AddSubData* data) {
  data->input1_offset = -in1.zero_point();
  data->input2_offset = -in2.zero_point();
  data->output_offset = out.zero_point();
  // 8-bit values shifted by 20 and int16 values (zero point 0) shifted by 15
  // both stay below 2^30 in magnitude, so the int32 sum cannot overflow.
  data->left_shift = out.type == DType::kInt16 ? 15 : 20;
  // Same evaluation order as TFLite: 2 * max in float (exact), ratios in
  // double, (1 << left_shift) * output scale in float.
  const double twice_max_input_scale = 2 * std::max(in1.scale(), in2.scale());
  const double real_input1_multiplier = in1.scale() / twice_max_input_scale;
  const double real_input2_multiplier = in2.scale() / twice_max_input_scale;
  const double real_output_multiplier =
      twice_max_input_scale / static_cast<double>((1 << data->left_shift) * out.scale());
  QLITE_RETURN_IF_ERROR(QuantizeSmallerThanOne(real_input1_multiplier, op, "input1",
                                               &data->input1_multiplier, &data->input1_shift));
  QLITE_RETURN_IF_ERROR(QuantizeSmallerThanOne(real_input2_multiplier, op, "input2",
                                               &data->input2_multiplier, &data->input2_shift));
  return QuantizeSmallerThanOne(real_output_multiplier, op, "output", &data->output_multiplier,
                                &data->output_shift);
}

// int16 with power-of-two scales: only one input may need rescaling, and only
// towards a coarser scale (a right shift); TFLite rejects anything else.
QLITE_PREPARE_TIME Status PreparePowerOfTwoInt16(int log2_in1, int log2_in2, int log2_out,
                                                 ArithOp op, AddSubData* data) {
  const int shift1 = log2_in1 - log2_out;
  const int shift2 = log2_in2 - log2_out;
  QLITE_ENSURE(shift1 <= 0 && shift2 <= 0 && (shift1 == 0 || shift2 == 0), "int16 ", OpName(op),
               " with power-of-two scales needs one input at the output scale and the other at "
               "a finer or equal scale (input scales 2^",
               log2_in1, " and 2^", log2_in2, ", output 2^", log2_out, ")");
  // Dividing an int16 by 2^17 or more rounds to 0 already, so 31 is as good
  // as any larger shift.
  data->pot_int16 = true;
  data->input1_right_shift = std::min(-shift1, 31);
  data->input2_right_shift = std::min(-shift2, 31);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status PrepareQuantized(const Tensor& in1, const Tensor& in2, const Tensor& out,
                                           ArithOp op, const ElementwiseOptions& options,
                                           AddSubData* data) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(in1, "input1"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(in2, "input2"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(out, "output"));
  bool power_of_two = false;
  int log2_in1 = 0, log2_in2 = 0, log2_out = 0;
  if (out.type == DType::kInt16) {
    QLITE_ENSURE(in1.zero_point() == 0 && in2.zero_point() == 0 && out.zero_point() == 0, "int16 ",
                 OpName(op), " needs zero points of 0, got ", in1.zero_point(), ", ",
                 in2.zero_point(), " and ", out.zero_point());
    if (options.pot_scale_int16) {
      // Evaluate all three (no short-circuit) to mirror TFLite's decision.
      const bool pot1 = ScaleLog2(in1.scale(), &log2_in1);
      const bool pot2 = ScaleLog2(in2.scale(), &log2_in2);
      const bool pot_out = ScaleLog2(out.scale(), &log2_out);
      power_of_two = pot1 && pot2 && pot_out;
    }
  }
  if (power_of_two) {
    QLITE_RETURN_IF_ERROR(PreparePowerOfTwoInt16(log2_in1, log2_in2, log2_out, op, data));
  } else {
    QLITE_RETURN_IF_ERROR(PrepareGeneralScale(in1, in2, out, op, data));
  }
  return ActivationRangeQuantized(options.activation, out, &data->act_min, &data->act_max);
}

}  // namespace

QLITE_PREPARE_TIME Status PrepareAddSub(OpContext& ctx, ArithOp op, AddSubData* data) {
  const Tensor *in1 = nullptr, *in2 = nullptr, *out = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareBinaryOperands(
      ctx,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      &in1, &in2, &out));

  Shape out_shape;
  QLITE_RETURN_IF_ERROR(
      ComputeBroadcastShape(in1->shape, in2->shape, OpName(op), &data->broadcast, &out_shape));
  const auto& options = ctx.options<ElementwiseOptions>();
  if (in1->type == DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(
        ActivationRangeFloat(options.activation, &data->float_min, &data->float_max));
  } else if (IsPlainIntegerType(in1->type)) {
    QLITE_RETURN_IF_ERROR(IntegerActivationRange(options.activation, &data->int_range));
  } else {
    QLITE_RETURN_IF_ERROR(PrepareQuantized(*in1, *in2, *out, op, options, data));
    if (ctx.arithmetic() == Arithmetic::kXnnpack && out->type != DType::kInt16) {
      PrepareXnnpackAddSub(*in1, *in2, *out, op == ArithOp::kSub, &data->xnnpack);
      if (data->xnnpack.shift != 0) {
        QLITE_RETURN_IF_ERROR(
            XnnpackActivationRange(options.activation, *out, &data->act_min, &data->act_max));
      }
    }
  }
  return ctx.SetOutputShape(0, std::move(out_shape));
}

namespace {

QLITE_PREPARE_TIME Status AddPrepare(OpContext& ctx) {
  return PrepareAddSub(ctx, ArithOp::kAdd, ctx.NewOpData<AddSubData>());
}
QLITE_PREPARE_TIME Status SubPrepare(OpContext& ctx) {
  return PrepareAddSub(ctx, ArithOp::kSub, ctx.NewOpData<AddSubData>());
}

template <ArithOp kOp>
int16_t PowerOfTwoElement(const AddSubData& p, int16_t a, int16_t b) {
  const int32_t raw_output = Combine<kOp>(RoundingDivideByPOT(a, p.input1_right_shift),
                                          RoundingDivideByPOT(b, p.input2_right_shift));
  return static_cast<int16_t>(Clamp(raw_output, p.act_min, p.act_max));
}

template <ArithOp kOp, typename T>
void EvalQuantized(const AddSubData& p, const Tensor& in1, const Tensor& in2, Tensor& out) {
  if (sizeof(T) == 1 && p.xnnpack.shift != 0) {
    ForEachBroadcast(
        p.broadcast, in1.data_as<T>(), in2.data_as<T>(), out.data_as<T>(), [&p](T a, T b) {
          return static_cast<T>(XnnpackAddSubElement(p.xnnpack, a, b, p.act_min, p.act_max));
        });
    return;
  }
  ForEachBroadcast(p.broadcast, in1.data_as<T>(), in2.data_as<T>(), out.data_as<T>(),
                   [&p](T a, T b) { return QuantizedAddSubElement<kOp>(p, a, b); });
}

template <ArithOp kOp>
Status Eval(OpContext& ctx) {
  const Tensor& in1 = *ctx.input(0);
  const Tensor& in2 = *ctx.input(1);
  Tensor& out = *ctx.output(0);
  const auto& p = *ctx.op_data<AddSubData>();
  switch (in1.type) {
    case DType::kFloat32: {
      const float lo = p.float_min, hi = p.float_max;
      ForEachBroadcast(p.broadcast, in1.data_as<float>(), in2.data_as<float>(),
                       out.data_as<float>(), [lo, hi](float a, float b) {
                         const float r = kOp == ArithOp::kAdd ? a + b : a - b;
                         return std::min(std::max(r, lo), hi);
                       });
      return Status::Ok();
    }
    case DType::kInt8: EvalQuantized<kOp, int8_t>(p, in1, in2, out); return Status::Ok();
    case DType::kUInt8: EvalQuantized<kOp, uint8_t>(p, in1, in2, out); return Status::Ok();
    case DType::kInt32:
    case DType::kInt64:
      EvalPlainInteger(kOp == ArithOp::kAdd ? IntOp::kAdd : IntOp::kSub, p.broadcast, p.int_range,
                       in1, in2, out);
      return Status::Ok();
    case DType::kInt16:
      if (p.pot_int16) {
        ForEachBroadcast(p.broadcast, in1.data_as<int16_t>(), in2.data_as<int16_t>(),
                         out.data_as<int16_t>(),
                         [&p](int16_t a, int16_t b) { return PowerOfTwoElement<kOp>(p, a, b); });
      } else {
        EvalQuantized<kOp, int16_t>(p, in1, in2, out);
      }
      return Status::Ok();
    default: return Status::Error(StrCat(OpName(kOp), ": unsupported dtype ", DTypeName(in1.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* Add() {
  static const KernelRegistration kRegistration = {"add_reference", AddPrepare,
                                                   Eval<ArithOp::kAdd>};
  return &kRegistration;
}

const KernelRegistration* Sub() {
  static const KernelRegistration kRegistration = {"sub_reference", SubPrepare,
                                                   Eval<ArithOp::kSub>};
  return &kRegistration;
}
}  // namespace ref

// AddOptions and SubOptions have the same fields.
constexpr OptionsField kAddSubFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation,
     offsetof(ElementwiseOptions, activation)},
    {"pot_scale_int16", 1, FieldType::kBool, offsetof(ElementwiseOptions, pot_scale_int16), 1},
};
extern const OptionsIO kAddOptionsIO, kSubOptionsIO;
const OptionsIO kAddOptionsIO =
    OptionsIOFor<ElementwiseOptions>(tfl::BuiltinOptions::AddOptions, kAddSubFields);
const OptionsIO kSubOptionsIO =
    OptionsIOFor<ElementwiseOptions>(tfl::BuiltinOptions::SubOptions, kAddSubFields);

}  // namespace qlite
