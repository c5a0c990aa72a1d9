#include "core/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "core/dynamic_tensors.h"
#include "core/model_check.h"
#include "core/planner.h"
#include "core/resource_variables.h"
#include "core/sparsity.h"

namespace qlite {

namespace {
constexpr size_t kArenaAlignment = 16;

// The first kArenaAlignment-aligned address at or after `p`.
uint8_t* AlignUp(uint8_t* p) {
  return p + (kArenaAlignment - reinterpret_cast<uintptr_t>(p) % kArenaAlignment) % kArenaAlignment;
}

std::string NodeLabel(const Node& node) {
  return StrCat("node ", node.index, " (", BuiltinOpName(node.def->op), "): ");
}

// Which kernel-set name to report for an op that has no kernel at all.
std::string UnsupportedOpMessage(const OperatorDef& op, int index) {
  if (op.op == BuiltinOp::kCustom) {
    return StrCat("node ", index, ": custom operator '", op.custom_code, "' is not supported");
  }
  return StrCat("node ", index, ": operator ", BuiltinOpName(op.op), " (builtin code ",
                static_cast<int32_t>(op.op), ", version ", op.version,
                ") is not supported by qlite");
}
}  // namespace

Arithmetic OpContext::arithmetic() const {
  return interpreter_ != nullptr ? interpreter_->options().arithmetic : Arithmetic::kTflite;
}

size_t OpContext::max_tensor_bytes() const {
  return interpreter_ != nullptr ? interpreter_->options().max_tensor_bytes : SIZE_MAX;
}

int OpContext::threads() const {
  if (interpreter_ == nullptr || interpreter_->thread_pool() == nullptr) return 1;
  // A shared pool may be larger than this interpreter's share of it.
  return std::max(
      1, std::min(interpreter_->options().threads, interpreter_->thread_pool()->threads()));
}

#if !QLITE_NO_THREADS
void OpContext::ParallelFor(int64_t items, int64_t work_per_item, const RangeFn& fn) const {
  const int tasks = TasksFor(threads(), items, work_per_item);
  if (tasks <= 1) {
    if (items > 0) fn(0, items, 0);
    return;
  }
  interpreter_->thread_pool()->ParallelFor(items, tasks, fn);
}
#endif

Interpreter::Interpreter() = default;
Interpreter::~Interpreter() = default;

Status Interpreter::Create(std::shared_ptr<const Model> model, const InterpreterOptions& options,
                           std::unique_ptr<Interpreter>* out) {
  out->reset();
  QLITE_ENSURE(model != nullptr, "no model");
  QLITE_ENSURE(options.kernels != KernelSet::kSimd || HasKernelOverrides(),
               "SIMD kernels were asked for, but none are registered (link qlite_simd and call "
               "qlite::RegisterSimdKernels() once)");
  std::unique_ptr<Interpreter> interpreter(new Interpreter());
  interpreter->model_ = std::move(model);
  interpreter->options_ = options;
  interpreter->thread_pool_ = options.thread_pool != nullptr
                                  ? options.thread_pool
                                  : std::make_shared<ThreadPool>(options.threads);
  QLITE_RETURN_IF_ERROR(interpreter->Build());
  *out = std::move(interpreter);
  return Status::Ok();
}

Status Interpreter::Create(const Model& model, const InterpreterOptions& options,
                           std::unique_ptr<Interpreter>* out) {
  return Create(std::make_shared<const Model>(model), options, out);
}

Status Interpreter::ResizeInput(int i, const std::vector<int32_t>& shape) {
  QLITE_ENSURE(i >= 0 && i < num_inputs(), "input ", i, " does not exist: the model has ",
               num_inputs(), " inputs");
  const int t = model_->inputs[i];
  if (shape == tensors_[t].shape) return Status::Ok();
  // The model is shared (constant data included); only the input's shape
  // differs, and preparing a fresh interpreter on it is exactly what a
  // model with that input shape gets.
  auto resized = std::make_shared<Model>(*model_);
  resized->tensors[t].shape = shape;
  std::unique_ptr<Interpreter> fresh;
  const Status s = Create(std::move(resized), options_, &fresh);
  if (!s.ok()) {
    return s.WithContext(StrCat("resizing input ", i, " '", tensors_[t].name(), "' to ",
                                ShapeToString(shape), ": "));
  }
  // Tensors and nodes point into the model and the arena by address; moving
  // the vectors and the model's shared_ptr keeps every one of those valid.
  *this = std::move(*fresh);
  return Status::Ok();
}

Interpreter& Interpreter::operator=(Interpreter&&) = default;

Status Interpreter::BindConstant(Tensor* tensor, const Buffer& buffer) {
  // Kernels read constants through typed pointers; data that is not aligned
  // for its element type (possible in hand-made files) gets an aligned copy.
  const size_t element = DTypeSize(tensor->type);
  const uint8_t* data = buffer.data;
  if (element > 1 && reinterpret_cast<uintptr_t>(data) % element != 0) {
    owned_constants_.emplace_back(buffer.data, buffer.data + buffer.size);
    data = owned_constants_.back().data();
  }
  // Kernels never write constants; the const_cast only lets Tensor keep one
  // pointer type for all storage kinds.
  tensor->data = const_cast<uint8_t*>(data);
  tensor->bytes = buffer.size;
  tensor->storage = Tensor::Storage::kConstant;
  return Status::Ok();
}

// Variables get memory of their own: the arena's blocks are reused by other
// tensors between invocations, a variable's value must survive them.
Status Interpreter::BindVariable(Tensor* tensor) {
  QLITE_RETURN_IF_ERROR(TensorByteSize(tensor->type, tensor->shape, &tensor->bytes));
  variable_bytes_ += tensor->bytes;
  QLITE_ENSURE(variable_bytes_ <= options_.max_tensor_bytes, "variable tensor '", tensor->name(),
               "' takes the tensor memory past max_tensor_bytes (", options_.max_tensor_bytes, ")");
  variable_storage_.emplace_back(tensor->bytes);
  tensor->data = variable_storage_.back().data();
  tensor->storage = Tensor::Storage::kVariable;
  return Status::Ok();
}

Status Interpreter::ResetVariables() {
  ResetVariableTensors();
  if (resources_ != nullptr) resources_->Reset();
  return Status::Ok();
}

// Only this interpreter's variable tensors: a child interpreter made while a
// model runs (a node prepared again for new shapes) must leave the shared
// resource variables alone.
void Interpreter::ResetVariableTensors() {
  for (Tensor& tensor : tensors_) {
    if (!tensor.is_variable() || tensor.bytes == 0) continue;
    const Buffer& initial = model_->constant_data(tensor.index);
    if (initial.size == tensor.bytes) {
      std::memcpy(tensor.data, initial.data, tensor.bytes);
    } else {
      const bool int8_zero_point = tensor.type == DType::kInt8 && tensor.has_quant();
      std::memset(tensor.data, int8_zero_point ? tensor.zero_point() : 0, tensor.bytes);
    }
  }
}

// Sparse constants are densified once, here, as TFLite's DENSIFY does on its
// first run: kernels (and DENSIFY itself) then read plain dense data.
Status Interpreter::BindSparseConstant(Tensor* tensor, const Buffer& buffer) {
  size_t bytes = 0;
  QLITE_RETURN_IF_ERROR(TensorByteSize(tensor->type, tensor->shape, &bytes));
  folded_bytes_ += bytes;
  QLITE_ENSURE(folded_bytes_ <= options_.max_tensor_bytes, "densifying sparse constant '",
               tensor->name(), "' takes the tensor memory past max_tensor_bytes (",
               options_.max_tensor_bytes, ")");
  std::vector<uint8_t> dense;
  const Status s = DensifyConstant(*tensor->def, buffer.data, buffer.size, &dense);
  if (!s.ok()) return s.WithContext(StrCat("sparse constant '", tensor->name(), "': "));
  owned_constants_.push_back(std::move(dense));
  Buffer owned;
  owned.data = owned_constants_.back().data();
  owned.size = owned_constants_.back().size();
  return BindConstant(tensor, owned);
}

Status Interpreter::Build() {
  const Model& model = *model_;
  // A subgraph's interpreter runs a view of a model checked whole already.
  if (subgraph_scope_ == nullptr) QLITE_RETURN_IF_ERROR(CheckModel(model));
  if (resources_ == nullptr) resources_ = std::make_shared<ResourceVariables>();

  tensors_.resize(model.tensors.size());
  for (size_t t = 0; t < model.tensors.size(); ++t) {
    Tensor& tensor = tensors_[t];
    tensor.index = static_cast<int>(t);
    tensor.def = &model.tensors[t];
    tensor.type = tensor.def->type;
    tensor.shape = tensor.def->shape;
    if (!tensor.def->sparsity.empty()) {
      QLITE_RETURN_IF_ERROR(BindSparseConstant(&tensor, model.constant_data(static_cast<int>(t))));
    } else if (model.is_constant(static_cast<int>(t))) {
      QLITE_RETURN_IF_ERROR(BindConstant(&tensor, model.constant_data(static_cast<int>(t))));
    } else if (tensor.def->is_variable) {
      const Status s = BindVariable(&tensor);
      if (!s.ok()) return s.WithContext(StrCat("tensor ", t, " '", tensor.name(), "': "));
    }
  }
  ResetVariableTensors();
  for (int i = 0; i < num_inputs(); ++i) {
    Tensor& in = tensors_[model.inputs[i]];
    for (int32_t d : in.shape) {
      QLITE_ENSURE(d >= 1, "model input ", i, " '", in.name(), "' has shape ",
                   ShapeToString(in.shape), " with an empty dimension");
    }
    const Status s = TensorByteSize(in.type, in.shape, &in.bytes);
    if (!s.ok()) return s.WithContext(StrCat("model input ", i, " '", in.name(), "': "));
    in.storage = Tensor::Storage::kArena;
  }

  nodes_.resize(model.operators.size());
  for (size_t n = 0; n < nodes_.size(); ++n) {
    Node& node = nodes_[n];
    node.index = static_cast<int>(n);
    node.def = &model.operators[n];
    node.kernel = FindKernel(*node.def, options_.kernels);
    if (node.kernel == nullptr) return Status::Error(UnsupportedOpMessage(*node.def, node.index));
  }
  for (Node& node : nodes_) {
    if (ReadsDynamicTensor(node)) {
      dynamic_->Defer(&node, &tensors_);  // prepared at each Invoke
      continue;
    }
    for (int32_t t : node.def->outputs) tensors_[t].storage = Tensor::Storage::kNone;
    OpContext ctx(&tensors_, &scratch_, &node, this);
    if (node.kernel->accepts != nullptr && !node.kernel->accepts(ctx)) {
      node.kernel = FindKernel(*node.def, KernelSet::kReference);
    }
    Status s = node.kernel->prepare(ctx);
    if (!s.ok()) return s.WithContext(NodeLabel(node));
    bool writes_dynamic = false;
    for (int32_t t : node.def->outputs) {
      QLITE_ENSURE(tensors_[t].storage != Tensor::Storage::kNone, NodeLabel(node),
                   "kernel did not set the shape of output '", tensors_[t].name(), "'");
      writes_dynamic |= tensors_[t].is_dynamic();
    }
    if (writes_dynamic && dynamic_ == nullptr) {
      dynamic_ = std::make_unique<DynamicTensors>(tensors_.size(), nodes_.size());
    }
    if (!writes_dynamic && FindOpRow(*node.def)->foldable && AllInputsConstant(node)) {
      s = FoldNode(&node);
      if (!s.ok()) return s.WithContext(NodeLabel(node));
    }
  }
  for (int i = 0; i < num_outputs(); ++i) {
    const Tensor& out = tensors_[model.outputs[i]];
    QLITE_ENSURE(out.storage != Tensor::Storage::kNone, "model output ", i, " '", out.name(),
                 "' is never computed");
  }
  if (options_.fuse_nodes) FuseNodes();
  QLITE_RETURN_IF_ERROR(PlanArena());
  if (dynamic_ != nullptr) {
    dynamic_->set_budget(options_.max_tensor_bytes - arena_bytes_ - folded_bytes_ -
                         variable_bytes_);
  }
  node_us_.assign(nodes_.size(), 0.0);
  return Status::Ok();
}

namespace {
// What a folded node runs: its outputs were computed at prepare.
const KernelRegistration* FoldedAtPrepareKernel() {
  static const KernelRegistration registration = {"folded_at_prepare", nullptr,
                                                  [](OpContext&) { return Status::Ok(); }};
  return &registration;
}
}  // namespace

bool Interpreter::ReadsDynamicTensor(const Node& node) const {
  if (dynamic_ == nullptr) return false;
  for (int32_t t : node.def->inputs) {
    if (t >= 0 && tensors_[t].is_dynamic()) return true;
  }
  return false;
}

bool Interpreter::AllInputsConstant(const Node& node) const {
  int inputs = 0;
  for (int32_t t : node.def->inputs) {
    if (t < 0) continue;
    if (!tensors_[t].is_constant()) return false;
    ++inputs;
  }
  return inputs > 0;
}

// Runs a node whose inputs are all constant once, now, into memory the
// interpreter owns: its outputs become constants for the nodes after it
// (which may pack them as weights), and it never runs again.
Status Interpreter::FoldNode(Node* node) {
  for (int32_t t : node->def->outputs) {
    Tensor& out = tensors_[t];
    folded_bytes_ += out.bytes;
    QLITE_ENSURE(folded_bytes_ + variable_bytes_ <= options_.max_tensor_bytes, "folding constant '",
                 out.name(), "' takes the tensor memory past max_tensor_bytes (",
                 options_.max_tensor_bytes, ")");
    owned_constants_.emplace_back(out.bytes, 0);
    out.data = owned_constants_.back().data();
    out.storage = Tensor::Storage::kConstant;
  }
  std::vector<std::vector<uint8_t>> scratch_memory;
  for (int id : node->scratch_ids) {
    scratch_memory.emplace_back(scratch_[id].bytes + kArenaAlignment);
    scratch_[id].data = AlignUp(scratch_memory.back().data());
  }
  OpContext ctx(&tensors_, &scratch_, node, this);
  QLITE_RETURN_IF_ERROR(node->kernel->eval(ctx));
  for (int id : node->scratch_ids) scratch_[id] = ScratchBuffer{0, node->index, nullptr};
  node->kernel = FoldedAtPrepareKernel();
  return Status::Ok();
}

namespace {
// What a fused-away node runs: its outputs were written by the node before.
const KernelRegistration* FusedIntoPreviousKernel() {
  static const KernelRegistration registration = {"fused_into_previous_node", nullptr,
                                                  [](OpContext&) { return Status::Ok(); }};
  return &registration;
}
}  // namespace

void Interpreter::FuseNodes() {
  const Model& model = *model_;
  std::vector<int> readers(tensors_.size(), 0);
  for (const Node& node : nodes_) {
    for (int32_t t : node.def->inputs) {
      if (t >= 0) ++readers[t];
    }
  }
  for (int32_t t : model.outputs) ++readers[t];
  for (size_t n = 0; n + 1 < nodes_.size(); ++n) {
    Node& node = nodes_[n];
    Node& next = nodes_[n + 1];
    if (node.kernel->fuse_next == nullptr || node.fused_into >= 0) continue;
    if (dynamic_ != nullptr && (dynamic_->deferred(node.index) || dynamic_->deferred(next.index))) {
      continue;
    }
    if (node.def->outputs.size() != 1 || next.def->inputs.empty()) continue;
    const int32_t t = node.def->outputs[0];
    // `next` must read it as its first input and be its only reader.
    if (t < 0 || next.def->inputs[0] != t || readers[t] != 1) continue;
    OpContext self(&tensors_, &scratch_, &node);
    const OpContext following(&tensors_, &scratch_, &next);
    if (node.kernel->fuse_next(self, following)) {
      next.kernel = FusedIntoPreviousKernel();
      next.fused_into = node.index;
    }
  }
}

Status Interpreter::PlanArena() {
  const Model& model = *model_;
  const int last_node = std::max(0, num_nodes() - 1);
  // Lifetimes of arena tensors: from the node that writes them (or the start,
  // for inputs) to the last node that reads them (or the end, for outputs).
  std::vector<int> first(tensors_.size(), -1), last(tensors_.size(), -1);
  for (int32_t t : model.inputs) first[t] = last[t] = 0;
  for (const Node& node : nodes_) {
    for (int32_t t : node.def->inputs) {
      if (t >= 0 && tensors_[t].storage == Tensor::Storage::kArena) last[t] = node.index;
    }
    for (int32_t t : node.def->outputs) {
      // A fused-away node's outputs are written by the node it is fused into.
      first[t] = node.fused_into >= 0 ? node.fused_into : node.index;
      last[t] = std::max(last[t], node.index);
    }
  }
  for (int32_t t : model.outputs) {
    if (tensors_[t].storage == Tensor::Storage::kArena) last[t] = last_node;
  }

  std::vector<BufferLifetime> requests;
  std::vector<int> request_tensor;  // tensor index, or -(scratch index + 1)
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (tensors_[t].storage != Tensor::Storage::kArena || first[t] < 0) continue;
    requests.push_back({tensors_[t].bytes, first[t], last[t]});
    request_tensor.push_back(static_cast<int>(t));
    unplanned_bytes_ += tensors_[t].bytes;
  }
  for (size_t s = 0; s < scratch_.size(); ++s) {
    requests.push_back({scratch_[s].bytes, scratch_[s].node, scratch_[s].node});
    request_tensor.push_back(-static_cast<int>(s) - 1);
    unplanned_bytes_ += scratch_[s].bytes;
  }
  const ArenaPlan plan = qlite::PlanArena(requests, kArenaAlignment);
  const size_t owned_bytes = folded_bytes_ + variable_bytes_;
  QLITE_ENSURE(owned_bytes <= options_.max_tensor_bytes &&
                   plan.arena_bytes <= options_.max_tensor_bytes - owned_bytes,
               "the arena would need ", plan.arena_bytes, " bytes, more than max_tensor_bytes (",
               options_.max_tensor_bytes, ") leaves after ", owned_bytes,
               " bytes of folded constants and variables");
  arena_bytes_ = plan.arena_bytes;
  arena_storage_.assign(arena_bytes_ + kArenaAlignment, 0);
  uint8_t* const base = AlignUp(arena_storage_.data());
  for (size_t r = 0; r < requests.size(); ++r) {
    uint8_t* data = base + plan.offsets[r];
    if (request_tensor[r] >= 0) {
      tensors_[request_tensor[r]].data = data;
    } else {
      scratch_[-request_tensor[r] - 1].data = data;
    }
  }
  return Status::Ok();
}

Status Interpreter::SetInput(int i, const void* data, size_t bytes) {
  QLITE_ENSURE(i >= 0 && i < num_inputs(), "input index ", i, " is out of range (model has ",
               num_inputs(), " inputs)");
  Tensor* in = input(i);
  QLITE_ENSURE(bytes == in->bytes, "input ", i, " '", in->name(), "' (", DTypeName(in->type), " ",
               ShapeToString(in->shape), ") needs ", in->bytes, " bytes, got ", bytes);
  if (bytes > 0) std::memcpy(in->data, data, bytes);
  return Status::Ok();
}

Status Interpreter::Invoke() { return Invoke(nullptr); }

Status Interpreter::RunNode(OpContext& ctx, const std::function<void(int node)>& after_node) {
  using Clock = std::chrono::steady_clock;
  const bool profile = options_.profile;
  const int n = ctx.node_index();
  const auto start = profile ? Clock::now() : Clock::time_point();
  const Status s = nodes_[n].kernel->eval(ctx);
  if (profile)
    node_us_[n] = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  if (!s.ok()) return s.WithContext(NodeLabel(nodes_[n]));
  if (after_node) after_node(n);
  return Status::Ok();
}

Status Interpreter::Invoke(const std::function<void(int node)>& after_node) {
  if (dynamic_ != nullptr) return InvokeDynamic(after_node);
  for (Node& node : nodes_) {
    OpContext ctx(&tensors_, &scratch_, &node, this);
    QLITE_RETURN_IF_ERROR(RunNode(ctx, after_node));
  }
  return Status::Ok();
}

// Nodes that read a dynamic tensor are prepared again, with this run's
// shapes, just before they run; the others run as planned.
Status Interpreter::InvokeDynamic(const std::function<void(int node)>& after_node) {
  for (Node& node : nodes_) {
    std::vector<ScratchBuffer>* scratch = &scratch_;
    if (dynamic_->deferred(node.index)) {
      const Status s = dynamic_->PrepareNode(&node, &tensors_, options_.kernels, this);
      if (!s.ok()) return s.WithContext(NodeLabel(node));
      scratch = dynamic_->scratch(node.index);
    }
    OpContext ctx(&tensors_, scratch, &node, this, dynamic_.get());
    QLITE_RETURN_IF_ERROR(RunNode(ctx, after_node));
  }
  return Status::Ok();
}

}  // namespace qlite
