// Per-op facts the integer modes need beyond the op table's QuantRule.
#pragma once

#include "core/model.h"
#include "core/op_table.h"

namespace qlite {

// The op's row's rule; int8 == int16 == false (stays float) for ops without a row.
QuantRule QuantRuleFor(const OperatorDef& op);

// SVDF and the RNN and LSTM families: stateful ops the full-integer modes
// refuse by name (TFLite's int8 forms need int16 states, and for LSTM
// intermediate scales, that the calibration does not record).
bool IsStatefulSequenceOp(BuiltinOp op);

// Fixed output parameters of SOFTMAX / LOGISTIC / TANH / L2_NORMALIZATION
// for int8 or int16.
void FixedOutputParams(BuiltinOp op, bool int16, float* scale, int64_t* zero_point);

}  // namespace qlite
