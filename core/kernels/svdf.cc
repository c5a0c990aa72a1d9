// SVDF: a fully connected layer factored into feature filters and time
// filters over a memory of past feature activations, as TFLite's kernel
// computes it. Inputs: input [batch, input_size], weights_feature
// [filters, input_size], weights_time [filters, memory], bias [units]
// (optional), state [batch, filters * memory] (a variable tensor, updated in
// place); filters = units * rank. Each step shifts every filter's memory left
// by one, writes the new feature activation into its last slot, and sums
// (time weights . memory) over each unit's `rank` filters.
// float32, and int8 with int16 state, int16 time weights and int32 bias
// (TFLite's integer kernel: it needs RELU as the fused activation, yet
// only clamps to int8). Hybrid, as TFLite's: float32 input, bias, state and
// output, int8 per-tensor symmetric weights_feature and weights_time; the
// feature products are hybrid_matvec.h's (a new activation is 0 when the
// whole input is zero), the time weights are dequantized (int8 * scale) and
// the rest runs as float32.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/format/options_io.h"
#include "core/kernels/fused_activation.h"
#include "core/kernels/hybrid_matvec.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

struct SvdfData : OpData {
  int batch = 0, input_size = 0, filters = 0, units = 0, rank = 1, memory = 0;
  int scratch = 0;  // per-filter time sums (hybrid: first the feature sums)
  // hybrid: quantized input rows, and weights_time dequantized
  bool hybrid = false, asymmetric_inputs = false;
  HybridScratchIds hybrid_scratch;
  int float_weights_time = -1;
  // int8: feature sums -> int16 state, and time sums -> int8 output.
  int32_t feature_multiplier = 0, output_multiplier = 0;
  int feature_shift = 0, output_shift = 0;
  int32_t input_zero_point = 0, output_zero_point = 0;
};

QLITE_PREPARE_TIME Status CheckPerTensor(const Tensor& t, const char* role) {
  QLITE_ENSURE(t.has_quant() && t.def->quant.scale.size() == 1, role, " '", t.name(),
               "' needs per-tensor quantization");
  return Status::Ok();
}

QLITE_PREPARE_TIME Status SvdfPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 5, 5, 1));
  const Tensor *input = nullptr, *weights_feature = nullptr, *weights_time = nullptr;
  const Tensor* state = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &weights_feature));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &weights_time));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 4, &state));
  const Tensor* bias = ctx.input(3);
  Tensor& output = *ctx.output(0);
  const auto& options = ctx.options<SvdfOptions>();

  QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32, DType::kInt8}, "input"));
  const bool is_int8 = input->type == DType::kInt8;
  const bool hybrid = !is_int8 && weights_feature->type != DType::kFloat32;
  const DType state_type = is_int8 ? DType::kInt16 : DType::kFloat32;
  if (hybrid) {
    QLITE_RETURN_IF_ERROR(CheckHybridWeights(*weights_feature, "weights_feature"));
    QLITE_RETURN_IF_ERROR(CheckHybridWeights(*weights_time, "weights_time"));
  } else {
    QLITE_RETURN_IF_ERROR(CheckType(*weights_feature, {input->type}, "weights_feature"));
    QLITE_RETURN_IF_ERROR(CheckType(*weights_time, {state_type}, "weights_time"));
  }
  QLITE_RETURN_IF_ERROR(CheckType(*state, {state_type}, "state"));
  QLITE_RETURN_IF_ERROR(CheckType(output, {input->type}, "output"));
  QLITE_ENSURE(state->is_variable(), "state '", state->name(), "' must be a variable tensor");

  QLITE_RETURN_IF_ERROR(CheckRank(*input, 2, "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(*weights_feature, 2, "weights_feature"));
  QLITE_RETURN_IF_ERROR(CheckRank(*weights_time, 2, "weights_time"));
  QLITE_RETURN_IF_ERROR(CheckRank(*state, 2, "state"));
  auto* data = ctx.NewOpData<SvdfData>();
  data->hybrid = hybrid;
  data->asymmetric_inputs = options.asymmetric_quantize_inputs;
  data->batch = input->dim(0);
  data->input_size = input->dim(1);
  data->filters = weights_feature->dim(0);
  data->memory = weights_time->dim(1);
  data->rank = options.rank;
  QLITE_ENSURE(data->rank >= 1, "rank must be >= 1, is ", data->rank);
  QLITE_ENSURE(data->filters % data->rank == 0, "weights_feature's ", data->filters,
               " filters are not a multiple of rank ", data->rank);
  data->units = data->filters / data->rank;
  QLITE_ENSURE(weights_feature->dim(1) == data->input_size, "weights_feature ",
               ShapeToString(weights_feature->shape), " does not match input ",
               ShapeToString(input->shape));
  QLITE_ENSURE(weights_time->dim(0) == data->filters && data->memory >= 1, "weights_time ",
               ShapeToString(weights_time->shape), " must be [", data->filters, ",memory>=1]");
  QLITE_ENSURE(
      state->dim(0) == data->batch &&
          static_cast<int64_t>(state->dim(1)) == static_cast<int64_t>(data->filters) * data->memory,
      "state ", ShapeToString(state->shape), " must be [", data->batch, ",",
      static_cast<int64_t>(data->filters) * data->memory, "]");
  if (bias != nullptr) {
    QLITE_RETURN_IF_ERROR(CheckType(*bias, {is_int8 ? DType::kInt32 : DType::kFloat32}, "bias"));
    QLITE_ENSURE(bias->rank() == 1 && bias->dim(0) == data->units, "bias ",
                 ShapeToString(bias->shape), " must be [", data->units, "]");
  }
  const size_t element = is_int8 ? sizeof(int32_t) : sizeof(float);
  QLITE_RETURN_IF_ERROR(ctx.RequestScratch(
      element * static_cast<size_t>(data->batch) * static_cast<size_t>(data->filters),
      &data->scratch));
  if (hybrid) {
    QLITE_RETURN_IF_ERROR(
        RequestHybridScratch(ctx, data->batch, data->input_size, &data->hybrid_scratch));
    QLITE_RETURN_IF_ERROR(
        ctx.RequestScratch(sizeof(float) * static_cast<size_t>(weights_time->num_elements()),
                           &data->float_weights_time));
  }

  if (is_int8) {
    QLITE_ENSURE(options.activation == Activation::kRelu,
                 "int8 SVDF needs fused activation RELU (as TFLite's kernel), has ",
                 ActivationName(options.activation));
    QLITE_RETURN_IF_ERROR(CheckPerTensor(*input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensor(*weights_feature, "weights_feature"));
    QLITE_RETURN_IF_ERROR(CheckPerTensor(*weights_time, "weights_time"));
    QLITE_RETURN_IF_ERROR(CheckPerTensor(*state, "state"));
    QLITE_RETURN_IF_ERROR(CheckPerTensor(output, "output"));
    // TFLite forms both scales in float, then widens them.
    const float feature_scale = input->scale() * weights_feature->scale() / state->scale();
    const float output_scale = state->scale() * weights_time->scale() / output.scale();
    QuantizeMultiplier(feature_scale, &data->feature_multiplier, &data->feature_shift);
    QuantizeMultiplier(output_scale, &data->output_multiplier, &data->output_shift);
    data->input_zero_point = input->zero_point();
    data->output_zero_point = output.zero_point();
  }
  return ctx.SetOutputShape(0, {data->batch, data->units});
}

// Shifts the whole state left by one value: each filter's memory moves one
// slot back, and its last slot (overwritten next) takes the next one's first.
template <typename T>
void ShiftStateLeft(T* state, int64_t count) {
  if (count > 1) std::memmove(state, state + 1, sizeof(T) * static_cast<size_t>(count - 1));
}

// The float time filters, bias and activation, after the new activations are
// in each filter's last memory slot.
void SvdfTimeFloat(const SvdfData& d, const float* weights_time, const float* bias,
                   const float* state, float* scratch, float* output, Activation activation) {
  for (int b = 0; b < d.batch; ++b) {
    for (int f = 0; f < d.filters; ++f) {
      const float* memory = state + (static_cast<int64_t>(b) * d.filters + f) * d.memory;
      const float* wt = weights_time + static_cast<int64_t>(f) * d.memory;
      float time_sum = 0.0f;
      for (int m = 0; m < d.memory; ++m) time_sum += wt[m] * memory[m];
      scratch[static_cast<int64_t>(b) * d.filters + f] = time_sum;
    }
    float* out = output + static_cast<int64_t>(b) * d.units;
    const float* filter_sums = scratch + static_cast<int64_t>(b) * d.filters;
    for (int u = 0; u < d.units; ++u) {
      out[u] = bias != nullptr ? bias[u] : 0.0f;
      for (int r = 0; r < d.rank; ++r) out[u] += filter_sums[u * d.rank + r];
    }
    ApplyFusedActivationFloat(activation, out, d.units);
  }
}

void SvdfFloat(const SvdfData& d, const float* input, const float* weights_feature,
               const float* weights_time, const float* bias, float* state, float* scratch,
               float* output, Activation activation) {
  ShiftStateLeft(state, static_cast<int64_t>(d.batch) * d.filters * d.memory);
  for (int b = 0; b < d.batch; ++b) {
    const float* in = input + static_cast<int64_t>(b) * d.input_size;
    for (int f = 0; f < d.filters; ++f) {
      const float* w = weights_feature + static_cast<int64_t>(f) * d.input_size;
      float sum = 0.0f;
      for (int i = 0; i < d.input_size; ++i) sum += w[i] * in[i];
      state[(static_cast<int64_t>(b) * d.filters + f) * d.memory + d.memory - 1] = sum;
    }
  }
  SvdfTimeFloat(d, weights_time, bias, state, scratch, output, activation);
}

// TFLite's hybrid SVDF: the feature sums go through the scratch (from zero)
// into the last memory slots.
void SvdfHybrid(const SvdfData& d, const float* input, const Tensor& weights_feature,
                const Tensor& weights_time, const float* bias, float* state, float* scratch,
                float* float_weights_time, const HybridScratch& hybrid, float* output,
                Activation activation) {
  const int8_t* wt = weights_time.data_as<int8_t>();
  const float wt_scale = weights_time.scale();
  for (int64_t i = 0; i < static_cast<int64_t>(d.filters) * d.memory; ++i) {
    float_weights_time[i] = static_cast<float>(wt[i]) * wt_scale;
  }
  const int64_t sums = static_cast<int64_t>(d.batch) * d.filters;
  ShiftStateLeft(state, sums * d.memory);
  std::fill_n(scratch, sums, 0.0f);
  HybridMatVecAccumulate(weights_feature.data_as<int8_t>(), weights_feature.scale(), d.filters,
                         d.input_size, input, d.batch, d.asymmetric_inputs, hybrid, scratch,
                         d.filters);
  for (int64_t i = 0; i < sums; ++i) state[i * d.memory + d.memory - 1] = scratch[i];
  SvdfTimeFloat(d, float_weights_time, bias, state, scratch, output, activation);
}

// Sums in int64, kept to int32 as two's complement: TFLite's int32 sums wrap
// where a hostile model makes them overflow.
inline int32_t WrapToInt32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

void SvdfInt8(const SvdfData& d, const int8_t* input, const int8_t* weights_feature,
              const int16_t* weights_time, const int32_t* bias, int16_t* state, int32_t* scratch,
              int8_t* output) {
  ShiftStateLeft(state, static_cast<int64_t>(d.batch) * d.filters * d.memory);
  for (int b = 0; b < d.batch; ++b) {
    const int8_t* in = input + static_cast<int64_t>(b) * d.input_size;
    for (int f = 0; f < d.filters; ++f) {
      const int8_t* w = weights_feature + static_cast<int64_t>(f) * d.input_size;
      int64_t sum = 0;
      for (int i = 0; i < d.input_size; ++i) sum += w[i] * (in[i] - d.input_zero_point);
      const int32_t scaled =
          MultiplyByQuantizedMultiplier(WrapToInt32(sum), d.feature_multiplier, d.feature_shift);
      int16_t* memory = state + (static_cast<int64_t>(b) * d.filters + f) * d.memory;
      memory[d.memory - 1] = static_cast<int16_t>(std::clamp<int32_t>(scaled, -32768, 32767));
      const int16_t* wt = weights_time + static_cast<int64_t>(f) * d.memory;
      int64_t time_sum = 0;
      for (int m = 0; m < d.memory; ++m) time_sum += wt[m] * memory[m];
      scratch[static_cast<int64_t>(b) * d.filters + f] = WrapToInt32(time_sum);
    }
    const int32_t* filter_sums = scratch + static_cast<int64_t>(b) * d.filters;
    for (int u = 0; u < d.units; ++u) {
      int64_t acc = bias != nullptr ? bias[u] : 0;
      for (int r = 0; r < d.rank; ++r) acc = WrapToInt32(acc + filter_sums[u * d.rank + r]);
      const int32_t q = MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc),
                                                      d.output_multiplier, d.output_shift) +
                        d.output_zero_point;
      output[static_cast<int64_t>(b) * d.units + u] =
          static_cast<int8_t>(std::clamp<int32_t>(q, -128, 127));
    }
  }
}

Status SvdfEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<SvdfData>();
  const Tensor& input = *ctx.input(0);
  const Tensor* bias = ctx.input(3);
  Tensor& state = *ctx.mutable_input(4);
  if (d.hybrid) {
    SvdfHybrid(d, input.data_as<float>(), *ctx.input(1), *ctx.input(2),
               bias ? bias->data_as<float>() : nullptr, state.data_as<float>(),
               static_cast<float*>(ctx.scratch(d.scratch)),
               static_cast<float*>(ctx.scratch(d.float_weights_time)),
               HybridScratchFor(ctx, d.hybrid_scratch), ctx.output(0)->data_as<float>(),
               ctx.options<SvdfOptions>().activation);
  } else if (input.type == DType::kFloat32) {
    SvdfFloat(d, input.data_as<float>(), ctx.input(1)->data_as<float>(),
              ctx.input(2)->data_as<float>(), bias ? bias->data_as<float>() : nullptr,
              state.data_as<float>(), static_cast<float*>(ctx.scratch(d.scratch)),
              ctx.output(0)->data_as<float>(), ctx.options<SvdfOptions>().activation);
  } else {
    SvdfInt8(d, input.data_as<int8_t>(), ctx.input(1)->data_as<int8_t>(),
             ctx.input(2)->data_as<int16_t>(), bias ? bias->data_as<int32_t>() : nullptr,
             state.data_as<int16_t>(), static_cast<int32_t*>(ctx.scratch(d.scratch)),
             ctx.output(0)->data_as<int8_t>());
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Svdf() {
  static const KernelRegistration kRegistration = {"svdf_reference", SvdfPrepare, SvdfEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kSvdfFields[] = {
    {"rank", 0, FieldType::kInt32, offsetof(SvdfOptions, rank)},
    {"fused_activation_function", 1, FieldType::kActivation, offsetof(SvdfOptions, activation)},
    {"asymmetric_quantize_inputs", 2, FieldType::kBool,
     offsetof(SvdfOptions, asymmetric_quantize_inputs)},
};
extern const OptionsIO kSvdfOptionsIO;
const OptionsIO kSvdfOptionsIO =
    OptionsIOFor<SvdfOptions>(tfl::BuiltinOptions::SVDFOptions, kSvdfFields);

}  // namespace qlite
