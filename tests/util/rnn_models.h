// Float32 RNN and BIDIRECTIONAL_SEQUENCE_RNN models with seeded weights and a
// contracting recurrence, for the quantizer's tests and the quantized
// cross-runtime models.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/lstm_models.h"

namespace qlite::testing {

// Weights [units, input_size] in [-1, 1), recurrent weights [units, units]
// in [-0.1, 0.1), bias [units]; the seed picks the values.
inline std::vector<int32_t> AddSeededRnnWeights(ModelBuilder& b, const std::string& prefix,
                                                int input_size, int units, uint32_t seed) {
  std::vector<float> recurrent = SeededValues(int64_t{units} * units, seed + 1);
  for (float& v : recurrent) v *= 0.1f;
  return {b.AddConstant(prefix + "weights", DType::kFloat32, {units, input_size},
                        SeededValues(int64_t{units} * input_size, seed)),
          b.AddConstant(prefix + "recurrent_weights", DType::kFloat32, {units, units}, recurrent),
          b.AddConstant(prefix + "bias", DType::kFloat32, {units}, SeededValues(units, seed + 2))};
}

// RNN: one step of [batch, input_size].
inline Model FloatRnnModel(int batch, int input_size, int units, Activation activation) {
  ModelBuilder b;
  std::vector<int32_t> inputs = {b.AddTensor("x", DType::kFloat32, {batch, input_size})};
  for (int32_t t : AddSeededRnnWeights(b, "", input_size, units, 4)) inputs.push_back(t);
  inputs.push_back(b.AddVariable("hidden_state", DType::kFloat32, {batch, units}));
  const int out = b.AddTensor("y", DType::kFloat32, {batch, units});
  RnnOptions o;
  o.activation = activation;
  b.AddOperator(BuiltinOp::kRnn, inputs, {out}, o, 1);
  b.SetInputs({inputs[0]});
  b.SetOutputs({out});
  return b.Build();
}

// BIDIRECTIONAL_SEQUENCE_RNN over `input_shape` ([time, batch, input_size]
// when time_major, else [batch, time, input_size]), `units` per direction,
// one merged output.
inline Model FloatBidirectionalRnnModel(const Shape& input_shape, bool time_major, int units,
                                        Activation activation) {
  ModelBuilder b;
  const int batch = input_shape[time_major ? 1 : 0], input_size = input_shape[2];
  std::vector<int32_t> inputs = {b.AddTensor("x", DType::kFloat32, input_shape)};
  for (const char* dir : {"fw_", "bw_"}) {
    for (int32_t t : AddSeededRnnWeights(b, dir, input_size, units, dir[0] == 'f' ? 10 : 20)) {
      inputs.push_back(t);
    }
    inputs.push_back(
        b.AddVariable(std::string(dir) + "hidden_state", DType::kFloat32, {batch, units}));
  }
  inputs.resize(12, -1);
  const std::vector<int32_t> outputs = AddBidirectionalOutputs(b, input_shape, units, units, true);
  BidirectionalSequenceRnnOptions o;
  o.time_major = time_major;
  o.activation = activation;
  o.merge_outputs = true;
  b.AddOperator(BuiltinOp::kBidirectionalSequenceRnn, inputs, outputs, o, 1);
  b.SetInputs({inputs[0]});
  b.SetOutputs(outputs);
  return b.Build();
}

}  // namespace qlite::testing
