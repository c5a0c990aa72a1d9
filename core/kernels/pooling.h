// MAX_POOL_2D / AVERAGE_POOL_2D prepare-time state, shared by the reference
// kernels (pooling.cc) and the SIMD kernels (kernels_wasm/pooling.cc).
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

}  // namespace qlite
