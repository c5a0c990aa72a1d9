#include "core/dynamic_tensors.h"

#include <algorithm>

namespace qlite {

namespace {
constexpr size_t kAlignment = 16;
}  // namespace

DynamicTensors::DynamicTensors(size_t num_tensors, size_t num_nodes)
    : tensor_memory_(num_tensors),
      scratch_memory_(num_nodes),
      scratch_(num_nodes),
      deferred_(num_nodes, false) {}

void DynamicTensors::Defer(Node* node, std::vector<Tensor>* tensors) {
  deferred_[node->index] = true;
  for (int32_t t : node->def->outputs) {
    Tensor& out = (*tensors)[t];
    out.shape.clear();
    out.bytes = 0;
    out.data = nullptr;
    out.storage = Tensor::Storage::kDynamic;
  }
}

Status DynamicTensors::Reserve(Block* block, size_t bytes, const std::string& what) {
  if (bytes <= block->capacity && block->data != nullptr) return Status::Ok();
  const size_t others = allocated_ - block->capacity;
  QLITE_ENSURE(others <= budget_ && bytes <= budget_ - others, what, " needs ", bytes,
               " bytes at run time, which takes the tensor memory past max_tensor_bytes (", others,
               " bytes of dynamic tensors are in use, ", budget_, " are left beside the arena)");
  // Grown blocks take some headroom, so that sizes that creep up from run
  // to run do not reallocate every time.
  const size_t capacity =
      std::min(budget_ - others, std::max(bytes, block->capacity + block->capacity / 2));
  block->storage.clear();
  block->storage.shrink_to_fit();
  block->storage.resize(std::max<size_t>(capacity, 1) + kAlignment);
  uint8_t* p = block->storage.data();
  block->data = p + (kAlignment - reinterpret_cast<uintptr_t>(p) % kAlignment) % kAlignment;
  block->capacity = capacity;
  allocated_ = others + capacity;
  return Status::Ok();
}

Status DynamicTensors::Resize(Tensor* t, Shape shape) {
  size_t bytes = 0;
  const Status s = TensorByteSize(t->type, shape, &bytes);
  if (!s.ok()) return s.WithContext(StrCat("dynamic tensor '", t->name(), "': "));
  Block& block = tensor_memory_[t->index];
  QLITE_RETURN_IF_ERROR(Reserve(
      &block, bytes, StrCat("dynamic tensor '", t->name(), "' (", ShapeToString(shape), ")")));
  t->shape = std::move(shape);
  t->bytes = bytes;
  t->data = block.data;
  return Status::Ok();
}

Status DynamicTensors::PrepareNode(Node* node, std::vector<Tensor>* tensors, KernelSet kernels,
                                   const Interpreter* interpreter) {
  for (int32_t t : node->def->outputs) (*tensors)[t].storage = Tensor::Storage::kNone;
  std::vector<ScratchBuffer>& scratch = scratch_[node->index];
  scratch.clear();
  node->scratch_ids.clear();
  node->kernel = FindKernel(*node->def, kernels);
  OpContext ctx(tensors, &scratch, node, interpreter, this);
  if (node->kernel->accepts != nullptr && !node->kernel->accepts(ctx)) {
    node->kernel = FindKernel(*node->def, KernelSet::kReference);
  }
  QLITE_RETURN_IF_ERROR(node->kernel->prepare(ctx));
  for (int32_t t : node->def->outputs) {
    Tensor& out = (*tensors)[t];
    QLITE_ENSURE(out.storage != Tensor::Storage::kNone, "kernel did not set the shape of output '",
                 out.name(), "'");
    if (out.storage == Tensor::Storage::kArena) {
      out.storage = Tensor::Storage::kDynamic;
      QLITE_RETURN_IF_ERROR(Resize(&out, out.shape));
    }
  }
  std::vector<Block>& memory = scratch_memory_[node->index];
  if (memory.size() < scratch.size()) memory.resize(scratch.size());
  for (size_t i = 0; i < scratch.size(); ++i) {
    QLITE_RETURN_IF_ERROR(Reserve(&memory[i], scratch[i].bytes, "scratch memory"));
    scratch[i].data = memory[i].data;
  }
  return Status::Ok();
}

}  // namespace qlite
