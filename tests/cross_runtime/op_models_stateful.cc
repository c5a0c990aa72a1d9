// Stateful one-op models (a variable tensor carries state between runs):
// SVDF float32 and int8 (int16 state), RNN and UNIDIRECTIONAL_SEQUENCE_RNN
// float32 (time- and batch-major). LiteRT.js refuses variable tensors, so
// these are not among the ops-litert models: `qlite_op_models --stateful`
// writes them for web/test/stateful-tfjs.test.mjs, which runs them step
// after step in tfjs-tflite and qlite.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "core/tensor.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

// Deterministic weights in [-1, 1) (a small LCG; the seed names the tensor).
std::vector<float> Weights(int64_t count, uint32_t seed) {
  std::vector<float> w(count);
  for (float& v : w) {
    seed = seed * 1664525u + 1013904223u;
    v = static_cast<float>(seed >> 8) / 8388608.0f - 1.0f;
  }
  return w;
}
template <typename T>
std::vector<T> Quantized(const std::vector<float>& real, float scale) {
  std::vector<T> q;
  for (float v : real) q.push_back(static_cast<T>(v / scale));
  return q;
}

struct SvdfShape {
  int batch, input_size, units, rank, memory;
  bool bias;
  Activation activation;
};

Model FloatSvdf(const SvdfShape& s) {
  ModelBuilder b;
  const int filters = s.units * s.rank;
  const int in = b.AddTensor("x", DType::kFloat32, {s.batch, s.input_size});
  const int wf = b.AddConstant("weights_feature", DType::kFloat32, {filters, s.input_size},
                               Weights(int64_t{filters} * s.input_size, 1));
  const int wt = b.AddConstant("weights_time", DType::kFloat32, {filters, s.memory},
                               Weights(int64_t{filters} * s.memory, 2));
  const int bias =
      s.bias ? b.AddConstant("bias", DType::kFloat32, {s.units}, Weights(s.units, 3)) : -1;
  const int state = b.AddVariable("state", DType::kFloat32, {s.batch, filters * s.memory});
  const int out = b.AddTensor("y", DType::kFloat32, {s.batch, s.units});
  SvdfOptions o;
  o.rank = s.rank;
  o.activation = s.activation;
  b.AddOperator(BuiltinOp::kSvdf, {in, wf, wt, bias, state}, {out}, o, 1);
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

Model Rnn(bool sequence, bool time_major, Shape input_shape, int units, Activation activation) {
  ModelBuilder b;
  const int input_size = input_shape.back();
  const int batch = sequence && time_major ? input_shape[1] : input_shape[0];
  const int in = b.AddTensor("x", DType::kFloat32, input_shape);
  const int w = b.AddConstant("weights", DType::kFloat32, {units, input_size},
                              Weights(int64_t{units} * input_size, 4));
  std::vector<float> recurrent = Weights(int64_t{units} * units, 5);
  for (float& v : recurrent) v *= 0.5f;  // a contracting recurrence: state stays bounded
  const int r = b.AddConstant("recurrent_weights", DType::kFloat32, {units, units}, recurrent);
  const int bias = b.AddConstant("bias", DType::kFloat32, {units}, Weights(units, 6));
  const int hidden = b.AddVariable("hidden_state", DType::kFloat32, {batch, units});
  Shape out_shape = input_shape;
  out_shape.back() = units;
  const int out = b.AddTensor("y", DType::kFloat32, out_shape);
  RnnOptions o;
  o.time_major = time_major;
  o.activation = activation;
  b.AddOperator(sequence ? BuiltinOp::kUnidirectionalSequenceRnn : BuiltinOp::kRnn,
                {in, w, r, bias, hidden}, {out}, o, 1);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
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
}

}  // namespace qlite
