#include "core/kernels/conv_common.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/kernels/kernel_util.h"

namespace qlite {

namespace {

// A constant's buffer must hold exactly its shape's bytes, or the loops would
// read past it.
Status CheckConstantBytes(const Tensor& t, const char* role) {
  if (!t.is_constant()) return Status::Ok();
  const int64_t count = t.num_elements();
  QLITE_ENSURE(count >= 0 && t.bytes == static_cast<size_t>(count) * DTypeSize(t.type), role,
               " tensor '", t.name(), "' has ", t.bytes, " bytes of data but shape ",
               ShapeToString(t.shape), " of ", DTypeName(t.type), " needs ",
               count * static_cast<int64_t>(DTypeSize(t.type)));
  return Status::Ok();
}

Status CheckBias(const Tensor& bias, std::initializer_list<DType> types, int channels) {
  QLITE_RETURN_IF_ERROR(CheckType(bias, types, "bias"));
  QLITE_ENSURE(bias.rank() == 1 && bias.dim(0) == channels, "bias tensor '", bias.name(),
               "' has shape ", ShapeToString(bias.shape), " but the filter has ", channels,
               " output channels");
  for (int64_t zero_point : bias.quant().zero_point) {
    QLITE_ENSURE(zero_point == 0, "bias tensor '", bias.name(), "' has zero point ", zero_point,
                 " (must be 0)");
  }
  return CheckConstantBytes(bias, "bias");
}

Status CheckFilterQuant(const Tensor& filter, int quantized_dimension, int channels) {
  const Quantization& q = filter.quant();
  QLITE_ENSURE(!q.scale.empty(), "filter tensor '", filter.name(), "' (", DTypeName(filter.type),
               ") has no quantization parameters");
  QLITE_ENSURE(q.zero_point.size() == q.scale.size(), "filter tensor '", filter.name(), "' has ",
               q.scale.size(), " scales but ", q.zero_point.size(), " zero points");
  if (q.per_channel()) {
    QLITE_ENSURE(filter.type == DType::kInt8, "filter tensor '", filter.name(),
                 "': per-channel quantization needs an int8 filter, got ", DTypeName(filter.type));
    QLITE_ENSURE(q.quantized_dimension == quantized_dimension, "filter tensor '", filter.name(),
                 "' is quantized along dimension ", q.quantized_dimension, ", expected ",
                 quantized_dimension, " (output channels)");
    QLITE_ENSURE(static_cast<int>(q.scale.size()) == channels, "filter tensor '", filter.name(),
                 "' has ", q.scale.size(), " scales for ", channels, " output channels");
  }
  for (int64_t zero_point : q.zero_point) {
    if (filter.type == DType::kInt8) {
      QLITE_ENSURE(zero_point == 0, "int8 filter tensor '", filter.name(),
                   "' must be symmetric, has zero point ", zero_point);
    } else {
      QLITE_ENSURE(zero_point >= 0 && zero_point <= 255, "uint8 filter tensor '", filter.name(),
                   "' has zero point ", zero_point, " outside [0, 255]");
    }
  }
  return Status::Ok();
}

// uint8 models use one multiplier for the whole tensor, computed (float
// product, double division) as TFLite's GetQuantizedConvolutionMultipler,
// which also insists that the bias scale equals input_scale * filter_scale.
Status LegacyPerTensorMultiplier(const Tensor& input, const Tensor& filter, const Tensor* bias,
                                 const Tensor& output, int32_t* multiplier, int* shift) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(filter, "filter"));
  if (bias != nullptr) {
    const double product_scale = static_cast<double>(input.scale() * filter.scale());
    QLITE_ENSURE(!bias->quant().scale.empty(), "bias tensor '", bias->name(),
                 "' of a uint8 convolution has no scale");
    const double bias_scale = bias->quant().scale[0];
    QLITE_ENSURE(std::abs(product_scale - bias_scale) <= 1e-6 * std::min(product_scale, bias_scale),
                 "bias tensor '", bias->name(), "' has scale ", bias_scale,
                 ", expected input_scale * filter_scale = ", product_scale);
  }
  return QuantizeMultiplierChecked(
      LegacyConvMultiplier(input.scale(), filter.scale(), output.scale()), multiplier, shift);
}

// The kind follows from (input, filter) dtypes; bias dtype picks between the
// two int16x8 variants.
Status ChooseKind(const Tensor& input, const Tensor& filter, const Tensor* bias,
                  const Tensor& output, ConvKind* kind) {
  QLITE_RETURN_IF_ERROR(
      CheckType(input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(output, {input.type}, "output"));
  switch (input.type) {
    case DType::kFloat32:
      QLITE_RETURN_IF_ERROR(CheckType(filter, {DType::kFloat32, DType::kInt8}, "filter"));
      *kind = filter.type == DType::kInt8 ? ConvKind::kHybrid : ConvKind::kFloat;
      if (bias != nullptr) QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kFloat32}, "bias"));
      return Status::Ok();
    case DType::kInt8:
    case DType::kUInt8:
      QLITE_RETURN_IF_ERROR(CheckType(filter, {input.type}, "filter"));
      *kind = input.type == DType::kInt8 ? ConvKind::kInt8 : ConvKind::kUInt8;
      if (bias != nullptr) QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kInt32}, "bias"));
      return Status::Ok();
    default:  // int16
      QLITE_RETURN_IF_ERROR(CheckType(filter, {DType::kInt8}, "filter"));
      if (bias != nullptr) {
        QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kInt64, DType::kInt32}, "bias"));
      }
      *kind = bias != nullptr && bias->type == DType::kInt32 ? ConvKind::kInt16Bias32
                                                             : ConvKind::kInt16;
      return Status::Ok();
  }
}

QLITE_PREPARE_TIME Status PrepareHybrid(ConvOpKind op, const Tensor& filter, int channels,
                                        ConvArithmetic* arith) {
  const std::vector<float>& scales = filter.quant().scale;
  for (size_t c = 0; c < scales.size(); ++c) {
    QLITE_ENSURE(std::isfinite(scales[c]) && scales[c] > 0.0f, "filter scale of channel ", c,
                 " is ", scales[c], " (must be finite and > 0)");
  }
  arith->channel_scales.resize(channels);
  for (int c = 0; c < channels; ++c) {
    arith->channel_scales[c] = scales.size() == 1 ? scales[0] : scales[c];
  }
  // TFLite's conv takes the per-channel path (asymmetric input, scales applied
  // one after the other) only when the scales differ; otherwise it quantizes
  // symmetrically and folds the single filter scale into the batch scale.
  // Depthwise always takes its per-channel path, which multiplies the two
  // scales first.
  const bool scales_differ =
      std::any_of(scales.begin(), scales.end(), [&](float s) { return s != scales[0]; });
  arith->asymmetric_input = op == ConvOpKind::kDepthwise || scales_differ;
  arith->scale_product_first = op == ConvOpKind::kDepthwise || !scales_differ;
  return Status::Ok();
}

// Float to int8 as TFLite does it (std::round, then clamp), but with NaN and
// out-of-range values clamped before the conversion so that it is defined.
int8_t RoundAndClamp(float value, int32_t lo, int32_t hi) {
  const float rounded = std::round(value);
  if (!(rounded >= static_cast<float>(lo))) return static_cast<int8_t>(lo);
  if (rounded > static_cast<float>(hi)) return static_cast<int8_t>(hi);
  return static_cast<int8_t>(static_cast<int32_t>(rounded));
}

}  // namespace

Status CheckNonEmptyDims(const Tensor& t, const char* role) {
  for (int32_t d : t.shape) {
    QLITE_ENSURE(d >= 1, role, " tensor '", t.name(), "' has shape ", ShapeToString(t.shape),
                 " with an empty dimension");
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status PrepareConvArithmetic(ConvOpKind op, const Tensor& input,
                                                const Tensor& filter, const Tensor* bias,
                                                const Tensor& output, Activation activation,
                                                int channels, Arithmetic arithmetic,
                                                ConvArithmetic* arith) {
  const int quantized_dimension = op == ConvOpKind::kDepthwise ? 3 : 0;
  QLITE_RETURN_IF_ERROR(ChooseKind(input, filter, bias, output, &arith->kind));
  QLITE_RETURN_IF_ERROR(CheckConstantBytes(filter, "filter"));
  if (bias != nullptr) QLITE_RETURN_IF_ERROR(CheckBias(*bias, {bias->type}, channels));

  if (arith->kind == ConvKind::kFloat || arith->kind == ConvKind::kHybrid) {
    QLITE_RETURN_IF_ERROR(
        ActivationRangeFloat(activation, &arith->float_act_min, &arith->float_act_max));
    if (arith->kind == ConvKind::kFloat) return Status::Ok();
    QLITE_RETURN_IF_ERROR(CheckFilterQuant(filter, quantized_dimension, channels));
    return PrepareHybrid(op, filter, channels, arith);
  }

  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  QLITE_ENSURE(input.quant().scale.size() == 1 && output.quant().scale.size() == 1,
               "input and output must be quantized per tensor");
  QLITE_RETURN_IF_ERROR(CheckFilterQuant(filter, quantized_dimension, channels));
  arith->input_offset = -input.zero_point();
  arith->output_offset = output.zero_point();
  if (arith->kind == ConvKind::kUInt8) {
    arith->filter_offset = -filter.zero_point();
    int32_t multiplier = 0;
    int shift = 0;
    QLITE_RETURN_IF_ERROR(
        LegacyPerTensorMultiplier(input, filter, bias, output, &multiplier, &shift));
    arith->multipliers.assign(channels, multiplier);
    arith->shifts.assign(channels, shift);
  } else {
    arith->filter_offset = 0;
    QLITE_RETURN_IF_ERROR(PerChannelMultipliers(input.scale(), filter.quant().scale, output.scale(),
                                                channels, &arith->multipliers, &arith->shifts));
  }
  if (arith->kind == ConvKind::kInt16 || arith->kind == ConvKind::kInt16Bias32) {
    QLITE_ENSURE(input.zero_point() == 0 && output.zero_point() == 0,
                 "int16 input and output must have zero point 0 (symmetric), got ",
                 input.zero_point(), " and ", output.zero_point());
    if (arith->kind == ConvKind::kInt16) {
      // The int64 MultiplyByQuantizedMultiplier is defined for shifts <= 7.
      for (int c = 0; c < channels; ++c) {
        QLITE_ENSURE(arith->shifts[c] <= 7, "invalid quantization: effective scale of channel ", c,
                     " is too large (>= 2^7) for int16x8");
      }
    }
  }
  arith->xnnpack_scales.clear();
  if (arithmetic == Arithmetic::kXnnpack &&
      (arith->kind == ConvKind::kInt8 || arith->kind == ConvKind::kUInt8)) {
    arith->xnnpack_scales = XnnpackChannelScales(input.type, input.scale(), filter.quant().scale,
                                                 output.scale(), channels);
  }
  // A node XNNPACK takes clamps to XNNPACK's bounds as well.
  if (!arith->xnnpack_scales.empty()) {
    return XnnpackActivationRange(activation, output, &arith->quant_act_min, &arith->quant_act_max);
  }
  return ActivationRangeQuantized(activation, output, &arith->quant_act_min, &arith->quant_act_max);
}

Status RequestConvScratch(OpContext& ctx, const Tensor& input, ConvArithmetic* arith) {
  if (arith->kind != ConvKind::kHybrid) return Status::Ok();
  arith->batches = input.dim(0);
  arith->batch_size = input.num_elements() / arith->batches;
  QLITE_RETURN_IF_ERROR(ctx.RequestScratch(static_cast<size_t>(input.num_elements()),
                                           &arith->quantized_input_scratch));
  QLITE_RETURN_IF_ERROR(ctx.RequestScratch(sizeof(float) * static_cast<size_t>(arith->batches),
                                           &arith->batch_scale_scratch));
  return ctx.RequestScratch(sizeof(int32_t) * static_cast<size_t>(arith->batches),
                            &arith->batch_offset_scratch);
}

void SymmetricQuantizeFloats(const float* values, int64_t count, int8_t* quantized, float* scale) {
  const auto minmax = std::minmax_element(values, values + count);
  const float range = std::max(std::abs(*minmax.first), std::abs(*minmax.second));
  if (range == 0.0f) {
    std::memset(quantized, 0, static_cast<size_t>(count));
    *scale = 1.0f;
    return;
  }
  *scale = range / 127;
  const float inverse = 127 / range;
  for (int64_t i = 0; i < count; ++i) quantized[i] = RoundAndClamp(values[i] * inverse, -127, 127);
}

void AsymmetricQuantizeFloats(const float* values, int64_t count, int8_t* quantized, float* scale,
                              int32_t* zero_point) {
  constexpr double kQMin = -128.0, kQMax = 127.0;
  const auto minmax = std::minmax_element(values, values + count);
  const double rmin = std::fmin(0.0, *minmax.first);
  const double rmax = std::fmax(0.0, *minmax.second);
  if (rmin == rmax) {
    std::memset(quantized, 0, static_cast<size_t>(count));
    *scale = 1.0f;
    *zero_point = 0;
    return;
  }
  // The zero point comes from whichever end of the range loses less to rounding.
  const double real_scale = (rmax - rmin) / (kQMax - kQMin);
  const double from_min = kQMin - rmin / real_scale;
  const double from_max = kQMax - rmax / real_scale;
  const double error_min = std::abs(kQMin) + std::abs(rmin / real_scale);
  const double error_max = std::abs(kQMax) + std::abs(rmax / real_scale);
  const double zero_point_real = error_min < error_max ? from_min : from_max;
  int32_t nudged = 0;
  if (!(zero_point_real > kQMin)) {  // also NaN (non-finite input)
    nudged = -128;
  } else if (zero_point_real >= kQMax) {
    nudged = 127;
  } else {
    nudged = static_cast<int32_t>(std::round(zero_point_real));
  }
  *scale = static_cast<float>(real_scale);
  *zero_point = nudged;
  const float inverse = static_cast<float>(1.0 / static_cast<double>(*scale));
  for (int64_t i = 0; i < count; ++i) {
    quantized[i] = RoundAndClamp(static_cast<float>(nudged) + values[i] * inverse, -128, 127);
  }
}

HybridConvMath PrepareHybridInput(const OpContext& ctx, const ConvArithmetic& arith,
                                  const Tensor& input, const Tensor* bias,
                                  const int8_t** quantized_input) {
  auto* quantized = static_cast<int8_t*>(ctx.scratch(arith.quantized_input_scratch));
  auto* scales = static_cast<float*>(ctx.scratch(arith.batch_scale_scratch));
  auto* offsets = static_cast<int32_t*>(ctx.scratch(arith.batch_offset_scratch));
  const float* values = input.data_as<float>();
  for (int b = 0; b < arith.batches; ++b) {
    const int64_t start = b * arith.batch_size;
    if (arith.asymmetric_input) {
      AsymmetricQuantizeFloats(values + start, arith.batch_size, quantized + start, &scales[b],
                               &offsets[b]);
    } else {
      SymmetricQuantizeFloats(values + start, arith.batch_size, quantized + start, &scales[b]);
      offsets[b] = 0;
    }
  }
  *quantized_input = quantized;
  return HybridConvMath{bias != nullptr ? bias->data_as<float>() : nullptr, &arith, scales,
                        offsets};
}

}  // namespace qlite
