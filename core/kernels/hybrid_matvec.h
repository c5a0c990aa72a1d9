// The hybrid (dynamic-range) matrix-vector step of TFLite's RNN, SVDF and
// LSTM kernels: float rows are quantized to int8 one row at a time
// (symmetric, or asymmetric with a zero point), multiplied with a symmetric
// int8 weight matrix in integers, and each sum is scaled back by
// row_scale * weight_scale (that product formed first, in float) and added
// to a float output.
#pragma once

#include <cstdint>

#include "core/kernel_api.h"

namespace qlite {

// Buffers one HybridMatVecAccumulate call quantizes into: `rows` * `cols`
// int8 values, and one scale and one zero point per row.
struct HybridScratch {
  int8_t* quantized = nullptr;
  float* scales = nullptr;
  int32_t* zero_points = nullptr;
};

// Requests the scratch HybridScratchFor binds, for `rows` rows of up to
// `cols` values.
struct HybridScratchIds {
  int quantized = -1, scales = -1, zero_points = -1;
};
Status RequestHybridScratch(OpContext& ctx, int64_t rows, int64_t cols, HybridScratchIds* ids);
HybridScratch HybridScratchFor(const OpContext& ctx, const HybridScratchIds& ids);

// A weight tensor of a hybrid op: int8, per-tensor symmetric (zero point 0),
// with a finite positive scale.
Status CheckHybridWeights(const Tensor& weights, const char* role);

// Quantizes the `rows` rows of x (`cols` floats each, contiguous) into
// `scratch`; false (and nothing written) when all of x is zero, where TFLite
// skips the products.
bool QuantizeHybridRows(const float* x, int rows, int cols, bool asymmetric,
                        const HybridScratch& scratch);

// out[r * out_stride + u] += dot(q row r, weights row u) * (scale_r * weight_scale)
// for the rows QuantizeHybridRows wrote and the `units` rows of weights
// [units, cols].
void AccumulateHybridRows(const int8_t* weights, float weight_scale, int units, int cols, int rows,
                          const HybridScratch& scratch, float* out, int64_t out_stride);

// Both: quantize x, then accumulate its products (nothing when x is all zero).
void HybridMatVecAccumulate(const int8_t* weights, float weight_scale, int units, int cols,
                            const float* x, int rows, bool asymmetric, const HybridScratch& scratch,
                            float* out, int64_t out_stride);

}  // namespace qlite
