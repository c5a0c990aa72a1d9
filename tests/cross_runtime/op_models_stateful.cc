// Stateful one-op models (a variable tensor carries state between runs):
// SVDF float32, int8 (int16 state) and hybrid, RNN, UNIDIRECTIONAL_SEQUENCE_RNN
// and BIDIRECTIONAL_SEQUENCE_RNN float32 and hybrid (time- and batch-major;
// hybrid: int8 weights as the converter's dynamic-range mode writes them,
// symmetric or asymmetric input quantization), LSTM,
// UNIDIRECTIONAL_SEQUENCE_LSTM and BIDIRECTIONAL_SEQUENCE_LSTM float32 and
// hybrid (CIFG, peephole, projection, clipping, layer norm), and LSTM and
// UNIDIRECTIONAL_SEQUENCE_LSTM full-integer (int8, int16 cell state; the same
// variants). Left out: LSTM's
// diagonal_recurrent_tensors, newer than the TFLite in tfjs-tflite (its
// schema does not know the field and would read the diagonals as matrices). LiteRT.js refuses
// variable tensors, so these are not among the ops-litert models: `qlite_op_models --stateful`
// writes them for web/test/stateful-tfjs.test.mjs, which runs them step
// after step in tfjs-tflite and qlite.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "core/tensor.h"
#include "tests/cross_runtime/op_models.h"
#include "tests/util/lstm_models.h"

namespace qlite {
namespace {

// Deterministic weights in [-1, 1) (the seed names the tensor).
std::vector<float> Weights(int64_t count, uint32_t seed) {
  return testing::SeededValues(count, seed);
}
template <typename T>
std::vector<T> Quantized(const std::vector<float>& real, float scale) {
  std::vector<T> q;
  for (float v : real) q.push_back(static_cast<T>(v / scale));
  return q;
}

// Float32 weights, or hybrid: int8 weights as the converter's dynamic-range
// mode writes them (scale max|w| / 127, zero point 0), float32 activations,
// inputs quantized symmetrically or (asymmetric) with a zero point.
enum class Weighting { kFloat, kHybrid, kHybridAsymmetric };

int AddWeights(ModelBuilder& b, const std::string& name, const Shape& shape,
               const std::vector<float>& real, Weighting weighting) {
  if (weighting == Weighting::kFloat) return b.AddConstant(name, DType::kFloat32, shape, real);
  return testing::AddSymmetricInt8(b, name, shape, real);
}

// The op version the converter writes: 1 float32, 2 hybrid, and for
// asymmetric inputs 3 (the RNN ops) or 4 (SVDF).
int HybridVersion(Weighting weighting, int asymmetric_version) {
  if (weighting == Weighting::kFloat) return 1;
  return weighting == Weighting::kHybrid ? 2 : asymmetric_version;
}

struct SvdfShape {
  int batch, input_size, units, rank, memory;
  bool bias;
  Activation activation;
  Weighting weighting = Weighting::kFloat;
};

Model FloatSvdf(const SvdfShape& s) {
  ModelBuilder b;
  const int filters = s.units * s.rank;
  const int in = b.AddTensor("x", DType::kFloat32, {s.batch, s.input_size});
  const int wf = AddWeights(b, "weights_feature", {filters, s.input_size},
                            Weights(int64_t{filters} * s.input_size, 1), s.weighting);
  const int wt = AddWeights(b, "weights_time", {filters, s.memory},
                            Weights(int64_t{filters} * s.memory, 2), s.weighting);
  const int bias =
      s.bias ? b.AddConstant("bias", DType::kFloat32, {s.units}, Weights(s.units, 3)) : -1;
  const int state = b.AddVariable("state", DType::kFloat32, {s.batch, filters * s.memory});
  const int out = b.AddTensor("y", DType::kFloat32, {s.batch, s.units});
  SvdfOptions o;
  o.rank = s.rank;
  o.activation = s.activation;
  o.asymmetric_quantize_inputs = s.weighting == Weighting::kHybridAsymmetric;
  b.AddOperator(BuiltinOp::kSvdf, {in, wf, wt, bias, state}, {out}, o,
                HybridVersion(s.weighting, 4));
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// TFLite's integer SVDF: int8 input/weights_feature/output, int16
// weights_time and state, int32 bias; RELU (required); version 3. Inputs
// span all of int8: features reach the int16 state's limits, outputs int8's.
Model Int8Svdf(const SvdfShape& s) {
  ModelBuilder b;
  const int filters = s.units * s.rank;
  const int in = b.AddTensor("x", DType::kInt8, {s.batch, s.input_size}, PerTensor(0.05f, 3));
  const int wf =
      b.AddConstant("weights_feature", DType::kInt8, {filters, s.input_size},
                    Quantized<int8_t>(Weights(int64_t{filters} * s.input_size, 1), 1.0f / 127),
                    PerTensor(1.0f / 127, 0));
  const int wt =
      b.AddConstant("weights_time", DType::kInt16, {filters, s.memory},
                    Quantized<int16_t>(Weights(int64_t{filters} * s.memory, 2), 1.0f / 16384),
                    PerTensor(1.0f / 16384, 0));
  const int bias = s.bias ? b.AddConstant("bias", DType::kInt32, {s.units},
                                          Quantized<int32_t>(Weights(s.units, 3), 1.0f / (1 << 25)))
                          : -1;
  const int state = b.AddVariable("state", DType::kInt16, {s.batch, filters * s.memory},
                                  PerTensor(1.0f / 2048, 0));
  const int out = b.AddTensor("y", DType::kInt8, {s.batch, s.units}, PerTensor(0.05f, -5));
  SvdfOptions o;
  o.rank = s.rank;
  o.activation = Activation::kRelu;
  b.AddOperator(BuiltinOp::kSvdf, {in, wf, wt, bias, state}, {out}, o, 3);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model Rnn(bool sequence, bool time_major, Shape input_shape, int units, Activation activation,
          Weighting weighting = Weighting::kFloat) {
  ModelBuilder b;
  const int input_size = input_shape.back();
  const int batch = sequence && time_major ? input_shape[1] : input_shape[0];
  const int in = b.AddTensor("x", DType::kFloat32, input_shape);
  const int w = AddWeights(b, "weights", {units, input_size},
                           Weights(int64_t{units} * input_size, 4), weighting);
  std::vector<float> recurrent = Weights(int64_t{units} * units, 5);
  for (float& v : recurrent) v *= 0.5f;  // a contracting recurrence: state stays bounded
  const int r = AddWeights(b, "recurrent_weights", {units, units}, recurrent, weighting);
  const int bias = b.AddConstant("bias", DType::kFloat32, {units}, Weights(units, 6));
  const int hidden = b.AddVariable("hidden_state", DType::kFloat32, {batch, units});
  Shape out_shape = input_shape;
  out_shape.back() = units;
  const int out = b.AddTensor("y", DType::kFloat32, out_shape);
  RnnOptions o;
  o.time_major = time_major;
  o.activation = activation;
  o.asymmetric_quantize_inputs = weighting == Weighting::kHybridAsymmetric;
  b.AddOperator(sequence ? BuiltinOp::kUnidirectionalSequenceRnn : BuiltinOp::kRnn,
                {in, w, r, bias, hidden}, {out}, o, HybridVersion(weighting, 3));
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// BIDIRECTIONAL_SEQUENCE_RNN: forward and backward cells of their own sizes.
Model BidirectionalRnn(Shape input_shape, bool time_major, bool merge, int fw_units, int bw_units,
                       Weighting weighting = Weighting::kFloat,
                       Activation activation = Activation::kTanh) {
  ModelBuilder b;
  const int input_size = input_shape.back();
  const int batch = time_major ? input_shape[1] : input_shape[0];
  const int in = b.AddTensor("x", DType::kFloat32, input_shape);
  std::vector<int32_t> inputs = {in};
  uint32_t seed = 40;
  for (int units : {fw_units, bw_units}) {
    const std::string dir = inputs.size() == 1 ? "fw_" : "bw_";
    inputs.push_back(AddWeights(b, dir + "weights", {units, input_size},
                                Weights(int64_t{units} * input_size, seed++), weighting));
    std::vector<float> recurrent = Weights(int64_t{units} * units, seed++);
    for (float& v : recurrent) v *= 0.5f;
    inputs.push_back(
        AddWeights(b, dir + "recurrent_weights", {units, units}, recurrent, weighting));
    inputs.push_back(b.AddConstant(dir + "bias", DType::kFloat32, {units}, Weights(units, seed++)));
    inputs.push_back(b.AddVariable(dir + "hidden_state", DType::kFloat32, {batch, units}));
  }
  inputs.resize(12, -1);  // no auxiliary input
  const std::vector<int32_t> outputs =
      testing::AddBidirectionalOutputs(b, input_shape, fw_units, bw_units, merge);
  BidirectionalSequenceRnnOptions o;
  o.time_major = time_major;
  o.activation = activation;
  o.merge_outputs = merge;
  o.asymmetric_quantize_inputs = weighting == Weighting::kHybridAsymmetric;
  b.AddOperator(BuiltinOp::kBidirectionalSequenceRnn, inputs, outputs, o,
                HybridVersion(weighting, 3));
  b.SetInputs({in});
  b.SetOutputs(outputs);
  return b.Build();
}

// Seeded LSTM weights in [-0.5, 0.5), other ones per tensor slot.
std::vector<float> LstmWeights(int slot, int64_t count) {
  std::vector<float> w = Weights(count, 20 + static_cast<uint32_t>(slot));
  for (float& v : w) v *= 0.5f;
  return w;
}

testing::LstmCellSpec Cell(int n_input, int n_cell, int n_output = 0) {
  testing::LstmCellSpec s;
  s.n_input = n_input;
  s.n_cell = n_cell;
  s.n_output = n_output > 0 ? n_output : n_cell;
  s.projection = n_output > 0;
  return s;
}

LstmOptions LstmOpts(bool time_major, Activation activation = Activation::kTanh,
                     float cell_clip = 0, float proj_clip = 0) {
  LstmOptions o;
  o.time_major = time_major;
  o.activation = activation;
  o.cell_clip = cell_clip;
  o.proj_clip = proj_clip;
  return o;
}

// UNIDIRECTIONAL_SEQUENCE_LSTM over `input_shape` ([time, batch, n] when
// time_major), or the one-step LSTM for a rank-2 shape.
// A hybrid cell (int8 weights) gets the converter's version: LSTM 3 (4 with
// asymmetric inputs), UNIDIRECTIONAL_SEQUENCE_LSTM 2 (3).
Model SequenceLstm(const testing::LstmCellSpec& cell, const Shape& input_shape,
                   const LstmOptions& o) {
  const bool sequence = input_shape.size() == 3;
  const int batch = sequence && o.time_major ? input_shape[1] : input_shape[0];
  const int version =
      !cell.hybrid ? 1 : (sequence ? 2 : 3) + (o.asymmetric_quantize_inputs ? 1 : 0);
  return testing::LstmModel(sequence ? BuiltinOp::kUnidirectionalSequenceLstm : BuiltinOp::kLstm,
                            cell, input_shape, batch, o, LstmWeights, version);
}

testing::LstmCellSpec HybridCell(int n_input, int n_cell, int n_output = 0) {
  testing::LstmCellSpec s = Cell(n_input, n_cell, n_output);
  s.hybrid = true;
  return s;
}

LstmOptions Asymmetric(LstmOptions o) {
  o.asymmetric_quantize_inputs = true;
  return o;
}

// The LSTM family with hybrid cells: symmetric and asymmetric inputs, CIFG,
// peephole, projection, clipping, layer norm.
void AddHybridLstmModels(OpModels& models) {
  models.push_back({"unidirectional_sequence_lstm_hybrid_time_major", [] {
                      return SequenceLstm(HybridCell(3, 4), {3, 2, 3}, LstmOpts(true));
                    }});
  models.push_back(
      {"unidirectional_sequence_lstm_hybrid_asymmetric_cifg_peephole_clip", [] {
         testing::LstmCellSpec s = HybridCell(3, 4);
         s.cifg = s.peephole = true;
         return SequenceLstm(s, {2, 3, 3}, Asymmetric(LstmOpts(false, Activation::kTanh, 0.8f)));
       }});
  models.push_back(
      {"unidirectional_sequence_lstm_hybrid_projection_layer_norm", [] {
         testing::LstmCellSpec s = HybridCell(4, 5, 3);
         s.projection_bias = s.layer_norm = true;
         return SequenceLstm(s, {3, 1, 4}, LstmOpts(true, Activation::kTanh, 1.5f, 0.3f));
       }});
  models.push_back({"lstm_hybrid", [] {
                      return SequenceLstm(HybridCell(3, 4), {2, 3}, LstmOpts(true));
                    }});
  models.push_back({"lstm_hybrid_asymmetric_projection_peephole", [] {
                      testing::LstmCellSpec s = HybridCell(4, 3, 2);
                      s.peephole = true;
                      return SequenceLstm(s, {2, 4}, Asymmetric(LstmOpts(true)));
                    }});
  models.push_back({"bidirectional_sequence_lstm_hybrid_merged_time_major", [] {
                      LstmOptions o = LstmOpts(true);
                      o.merge_outputs = true;
                      return testing::BidirectionalLstmModel(HybridCell(3, 3), HybridCell(3, 3),
                                                             {3, 2, 3}, 2, o, LstmWeights, 2);
                    }});
  models.push_back({"bidirectional_sequence_lstm_hybrid_asymmetric_split_batch_major", [] {
                      testing::LstmCellSpec bw = HybridCell(3, 4, 2);
                      bw.peephole = bw.projection_bias = true;
                      return testing::BidirectionalLstmModel(
                          HybridCell(3, 4, 2), bw, {2, 3, 3}, 2,
                          Asymmetric(LstmOpts(false, Activation::kTanh, 2.0f, 0.5f)), LstmWeights,
                          3);
                    }});
}

void AddLstmModels(OpModels& models) {
  models.push_back({"unidirectional_sequence_lstm_float32_time_major", [] {
                      return SequenceLstm(Cell(3, 4), {3, 2, 3}, LstmOpts(true));
                    }});
  models.push_back({"unidirectional_sequence_lstm_float32_batch_major", [] {
                      return SequenceLstm(Cell(3, 4), {2, 4, 3}, LstmOpts(false));
                    }});
  models.push_back({"unidirectional_sequence_lstm_float32_cifg_peephole_cell_clip", [] {
                      testing::LstmCellSpec s = Cell(3, 4);
                      s.cifg = s.peephole = true;
                      return SequenceLstm(s, {2, 3, 3}, LstmOpts(false, Activation::kTanh, 0.8f));
                    }});
  models.push_back(
      {"unidirectional_sequence_lstm_float32_projection_clip", [] {
         testing::LstmCellSpec s = Cell(4, 5, 3);
         s.projection_bias = true;
         return SequenceLstm(s, {3, 1, 4}, LstmOpts(true, Activation::kTanh, 1.5f, 0.3f));
       }});
  models.push_back({"unidirectional_sequence_lstm_float32_layer_norm_peephole", [] {
                      testing::LstmCellSpec s = Cell(3, 4);
                      s.layer_norm = s.peephole = true;
                      return SequenceLstm(s, {2, 3, 3}, LstmOpts(false));
                    }});
  models.push_back({"unidirectional_sequence_lstm_float32_layer_norm_cifg_relu", [] {
                      testing::LstmCellSpec s = Cell(2, 3);
                      s.layer_norm = s.cifg = true;
                      return SequenceLstm(s, {3, 2, 2}, LstmOpts(true, Activation::kRelu));
                    }});
  models.push_back({"lstm_float32", [] {
                      return SequenceLstm(Cell(3, 4), {2, 3}, LstmOpts(true));
                    }});
  models.push_back({"lstm_float32_projection_layer_norm", [] {
                      testing::LstmCellSpec s = Cell(4, 3, 2);
                      s.layer_norm = true;
                      return SequenceLstm(s, {1, 4}, LstmOpts(true, Activation::kTanh, 0, 0.4f));
                    }});
  models.push_back({"bidirectional_sequence_lstm_float32_merged_time_major", [] {
                      return testing::BidirectionalLstmModel(
                          Cell(3, 3), Cell(3, 3), {3, 2, 3}, 2,
                          [] {
                            LstmOptions o = LstmOpts(true);
                            o.merge_outputs = true;
                            return o;
                          }(),
                          LstmWeights);
                    }});
  models.push_back({"bidirectional_sequence_lstm_float32_split_batch_major", [] {
                      // Same sizes (TFLite requires them), other variants.
                      testing::LstmCellSpec bw = Cell(3, 4, 2);
                      bw.peephole = bw.projection_bias = true;
                      return testing::BidirectionalLstmModel(
                          Cell(3, 4, 2), bw, {2, 3, 3}, 2,
                          LstmOpts(false, Activation::kTanh, 2.0f, 0.5f), LstmWeights);
                    }});
}

// ---- Integer LSTM (TFLite's 8x8_16 kernel): int8 input/output/weights,
// int32 biases, int16 cell state, peephole and layer-norm coefficients. ----

// Seeded raw values by slot: weights over int8, peephole within +-8000,
// layer-norm coefficients 16384 +- 8000 (0.5..1.5 at 2^-14), biases within
// +-2000 accumulator units (+-2^22: about +-0.25 after a layer norm).
testing::LstmRawFill IntegerLstmRaw(bool layer_norm) {
  return [layer_norm](int slot, int64_t count) {
    const std::vector<float> v = Weights(count, 60 + static_cast<uint32_t>(slot));
    const DType type = testing::LstmIntegerSlotType(slot);
    float range = 127, center = 0;
    if (type == DType::kInt16) range = 8000, center = slot >= testing::kLstmLayerNorm ? 16384 : 0;
    if (type == DType::kInt32) range = layer_norm ? 4194304.0f : 2000;
    std::vector<int32_t> raw;
    for (float x : v) raw.push_back(static_cast<int32_t>(std::lround(center + x * range)));
    return raw;
  };
}

// Scales that are not powers of two (the multipliers round), zero points
// away from 0; the cell state is Q4.11 unless `cell_scale` says otherwise.
testing::LstmIntegerSpec IntegerCell(int n_input, int n_cell, int n_output = 0) {
  testing::LstmIntegerSpec q;
  q.cell = Cell(n_input, n_cell, n_output);
  q.input_scale = 0.0173f;
  q.input_zp = -7;
  q.state_scale = 0.0091f;
  q.state_zp = 4;
  q.hidden_scale = 0.0079f;
  q.hidden_zp = -3;
  const float gate_scales[4] = {0.00061f, 0.00052f, 0.00047f, 0.00058f};
  for (int g = 0; g < 4; ++g) q.gate_scale[g] = gate_scales[g];
  for (int slot = 0; slot <= kLstmRecurrentToOutput; ++slot)
    q.scales[slot] = 0.0041f + 0.0003f * slot;
  q.scales[kLstmProjectionWeights] = 0.0067f;
  for (int slot = kLstmCellToInput; slot <= kLstmCellToOutput; ++slot)
    q.scales[slot] = 1.0f / 16384;
  for (int k = 0; k < 4; ++k) q.scales[testing::kLstmLayerNorm + k] = 1.0f / 16384;
  return q;
}

Model IntegerLstm(const testing::LstmIntegerSpec& q, const Shape& input_shape,
                  const LstmOptions& o) {
  const bool sequence = input_shape.size() == 3;
  const int batch = sequence && o.time_major ? input_shape[1] : input_shape[0];
  return testing::IntegerLstmModel(
      sequence ? BuiltinOp::kUnidirectionalSequenceLstm : BuiltinOp::kLstm, q, input_shape, batch,
      o, IntegerLstmRaw(q.cell.layer_norm));
}

void AddIntegerLstmModels(OpModels& models) {
  models.push_back({"unidirectional_sequence_lstm_int8_time_major", [] {
                      return IntegerLstm(IntegerCell(3, 4), {3, 2, 3}, LstmOpts(true));
                    }});
  models.push_back({"unidirectional_sequence_lstm_int8_batch_major", [] {
                      return IntegerLstm(IntegerCell(3, 4), {2, 3, 3}, LstmOpts(false));
                    }});
  models.push_back({"unidirectional_sequence_lstm_int8_cifg_peephole_cell_clip", [] {
                      testing::LstmIntegerSpec q = IntegerCell(3, 4);
                      q.cell.cifg = q.cell.peephole = true;
                      return IntegerLstm(q, {2, 3, 3}, LstmOpts(false, Activation::kTanh, 0.4f));
                    }});
  models.push_back({"unidirectional_sequence_lstm_int8_projection_clip", [] {
                      testing::LstmIntegerSpec q = IntegerCell(4, 5, 3);
                      q.cell.projection_bias = true;
                      return IntegerLstm(q, {3, 2, 4}, LstmOpts(true, Activation::kTanh, 0, 0.3f));
                    }});
  // Peephole with a projection: TFLite's peephole term walks n_output (3)
  // values of each row of n_cell (5).
  models.push_back({"unidirectional_sequence_lstm_int8_projection_peephole", [] {
                      testing::LstmIntegerSpec q = IntegerCell(3, 5, 3);
                      q.cell.peephole = true;
                      return IntegerLstm(q, {2, 2, 3}, LstmOpts(true));
                    }});
  models.push_back({"unidirectional_sequence_lstm_int8_layer_norm_peephole", [] {
                      testing::LstmIntegerSpec q = IntegerCell(3, 4);
                      q.cell.layer_norm = q.cell.peephole = true;
                      return IntegerLstm(q, {2, 3, 3}, LstmOpts(false));
                    }});
  models.push_back(
      {"unidirectional_sequence_lstm_int8_layer_norm_cifg_projection", [] {
         testing::LstmIntegerSpec q = IntegerCell(2, 4, 3);
         q.cell.layer_norm = q.cell.cifg = true;
         return IntegerLstm(q, {3, 2, 2}, LstmOpts(true, Activation::kTanh, 0.6f, 0.5f));
       }});
  // Cell state Q0.15: the int16 cell state saturates.
  models.push_back({"unidirectional_sequence_lstm_int8_cell_saturation", [] {
                      testing::LstmIntegerSpec q = IntegerCell(3, 4);
                      q.cell_scale = 1.0f / 32768;
                      return IntegerLstm(q, {2, 2, 3}, LstmOpts(true));
                    }});
  models.push_back({"lstm_int8", [] {
                      return IntegerLstm(IntegerCell(3, 4), {2, 3}, LstmOpts(true));
                    }});
  models.push_back({"lstm_int8_layer_norm_projection_peephole", [] {
                      testing::LstmIntegerSpec q = IntegerCell(4, 4, 2);
                      q.cell.layer_norm = q.cell.peephole = true;
                      return IntegerLstm(q, {1, 4}, LstmOpts(true, Activation::kTanh, 0, 0.4f));
                    }});
}

// The hybrid forms of the SVDF and RNN models, symmetric and asymmetric, with
// ReLU-family activations (and NONE): no libm call follows the hybrid
// products, so qlite must give tfjs-tflite's bits exactly. (tanh differs in
// the last bits between the two runtimes, as for the float models, and a
// last-bit difference in a hidden state can move one of its quantized values
// by a step.)
void AddHybridModels(OpModels& models) {
  constexpr Weighting kSym = Weighting::kHybrid, kAsym = Weighting::kHybridAsymmetric;
  models.push_back({"svdf_hybrid_rank1_relu", [] {
                      return FloatSvdf({2, 5, 4, 1, 4, true, Activation::kRelu, kSym});
                    }});
  models.push_back({"svdf_hybrid_asymmetric_rank2_no_bias", [] {
                      return FloatSvdf({2, 6, 3, 2, 3, false, Activation::kNone, kAsym});
                    }});
  models.push_back({"rnn_hybrid_relu_n1_to_1", [] {
                      return Rnn(false, false, {2, 3}, 4, Activation::kReluN1To1, kSym);
                    }});
  models.push_back({"rnn_hybrid_asymmetric_relu", [] {
                      return Rnn(false, false, {2, 5}, 3, Activation::kRelu, kAsym);
                    }});
  models.push_back({"unidirectional_sequence_rnn_hybrid_time_major", [] {
                      return Rnn(true, true, {3, 2, 3}, 4, Activation::kReluN1To1, kSym);
                    }});
  models.push_back({"unidirectional_sequence_rnn_hybrid_asymmetric_batch_major", [] {
                      return Rnn(true, false, {2, 4, 3}, 5, Activation::kRelu6, kAsym);
                    }});
  // Merged outputs, time-major: TFLite's row-at-a-time path for outputs
  // that are not contiguous offsets the (null) zero-point pointer of
  // symmetric inputs by the batch row, so rows after the first read memory
  // that is not theirs (tfjs-tflite: wasm's low memory). One batch row when
  // symmetric; two with asymmetric inputs, where the zero points exist.
  models.push_back(
      {"bidirectional_sequence_rnn_hybrid_merged_time_major_batch1", [] {
         return BidirectionalRnn({3, 1, 3}, true, true, 4, 2, kSym, Activation::kReluN1To1);
       }});
  models.push_back(
      {"bidirectional_sequence_rnn_hybrid_asymmetric_merged_time_major", [] {
         return BidirectionalRnn({3, 2, 3}, true, true, 4, 2, kAsym, Activation::kReluN1To1);
       }});
  models.push_back(
      {"bidirectional_sequence_rnn_hybrid_asymmetric_split_batch_major", [] {
         return BidirectionalRnn({2, 4, 3}, false, false, 3, 5, kAsym, Activation::kRelu);
       }});
}

}  // namespace

void AddStatefulModels(OpModels* models_out) {
  OpModels& models = *models_out;
  models.push_back({"svdf_float32_rank1_relu", [] {
                      return FloatSvdf({2, 5, 4, 1, 4, true, Activation::kRelu});
                    }});
  models.push_back({"svdf_float32_rank2_no_bias", [] {
                      return FloatSvdf({1, 6, 3, 2, 3, false, Activation::kNone});
                    }});
  models.push_back({"svdf_float32_tanh_memory1", [] {
                      return FloatSvdf({3, 4, 2, 1, 1, true, Activation::kTanh});
                    }});
  models.push_back({"svdf_int8_rank1", [] {
                      return Int8Svdf({2, 5, 4, 1, 4, true, Activation::kRelu});
                    }});
  models.push_back({"svdf_int8_rank2_no_bias", [] {
                      return Int8Svdf({1, 8, 3, 2, 5, false, Activation::kRelu});
                    }});
  models.push_back({"rnn_float32_tanh", [] {
                      return Rnn(false, false, {2, 3}, 4, Activation::kTanh);
                    }});
  models.push_back({"rnn_float32_relu", [] {
                      return Rnn(false, false, {1, 5}, 3, Activation::kRelu);
                    }});
  models.push_back({"unidirectional_sequence_rnn_float32_time_major", [] {
                      return Rnn(true, true, {3, 2, 3}, 4, Activation::kTanh);
                    }});
  models.push_back({"unidirectional_sequence_rnn_float32_batch_major", [] {
                      return Rnn(true, false, {2, 4, 3}, 5, Activation::kTanh);
                    }});
  models.push_back({"bidirectional_sequence_rnn_float32_merged_time_major", [] {
                      return BidirectionalRnn({3, 2, 3}, true, true, 4, 2);
                    }});
  models.push_back({"bidirectional_sequence_rnn_float32_split_batch_major", [] {
                      return BidirectionalRnn({2, 4, 3}, false, false, 3, 5);
                    }});
  AddHybridModels(models);
  AddLstmModels(models);
  AddHybridLstmModels(models);
  AddIntegerLstmModels(models);
}

}  // namespace qlite
