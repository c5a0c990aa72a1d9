#include "core/model.h"

#include "core/format/schema.h"
#include "core/op_options.h"

namespace qlite {

std::string BuiltinOpName(BuiltinOp op) {
  const auto code = static_cast<tfl::BuiltinOperator>(op);
  const char* name = tfl::EnumNameBuiltinOperator(code);
  if (name != nullptr && name[0] != '\0') return name;
  return "BUILTIN_" + std::to_string(static_cast<int32_t>(op));
}

const char* ActivationName(Activation a) {
  switch (a) {
    case Activation::kNone: return "NONE";
    case Activation::kRelu: return "RELU";
    case Activation::kReluN1To1: return "RELU_N1_TO_1";
    case Activation::kRelu6: return "RELU6";
    case Activation::kTanh: return "TANH";
    case Activation::kSignBit: return "SIGN_BIT";
  }
  return "INVALID";
}

Buffer Buffer::Owned(std::vector<uint8_t> bytes) {
  auto storage = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  Buffer b;
  b.data = storage->data();
  b.size = storage->size();
  b.storage = std::move(storage);
  return b;
}

const Buffer& Model::constant_data(int t) const {
  static const Buffer kEmpty;
  if (t < 0 || t >= static_cast<int>(tensors.size())) return kEmpty;
  const uint32_t b = tensors[t].buffer;
  if (b == 0 || b >= buffers.size()) return kEmpty;
  return buffers[b];
}

Model Model::SubgraphView(int index) const {
  Model view;
  view.version = version;
  view.description = description;
  view.buffers = buffers;
  view.metadata = metadata;
  if (index == 0) {
    view.tensors = tensors;
    view.operators = operators;
    view.inputs = inputs;
    view.outputs = outputs;
    view.subgraph_name = subgraph_name;
    return view;
  }
  const Subgraph& sub = subgraphs.at(static_cast<size_t>(index - 1));
  view.tensors = sub.tensors;
  view.operators = sub.operators;
  view.inputs = sub.inputs;
  view.outputs = sub.outputs;
  view.subgraph_name = sub.name;
  return view;
}

bool Model::is_constant(int t) const {
  if (t < 0 || t >= static_cast<int>(tensors.size()) || tensors[t].is_variable) return false;
  if (constant_data(t).size > 0) return true;
  if (tensors[t].buffer == 0) return false;
  if (!tensors[t].sparsity.empty()) return true;  // all zeros may store no values
  for (int32_t d : tensors[t].shape) {
    if (d == 0) return true;
  }
  return false;
}

}  // namespace qlite
