// Hand-written sparse metadata for tests: one DENSE or SPARSE_CSR level.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/model.h"

namespace qlite::testing {

inline SparseDim Dense(int32_t size) {
  SparseDim d;
  d.dense_size = size;
  return d;
}

inline SparseDim Csr(std::vector<int32_t> segments, std::vector<int32_t> indices) {
  SparseDim d;
  d.csr = true;
  d.segments = std::move(segments);
  d.indices = std::move(indices);
  return d;
}

}  // namespace qlite::testing
