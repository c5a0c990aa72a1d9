// The float32 LSTM cell of lstm_cell.h. Sums run in TFLite's order: each dot
// product from zero in index order, added to the gate's accumulator (bias,
// then input, recurrent, peephole terms), so that float results follow it.
#include "core/kernels/lstm_cell.h"

#include <algorithm>
#include <cmath>

#include "core/kernels/fused_activation.h"
#include "core/kernels/kernel_util.h"

namespace qlite {

const char* const kLstmTensorNames[kLstmSlotCount + 4] = {"input_to_input_weights",
                                                          "input_to_forget_weights",
                                                          "input_to_cell_weights",
                                                          "input_to_output_weights",
                                                          "recurrent_to_input_weights",
                                                          "recurrent_to_forget_weights",
                                                          "recurrent_to_cell_weights",
                                                          "recurrent_to_output_weights",
                                                          "cell_to_input_weights",
                                                          "cell_to_forget_weights",
                                                          "cell_to_output_weights",
                                                          "input_gate_bias",
                                                          "forget_gate_bias",
                                                          "cell_gate_bias",
                                                          "output_gate_bias",
                                                          "projection_weights",
                                                          "projection_bias",
                                                          "input_layer_norm_coefficients",
                                                          "forget_layer_norm_coefficients",
                                                          "cell_layer_norm_coefficients",
                                                          "output_layer_norm_coefficients"};

namespace {

// The int8 slots of a hybrid cell.
bool IsWeightSlot(int s) { return s <= kLstmCellToOutput || s == kLstmProjectionWeights; }

const char* LstmKind(const LstmCell& cell) {
  return cell.integer
             ? "an integer LSTM (int8 input)"
             : (cell.hybrid ? "a hybrid LSTM (int8 input_to_output_weights)" : "a float32 LSTM");
}

// The dtype of a slot (s < kLstmSlotCount) or layer-norm coefficient: all
// float32, a hybrid cell's weights int8, an integer cell's as TFLite's
// integer kernel takes them (int16 peephole and layer-norm coefficients,
// int32 biases).
DType LstmSlotType(const LstmCell& cell, int s) {
  if (cell.integer) {
    if (s >= kLstmCellToInput && s <= kLstmCellToOutput) return DType::kInt16;
    if (s >= kLstmSlotCount) return DType::kInt16;
    return IsWeightSlot(s) ? DType::kInt8 : DType::kInt32;
  }
  return cell.hybrid && s < kLstmSlotCount && IsWeightSlot(s) ? DType::kInt8 : DType::kFloat32;
}

// A present tensor must have its slot's dtype (hybrid weights: per-tensor
// symmetric) and shape `want`.
QLITE_PREPARE_TIME Status CheckLstmTensor(const Tensor& t, const LstmCell& cell, int slot,
                                          const Shape& want) {
  const char* direction = cell.layout.direction;
  const char* name = kLstmTensorNames[slot];
  const DType type = LstmSlotType(cell, slot);
  QLITE_ENSURE(t.type == type, direction, name, " '", t.name(), "' is ", DTypeName(t.type), "; ",
               LstmKind(cell), " takes ", DTypeName(type),
               !cell.hybrid && !cell.integer && t.type == DType::kInt8
                   ? " (hybrid: int8 weights need an int8 input_to_output_weights)"
                   : "");
  if (cell.hybrid && type == DType::kInt8) QLITE_RETURN_IF_ERROR(CheckHybridWeights(t, name));
  QLITE_ENSURE(t.shape == want, direction, name, " '", t.name(), "' ", ShapeToString(t.shape),
               " must be ", ShapeToString(want));
  return Status::Ok();
}

// A state: a variable of batch * units values (TFLite checks the count only,
// so [batch * units] is as good as [batch, units]); float32, or for an
// integer cell int8 (output state) / int16 (cell state).
QLITE_PREPARE_TIME Status CheckLstmState(const OpContext& ctx, int index, const LstmCell& cell,
                                         const char* name, DType type, int batch, int units) {
  const char* direction = cell.layout.direction;
  const Tensor* state = ctx.input(index);
  QLITE_ENSURE(state != nullptr, direction, name, " (input ", index, ") is missing");
  QLITE_ENSURE(state->type == type, direction, name, " '", state->name(), "' is ",
               DTypeName(state->type), "; ", LstmKind(cell), " takes ", DTypeName(type));
  QLITE_ENSURE(state->is_variable(), direction, name, " '", state->name(),
               "' must be a variable tensor");
  int64_t count = 1;
  for (int32_t d : state->shape) count *= d;
  QLITE_ENSURE(count == int64_t{batch} * units, direction, name, " '", state->name(), "' ",
               ShapeToString(state->shape), " must hold ", batch, " x ", units, " values");
  return Status::Ok();
}

float Dot(const float* a, const float* b, int n) {
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// TFLite's MeanStddevNormalization: two passes, variance + 1e-8.
void NormalizeMeanStddev(float* v, int n) {
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) sum += v[i];
  const float mean = sum / static_cast<float>(n);
  float sum_diff_sq = 0.0f;
  for (int i = 0; i < n; ++i) {
    const float diff = v[i] - mean;
    sum_diff_sq += diff * diff;
  }
  const float variance = sum_diff_sq / static_cast<float>(n);
  const float stddev_inv = 1.0f / std::sqrt(variance + 1e-8f);
  for (int i = 0; i < n; ++i) v[i] = (v[i] - mean) * stddev_inv;
}

// Clamps to [-clip, clip]; NaN becomes clip, as std::max(std::min(clip, x), -clip).
void Clip(float* v, int n, float clip) {
  for (int i = 0; i < n; ++i) v[i] = std::max(std::min(clip, v[i]), -clip);
}

// One gate's tensor slots (peephole -1 for the cell gate) and layer-norm index.
struct GateSlots {
  int input, recurrent, peephole, bias, layer_norm;
};
constexpr GateSlots kInputGate = {kLstmInputToInput, kLstmRecurrentToInput, kLstmCellToInput,
                                  kLstmInputGateBias, 0};
constexpr GateSlots kForgetGate = {kLstmInputToForget, kLstmRecurrentToForget, kLstmCellToForget,
                                   kLstmForgetGateBias, 1};
constexpr GateSlots kCellGate = {kLstmInputToCell, kLstmRecurrentToCell, -1, kLstmCellGateBias, 2};
constexpr GateSlots kOutputGate = {kLstmInputToOutput, kLstmRecurrentToOutput, kLstmCellToOutput,
                                   kLstmOutputGateBias, 3};

// A row's inputs: x and h, and for a hybrid cell whether their quantized
// rows (in the tensors' scratch) exist, i.e. the row is not all zero.
struct StepRow {
  const float *x, *h, *c;
  bool x_quantized, h_quantized;
};

// A gate's pre-activation for one row.
void LstmGate(const LstmCell& cell, const LstmCellTensors& t, const GateSlots& g,
              const StepRow& row, float* gate) {
  const float* layer_norm = t.layer_norm[g.layer_norm];
  const float* bias = t.slot[g.bias];
  for (int r = 0; r < cell.n_cell; ++r) gate[r] = layer_norm != nullptr ? 0.0f : bias[r];
  const int peephole = g.peephole;
  if (cell.hybrid) {
    if (row.x_quantized) {
      AccumulateHybridRows(t.weights[g.input], t.scale[g.input], cell.n_cell, cell.n_input, 1,
                           t.input_rows, gate, cell.n_cell);
    }
    if (row.h_quantized) {
      AccumulateHybridRows(t.weights[g.recurrent], t.scale[g.recurrent], cell.n_cell, cell.n_output,
                           1, t.state_rows, gate, cell.n_cell);
    }
    if (peephole >= 0 && t.weights[peephole] != nullptr) {
      for (int r = 0; r < cell.n_cell; ++r) {
        gate[r] += static_cast<float>(t.weights[peephole][r]) * t.scale[peephole] * row.c[r];
      }
    }
  } else {
    const float* input = t.slot[g.input];
    const float* recurrent = t.slot[g.recurrent];
    for (int r = 0; r < cell.n_cell; ++r) {
      float acc = gate[r];
      acc += Dot(input + static_cast<int64_t>(r) * cell.n_input, row.x, cell.n_input);
      if (cell.diagonal_recurrent) {
        acc += recurrent[r] * row.h[r];
      } else {
        acc += Dot(recurrent + static_cast<int64_t>(r) * cell.n_output, row.h, cell.n_output);
      }
      if (peephole >= 0 && t.slot[peephole] != nullptr) acc += t.slot[peephole][r] * row.c[r];
      gate[r] = acc;
    }
  }
  if (layer_norm != nullptr) {
    NormalizeMeanStddev(gate, cell.n_cell);
    for (int r = 0; r < cell.n_cell; ++r) gate[r] = layer_norm[r] * gate[r] + bias[r];
  }
}

void Sigmoid(float* v, int n) {
  for (int i = 0; i < n; ++i) v[i] = 1.0f / (1.0f + std::exp(-v[i]));
}

}  // namespace

QLITE_PREPARE_TIME Status PrepareLstmCell(const OpContext& ctx, const LstmCellLayout& layout,
                                          int batch, int n_input, bool diagonal_recurrent,
                                          LstmCell* cell) {
  const char* dir = layout.direction;
  const Tensor* t[kLstmSlotCount];
  for (int s = 0; s < kLstmSlotCount; ++s) t[s] = ctx.input(layout.weights + s);
  for (int s : {kLstmInputToForget, kLstmInputToCell, kLstmInputToOutput, kLstmRecurrentToForget,
                kLstmRecurrentToCell, kLstmRecurrentToOutput, kLstmForgetGateBias,
                kLstmCellGateBias, kLstmOutputGateBias}) {
    QLITE_ENSURE(t[s] != nullptr, dir, kLstmTensorNames[s], " (input ", layout.weights + s,
                 ") is missing");
  }
  *cell = LstmCell{};
  cell->layout = layout;
  cell->batch = batch;
  cell->n_input = n_input;
  cell->diagonal_recurrent = diagonal_recurrent;
  const Tensor& to_output = *t[kLstmInputToOutput];
  QLITE_RETURN_IF_ERROR(CheckRank(to_output, 2, kLstmTensorNames[kLstmInputToOutput]));
  cell->n_cell = to_output.dim(0);
  const Tensor& recurrent = *t[kLstmRecurrentToOutput];
  QLITE_RETURN_IF_ERROR(
      CheckRank(recurrent, diagonal_recurrent ? 1 : 2, kLstmTensorNames[kLstmRecurrentToOutput]));
  cell->n_output = diagonal_recurrent ? cell->n_cell : recurrent.dim(1);
  const int n_cell = cell->n_cell, n_output = cell->n_output;
  const Tensor* input = ctx.input(0);
  cell->integer = input != nullptr && input->type == DType::kInt8;
  cell->hybrid = !cell->integer && to_output.type == DType::kInt8;
  QLITE_ENSURE(!(cell->hybrid || cell->integer) || !diagonal_recurrent, dir, "a ",
               cell->integer ? "integer" : "hybrid",
               " LSTM with diagonal recurrent tensors is not supported");

  cell->cifg = t[kLstmInputToInput] == nullptr;
  QLITE_ENSURE((t[kLstmRecurrentToInput] == nullptr) == cell->cifg, dir,
               "input_to_input_weights and recurrent_to_input_weights must be both present or "
               "both absent (CIFG)");
  QLITE_ENSURE((t[kLstmInputGateBias] == nullptr) == cell->cifg, dir, "input_gate_bias must be ",
               cell->cifg ? "absent with CIFG (no input gate)" : "present without CIFG");
  cell->peephole = t[kLstmCellToForget] != nullptr;
  QLITE_ENSURE((t[kLstmCellToOutput] != nullptr) == cell->peephole &&
                   (cell->cifg || (t[kLstmCellToInput] != nullptr) == cell->peephole),
               dir, "peephole weights (cell_to_*_weights) must be all present or all absent");
  cell->projection = t[kLstmProjectionWeights] != nullptr;
  QLITE_ENSURE(cell->projection || t[kLstmProjectionBias] == nullptr, dir,
               "projection_bias needs projection_weights");
  QLITE_ENSURE(cell->projection || n_output == n_cell, dir, "without projection_weights the ",
               "output size (", n_output, ") must equal the cell count (", n_cell, ")");

  const Shape input_weights = {n_cell, n_input};
  const Shape recurrent_weights = diagonal_recurrent ? Shape{n_cell} : Shape{n_cell, n_output};
  for (int s = 0; s < kLstmSlotCount; ++s) {
    if (t[s] == nullptr) continue;
    Shape want = {n_cell};
    if (s <= kLstmInputToOutput) want = input_weights;
    if (s >= kLstmRecurrentToInput && s <= kLstmRecurrentToOutput) want = recurrent_weights;
    if (s == kLstmProjectionWeights) want = {n_output, n_cell};
    if (s == kLstmProjectionBias) want = {n_output};
    QLITE_RETURN_IF_ERROR(CheckLstmTensor(*t[s], *cell, s, want));
  }

  if (layout.layer_norm >= 0) {
    const Tensor* ln[4];
    for (int k = 0; k < 4; ++k) ln[k] = ctx.input(layout.layer_norm + k);
    cell->layer_norm = ln[1] != nullptr;  // TFLite keys layer norm on the forget gate's
    if (cell->layer_norm) {
      QLITE_ENSURE(ln[2] != nullptr && ln[3] != nullptr, dir,
                   "layer norm needs the cell and output gates' coefficients");
      QLITE_ENSURE((ln[0] != nullptr) != cell->cifg, dir, kLstmTensorNames[kLstmSlotCount + 0],
                   " must be ", cell->cifg ? "absent with CIFG" : "present without CIFG");
      for (int k = 0; k < 4; ++k) {
        if (ln[k] != nullptr) {
          QLITE_RETURN_IF_ERROR(CheckLstmTensor(*ln[k], *cell, kLstmSlotCount + k, {n_cell}));
        }
      }
    }
  }
  const bool integer = cell->integer;
  QLITE_RETURN_IF_ERROR(CheckLstmState(ctx, layout.output_state, *cell, "output_state",
                                       integer ? DType::kInt8 : DType::kFloat32, batch, n_output));
  return CheckLstmState(ctx, layout.cell_state, *cell, "cell_state",
                        integer ? DType::kInt16 : DType::kFloat32, batch, n_cell);
}

LstmCellTensors BindLstmCell(const OpContext& ctx, const LstmCell& cell) {
  LstmCellTensors b;
  for (int s = 0; s < kLstmSlotCount; ++s) {
    const Tensor* t = ctx.input(cell.layout.weights + s);
    if (t == nullptr) continue;
    if (cell.hybrid && IsWeightSlot(s)) {
      b.weights[s] = t->data_as<int8_t>();
      b.scale[s] = t->scale();
    } else {
      b.slot[s] = t->data_as<float>();
    }
  }
  if (cell.layer_norm) {
    for (int k = 0; k < 4; ++k) {
      const Tensor* t = ctx.input(cell.layout.layer_norm + k);
      b.layer_norm[k] = t != nullptr ? t->data_as<float>() : nullptr;
    }
  }
  b.output_state = ctx.mutable_input(cell.layout.output_state)->data_as<float>();
  b.cell_state = ctx.mutable_input(cell.layout.cell_state)->data_as<float>();
  return b;
}

QLITE_PREPARE_TIME Status RequestLstmHybridScratch(OpContext& ctx, const LstmCell* const* cells,
                                                   int count, LstmHybridScratchIds* ids) {
  int input_cols = 0, state_cols = 0;
  for (int i = 0; i < count; ++i) {
    if (!cells[i]->hybrid) continue;
    input_cols = std::max({input_cols, cells[i]->n_input, cells[i]->n_cell});
    state_cols = std::max(state_cols, cells[i]->n_output);
  }
  if (input_cols == 0) return Status::Ok();
  QLITE_RETURN_IF_ERROR(RequestHybridScratch(ctx, 1, input_cols, &ids->input_rows));
  return RequestHybridScratch(ctx, 1, state_cols, &ids->state_rows);
}

void BindLstmHybridScratch(const OpContext& ctx, const LstmHybridScratchIds& ids,
                           LstmCellTensors* tensors) {
  if (ids.input_rows.quantized < 0) return;
  tensors->input_rows = HybridScratchFor(ctx, ids.input_rows);
  tensors->state_rows = HybridScratchFor(ctx, ids.state_rows);
}

void LstmCellStep(const LstmCell& cell, const LstmCellTensors& t, const LstmStepOptions& options,
                  int b, const float* x, float* out, float* scratch) {
  const int n_cell = cell.n_cell, n_output = cell.n_output;
  float* h = t.output_state + static_cast<int64_t>(b) * n_output;
  float* c = t.cell_state + static_cast<int64_t>(b) * n_cell;
  float* input_gate = scratch;
  float* forget_gate = scratch + n_cell;
  float* cell_gate = scratch + 2 * static_cast<int64_t>(n_cell);
  float* output_gate = scratch + 3 * static_cast<int64_t>(n_cell);
  StepRow row = {x, h, c, false, false};
  if (cell.hybrid) {
    row.x_quantized =
        QuantizeHybridRows(x, 1, cell.n_input, options.asymmetric_inputs, t.input_rows);
    row.h_quantized = QuantizeHybridRows(h, 1, n_output, options.asymmetric_inputs, t.state_rows);
  }
  if (!cell.cifg) {
    LstmGate(cell, t, kInputGate, row, input_gate);
    Sigmoid(input_gate, n_cell);
  }
  LstmGate(cell, t, kForgetGate, row, forget_gate);
  Sigmoid(forget_gate, n_cell);
  LstmGate(cell, t, kCellGate, row, cell_gate);
  ApplyFusedActivationFloat(options.activation, cell_gate, n_cell);

  // c = f * c + g * i (i = 1 - f with CIFG), then clipped.
  for (int i = 0; i < n_cell; ++i) c[i] = forget_gate[i] * c[i];
  if (cell.cifg) {
    for (int i = 0; i < n_cell; ++i) c[i] += cell_gate[i] * (1.0f - forget_gate[i]);
  } else {
    for (int i = 0; i < n_cell; ++i) c[i] += cell_gate[i] * input_gate[i];
  }
  if (options.cell_clip > 0.0f) Clip(c, n_cell, options.cell_clip);

  // The output gate's peephole reads the updated cell state.
  LstmGate(cell, t, kOutputGate, row, output_gate);
  Sigmoid(output_gate, n_cell);
  std::copy(c, c + n_cell, cell_gate);
  ApplyFusedActivationFloat(options.activation, cell_gate, n_cell);
  for (int i = 0; i < n_cell; ++i) cell_gate[i] = output_gate[i] * cell_gate[i];

  if (cell.projection) {
    const float* bias = t.slot[kLstmProjectionBias];
    for (int j = 0; j < n_output; ++j) h[j] = bias != nullptr ? bias[j] : 0.0f;
    if (cell.hybrid) {
      // x's quantized row is no longer needed: o * act(c) takes its place.
      if (QuantizeHybridRows(cell_gate, 1, n_cell, options.asymmetric_inputs, t.input_rows)) {
        AccumulateHybridRows(t.weights[kLstmProjectionWeights], t.scale[kLstmProjectionWeights],
                             n_output, n_cell, 1, t.input_rows, h, n_output);
      }
    } else {
      const float* projection = t.slot[kLstmProjectionWeights];
      for (int j = 0; j < n_output; ++j) {
        h[j] += Dot(projection + static_cast<int64_t>(j) * n_cell, cell_gate, n_cell);
      }
    }
    if (options.proj_clip > 0.0f) Clip(h, n_output, options.proj_clip);
  } else {
    std::copy(cell_gate, cell_gate + n_output, h);
  }
  std::copy(h, h + n_output, out);
}

void RunLstmSequence(const LstmCell& cell, const LstmCellTensors& t, const LstmStepOptions& options,
                     int time, bool time_major, bool forward, const float* input, float* output,
                     int out_stride, int out_offset, float* scratch) {
  for (int step = 0; step < time; ++step) {
    const int64_t time_index = forward ? step : time - 1 - step;
    for (int b = 0; b < cell.batch; ++b) {
      const int64_t row = time_major ? time_index * cell.batch + b : int64_t{b} * time + time_index;
      LstmCellStep(cell, t, options, b, input + row * cell.n_input,
                   output + row * out_stride + out_offset, scratch);
    }
  }
}

}  // namespace qlite
