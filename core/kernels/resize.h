// RESIZE_BILINEAR's and RESIZE_NEAREST_NEIGHBOR's options (tests build them),
// and where each output index samples the input: shared by the reference
// kernels (resize.cc) and the SIMD bilinear kernel (kernels_wasm/resize.cc),
// which must give the same bytes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace qlite {

struct ResizeOptions {
  bool align_corners = false;       // the corner pixels of input and output line up
  bool half_pixel_centers = false;  // pixels are sampled at their centres (x + 0.5)
};

namespace resize {

// in / out, or (in - 1) / (out - 1) with align_corners, as a float.
inline float FloatScale(int32_t in, int32_t out, bool align_corners) {
  return align_corners && out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                  : static_cast<float>(in) / static_cast<float>(out);
}

// One axis of a bilinear resize: input size and scale, in float and in
// fixed point with 10 fraction bits.
struct Axis {
  int32_t in_size;
  float scale;
  int64_t scale_10;
};

inline Axis MakeAxis(int32_t in, int32_t out, bool align_corners) {
  Axis a{in, FloatScale(in, out, align_corners), 0};
  if (align_corners && out > 1) --in, --out;
  a.scale_10 = ((int64_t{in} << 10) + out / 2) / out;
  return a;
}

// Where output index i samples the input: its position (float, or fixed
// point with 10 fraction bits when P is int64_t) and the two input indices
// around it.
template <typename P>
struct Source {
  static constexpr P kOne = std::is_same_v<P, float> ? 1 : 1024;
  P pos;
  int32_t lo, hi;

  // The weight of `hi`; kOne - fraction() is the weight of `lo`.
  P fraction() const { return pos - static_cast<P>(lo) * kOne; }
};

template <typename P>
Source<P> SourceOf(int32_t i, const Axis& a, bool half_pixel) {
  if constexpr (std::is_same_v<P, float>) {
    const float pos = half_pixel ? (static_cast<float>(i) + 0.5f) * a.scale - 0.5f
                                 : static_cast<float>(i) * a.scale;
    // lo is clamped too: float rounding must not step past the last pixel.
    const int32_t lo = std::max(static_cast<int32_t>(std::floor(pos)), 0);
    const int32_t hi = std::min(static_cast<int32_t>(std::ceil(pos)), a.in_size - 1);
    return {pos, std::min(lo, a.in_size - 1), std::max(hi, 0)};
  } else {
    // A position past the last pixel (where TFLite would read beyond the
    // input) is clamped to it: both neighbours are then that pixel, and
    // results that stay inside are unchanged.
    int64_t pos = half_pixel ? i * a.scale_10 + a.scale_10 / 2 - 512 : i * a.scale_10;
    pos = std::min(pos, int64_t{a.in_size - 1} * 1024);
    const auto lo = static_cast<int32_t>(std::max<int64_t>(pos / 1024, 0));
    const auto hi = static_cast<int32_t>(std::min<int64_t>((pos + 1023) / 1024, a.in_size - 1));
    return {pos, lo, hi};
  }
}

}  // namespace resize
}  // namespace qlite
