// libFuzzer target: the post-training quantizer on any float model the reader
// accepts, calibrated on two seeded samples, in every mode. A mode may refuse
// a model with an error; a model it does write must read back and prepare.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "core/tensor.h"
#include "quantize/quantizer.h"

namespace {

constexpr size_t kMaxTensorBytes = size_t{4} << 20;
constexpr int64_t kMaxInputElements = 1 << 14;

// Two samples of seeded values in [-1, 1) for every float32 input; false if
// the model has another input type or inputs too large to calibrate quickly.
bool MakeSamples(const qlite::Model& model, qlite::VectorDataset** dataset) {
  std::vector<std::vector<std::vector<float>>> samples(2);
  uint32_t s = 12345;
  for (int32_t index : model.inputs) {
    const qlite::TensorDef& t = model.tensors[index];
    const int64_t n = qlite::ShapeElementCount(t.shape);
    if (t.type != qlite::DType::kFloat32 || n < 0 || n > kMaxInputElements) return false;
    for (auto& sample : samples) {
      std::vector<float> values(static_cast<size_t>(n));
      for (float& v : values) v = ((s = s * 1664525u + 1013904223u) >> 8) / 8388608.0f - 1.0f;
      sample.push_back(std::move(values));
    }
  }
  *dataset = new qlite::VectorDataset(std::move(samples));
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  qlite::Model model;
  if (!qlite::ReadModelFromBytes(data, size, &model).ok()) return 0;
  qlite::VectorDataset* raw = nullptr;
  if (!MakeSamples(model, &raw)) return 0;
  std::unique_ptr<qlite::VectorDataset> dataset(raw);
  {
    // Calibration runs the float graph: skip models over the memory cap.
    qlite::InterpreterOptions options;
    options.max_tensor_bytes = kMaxTensorBytes;
    std::unique_ptr<qlite::Interpreter> interpreter;
    if (!qlite::Interpreter::Create(model, options, &interpreter).ok()) return 0;
  }
  qlite::RangeMap ranges;
  if (!qlite::Calibrate(model, *dataset, &ranges).ok()) return 0;
  for (qlite::QuantMode mode :
       {qlite::QuantMode::kFloat16, qlite::QuantMode::kDynamic, qlite::QuantMode::kInt8Fallback,
        qlite::QuantMode::kInt8, qlite::QuantMode::kInt16x8}) {
    qlite::QuantizeOptions options;
    options.mode = mode;
    qlite::Model quantized;
    if (!qlite::QuantizeModel(model, ranges, options, &quantized).ok()) continue;
    std::vector<uint8_t> bytes;
    qlite::Status s = qlite::WriteModel(quantized, qlite::WriterOptions{}, &bytes);
    qlite::Model reread;
    if (s.ok()) s = qlite::ReadModelFromBytes(bytes.data(), bytes.size(), &reread);
    std::unique_ptr<qlite::Interpreter> interpreter;
    qlite::InterpreterOptions run_options;
    run_options.max_tensor_bytes = 4 * kMaxTensorBytes;  // float16 -> float32 folding doubles
    if (s.ok()) s = qlite::Interpreter::Create(reread, run_options, &interpreter);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: the quantized model does not run: %s\n", qlite::QuantModeName(mode),
                   s.message().c_str());
      std::abort();
    }
  }
  return 0;
}
