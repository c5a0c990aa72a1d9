// BATCH_MATMUL's options (tests and the quantizer build them) and the data
// its prepare computes, shared with the SIMD kernel (kernels_wasm/batch_matmul.cc).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/kernel_api.h"
#include "core/quant_math.h"

namespace qlite {

struct BatchMatMulOptions {
  bool adj_x = false;  // lhs holds [..., depth, rows]: its last two dims are transposed
  bool adj_y = false;  // rhs holds [..., cols, depth]
  bool asymmetric_quantize_inputs = false;  // hybrid only, which qlite does not implement
};

constexpr int kBatchMatMulMaxBatchDims = 3;  // rank 5

struct BatchMatMulData : OpData {
  int32_t rows = 0, cols = 0, depth = 0;
  // Element (i, k) of an lhs matrix is at i * lhs_steps[0] + k * lhs_steps[1],
  // element (k, j) of an rhs matrix at k * rhs_steps[0] + j * rhs_steps[1].
  std::array<int64_t, 2> lhs_steps{}, rhs_steps{};
  // Output batch dims padded with leading 1s, and the element strides of
  // lhs and rhs along them (0 where broadcast).
  std::array<int32_t, kBatchMatMulMaxBatchDims> dims{};
  std::array<int64_t, kBatchMatMulMaxBatchDims> lhs_strides{}, rhs_strides{};
  int32_t lhs_offset = 0, rhs_offset = 0, output_offset = 0;
  int32_t multiplier = 0;
  int shift = 0;
  int32_t act_min = 0, act_max = 0;
  // int8 in Arithmetic::kXnnpack: XNNPACK's float32 requantization scale, or
  // 0 for TFLite's fixed-point one (the default, and where XNNPACK refuses).
  float xnnpack_scale = 0.0f;

  int64_t batches() const { return int64_t{dims[0]} * dims[1] * dims[2]; }
  // Where output matrix `b`'s lhs and rhs matrices start (in elements).
  void MatrixStarts(int64_t b, int64_t* lhs_start, int64_t* rhs_start) const {
    *lhs_start = *rhs_start = 0;
    for (int dim = kBatchMatMulMaxBatchDims - 1; dim >= 0; --dim) {
      *lhs_start += b % dims[dim] * lhs_strides[dim];
      *rhs_start += b % dims[dim] * rhs_strides[dim];
      b /= dims[dim];
    }
  }
  // int8: TFLite accumulates in int32 and wraps on overflow; `sum` may be
  // any int64 congruent to that accumulator.
  int8_t RequantizeInt8(int64_t sum) const {
    const int32_t acc = static_cast<int32_t>(static_cast<uint32_t>(sum));
    if (xnnpack_scale != 0.0f) return RequantizeInt8Xnnpack(acc);
    const int64_t scaled =
        int64_t{MultiplyByQuantizedMultiplier(acc, multiplier, shift)} + output_offset;
    return static_cast<int8_t>(std::min<int64_t>(std::max<int64_t>(scaled, act_min), act_max));
  }
  // XNNPACK's batch-matrix-multiply: the same int32 accumulator, requantized
  // in float32 and rounded half to even.
  int8_t RequantizeInt8Xnnpack(int32_t acc) const {
    return static_cast<int8_t>(
        XnnpackRequantize(acc, xnnpack_scale, output_offset, act_min, act_max));
  }
  // int16x8: real sums stay far inside +-2^47, the range the int64
  // requantization is defined for; only a huge depth could leave it.
  int16_t RequantizeInt16(int64_t sum) const {
    constexpr int64_t kAccLimit = (int64_t{1} << 47) - 1;
    const int64_t acc = std::min(std::max(sum, -kAccLimit), kAccLimit);
    return static_cast<int16_t>(
        Clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift), act_min, act_max));
  }
};

// Checks the node and fills `d` (the reference kernel's prepare).
Status PrepareBatchMatMul(OpContext& ctx, BatchMatMulData* d);

}  // namespace qlite
