// Scratch memory with one slice per worker thread (OpContext::ParallelFor's
// `worker`), so that tasks running at once never share a buffer.
#pragma once

#include <cstddef>

#include "core/kernel_api.h"

namespace qlite {
namespace simd {

struct WorkerScratch {
  int index = -1;  // the node's scratch index; -1 until requested
  // Bytes per worker, a multiple of 64: slices stay aligned, and two workers
  // never write the same cache line.
  size_t stride = 0;

  // Prepare: ctx.threads() slices of `bytes` each.
  Status Request(OpContext& ctx, size_t bytes) {
    stride = (bytes + 63) / 64 * 64;
    return ctx.RequestScratch(stride * static_cast<size_t>(ctx.threads()), &index);
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
