// Tensors whose shape is known only when the graph runs, as TFLite's
// kTfLiteDynamic tensors: an output whose shape needs input values that are
// not constant (RESHAPE to a computed shape, WHERE), and every output of a
// node that reads such a tensor. They live outside the planned arena, each
// in a heap block of its own that is kept from one Invoke to the next and
// grown only when a run needs more. Nodes that read a dynamic tensor are
// prepared again before each of their evals, with the shapes of that run.
// A model without dynamic tensors never creates this (no cost per node).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/kernel_api.h"
#include "core/op_table.h"
#include "core/status.h"
#include "core/tensor.h"

namespace qlite {

class DynamicTensors {
 public:
  DynamicTensors(size_t num_tensors, size_t num_nodes);

  // Bytes the dynamic blocks may take in all (max_tensor_bytes less the
  // arena, folded constants and variables).
  void set_budget(size_t bytes) { budget_ = bytes; }
  size_t allocated_bytes() const { return allocated_; }

  // `node` reads a dynamic tensor: it is prepared at invoke time, and its
  // outputs are dynamic (shapeless until then).
  void Defer(Node* node, std::vector<Tensor>* tensors);
  bool deferred(int node) const { return deferred_[node]; }
  // The scratch list a deferred node's OpContext uses.
  std::vector<ScratchBuffer>* scratch(int node) { return &scratch_[node]; }

  // Gives dynamic tensor `t` the shape `shape` and memory for it.
  Status Resize(Tensor* t, Shape shape);

  // Prepares a deferred node with this run's input shapes, then gives its
  // outputs whose shape prepare set, and its scratch, their memory.
  // `interpreter`: the one the node belongs to (see OpContext).
  Status PrepareNode(Node* node, std::vector<Tensor>* tensors, KernelSet kernels,
                     const Interpreter* interpreter);

 private:
  struct Block {
    std::vector<uint8_t> storage;
    uint8_t* data = nullptr;  // storage's first 16-byte aligned address
    size_t capacity = 0;
  };
  Status Reserve(Block* block, size_t bytes, const std::string& what);

  std::vector<Block> tensor_memory_;                // by tensor index
  std::vector<std::vector<Block>> scratch_memory_;  // by node index
  std::vector<std::vector<ScratchBuffer>> scratch_;
  std::vector<bool> deferred_;
  size_t budget_ = 0;
  size_t allocated_ = 0;
};

}  // namespace qlite
