#include "core/op_table.h"

#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/op_rows.h"

namespace qlite {

// What each op's kernel file defines: its reference kernel and, for ops with
// options, how they are read, written and described.
namespace ref {
const KernelRegistration* Conv2D();           // conv.cc
const KernelRegistration* DepthwiseConv2D();  // depthwise_conv.cc
const KernelRegistration* FullyConnected();   // fully_connected.cc
const KernelRegistration* MaxPool2D();        // pooling.cc
const KernelRegistration* AveragePool2D();    // pooling.cc
const KernelRegistration* Reshape();          // reshape.cc
const KernelRegistration* Add();              // add_sub.cc
const KernelRegistration* Sub();              // add_sub.cc
const KernelRegistration* Mul();              // mul.cc
const KernelRegistration* Quantize();         // quantize.cc
const KernelRegistration* Dequantize();       // quantize.cc
const KernelRegistration* Concatenation();    // concatenation.cc
const KernelRegistration* Pad();              // pad.cc (PAD and PADV2)
const KernelRegistration* Transpose();        // transpose.cc
const KernelRegistration* Squeeze();          // squeeze.cc
const KernelRegistration* StridedSlice();     // strided_slice.cc
const KernelRegistration* Relu();             // activations.cc
const KernelRegistration* Relu6();            // activations.cc
const KernelRegistration* ReluN1To1();        // activations.cc
const KernelRegistration* LeakyRelu();        // activations.cc
const KernelRegistration* Relu0To1();         // activations.cc
const KernelRegistration* HardSwish();        // activations.cc
}  // namespace ref

extern const OptionsIO kConv2DOptionsIO, kDepthwiseConv2DOptionsIO, kFullyConnectedOptionsIO,
    kPool2DOptionsIO, kReshapeOptionsIO, kAddOptionsIO, kSubOptionsIO, kMulOptionsIO,
    kQuantizeOptionsIO, kDequantizeOptionsIO, kConcatenationOptionsIO, kPadOptionsIO,
    kPadV2OptionsIO, kTransposeOptionsIO, kSqueezeOptionsIO, kStridedSliceOptionsIO,
    kLeakyReluOptionsIO, kHardSwishOptionsIO;

namespace {

using namespace op_rows;  // NOLINT: the rows read as a table

// Constant data, not a vector built at start-up: each row then costs only
// its bytes in qlite.wasm, no initialization code.
// clang-format off
constexpr OpRow kRows[] = {
  // op                        options                     reference kernel      fold   quantizer rule
  {BuiltinOp::kConv2D,          &kConv2DOptionsIO,           ref::Conv2D,           false, Versions(Weighted(0), 3, 4)},  // [out, h, w, in]
  {BuiltinOp::kDepthwiseConv2D, &kDepthwiseConv2DOptionsIO,  ref::DepthwiseConv2D,  false, Versions(Weighted(3), 3, 5)},  // [1, h, w, in * mult]
  {BuiltinOp::kFullyConnected,  &kFullyConnectedOptionsIO,   ref::FullyConnected,   false, Versions(Weighted(0), 4, 7)},  // [units, depth]
  {BuiltinOp::kMaxPool2D,       &kPool2DOptionsIO,           ref::MaxPool2D,        false, SameAsInput()},
  {BuiltinOp::kAveragePool2D,   &kPool2DOptionsIO,           ref::AveragePool2D,    false, SameAsInput()},
  {BuiltinOp::kReshape,         &kReshapeOptionsIO,          ref::Reshape,          false, Versions(SameAsInput(), 1, 1)},
  {BuiltinOp::kSqueeze,         &kSqueezeOptionsIO,          ref::Squeeze,          kFold, Versions(SameAsInput(), 1, 1)},
  {BuiltinOp::kTranspose,       &kTransposeOptionsIO,        ref::Transpose,        kFold, Versions(SameAsInput(), 2, 5)},
  {BuiltinOp::kStridedSlice,    &kStridedSliceOptionsIO,     ref::StridedSlice,     kFold, Versions(SameAsInput(), 2, 1)},
  {BuiltinOp::kPad,             &kPadOptionsIO,              ref::Pad,              kFold, SameAsInput()},
  {BuiltinOp::kPadV2,           &kPadV2OptionsIO,            ref::Pad,              kFold, SameAsInput()},
  {BuiltinOp::kConcatenation,   &kConcatenationOptionsIO,    ref::Concatenation,    kFold, Both(Output::kOwnRange, -1, true)},
  {BuiltinOp::kAdd,             &kAddOptionsIO,              ref::Add,              false, Both(Output::kOwnRange, 2)},
  {BuiltinOp::kSub,             &kSubOptionsIO,              ref::Sub,              false, Versions(Both(Output::kOwnRange, 2), 2, 5)},
  {BuiltinOp::kMul,             &kMulOptionsIO,              ref::Mul,              false, Versions(Both(Output::kOwnRange, 2), 2, 4)},
  {BuiltinOp::kRelu,            nullptr,                     ref::Relu,             false, Both()},
  {BuiltinOp::kRelu6,           nullptr,                     ref::Relu6,            false, Both()},
  {BuiltinOp::kReluN1To1,       nullptr,                     ref::ReluN1To1,        false, Int8Only(Versions(Both(), 1, 1))},  // TFLite has no int16 RELU_N1_TO_1
  {BuiltinOp::kLeakyRelu,       &kLeakyReluOptionsIO,        ref::LeakyRelu,        false, Versions(Both(), 1, 2)},
  {BuiltinOp::kRelu0To1,        nullptr,                     ref::Relu0To1,         false, Int8Only(Versions(Both(), 1, 1))},  // TFLite has no int16 RELU_0_TO_1
  {BuiltinOp::kHardSwish,       &kHardSwishOptionsIO,        ref::HardSwish,        false, Versions(Int8Only(Both()), 1, 1)},  // TFLite has no int16 HARD_SWISH
  {BuiltinOp::kQuantize,        &kQuantizeOptionsIO,         ref::Quantize,         false, Float()},
  {BuiltinOp::kDequantize,      &kDequantizeOptionsIO,       ref::Dequantize,       kFold, Float()},
};
// clang-format on

// Overrides registered by faster kernel sets, by builtin op: a long-tail op's
// row may only appear once qlite-ops.wasm is loaded, after the registration.
struct KernelOverride {
  BuiltinOp op;
  const KernelRegistration* kernel;
};
std::vector<KernelOverride>& Overrides() {
  static std::vector<KernelOverride> overrides;
  return overrides;
}

// Row tables searched after kRows: the long tail (core/op_table_long_tail.cc),
// linked in directly except in the split wasm build (QLITE_OPS_SPLIT), where
// qlite-ops.wasm registers it when the package loads it.
std::vector<OpRowSpan>& ModuleRows() {
#ifdef QLITE_OPS_SPLIT
  static std::vector<OpRowSpan> rows;
#else
  static std::vector<OpRowSpan> rows = {LongTailOpRows()};
#endif
  return rows;
}

}  // namespace

const OpRow* FindOpRow(BuiltinOp op, const std::string& custom_code) {
  for (const OpRow& row : kRows) {
    if (row.op != op) continue;
    if (op != BuiltinOp::kCustom || custom_code == row.custom_code) return &row;
  }
  for (const OpRowSpan& table : ModuleRows()) {
    for (const OpRow* row = table.rows; row != table.rows + table.size; ++row) {
      if (row->op != op) continue;
      if (op != BuiltinOp::kCustom || custom_code == row->custom_code) return row;
    }
  }
  return nullptr;
}

void RegisterModuleOpRows(const OpRow* rows, size_t n) { ModuleRows().push_back({rows, n}); }

const OpRow* FindOpRow(const OperatorDef& op) { return FindOpRow(op.op, op.custom_code); }

OpOptions DefaultOptions(BuiltinOp op) {
  const OpRow* row = FindOpRow(op);
  return row != nullptr && row->options != nullptr && row->options->defaults != nullptr
             ? row->options->defaults()
             : OpOptions{};
}

std::string DescribeOptions(const OperatorDef& op) {
  const OpRow* row = FindOpRow(op);
  return row != nullptr && row->options != nullptr ? row->options->Describe(op.options) : "";
}

Activation FusedActivation(const OperatorDef& op) {
  const OpRow* row = FindOpRow(op);
  return row != nullptr && row->options != nullptr ? row->options->FusedActivation(op.options)
                                                   : Activation::kNone;
}

const char* KernelSetName(KernelSet set) { return set == KernelSet::kSimd ? "simd" : "reference"; }

void RegisterKernelOverride(BuiltinOp op, const KernelRegistration* kernel) {
  if (op == BuiltinOp::kCustom || kernel == nullptr) return;
  for (KernelOverride& o : Overrides()) {
    if (o.op == op) {
      o.kernel = kernel;
      return;
    }
  }
  Overrides().push_back({op, kernel});
}

bool HasKernelOverrides() { return !Overrides().empty(); }

const KernelRegistration* FindKernel(const OperatorDef& op, KernelSet set) {
  const OpRow* row = FindOpRow(op);
  if (row == nullptr) return nullptr;
  if (set == KernelSet::kSimd && row->op != BuiltinOp::kCustom) {
    for (const KernelOverride& o : Overrides()) {
      if (o.op == row->op) return o.kernel;
    }
  }
  return row->reference != nullptr ? row->reference() : nullptr;
}

}  // namespace qlite
