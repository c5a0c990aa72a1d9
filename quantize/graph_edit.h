// Small graph-editing helpers the quantizer's rewrites share, and the
// rewrites themselves (one per mode family).
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "quantize/name_pattern.h"
#include "quantize/quantizer.h"

namespace qlite {

// The float32 values of constant tensor t (check IsFloatConstant first).
const float* FloatData(const Model& model, int t);
// t is a valid index of a float32 tensor whose buffer holds all its elements.
bool IsFloatConstant(const Model& model, int t);

// Append a constant / an activation tensor shaped like `like`; return its index.
int AddConstant(Model* model, const TensorDef& like, const std::string& name, DType type,
                std::vector<uint8_t> bytes, Quantization quant);
int AddActivation(Model* model, const TensorDef& like, const std::string& name, DType type,
                  Quantization quant);

// options.cc: the converter-style options each mode takes; the I/O type of
// model input / output tensor t (by name, else options.io) and whether every
// input / output can have its type in the mode.
Status CheckModeOptions(const QuantizeOptions& options);
IoType IoTypeOf(const Model& model, const QuantizeOptions& options, int t, bool input);
Status CheckIoTypes(const Model& model, const QuantizeOptions& options);

// The options' denylists (options.cc): whether an op stays float by them.
class Denylist {
 public:
  // Fails on a malformed node pattern.
  static Status Build(const QuantizeOptions& options, Denylist* out);
  bool empty() const { return ops_.empty() && node_patterns_.empty(); }
  // Why `op` stays float ("denylisted: op type CONV_2D"), "" if not denylisted.
  std::string Reason(const Model& model, const OperatorDef& op) const;

 private:
  std::vector<std::string> ops_;
  std::vector<std::pair<std::string, NamePattern>> node_patterns_;
};

// A one-input, one-output QUANTIZE or DEQUANTIZE.
OperatorDef ConversionOp(BuiltinOp op, int from, int to, int version);

// Drops tensors no operator or model I/O refers to and buffers no tensor or
// metadata refers to, renumbering both.
void Compact(Model* model);

// fold_float16.cc: every DEQUANTIZE / CAST of a float16 constant to float32
// is dropped and its output tensor (same index, so calibration ranges stay
// valid) becomes the float32 constant. Fails naming the tensor when any other
// op reads a float16 constant. `source_node[i]` is the index in `in` of
// out->operators[i]; `folded[t]` is true for the tensors that became constants.
Status FoldFloat16Constants(const Model& in, Model* out, std::vector<int>* source_node,
                            std::vector<bool>* folded, QuantizeReport* report);

// "node N (OP)" with N the input model's index of op n of the folded model.
std::string NodeLabel(const std::vector<int>& source_node, int n, BuiltinOp op);
// `text` as a JSON string literal, quotes included.
std::string JsonString(const std::string& text);
// Records op n's outcome in the report (and its quantized/float count).
void RecordOutcome(const std::vector<int>& source_node, int n, BuiltinOp op, OpOutcome::Kind kind,
                   std::string result, QuantizeReport* report);

// weight_only.cc: float16 and dynamic-range modes (no calibration). `in` is
// the folded model, `source_node` its op numbering in the input model.
// float16 mode counts an op as quantized only for float32 constants that were
// not float16 in the input (`folded`).
Status RewriteFloat16(const Model& in, const std::vector<int>& source_node,
                      const std::vector<bool>& folded, Model* out, QuantizeReport* report);
Status RewriteDynamic(const Model& in, const std::vector<int>& source_node,
                      const QuantizeOptions& options, Model* out, QuantizeReport* report);

// report.cc: a mode that did less than it promises fails naming what stayed
// float, or with allow_float records that as warnings.
Status CheckCoverage(const QuantizeOptions& options, QuantizeReport* report);

// The quantized model keeps the float model's signatures, entry by entry.
Status KeepSignatures(const Model& float_model, Model* quantized);

// quantize_model.cc: int8, int8-fallback and int16x8.
Status RewriteInteger(const Model& in, const std::vector<int>& source_node, const RangeMap& ranges,
                      const QuantizeOptions& options, Model* out, QuantizeReport* report);

}  // namespace qlite
