// Which ops the integer modes quantize, and how: the per-op policy table the
// rewrite follows (after TFLite's operator properties).
#pragma once

#include "core/model.h"

namespace qlite {

// How an op's output quantization is chosen.
enum class OutputParams {
  kOwnRange,    // from the output tensor's calibrated range
  kSameAsInput,  // input 0's parameters (pooling, reshape-like ops)
  kFixed,       // the op's fixed output scale (softmax, logistic, tanh)
};

struct QuantOpRule {
  bool int8 = false;   // TFLite has an int8 kernel
  bool int16 = false;  // TFLite has an int16x8 kernel
  OutputParams output = OutputParams::kOwnRange;
  // Quantized activation inputs: the first `activation_inputs` inputs (-1 = all).
  // Other inputs (shapes, paddings, permutations) are kept as they are.
  int activation_inputs = 1;
  // Every activation input must carry the output's parameters (TFLite's
  // same-scale ops: CONCATENATION, MAXIMUM, MINIMUM); others are requantized.
  bool inputs_share_output_params = false;
  int weights_input = -1;  // constant weights quantized per channel
  int weights_channel_dim = 0;
  int bias_input = -1;
  // Operator version of the result (at least the float op's version, which
  // may already carry a shape-dependent bump).
  int int8_version = 2, int16_version = 3;
};

// The rule for `op`; int8 == int16 == false for ops the integer modes leave alone.
QuantOpRule QuantRuleFor(BuiltinOp op);

// Fixed output parameters of SOFTMAX / LOGISTIC / TANH for int8 or int16.
void FixedOutputParams(BuiltinOp op, bool int16, float* scale, int64_t* zero_point);

// The fused activation an op carries, kNone if it has none.
Activation FusedActivation(const OpOptions& options);

}  // namespace qlite
