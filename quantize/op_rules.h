// Per-op facts the integer modes need beyond the op table's QuantRule.
#pragma once

#include "core/model.h"
#include "core/op_table.h"

namespace qlite {

// The op's row's rule; int8 == int16 == false (stays float) for ops without a row.
QuantRule QuantRuleFor(const OperatorDef& op);

// Fixed output parameters of SOFTMAX / LOGISTIC / TANH / L2_NORMALIZATION
// for int8 or int16.
void FixedOutputParams(BuiltinOp op, bool int16, float* scale, int64_t* zero_point);

}  // namespace qlite
