// Runs a small Model built in a test and returns its outputs as bytes.
#pragma once

#include <cstring>
#include <vector>

#include "core/interpreter.h"
#include "core/model_builder.h"

namespace qlite::testing {

struct RunResult {
  Status status;                              // first error of create/set/invoke
  std::vector<std::vector<uint8_t>> outputs;  // raw bytes per model output
  std::vector<Shape> shapes;                  // shape per model output
  size_t arena_bytes = 0;
};

RunResult RunModel(const Model& model, const std::vector<std::vector<uint8_t>>& inputs,
                   KernelSet kernels = KernelSet::kReference);
RunResult RunModel(const Model& model, const std::vector<std::vector<uint8_t>>& inputs,
                   const InterpreterOptions& options);

template <typename T>
std::vector<uint8_t> ToBytes(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

template <typename T>
std::vector<T> FromBytes(const std::vector<uint8_t>& bytes) {
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

}  // namespace qlite::testing
