// FULLY_CONNECTED: output[b, u] = act(bias[u] + sum_d input[b, d] * filter[u, d]),
// with the input flattened to [batches, input_depth]. Following TFLite:
//   float32;
//   int8 (per-tensor or per-channel filter) and legacy uint8, int32 bias;
//   int16x8: int16 activations (zero point 0), int8 filter, int64 bias,
//     int64 accumulator and the int64 MultiplyByQuantizedMultiplier;
//   hybrid ("dynamic range"): float32 input and output, constant int8 filter
//     (per-tensor or per-channel), float bias. Each batch row of the input is
//     quantized to int8 on the fly (symmetric, or asymmetric when
//     asymmetric_quantize_inputs is set), multiplied in integers and scaled
//     back to float, as TFLite's EvalHybridDense.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/fully_connected.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

// Output shape: [batches, units], or the input shape with its last dim
// replaced by `units` when keep_num_dims is set.
Status ComputeOutputShape(const Tensor& input, int32_t input_depth, int32_t units,
                          bool keep_num_dims, int64_t* batches, Shape* output_shape) {
  const int64_t input_elements = input.num_elements();
  QLITE_ENSURE(input_elements >= 0, "input tensor '", input.name(), "' has invalid shape ",
               ShapeToString(input.shape));
  QLITE_ENSURE(input_elements % input_depth == 0, "input tensor '", input.name(), "' has ",
               input_elements, " elements, not a multiple of the filter's input depth ",
               input_depth);
  *batches = input_elements / input_depth;
  if (keep_num_dims) {
    QLITE_ENSURE(input.rank() >= 1 && input.shape.back() == input_depth,
                 "keep_num_dims needs the input's last dimension to equal the filter's input "
                 "depth ",
                 input_depth, ", input shape is ", ShapeToString(input.shape));
    *output_shape = input.shape;
    output_shape->back() = units;
  } else {
    QLITE_ENSURE(*batches <= INT32_MAX, "too many batches: ", *batches);
    *output_shape = {static_cast<int32_t>(*batches), units};
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status PrepareFloat(const Tensor* bias, Activation activation,
                                       FullyConnectedData* data) {
  if (bias != nullptr) QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kFloat32}, "bias"));
  return ActivationRangeFloat(activation, &data->act_min_float, &data->act_max_float);
}

// Multipliers and offsets of the int8 / uint8 / int16x8 kernels. The bias is
// int32, or int64 for int16 activations. The int64 requantization of int16x8
// needs shifts <= 7 (as TFLite's), the int32 one allows up to 30.
QLITE_PREPARE_TIME Status PrepareQuantized(const Tensor& input, const Tensor& filter,
                                           const Tensor* bias, const Tensor& output,
                                           Activation activation, FullyConnectedData* data) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  const bool int16x8 = input.type == DType::kInt16;
  const int max_left_shift = int16x8 ? 7 : 30;
  if (int16x8) {
    QLITE_ENSURE(input.zero_point() == 0 && output.zero_point() == 0,
                 "int16 FULLY_CONNECTED needs zero point 0 on input and output, have ",
                 input.zero_point(), " and ", output.zero_point());
  }
  if (bias != nullptr) {
    QLITE_RETURN_IF_ERROR(CheckType(*bias, {int16x8 ? DType::kInt64 : DType::kInt32}, "bias"));
    for (int64_t zp : bias->quant().zero_point) {
      QLITE_ENSURE(zp == 0, "bias tensor '", bias->name(), "' has zero point ", zp, " (must be 0)");
    }
  }
  const Quantization& fq = filter.quant();
  QLITE_ENSURE(!fq.scale.empty() && fq.zero_point.size() == fq.scale.size(), "filter tensor '",
               filter.name(), "' has ", fq.scale.size(), " scales and ", fq.zero_point.size(),
               " zero points");
  const float input_scale = input.scale();
  const float output_scale = output.scale();
  if (fq.per_channel()) {
    QLITE_ENSURE(filter.type == DType::kInt8,
                 "per-channel filter quantization needs int8, "
                 "filter tensor '",
                 filter.name(), "' is ", DTypeName(filter.type));
    QLITE_ENSURE(fq.quantized_dimension == 0, "per-channel filter tensor '", filter.name(),
                 "' must be quantized along dimension 0, not ", fq.quantized_dimension);
    QLITE_ENSURE(static_cast<int64_t>(fq.scale.size()) == data->units, "filter tensor '",
                 filter.name(), "' has ", fq.scale.size(), " scales but ", data->units, " units");
    for (int64_t zp : fq.zero_point) {
      QLITE_ENSURE(zp == 0, "int8 filter tensor '", filter.name(), "' has zero point ", zp,
                   " (must be 0)");
    }
    QLITE_RETURN_IF_ERROR(PerChannelMultipliers(input_scale, fq.scale, output_scale, data->units,
                                                &data->multipliers, &data->shifts));
    for (int32_t shift : data->shifts) {
      QLITE_ENSURE(shift <= max_left_shift,
                   "invalid quantization: a per-channel multiplier of "
                   "filter tensor '",
                   filter.name(), "' is too large (shift ", shift, ")");
    }
  } else {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(filter, "filter"));
    QLITE_ENSURE(filter.type != DType::kInt8 || filter.zero_point() == 0, "int8 filter tensor '",
                 filter.name(), "' has zero point ", filter.zero_point(), " (must be 0)");
    // TFLite's per-tensor path multiplies the scales in float, then divides in double.
    int32_t multiplier = 0;
    int shift = 0;
    QLITE_RETURN_IF_ERROR(
        QuantizeMultiplierChecked(LegacyConvMultiplier(input_scale, filter.scale(), output_scale),
                                  &multiplier, &shift, max_left_shift));
    data->multipliers.assign(data->units, multiplier);
    data->shifts.assign(data->units, shift);
  }
  data->input_offset = -input.zero_point();
  data->filter_offset = -filter.zero_point();
  data->output_offset = output.zero_point();
  return ActivationRangeQuantized(activation, output, &data->act_min, &data->act_max);
}

// Hybrid: the filter is symmetric int8 (zero point 0), per-tensor or per unit.
// Its row sums (for the asymmetric input correction) are data-independent.
QLITE_PREPARE_TIME Status PrepareHybrid(OpContext& ctx, const Tensor& filter, const Tensor* bias,
                                        const FullyConnectedOptions& options,
                                        FullyConnectedData* data) {
  if (bias != nullptr) QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kFloat32}, "bias"));
  const Quantization& fq = filter.quant();
  QLITE_ENSURE(!fq.scale.empty() && fq.zero_point.size() == fq.scale.size(),
               "hybrid filter "
               "tensor '",
               filter.name(), "' needs quantization, has ", fq.scale.size(), " scales and ",
               fq.zero_point.size(), " zero points");
  if (fq.per_channel()) {
    QLITE_ENSURE(
        fq.quantized_dimension == 0 && static_cast<int64_t>(fq.scale.size()) == data->units,
        "per-channel filter tensor '", filter.name(), "' must have one scale per unit ",
        "along dimension 0; has ", fq.scale.size(), " scales along dimension ",
        fq.quantized_dimension);
  }
  for (size_t u = 0; u < fq.scale.size(); ++u) {
    QLITE_ENSURE(std::isfinite(fq.scale[u]) && fq.scale[u] > 0.0f, "filter tensor '", filter.name(),
                 "' has invalid scale ", fq.scale[u]);
    QLITE_ENSURE(fq.zero_point[u] == 0, "int8 filter tensor '", filter.name(), "' has zero point ",
                 fq.zero_point[u], " (must be 0)");
  }
  data->hybrid = true;
  data->asymmetric_inputs = options.asymmetric_quantize_inputs;
  data->filter_scales.resize(data->units);
  for (int32_t u = 0; u < data->units; ++u) {
    data->filter_scales[u] = fq.per_channel() ? fq.scale[u] : fq.scale[0];
  }
  if (data->asymmetric_inputs) {
    const int8_t* weights = filter.data_as<int8_t>();
    data->filter_row_sums.assign(data->units, 0);
    for (int64_t i = 0; i < static_cast<int64_t>(data->units) * data->input_depth; ++i) {
      data->filter_row_sums[i / data->input_depth] += weights[i];
    }
  }
  QLITE_RETURN_IF_ERROR(
      ctx.RequestScratch(static_cast<size_t>(data->input_depth), &data->quantized_input_scratch));
  return ActivationRangeFloat(options.activation, &data->act_min_float, &data->act_max_float);
}

}  // namespace

QLITE_PREPARE_TIME Status PrepareFullyConnected(OpContext& ctx, FullyConnectedData* data) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = nullptr;
  const Tensor* filter = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &filter));
  const Tensor* bias = ctx.input(2);
  Tensor* output = ctx.output(0);
  const auto& options = ctx.options<FullyConnectedOptions>();
  QLITE_ENSURE(options.weights_format == 0, "shuffled weights not supported (weights_format ",
               static_cast<int>(options.weights_format), ")");

  QLITE_RETURN_IF_ERROR(CheckRank(*filter, 2, "filter"));
  QLITE_RETURN_IF_ERROR(CheckConstant(*filter, "filter"));
  data->units = filter->dim(0);
  data->input_depth = filter->dim(1);
  QLITE_ENSURE(data->units >= 1 && data->input_depth >= 1, "filter tensor '", filter->name(),
               "' has empty shape ", ShapeToString(filter->shape));
  if (bias != nullptr) {
    QLITE_ENSURE(bias->num_elements() == data->units, "bias tensor '", bias->name(), "' has shape ",
                 ShapeToString(bias->shape), " but the filter has ", data->units, " units");
  }
  Shape output_shape;
  QLITE_RETURN_IF_ERROR(ComputeOutputShape(*input, data->input_depth, data->units,
                                           options.keep_num_dims, &data->batches, &output_shape));

  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*output, {input->type}, "output"));
  switch (input->type) {
    case DType::kFloat32:
      QLITE_RETURN_IF_ERROR(CheckType(*filter, {DType::kFloat32, DType::kInt8}, "filter"));
      if (filter->type == DType::kInt8) {
        QLITE_RETURN_IF_ERROR(PrepareHybrid(ctx, *filter, bias, options, data));
      } else {
        QLITE_RETURN_IF_ERROR(PrepareFloat(bias, options.activation, data));
      }
      break;
    case DType::kInt16:
      QLITE_RETURN_IF_ERROR(CheckType(*filter, {DType::kInt8}, "filter"));
      QLITE_RETURN_IF_ERROR(
          PrepareQuantized(*input, *filter, bias, *output, options.activation, data));
      break;
    default:
      QLITE_RETURN_IF_ERROR(CheckType(*filter, {input->type}, "filter"));
      QLITE_RETURN_IF_ERROR(
          PrepareQuantized(*input, *filter, bias, *output, options.activation, data));
      data->xnnpack_scales.clear();
      if (ctx.arithmetic() == Arithmetic::kXnnpack) {
        data->xnnpack_scales = XnnpackChannelScales(
            input->type, input->scale(), filter->quant().scale, output->scale(), data->units);
        if (!data->xnnpack_scales.empty()) {
          QLITE_RETURN_IF_ERROR(
              XnnpackActivationRange(options.activation, *output, &data->act_min, &data->act_max));
        }
      }
      break;
  }
  return ctx.SetOutputShape(0, std::move(output_shape));
}

namespace {

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  return PrepareFullyConnected(ctx, ctx.NewOpData<FullyConnectedData>());
}

void EvalFloat(const FullyConnectedData& d, const float* input, const float* filter,
               const float* bias, float* output) {
  const int64_t depth = d.input_depth;
  for (int64_t b = 0; b < d.batches; ++b) {
    const float* in_row = input + b * depth;
    for (int32_t u = 0; u < d.units; ++u) {
      const float* filter_row = filter + u * depth;
      float total = 0.0f;
      for (int64_t i = 0; i < depth; ++i) total += in_row[i] * filter_row[i];
      const float value = total + (bias != nullptr ? bias[u] : 0.0f);
      output[b * d.units + u] = std::min(std::max(value, d.act_min_float), d.act_max_float);
    }
  }
}

// int8 and uint8 share one body: only the filter offset differs (0 for int8).
template <typename T>
void EvalQuantized(const FullyConnectedData& d, const T* input, const T* filter,
                   const int32_t* bias, T* output) {
  const int64_t depth = d.input_depth;
  for (int64_t b = 0; b < d.batches; ++b) {
    const T* in_row = input + b * depth;
    for (int32_t u = 0; u < d.units; ++u) {
      const T* filter_row = filter + u * depth;
      // TFLite accumulates in int32 and wraps on overflow; summing in int64
      // and wrapping once gives the same bits without undefined behaviour.
      int64_t sum = 0;
      for (int64_t i = 0; i < depth; ++i) {
        sum += static_cast<int64_t>(static_cast<int32_t>(in_row[i]) + d.input_offset) *
               (static_cast<int32_t>(filter_row[i]) + d.filter_offset);
      }
      if (bias != nullptr) sum += bias[u];
      const int32_t acc = static_cast<int32_t>(static_cast<uint32_t>(sum));
      if (!d.xnnpack_scales.empty()) {
        output[b * d.units + u] = static_cast<T>(
            XnnpackRequantize(acc, d.xnnpack_scales[u], d.output_offset, d.act_min, d.act_max));
        continue;
      }
      const int64_t scaled =
          static_cast<int64_t>(MultiplyByQuantizedMultiplier(acc, d.multipliers[u], d.shifts[u])) +
          d.output_offset;
      output[b * d.units + u] =
          static_cast<T>(std::min<int64_t>(std::max<int64_t>(scaled, d.act_min), d.act_max));
    }
  }
}

// int16x8 (TFLite's reference_integer_ops::FullyConnected with an int64
// accumulator): zero points are 0, the sum of int16 * int8 products plus the
// int64 bias is requantized by the int64 MultiplyByQuantizedMultiplier.
void EvalInt16(const FullyConnectedData& d, const int16_t* input, const int8_t* filter,
               const int64_t* bias, int16_t* output) {
  // A hostile int64 bias could overflow the sum; real accumulators stay far
  // inside +-2^47, the range the int64 requantization is defined for.
  constexpr int64_t kAccLimit = (int64_t{1} << 47) - 1;
  const int64_t depth = d.input_depth;
  for (int64_t b = 0; b < d.batches; ++b) {
    const int16_t* in_row = input + b * depth;
    for (int32_t u = 0; u < d.units; ++u) {
      const int8_t* filter_row = filter + u * depth;
      int64_t acc = 0;  // |acc| < 2^22 * depth: no overflow for any real depth
      for (int64_t i = 0; i < depth; ++i) {
        acc += static_cast<int32_t>(in_row[i]) * static_cast<int32_t>(filter_row[i]);
      }
      if (bias != nullptr) acc += std::min(std::max(bias[u], -kAccLimit), kAccLimit);
      acc = std::min(std::max(acc, -kAccLimit), kAccLimit);
      const int32_t scaled = MultiplyByQuantizedMultiplier(acc, d.multipliers[u], d.shifts[u]);
      output[b * d.units + u] = static_cast<int16_t>(Clamp(scaled, d.act_min, d.act_max));
    }
  }
}

// round(value) clamped to [lo, hi]; NaN gives 0. TFLite converts to int32
// before clamping, which is the same for every finite value it can convert.
inline int8_t RoundToInt8(float value, float lo, float hi) {
  if (std::isnan(value)) return 0;
  return static_cast<int8_t>(std::min(std::max(std::round(value), lo), hi));
}

// TFLite's SymmetricQuantizeFloats: scale = max|x| / 127, values in
// [-127, 127]; an all-zero row gets scale 1.
float QuantizeRowSymmetric(const float* values, int64_t count, int8_t* quantized) {
  const auto minmax = std::minmax_element(values, values + count);
  const float range = std::max(std::fabs(*minmax.first), std::fabs(*minmax.second));
  if (range == 0.0f) {
    std::fill_n(quantized, count, int8_t{0});
    return 1.0f;
  }
  const float inverse = 127.0f / range;
  for (int64_t i = 0; i < count; ++i) quantized[i] = RoundToInt8(values[i] * inverse, -127, 127);
  return range / 127.0f;
}

// TFLite's AsymmetricQuantizeFloats: the range [min(x, 0), max(x, 0)] maps to
// [-128, 127] with a zero point nudged from whichever end is more precise.
float QuantizeRowAsymmetric(const float* values, int64_t count, int8_t* quantized,
                            int32_t* zero_point) {
  const auto minmax = std::minmax_element(values, values + count);
  const double rmin = std::fmin(0.0, *minmax.first);
  const double rmax = std::fmax(0.0, *minmax.second);
  if (rmin == rmax) {
    std::fill_n(quantized, count, int8_t{0});
    *zero_point = 0;
    return 1.0f;
  }
  constexpr double kQMin = -128.0, kQMax = 127.0;
  const double scale = (rmax - rmin) / (kQMax - kQMin);
  const double zero_point_from_min = kQMin - rmin / scale;
  const double zero_point_from_max = kQMax - rmax / scale;
  const double error_from_min = std::fabs(kQMin) + std::fabs(rmin / scale);
  const double error_from_max = std::fabs(kQMax) + std::fabs(rmax / scale);
  const double zero_point_real =
      error_from_min < error_from_max ? zero_point_from_min : zero_point_from_max;
  if (zero_point_real <= kQMin) {
    *zero_point = -128;
  } else if (zero_point_real >= kQMax) {
    *zero_point = 127;
  } else if (std::isnan(zero_point_real)) {  // non-finite inputs
    *zero_point = 0;
  } else {
    *zero_point = static_cast<int32_t>(std::round(zero_point_real));
  }
  const float scaling_factor = static_cast<float>(scale);
  const float inverse = static_cast<float>(1.0 / scaling_factor);
  for (int64_t i = 0; i < count; ++i) {
    quantized[i] = RoundToInt8(static_cast<float>(*zero_point) + values[i] * inverse, -128, 127);
  }
  return scaling_factor;
}

// Hybrid: output = bias + (int8 row . int8 filter row - zp * filter row sum)
// * row scale * filter scale, then the float activation.
void EvalHybrid(const FullyConnectedData& d, const float* input, const int8_t* filter,
                const float* bias, int8_t* quantized, float* output) {
  const int64_t depth = d.input_depth;
  const int64_t total = d.batches * depth;
  // TFLite skips the products when the whole input is zero.
  const bool all_zero = std::all_of(input, input + total, [](float v) { return v == 0.0f; });
  for (int64_t b = 0; b < d.batches; ++b) {
    float* out_row = output + b * d.units;
    for (int32_t u = 0; u < d.units; ++u) out_row[u] = bias != nullptr ? bias[u] : 0.0f;
    if (!all_zero) {
      const float* in_row = input + b * depth;
      int32_t zero_point = 0;
      const float row_scale = d.asymmetric_inputs
                                  ? QuantizeRowAsymmetric(in_row, depth, quantized, &zero_point)
                                  : QuantizeRowSymmetric(in_row, depth, quantized);
      for (int32_t u = 0; u < d.units; ++u) {
        const int8_t* filter_row = filter + u * depth;
        int64_t dot = 0;
        for (int64_t i = 0; i < depth; ++i) {
          dot += static_cast<int32_t>(quantized[i]) * static_cast<int32_t>(filter_row[i]);
        }
        if (d.asymmetric_inputs) dot -= d.filter_row_sums[u] * zero_point;
        out_row[u] += static_cast<float>(dot) * (row_scale * d.filter_scales[u]);
      }
    }
    for (int32_t u = 0; u < d.units; ++u) {
      out_row[u] = std::min(std::max(out_row[u], d.act_min_float), d.act_max_float);
    }
  }
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<FullyConnectedData>();
  const Tensor& input = *ctx.input(0);
  const Tensor& filter = *ctx.input(1);
  const Tensor* bias = ctx.input(2);
  Tensor* output = ctx.output(0);
  switch (input.type) {
    case DType::kFloat32:
      if (d.hybrid) {
        EvalHybrid(d, input.data_as<float>(), filter.data_as<int8_t>(),
                   bias ? bias->data_as<float>() : nullptr,
                   static_cast<int8_t*>(ctx.scratch(d.quantized_input_scratch)),
                   output->data_as<float>());
        return Status::Ok();
      }
      EvalFloat(d, input.data_as<float>(), filter.data_as<float>(),
                bias ? bias->data_as<float>() : nullptr, output->data_as<float>());
      return Status::Ok();
    case DType::kInt16:
      EvalInt16(d, input.data_as<int16_t>(), filter.data_as<int8_t>(),
                bias ? bias->data_as<int64_t>() : nullptr, output->data_as<int16_t>());
      return Status::Ok();
    case DType::kInt8:
      EvalQuantized(d, input.data_as<int8_t>(), filter.data_as<int8_t>(),
                    bias ? bias->data_as<int32_t>() : nullptr, output->data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      EvalQuantized(d, input.data_as<uint8_t>(), filter.data_as<uint8_t>(),
                    bias ? bias->data_as<int32_t>() : nullptr, output->data_as<uint8_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("unsupported input dtype ", DTypeName(input.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* FullyConnected() {
  static const KernelRegistration kRegistration = {"fully_connected_reference", Prepare, Eval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kFullyConnectedFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation,
     offsetof(FullyConnectedOptions, activation)},
    {"weights_format", 1, FieldType::kUInt8, offsetof(FullyConnectedOptions, weights_format)},
    {"keep_num_dims", 2, FieldType::kBool, offsetof(FullyConnectedOptions, keep_num_dims)},
    {"asymmetric_quantize_inputs", 3, FieldType::kBool,
     offsetof(FullyConnectedOptions, asymmetric_quantize_inputs)},
};
extern const OptionsIO kFullyConnectedOptionsIO;
const OptionsIO kFullyConnectedOptionsIO = OptionsIOFor<FullyConnectedOptions>(
    tfl::BuiltinOptions::FullyConnectedOptions, kFullyConnectedFields);

}  // namespace qlite
