// One direction of a float32 LSTM as TFLite's lstm_eval computes it, shared
// by LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM and BIDIRECTIONAL_SEQUENCE_LSTM.
// Per step and batch row, each gate is
//   acc = bias (0 with layer norm) + W_x . x + W_h . h (+ w_c * c, peephole)
//   layer norm: acc = normalize(acc) * coefficients + bias
// then sigmoid (input, forget, output gates) or the cell activation (cell
// gate). c = clip(f * c + g * i), i = 1 - f with CIFG (no input gate); the
// output gate's peephole reads the new c; h = clip(P . (o * act(c)) + p_bias)
// with a projection, o * act(c) without one.
// Hybrid (TFLite's EvalHybrid): the weight matrices, peephole and projection
// weights are int8 (per-tensor, symmetric); biases, layer-norm coefficients,
// states and activations float32. x and h are quantized per row
// (hybrid_matvec.h) and their products added in integers, scaled back; the
// peephole weights are dequantized (int8 * scale); o * act(c) is quantized
// for the projection. A product whose row is all zero is skipped, as TFLite
// skips it for an all-zero batch (the same sums: a zero row adds zeros).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/kernel_api.h"
#include "core/kernels/hybrid_matvec.h"

namespace qlite {

// One direction's 17 tensors, in TFLite's order from input_to_input_weights.
enum LstmSlot : int {
  kLstmInputToInput,
  kLstmInputToForget,
  kLstmInputToCell,
  kLstmInputToOutput,
  kLstmRecurrentToInput,
  kLstmRecurrentToForget,
  kLstmRecurrentToCell,
  kLstmRecurrentToOutput,
  kLstmCellToInput,
  kLstmCellToForget,
  kLstmCellToOutput,
  kLstmInputGateBias,
  kLstmForgetGateBias,
  kLstmCellGateBias,
  kLstmOutputGateBias,
  kLstmProjectionWeights,
  kLstmProjectionBias,
  kLstmSlotCount
};

// TFLite's names of the 17 slots, then of the 4 layer-norm coefficients
// (input, forget, cell, output gate).
extern const char* const kLstmTensorNames[kLstmSlotCount + 4];

// Where one direction's tensors are among the node's inputs.
struct LstmCellLayout {
  int weights = 1;             // input index of input_to_input_weights
  int output_state = 18;       // variable [batch, n_output]
  int cell_state = 19;         // variable [batch, n_cell]
  int layer_norm = -1;         // index of the input gate's layer-norm coefficients (4), or -1
  const char* direction = "";  // "" or "fw_"/"bw_", for messages
};

// A direction's geometry and variant, from prepare.
struct LstmCell {
  LstmCellLayout layout;
  int batch = 0, n_input = 0, n_cell = 0, n_output = 0;
  bool cifg = false, peephole = false, layer_norm = false, projection = false;
  bool diagonal_recurrent = false;  // recurrent weights are [n_cell] diagonals
  bool hybrid = false;              // int8 weights, float32 activations
  bool integer = false;             // int8 input (lstm_integer.h)
};

struct LstmStepOptions {
  Activation activation = Activation::kTanh;
  float cell_clip = 0.0f, proj_clip = 0.0f;
  bool asymmetric_inputs = false;  // hybrid: asymmetric_quantize_inputs
};

// A direction's tensors bound for one eval (nullptr where absent): float32
// slots, or with a hybrid cell the int8 weights in `weights` with their
// scales (the biases stay in `slot`).
struct LstmCellTensors {
  const float* slot[kLstmSlotCount] = {};
  const int8_t* weights[kLstmSlotCount] = {};
  float scale[kLstmSlotCount] = {};
  const float* layer_norm[4] = {};
  float* output_state = nullptr;
  float* cell_state = nullptr;
  HybridScratch input_rows, state_rows;  // hybrid: quantized x (or o * act(c)) and h
};

// Checks dtypes (float32, or hybrid: int8 weights where input_to_output_weights
// is int8, or integer where the input (input 0) is int8: the dtypes of
// lstm_integer.h), optional tensors (all-or-none groups as TFLite requires) and
// shapes against `batch` and `n_input`, and that both states are variable
// tensors.
Status PrepareLstmCell(const OpContext& ctx, const LstmCellLayout& layout, int batch, int n_input,
                       bool diagonal_recurrent, LstmCell* cell);

LstmCellTensors BindLstmCell(const OpContext& ctx, const LstmCell& cell);

// Hybrid cells: requests one row's quantization scratch for x (and the
// projection's o * act(c)) and for h, each the widest of `cells`; no-op when
// none is hybrid.
struct LstmHybridScratchIds {
  HybridScratchIds input_rows, state_rows;
};
Status RequestLstmHybridScratch(OpContext& ctx, const LstmCell* const* cells, int count,
                                LstmHybridScratchIds* ids);
void BindLstmHybridScratch(const OpContext& ctx, const LstmHybridScratchIds& ids,
                           LstmCellTensors* tensors);

// Floats of scratch one LstmCellStep needs.
inline size_t LstmStepScratchFloats(const LstmCell& cell) {
  return 4 * static_cast<size_t>(cell.n_cell);
}

// One step of batch row `b`: reads x [n_input], updates the row's states,
// writes h [n_output] to `out`.
void LstmCellStep(const LstmCell& cell, const LstmCellTensors& t, const LstmStepOptions& options,
                  int b, const float* x, float* out, float* scratch);

// A [time, batch] sequence through the cell (rows of `input` and `output` at
// t * batch + b when time_major, else b * time + t), time reversed when not
// `forward`. Output rows are `out_stride` floats apart, h at `out_offset`.
void RunLstmSequence(const LstmCell& cell, const LstmCellTensors& t, const LstmStepOptions& options,
                     int time, bool time_major, bool forward, const float* input, float* output,
                     int out_stride, int out_offset, float* scratch);

}  // namespace qlite
