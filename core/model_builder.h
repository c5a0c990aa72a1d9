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

  void SetInputs(std::vector<int32_t> inputs) { model_.inputs = std::move(inputs); }
  void SetOutputs(std::vector<int32_t> outputs) { model_.outputs = std::move(outputs); }

  Model& model() { return model_; }
  Model Build() const { return model_; }

 private:
  Model model_;
};

// Per-tensor quantization {scale, zero_point}.
Quantization PerTensor(float scale, int64_t zero_point);
// Per-channel symmetric quantization along `dimension`.
Quantization PerChannel(std::vector<float> scales, int32_t dimension);

}  // namespace qlite
