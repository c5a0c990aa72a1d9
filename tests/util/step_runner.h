// Runs a stateful one-input model (SVDF, RNN...) step after step on one
// interpreter, so that its variable tensors carry over between steps.
#pragma once

#include <memory>
#include <vector>

#include "core/interpreter.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite::testing {

// h' = x + h, float32 [1, 1]: an RNN with weights 1, recurrent weights 1 and
// bias 0 (output "out"). With `side_input`, a second input "y" of dynamic
// batch that only an ADD reads (output "y2").
inline Model RnnAccumulatorModel(bool side_input = false) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 1});
  const int w = b.AddConstant("w", DType::kFloat32, {1, 1}, std::vector<float>{1});
  const int r = b.AddConstant("r", DType::kFloat32, {1, 1}, std::vector<float>{1});
  const int bias = b.AddConstant("bias", DType::kFloat32, {1}, std::vector<float>{0});
  const int hidden = b.AddVariable("hidden", DType::kFloat32, {1, 1});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kRnn, {in, w, r, bias, hidden}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  if (side_input) {
    const int y = b.AddTensor("y", DType::kFloat32, {1, 2});
    b.model().tensors[y].shape_signature = {-1, 2};
    const int y2 = b.AddTensor("y2", DType::kFloat32, {});
    b.AddOperator(BuiltinOp::kAdd, {y, y}, {y2});
    b.SetInputs({in, y});
    b.SetOutputs({out, y2});
  }
  return b.Build();
}

class StepRunner {
 public:
  explicit StepRunner(const Model& model) {
    status_ = Interpreter::Create(model, InterpreterOptions{}, &interpreter_);
  }
  const Status& status() const { return status_; }
  Interpreter& interpreter() { return *interpreter_; }

  // Sets input 0, invokes, and returns output 0 as T (empty on error).
  template <typename T, typename In>
  std::vector<T> Step(const std::vector<In>& input) {
    const std::vector<uint8_t> bytes = ToBytes(input);
    status_ = interpreter_->SetInput(0, bytes.data(), bytes.size());
    if (status_.ok()) status_ = interpreter_->Invoke();
    if (!status_.ok()) return {};
    const Tensor* out = interpreter_->output(0);
    return FromBytes<T>(std::vector<uint8_t>(out->data, out->data + out->bytes));
  }

 private:
  Status status_;
  std::unique_ptr<Interpreter> interpreter_;
};

}  // namespace qlite::testing
