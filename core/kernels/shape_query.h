// SHAPE's options (tests and the cross-runtime models build them).
#pragma once

#include <cstdint>

#include "core/types.h"

namespace qlite {

struct ShapeOptions {
  // The output dtype as TFLite's TensorType value (DType's value): int32 or
  // int64. The schema's default, float32, is rejected, as TFLite does.
  uint8_t out_type = static_cast<uint8_t>(DType::kFloat32);
};

}  // namespace qlite
