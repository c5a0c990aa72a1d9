// ADD, SUB and MUL on int32 and int64 tensors (TFLite's plain integer
// kernels, used for shape arithmetic): the result wrapped to the type (the
// arithmetic is done unsigned so that overflow is defined, with the bits
// TFLite's wrapping int math gives) and clamped to the fused activation's
// integer range.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/kernels/broadcast.h"
#include "core/op_options.h"
#include "core/status.h"
#include "core/tensor.h"

namespace qlite {

enum class IntOp { kAdd, kSub, kMul };

struct IntActivationRange {
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
};

inline bool IsPlainIntegerType(DType type) {
  return type == DType::kInt32 || type == DType::kInt64;
}

// TFLite's CalculateActivationRange for integer types.
inline Status IntegerActivationRange(Activation activation, IntActivationRange* range) {
  *range = IntActivationRange{};
  switch (activation) {
    case Activation::kNone: return Status::Ok();
    case Activation::kRelu: range->lo = 0; return Status::Ok();
    case Activation::kRelu6: range->lo = 0, range->hi = 6; return Status::Ok();
    case Activation::kReluN1To1: range->lo = -1, range->hi = 1; return Status::Ok();
    default:
      return Status::Error(
          StrCat("fused activation ", ActivationName(activation), " is not supported"));
  }
}

template <typename T>
void EvalPlainInteger(IntOp op, const BroadcastShape& broadcast, const IntActivationRange& range,
                      const Tensor& in1, const Tensor& in2, Tensor& out) {
  using U = std::make_unsigned_t<T>;
  const T lo = static_cast<T>(std::max<int64_t>(range.lo, std::numeric_limits<T>::min()));
  const T hi = static_cast<T>(std::min<int64_t>(range.hi, std::numeric_limits<T>::max()));
  ForEachBroadcast(broadcast, in1.data_as<T>(), in2.data_as<T>(), out.data_as<T>(),
                   [op, lo, hi](T a, T b) {
                     const U x = static_cast<U>(a), y = static_cast<U>(b);
                     const U r = op == IntOp::kAdd   ? static_cast<U>(x + y)
                                 : op == IntOp::kSub ? static_cast<U>(x - y)
                                                     : static_cast<U>(x * y);
                     return std::min(std::max(static_cast<T>(r), lo), hi);
                   });
}

inline void EvalPlainInteger(IntOp op, const BroadcastShape& broadcast,
                             const IntActivationRange& range, const Tensor& in1, const Tensor& in2,
                             Tensor& out) {
  if (in1.type == DType::kInt64) {
    EvalPlainInteger<int64_t>(op, broadcast, range, in1, in2, out);
  } else {
    EvalPlainInteger<int32_t>(op, broadcast, range, in1, in2, out);
  }
}

}  // namespace qlite
