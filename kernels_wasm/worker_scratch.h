// Scratch memory with one slice per worker thread (OpContext::ParallelFor's
// `worker`), so that tasks running at once never share a buffer.
#pragma once

#include <cstddef>

#include "core/kernel_api.h"

namespace qlite {
namespace simd {

struct WorkerScratch {
  // With several workers, 64 KB of padding follow each slice. One cache line
  // keeps two workers off the same line (the arena aligns to 16 bytes only),
  // but it was not enough: the 3x3 int8 depthwise kernel, whose workers
  // stream through row sums and column quads a few KB apart, ran no faster
  // on two threads than on one in Chromium (4 KB of padding: the same; 16 KB:
  // 1.3x; 64 KB: 1.6x), most likely hardware prefetchers pulling the other
  // worker's lines. Single-threaded interpreters pay nothing.
  static constexpr size_t kWorkerSeparationBytes = 65536;

  int index = -1;     // the node's scratch index; -1 until requested
  size_t stride = 0;  // bytes per worker, a multiple of 16 (slices stay aligned)

  // Prepare: ctx.threads() slices of `bytes` each, kWorkerSeparationBytes
  // apart when there are several.
  Status Request(OpContext& ctx, size_t bytes) {
    const int workers = ctx.threads();
    stride = (bytes + 15) / 16 * 16 + (workers > 1 ? kWorkerSeparationBytes : 0);
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
