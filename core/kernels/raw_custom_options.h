// MediaPipe's custom ops (Convolution2DTransposeBias, MaxPoolingWithArgmax2D,
// MaxUnpooling2D) keep their options as a raw TFLite C struct
// (TfLiteTransposeConvParams, TfLitePoolParams) in custom_options, not as a
// flexbuffer: int32 fields, little-endian, read here with a size check.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/model.h"
#include "core/op_options.h"
#include "core/status.h"

namespace qlite {

// The first `count` int32 fields of the struct.
inline Status ReadRawOptionFields(const OperatorDef& op, int count, int32_t* fields) {
  const size_t needed = static_cast<size_t>(count) * 4;
  QLITE_ENSURE(op.custom_options.size() >= needed, op.custom_code, " needs ", needed,
               " bytes of custom options (its TFLite params struct), the model has ",
               op.custom_options.size());
  const uint8_t* p = op.custom_options.data();
  for (int i = 0; i < count; ++i, p += 4) {
    fields[i] = static_cast<int32_t>(uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
                                     uint32_t{p[3]} << 24);
  }
  return Status::Ok();
}

// TfLitePadding: 1 = SAME, 2 = VALID (0 = unknown).
inline Status RawPadding(const OperatorDef& op, int32_t value, Padding* padding) {
  QLITE_ENSURE(value == 1 || value == 2, op.custom_code, " has padding ", value,
               " in its options (1 = SAME, 2 = VALID)");
  *padding = value == 1 ? Padding::kSame : Padding::kValid;
  return Status::Ok();
}

}  // namespace qlite
