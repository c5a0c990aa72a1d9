#include "tests/util/op_runner.h"

namespace qlite::testing {

RunResult RunModel(const Model& model, const std::vector<std::vector<uint8_t>>& inputs,
                   KernelSet kernels) {
  InterpreterOptions options;
  options.kernels = kernels;
  return RunModel(model, inputs, options);
}

RunResult RunModel(const Model& model, const std::vector<std::vector<uint8_t>>& inputs,
                   const InterpreterOptions& options) {
  RunResult result;
  std::unique_ptr<Interpreter> interpreter;
  result.status = Interpreter::Create(model, options, &interpreter);
  if (!result.status.ok()) return result;
  for (size_t i = 0; i < inputs.size(); ++i) {
    result.status = interpreter->SetInput(static_cast<int>(i), inputs[i].data(), inputs[i].size());
    if (!result.status.ok()) return result;
  }
  result.status = interpreter->Invoke();
  if (!result.status.ok()) return result;
  for (int i = 0; i < interpreter->num_outputs(); ++i) {
    const Tensor* out = interpreter->output(i);
    result.outputs.emplace_back(out->data, out->data + out->bytes);
    result.shapes.push_back(out->shape);
  }
  result.arena_bytes = interpreter->arena_bytes();
  return result;
}

}  // namespace qlite::testing
