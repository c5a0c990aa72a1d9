// QUANTIZE and DEQUANTIZE; the output shape is the input shape.
//   QUANTIZE float32 -> int8/uint8/int16: q = round(x / scale) + zero_point,
//     clamped (TFLite's AffineQuantize, float division). Arithmetic::kXnnpack
//     (int8/uint8 out): round_even(x * (1 / scale)) + zero_point, XNNPACK's
//     convert.
//   QUANTIZE requantize int8/uint8 -> int8/uint8, int16 -> int8/int16/int32,
//     int32 -> int8/int16: q = M * (x - in_zp) + out_zp with
//     M = in_scale / out_scale as a fixed-point multiplier (TFLite's
//     Requantize; int32 input as in tflite-micro's quantize kernel).
//     Arithmetic::kXnnpack, int8 -> int8 / uint8 -> uint8 with in / out in
//     [2^-8, 2^7]: XNNPACK's convert, XnnpackQ8Requantize.
//   DEQUANTIZE int8/uint8/int16 (per-tensor or per-channel) -> float32:
//     scale * (x - zero_point); float16 -> float32 exactly. A constant input
//     (float16 or int8 weights) is folded at prepare time.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/float16.h"
#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

struct QuantizeData : OpData {
  float output_scale = 1.0f;
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;  // requantize only
  int shift = 0;
  // float32 -> int8/uint8 under Arithmetic::kXnnpack: 1 / scale (XNNPACK's
  // convert multiplies by it), 0 for TFLite's division.
  float xnnpack_inverse_scale = 0.0f;
  // int8 -> int8 and uint8 -> uint8 under Arithmetic::kXnnpack: XNNPACK's
  // convert (XnnpackQ8Multiplier of in / out); 0 for TFLite's Requantize.
  int32_t xnnpack_multiplier = 0;
};

// Per-tensor quantization of an int8/uint8/int16 tensor; int16 must be
// symmetric (zero point 0) as TFLite requires.
Status CheckQuantizedTensor(const Tensor& t, const char* role) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(t, role));
  QLITE_ENSURE(t.quant().scale.size() == 1, role, " tensor '", t.name(),
               "' is quantized per channel; QUANTIZE supports per-tensor only");
  QLITE_ENSURE(t.type != DType::kInt16 || t.zero_point() == 0, role, " tensor '", t.name(),
               "' is int16 with zero point ", t.zero_point(), " (must be 0)");
  return Status::Ok();
}

QLITE_PREPARE_TIME Status QuantizePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  const Tensor& output = *ctx.output(0);
  auto* data = ctx.NewOpData<QuantizeData>();
  switch (input->type) {
    case DType::kFloat32:
      QLITE_RETURN_IF_ERROR(
          CheckType(output, {DType::kInt8, DType::kUInt8, DType::kInt16}, "output"));
      break;
    case DType::kInt8:
    case DType::kUInt8:
      QLITE_RETURN_IF_ERROR(CheckType(output, {DType::kInt8, DType::kUInt8}, "output"));
      break;
    case DType::kInt16:
      QLITE_RETURN_IF_ERROR(
          CheckType(output, {DType::kInt8, DType::kInt16, DType::kInt32}, "output"));
      break;
    case DType::kInt32:
      QLITE_RETURN_IF_ERROR(CheckType(output, {DType::kInt8, DType::kInt16}, "output"));
      break;
    default:
      return Status::Error(StrCat("QUANTIZE input tensor '", input->name(), "' has dtype ",
                                  DTypeName(input->type),
                                  ", expected float32, int8, uint8, int16 or int32"));
  }
  QLITE_RETURN_IF_ERROR(CheckQuantizedTensor(output, "output"));
  data->output_scale = output.scale();
  data->output_zero_point = output.zero_point();
  if (input->type == DType::kFloat32 && output.type != DType::kInt16 &&
      ctx.arithmetic() == Arithmetic::kXnnpack) {
    data->xnnpack_inverse_scale = 1.0f / output.scale();
  }
  if (input->type != DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(CheckQuantizedTensor(*input, "input"));
    data->input_zero_point = input->zero_point();
    const double effective_scale =
        static_cast<double>(input->scale()) / static_cast<double>(output.scale());
    QLITE_RETURN_IF_ERROR(
        QuantizeMultiplierChecked(effective_scale, &data->multiplier, &data->shift));
    const float xnnpack_scale = input->scale() / output.scale();
    if (ctx.arithmetic() == Arithmetic::kXnnpack && input->type == output.type &&
        input->type != DType::kInt16 && XnnpackQ8ScaleInRange(xnnpack_scale)) {
      data->xnnpack_multiplier = XnnpackQ8Multiplier(xnnpack_scale);
    }
  }
  return ctx.SetOutputShape(0, input->shape);
}

// round(x / scale) + zero_point, clamped to Out. The rounded quotient is
// saturated before the integer conversion so that huge, infinite or NaN
// inputs stay defined (NaN maps to the zero point).
template <typename Out>
void AffineQuantize(const QuantizeData& data, const float* input, Out* output, int64_t count) {
  constexpr int32_t kMin = std::numeric_limits<Out>::min();
  constexpr int32_t kMax = std::numeric_limits<Out>::max();
  constexpr float kLimit = 1 << 24;  // far outside every 16-bit range, exact in float
  const float inverse = data.xnnpack_inverse_scale;
  for (int64_t i = 0; i < count; ++i) {
    // XNNPACK: x * (1 / scale) rounded half to even (the output is clamped
    // below, so XNNPACK's clamp before rounding gives the same bytes).
    float rounded = inverse != 0.0f ? std::nearbyint(input[i] * inverse)
                                    : std::round(input[i] / data.output_scale);
    if (std::isnan(rounded)) rounded = 0.0f;
    rounded = std::min(std::max(rounded, -kLimit), kLimit);
    const int32_t unclamped = static_cast<int32_t>(rounded) + data.output_zero_point;
    output[i] = static_cast<Out>(Clamp(unclamped, kMin, kMax));
  }
}

// TFLite subtracts the zero point in int32; for int32 inputs that can wrap,
// which is spelled out here. The output zero point is added in int64 so that
// a saturated product plus the zero point clamps instead of overflowing.
template <typename In, typename Out>
void Requantize(const QuantizeData& data, const In* input, Out* output, int64_t count) {
  constexpr int64_t kMin = std::numeric_limits<Out>::min();
  constexpr int64_t kMax = std::numeric_limits<Out>::max();
  if (sizeof(In) == 1 && data.xnnpack_multiplier != 0) {
    for (int64_t i = 0; i < count; ++i) {
      const int64_t value =
          XnnpackQ8Requantize(static_cast<int32_t>(input[i]) - data.input_zero_point,
                              data.xnnpack_multiplier, data.output_zero_point);
      output[i] = static_cast<Out>(std::min(std::max(value, kMin), kMax));
    }
    return;
  }
  for (int64_t i = 0; i < count; ++i) {
    const int32_t centered = static_cast<int32_t>(static_cast<uint32_t>(input[i]) -
                                                  static_cast<uint32_t>(data.input_zero_point));
    const int64_t value =
        static_cast<int64_t>(MultiplyByQuantizedMultiplier(centered, data.multiplier, data.shift)) +
        data.output_zero_point;
    output[i] = static_cast<Out>(std::min(std::max(value, kMin), kMax));
  }
}

template <typename In>
Status RequantizeFrom(const QuantizeData& data, const In* input, Tensor& output, int64_t count) {
  switch (output.type) {
    case DType::kInt8:
      Requantize(data, input, output.data_as<int8_t>(), count);
      return Status::Ok();
    case DType::kUInt8:
      Requantize(data, input, output.data_as<uint8_t>(), count);
      return Status::Ok();
    case DType::kInt16:
      Requantize(data, input, output.data_as<int16_t>(), count);
      return Status::Ok();
    case DType::kInt32:
      Requantize(data, input, output.data_as<int32_t>(), count);
      return Status::Ok();
    default:
      return Status::Error(StrCat("QUANTIZE: unsupported output dtype ", DTypeName(output.type)));
  }
}

Status QuantizeEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<QuantizeData>();
  const int64_t count = input.num_elements();
  switch (input.type) {
    case DType::kFloat32: {
      const float* in = input.data_as<float>();
      switch (output.type) {
        case DType::kInt8:
          AffineQuantize(data, in, output.data_as<int8_t>(), count);
          return Status::Ok();
        case DType::kUInt8:
          AffineQuantize(data, in, output.data_as<uint8_t>(), count);
          return Status::Ok();
        case DType::kInt16:
          AffineQuantize(data, in, output.data_as<int16_t>(), count);
          return Status::Ok();
        default: break;
      }
      break;
    }
    case DType::kInt8: return RequantizeFrom(data, input.data_as<int8_t>(), output, count);
    case DType::kUInt8: return RequantizeFrom(data, input.data_as<uint8_t>(), output, count);
    case DType::kInt16: return RequantizeFrom(data, input.data_as<int16_t>(), output, count);
    case DType::kInt32: return RequantizeFrom(data, input.data_as<int32_t>(), output, count);
    default: break;
  }
  return Status::Error(StrCat("QUANTIZE: unsupported dtypes ", DTypeName(input.type), " -> ",
                              DTypeName(output.type)));
}

// ---- DEQUANTIZE ----

// Element i belongs to channel (i / inner) % channels; per-tensor is 1 channel.
struct DequantizeData : OpData {
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
  int64_t inner = 1;  // product of the dims after the quantized dimension
};

QLITE_PREPARE_TIME Status PrepareDequantizeParams(const Tensor& input, DequantizeData* data) {
  QLITE_ENSURE(input.has_quant(), "input tensor '", input.name(), "' (", DTypeName(input.type),
               ") has no quantization parameters");
  const Quantization& q = input.quant();
  QLITE_ENSURE(q.zero_point.size() == q.scale.size(), "input tensor '", input.name(), "' has ",
               q.scale.size(), " scales but ", q.zero_point.size(), " zero points");
  int32_t qmin = 0, qmax = 0;
  QuantizedTypeRange(input.type, &qmin, &qmax);
  for (size_t c = 0; c < q.scale.size(); ++c) {
    QLITE_ENSURE(std::isfinite(q.scale[c]) && q.scale[c] > 0.0f, "input tensor '", input.name(),
                 "' has invalid scale ", q.scale[c]);
    QLITE_ENSURE(q.zero_point[c] >= qmin && q.zero_point[c] <= qmax, "input tensor '", input.name(),
                 "' has zero point ", q.zero_point[c], " outside the ", DTypeName(input.type),
                 " range");
    data->scales.push_back(q.scale[c]);
    data->zero_points.push_back(static_cast<int32_t>(q.zero_point[c]));
  }
  if (q.scale.size() > 1) {
    const int dim = q.quantized_dimension;
    QLITE_ENSURE(dim >= 0 && dim < input.rank(), "input tensor '", input.name(),
                 "' has quantized dimension ", dim, " outside its rank ", input.rank());
    QLITE_ENSURE(static_cast<int64_t>(q.scale.size()) == input.dim(dim), "input tensor '",
                 input.name(), "' has ", q.scale.size(), " scales for ", input.dim(dim),
                 " channels");
    for (int i = dim + 1; i < input.rank(); ++i) data->inner *= input.dim(i);
  }
  return Status::Ok();
}

// TFLite evaluates scale * (x - zero_point) in double and casts to float; the
// product of a float and a 17-bit integer is exact in double, so the single
// float multiply below rounds to the same value (and overflows to inf cleanly).
template <typename In>
void DequantizeInts(const DequantizeData& data, const In* input, float* output, int64_t count) {
  const int64_t channels = static_cast<int64_t>(data.scales.size());
  for (int64_t i = 0; i < count; ++i) {
    const int64_t c = channels == 1 ? 0 : (i / data.inner) % channels;
    const int32_t centered = static_cast<int32_t>(input[i]) - data.zero_points[c];
    output[i] = data.scales[c] * static_cast<float>(centered);
  }
}

Status DequantizeInto(const DequantizeData& data, const Tensor& input, float* output) {
  const int64_t count = input.num_elements();
  switch (input.type) {
    case DType::kInt8:
      DequantizeInts(data, input.data_as<int8_t>(), output, count);
      return Status::Ok();
    case DType::kUInt8:
      DequantizeInts(data, input.data_as<uint8_t>(), output, count);
      return Status::Ok();
    case DType::kInt16:
      DequantizeInts(data, input.data_as<int16_t>(), output, count);
      return Status::Ok();
    case DType::kFloat16: {
      const uint16_t* in = input.data_as<uint16_t>();
      for (int64_t i = 0; i < count; ++i) output[i] = HalfToFloat(in[i]);
      return Status::Ok();
    }
    default: return Status::Error(StrCat("DEQUANTIZE: unsupported dtype ", DTypeName(input.type)));
  }
}

QLITE_PREPARE_TIME Status DequantizePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kInt8, DType::kUInt8, DType::kInt16, DType::kFloat16}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {DType::kFloat32}, "output"));
  auto* data = ctx.NewOpData<DequantizeData>();
  if (input->type != DType::kFloat16) {
    QLITE_RETURN_IF_ERROR(PrepareDequantizeParams(*input, data));
  }
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, input->shape));
  // Weights stored as float16 or int8 (float16 and dynamic-range models) are
  // dequantized once, at prepare (DEQUANTIZE is foldable), so kernels that
  // need constant weights see them.
  if (input->is_constant()) {
    const int64_t count = input->num_elements();
    const size_t needed = static_cast<size_t>(count) * DTypeSize(input->type);
    QLITE_ENSURE(count >= 0 && input->bytes >= needed, "constant input tensor '", input->name(),
                 "' holds ", input->bytes, " bytes, too few for shape ",
                 ShapeToString(input->shape));
  }
  return Status::Ok();
}

Status DequantizeEval(OpContext& ctx) {
  const auto& data = *ctx.op_data<DequantizeData>();
  return DequantizeInto(data, *ctx.input(0), ctx.output(0)->data_as<float>());
}

}  // namespace

namespace ref {
const KernelRegistration* Quantize() {
  static const KernelRegistration kRegistration = {"quantize_reference", QuantizePrepare,
                                                   QuantizeEval};
  return &kRegistration;
}

const KernelRegistration* Dequantize() {
  static const KernelRegistration kRegistration = {"dequantize_reference", DequantizePrepare,
                                                   DequantizeEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kQuantizeOptionsIO, kDequantizeOptionsIO;
const OptionsIO kQuantizeOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::QuantizeOptions);
const OptionsIO kDequantizeOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::DequantizeOptions);

}  // namespace qlite
