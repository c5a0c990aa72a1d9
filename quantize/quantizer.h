// Post-training quantization as a graph transform over a float Model:
//   calibrate (run the float graph over representative samples, record the
//   min/max of every float tensor) -> rewrite (per-op quantized types,
//   per-channel weights, int32/int64 biases, QUANTIZE/DEQUANTIZE at the
//   edges or around float-only ops) -> a Model the writer stores.
// Every mode is a policy over the same transform. QAT export calls
// QuantizeModel with the ranges learned during training instead of Calibrate.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "data/dataset.h"

namespace qlite {

enum class QuantMode {
  kFloat16,       // float16 weights + DEQUANTIZE, float compute
  kDynamic,       // int8 weights, float activations, hybrid kernels
  kInt8Fallback,  // int8 where a kernel exists, float elsewhere; float model I/O
  kInt8,          // full integer; fails listing every op it cannot quantize
  kInt16x8,       // int16 activations, int8 weights, int64 bias
};

enum class IoType { kFloat32, kInt8, kUInt8, kInt16 };

// "float16", "dynamic", "int8-fallback", "int8", "int16x8"; false if unknown.
bool ParseQuantMode(const std::string& text, QuantMode* mode);
const char* QuantModeName(QuantMode mode);
bool ParseIoType(const std::string& text, IoType* io);

struct TensorRange {
  float min = 0.0f, max = 0.0f;
};
// Activation ranges of the float model, by tensor index.
using RangeMap = std::map<int, TensorRange>;

using ProgressFn = std::function<void(int done, int total)>;

// Runs `float_model` over every sample and records min/max of each float
// tensor it computes (inputs included).
Status Calibrate(const Model& float_model, RepresentativeDataset& dataset, RangeMap* ranges,
                 const ProgressFn& progress = nullptr);

struct QuantizeOptions {
  QuantMode mode = QuantMode::kInt8;
  IoType io = IoType::kFloat32;  // model inputs/outputs of the integer modes
};

struct QuantizeReport {
  std::vector<std::string> unquantizable;  // "node 3 (TANH): why", for kInt8 failures
  int quantized_ops = 0;
  int float_ops = 0;
  std::string summary;  // one line per rewritten op, for `qlite inspect` style output
};

// Rewrites `float_model` per `options`. Integer modes need `ranges` for every
// float activation tensor (from Calibrate or QAT). On failure `*quantized` is
// untouched and the status lists what could not be quantized.
Status QuantizeModel(const Model& float_model, const RangeMap& ranges,
                     const QuantizeOptions& options, Model* quantized,
                     QuantizeReport* report = nullptr);

}  // namespace qlite
