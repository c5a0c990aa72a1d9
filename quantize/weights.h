// The numeric half of the quantizer: turning float ranges and float constant
// data into quantization parameters and quantized bytes, as TFLite's
// converter does it.
#pragma once

#include <cstdint>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "quantize/quantizer.h"

namespace qlite {

// Asymmetric int8 parameters for an activation range: the range is widened to
// include 0, scale = (max - min) / 255 and the zero point is nudged onto the
// integer grid (round(-128 - min / scale), clamped). An empty range gives
// scale 1 so that the tensor stays valid.
Quantization AsymmetricInt8Params(TensorRange range);

// Symmetric int16 parameters: zero point 0, scale = max(|min|, |max|) / 32767.
Quantization SymmetricInt16Params(TensorRange range);

// Per-channel symmetric int8 weights: for every slice along `channel_dim`,
// scale = max|w| / 127 and q = round(w / scale) in [-127, 127]. A channel of
// zeros gets scale 1 (all its values quantize to 0).
Status QuantizeWeightsPerChannel(const float* values, const std::vector<int32_t>& shape,
                                 int channel_dim, std::vector<int8_t>* quantized,
                                 Quantization* quant);

// The same, or with per_channel false one scale for the whole tensor
// (max|w| / 127; quantized_dimension 0), as TFLite's per-tensor weights.
Status QuantizeWeights(const float* values, const std::vector<int32_t>& shape, int channel_dim,
                       bool per_channel, std::vector<int8_t>* quantized, Quantization* quant);

// Per-tensor asymmetric int8 (or symmetric int16) quantization of a constant
// activation-like operand (e.g. the constant side of ADD), from its own range.
void QuantizeConstantPerTensor(const float* values, size_t count, DType type,
                               std::vector<uint8_t>* bytes, Quantization* quant);

// Bias with scale[c] = input_scale * weight_scale[c] (float product, as the
// kernels' checks expect) and zero point 0: int32 for int8 models, int64 for
// int16x8. `weight_scales` has 1 entry (broadcast) or one per bias element.
Status QuantizeBias(const float* values, size_t count, float input_scale,
                    const std::vector<float>& weight_scales, DType bias_type,
                    std::vector<uint8_t>* bytes, Quantization* quant);

// float32 -> IEEE half bytes (round to nearest even).
std::vector<uint8_t> ToFloat16Bytes(const float* values, size_t count);

}  // namespace qlite
