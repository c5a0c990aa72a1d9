// Running one of the model's other subgraphs from a node (CALL, IF, WHILE,
// STABLEHLO_COMPOSITE):
// the node's kernel creates, at prepare, a child Interpreter whose model is a
// view of that subgraph (Model::SubgraphView, sharing the buffers), prepared
// for the node's input shapes; at eval it copies values in, invokes the child
// and copies values out. Nesting is bounded and recursion is refused at
// prepare, so a hostile model cannot exhaust the stack. This file is part
// of the op module (qlite-ops.wasm) with the kernels that use it;
// CalledSubgraphs (core/model_check.h) checks subgraph indices at load.
#pragma once

#include <memory>
#include <vector>

#include "core/interpreter.h"

namespace qlite {

// Deepest chain of subgraphs running one another (main -> 1 -> 2 ... ).
inline constexpr int kMaxSubgraphNesting = 32;
// Most child interpreters one node of the main subgraph may create, counting
// those nested inside them (subgraphs that each run the next one twice would
// otherwise make 2^depth of them).
inline constexpr int kMaxSubgraphInterpreters = 4096;

// Where a child interpreter sits: the model read from the file (all of its
// subgraphs) and the subgraph indices from the main one to the child's own.
struct SubgraphScope {
  std::shared_ptr<const Model> file_model;
  std::vector<int> path;
  std::shared_ptr<int> interpreters_created;  // shared along one main-subgraph node's tree
};

// A child interpreter for subgraph `index` of `parent`'s model, with its
// inputs given `inputs`' dtypes (which must match) and shapes. Named errors
// for an index out of range, recursion, too deep nesting or a subgraph that
// cannot be prepared.
Status CreateSubgraphInterpreter(const Interpreter& parent, int index,
                                 const std::vector<const Tensor*>& inputs,
                                 std::unique_ptr<Interpreter>* out);

// "subgraph 2 'body'", for messages.
std::string SubgraphLabel(const Interpreter& child);

// Copies one tensor's value into another of the same dtype and byte size.
Status CopyTensorValue(const Tensor& from, Tensor* to);

}  // namespace qlite
