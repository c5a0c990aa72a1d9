// The op table: one row per operator qlite knows. The reader, the writer,
// describe/inspect, the interpreter and the quantizer all look an operator up
// here, so adding an op is its kernel file (prepare, eval, options) plus one
// row in op_table.cc.
#pragma once

#include <string>

#include "core/kernel_api.h"
#include "core/model.h"
#include "core/op_options.h"

namespace qlite {

struct OptionsIO;  // core/format/options_io.h: read, write and describe

// How the integer quantization modes treat an op (after TFLite's operator
// properties). An op with int8 == int16 == false stays float.
struct QuantRule {
  // How the output's quantization parameters are chosen.
  enum class Output : uint8_t {
    kOwnRange,     // from the output tensor's calibrated range
    kSameAsInput,  // input 0's parameters (pooling, reshape-like ops)
    kFixed,        // the op's fixed output scale (softmax, logistic, tanh)
  };
  bool int8 = false;   // TFLite has an int8 kernel
  bool int16 = false;  // TFLite has an int16x8 kernel
  Output output = Output::kOwnRange;
  // Quantized activation inputs: the first `activation_inputs` inputs (-1 = all).
  // Other inputs (shapes, paddings, permutations) are kept as they are.
  int activation_inputs = 1;
  // Every activation input must carry the output's parameters (TFLite's
  // same-scale ops: CONCATENATION, MAXIMUM, MINIMUM); others are requantized.
  bool inputs_share_output_params = false;
  // Outputs after output 0 that are not float (TOPK_V2's int32 indices) keep
  // their dtype; otherwise such an output makes the op unquantizable.
  bool keeps_integer_outputs = false;
  int weights_input = -1;  // constant weights quantized per channel
  int weights_channel_dim = 0;
  int bias_input = -1;
  // Operator version of the result (at least the float op's version, which
  // may already carry a shape-dependent bump).
  int int8_version = 2, int16_version = 3;
};

struct OpRow {
  BuiltinOp op = BuiltinOp::kCustom;
  const OptionsIO* options = nullptr;  // nullptr: the op carries no options
  const KernelRegistration* (*reference)() = nullptr;
  // Nodes whose inputs are all constant are computed once at prepare.
  bool foldable = false;
  QuantRule quant;
  const char* custom_code = nullptr;  // custom ops: the code they are registered by
};

// The row of a builtin op, or of a custom op by its custom code; nullptr if
// qlite does not know the op.
const OpRow* FindOpRow(BuiltinOp op, const std::string& custom_code = "");
const OpRow* FindOpRow(const OperatorDef& op);

// Adds rows from a separately loaded op module (qlite-ops.wasm): searched
// after the built-in rows. `rows` must outlive the process.
void RegisterModuleOpRows(const OpRow* rows, size_t n);

// The op's default options (empty for ops without options or without a row).
OpOptions DefaultOptions(BuiltinOp op);

// "padding=SAME stride=2x2 activation=RELU"; "" for ops without options.
std::string DescribeOptions(const OperatorDef& op);

// The fused activation an op's options carry, kNone if they carry none.
Activation FusedActivation(const OperatorDef& op);

// ---- Kernel sets ----
enum class KernelSet { kReference, kSimd };
const char* KernelSetName(KernelSet set);

// Faster kernels for some ops register here (the SIMD library registers its
// kernels through RegisterSimdKernels(); core never names them). A node whose override declines it
// (KernelRegistration::accepts) runs the reference kernel.
void RegisterKernelOverride(BuiltinOp op, const KernelRegistration* kernel);
bool HasKernelOverrides();

// The kernel for `op` from `set`: the registered override when `set` asks for
// it and one exists, else the row's reference kernel; nullptr if none.
const KernelRegistration* FindKernel(const OperatorDef& op, KernelSet set);

}  // namespace qlite
