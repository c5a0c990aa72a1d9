// Runtime tensors: a dtype, a shape and a pointer into constant data or the
// arena. Quantization parameters are those of the model's TensorDef.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/types.h"

namespace qlite {

using Shape = std::vector<int32_t>;

// Number of elements of a shape (1 for a scalar); -1 if a dim is negative or
// the product does not fit in 2^31 elements.
int64_t ShapeElementCount(const Shape& shape);
std::string ShapeToString(const Shape& shape);

struct Tensor {
  // kVariable: the interpreter's own memory for a variable tensor, outside
  // the arena, so that its value lives from one Invoke to the next.
  // kDynamic: a shape known only at run time (see core/dynamic_tensors.h);
  // shape, bytes and data are those of the last Invoke.
  enum class Storage : uint8_t { kNone, kConstant, kArena, kVariable, kDynamic };

  int index = -1;
  const TensorDef* def = nullptr;  // name and quantization
  DType type = DType::kFloat32;
  Shape shape;
  uint8_t* data = nullptr;
  size_t bytes = 0;
  Storage storage = Storage::kNone;

  const std::string& name() const { return def->name; }
  const Quantization& quant() const { return def->quant; }
  bool is_constant() const { return storage == Storage::kConstant; }
  bool is_variable() const { return storage == Storage::kVariable; }
  bool is_dynamic() const { return storage == Storage::kDynamic; }

  int rank() const { return static_cast<int>(shape.size()); }
  int32_t dim(int i) const { return shape[i]; }
  int64_t num_elements() const { return ShapeElementCount(shape); }

  // Per-tensor quantization; check has_quant() first.
  bool has_quant() const { return !def->quant.scale.empty() && !def->quant.zero_point.empty(); }
  float scale() const { return def->quant.scale[0]; }
  int32_t zero_point() const { return static_cast<int32_t>(def->quant.zero_point[0]); }

  template <typename T>
  T* data_as() {
    return reinterpret_cast<T*>(data);
  }
  template <typename T>
  const T* data_as() const {
    return reinterpret_cast<const T*>(data);
  }
};

}  // namespace qlite
