// CONCATENATION: joins N tensors of equal rank along one axis (any rank,
// negative axis). float32/int32/int64 and int16 move bytes; a uint8 or int8
// input whose scale or zero point differs from the output's is requantized
// with TFLite's float expression (reference_ops::ConcatenationWithScaling):
//   q_out = clamp(round(q_in * s + b) + zp_out), s = scale_in * (1 / scale_out),
//   b = -zp_in * s, all in float.
// TFLite itself rejects differing int8 parameters; qlite accepts them with the
// uint8 formula. For int16 TFLite requires zero points of 0 and copies values
// unchanged even when scales differ; qlite does the same to stay bit-exact.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

struct ConcatPart {
  int64_t slice = 0;        // elements of this input per outer index
  bool requantize = false;  // uint8/int8 with parameters unlike the output's
  float scale = 0.0f, bias = 0.0f;
};

struct ConcatData : OpData {
  int64_t outer = 1;  // product of the dimensions before the axis
  size_t element_size = 0;
  std::vector<ConcatPart> parts;
  int32_t out_zero_point = 0, qmin = 0, qmax = 0;
  bool clamp_float = false;
  float act_min = 0.0f, act_max = 0.0f;
};

template <typename T>
void RequantizeSlice(const ConcatPart& part, const ConcatData& d, const T* in, T* out) {
  for (int64_t j = 0; j < part.slice; ++j) {
    const float scaled = static_cast<float>(in[j]) * part.scale + part.bias;
    // Bounding before the int conversion keeps huge ratios defined; anything
    // this far out clamps to qmin/qmax either way.
    const float rounded = std::min(std::max(std::round(scaled), -1.0e9f), 1.0e9f);
    const int32_t value = static_cast<int32_t>(rounded) + d.out_zero_point;
    out[j] = static_cast<T>(std::min(std::max(value, d.qmin), d.qmax));
  }
}

Status Concatenate(OpContext& ctx) {
  const auto& d = *ctx.op_data<ConcatData>();
  const DType type = ctx.output(0)->type;
  uint8_t* out = ctx.output(0)->data;
  for (int64_t k = 0; k < d.outer; ++k) {
    for (size_t i = 0; i < d.parts.size(); ++i) {
      const ConcatPart& part = d.parts[i];
      if (part.slice == 0) continue;
      const uint8_t* in = ctx.input(static_cast<int>(i))->data + k * part.slice * d.element_size;
      if (!part.requantize) {
        std::memcpy(out, in, part.slice * d.element_size);
      } else if (type == DType::kUInt8) {
        RequantizeSlice(part, d, in, out);
      } else {
        RequantizeSlice(part, d, reinterpret_cast<const int8_t*>(in),
                        reinterpret_cast<int8_t*>(out));
      }
      out += part.slice * d.element_size;
    }
  }
  if (d.clamp_float) {
    float* values = ctx.output(0)->data_as<float>();
    const int64_t count = ctx.output(0)->num_elements();
    for (int64_t j = 0; j < count; ++j) {
      values[j] = std::min(std::max(values[j], d.act_min), d.act_max);
    }
  }
  return Status::Ok();
}

// Quantization checks and, for uint8/int8 inputs unlike the output, the
// float scale and bias of the requantization.
QLITE_PREPARE_TIME Status PrepareQuantized(OpContext& ctx, ConcatData* data) {
  const Tensor& output = *ctx.output(0);
  if (output.type == DType::kInt16) {
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const Tensor& t = *ctx.input(i);
      QLITE_ENSURE(!t.has_quant() || t.zero_point() == 0, "int16 input '", t.name(),
                   "' must have zero point 0, has ", t.zero_point());
    }
    QLITE_ENSURE(!output.has_quant() || output.zero_point() == 0, "int16 output '", output.name(),
                 "' must have zero point 0, has ", output.zero_point());
    return Status::Ok();
  }
  QuantizedTypeRange(output.type, &data->qmin, &data->qmax);
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor& t = *ctx.input(i);
    const bool same =
        t.has_quant() == output.has_quant() &&
        (!t.has_quant() || (t.scale() == output.scale() && t.zero_point() == output.zero_point()));
    if (same) continue;
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(t, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
    ConcatPart& part = data->parts[i];
    part.requantize = true;
    part.scale = t.scale() * (1.0f / output.scale());
    part.bias = static_cast<float>(-t.zero_point()) * part.scale;
    QLITE_ENSURE(std::isfinite(part.scale) && std::isfinite(part.bias), "input '", t.name(),
                 "' cannot be rescaled to the output's scale (scale ratio overflows)");
    data->out_zero_point = output.zero_point();
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status ConcatenationPrepare(OpContext& ctx) {
  QLITE_ENSURE(ctx.num_inputs() >= 1, "expects at least 1 input, got ", ctx.num_inputs());
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, ctx.num_inputs(), ctx.num_inputs(), 1));
  const Tensor* first = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &first));
  QLITE_RETURN_IF_ERROR(CheckType(
      *first,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {first->type}, "output"));
  const auto& options = ctx.options<ConcatenationOptions>();
  const int rank = first->rank();
  const int axis = options.axis < 0 ? options.axis + rank : options.axis;
  QLITE_ENSURE(axis >= 0 && axis < rank, "axis ", options.axis,
               " is out of range for inputs of rank ", rank);

  auto* data = ctx.NewOpData<ConcatData>();
  data->element_size = DTypeSize(first->type);
  Shape out_shape = first->shape;
  int64_t axis_total = 0;
  int64_t inner = 1;  // product of the dimensions after the axis
  for (int dim = axis + 1; dim < rank; ++dim) inner *= first->dim(dim);
  for (int dim = 0; dim < axis; ++dim) data->outer *= first->dim(dim);
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor* t = nullptr;
    QLITE_RETURN_IF_ERROR(RequireInput(ctx, i, &t));
    QLITE_RETURN_IF_ERROR(CheckType(*t, {first->type}, "input"));
    QLITE_ENSURE(t->rank() == rank, "input '", t->name(), "' has shape ", ShapeToString(t->shape),
                 ", expected rank ", rank, " like input 0");
    for (int dim = 0; dim < rank; ++dim) {
      QLITE_ENSURE(dim == axis || t->dim(dim) == first->dim(dim), "input '", t->name(),
                   "' has shape ", ShapeToString(t->shape), ", which differs from ",
                   ShapeToString(first->shape), " outside axis ", axis);
    }
    axis_total += t->dim(axis);
    ConcatPart part;
    part.slice = int64_t{t->dim(axis)} * inner;
    data->parts.push_back(part);
  }
  QLITE_ENSURE(axis_total <= INT32_MAX, "concatenated axis would have ", axis_total, " elements");
  out_shape[axis] = static_cast<int32_t>(axis_total);

  if (first->type == DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(ActivationRangeFloat(options.activation, &data->act_min, &data->act_max));
    data->clamp_float = options.activation != Activation::kNone;
  } else {
    QLITE_ENSURE(options.activation == Activation::kNone, "fused activation ",
                 ActivationName(options.activation), " is only supported for float32");
    if (first->type == DType::kInt8 || first->type == DType::kUInt8 ||
        first->type == DType::kInt16) {
      QLITE_RETURN_IF_ERROR(PrepareQuantized(ctx, data));
    }
  }
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, std::move(out_shape)));
  return Status::Ok();
}

Status ConcatenationEval(OpContext& ctx) { return Concatenate(ctx); }

}  // namespace

namespace ref {
const KernelRegistration* Concatenation() {
  static const KernelRegistration kRegistration = {"concatenation_reference", ConcatenationPrepare,
                                                   ConcatenationEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kConcatenationFields[] = {
    {"axis", 0, FieldType::kInt32, offsetof(ConcatenationOptions, axis)},
    {"fused_activation_function", 1, FieldType::kActivation,
     offsetof(ConcatenationOptions, activation)},
};
extern const OptionsIO kConcatenationOptionsIO;
const OptionsIO kConcatenationOptionsIO = OptionsIOFor<ConcatenationOptions>(
    tfl::BuiltinOptions::ConcatenationOptions, kConcatenationFields);

}  // namespace qlite
