// MAX_POOL_2D / AVERAGE_POOL_2D prepare-time state, shared by the reference
// kernels (pooling.cc) and the kernels that override them.
#pragma once

#include <cstdint>
#include <vector>

#include "core/kernel_api.h"

namespace qlite {

// In-bounds input coordinates [begin, end) of one output row or column.
struct TapRange {
  int32_t begin = 0, end = 0;
  int32_t count() const { return end - begin; }
};

struct PoolData : OpData {
  int32_t batches = 0, in_height = 0, in_width = 0, channels = 0;
  std::vector<TapRange> rows;  // one per output row
  std::vector<TapRange> cols;  // one per output column
  float act_min_float = 0.0f, act_max_float = 0.0f;
  int32_t act_min = 0, act_max = 0;
};

// Validates the node (either pooling op), fills `data` (created by the caller
// with ctx.NewOpData) and sets the output shape.
Status PreparePool(OpContext& ctx, PoolData* data);

// PreparePool for MAX_POOL_2D: under Arithmetic::kXnnpack an int8 / uint8
// node (XNNPACK's delegate takes it) clamps to XnnpackActivationRange.
Status PrepareMaxPool(OpContext& ctx);

// One output pixel's window, clipped to the input: its first tap (channel 0),
// how many rows and columns of taps it has, and the element strides of both.
template <typename T>
struct PoolWindow {
  const T* corner;
  int32_t rows, cols;
  int64_t row_stride, col_stride;
};

// Calls `pixel(window, out)` for every output pixel in TFLite's order (batch,
// row, column), `out` pointing at the pixel's channel 0.
template <typename T, typename PixelFn>
void ForEachPoolPixel(const PoolData& d, const T* input, T* output, PixelFn pixel) {
  const int64_t col_stride = d.channels;
  const int64_t row_stride = static_cast<int64_t>(d.in_width) * col_stride;
  const int64_t batch_stride = static_cast<int64_t>(d.in_height) * row_stride;
  T* out = output;
  for (int32_t b = 0; b < d.batches; ++b) {
    const T* batch_in = input + b * batch_stride;
    for (const TapRange& rows : d.rows) {
      for (const TapRange& cols : d.cols) {
        const PoolWindow<T> w = {batch_in + rows.begin * row_stride + cols.begin * col_stride,
                                 rows.count(), cols.count(), row_stride, col_stride};
        pixel(w, out);
        out += d.channels;
      }
    }
  }
}

}  // namespace qlite
