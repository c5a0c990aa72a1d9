// Unpadded outputs: the output positions, along one axis, whose whole filter
// window lies inside the input (no tap reads padding). The SIMD conv kernels
// gather or read their windows without padding checks.
#pragma once

#include <algorithm>
#include <cstdint>

namespace qlite {
namespace simd {

// [begin, end) of the outputs along one axis whose whole window is inside
// (begin == end when there are none).
inline void UnpaddedOutputRange(int out_size, int stride, int pad, int filter, int dilation,
                                int in_size, int* begin, int* end) {
  *begin = out_size;
  *end = 0;
  for (int o = 0; o < out_size; ++o) {
    const int64_t first = static_cast<int64_t>(o) * stride - pad;
    const int64_t last = first + static_cast<int64_t>(filter - 1) * dilation;
    if (first >= 0 && last < in_size) {
      *begin = std::min(*begin, o);
      *end = o + 1;
    }
  }
  if (*begin > *end) *begin = *end;
}

}  // namespace simd
}  // namespace qlite
