// LSTM (one step, kernel_type FULL), UNIDIRECTIONAL_SEQUENCE_LSTM and
// BIDIRECTIONAL_SEQUENCE_LSTM, float32 and hybrid (int8 weights), on the cell
// of lstm_cell.h.
// LSTM / UNIDIRECTIONAL_SEQUENCE_LSTM inputs: input ([batch, n_input], or
// [time, batch, n_input] time-major / [batch, time, n_input]), the 17 cell
// tensors (1-17), output_state (18) and cell_state (19) variables, and with
// 24 inputs the 4 layer-norm coefficients (20-23); output h per row.
// BIDIRECTIONAL_SEQUENCE_LSTM: input, forward cell (1-17), backward cell
// (18-34), forward states (35, 36), backward states (37, 38), auxiliary input
// and weights (39-47, not supported: they must be absent). The backward cell
// walks time from the end; merge_outputs puts its h after the forward h in
// one output, otherwise it is output 1.
// LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM with an int8 input run the integer
// cell of lstm_integer.h (int8 output); BIDIRECTIONAL_SEQUENCE_LSTM has no
// integer kernel in TFLite.
#include <algorithm>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/lstm_cell.h"
#include "core/kernels/lstm_integer.h"

namespace qlite {
namespace {

struct LstmData : OpData {
  LstmCell forward, backward;
  int time = 1;
  bool time_major = true;
  bool merge_outputs = false;
  int scratch = -1;
  LstmHybridScratchIds hybrid_scratch;
  LstmIntegerCell integer;  // an integer forward cell's multipliers and biases
};

LstmStepOptions StepOptions(const LstmOptions& o) {
  return {o.activation, o.cell_clip, o.proj_clip, o.asymmetric_quantize_inputs};
}

LstmCellTensors BindCell(const OpContext& ctx, const LstmData& d, const LstmCell& cell) {
  LstmCellTensors tensors = BindLstmCell(ctx, cell);
  BindLstmHybridScratch(ctx, d.hybrid_scratch, &tensors);
  return tensors;
}

// The sequence input's geometry: batch and time from a rank-3 input (rank 2
// for the one-step LSTM, one time step).
QLITE_PREPARE_TIME Status SequenceGeometry(const Tensor& input, bool sequence, bool time_major,
                                           bool integer_kernel, LstmData* data) {
  if (integer_kernel) {
    QLITE_RETURN_IF_ERROR(CheckType(input, {DType::kFloat32, DType::kInt8}, "input"));
  } else {
    QLITE_RETURN_IF_ERROR(CheckType(input, {DType::kFloat32}, "input"));
  }
  QLITE_RETURN_IF_ERROR(CheckRank(input, sequence ? 3 : 2, "input"));
  data->time_major = !sequence || time_major;
  data->time = sequence ? input.dim(data->time_major ? 0 : 1) : 1;
  return Status::Ok();
}

int BatchOf(const Tensor& input, const LstmData& d) {
  return input.dim(input.rank() == 3 && d.time_major ? 1 : 0);
}

QLITE_PREPARE_TIME Status SetLstmOutput(OpContext& ctx, int i, const Tensor& input, int units) {
  // Float32 and hybrid cells write float32, an integer cell int8 (as its input).
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(i), {input.type}, "output"));
  Shape shape = input.shape;
  shape.back() = units;
  return ctx.SetOutputShape(i, shape);
}

QLITE_PREPARE_TIME Status RequestStepScratch(OpContext& ctx, LstmData* data, size_t floats) {
  return ctx.RequestScratch(std::max<size_t>(floats, 1) * sizeof(float), &data->scratch);
}

QLITE_PREPARE_TIME Status UnidirectionalPrepare(OpContext& ctx, bool sequence) {
  // Before the arity check: a BASIC LSTM has 5 inputs and 4 outputs.
  const LstmOptions& o = ctx.options<LstmOptions>();
  QLITE_ENSURE(sequence || o.kernel_type == 0,
               "LSTM kernel_type BASIC is not supported (only FULL, the 20/24-input LSTM)");
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 20, 24, 1));
  const char* op = sequence ? "UNIDIRECTIONAL_SEQUENCE_LSTM" : "LSTM";
  QLITE_ENSURE(ctx.num_inputs() == 20 || ctx.num_inputs() == 24, op,
               " takes 20 inputs (24 with layer-norm coefficients), has ", ctx.num_inputs());
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  auto* data = ctx.NewOpData<LstmData>();
  QLITE_RETURN_IF_ERROR(SequenceGeometry(*input, sequence, o.time_major, true, data));
  LstmCellLayout layout;
  layout.layer_norm = ctx.num_inputs() == 24 ? 20 : -1;
  QLITE_RETURN_IF_ERROR(PrepareLstmCell(ctx, layout, BatchOf(*input, *data),
                                        input->dim(input->rank() - 1),
                                        sequence && o.diagonal_recurrent_tensors, &data->forward));
  QLITE_RETURN_IF_ERROR(SetLstmOutput(ctx, 0, *input, data->forward.n_output));
  if (data->forward.integer) {
    QLITE_RETURN_IF_ERROR(PrepareLstmIntegerCell(ctx, data->forward, o, &data->integer));
    const int rows = data->time_major ? data->forward.batch : 1;
    return ctx.RequestScratch(std::max<size_t>(LstmIntegerScratchBytes(data->forward, rows), 1),
                              &data->scratch);
  }
  const LstmCell* cells[] = {&data->forward};
  QLITE_RETURN_IF_ERROR(RequestLstmHybridScratch(ctx, cells, 1, &data->hybrid_scratch));
  return RequestStepScratch(ctx, data, LstmStepScratchFloats(data->forward));
}

QLITE_PREPARE_TIME Status LstmPrepare(OpContext& ctx) { return UnidirectionalPrepare(ctx, false); }
QLITE_PREPARE_TIME Status SequenceLstmPrepare(OpContext& ctx) {
  return UnidirectionalPrepare(ctx, true);
}

Status UnidirectionalEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<LstmData>();
  if (d.forward.integer) {
    RunLstmIntegerSequence(ctx, d.forward, d.integer, d.time, d.time_major,
                           ctx.input(0)->data_as<int8_t>(), ctx.output(0)->data_as<int8_t>(),
                           ctx.scratch(d.scratch));
    return Status::Ok();
  }
  const LstmCellTensors tensors = BindCell(ctx, d, d.forward);
  RunLstmSequence(d.forward, tensors, StepOptions(ctx.options<LstmOptions>()), d.time, d.time_major,
                  /*forward=*/true, ctx.input(0)->data_as<float>(), ctx.output(0)->data_as<float>(),
                  d.forward.n_output, 0, static_cast<float*>(ctx.scratch(d.scratch)));
  return Status::Ok();
}

constexpr int kBidirectionalInputs = 48;
constexpr int kFirstAuxInput = 39;

QLITE_PREPARE_TIME Status BidirectionalLstmPrepare(OpContext& ctx) {
  const LstmOptions& o = ctx.options<LstmOptions>();
  QLITE_RETURN_IF_ERROR(
      CheckArity(ctx, kBidirectionalInputs, kBidirectionalInputs, o.merge_outputs ? 1 : 2));
  for (int i = kFirstAuxInput; i < kBidirectionalInputs; ++i) {
    QLITE_ENSURE(ctx.input(i) == nullptr, "BIDIRECTIONAL_SEQUENCE_LSTM with an auxiliary input ",
                 "(input ", i, ") is not supported");
  }
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  auto* data = ctx.NewOpData<LstmData>();
  data->merge_outputs = o.merge_outputs;
  QLITE_RETURN_IF_ERROR(SequenceGeometry(*input, true, o.time_major, false, data));
  const int batch = BatchOf(*input, *data), n_input = input->dim(2);
  QLITE_RETURN_IF_ERROR(
      PrepareLstmCell(ctx, {1, 35, 36, -1, "fw_"}, batch, n_input, false, &data->forward));
  QLITE_RETURN_IF_ERROR(
      PrepareLstmCell(ctx, {18, 37, 38, -1, "bw_"}, batch, n_input, false, &data->backward));
  const int fw_units = data->forward.n_output, bw_units = data->backward.n_output;
  // TFLite checks both cells' tensors against the forward cell's sizes.
  QLITE_ENSURE(data->forward.n_cell == data->backward.n_cell && fw_units == bw_units,
               "BIDIRECTIONAL_SEQUENCE_LSTM's cells differ in size: forward ", data->forward.n_cell,
               " cells, ", fw_units, " outputs; backward ", data->backward.n_cell, " cells, ",
               bw_units, " outputs");
  QLITE_ENSURE(data->forward.hybrid == data->backward.hybrid,
               "BIDIRECTIONAL_SEQUENCE_LSTM's cells must both be float32 or both hybrid (int8 "
               "weights)");
  const LstmCell* cells[] = {&data->forward, &data->backward};
  QLITE_RETURN_IF_ERROR(RequestLstmHybridScratch(ctx, cells, 2, &data->hybrid_scratch));
  if (o.merge_outputs) {
    QLITE_RETURN_IF_ERROR(SetLstmOutput(ctx, 0, *input, fw_units + bw_units));
  } else {
    QLITE_RETURN_IF_ERROR(SetLstmOutput(ctx, 0, *input, fw_units));
    QLITE_RETURN_IF_ERROR(SetLstmOutput(ctx, 1, *input, bw_units));
  }
  return RequestStepScratch(
      ctx, data,
      std::max(LstmStepScratchFloats(data->forward), LstmStepScratchFloats(data->backward)));
}

Status BidirectionalLstmEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<LstmData>();
  const LstmStepOptions options = StepOptions(ctx.options<LstmOptions>());
  const float* input = ctx.input(0)->data_as<float>();
  float* scratch = static_cast<float*>(ctx.scratch(d.scratch));
  const int fw_units = d.forward.n_output, bw_units = d.backward.n_output;
  float* fw_out = ctx.output(0)->data_as<float>();
  RunLstmSequence(d.forward, BindCell(ctx, d, d.forward), options, d.time, d.time_major, true,
                  input, fw_out, d.merge_outputs ? fw_units + bw_units : fw_units, 0, scratch);
  if (d.merge_outputs) {
    RunLstmSequence(d.backward, BindCell(ctx, d, d.backward), options, d.time, d.time_major, false,
                    input, fw_out, fw_units + bw_units, fw_units, scratch);
  } else {
    RunLstmSequence(d.backward, BindCell(ctx, d, d.backward), options, d.time, d.time_major, false,
                    input, ctx.output(1)->data_as<float>(), bw_units, 0, scratch);
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Lstm() {
  static const KernelRegistration kRegistration = {"lstm_reference", LstmPrepare,
                                                   UnidirectionalEval};
  return &kRegistration;
}
const KernelRegistration* UnidirectionalSequenceLstm() {
  static const KernelRegistration kRegistration = {"unidirectional_sequence_lstm_reference",
                                                   SequenceLstmPrepare, UnidirectionalEval};
  return &kRegistration;
}
const KernelRegistration* BidirectionalSequenceLstm() {
  static const KernelRegistration kRegistration = {"bidirectional_sequence_lstm_reference",
                                                   BidirectionalLstmPrepare, BidirectionalLstmEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kLstmFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation, offsetof(LstmOptions, activation)},
    {"cell_clip", 1, FieldType::kFloat, offsetof(LstmOptions, cell_clip)},
    {"proj_clip", 2, FieldType::kFloat, offsetof(LstmOptions, proj_clip)},
    {"kernel_type", 3, FieldType::kUInt8, offsetof(LstmOptions, kernel_type)},
    {"asymmetric_quantize_inputs", 4, FieldType::kBool,
     offsetof(LstmOptions, asymmetric_quantize_inputs)},
};
constexpr OptionsField kSequenceLstmFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation, offsetof(LstmOptions, activation)},
    {"cell_clip", 1, FieldType::kFloat, offsetof(LstmOptions, cell_clip)},
    {"proj_clip", 2, FieldType::kFloat, offsetof(LstmOptions, proj_clip)},
    {"time_major", 3, FieldType::kBool, offsetof(LstmOptions, time_major)},
    {"asymmetric_quantize_inputs", 4, FieldType::kBool,
     offsetof(LstmOptions, asymmetric_quantize_inputs)},
    {"diagonal_recurrent_tensors", 5, FieldType::kBool,
     offsetof(LstmOptions, diagonal_recurrent_tensors)},
};
constexpr OptionsField kBidirectionalLstmFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation, offsetof(LstmOptions, activation)},
    {"cell_clip", 1, FieldType::kFloat, offsetof(LstmOptions, cell_clip)},
    {"proj_clip", 2, FieldType::kFloat, offsetof(LstmOptions, proj_clip)},
    {"merge_outputs", 3, FieldType::kBool, offsetof(LstmOptions, merge_outputs)},
    {"time_major", 4, FieldType::kBool, offsetof(LstmOptions, time_major), 1},  // schema: true
    {"asymmetric_quantize_inputs", 5, FieldType::kBool,
     offsetof(LstmOptions, asymmetric_quantize_inputs)},
};
extern const OptionsIO kLstmOptionsIO, kSequenceLstmOptionsIO, kBidirectionalLstmOptionsIO;
const OptionsIO kLstmOptionsIO =
    OptionsIOFor<LstmOptions>(tfl::BuiltinOptions::LSTMOptions, kLstmFields);
const OptionsIO kSequenceLstmOptionsIO = OptionsIOFor<LstmOptions>(
    tfl::BuiltinOptions::UnidirectionalSequenceLSTMOptions, kSequenceLstmFields);
const OptionsIO kBidirectionalLstmOptionsIO = OptionsIOFor<LstmOptions>(
    tfl::BuiltinOptions::BidirectionalSequenceLSTMOptions, kBidirectionalLstmFields);

}  // namespace qlite
