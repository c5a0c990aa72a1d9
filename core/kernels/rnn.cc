// RNN (one step) and UNIDIRECTIONAL_SEQUENCE_RNN (a sequence of steps), as
// TFLite's float kernels compute them. Inputs: input, weights [units,
// input_size], recurrent_weights [units, units], bias [units], hidden_state
// [batch, units] (a variable tensor, updated in place). Each step, per batch
// row: out = activation(bias + weights . x + recurrent_weights . h), h = out.
// RNN's input is [batch, input_size]; the sequence op's is [time, batch,
// input_size] (time_major) or [batch, time, input_size], its output the same
// with units last. BIDIRECTIONAL_SEQUENCE_RNN runs a forward and a backward
// (time reversed) RNN over the same sequence: inputs input, fw weights,
// recurrent weights, bias, hidden state (1-4), the same for bw (5-8), an
// auxiliary input and weights (9-11, not supported: absent); outputs fw and
// bw, or one output with bw's units after fw's (merge_outputs). float32, and
// hybrid: int8 weights and recurrent weights (per-tensor, symmetric), float32
// input, bias, state and output, as TFLite's hybrid RnnBatchStep: each step
// starts from the bias, then adds the input's and the hidden state's
// products (hybrid_matvec.h), each skipped when its rows are all zero. TFLite
// hands a time-major step's whole batch to one call and a batch-major
// sequence one row at a time, which decides what "all zero" covers; its
// time-major BIDIRECTIONAL_SEQUENCE_RNN repeats both directions once per time
// step (see BidirectionalRnnEval). Not followed: with merge_outputs,
// time-major, symmetric inputs and more than one batch row, TFLite reads
// each later row's zero point through a null pointer offset by the row;
// qlite uses zero, the symmetric zero point.
#include <algorithm>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/interpreter.h"
#include "core/kernels/fused_activation.h"
#include "core/kernels/hybrid_matvec.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

struct RnnData : OpData {
  int batch = 0, time = 1, input_size = 0, units = 0;
  int bw_units = 0;        // BIDIRECTIONAL_SEQUENCE_RNN's backward direction
  bool time_major = true;  // RNN: one step over the whole batch
  bool merge_outputs = false;
  bool hybrid = false, asymmetric_inputs = false;
  HybridScratchIds hybrid_scratch;
};

// Checks one direction's weights, recurrent weights, bias and hidden state
// (inputs first .. first + 3) against the input; returns its unit count.
QLITE_PREPARE_TIME Status PrepareRnnDirection(const OpContext& ctx, int first, const char* dir,
                                              const Tensor& input, int batch, bool* hybrid,
                                              int* units) {
  const Tensor *weights = nullptr, *recurrent = nullptr, *bias = nullptr, *hidden = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, first, &weights));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, first + 1, &recurrent));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, first + 2, &bias));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, first + 3, &hidden));
  *hybrid = weights->type != DType::kFloat32;
  if (*hybrid) {
    QLITE_RETURN_IF_ERROR(CheckHybridWeights(*weights, "weights"));
    QLITE_RETURN_IF_ERROR(CheckHybridWeights(*recurrent, "recurrent_weights"));
  } else {
    QLITE_RETURN_IF_ERROR(CheckType(*recurrent, {DType::kFloat32}, "recurrent_weights"));
  }
  QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kFloat32}, "bias"));
  QLITE_RETURN_IF_ERROR(CheckType(*hidden, {DType::kFloat32}, "hidden_state"));
  QLITE_ENSURE(hidden->is_variable(), dir, "hidden_state '", hidden->name(),
               "' must be a variable tensor");
  QLITE_RETURN_IF_ERROR(CheckRank(*weights, 2, "weights"));
  QLITE_RETURN_IF_ERROR(CheckRank(*recurrent, 2, "recurrent_weights"));
  QLITE_RETURN_IF_ERROR(CheckRank(*bias, 1, "bias"));
  QLITE_RETURN_IF_ERROR(CheckRank(*hidden, 2, "hidden_state"));
  const int n = weights->dim(0);
  QLITE_ENSURE(weights->dim(1) == input.dim(input.rank() - 1), dir, "weights ",
               ShapeToString(weights->shape), " do not match input ", ShapeToString(input.shape));
  QLITE_ENSURE(bias->dim(0) == n, dir, "bias ", ShapeToString(bias->shape), " must be [", n, "]");
  QLITE_ENSURE(recurrent->dim(0) == n && recurrent->dim(1) == n, dir, "recurrent_weights ",
               ShapeToString(recurrent->shape), " must be [", n, ",", n, "]");
  QLITE_ENSURE(hidden->dim(0) == batch && hidden->dim(1) == n, dir, "hidden_state ",
               ShapeToString(hidden->shape), " must be [", batch, ",", n, "]");
  *units = n;
  return Status::Ok();
}

// The input's checks and geometry (rank 3 for the sequence ops).
QLITE_PREPARE_TIME Status PrepareRnnInput(const OpContext& ctx, bool sequence, bool time_major,
                                          const Tensor** input, RnnData* data) {
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, input));
  QLITE_RETURN_IF_ERROR(CheckType(**input, {DType::kFloat32}, "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(**input, sequence ? 3 : 2, "input"));
  data->time_major = !sequence || time_major;
  data->batch = (*input)->dim(sequence && data->time_major ? 1 : 0);
  data->time = sequence ? (*input)->dim(data->time_major ? 0 : 1) : 1;
  data->input_size = (*input)->dim((*input)->rank() - 1);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status SetRnnOutput(OpContext& ctx, int i, const Tensor& input, int units) {
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(i), {DType::kFloat32}, "output"));
  Shape out_shape = input.shape;
  out_shape.back() = units;
  return ctx.SetOutputShape(i, out_shape);
}

// Hybrid: quantized rows of the input and of the hidden state, one step's
// batch at a time.
QLITE_PREPARE_TIME Status RequestRnnScratch(OpContext& ctx, bool asymmetric, RnnData* data) {
  if (!data->hybrid) return Status::Ok();
  data->asymmetric_inputs = asymmetric;
  const int widest = std::max({data->input_size, data->units, data->bw_units});
  return RequestHybridScratch(ctx, data->batch, widest, &data->hybrid_scratch);
}

QLITE_PREPARE_TIME Status RnnPrepare(OpContext& ctx, bool sequence) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 5, 5, 1));
  auto* data = ctx.NewOpData<RnnData>();
  const Tensor* input = nullptr;
  const auto& options = ctx.options<RnnOptions>();
  QLITE_RETURN_IF_ERROR(PrepareRnnInput(ctx, sequence, options.time_major, &input, data));
  QLITE_RETURN_IF_ERROR(
      PrepareRnnDirection(ctx, 1, "", *input, data->batch, &data->hybrid, &data->units));
  QLITE_RETURN_IF_ERROR(RequestRnnScratch(ctx, options.asymmetric_quantize_inputs, data));
  return SetRnnOutput(ctx, 0, *input, data->units);
}

QLITE_PREPARE_TIME Status RnnStepPrepare(OpContext& ctx) { return RnnPrepare(ctx, false); }
QLITE_PREPARE_TIME Status SequenceRnnPrepare(OpContext& ctx) { return RnnPrepare(ctx, true); }

// One step of one batch row: each unit's bias, plus its input sum, plus its
// recurrent sum (each sum from zero, in index order, as TFLite adds them).
void RnnRowStep(int units, int input_size, const float* x, const float* weights,
                const float* recurrent, const float* bias, Activation activation, float* h,
                float* out) {
  for (int u = 0; u < units; ++u) {
    const float* w = weights + static_cast<int64_t>(u) * input_size;
    const float* r = recurrent + static_cast<int64_t>(u) * units;
    float input_sum = 0.0f, recurrent_sum = 0.0f;
    for (int i = 0; i < input_size; ++i) input_sum += w[i] * x[i];
    for (int j = 0; j < units; ++j) recurrent_sum += r[j] * h[j];
    out[u] = bias[u] + input_sum + recurrent_sum;
  }
  ApplyFusedActivationFloat(activation, out, units);
  std::copy(out, out + units, h);
}

// One hybrid step of `rows` consecutive rows (inputs x, hidden states h,
// outputs out_stride floats apart).
void HybridRnnRowsStep(const RnnData& d, const Tensor& weights, const Tensor& recurrent,
                       const float* bias, int units, int rows, const float* x, float* h,
                       Activation activation, const HybridScratch& scratch, float* out,
                       int out_stride) {
  for (int r = 0; r < rows; ++r) std::copy(bias, bias + units, out + int64_t{r} * out_stride);
  HybridMatVecAccumulate(weights.data_as<int8_t>(), weights.scale(), units, d.input_size, x, rows,
                         d.asymmetric_inputs, scratch, out, out_stride);
  HybridMatVecAccumulate(recurrent.data_as<int8_t>(), recurrent.scale(), units, units, h, rows,
                         d.asymmetric_inputs, scratch, out, out_stride);
  for (int r = 0; r < rows; ++r) {
    float* out_row = out + int64_t{r} * out_stride;
    ApplyFusedActivationFloat(activation, out_row, units);
    std::copy(out_row, out_row + units, h + int64_t{r} * units);
  }
}

void RunHybridRnnDirection(const OpContext& ctx, const RnnData& d, int first, int units,
                           bool forward, Activation activation, float* output, int out_stride,
                           int out_offset) {
  const float* input = ctx.input(0)->data_as<float>();
  const Tensor& weights = *ctx.input(first);
  const Tensor& recurrent = *ctx.input(first + 1);
  const float* bias = ctx.input(first + 2)->data_as<float>();
  float* hidden = ctx.mutable_input(first + 3)->data_as<float>();
  const HybridScratch scratch = HybridScratchFor(ctx, d.hybrid_scratch);
  const int group = d.time_major ? d.batch : 1;
  for (int step = 0; step < d.time; ++step) {
    const int64_t t = forward ? step : d.time - 1 - step;
    for (int b = 0; b < d.batch; b += group) {
      const int64_t row = d.time_major ? t * d.batch + b : static_cast<int64_t>(b) * d.time + t;
      HybridRnnRowsStep(d, weights, recurrent, bias, units, group, input + row * d.input_size,
                        hidden + static_cast<int64_t>(b) * units, activation, scratch,
                        output + row * out_stride + out_offset, out_stride);
    }
  }
}

// One direction over the sequence (weights at inputs first .. first + 3),
// backward from the last time step when not `forward`; output rows are
// out_stride floats apart, this direction's units at out_offset.
void RunRnnDirection(const OpContext& ctx, const RnnData& d, int first, int units, bool forward,
                     Activation activation, float* output, int out_stride, int out_offset) {
  if (d.hybrid) {
    RunHybridRnnDirection(ctx, d, first, units, forward, activation, output, out_stride,
                          out_offset);
    return;
  }
  const float* input = ctx.input(0)->data_as<float>();
  const float* weights = ctx.input(first)->data_as<float>();
  const float* recurrent = ctx.input(first + 1)->data_as<float>();
  const float* bias = ctx.input(first + 2)->data_as<float>();
  float* hidden = ctx.mutable_input(first + 3)->data_as<float>();
  for (int step = 0; step < d.time; ++step) {
    const int64_t t = forward ? step : d.time - 1 - step;
    for (int b = 0; b < d.batch; ++b) {
      // Row index of (t, b) in the input and output.
      const int64_t row = d.time_major ? t * d.batch + b : static_cast<int64_t>(b) * d.time + t;
      RnnRowStep(units, d.input_size, input + row * d.input_size, weights, recurrent, bias,
                 activation, hidden + static_cast<int64_t>(b) * units,
                 output + row * out_stride + out_offset);
    }
  }
}

Status RnnEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<RnnData>();
  RunRnnDirection(ctx, d, 1, d.units, true, ctx.options<RnnOptions>().activation,
                  ctx.output(0)->data_as<float>(), d.units, 0);
  return Status::Ok();
}

constexpr int kBidirectionalRnnInputs = 12;
constexpr int kFirstAuxRnnInput = 9;

QLITE_PREPARE_TIME Status BidirectionalRnnPrepare(OpContext& ctx) {
  const auto& o = ctx.options<BidirectionalSequenceRnnOptions>();
  QLITE_RETURN_IF_ERROR(
      CheckArity(ctx, kBidirectionalRnnInputs, kBidirectionalRnnInputs, o.merge_outputs ? 1 : 2));
  for (int i = kFirstAuxRnnInput; i < kBidirectionalRnnInputs; ++i) {
    QLITE_ENSURE(ctx.input(i) == nullptr, "BIDIRECTIONAL_SEQUENCE_RNN with an auxiliary input ",
                 "(input ", i, ") is not supported");
  }
  auto* data = ctx.NewOpData<RnnData>();
  data->merge_outputs = o.merge_outputs;
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareRnnInput(ctx, true, o.time_major, &input, data));
  bool bw_hybrid = false;
  QLITE_RETURN_IF_ERROR(
      PrepareRnnDirection(ctx, 1, "fw_", *input, data->batch, &data->hybrid, &data->units));
  QLITE_RETURN_IF_ERROR(
      PrepareRnnDirection(ctx, 5, "bw_", *input, data->batch, &bw_hybrid, &data->bw_units));
  QLITE_ENSURE(bw_hybrid == data->hybrid, "BIDIRECTIONAL_SEQUENCE_RNN's fw and bw weights must ",
               "both be float32 or both int8 (hybrid)");
  if (data->hybrid && data->time_major && ctx.interpreter() != nullptr) {
    // TFLite's hybrid time-major kernel reruns the whole sequence once per
    // time step (BidirectionalRnnEval): time^2 steps, which a long sequence
    // turns into a hang. The passes count against the cap on repeated work.
    const int64_t steps = int64_t{data->time} * data->time;
    const int64_t limit = ctx.interpreter()->options().max_while_iterations;
    QLITE_ENSURE(steps <= limit, "hybrid time-major BIDIRECTIONAL_SEQUENCE_RNN runs its ",
                 data->time, " time steps once per time step, as TFLite's kernel does: ", steps,
                 " steps, more than max_while_iterations (", limit,
                 "); raise InterpreterOptions::max_while_iterations (maxWhileIterations in JS) to "
                 "run it");
  }
  QLITE_RETURN_IF_ERROR(RequestRnnScratch(ctx, o.asymmetric_quantize_inputs, data));
  if (o.merge_outputs) return SetRnnOutput(ctx, 0, *input, data->units + data->bw_units);
  QLITE_RETURN_IF_ERROR(SetRnnOutput(ctx, 0, *input, data->units));
  return SetRnnOutput(ctx, 1, *input, data->bw_units);
}

Status BidirectionalRnnEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<RnnData>();
  const Activation activation = ctx.options<BidirectionalSequenceRnnOptions>().activation;
  float* fw_out = ctx.output(0)->data_as<float>();
  // TFLite's hybrid time-major kernel runs the forward-then-backward pair
  // once per time step, each pass from the states the previous one left; the
  // outputs are the last pass's.
  const int passes = d.hybrid && d.time_major ? d.time : 1;
  for (int pass = 0; pass < passes; ++pass) {
    if (d.merge_outputs) {
      const int stride = d.units + d.bw_units;
      RunRnnDirection(ctx, d, 1, d.units, true, activation, fw_out, stride, 0);
      RunRnnDirection(ctx, d, 5, d.bw_units, false, activation, fw_out, stride, d.units);
    } else {
      RunRnnDirection(ctx, d, 1, d.units, true, activation, fw_out, d.units, 0);
      RunRnnDirection(ctx, d, 5, d.bw_units, false, activation, ctx.output(1)->data_as<float>(),
                      d.bw_units, 0);
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
const KernelRegistration* BidirectionalSequenceRnn() {
  static const KernelRegistration kRegistration = {"bidirectional_sequence_rnn_reference",
                                                   BidirectionalRnnPrepare, BidirectionalRnnEval};
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
constexpr OptionsField kBidirectionalRnnFields[] = {
    {"time_major", 0, FieldType::kBool, offsetof(BidirectionalSequenceRnnOptions, time_major)},
    {"fused_activation_function", 1, FieldType::kActivation,
     offsetof(BidirectionalSequenceRnnOptions, activation)},
    {"merge_outputs", 2, FieldType::kBool,
     offsetof(BidirectionalSequenceRnnOptions, merge_outputs)},
    {"asymmetric_quantize_inputs", 3, FieldType::kBool,
     offsetof(BidirectionalSequenceRnnOptions, asymmetric_quantize_inputs)},
};
extern const OptionsIO kRnnOptionsIO, kSequenceRnnOptionsIO, kBidirectionalRnnOptionsIO;
const OptionsIO kRnnOptionsIO =
    OptionsIOFor<RnnOptions>(tfl::BuiltinOptions::RNNOptions, kRnnFields);
const OptionsIO kSequenceRnnOptionsIO =
    OptionsIOFor<RnnOptions>(tfl::BuiltinOptions::SequenceRNNOptions, kSequenceRnnFields);

const OptionsIO kBidirectionalRnnOptionsIO = OptionsIOFor<BidirectionalSequenceRnnOptions>(
    tfl::BuiltinOptions::BidirectionalSequenceRNNOptions, kBidirectionalRnnFields);

}  // namespace qlite
