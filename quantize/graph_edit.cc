#include "quantize/graph_edit.h"

#include <algorithm>
#include <tuple>

#include "core/op_table.h"
#include "core/tensor.h"

namespace qlite {

const float* FloatData(const Model& model, int t) {
  return reinterpret_cast<const float*>(model.constant_data(t).data);
}

bool IsFloatConstant(const Model& model, int t) {
  if (t < 0 || static_cast<size_t>(t) >= model.tensors.size() || !model.is_constant(t)) {
    return false;
  }
  const TensorDef& def = model.tensors[t];
  const int64_t count = ShapeElementCount(def.shape);
  // Sparse values are stored in walk order, not as the dense tensor.
  return def.type == DType::kFloat32 && count >= 0 && def.sparsity.empty() &&
         model.constant_data(t).size == static_cast<size_t>(count) * sizeof(float);
}

// Adds a constant tensor to `model`; returns its index.
int AddConstant(Model* model, const TensorDef& like, const std::string& name, DType type,
                std::vector<uint8_t> bytes, Quantization quant) {
  TensorDef def;
  def.name = name;
  def.type = type;
  def.shape = like.shape;
  def.shape_signature = like.shape_signature;
  def.quant = std::move(quant);
  model->buffers.push_back(Buffer::Owned(std::move(bytes)));
  def.buffer = static_cast<uint32_t>(model->buffers.size() - 1);
  model->tensors.push_back(std::move(def));
  return static_cast<int>(model->tensors.size()) - 1;
}

int AddActivation(Model* model, const TensorDef& like, const std::string& name, DType type,
                  Quantization quant) {
  TensorDef def;
  def.name = name;
  def.type = type;
  def.shape = like.shape;
  def.shape_signature = like.shape_signature;
  def.quant = std::move(quant);
  model->tensors.push_back(std::move(def));
  return static_cast<int>(model->tensors.size()) - 1;
}

OperatorDef ConversionOp(BuiltinOp op, int from, int to, int version) {
  OperatorDef def;
  def.op = op;
  def.version = version;
  def.inputs = {from};
  def.outputs = {to};
  def.options = DefaultOptions(op);
  return def;
}

void Compact(Model* model) {
  std::vector<bool> used(model->tensors.size(), false);
  auto mark = [&](int32_t t) {
    if (t >= 0 && static_cast<size_t>(t) < used.size()) used[t] = true;
  };
  for (const OperatorDef& op : model->operators) {
    for (int32_t t : op.inputs) mark(t);
    for (int32_t t : op.outputs) mark(t);
    for (int32_t t : op.intermediates) mark(t);
  }
  for (int32_t t : model->inputs) mark(t);
  for (int32_t t : model->outputs) mark(t);
  std::vector<int32_t> new_index(model->tensors.size(), -1);
  std::vector<TensorDef> tensors;
  for (size_t t = 0; t < model->tensors.size(); ++t) {
    if (!used[t]) continue;
    new_index[t] = static_cast<int32_t>(tensors.size());
    tensors.push_back(std::move(model->tensors[t]));
  }
  auto remap = [&](std::vector<int32_t>* ids) {
    for (int32_t& t : *ids) {
      if (t >= 0) t = new_index[t];
    }
  };
  for (OperatorDef& op : model->operators) {
    remap(&op.inputs);
    remap(&op.outputs);
    remap(&op.intermediates);
  }
  remap(&model->inputs);
  remap(&model->outputs);
  model->tensors = std::move(tensors);

  std::vector<bool> buffer_used(model->buffers.size(), false);
  buffer_used[0] = true;
  for (const TensorDef& t : model->tensors) {
    if (t.buffer < buffer_used.size()) buffer_used[t.buffer] = true;
  }
  for (const MetadataEntry& m : model->metadata) {
    if (m.buffer < buffer_used.size()) buffer_used[m.buffer] = true;
  }
  std::vector<uint32_t> new_buffer(model->buffers.size(), 0);
  std::vector<Buffer> buffers;
  for (size_t b = 0; b < model->buffers.size(); ++b) {
    if (!buffer_used[b]) continue;
    new_buffer[b] = static_cast<uint32_t>(buffers.size());
    buffers.push_back(std::move(model->buffers[b]));
  }
  for (TensorDef& t : model->tensors) {
    if (t.buffer < new_buffer.size()) t.buffer = new_buffer[t.buffer];
  }
  for (MetadataEntry& m : model->metadata) {
    if (m.buffer < new_buffer.size()) m.buffer = new_buffer[m.buffer];
  }
  model->buffers = std::move(buffers);
}

// The quantized model keeps the float model's signatures: the rewrite
// renumbers tensors but keeps the order of the inputs and outputs, so each
// signature entry follows its input or output position.
Status KeepSignatures(const Model& float_model, Model* quantized) {
  quantized->signatures.clear();
  for (const SignatureDef& signature : float_model.signatures) {
    SignatureDef kept = signature;
    for (auto [entries, from, to] :
         {std::make_tuple(&kept.inputs, &float_model.inputs, &quantized->inputs),
          std::make_tuple(&kept.outputs, &float_model.outputs, &quantized->outputs)}) {
      for (SignatureTensor& entry : *entries) {
        const auto it = std::find(from->begin(), from->end(), entry.tensor);
        QLITE_ENSURE(signature.subgraph == 0 && it != from->end() && from->size() == to->size(),
                     "signature '", signature.key, "': '", entry.name,
                     "' is not a model input or output, which the quantizer cannot keep");
        entry.tensor = (*to)[it - from->begin()];
      }
    }
    quantized->signatures.push_back(std::move(kept));
  }
  return Status::Ok();
}

}  // namespace qlite
