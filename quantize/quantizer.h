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
// "float", "int8", "uint8", "int16" (the --io names).
const char* IoTypeName(IoType io);
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

  // One scale per weight tensor for CONV_2D / DEPTHWISE_CONV_2D /
  // FULLY_CONNECTED instead of one per output channel (TFLite's
  // _experimental_disable_per_channel). Integer and dynamic modes.
  bool per_channel = true;
  // Ops kept float (with QUANTIZE / DEQUANTIZE around them): by op type
  // ("CONV_2D") or by node name, the name of the node's first output tensor
  // (as TFLite's QuantizationDebugger names nodes), matched whole by a
  // NamePattern (a plain name matches itself). Integer and dynamic modes.
  std::vector<std::string> denylist_ops;
  std::vector<std::string> denylist_nodes;
  // int16x8 bias type of the ops whose TFLite kernel takes either (CONV_2D);
  // DEPTHWISE_CONV_2D and FULLY_CONNECTED keep int64 as TFLite requires.
  DType bias_16x8 = DType::kInt64;
  // I/O type per model input / output tensor name, overriding `io`.
  std::map<std::string, IoType> input_io, output_io;
};

// Sets one option as `qlite quantize` spells its flag and the npm package
// its option line: "per-tensor", "bias-int32", "denylist-ops" = "CONV_2D,ADD",
// "denylist-nodes" = PATTERN, "input-type" / "output-type" = "NAME=TYPE".
Status SetQuantizeOption(const std::string& key, const std::string& value,
                         QuantizeOptions* options);

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
  int denylisted_ops = 0;             // of float_ops: kept float by the options' denylists
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
