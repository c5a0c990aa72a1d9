#include "gui/app/layer_error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace qlite::gui {

namespace {

struct Activation {
  int node = -1, tensor = -1;
  std::vector<float> values;  // dequantized
};

// Dequantized copies of every tensor a node writes, in execution order. Copies
// are taken inside the observer: the arena reuses the memory later in the run.
Status CollectActivations(ModelRunner& runner, const MnistImage& image,
                          std::vector<Activation>* activations) {
  QLITE_RETURN_IF_ERROR(runner.SetImage(image));
  Interpreter& interpreter = runner.interpreter();
  const Model& model = interpreter.model();
  Status failure;
  QLITE_RETURN_IF_ERROR(interpreter.Invoke([&](int node) {
    for (int32_t t : model.operators[node].outputs) {
      if (t < 0) continue;
      Activation a;
      a.node = node;
      a.tensor = t;
      Status s = DequantizeTensor(interpreter.tensors()[t], &a.values);
      if (!s.ok()) {
        if (failure.ok()) failure = s;
        continue;
      }
      activations->push_back(std::move(a));
    }
  }));
  return failure;
}

}  // namespace

std::string BaseTensorName(const std::string& name) {
  for (const char* suffix : {"/int8", "/uint8", "/int16", "/quantize", "/dequantize"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      return name.substr(0, name.size() - s.size());
    }
  }
  return name;
}

Status CompareLayers(ModelRunner& float_runner, ModelRunner& quant_runner, const MnistImage& image,
                     std::vector<LayerError>* layers) {
  layers->clear();
  std::vector<Activation> float_activations, quant_activations;
  QLITE_RETURN_IF_ERROR(CollectActivations(float_runner, image, &float_activations));
  QLITE_RETURN_IF_ERROR(CollectActivations(quant_runner, image, &quant_activations));
  std::map<std::string, const std::vector<float>*> float_by_name;
  const Model& float_model = float_runner.model();
  for (const Activation& a : float_activations) {
    float_by_name[BaseTensorName(float_model.tensors[a.tensor].name)] = &a.values;
  }
  const Model& quant_model = quant_runner.model();
  for (const Activation& a : quant_activations) {
    const int node = a.node, t = a.tensor;
    auto f = float_by_name.find(BaseTensorName(quant_model.tensors[t].name));
    if (f == float_by_name.end()) continue;
    const std::vector<float>& q = a.values;
    const std::vector<float>& reference = *f->second;
    if (reference.size() != q.size() || q.empty()) continue;
    LayerError e;
    e.node = node;
    e.op = BuiltinOpName(quant_model.operators[node].op);
    e.tensor = quant_model.tensors[t].name;
    e.dtype = DTypeName(quant_model.tensors[t].type);
    e.elements = static_cast<int>(q.size());
    double sum = 0.0;
    for (size_t i = 0; i < q.size(); ++i) {
      const float error = std::fabs(reference[i] - q[i]);
      e.max_abs_error = std::max(e.max_abs_error, error);
      e.float_abs_max = std::max(e.float_abs_max, std::fabs(reference[i]));
      sum += error;
    }
    e.mean_abs_error = static_cast<float>(sum / q.size());
    layers->push_back(e);
  }
  return Status::Ok();
}

}  // namespace qlite::gui
