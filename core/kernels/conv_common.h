// What CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV share: validation of the
// dtypes and quantization of (input, filter, bias, output), the values
// computed from them at prepare time, and the per-tap / per-output arithmetic
// of every supported combination:
//   float32        float input, filter, bias and output
//   int8           int8 activations, int8 per-channel filter, int32 bias
//   uint8          legacy per-tensor uint8, int32 bias
//   int16x8        int16 activations (zero point 0), int8 per-channel filter,
//                  int64 bias (or int32 bias, as tflite-micro allows)
//   hybrid         float input/output, int8 constant filter, float bias: the
//                  input is quantized to int8 per batch at eval time
// The ops differ only in which input feeds which output, so each file keeps its
// own loop and plugs one of the "math" structs below into it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/kernel_api.h"
#include "core/kernels/kernel_util.h"
#include "core/model.h"
#include "core/quant_math.h"
#include "core/status.h"

namespace qlite {

enum class ConvOpKind { kConv, kDepthwise, kTransposeConv };

// Output size and padding of a CONV_2D or DEPTHWISE_CONV_2D window from the
// node's options and the input and filter sizes already in `data`; stores
// them with the strides and dilations in `data`.
template <typename OpData, typename Options>
Status PrepareConvWindow(const Options& options, OpData* data) {
  WindowGeometry geometry;
  QLITE_RETURN_IF_ERROR(ComputeWindowGeometry(
      options.padding, data->in_height, data->in_width, data->filter_height, data->filter_width,
      options.stride_h, options.stride_w, options.dilation_h, options.dilation_w, &geometry));
  data->out_height = geometry.out_height;
  data->out_width = geometry.out_width;
  data->pad_height = geometry.pad_height;
  data->pad_width = geometry.pad_width;
  data->stride_height = options.stride_h;
  data->stride_width = options.stride_w;
  data->dilation_height = options.dilation_h;
  data->dilation_width = options.dilation_w;
  return Status::Ok();
}

enum class ConvKind { kFloat, kInt8, kUInt8, kInt16, kInt16Bias32, kHybrid };

struct ConvArithmetic {
  ConvKind kind = ConvKind::kFloat;

  // float32 and hybrid
  float float_act_min = 0.0f, float_act_max = 0.0f;

  // int8 / uint8 / int16
  int32_t input_offset = 0;                  // -input zero point (0 for int16)
  int32_t filter_offset = 0;                 // -filter zero point; 0 for (symmetric) int8
  int32_t output_offset = 0;                 // output zero point (0 for int16)
  std::vector<int32_t> multipliers, shifts;  // one per output channel
  int32_t quant_act_min = 0, quant_act_max = 0;
  // int8 / uint8 under Arithmetic::kXnnpack: XNNPACK's float scale per output
  // channel (XnnpackRequantize); empty: TFLite's multipliers and shifts.
  std::vector<float> xnnpack_scales;

  // hybrid: filter scale per output channel; how the input is quantized
  // (TFLite: asymmetric per batch for per-channel filters, symmetric for a
  // per-tensor conv filter) and in which order the float scales are applied.
  std::vector<float> channel_scales;
  bool asymmetric_input = false;
  bool scale_product_first = false;  // acc * (channel * batch), else (acc * channel) * batch
  int batches = 0;
  int64_t batch_size = 0;  // input elements per batch
  int quantized_input_scratch = -1, batch_scale_scratch = -1, batch_offset_scratch = -1;
};

// Checks dtypes, bias shape and quantization for a conv-like op whose filter
// has `channels` output channels, and fills `arith`. `bias` may be nullptr.
// `arithmetic` picks the requantization of int8 / uint8 (OpContext::arithmetic).
Status PrepareConvArithmetic(ConvOpKind op, const Tensor& input, const Tensor& filter,
                             const Tensor* bias, const Tensor& output, Activation activation,
                             int channels, Arithmetic arithmetic, ConvArithmetic* arith);

// Requests the scratch buffers the hybrid kinds quantize the input into; no-op
// for the others. Call after PrepareConvArithmetic.
Status RequestConvScratch(OpContext& ctx, const Tensor& input, ConvArithmetic* arith);

// Checks that every dim of `t` is >= 1 (an empty input or filter is rejected).
Status CheckNonEmptyDims(const Tensor& t, const char* role);

// TFLite's AsymmetricQuantizeFloats / SymmetricQuantizeFloats for one batch:
// int8 values, the scale and (asymmetric only) the zero point.
void AsymmetricQuantizeFloats(const float* values, int64_t count, int8_t* quantized, float* scale,
                              int32_t* zero_point);
void SymmetricQuantizeFloats(const float* values, int64_t count, int8_t* quantized, float* scale);

// ---- Per-element arithmetic plugged into the loops. ----
// Each math struct names its element types (InputType, FilterType,
// OutputType) and accumulator (Acc). ForBatch(b) returns the math to use for
// batch b (only hybrid differs per batch). Tap(x, w) is one input*weight
// product; Output(sum, channel) turns the sum of a window's taps into the
// output value. Integer sums are kept in int64 and wrapped to int32 once at
// the end where TFLite accumulates in (wrapping) int32: same bits, no UB.

inline int32_t WrapToInt32(int64_t x) { return static_cast<int32_t>(static_cast<uint64_t>(x)); }

struct FloatConvMath {
  using InputType = float;
  using FilterType = float;
  using OutputType = float;
  using Acc = float;
  const float* bias;  // nullptr: no bias
  float act_min, act_max;

  const FloatConvMath& ForBatch(int) const { return *this; }
  static Acc Tap(float x, float w) { return x * w; }
  float Output(Acc sum, int channel) const {
    const float biased = sum + (bias != nullptr ? bias[channel] : 0.0f);
    return std::min(std::max(biased, act_min), act_max);
  }
};

template <typename T>  // int8_t or uint8_t
struct QuantizedConvMath {
  using InputType = T;
  using FilterType = T;
  using OutputType = T;
  using Acc = int64_t;
  const int32_t* bias;  // nullptr: no bias
  const ConvArithmetic* arith;

  const QuantizedConvMath& ForBatch(int) const { return *this; }
  Acc Tap(T x, T w) const {
    return static_cast<int64_t>(x + arith->input_offset) * (w + arith->filter_offset);
  }
  T Output(Acc sum, int channel) const {
    const int32_t acc = WrapToInt32(sum + (bias != nullptr ? bias[channel] : 0));
    if (!arith->xnnpack_scales.empty()) {
      return static_cast<T>(XnnpackRequantize(acc, arith->xnnpack_scales[channel],
                                              arith->output_offset, arith->quant_act_min,
                                              arith->quant_act_max));
    }
    const int32_t scaled =
        MultiplyByQuantizedMultiplier(acc, arith->multipliers[channel], arith->shifts[channel]);
    // int32 addition that wraps like TFLite's instead of overflowing.
    const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(scaled) +
                                                 static_cast<uint32_t>(arith->output_offset));
    return static_cast<T>(Clamp(shifted, arith->quant_act_min, arith->quant_act_max));
  }
};

// int16x8. With an int64 bias (or none) TFLite accumulates in int64 and uses
// the int64 MultiplyByQuantizedMultiplier; with an int32 bias tflite-micro
// accumulates in int32 and uses the int32 one. Zero points are 0.
template <typename Bias>  // int64_t or int32_t
struct Int16ConvMath {
  using InputType = int16_t;
  using FilterType = int8_t;
  using OutputType = int16_t;
  using Acc = int64_t;
  const Bias* bias;  // nullptr: no bias
  const ConvArithmetic* arith;

  const Int16ConvMath& ForBatch(int) const { return *this; }
  static Acc Tap(int16_t x, int8_t w) { return static_cast<int64_t>(x) * w; }
  int16_t Output(Acc sum, int channel) const {
    const int32_t multiplier = arith->multipliers[channel];
    const int shift = arith->shifts[channel];
    const Bias bias_value = bias != nullptr ? bias[channel] : 0;
    int32_t scaled = 0;
    if constexpr (sizeof(Bias) == 8) {
      // Wrapping add (only a hostile bias can overflow), then the range the
      // int64 multiply is specified for (|x| < 2^47), so it cannot overflow.
      constexpr int64_t kLimit = int64_t{1} << 47;
      const int64_t acc =
          static_cast<int64_t>(static_cast<uint64_t>(sum) + static_cast<uint64_t>(bias_value));
      scaled = MultiplyByQuantizedMultiplier(std::min(std::max(acc, -kLimit), kLimit - 1),
                                             multiplier, shift);
    } else {
      scaled = MultiplyByQuantizedMultiplier(WrapToInt32(sum + bias_value), multiplier, shift);
    }
    return static_cast<int16_t>(Clamp(scaled, arith->quant_act_min, arith->quant_act_max));
  }
};

// Hybrid: the loop reads the int8 input quantized at the start of eval; the
// int32 sum is scaled back to float with the batch's input scale and the
// channel's filter scale, in TFLite's order for the op.
struct HybridConvMath {
  using InputType = int8_t;
  using FilterType = int8_t;
  using OutputType = float;
  using Acc = int64_t;
  const float* bias;  // nullptr: no bias
  const ConvArithmetic* arith;
  const float* batch_scales;
  const int32_t* batch_offsets;
  int32_t input_offset = 0;  // zero point of the current batch
  float batch_scale = 1.0f;

  HybridConvMath ForBatch(int b) const {
    HybridConvMath m = *this;
    m.input_offset = batch_offsets[b];
    m.batch_scale = batch_scales[b];
    return m;
  }
  Acc Tap(int8_t x, int8_t w) const { return static_cast<int64_t>(w) * (x - input_offset); }
  float Output(Acc sum, int channel) const {
    const float acc = static_cast<float>(WrapToInt32(sum));
    const float channel_scale = arith->channel_scales[channel];
    float value = arith->scale_product_first ? acc * (channel_scale * batch_scale)
                                             : acc * channel_scale * batch_scale;
    if (bias != nullptr) value += bias[channel];
    return std::min(std::max(value, arith->float_act_min), arith->float_act_max);
  }
};

// Quantizes the float input of a hybrid op into its scratch buffers (one scale
// and zero point per batch) and returns the math that reads them.
HybridConvMath PrepareHybridInput(const OpContext& ctx, const ConvArithmetic& arith,
                                  const Tensor& input, const Tensor* bias,
                                  const int8_t** quantized_input);

// Calls `loop(math, input_data)` with the math struct for `arith.kind`; `loop`
// is a generic lambda that runs the op's loop for that math's element types.
// `input_data` is the input tensor's data, or for hybrid the quantized copy.
template <typename Loop>
Status DispatchConvMath(const OpContext& ctx, const ConvArithmetic& arith, const Tensor& input,
                        const Tensor* bias, Loop&& loop) {
  switch (arith.kind) {
    case ConvKind::kFloat:
      loop(FloatConvMath{bias != nullptr ? bias->data_as<float>() : nullptr, arith.float_act_min,
                         arith.float_act_max},
           input.data_as<float>());
      return Status::Ok();
    case ConvKind::kInt8:
      loop(QuantizedConvMath<int8_t>{bias != nullptr ? bias->data_as<int32_t>() : nullptr, &arith},
           input.data_as<int8_t>());
      return Status::Ok();
    case ConvKind::kUInt8:
      loop(QuantizedConvMath<uint8_t>{bias != nullptr ? bias->data_as<int32_t>() : nullptr, &arith},
           input.data_as<uint8_t>());
      return Status::Ok();
    case ConvKind::kInt16:
      loop(Int16ConvMath<int64_t>{bias != nullptr ? bias->data_as<int64_t>() : nullptr, &arith},
           input.data_as<int16_t>());
      return Status::Ok();
    case ConvKind::kInt16Bias32:
      loop(Int16ConvMath<int32_t>{bias != nullptr ? bias->data_as<int32_t>() : nullptr, &arith},
           input.data_as<int16_t>());
      return Status::Ok();
    case ConvKind::kHybrid: {
      const int8_t* quantized = nullptr;
      const HybridConvMath math = PrepareHybridInput(ctx, arith, input, bias, &quantized);
      loop(math, quantized);
      return Status::Ok();
    }
  }
  return Status::Error("convolution kind was not prepared");
}

}  // namespace qlite
