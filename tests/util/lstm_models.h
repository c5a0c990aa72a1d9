// One-op LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM and BIDIRECTIONAL_SEQUENCE_LSTM
// models in TFLite's input layout, for the kernel tests (hand-set weights)
// and the cross-runtime models (seeded weights).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/kernels/lstm_cell.h"
#include "core/model_builder.h"

namespace qlite::testing {

// Layer-norm coefficients in LstmCellSpec::values: kLstmLayerNorm + gate
// (0 input, 1 forget, 2 cell, 3 output).
constexpr int kLstmLayerNorm = kLstmSlotCount;

struct LstmCellSpec {
  int n_input = 1, n_cell = 1, n_output = 1;
  bool cifg = false, peephole = false, projection = false, projection_bias = false;
  bool layer_norm = false, diagonal_recurrent = false;
  // Hybrid: the weight matrices, peephole and projection weights int8 as the
  // converter's dynamic-range mode writes them (scale max|w| / 127, 1 for
  // all zeros; zero point 0).
  bool hybrid = false;
  std::map<int, std::vector<float>> values;  // by slot; the others come from the fill
};

// Deterministic values in [-1, 1) (a small LCG; the seed names the tensor).
inline std::vector<float> SeededValues(int64_t count, uint32_t seed) {
  std::vector<float> v(count);
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed >> 8) / 8388608.0f - 1.0f;
  }
  return v;
}

inline bool LstmWeightSlot(int slot) {
  return slot <= kLstmCellToOutput || slot == kLstmProjectionWeights;
}

// Adds `values` as a symmetric int8 constant, as the converter quantizes weights.
inline int AddSymmetricInt8(ModelBuilder& b, const std::string& name, const Shape& shape,
                            const std::vector<float>& values) {
  float range = 0.0f;
  for (float v : values) range = std::max(range, std::fabs(v));
  const float scale = range > 0.0f ? range / 127.0f : 1.0f;
  std::vector<int8_t> q;
  for (float v : values) q.push_back(static_cast<int8_t>(std::lround(v / scale)));
  return b.AddConstant(name, DType::kInt8, shape, q, PerTensor(scale, 0));
}

// A tensor's values from its slot and element count.
using LstmFill = std::function<std::vector<float>(int slot, int64_t count)>;
inline std::vector<float> ZeroLstmFill(int, int64_t count) {
  return std::vector<float>(count, 0.0f);
}

inline Shape LstmSlotShape(const LstmCellSpec& s, int slot) {
  if (slot <= kLstmInputToOutput) return {s.n_cell, s.n_input};
  if (slot <= kLstmRecurrentToOutput) {
    return s.diagonal_recurrent ? Shape{s.n_cell} : Shape{s.n_cell, s.n_output};
  }
  if (slot == kLstmProjectionWeights) return {s.n_output, s.n_cell};
  if (slot == kLstmProjectionBias) return {s.n_output};
  return {s.n_cell};
}

inline bool LstmSlotPresent(const LstmCellSpec& s, int slot) {
  switch (slot) {
    case kLstmInputToInput:
    case kLstmRecurrentToInput:
    case kLstmInputGateBias: return !s.cifg;
    case kLstmCellToInput: return s.peephole && !s.cifg;
    case kLstmCellToForget:
    case kLstmCellToOutput: return s.peephole;
    case kLstmProjectionWeights: return s.projection;
    case kLstmProjectionBias: return s.projection && s.projection_bias;
    case kLstmLayerNorm: return s.layer_norm && !s.cifg;
    default: return slot < kLstmLayerNorm || s.layer_norm;
  }
}

// Appends add(slot, shape, element count)'s tensor for each slot in
// [first, last), -1 where the spec leaves the slot out.
template <typename AddFn>
void AddLstmSlots(const LstmCellSpec& s, int first, int last, std::vector<int32_t>* inputs,
                  AddFn add) {
  for (int slot = first; slot < last; ++slot) {
    if (!LstmSlotPresent(s, slot)) {
      inputs->push_back(-1);
      continue;
    }
    const Shape shape = slot >= kLstmLayerNorm ? Shape{s.n_cell} : LstmSlotShape(s, slot);
    int64_t count = 1;
    for (int32_t d : shape) count *= d;
    inputs->push_back(add(slot, shape, count));
  }
}

// Adds the constants of slots [first, last) (-1 where absent) to `inputs`.
inline void AddLstmConstants(ModelBuilder& b, const LstmCellSpec& s, const std::string& prefix,
                             const LstmFill& fill, int first, int last,
                             std::vector<int32_t>* inputs) {
  AddLstmSlots(s, first, last, inputs, [&](int slot, const Shape& shape, int64_t count) {
    auto it = s.values.find(slot);
    const std::vector<float> values = it != s.values.end() ? it->second : fill(slot, count);
    const std::string name = prefix + kLstmTensorNames[slot];
    return s.hybrid && LstmWeightSlot(slot) ? AddSymmetricInt8(b, name, shape, values)
                                            : b.AddConstant(name, DType::kFloat32, shape, values);
  });
}

// The outputs of a bidirectional sequence op: one with both directions
// units (merge_outputs), or the forward and the backward output.
inline std::vector<int32_t> AddBidirectionalOutputs(ModelBuilder& b, Shape shape, int fw_units,
                                                    int bw_units, bool merge) {
  if (merge) {
    shape.back() = fw_units + bw_units;
    return {b.AddTensor("y", DType::kFloat32, shape)};
  }
  shape.back() = fw_units;
  const int fw = b.AddTensor("y_fw", DType::kFloat32, shape);
  shape.back() = bw_units;
  return {fw, b.AddTensor("y_bw", DType::kFloat32, shape)};
}

// LSTM (input [batch, n_input]) or UNIDIRECTIONAL_SEQUENCE_LSTM (rank 3);
// 24 inputs with layer norm, 20 without.
inline Model LstmModel(BuiltinOp op, const LstmCellSpec& s, const Shape& input_shape, int batch,
                       const LstmOptions& options, const LstmFill& fill = ZeroLstmFill,
                       int version = 1) {
  ModelBuilder b;
  std::vector<int32_t> inputs = {b.AddTensor("x", DType::kFloat32, input_shape)};
  AddLstmConstants(b, s, "", fill, 0, kLstmSlotCount, &inputs);
  inputs.push_back(b.AddVariable("output_state", DType::kFloat32, {batch, s.n_output}));
  inputs.push_back(b.AddVariable("cell_state", DType::kFloat32, {batch, s.n_cell}));
  if (s.layer_norm) AddLstmConstants(b, s, "", fill, kLstmLayerNorm, kLstmLayerNorm + 4, &inputs);
  Shape out_shape = input_shape;
  out_shape.back() = s.n_output;
  const int out = b.AddTensor("y", DType::kFloat32, out_shape);
  b.AddOperator(op, inputs, {out}, options, version);
  b.SetInputs({inputs[0]});
  b.SetOutputs({out});
  return b.Build();
}

// BIDIRECTIONAL_SEQUENCE_LSTM: 48 inputs, no auxiliary input; one output
// with merge_outputs, else two.
inline Model BidirectionalLstmModel(const LstmCellSpec& fw, const LstmCellSpec& bw,
                                    const Shape& input_shape, int batch, const LstmOptions& options,
                                    const LstmFill& fill = ZeroLstmFill, int version = 1) {
  ModelBuilder b;
  std::vector<int32_t> inputs = {b.AddTensor("x", DType::kFloat32, input_shape)};
  AddLstmConstants(b, fw, "fw_", fill, 0, kLstmSlotCount, &inputs);
  const LstmFill bw_fill = [&fill](int slot, int64_t count) {
    return fill(slot + 100, count);  // other values than the forward cell's
  };
  AddLstmConstants(b, bw, "bw_", bw_fill, 0, kLstmSlotCount, &inputs);
  inputs.push_back(b.AddVariable("fw_output_state", DType::kFloat32, {batch, fw.n_output}));
  inputs.push_back(b.AddVariable("fw_cell_state", DType::kFloat32, {batch, fw.n_cell}));
  inputs.push_back(b.AddVariable("bw_output_state", DType::kFloat32, {batch, bw.n_output}));
  inputs.push_back(b.AddVariable("bw_cell_state", DType::kFloat32, {batch, bw.n_cell}));
  inputs.resize(48, -1);
  const std::vector<int32_t> outputs =
      AddBidirectionalOutputs(b, input_shape, fw.n_output, bw.n_output, options.merge_outputs);
  b.AddOperator(BuiltinOp::kBidirectionalSequenceLstm, inputs, outputs, options, version);
  b.SetInputs({inputs[0]});
  b.SetOutputs(outputs);
  return b.Build();
}

// ---- Integer LSTM (lstm_integer.h): raw quantized values by slot ----

// An integer cell: geometry and variant from `cell` (its float values are
// not used), quantization below, raw values by slot (int8 weights, int16
// peephole and layer-norm coefficients, int32 biases); missing slots come
// from the fill.
struct LstmIntegerSpec {
  LstmCellSpec cell;
  float input_scale = 1.0f / 16;
  int32_t input_zp = 0;
  float state_scale = 1.0f / 128;  // output_state and output
  int32_t state_zp = 0;
  float cell_scale = 1.0f / 2048;  // 2^-11: Q4.11
  float hidden_scale = 1.0f / 128;
  int32_t hidden_zp = 0;
  float gate_scale[4] = {1.0f / 4096, 1.0f / 4096, 1.0f / 4096, 1.0f / 4096};  // layer norm
  std::map<int, float> scales;  // by slot; weights 2^-8, int16 tensors 2^-10 otherwise
  std::map<int, std::vector<int32_t>> raw;
  int intermediates = 5;  // TFLite's 8x8_16 variant
};

using LstmRawFill = std::function<std::vector<int32_t>(int slot, int64_t count)>;
inline std::vector<int32_t> ZeroLstmRawFill(int, int64_t count) {
  return std::vector<int32_t>(count, 0);
}

inline DType LstmIntegerSlotType(int slot) {
  if (slot >= kLstmLayerNorm || (slot >= kLstmCellToInput && slot <= kLstmCellToOutput)) {
    return DType::kInt16;
  }
  return LstmWeightSlot(slot) ? DType::kInt8 : DType::kInt32;
}

// LSTM (input [batch, n_input]) or UNIDIRECTIONAL_SEQUENCE_LSTM (rank 3) with
// int8 input and output and the node's intermediate tensors.
inline Model IntegerLstmModel(BuiltinOp op, const LstmIntegerSpec& q, const Shape& input_shape,
                              int batch, const LstmOptions& options,
                              const LstmRawFill& fill = ZeroLstmRawFill) {
  const LstmCellSpec& s = q.cell;
  ModelBuilder b;
  std::vector<int32_t> inputs = {
      b.AddTensor("x", DType::kInt8, input_shape, PerTensor(q.input_scale, q.input_zp))};
  const auto add_slot = [&](int slot, const Shape& shape, int64_t count) {
    auto it = q.raw.find(slot);
    const std::vector<int32_t> raw = it != q.raw.end() ? it->second : fill(slot, count);
    const DType type = LstmIntegerSlotType(slot);
    auto scale_it = q.scales.find(slot);
    const float scale = scale_it != q.scales.end()
                            ? scale_it->second
                            : (type == DType::kInt8 ? 1.0f / 256 : 1.0f / 1024);
    const std::string name = kLstmTensorNames[slot];
    if (type == DType::kInt8) {
      return b.AddConstant(name, type, shape, std::vector<int8_t>(raw.begin(), raw.end()),
                           PerTensor(scale, 0));
    }
    if (type == DType::kInt16) {
      return b.AddConstant(name, type, shape, std::vector<int16_t>(raw.begin(), raw.end()),
                           PerTensor(scale, 0));
    }
    return b.AddConstant(name, type, shape, raw);
  };
  AddLstmSlots(s, 0, kLstmSlotCount, &inputs, add_slot);
  inputs.push_back(b.AddVariable("output_state", DType::kInt8, {batch, s.n_output},
                                 PerTensor(q.state_scale, q.state_zp)));
  inputs.push_back(
      b.AddVariable("cell_state", DType::kInt16, {batch, s.n_cell}, PerTensor(q.cell_scale, 0)));
  if (s.layer_norm) AddLstmSlots(s, kLstmLayerNorm, kLstmLayerNorm + 4, &inputs, add_slot);
  Shape out_shape = input_shape;
  out_shape.back() = s.n_output;
  const int out = b.AddTensor("y", DType::kInt8, out_shape, PerTensor(q.state_scale, q.state_zp));
  std::vector<int32_t> intermediates;
  const char* const kGate[4] = {"input", "forget", "cell", "output"};
  for (int i = 0; i < q.intermediates; ++i) {
    if (i % 5 == 4) {
      intermediates.push_back(
          b.AddTensor("hidden", DType::kInt8, {}, PerTensor(q.hidden_scale, q.hidden_zp)));
    } else {
      intermediates.push_back(b.AddTensor(std::string(kGate[i % 5]) + "_gate_intermediate",
                                          DType::kInt16, {}, PerTensor(q.gate_scale[i % 5], 0)));
    }
  }
  b.AddOperator(op, inputs, {out}, options, 1);
  b.model().operators.back().intermediates = intermediates;
  b.SetInputs({inputs[0]});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace qlite::testing
