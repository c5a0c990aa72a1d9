// One MNIST classifier loaded for the demo: its interpreter, its model card,
// and its latest prediction. Inputs are converted to the model's input dtype
// (float [0,1], or quantized with the input's scale/zero point); outputs are
// dequantized, and turned into probabilities with a softmax unless the graph
// already ends in one.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/interpreter.h"
#include "core/model.h"
#include "core/status.h"
#include "gui/app/preprocess.h"

namespace qlite::gui {

constexpr int kNumClasses = 10;
using ClassScores = std::array<float, kNumClasses>;

struct ModelCard {
  std::string name;
  size_t file_bytes = 0;
  size_t arena_bytes = 0;
  int num_tensors = 0, num_ops = 0;
  std::string ops;                     // "CONV_2D x1, FULLY_CONNECTED x1, ..."
  std::string input, output;           // "uint8 [1,28,28] per-tensor scale=0.0039 zp=0"
  std::string weight_types;            // "int8 x2, int32 x2"
  std::string activation_types;        // "int8 x6, uint8 x2"
  int simd_nodes = 0;                  // nodes running a SIMD kernel (the rest: reference)
  bool float_model = false;            // all float32: can be quantized in the app
  bool outputs_probabilities = false;  // the graph ends in SOFTMAX
};

struct Prediction {
  bool valid = false;
  ClassScores outputs{};  // the output tensor, dequantized
  ClassScores probs{};    // softmax(outputs), or outputs if already probabilities
  int top1 = -1;
  float confidence = 0.0f;
  double last_us = 0.0;     // the last Invoke
  double rolling_us = 0.0;  // mean over the last kRollingRuns invokes
};

// Builds the card of a model read from `file_bytes` bytes.
ModelCard DescribeModel(const std::string& name, const Model& model, size_t file_bytes,
                        size_t arena_bytes);
// True if every tensor is float32 (or int32 shape constants): a float model.
bool IsFloatModel(const Model& model);
// Whether the model output is produced by SOFTMAX (through QUANTIZE,
// DEQUANTIZE or RESHAPE).
bool EndsInSoftmax(const Model& model);
// "int8 [1,28,28,1] per-tensor scale=0.0039 zp=0".
std::string DescribeTensor(const TensorDef& t);
// "name xN, name xM" in first-seen order; "-" if empty.
std::string CountList(const std::vector<std::string>& items);
// Nodes of the interpreter that run a SIMD kernel.
int CountSimdNodes(const Interpreter& interpreter);
// Why the interpreter's model cannot be a side of the digit comparison ("has
// 2 inputs and ..."), or "" if it takes 784 pixels and gives 10 scores.
std::string DigitClassifierMismatch(const Interpreter& interpreter);
// Index of the largest score.
int ArgMax(const ClassScores& scores);

class ModelRunner {
 public:
  static constexpr int kRollingRuns = 32;

  // Reads the .tflite in `bytes` and prepares an interpreter; fails unless the
  // model has one input of 784 values and one output of 10. `arithmetic`,
  // `threads`: InterpreterOptions'.
  static Status Create(const std::string& name, std::shared_ptr<const std::vector<uint8_t>> bytes,
                       std::unique_ptr<ModelRunner>* out,
                       Arithmetic arithmetic = Arithmetic::kTflite, int threads = 1);

  // Sets the input and invokes; updates prediction() and the timing.
  Status Run(const MnistImage& image);
  // Classifies without touching prediction() or the rolling time (accuracy runs).
  Status Classify(const MnistImage& image, ClassScores* probs);
  // Sets the input only (per-layer comparison invokes with an observer).
  Status SetImage(const MnistImage& image);

  const std::string& name() const { return card_.name; }
  const ModelCard& card() const { return card_; }
  const Prediction& prediction() const { return prediction_; }
  const Model& model() const { return *model_; }
  Interpreter& interpreter() { return *interpreter_; }
  const Interpreter& interpreter() const { return *interpreter_; }
  const std::shared_ptr<const std::vector<uint8_t>>& bytes() const { return bytes_; }

 private:
  ModelRunner() = default;
  Status ReadScores(ClassScores* outputs, ClassScores* probs) const;

  std::shared_ptr<const std::vector<uint8_t>> bytes_;
  std::shared_ptr<const Model> model_;
  std::unique_ptr<Interpreter> interpreter_;
  ModelCard card_;
  Prediction prediction_;
  std::vector<uint8_t> input_bytes_;
  std::array<double, kRollingRuns> times_us_{};
  int num_times_ = 0;
};

// Dequantized float values of any float32/float16/int8/uint8/int16/int32 tensor.
Status DequantizeTensor(const Tensor& tensor, std::vector<float>* values);

}  // namespace qlite::gui
