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
  // Write the model even when the mode did less than it promises (an op left
  // float in int8/int16x8, nothing quantized in the other modes); the report
  // then carries warnings instead of the run failing.
  bool allow_float = false;
};

// What the quantizer did with one op of the input model.
struct OpOutcome {
  enum class Kind { kQuantized, kFloat, kFolded };
  int node = -1;   // index in the input model
  std::string op;  // "CONV_2D"
  Kind kind = Kind::kFloat;
  // kQuantized: the form ("int8", "hybrid: int8 weights"); kFloat: why it
  // stayed float; kFolded: what replaced it.
  std::string result;
};

struct QuantizeReport {
  std::vector<OpOutcome> ops;              // one per op of the input model, in order
  std::vector<std::string> unquantizable;  // "node 3 (TANH): why", for kInt8 failures
  int quantized_ops = 0;
  int float_ops = 0;
  int folded_float16 = 0;             // float16 constants read through DEQUANTIZE / CAST
  std::vector<std::string> warnings;  // with allow_float: what the mode left undone
  std::string summary;                // one line per rewritten op, for `qlite inspect` style output
};

// The report per op type: one line per (op, outcome) with its count, e.g.
// "CONV_2D              3  int8". Shared by the CLI and the npm package.
std::string FormatReportTable(const QuantizeReport& report);
// The same as JSON: {"quantizedOps":..,"floatOps":..,"foldedFloat16":..,
// "ops":[{"op":..,"count":..,"status":"quantized"|"float"|"folded","result":..}],
// "warnings":[..]}.
std::string ReportJson(const QuantizeReport& report);

// Rewrites `float_model` per `options`. Integer modes need `ranges` for every
// float activation tensor (from Calibrate or QAT). float16 constants read
// through DEQUANTIZE (or CAST) are first folded into float32 constants, so a
// float16-weight model quantizes as its float32 form. On failure `*quantized`
// is untouched and the status lists what could not be quantized; a run that
// quantizes nothing, or leaves ops float in a full-integer mode, fails unless
// options.allow_float.
Status QuantizeModel(const Model& float_model, const RangeMap& ranges,
                     const QuantizeOptions& options, Model* quantized,
                     QuantizeReport* report = nullptr);

}  // namespace qlite
