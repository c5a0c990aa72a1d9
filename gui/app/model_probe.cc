#include "gui/app/model_probe.h"

#include <chrono>
#include <cstring>

#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "kernels_wasm/register_kernels.h"

namespace qlite::gui {

namespace {

// Every byte of every input at "zero": 0.0f, the zero point of a quantized
// 8-bit input, 0 otherwise. Inputs of other quantized widths keep 0, which
// is a valid value for each of them.
void SetNeutralInputs(Interpreter* interpreter) {
  for (int i = 0; i < interpreter->num_inputs(); ++i) {
    Tensor* in = interpreter->input(i);
    const bool byte_zero_point =
        in->has_quant() && (in->type == DType::kInt8 || in->type == DType::kUInt8);
    std::memset(in->data, byte_zero_point ? in->zero_point() : 0, in->bytes);
  }
}

}  // namespace

Status ProbeModel(const std::string& name, std::shared_ptr<const std::vector<uint8_t>> bytes,
                  ProbedModel* out) {
  QLITE_ENSURE(bytes != nullptr && !bytes->empty(), "model '", name, "': the file is empty");
  auto model = std::make_shared<Model>();
  QLITE_RETURN_IF_ERROR(ReadModel(bytes, model.get()).WithContext(StrCat("model '", name, "': ")));
  RegisterSimdKernels();
  InterpreterOptions options;
  options.kernels = KernelSet::kSimd;
  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(model, options, &interpreter)
                            .WithContext(StrCat("model '", name, "': ")));
  ProbedModel probe;
  probe.card = DescribeModel(name, *model, bytes->size(), interpreter->arena_bytes());
  probe.card.simd_nodes = CountSimdNodes(*interpreter);
  for (int32_t t : model->inputs) probe.inputs.push_back(DescribeTensor(model->tensors[t]));
  for (int32_t t : model->outputs) probe.outputs.push_back(DescribeTensor(model->tensors[t]));
  probe.digit_mismatch = DigitClassifierMismatch(*interpreter);
  if (!probe.digit_mismatch.empty()) {
    SetNeutralInputs(interpreter.get());
    const auto start = std::chrono::steady_clock::now();
    QLITE_RETURN_IF_ERROR(interpreter->Invoke().WithContext(StrCat("model '", name, "': ")));
    probe.us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  }
  *out = std::move(probe);
  return Status::Ok();
}

}  // namespace qlite::gui
