// Per-layer activation error of a quantized model against its float original
// for one image: both graphs run with an after-node observer; tensors are
// matched by name (the quantizer keeps the float graph's names; a "/int8" or
// "/quantize" suffix is ignored); quantized values are dequantized first.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "gui/app/model_runner.h"

namespace qlite::gui {

struct LayerError {
  int node = -1;       // node of the quantized graph that wrote the tensor
  std::string op;      // its op name
  std::string tensor;  // the tensor name
  std::string dtype;   // its dtype in the quantized graph
  int elements = 0;
  float max_abs_error = 0.0f;
  float mean_abs_error = 0.0f;
  float float_abs_max = 0.0f;  // max |float value|: the scale the error is measured against
};

// The tensor name without the suffixes the quantizer adds to new tensors.
std::string BaseTensorName(const std::string& name);

// Runs both models on `image` and lists every quantized-graph tensor that has
// a float counterpart of the same element count, in execution order.
Status CompareLayers(ModelRunner& float_runner, ModelRunner& quant_runner, const MnistImage& image,
                     std::vector<LayerError>* layers);

}  // namespace qlite::gui
