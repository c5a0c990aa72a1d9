// Small graph-editing helpers the quantizer's rewrites share, and the
// rewrites themselves (one per mode family).
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
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

// A one-input, one-output QUANTIZE or DEQUANTIZE.
OperatorDef ConversionOp(BuiltinOp op, int from, int to, int version);

// Drops tensors no operator or model I/O refers to and buffers no tensor or
// metadata refers to, renumbering both.
void Compact(Model* model);

// weight_only.cc: float16 and dynamic-range modes (no calibration).
Status RewriteFloat16(const Model& in, Model* out, QuantizeReport* report);
Status RewriteDynamic(const Model& in, Model* out, QuantizeReport* report);

// quantize_model.cc: int8, int8-fallback and int16x8.
Status RewriteInteger(const Model& in, const RangeMap& ranges, const QuantizeOptions& options,
                      Model* out, QuantizeReport* report);

}  // namespace qlite
