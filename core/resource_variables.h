// Resource variables (VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE) and the
// CALL_ONCE record of one interpreter, shared by the child interpreters that
// run its other subgraphs (core/subgraph.h), as TFLite shares one resource map
// among a model's subgraphs. A resource tensor holds an int32 id; ids are
// handed out by VAR_HANDLE in order, one per (container, shared_name).
// Header-only: the interpreter (qlite.wasm) only creates and resets it, the
// kernels (qlite-ops.wasm) use the rest.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace qlite {

struct ResourceVariable {
  std::string container;
  std::string shared_name;
  bool assigned = false;  // the first assignment fixes dtype and shape
  DType type = DType::kFloat32;
  Shape shape;
  std::vector<uint8_t> value;
};

class ResourceVariables {
 public:
  // The id of the variable named (container, shared_name), made on first use.
  int32_t IdFor(const std::string& container, const std::string& shared_name) {
    const auto found = ids_.find({container, shared_name});
    if (found != ids_.end()) return found->second;
    const auto id = static_cast<int32_t>(variables_.size());
    ids_.emplace(std::make_pair(container, shared_name), id);
    ResourceVariable variable;
    variable.container = container;
    variable.shared_name = shared_name;
    variables_.push_back(std::move(variable));
    return id;
  }
  // nullptr for an id no VAR_HANDLE handed out (a resource tensor's bytes
  // can come from anywhere in a hostile model).
  ResourceVariable* Find(int32_t id) {
    if (id < 0 || static_cast<size_t>(id) >= variables_.size()) return nullptr;
    return &variables_[id];
  }
  size_t size() const { return variables_.size(); }

  // CALL_ONCE: whether init subgraph `index` has run since the last Reset.
  bool initialized(int index) const {
    return std::find(initialized_.begin(), initialized_.end(), index) != initialized_.end();
  }
  void MarkInitialized(int index) {
    if (!initialized(index)) initialized_.push_back(index);
  }

  // Every variable back to unassigned (ids stay) and every CALL_ONCE to run
  // again on the next Invoke.
  void Reset() {
    for (ResourceVariable& v : variables_) {
      v.assigned = false;
      v.shape.clear();
      v.value.clear();
    }
    initialized_.clear();
  }

 private:
  std::map<std::pair<std::string, std::string>, int32_t> ids_;
  std::vector<ResourceVariable> variables_;  // by id
  std::vector<int> initialized_;
};

}  // namespace qlite
