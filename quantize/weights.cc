#include "quantize/weights.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/float16.h"
#include "core/tensor.h"

namespace qlite {

namespace {

template <typename T>
void AppendBytes(const std::vector<T>& values, std::vector<uint8_t>* bytes) {
  bytes->resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(bytes->data(), values.data(), bytes->size());
}

TensorRange RangeOf(const float* values, size_t count) {
  TensorRange r;
  for (size_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) continue;
    r.min = std::min(r.min, values[i]);
    r.max = std::max(r.max, values[i]);
  }
  return r;
}

}  // namespace

Quantization AsymmetricInt8Params(TensorRange range) {
  const double lo = std::min(0.0, static_cast<double>(range.min));
  const double hi = std::max(0.0, static_cast<double>(range.max));
  constexpr double kQMin = -128.0, kQMax = 127.0;
  Quantization q;
  if (!(hi - lo > 0.0) || !std::isfinite(hi - lo)) {
    q.scale = {1.0f};
    q.zero_point = {static_cast<int64_t>(kQMin)};
  } else {
    const float scale = static_cast<float>((hi - lo) / (kQMax - kQMin));
    const double zero_point_from_min = kQMin - lo / scale;
    int64_t zp;
    if (zero_point_from_min <= kQMin) {
      zp = static_cast<int64_t>(kQMin);
    } else if (zero_point_from_min >= kQMax) {
      zp = static_cast<int64_t>(kQMax);
    } else {
      zp = static_cast<int64_t>(std::round(zero_point_from_min));
    }
    q.scale = {scale};
    q.zero_point = {zp};
  }
  q.min = {range.min};
  q.max = {range.max};
  return q;
}

Quantization SymmetricInt16Params(TensorRange range) {
  const double bound = std::max(std::fabs(static_cast<double>(range.min)),
                                std::fabs(static_cast<double>(range.max)));
  Quantization q;
  const bool usable = bound > 0.0 && std::isfinite(bound);
  q.scale = {usable ? static_cast<float>(bound / 32767.0) : 1.0f};
  q.zero_point = {0};
  q.min = {range.min};
  q.max = {range.max};
  return q;
}

Status QuantizeWeightsPerChannel(const float* values, const std::vector<int32_t>& shape,
                                 int channel_dim, std::vector<int8_t>* quantized,
                                 Quantization* quant) {
  QLITE_ENSURE(channel_dim >= 0 && channel_dim < static_cast<int>(shape.size()),
               "weights of shape ", ShapeToString(shape), " have no dimension ", channel_dim);
  const int64_t count = ShapeElementCount(shape);
  QLITE_ENSURE(count > 0, "weights of shape ", ShapeToString(shape), " are empty");
  const int64_t channels = shape[channel_dim];
  int64_t inner = 1;  // elements between two consecutive channel indices
  for (size_t d = channel_dim + 1; d < shape.size(); ++d) inner *= shape[d];
  auto channel_of = [&](int64_t i) { return (i / inner) % channels; };

  std::vector<float> max_abs(channels, 0.0f);
  for (int64_t i = 0; i < count; ++i) {
    QLITE_ENSURE(std::isfinite(values[i]), "weight value ", values[i], " at element ", i,
                 " is not finite");
    float& m = max_abs[channel_of(i)];
    m = std::max(m, std::fabs(values[i]));
  }
  std::vector<float> scales(channels), inverse(channels);
  for (int64_t c = 0; c < channels; ++c) {
    scales[c] = max_abs[c] > 0.0f ? max_abs[c] / 127.0f : 1.0f;
    inverse[c] = 1.0f / scales[c];
  }
  quantized->resize(count);
  for (int64_t i = 0; i < count; ++i) {
    const float q = std::round(values[i] * inverse[channel_of(i)]);
    (*quantized)[i] = static_cast<int8_t>(std::min(127.0f, std::max(-127.0f, q)));
  }
  *quant = Quantization();
  quant->scale = std::move(scales);
  quant->zero_point.assign(channels, 0);
  quant->quantized_dimension = channel_dim;
  return Status::Ok();
}

Status QuantizeWeights(const float* values, const std::vector<int32_t>& shape, int channel_dim,
                       bool per_channel, std::vector<int8_t>* quantized, Quantization* quant) {
  if (per_channel) return QuantizeWeightsPerChannel(values, shape, channel_dim, quantized, quant);
  QLITE_ENSURE(channel_dim >= 0 && channel_dim < static_cast<int>(shape.size()),
               "weights of shape ", ShapeToString(shape), " have no dimension ", channel_dim);
  const int64_t count = ShapeElementCount(shape);
  QLITE_ENSURE(count > 0 && count <= std::numeric_limits<int32_t>::max(), "weights of shape ",
               ShapeToString(shape), " are empty or too large");
  // One "channel" spanning every element.
  const std::vector<int32_t> whole = {1, static_cast<int32_t>(count)};
  return QuantizeWeightsPerChannel(values, whole, 0, quantized, quant);
}

void QuantizeConstantPerTensor(const float* values, size_t count, DType type,
                               std::vector<uint8_t>* bytes, Quantization* quant) {
  const TensorRange range = RangeOf(values, count);
  const bool int16 = type == DType::kInt16;
  *quant = int16 ? SymmetricInt16Params(range) : AsymmetricInt8Params(range);
  const float scale = quant->scale[0];
  const int64_t zp = quant->zero_point[0];
  const float qmin = int16 ? -32768.0f : -128.0f, qmax = int16 ? 32767.0f : 127.0f;
  auto quantize = [&](float v) {
    const float q = std::isfinite(v) ? std::round(v / scale) + static_cast<float>(zp) : 0.0f;
    return std::min(qmax, std::max(qmin, q));
  };
  if (int16) {
    std::vector<int16_t> q(count);
    for (size_t i = 0; i < count; ++i) q[i] = static_cast<int16_t>(quantize(values[i]));
    AppendBytes(q, bytes);
  } else {
    std::vector<int8_t> q(count);
    for (size_t i = 0; i < count; ++i) q[i] = static_cast<int8_t>(quantize(values[i]));
    AppendBytes(q, bytes);
  }
}

Status QuantizeBias(const float* values, size_t count, float input_scale,
                    const std::vector<float>& weight_scales, DType bias_type,
                    std::vector<uint8_t>* bytes, Quantization* quant) {
  QLITE_ENSURE(weight_scales.size() == 1 || weight_scales.size() == count, "bias has ", count,
               " elements but the weights have ", weight_scales.size(), " scales");
  QLITE_ENSURE(bias_type == DType::kInt32 || bias_type == DType::kInt64,
               "bias must be int32 or int64");
  const double limit = bias_type == DType::kInt32
                           ? static_cast<double>(std::numeric_limits<int32_t>::max())
                           : 9.0e18;
  // Per-tensor weights give the bias one scale too, as TFLite writes it.
  std::vector<float> scales(weight_scales.size() == 1 ? std::min<size_t>(count, 1) : count);
  std::vector<int64_t> q(count);
  for (size_t c = 0; c < count; ++c) {
    const float scale = input_scale * weight_scales[weight_scales.size() == 1 ? 0 : c];
    QLITE_ENSURE(std::isfinite(scale) && scale > 0.0f, "bias scale ", scale, " of channel ", c,
                 " is not positive (input scale ", input_scale, ")");
    QLITE_ENSURE(std::isfinite(values[c]), "bias value ", values[c], " of channel ", c,
                 " is not finite");
    const double v = std::round(static_cast<double>(values[c]) / static_cast<double>(scale));
    q[c] = static_cast<int64_t>(std::min(limit, std::max(-limit, v)));
    if (c < scales.size()) scales[c] = scale;
  }
  if (bias_type == DType::kInt32) {
    std::vector<int32_t> q32(q.begin(), q.end());
    AppendBytes(q32, bytes);
  } else {
    AppendBytes(q, bytes);
  }
  *quant = Quantization();
  quant->scale = std::move(scales);
  quant->zero_point.assign(quant->scale.size(), 0);
  quant->quantized_dimension = 0;
  return Status::Ok();
}

std::vector<uint8_t> ToFloat16Bytes(const float* values, size_t count) {
  std::vector<uint16_t> half(count);
  for (size_t i = 0; i < count; ++i) half[i] = FloatToHalf(values[i]);
  std::vector<uint8_t> bytes;
  AppendBytes(half, &bytes);
  return bytes;
}

}  // namespace qlite
