// The integer LSTM cell of lstm_integer.h, step by step as TFLite's
// LstmStepInteger8x8_16 and its portable tensor_utils.
#include "core/kernels/lstm_integer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/fixed_point.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

constexpr int kHiddenIntermediate = 4;

// TFLite's CheckedLog2: the scale must be a power of two (within 1e-3 in log2).
bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float x_log2_rounded = std::round(x_log2);
  *log2_result = static_cast<int>(x_log2_rounded);
  return std::abs(x_log2 - x_log2_rounded) < 1e-3f;
}

QLITE_PREPARE_TIME Status Multiplier(float real, const char* what, QuantizedMultiplier* m,
                                     int max_left_shift = 30) {
  Status s = QuantizeMultiplierChecked(real, &m->multiplier, &m->shift, max_left_shift);
  QLITE_ENSURE(s.ok(), "integer LSTM: the ", what, " scale ", real, " is out of range");
  return Status::Ok();
}

// The quantization of a present tensor `t` of slot `slot`: per-tensor.
QLITE_PREPARE_TIME Status CheckSlotQuant(const Tensor* t, int slot) {
  if (t == nullptr) return Status::Ok();
  return CheckPerTensorQuant(*t, kLstmTensorNames[slot]);
}

// TFLite's PrecomputeZeroPointTimesWeightWithBias: bias (or 0) plus
// zero_point * the row sums of `weights` [rows, cols], in int32 arithmetic.
std::vector<int32_t> ZeroPointTimesWeightsWithBias(int32_t zero_point, const Tensor& weights,
                                                   const Tensor* bias) {
  const int rows = weights.dim(0), cols = weights.dim(1);
  const int8_t* w = weights.data_as<int8_t>();
  std::vector<int32_t> out(rows, 0);
  if (bias != nullptr) std::copy_n(bias->data_as<int32_t>(), rows, out.begin());
  for (int r = 0; r < rows; ++r) {
    int32_t row_sum = 0;
    for (int c = 0; c < cols; ++c) row_sum += w[static_cast<int64_t>(r) * cols + c];
    out[r] =
        static_cast<int32_t>(static_cast<uint32_t>(out[r]) +
                             static_cast<uint32_t>(row_sum) * static_cast<uint32_t>(zero_point));
  }
  return out;
}

int32_t Rescale(int32_t x, const QuantizedMultiplier& m) {
  return MultiplyByQuantizedMultiplier(x, m.multiplier, m.shift);
}

// result[b][r] = saturate(result + rescale(bias[r] + W[r] . x[b]) + zp), as
// TFLite's MatrixBatchVectorMultiplyAccumulate (int32 sums wrap).
template <typename T>
void MatVecAccumulate(const int8_t* x, const int32_t* bias, const int8_t* w,
                      const QuantizedMultiplier& m, int rows, int n_in, int n_out, int32_t zp,
                      T* result) {
  for (int b = 0; b < rows; ++b) {
    for (int r = 0; r < n_out; ++r) {
      uint32_t acc = static_cast<uint32_t>(bias[r]);
      const int8_t* w_row = w + static_cast<int64_t>(r) * n_in;
      const int8_t* x_row = x + static_cast<int64_t>(b) * n_in;
      for (int c = 0; c < n_in; ++c) acc += static_cast<uint32_t>(int32_t{x_row[c]} * w_row[c]);
      T& out = result[static_cast<int64_t>(b) * n_out + r];
      const int64_t sum = int64_t{Rescale(static_cast<int32_t>(acc), m)} + zp + out;
      out = static_cast<T>(
          std::clamp<int64_t>(sum, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
    }
  }
}

// TFLite's integer ApplyLayerNorm on one row of n values (Q3.12 out).
void LayerNormRow(int16_t* v, int n, const int16_t* weights, const int32_t* bias,
                  const LstmIntegerGate& g) {
  int64_t sum = 0, sum_sq = 0;
  for (int j = 0; j < n; ++j) {
    sum += v[j];
    sum_sq += int32_t{v[j]} * v[j];
  }
  const int32_t mean = static_cast<int32_t>(sum * 1024 / n);
  const int32_t temp = (1 << 20) / n;  // TFLite's form: exact for power-of-two n only
  const int64_t variance = sum_sq * temp - static_cast<int64_t>(mean) * mean;
  int32_t variance2 = static_cast<int32_t>(variance / (1 << 20));
  if (variance2 < 1) variance2 = g.variance_guard;
  int32_t inv_a = 0;
  int inv_b = 0;
  GetInvSqrtQuantizedMultiplierExp(variance2, -1, &inv_a, &inv_b);
  for (int j = 0; j < n; ++j) {
    const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(int32_t{v[j]}) * 1024u -
                                                 static_cast<uint32_t>(mean));
    const int32_t rescaled = MultiplyByQuantizedMultiplier(shifted, inv_a, inv_b);
    // TFLite forms rescaled * weight + bias in int32 (wrapping), then widens.
    const int64_t val3 = static_cast<int32_t>(static_cast<uint32_t>(rescaled) *
                                                  static_cast<uint32_t>(int32_t{weights[j]}) +
                                              static_cast<uint32_t>(bias[j]));
    const int32_t val4 = static_cast<int32_t>((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
    const int32_t val5 =
        MultiplyByQuantizedMultiplier(val4, g.layer_norm.multiplier, g.layer_norm.shift + 12);
    v[j] = static_cast<int16_t>(Clamp(val5, -32768, 32767));
  }
}

// TFLite's ApplyTanh(integer_bits): gemmlowp's int16 tanh of a Q(bits) value.
void ApplyTanh(int integer_bits, const int16_t* in, int64_t n, int16_t* out) {
  using fixed_point::int16::Tanh;
  for (int64_t i = 0; i < n; ++i) {
    switch (integer_bits) {
      case 0: out[i] = Tanh<0>(in[i]); break;
      case 1: out[i] = Tanh<1>(in[i]); break;
      case 2: out[i] = Tanh<2>(in[i]); break;
      case 3: out[i] = Tanh<3>(in[i]); break;
      case 4: out[i] = Tanh<4>(in[i]); break;
      case 5: out[i] = Tanh<5>(in[i]); break;
      default: out[i] = Tanh<6>(in[i]); break;  // prepare allows 0..6
    }
  }
}

// A cell's tensors bound for one eval.
struct Bound {
  const int8_t* input_weights[4];
  const int8_t* recurrent_weights[4];
  const int16_t* peephole[4];
  const int16_t* layer_norm[4];
  const int32_t* bias[4];
  const int8_t* projection;
  int8_t* output_state;
  int16_t* cell_state;
};

Bound Bind(const OpContext& ctx, const LstmCell& cell) {
  Bound b{};
  const int first = cell.layout.weights;
  for (int g = 0; g < 4; ++g) {
    const Tensor* t = ctx.input(first + kLstmInputToInput + g);
    b.input_weights[g] = t != nullptr ? t->data_as<int8_t>() : nullptr;
    t = ctx.input(first + kLstmRecurrentToInput + g);
    b.recurrent_weights[g] = t != nullptr ? t->data_as<int8_t>() : nullptr;
    t = ctx.input(first + kLstmInputGateBias + g);
    b.bias[g] = t != nullptr ? t->data_as<int32_t>() : nullptr;
    t = g == 2 ? nullptr : ctx.input(first + kLstmCellToInput + (g == 3 ? 2 : g));
    b.peephole[g] = t != nullptr ? t->data_as<int16_t>() : nullptr;
    t = cell.layer_norm ? ctx.input(cell.layout.layer_norm + g) : nullptr;
    b.layer_norm[g] = t != nullptr ? t->data_as<int16_t>() : nullptr;
  }
  const Tensor* p = ctx.input(first + kLstmProjectionWeights);
  b.projection = p != nullptr ? p->data_as<int8_t>() : nullptr;
  b.output_state = ctx.mutable_input(cell.layout.output_state)->data_as<int8_t>();
  b.cell_state = ctx.mutable_input(cell.layout.cell_state)->data_as<int16_t>();
  return b;
}

// One gate over `rows` rows (TFLite's CalculateLstmGateInteger8x8_16).
void Gate(const LstmCell& cell, const LstmIntegerGate& g, const Bound& b, int k, int rows,
          const int8_t* x, const int8_t* h, const int16_t* c, bool sigmoid, int16_t* gate) {
  const int n_cell = cell.n_cell;
  std::fill_n(gate, static_cast<int64_t>(rows) * n_cell, int16_t{0});
  MatVecAccumulate(x, g.input_bias.data(), b.input_weights[k], g.input, rows, cell.n_input, n_cell,
                   0, gate);
  MatVecAccumulate(h, g.recurrent_bias.data(), b.recurrent_weights[k], g.recurrent, rows,
                   cell.n_output, n_cell, 0, gate);
  if (b.peephole[k] != nullptr) {
    // TFLite's vector length here is n_output: its rows are n_output apart.
    const int n = cell.n_output;
    for (int64_t i = 0; i < static_cast<int64_t>(rows) * n; ++i) {
      const int32_t product = Rescale(int32_t{b.peephole[k][i % n]} * c[i], g.peephole);
      gate[i] = static_cast<int16_t>(Clamp(product + gate[i], -32768, 32767));
    }
  }
  if (b.layer_norm[k] != nullptr && n_cell > 0) {  // no cells: nothing to normalize
    for (int r = 0; r < rows; ++r) {
      LayerNormRow(gate + static_cast<int64_t>(r) * n_cell, n_cell, b.layer_norm[k], b.bias[k], g);
    }
  }
  const int64_t n = static_cast<int64_t>(rows) * n_cell;
  if (sigmoid) {
    for (int64_t i = 0; i < n; ++i) gate[i] = fixed_point::int16::Logistic(gate[i]);
  } else {
    ApplyTanh(3, gate, n, gate);
  }
}

// One step of `rows` rows: x [rows, n_input], h and c the rows' states.
void Step(const LstmCell& cell, const LstmIntegerCell& q, const Bound& b, int rows, const int8_t* x,
          int8_t* h, int16_t* c, int8_t* out, void* scratch) {
  const int64_t n = static_cast<int64_t>(rows) * cell.n_cell;
  int16_t* input_gate = static_cast<int16_t*>(scratch);
  int16_t* forget_gate = input_gate + n;
  int16_t* cell_gate = forget_gate + n;
  int16_t* output_gate = cell_gate + n;
  int8_t* hidden = reinterpret_cast<int8_t*>(output_gate + n);
  if (!cell.cifg) Gate(cell, q.gates[0], b, 0, rows, x, h, c, true, input_gate);
  Gate(cell, q.gates[1], b, 1, rows, x, h, c, true, forget_gate);
  Gate(cell, q.gates[2], b, 2, rows, x, h, c, false, cell_gate);

  // c = f * c + i * g (TFLite's UpdateLstmCellInteger; CIFG: i = 1 - f).
  const int update_shift = 30 + q.cell_scale;
  for (int64_t i = 0; i < n; ++i) {
    const int16_t kept =
        static_cast<int16_t>(RoundingDivideByPOT(int32_t{forget_gate[i]} * c[i], 15));
    const int16_t in = cell.cifg ? static_cast<int16_t>(32767 - forget_gate[i]) : input_gate[i];
    const int16_t added =
        static_cast<int16_t>(RoundingDivideByPOT(int32_t{in} * cell_gate[i], update_shift));
    int32_t sum = Clamp(int32_t{kept} + added, -32768, 32767);
    if (q.cell_clip > 0) sum = Clamp(sum, -q.cell_clip, q.cell_clip);
    c[i] = static_cast<int16_t>(sum);
  }
  Gate(cell, q.gates[3], b, 3, rows, x, h, c, true, output_gate);

  // hidden = o * tanh(c), requantized to int8 (TFLite subtracts hidden_zp).
  int16_t* tanh_c = input_gate;  // free now, as TFLite reuses it
  ApplyTanh(15 + q.cell_scale, c, n, tanh_c);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = Rescale(int32_t{output_gate[i]} * tanh_c[i], q.hidden) - q.hidden_zp;
    hidden[i] = static_cast<int8_t>(Clamp(v, -128, 127));
  }
  const int64_t n_h = static_cast<int64_t>(rows) * cell.n_output;
  if (cell.projection) {
    std::fill_n(h, n_h, int8_t{0});
    MatVecAccumulate(hidden, q.projection_bias.data(), b.projection, q.projection, rows,
                     cell.n_cell, cell.n_output, q.output_state_zp, h);
    if (q.proj_clip > 0) {
      for (int64_t i = 0; i < n_h; ++i) {
        h[i] = static_cast<int8_t>(Clamp(h[i], -q.proj_clip, q.proj_clip));
      }
    }
  } else {
    std::copy_n(hidden, n_h, h);
  }
  std::copy_n(h, n_h, out);
}

}  // namespace

QLITE_PREPARE_TIME Status PrepareLstmIntegerCell(const OpContext& ctx, const LstmCell& cell,
                                                 const LstmOptions& options, LstmIntegerCell* q) {
  const auto& intermediates = ctx.op().intermediates;
  QLITE_ENSURE(intermediates.size() != 12,
               "integer LSTM with 12 intermediate tensors (TFLite's 8x8_8 variant) is not "
               "supported");
  QLITE_ENSURE(intermediates.size() == 5,
               "integer LSTM needs 5 intermediate tensors (the "
               "gates' and the hidden value's quantization), has ",
               intermediates.size());
  const Tensor* inter[5];
  for (int i = 0; i < 5; ++i) {
    inter[i] = ctx.intermediate(i);
    QLITE_ENSURE(inter[i] != nullptr, "integer LSTM: intermediate tensor ", i, " is missing");
  }
  QLITE_ENSURE(options.cell_clip >= 0 && options.proj_clip >= 0,
               "integer LSTM: cell_clip and proj_clip must be >= 0");
  const Tensor& input = *ctx.input(0);
  const Tensor& output = *ctx.output(0);
  const Tensor& output_state = *ctx.input(cell.layout.output_state);
  const Tensor& cell_state = *ctx.input(cell.layout.cell_state);
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output_state, "output_state"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(cell_state, "cell_state"));
  const Tensor* t[kLstmSlotCount];
  for (int s = 0; s < kLstmSlotCount; ++s) {
    t[s] = ctx.input(cell.layout.weights + s);
    const bool scaled = s <= kLstmCellToOutput || s == kLstmProjectionWeights;
    if (scaled) QLITE_RETURN_IF_ERROR(CheckSlotQuant(t[s], s));
  }
  const Tensor* ln[4] = {};
  for (int g = 0; g < 4 && cell.layer_norm; ++g) {
    ln[g] = ctx.input(cell.layout.layer_norm + g);
    if (ln[g] != nullptr)
      QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*ln[g], kLstmTensorNames[kLstmSlotCount + g]));
  }

  // TFLite: the cell state's scale is a power of two, at most 2^-9.
  QLITE_ENSURE(CheckedLog2(cell_state.scale(), &q->cell_scale), "integer LSTM: cell_state '",
               cell_state.name(), "' scale ", cell_state.scale(), " is not a power of two");
  QLITE_ENSURE(q->cell_scale <= -9, "integer LSTM: cell_state scale 2^", q->cell_scale,
               " must be at most 2^-9");
  // Below 2^-15 TFLite's tanh of the cell state writes nothing.
  QLITE_ENSURE(q->cell_scale >= -15, "integer LSTM: cell_state scale 2^", q->cell_scale,
               " below 2^-15 is not supported");
  q->cell_clip = options.cell_clip > 0
                     ? static_cast<int16_t>(std::min(
                           std::max(options.cell_clip / cell_state.scale(), -32768.0f), 32767.0f))
                     : 0;
  q->proj_clip = options.proj_clip > 0
                     ? static_cast<int8_t>(
                           std::min(std::max(options.proj_clip / output.scale(), -128.0f), 127.0f))
                     : 0;

  float gate_scale[4];
  for (int g = 0; g < 4; ++g) {
    gate_scale[g] = std::pow(2.0f, -12.0f);  // Q3.12 without layer norm
    if (cell.layer_norm) {
      QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*inter[g], "intermediate"));
      gate_scale[g] = inter[g]->scale();
    }
  }
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*inter[kHiddenIntermediate], "intermediate"));
  const float hidden_scale = inter[kHiddenIntermediate]->scale();
  q->hidden_zp = inter[kHiddenIntermediate]->zero_point();
  q->output_state_zp = output_state.zero_point();
  const float input_scale = input.scale(), state_scale = output_state.scale();
  const float cell_pot = std::pow(2.0f, static_cast<float>(q->cell_scale));
  const char* const kGateNames[4] = {"input gate", "forget gate", "cell gate", "output gate"};
  for (int g = 0; g < 4; ++g) {
    LstmIntegerGate& gate = q->gates[g];
    if (g == 0 && cell.cifg) continue;
    // TFLite forms the scales in float.
    QLITE_RETURN_IF_ERROR(
        Multiplier(t[kLstmInputToInput + g]->scale() * input_scale / gate_scale[g], kGateNames[g],
                   &gate.input));
    QLITE_RETURN_IF_ERROR(
        Multiplier(t[kLstmRecurrentToInput + g]->scale() * state_scale / gate_scale[g],
                   kGateNames[g], &gate.recurrent));
    const int peephole_slot = g == 3 ? kLstmCellToOutput : kLstmCellToInput + g;
    if (cell.peephole && g != 2) {
      QLITE_RETURN_IF_ERROR(Multiplier(cell_pot * t[peephole_slot]->scale() / gate_scale[g],
                                       "peephole", &gate.peephole));
    }
    float ln_scale = 1.0f;
    if (cell.layer_norm) ln_scale = ln[g]->scale();
    // The layer norm shifts by 12 more: keep the shift defined.
    QLITE_RETURN_IF_ERROR(Multiplier(ln_scale, "layer-norm coefficients", &gate.layer_norm, 18));
    gate.variance_guard = std::max(1, static_cast<int32_t>(10000 * ln_scale));
    const Tensor* bias = cell.layer_norm ? nullptr : t[kLstmInputGateBias + g];
    gate.input_bias =
        ZeroPointTimesWeightsWithBias(-input.zero_point(), *t[kLstmInputToInput + g], bias);
    gate.recurrent_bias = ZeroPointTimesWeightsWithBias(-output_state.zero_point(),
                                                        *t[kLstmRecurrentToInput + g], nullptr);
  }
  QLITE_RETURN_IF_ERROR(Multiplier(std::pow(2.0f, -15.0f) / hidden_scale * std::pow(2.0f, -15.0f),
                                   "hidden", &q->hidden));
  if (cell.projection) {
    QLITE_RETURN_IF_ERROR(
        Multiplier(t[kLstmProjectionWeights]->scale() * hidden_scale / state_scale, "projection",
                   &q->projection));
    q->projection_bias = ZeroPointTimesWeightsWithBias(q->hidden_zp, *t[kLstmProjectionWeights],
                                                       t[kLstmProjectionBias]);
  }
  return Status::Ok();
}

size_t LstmIntegerScratchBytes(const LstmCell& cell, int rows) {
  const size_t n = static_cast<size_t>(rows) * static_cast<size_t>(cell.n_cell);
  return 4 * n * sizeof(int16_t) + n;
}

void RunLstmIntegerSequence(const OpContext& ctx, const LstmCell& cell,
                            const LstmIntegerCell& integer, int time, bool time_major,
                            const int8_t* input, int8_t* output, void* scratch) {
  const Bound b = Bind(ctx, cell);
  const int batch = cell.batch, n_input = cell.n_input, n_output = cell.n_output;
  if (time_major) {
    for (int t = 0; t < time; ++t) {
      const int64_t row = static_cast<int64_t>(t) * batch;
      Step(cell, integer, b, batch, input + row * n_input, b.output_state, b.cell_state,
           output + row * n_output, scratch);
    }
    return;
  }
  for (int r = 0; r < batch; ++r) {
    for (int t = 0; t < time; ++t) {
      const int64_t row = static_cast<int64_t>(r) * time + t;
      Step(cell, integer, b, 1, input + row * n_input,
           b.output_state + static_cast<int64_t>(r) * n_output,
           b.cell_state + static_cast<int64_t>(r) * cell.n_cell, output + row * n_output, scratch);
    }
  }
}

}  // namespace qlite
