// Builds a Model in code: used by tests, the trainer and the synthetic-model
// generator. Data is copied into owned buffers.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/op_options.h"

namespace qlite {

class ModelBuilder {
 public:
  ModelBuilder() { model_.buffers.emplace_back(); }  // sentinel buffer 0

  // A tensor without data (activation). Returns its index.
  int AddTensor(const std::string& name, DType type, std::vector<int32_t> shape,
                Quantization quant = {});

  // A variable tensor (state kept across invocations), initially zero (its
  // zero point for int8). Returns its index.
  int AddVariable(const std::string& name, DType type, std::vector<int32_t> shape,
                  Quantization quant = {});

  // A constant tensor holding a copy of `values` (must match the dtype size).
  template <typename T>
  int AddConstant(const std::string& name, DType type, std::vector<int32_t> shape,
                  const std::vector<T>& values, Quantization quant = {}) {
    std::vector<uint8_t> bytes(values.size() * sizeof(T));
    if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
    return AddConstantBytes(name, type, std::move(shape), std::move(bytes), std::move(quant));
  }
  int AddConstantBytes(const std::string& name, DType type, std::vector<int32_t> shape,
                       std::vector<uint8_t> bytes, Quantization quant = {});

  // Appends an operator; empty `options` give the op's default options.
  int AddOperator(BuiltinOp op, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                  OpOptions options = {}, int32_t version = 1);

  void SetInputs(std::vector<int32_t> inputs) { *Inputs() = std::move(inputs); }
  void SetOutputs(std::vector<int32_t> outputs) { *Outputs() = std::move(outputs); }

  // Appends a subgraph (for CALL, IF, WHILE...) and makes it the one the
  // calls above fill from now on; returns its index in the model.
  int AddSubgraph(const std::string& name);
  // Which subgraph the calls above fill: 0 = the main one.
  void SetCurrentSubgraph(int index) { current_ = index; }

  Model& model() { return model_; }
  Model Build() const { return model_; }

 private:
  std::vector<TensorDef>* Tensors();
  std::vector<OperatorDef>* Operators();
  std::vector<int32_t>* Inputs();
  std::vector<int32_t>* Outputs();

  Model model_;
  int current_ = 0;
};

// Per-tensor quantization {scale, zero_point}.
Quantization PerTensor(float scale, int64_t zero_point);
// Per-channel symmetric quantization along `dimension`.
Quantization PerChannel(std::vector<float> scales, int32_t dimension);

}  // namespace qlite
