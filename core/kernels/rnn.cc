// RNN (one step) and UNIDIRECTIONAL_SEQUENCE_RNN (a sequence of steps), as
// TFLite's float kernels compute them. Inputs: input, weights [units,
// input_size], recurrent_weights [units, units], bias [units], hidden_state
// [batch, units] (a variable tensor, updated in place). Each step, per batch
// row: out = activation(bias + weights . x + recurrent_weights . h), h = out.
// RNN's input is [batch, input_size]; the sequence op's is [time, batch,
// input_size] (time_major) or [batch, time, input_size], its output the same
// with units last. float32 only (hybrid int8 weights are not supported).
#include <algorithm>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/fused_activation.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

struct RnnData : OpData {
  int batch = 0, time = 1, input_size = 0, units = 0;
  bool time_major = true;  // RNN: one step over the whole batch
};

QLITE_PREPARE_TIME Status RnnPrepare(OpContext& ctx, bool sequence) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 5, 5, 1));
  const Tensor *input = nullptr, *weights = nullptr, *recurrent = nullptr, *bias = nullptr;
  const Tensor* hidden = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &weights));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &recurrent));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 3, &bias));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 4, &hidden));
  QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32}, "input"));
  QLITE_ENSURE(weights->type == DType::kFloat32 && recurrent->type == DType::kFloat32,
               "hybrid RNN (", DTypeName(weights->type), " weights) is not supported");
  QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kFloat32}, "bias"));
  QLITE_RETURN_IF_ERROR(CheckType(*hidden, {DType::kFloat32}, "hidden_state"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {DType::kFloat32}, "output"));
  QLITE_ENSURE(hidden->is_variable(), "hidden_state '", hidden->name(),
               "' must be a variable tensor");
  QLITE_RETURN_IF_ERROR(CheckRank(*input, sequence ? 3 : 2, "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(*weights, 2, "weights"));
  QLITE_RETURN_IF_ERROR(CheckRank(*recurrent, 2, "recurrent_weights"));
  QLITE_RETURN_IF_ERROR(CheckRank(*bias, 1, "bias"));
  QLITE_RETURN_IF_ERROR(CheckRank(*hidden, 2, "hidden_state"));

  auto* data = ctx.NewOpData<RnnData>();
  data->time_major = !sequence || ctx.options<RnnOptions>().time_major;
  data->batch = input->dim(sequence && data->time_major ? 1 : 0);
  data->time = sequence ? input->dim(data->time_major ? 0 : 1) : 1;
  data->input_size = input->dim(input->rank() - 1);
  data->units = weights->dim(0);
  QLITE_ENSURE(weights->dim(1) == data->input_size, "weights ", ShapeToString(weights->shape),
               " do not match input ", ShapeToString(input->shape));
  QLITE_ENSURE(bias->dim(0) == data->units, "bias ", ShapeToString(bias->shape), " must be [",
               data->units, "]");
  QLITE_ENSURE(recurrent->dim(0) == data->units && recurrent->dim(1) == data->units,
               "recurrent_weights ", ShapeToString(recurrent->shape), " must be [", data->units,
               ",", data->units, "]");
  QLITE_ENSURE(hidden->dim(0) == data->batch && hidden->dim(1) == data->units, "hidden_state ",
               ShapeToString(hidden->shape), " must be [", data->batch, ",", data->units, "]");
  Shape out_shape = input->shape;
  out_shape.back() = data->units;
  return ctx.SetOutputShape(0, out_shape);
}

QLITE_PREPARE_TIME Status RnnStepPrepare(OpContext& ctx) { return RnnPrepare(ctx, false); }
QLITE_PREPARE_TIME Status SequenceRnnPrepare(OpContext& ctx) { return RnnPrepare(ctx, true); }

// One step of one batch row: each unit's bias, plus its input sum, plus its
// recurrent sum (each sum from zero, in index order, as TFLite adds them).
void RnnRowStep(const RnnData& d, const float* x, const float* weights, const float* recurrent,
                const float* bias, Activation activation, float* h, float* out) {
  for (int u = 0; u < d.units; ++u) {
    const float* w = weights + static_cast<int64_t>(u) * d.input_size;
    const float* r = recurrent + static_cast<int64_t>(u) * d.units;
    float input_sum = 0.0f, recurrent_sum = 0.0f;
    for (int i = 0; i < d.input_size; ++i) input_sum += w[i] * x[i];
    for (int j = 0; j < d.units; ++j) recurrent_sum += r[j] * h[j];
    out[u] = bias[u] + input_sum + recurrent_sum;
  }
  ApplyFusedActivationFloat(activation, out, d.units);
  std::copy(out, out + d.units, h);
}

Status RnnEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<RnnData>();
  const float* input = ctx.input(0)->data_as<float>();
  const float* weights = ctx.input(1)->data_as<float>();
  const float* recurrent = ctx.input(2)->data_as<float>();
  const float* bias = ctx.input(3)->data_as<float>();
  float* hidden = ctx.mutable_input(4)->data_as<float>();
  float* output = ctx.output(0)->data_as<float>();
  const Activation activation = ctx.options<RnnOptions>().activation;
  for (int t = 0; t < d.time; ++t) {
    for (int b = 0; b < d.batch; ++b) {
      // Row index of (t, b) in the input and output.
      const int64_t row = d.time_major ? static_cast<int64_t>(t) * d.batch + b
                                       : static_cast<int64_t>(b) * d.time + t;
      RnnRowStep(d, input + row * d.input_size, weights, recurrent, bias, activation,
                 hidden + static_cast<int64_t>(b) * d.units, output + row * d.units);
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Rnn() {
  static const KernelRegistration kRegistration = {"rnn_reference", RnnStepPrepare, RnnEval};
  return &kRegistration;
}
const KernelRegistration* UnidirectionalSequenceRnn() {
  static const KernelRegistration kRegistration = {"unidirectional_sequence_rnn_reference",
                                                   SequenceRnnPrepare, RnnEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kRnnFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation, offsetof(RnnOptions, activation)},
    {"asymmetric_quantize_inputs", 1, FieldType::kBool,
     offsetof(RnnOptions, asymmetric_quantize_inputs)},
};
constexpr OptionsField kSequenceRnnFields[] = {
    {"time_major", 0, FieldType::kBool, offsetof(RnnOptions, time_major)},
    {"fused_activation_function", 1, FieldType::kActivation, offsetof(RnnOptions, activation)},
    {"asymmetric_quantize_inputs", 2, FieldType::kBool,
     offsetof(RnnOptions, asymmetric_quantize_inputs)},
};
extern const OptionsIO kRnnOptionsIO, kSequenceRnnOptionsIO;
const OptionsIO kRnnOptionsIO =
    OptionsIOFor<RnnOptions>(tfl::BuiltinOptions::RNNOptions, kRnnFields);
const OptionsIO kSequenceRnnOptionsIO =
    OptionsIOFor<RnnOptions>(tfl::BuiltinOptions::SequenceRNNOptions, kSequenceRnnFields);

}  // namespace qlite
