#include "quantize/op_rules.h"

namespace qlite {

QuantRule QuantRuleFor(const OperatorDef& op) {
  const OpRow* row = FindOpRow(op);
  return row != nullptr ? row->quant : QuantRule{};
}

bool IsStatefulSequenceOp(BuiltinOp op) {
  switch (op) {
    case BuiltinOp::kSvdf:
    case BuiltinOp::kRnn:
    case BuiltinOp::kUnidirectionalSequenceRnn:
    case BuiltinOp::kBidirectionalSequenceRnn:
    case BuiltinOp::kLstm:
    case BuiltinOp::kUnidirectionalSequenceLstm:
    case BuiltinOp::kBidirectionalSequenceLstm: return true;
    default: return false;
  }
}

void FixedOutputParams(BuiltinOp op, bool int16, float* scale, int64_t* zero_point) {
  if (int16) {
    *scale = 1.0f / 32768.0f;
    *zero_point = 0;
  } else if (op == BuiltinOp::kLogSoftmax) {  // [-255/16, 0]
    *scale = 16.0f / 256.0f;
    *zero_point = 127;
  } else if (op == BuiltinOp::kTanh || op == BuiltinOp::kL2Normalization) {  // [-1, 1)
    *scale = 1.0f / 128.0f;
    *zero_point = 0;
  } else {  // SOFTMAX, LOGISTIC: [0, 1)
    *scale = 1.0f / 256.0f;
    *zero_point = -128;
  }
}

}  // namespace qlite
