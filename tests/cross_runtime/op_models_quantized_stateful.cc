// The RNN and LSTM families as qlite's quantizer writes them in dynamic-range
// mode (hybrid: per-tensor int8 weights of 1024 values, asymmetric inputs,
// the converter's versions), from float32 models with 32 x 32 weights.
// Written by `qlite_op_models --stateful` for web/test/stateful-tfjs.test.mjs,
// which steps them through qlite and tfjs-tflite. The RNNs use ReLU (no libm
// call after the hybrid products: the outputs must be identical); the LSTMs
// tanh and sigmoid (within 1e-5, as the float LSTMs).
#include <cstdio>

#include "quantize/quantizer.h"
#include "tests/cross_runtime/op_models.h"
#include "tests/util/lstm_models.h"
#include "tests/util/rnn_models.h"

namespace qlite {
namespace {

Model DynamicRange(const Model& float_model) {
  QuantizeOptions options;
  options.mode = QuantMode::kDynamic;
  Model quantized;
  const Status s = QuantizeModel(float_model, {}, options, &quantized);
  if (!s.ok()) std::fprintf(stderr, "dynamic-range quantization: %s\n", s.message().c_str());
  return quantized;
}

// Seeded cell values in [-0.5, 0.5), another seed per slot.
std::vector<float> SeededCellValues(int slot, int64_t count) {
  std::vector<float> v = testing::SeededValues(count, 70 + slot);
  for (float& x : v) x *= 0.5f;
  return v;
}

testing::LstmCellSpec Cell32() {
  testing::LstmCellSpec s;
  s.n_input = s.n_cell = s.n_output = 32;
  return s;
}

LstmOptions Tanh(bool time_major, bool merge_outputs) {
  LstmOptions o;
  o.activation = Activation::kTanh;
  o.time_major = time_major;
  o.merge_outputs = merge_outputs;
  return o;
}

}  // namespace

void AddDynamicRangeStatefulModels(OpModels* models_out) {
  OpModels& models = *models_out;
  models.push_back({"rnn_hybrid_dynamic_range_quantized_relu", [] {
                      return DynamicRange(testing::FloatRnnModel(2, 32, 32, Activation::kRelu));
                    }});
  models.push_back({"bidirectional_sequence_rnn_hybrid_dynamic_range_quantized_time_major", [] {
                      return DynamicRange(testing::FloatBidirectionalRnnModel({3, 2, 32}, true, 32,
                                                                              Activation::kRelu));
                    }});
  models.push_back({"bidirectional_sequence_rnn_hybrid_dynamic_range_quantized_batch_major", [] {
                      return DynamicRange(testing::FloatBidirectionalRnnModel({2, 3, 32}, false, 32,
                                                                              Activation::kRelu));
                    }});
  models.push_back({"lstm_dynamic_range_quantized", [] {
                      return DynamicRange(testing::LstmModel(BuiltinOp::kLstm, Cell32(), {2, 32}, 2,
                                                             Tanh(false, false), SeededCellValues));
                    }});
  models.push_back({"unidirectional_sequence_lstm_dynamic_range_quantized_cifg_projection", [] {
                      testing::LstmCellSpec s = Cell32();
                      s.cifg = true;
                      s.projection = true;
                      return DynamicRange(testing::LstmModel(BuiltinOp::kUnidirectionalSequenceLstm,
                                                             s, {3, 2, 32}, 2, Tanh(true, false),
                                                             SeededCellValues));
                    }});
  // Merged outputs time-major, two outputs batch-major. Left out: merged
  // batch-major with more than one batch row, where TFLite's hybrid kernel
  // offsets each row's output state by the merged output's width (both
  // directions' units) instead of n_output, reading and writing past the
  // state tensor (tfjs-tflite answers with other values than qlite).
  models.push_back({"bidirectional_sequence_lstm_dynamic_range_quantized_merged_time_major", [] {
                      return DynamicRange(testing::BidirectionalLstmModel(
                          Cell32(), Cell32(), {3, 2, 32}, 2, Tanh(true, true), SeededCellValues));
                    }});
  models.push_back({"bidirectional_sequence_lstm_dynamic_range_quantized_split_batch_major", [] {
                      return DynamicRange(testing::BidirectionalLstmModel(
                          Cell32(), Cell32(), {2, 3, 32}, 2, Tanh(false, false), SeededCellValues));
                    }});
}

}  // namespace qlite
