#include "core/planner.h"

#include <algorithm>
#include <numeric>

namespace qlite {

namespace {
size_t AlignUp(size_t n, size_t alignment) { return (n + alignment - 1) / alignment * alignment; }

bool LifetimesOverlap(const BufferLifetime& a, const BufferLifetime& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}
}  // namespace

ArenaPlan PlanArena(const std::vector<BufferLifetime>& buffers, size_t alignment) {
  ArenaPlan plan;
  plan.offsets.assign(buffers.size(), 0);

  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  // Largest first, then earliest use, then index: a total order, so std::sort
  // places buffers exactly as a stable sort would, with less code.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (buffers[a].bytes != buffers[b].bytes) return buffers[a].bytes > buffers[b].bytes;
    if (buffers[a].first_use != buffers[b].first_use) {
      return buffers[a].first_use < buffers[b].first_use;
    }
    return a < b;
  });

  struct Placed {
    size_t offset, end;
    size_t index;
  };
  std::vector<Placed> placed;  // kept sorted by offset
  for (size_t index : order) {
    const BufferLifetime& buffer = buffers[index];
    const size_t bytes = AlignUp(std::max<size_t>(buffer.bytes, 1), alignment);
    // Walk the placed buffers that are alive at the same time, by offset, and
    // take the first gap that is large enough.
    size_t candidate = 0;
    for (const Placed& p : placed) {
      if (!LifetimesOverlap(buffers[p.index], buffer)) continue;
      if (p.offset >= candidate + bytes) break;  // the gap before p fits
      candidate = std::max(candidate, p.end);
    }
    plan.offsets[index] = candidate;
    plan.arena_bytes = std::max(plan.arena_bytes, candidate + bytes);
    const Placed entry{candidate, candidate + bytes, index};
    placed.insert(
        std::upper_bound(placed.begin(), placed.end(), entry,
                         [](const Placed& a, const Placed& b) { return a.offset < b.offset; }),
        entry);
  }
  return plan;
}

}  // namespace qlite
