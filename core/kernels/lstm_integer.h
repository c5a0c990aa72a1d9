// The integer LSTM cell of LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM, as TFLite's
// lstm_eval EvalInteger8x8_16: int8 input, output and output state (h),
// int8 weights, int32 biases, int16 cell state (c, scale 2^cell_scale),
// int16 peephole and layer-norm coefficients. The node's 5 intermediate
// tensors give the gates' pre-activation scales (0-3: input, forget, cell,
// output gate; used with layer norm, Q3.12 without) and the hidden value's
// int8 scale and zero point (4).
// Per step and row, each gate is, saturated to int16 after every term,
//   rescale(W_x . (x - x_zp) + bias) + rescale(W_h . (h - h_zp))
//   (+ rescale(w_c * c), peephole) -> layer norm (+ bias) -> sigmoid / tanh
// (bias in the layer norm with layer norm, in the first term without); then
//   c = f * c + i * g (i = 1 - f with CIFG), clipped;
//   hidden = rescale(o * tanh(c)) - hidden_zp (int8), and h = hidden, or
//   with a projection h = rescale(P . hidden + p_bias + hidden_zp * sum(P)).
// TFLite's peephole term walks n_output values of each batch row (its
// vector length argument), not n_cell; this is kept.
// LSTM with the 12 intermediates of TFLite's 8x8_8 variant is not supported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/kernel_api.h"
#include "core/kernels/lstm_cell.h"
#include "core/op_options.h"

namespace qlite {

struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

struct LstmIntegerGate {
  QuantizedMultiplier input, recurrent, peephole, layer_norm;
  int32_t variance_guard = 1;
  // Gate bias (without layer norm) plus the zero points' products:
  // -x_zp * sum(W_x row) and -h_zp * sum(W_h row).
  std::vector<int32_t> input_bias, recurrent_bias;
};

struct LstmIntegerCell {
  LstmIntegerGate gates[4];  // input, forget, cell, output
  QuantizedMultiplier hidden, projection;
  std::vector<int32_t> projection_bias;
  int32_t hidden_zp = 0, output_state_zp = 0;
  int cell_scale = 0;  // log2 of the cell state's scale
  int16_t cell_clip = 0;
  int8_t proj_clip = 0;
};

// Quantization checks and the multipliers and effective biases of a cell
// that PrepareLstmCell found integer; `options` gives the clips.
Status PrepareLstmIntegerCell(const OpContext& ctx, const LstmCell& cell,
                              const LstmOptions& options, LstmIntegerCell* integer);

// Scratch bytes of one step over `rows` batch rows.
size_t LstmIntegerScratchBytes(const LstmCell& cell, int rows);

// The sequence through the cell: time-major steps of all batch rows at
// once, batch-major rows one at a time (as TFLite walks them).
void RunLstmIntegerSequence(const OpContext& ctx, const LstmCell& cell,
                            const LstmIntegerCell& integer, int time, bool time_major,
                            const int8_t* input, int8_t* output, void* scratch);

}  // namespace qlite
