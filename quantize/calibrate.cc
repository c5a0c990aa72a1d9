// Calibration: runs the float model over the representative samples and keeps
// the min/max of every float32 tensor it computes (model inputs included).
#include <algorithm>
#include <cmath>
#include <memory>

#include "core/interpreter.h"
#include "quantize/quantizer.h"

namespace qlite {

namespace {

void Observe(const Tensor& t, RangeMap* ranges) {
  if (t.type != DType::kFloat32 || t.data == nullptr) return;
  const float* values = t.data_as<float>();
  const int64_t count = t.num_elements();
  if (count <= 0) return;
  auto it = ranges->find(t.index);
  bool seen = it != ranges->end();
  TensorRange r = seen ? it->second : TensorRange{};
  for (int64_t i = 0; i < count; ++i) {
    const float v = values[i];
    if (!std::isfinite(v)) continue;  // one overflow must not blow up a scale
    if (!seen) {
      r.min = r.max = v;
      seen = true;
    } else {
      r.min = std::min(r.min, v);
      r.max = std::max(r.max, v);
    }
  }
  if (seen) (*ranges)[t.index] = r;
}

}  // namespace

Status Calibrate(const Model& float_model, RepresentativeDataset& dataset, RangeMap* ranges,
                 const ProgressFn& progress) {
  QLITE_ENSURE(dataset.size() > 0, "the representative dataset is empty");
  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(float_model, InterpreterOptions(), &interpreter)
                            .WithContext("calibration: the float model cannot run: "));
  for (int i = 0; i < interpreter->num_inputs(); ++i) {
    const Tensor* in = interpreter->input(i);
    QLITE_ENSURE(in->type == DType::kFloat32, "calibration: model input ", i, " ('", in->name(),
                 "') is ", DTypeName(in->type), "; only float32 models can be calibrated");
  }
  RangeMap observed;
  std::vector<std::vector<float>> sample;
  const int total = dataset.size();
  for (int s = 0; s < total; ++s) {
    sample.clear();
    QLITE_RETURN_IF_ERROR(dataset.Sample(s, &sample));
    QLITE_ENSURE(static_cast<int>(sample.size()) == interpreter->num_inputs(),
                 "representative sample ", s, " has ", sample.size(), " inputs, the model takes ",
                 interpreter->num_inputs());
    for (int i = 0; i < interpreter->num_inputs(); ++i) {
      const Tensor* in = interpreter->input(i);
      QLITE_ENSURE(static_cast<int64_t>(sample[i].size()) == in->num_elements(),
                   "representative sample ", s, " gives input ", i, " ('", in->name(), "') ",
                   sample[i].size(), " values; its shape ", ShapeToString(in->shape), " needs ",
                   in->num_elements());
      QLITE_RETURN_IF_ERROR(
          interpreter->SetInput(i, sample[i].data(), sample[i].size() * sizeof(float)));
      Observe(*in, &observed);
    }
    const std::vector<Tensor>& tensors = interpreter->tensors();
    const Model& model = interpreter->model();
    QLITE_RETURN_IF_ERROR(interpreter
                              ->Invoke([&](int node) {
                                for (int32_t out : model.operators[node].outputs) {
                                  if (out >= 0) Observe(tensors[out], &observed);
                                }
                              })
                              .WithContext(StrCat("calibration sample ", s, ": ")));
    if (progress) progress(s + 1, total);
  }
  *ranges = std::move(observed);
  return Status::Ok();
}

bool ParseQuantMode(const std::string& text, QuantMode* mode) {
  static const std::pair<const char*, QuantMode> kModes[] = {
      {"float16", QuantMode::kFloat16},
      {"dynamic", QuantMode::kDynamic},
      {"int8-fallback", QuantMode::kInt8Fallback},
      {"int8", QuantMode::kInt8},
      {"int16x8", QuantMode::kInt16x8}};
  for (const auto& [name, value] : kModes) {
    if (text == name) {
      *mode = value;
      return true;
    }
  }
  return false;
}

const char* QuantModeName(QuantMode mode) {
  switch (mode) {
    case QuantMode::kFloat16: return "float16";
    case QuantMode::kDynamic: return "dynamic";
    case QuantMode::kInt8Fallback: return "int8-fallback";
    case QuantMode::kInt8: return "int8";
    case QuantMode::kInt16x8: return "int16x8";
  }
  return "invalid";
}

const char* IoTypeName(IoType io) {
  switch (io) {
    case IoType::kFloat32: return "float";
    case IoType::kInt8: return "int8";
    case IoType::kUInt8: return "uint8";
    case IoType::kInt16: return "int16";
  }
  return "invalid";
}

bool ParseIoType(const std::string& text, IoType* io) {
  if (text == "float" || text == "float32") {
    *io = IoType::kFloat32;
  } else if (text == "int8") {
    *io = IoType::kInt8;
  } else if (text == "uint8") {
    *io = IoType::kUInt8;
  } else if (text == "int16") {
    *io = IoType::kInt16;
  } else {
    return false;
  }
  return true;
}

}  // namespace qlite
