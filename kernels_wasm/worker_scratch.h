// Scratch memory with one slice per worker thread (OpContext::ParallelFor's
// `worker`), so that tasks running at once never share a buffer.
#pragma once

#include <cstddef>

#include "core/kernel_api.h"

namespace qlite {
namespace simd {

struct WorkerScratch {
  static constexpr size_t kCacheLineBytes = 64;

  int index = -1;     // the node's scratch index; -1 until requested
  size_t stride = 0;  // bytes per worker, a multiple of 16 (slices stay aligned)

  // Prepare: ctx.threads() slices of `bytes` each. With several workers a
  // cache line of padding follows each slice, so that two workers never
  // write the same line (the arena aligns to 16 bytes, not to lines).
  Status Request(OpContext& ctx, size_t bytes) {
    const int workers = ctx.threads();
    stride = (bytes + 15) / 16 * 16 + (workers > 1 ? kCacheLineBytes : 0);
    return ctx.RequestScratch(stride * static_cast<size_t>(workers), &index);
  }
  // Eval: worker `worker`'s slice; nullptr if never requested.
  template <typename T>
  T* For(const OpContext& ctx, int worker) const {
    if (index < 0) return nullptr;
    return reinterpret_cast<T*>(static_cast<uint8_t*>(ctx.scratch(index)) + stride * worker);
  }
};

}  // namespace simd
}  // namespace qlite
