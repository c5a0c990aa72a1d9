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
  model_.tensors.push_back(std::move(t));
  return static_cast<int>(model_.tensors.size()) - 1;
}

int ModelBuilder::AddVariable(const std::string& name, DType type, std::vector<int32_t> shape,
                              Quantization quant) {
  const int index = AddTensor(name, type, std::move(shape), std::move(quant));
  model_.tensors[index].is_variable = true;
  return index;
}

int ModelBuilder::AddConstantBytes(const std::string& name, DType type, std::vector<int32_t> shape,
                                   std::vector<uint8_t> bytes, Quantization quant) {
  const int index = AddTensor(name, type, std::move(shape), std::move(quant));
  model_.buffers.push_back(Buffer::Owned(std::move(bytes)));
  model_.tensors[index].buffer = static_cast<uint32_t>(model_.buffers.size() - 1);
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
  model_.operators.push_back(std::move(def));
  return static_cast<int>(model_.operators.size()) - 1;
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
