#include "core/model_builder.h"

#include "core/op_table.h"

namespace qlite {

int ModelBuilder::AddTensor(const std::string& name, DType type, std::vector<int32_t> shape,
                            Quantization quant) {
  TensorDef t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  t.quant = std::move(quant);
  Tensors()->push_back(std::move(t));
  return static_cast<int>(Tensors()->size()) - 1;
}

int ModelBuilder::AddVariable(const std::string& name, DType type, std::vector<int32_t> shape,
                              Quantization quant) {
  const int index = AddTensor(name, type, std::move(shape), std::move(quant));
  (*Tensors())[index].is_variable = true;
  return index;
}

int ModelBuilder::AddConstantBytes(const std::string& name, DType type, std::vector<int32_t> shape,
                                   std::vector<uint8_t> bytes, Quantization quant) {
  const int index = AddTensor(name, type, std::move(shape), std::move(quant));
  model_.buffers.push_back(Buffer::Owned(std::move(bytes)));
  (*Tensors())[index].buffer = static_cast<uint32_t>(model_.buffers.size() - 1);
  return index;
}

int ModelBuilder::AddOperator(BuiltinOp op, std::vector<int32_t> inputs,
                              std::vector<int32_t> outputs, OpOptions options, int32_t version) {
  OperatorDef def;
  def.op = op;
  def.version = version;
  def.inputs = std::move(inputs);
  def.outputs = std::move(outputs);
  def.options = !options.has_value() ? DefaultOptions(op) : std::move(options);
  Operators()->push_back(std::move(def));
  return static_cast<int>(Operators()->size()) - 1;
}

int ModelBuilder::AddSubgraph(const std::string& name) {
  model_.subgraphs.emplace_back();
  model_.subgraphs.back().name = name;
  current_ = static_cast<int>(model_.subgraphs.size());
  return current_;
}

std::vector<TensorDef>* ModelBuilder::Tensors() {
  return current_ == 0 ? &model_.tensors : &model_.subgraphs[current_ - 1].tensors;
}
std::vector<OperatorDef>* ModelBuilder::Operators() {
  return current_ == 0 ? &model_.operators : &model_.subgraphs[current_ - 1].operators;
}
std::vector<int32_t>* ModelBuilder::Inputs() {
  return current_ == 0 ? &model_.inputs : &model_.subgraphs[current_ - 1].inputs;
}
std::vector<int32_t>* ModelBuilder::Outputs() {
  return current_ == 0 ? &model_.outputs : &model_.subgraphs[current_ - 1].outputs;
}

Quantization PerTensor(float scale, int64_t zero_point) {
  Quantization q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

Quantization PerChannel(std::vector<float> scales, int32_t dimension) {
  Quantization q;
  q.zero_point.assign(scales.size(), 0);
  q.scale = std::move(scales);
  q.quantized_dimension = dimension;
  return q;
}

}  // namespace qlite
