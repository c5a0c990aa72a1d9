#include "core/tensor.h"

#include "core/dynamic_tensors.h"
#include "core/kernel_api.h"

namespace qlite {

int64_t ShapeElementCount(const Shape& shape) {
  int64_t count = 1;
  for (int32_t d : shape) {
    if (d < 0) return -1;
    count *= d;
    if (count > (int64_t{1} << 31)) return -1;
  }
  return count;
}

std::string ShapeToString(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

Status TensorByteSize(DType type, const Shape& shape, size_t* bytes) {
  constexpr int64_t kMaxTensorBytes = int64_t{1} << 30;  // 1 GiB: well past any model qlite runs
  const size_t element_size = DTypeSize(type);
  QLITE_ENSURE(element_size > 0, "dtype ", DTypeName(type), " is not supported");
  QLITE_ENSURE(shape.size() <= 8, "rank ", shape.size(), " is larger than 8");
  const int64_t count = ShapeElementCount(shape);
  QLITE_ENSURE(count >= 0 && count * static_cast<int64_t>(element_size) <= kMaxTensorBytes,
               "shape ", ShapeToString(shape), " is invalid or larger than 1 GiB");
  *bytes = static_cast<size_t>(count) * element_size;
  return Status::Ok();
}

Status OpContext::SetOutputShape(int i, Shape shape) {
  Tensor* out = output(i);
  QLITE_ENSURE(out != nullptr, "output ", i, " is missing");
  QLITE_ENSURE(!out->is_constant(), "output tensor '", out->name(), "' is a constant");
  size_t bytes = 0;
  const Status s = TensorByteSize(out->type, shape, &bytes);
  if (!s.ok()) return s.WithContext(StrCat("output tensor '", out->name(), "': "));
  QLITE_ENSURE(bytes <= max_tensor_bytes(), "output tensor '", out->name(), "' needs ", bytes,
               " bytes, more than max_tensor_bytes (", max_tensor_bytes(), ")");
  out->shape = std::move(shape);
  out->bytes = bytes;
  out->storage = Tensor::Storage::kArena;  // the planner gives it memory
  return Status::Ok();
}

Status OpContext::MarkOutputDynamic(int i) {
  Tensor* out = output(i);
  QLITE_ENSURE(out != nullptr, "output ", i, " is missing");
  QLITE_ENSURE(!out->is_constant(), "output tensor '", out->name(), "' is a constant");
  out->shape.clear();
  out->bytes = 0;
  out->data = nullptr;
  out->storage = Tensor::Storage::kDynamic;
  return Status::Ok();
}

Status OpContext::ResizeOutput(int i, Shape shape) {
  Tensor* out = output(i);
  QLITE_ENSURE(out != nullptr, "output ", i, " is missing");
  QLITE_ENSURE(out->is_dynamic() && dynamic_ != nullptr, "output tensor '", out->name(),
               "' is not dynamic: its shape was fixed at prepare");
  return dynamic_->Resize(out, std::move(shape));
}

Status OpContext::RequestScratch(size_t bytes, int* scratch_index) {
  QLITE_ENSURE(bytes <= (size_t{1} << 30), "scratch request of ", bytes, " bytes is too large");
  ScratchBuffer buffer;
  buffer.bytes = bytes;
  buffer.node = node_->index;
  scratch_->push_back(buffer);
  node_->scratch_ids.push_back(static_cast<int>(scratch_->size()) - 1);
  *scratch_index = static_cast<int>(node_->scratch_ids.size()) - 1;
  return Status::Ok();
}

}  // namespace qlite
