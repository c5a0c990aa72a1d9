// What the rows of the op tables are built from: the quantizer rules, named by
// what they do (after TFLite's operator properties and op_version rules).
// Two tables use them: core/op_table.cc (the ops every build links) and
// core/op_table_long_tail.cc (the long tail, which the wasm package loads as
// the side module qlite-ops.wasm).
#pragma once

#include <cstddef>

#include "core/op_table.h"

namespace qlite {
namespace op_rows {

constexpr QuantRule Float() { return {}; }
constexpr QuantRule Both(QuantRule::Output output = QuantRule::Output::kOwnRange,
                         int activation_inputs = 1, bool share_output_params = false) {
  QuantRule r;
  r.int8 = r.int16 = true;
  r.output = output;
  r.activation_inputs = activation_inputs;
  r.inputs_share_output_params = share_output_params;
  return r;
}
constexpr QuantRule SameAsInput() { return Both(QuantRule::Output::kSameAsInput); }
constexpr QuantRule Fixed() { return Both(QuantRule::Output::kFixed); }
// Ops with constant weights quantized per channel along `channel_dim`, and a bias.
constexpr QuantRule Weighted(int channel_dim) {
  QuantRule r = Both();
  r.weights_input = 1;
  r.weights_channel_dim = channel_dim;
  r.bias_input = 2;
  return r;
}
// Operator versions where they differ from the common int8 = 2, int16 = 3
// (TFLite's op_version rules; a runtime rejects versions it does not
// register, e.g. LiteRT has RESHAPE version 1 only).
constexpr QuantRule Versions(QuantRule r, int int8_version, int int16_version) {
  r.int8_version = int8_version;
  r.int16_version = int16_version;
  return r;
}
constexpr QuantRule Int8Only(QuantRule r) {
  r.int16 = false;
  return r;
}

constexpr QuantRule KeepsIntegerOutputs(QuantRule r) {
  r.keeps_integer_outputs = true;
  return r;
}

using Output = QuantRule::Output;
constexpr bool kFold = true;

}  // namespace op_rows

// The long-tail rows (core/op_table_long_tail.cc).
struct OpRowSpan {
  const OpRow* rows;
  size_t size;
};
OpRowSpan LongTailOpRows();
// Makes FindOpRow search the long tail: what qlite-ops.wasm does when the
// package links it, and what static executables of the split build do
// before they run. Returns the number of rows.
inline size_t RegisterLongTailOpRows() {
  const OpRowSpan table = LongTailOpRows();
  RegisterModuleOpRows(table.rows, table.size);
  return table.size;
}

}  // namespace qlite
