// Runs a stateful one-input model (SVDF, RNN...) step after step on one
// interpreter, so that its variable tensors carry over between steps.
#pragma once

#include <memory>
#include <vector>

#include "core/interpreter.h"
#include "tests/util/op_runner.h"

namespace qlite::testing {

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
