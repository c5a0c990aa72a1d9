#include "core/subgraph.h"

#include <cstring>

namespace qlite {

namespace {

std::string PathString(const std::vector<int>& path) {
  std::string s;
  for (size_t i = 0; i < path.size(); ++i) s += (i ? " -> " : "") + std::to_string(path[i]);
  return s;
}

}  // namespace

Status CreateSubgraphInterpreter(const Interpreter& parent, int index,
                                 const std::vector<const Tensor*>& inputs,
                                 std::unique_ptr<Interpreter>* out) {
  out->reset();
  const SubgraphScope* scope = parent.subgraph_scope_.get();
  auto child_scope = std::make_shared<SubgraphScope>();
  child_scope->file_model = scope ? scope->file_model : parent.model_;
  child_scope->path = scope ? scope->path : std::vector<int>{0};
  child_scope->interpreters_created =
      scope ? scope->interpreters_created : std::make_shared<int>(0);
  const Model& file_model = *child_scope->file_model;
  QLITE_ENSURE(index >= 0 && index < file_model.num_subgraphs(), "subgraph index ", index,
               " is out of range (the model has ", file_model.num_subgraphs(), " subgraphs)");
  for (int running : child_scope->path) {
    QLITE_ENSURE(running != index, "subgraph ", index, " runs itself (subgraphs ",
                 PathString(child_scope->path), " -> ", index,
                 "): recursive subgraphs are not supported");
  }
  QLITE_ENSURE(static_cast<int>(child_scope->path.size()) < kMaxSubgraphNesting,
               "subgraphs nest more than ", kMaxSubgraphNesting, " deep (",
               PathString(child_scope->path), " -> ", index, ")");
  QLITE_ENSURE(++*child_scope->interpreters_created <= kMaxSubgraphInterpreters,
               "the model's subgraphs run one another more than ", kMaxSubgraphInterpreters,
               " times over");
  child_scope->path.push_back(index);

  auto view = std::make_shared<Model>(file_model.SubgraphView(index));
  const std::string label = StrCat("subgraph ", index, " '", view->subgraph_name, "': ");
  QLITE_ENSURE(view->inputs.size() == inputs.size(), label, "has ", view->inputs.size(),
               " inputs, the node gives it ", inputs.size());
  // As TFLite resizes a subgraph's inputs to the values it is given.
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int32_t t = view->inputs[i];
    QLITE_ENSURE(t >= 0 && t < static_cast<int>(view->tensors.size()) && inputs[i] != nullptr,
                 label, "input ", i, " is missing");
    TensorDef& def = view->tensors[t];
    QLITE_ENSURE(def.type == inputs[i]->type, label, "input ", i, " '", def.name, "' is ",
                 DTypeName(def.type), ", the node gives it ", DTypeName(inputs[i]->type));
    def.shape = inputs[i]->shape;
  }
  std::unique_ptr<Interpreter> child(new Interpreter());
  child->model_ = std::move(view);
  child->options_ = parent.options_;
  child->subgraph_scope_ = std::move(child_scope);
  child->resources_ = parent.resources_;
  child->thread_pool_ = parent.thread_pool_;
  const Status s = child->Build();
  if (!s.ok()) return s.WithContext(label);
  *out = std::move(child);
  return Status::Ok();
}

std::string SubgraphLabel(const Interpreter& child) {
  const SubgraphScope* scope = child.subgraph_scope();
  const int index = scope ? scope->path.back() : 0;
  return StrCat("subgraph ", index, " '", child.model().subgraph_name, "'");
}

Status CopyTensorValue(const Tensor& from, Tensor* to) {
  QLITE_ENSURE(from.type == to->type && from.bytes == to->bytes, "cannot copy '", from.name(),
               "' (", DTypeName(from.type), " ", ShapeToString(from.shape), ") into '", to->name(),
               "' (", DTypeName(to->type), " ", ShapeToString(to->shape), ")");
  if (from.bytes > 0 && from.data != to->data) std::memmove(to->data, from.data, from.bytes);
  return Status::Ok();
}

}  // namespace qlite
