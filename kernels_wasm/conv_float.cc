// Float32 CONV_2D as register tiles, in the manner of XNNPACK's f32 GEMM and
// IGEMM: kTileRows output pixels x kTileChannels output channels per call, so
// each loaded weight vector serves every pixel of the tile and each splatted
// input value both channel vectors. A tile reads its pixels through tap
// pointers (indirection: one pointer per pixel and filter tap, to the
// in_channels values of that input pixel), built per chunk of pixels; a 1x1
// stride-1 conv without padding points at the input pixels themselves (GEMM).
//
// Same floats as the reference (core/kernels/conv.cc): every lane sums its
// taps in the reference's order (ky, kx, ic) with MulAdd, starting from +0,
// then adds the bias (0.0f when absent) and clamps with pmax/pmin
// (std::max/std::min lane for lane, NaN included). MulAdd is a separate
// multiply and add except in qlite.relaxed.wasm on engines that fuse
// f32x4.relaxed_madd, where the bound of fused_mul_add.h holds instead.
//
// Padding taps, which the reference skips, read a row of zeros when every
// weight is finite: the product is then +-0, and adding +-0 (fused or not)
// leaves any nonzero, infinite or NaN sum unchanged and keeps +0 at +0. The
// sum is never -0: it starts at +0, x + y is -0 only when both are -0, and
// exact cancellation gives +0. With an infinite or NaN weight (0 * inf is NaN), a
// tile holding a padding tap runs one pixel at a time instead, its padding
// taps as null pointers that the tile skips.
#include "kernels_wasm/conv_float.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels_wasm/fused_mul_add.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace simd {
namespace {

constexpr int kTileRows = 4;      // output pixels per register tile
constexpr int kTileChannels = 8;  // output channels per register tile (2 vectors)
constexpr int kChunkTiles = 8;    // tiles per ParallelFor item

// One tile: rows `out[r]`, channels [0, valid) of the block whose packed
// weights are `w` ([tap][ic][8]) and bias `bias` (8). `taps` holds
// `tap_count` groups of kTileRows row pointers; a group whose first pointer
// is null is skipped (single-pixel tiles only, see the file comment).
__attribute__((noinline)) void FloatTile(const float* const* taps, int tap_count, int channels,
                                         const float* w, const float* bias, v128_t lo, v128_t hi,
                                         float* const* out, int valid) {
  v128_t acc[kTileRows][2];
  for (auto& row : acc) row[0] = row[1] = wasm_f32x4_splat(0.0f);
  for (int t = 0; t < tap_count; ++t, taps += kTileRows) {
    if (taps[0] == nullptr) {
      w += channels * kTileChannels;
      continue;
    }
    const float* p0 = taps[0];
    const float* p1 = taps[1];
    const float* p2 = taps[2];
    const float* p3 = taps[3];
    for (int ic = 0; ic < channels; ++ic, w += kTileChannels) {
      const v128_t w0 = wasm_v128_load(w);
      const v128_t w1 = wasm_v128_load(w + 4);
      const v128_t x0 = wasm_v128_load32_splat(p0 + ic);
      const v128_t x1 = wasm_v128_load32_splat(p1 + ic);
      const v128_t x2 = wasm_v128_load32_splat(p2 + ic);
      const v128_t x3 = wasm_v128_load32_splat(p3 + ic);
      acc[0][0] = MulAdd(x0, w0, acc[0][0]);
      acc[0][1] = MulAdd(x0, w1, acc[0][1]);
      acc[1][0] = MulAdd(x1, w0, acc[1][0]);
      acc[1][1] = MulAdd(x1, w1, acc[1][1]);
      acc[2][0] = MulAdd(x2, w0, acc[2][0]);
      acc[2][1] = MulAdd(x2, w1, acc[2][1]);
      acc[3][0] = MulAdd(x3, w0, acc[3][0]);
      acc[3][1] = MulAdd(x3, w1, acc[3][1]);
    }
  }
  const v128_t b0 = wasm_v128_load(bias);
  const v128_t b1 = wasm_v128_load(bias + 4);
  for (int r = 0; r < kTileRows; ++r) {
    const v128_t v0 = wasm_f32x4_pmin(wasm_f32x4_pmax(wasm_f32x4_add(acc[r][0], b0), lo), hi);
    const v128_t v1 = wasm_f32x4_pmin(wasm_f32x4_pmax(wasm_f32x4_add(acc[r][1], b1), lo), hi);
    if (valid == kTileChannels) {
      wasm_v128_store(out[r], v0);
      wasm_v128_store(out[r] + 4, v1);
    } else {
      float values[kTileChannels];
      wasm_v128_store(values, v0);
      wasm_v128_store(values + 4, v1);
      std::memcpy(out[r], values, valid * sizeof(float));
    }
  }
}

// Writes output pixel (b, out_y, out_x)'s tap pointers to dst[0], dst[stride],
// ... in (ky, kx) order; padding taps get `pad`. Returns whether any tap is
// in the padding.
bool PixelTaps(const ConvOpData& d, const float* input, int64_t b, int out_y, int out_x,
               const float* pad, const float** dst, int stride) {
  const int64_t in_y0 = static_cast<int64_t>(out_y) * d.stride_height - d.pad_height;
  const int64_t in_x0 = static_cast<int64_t>(out_x) * d.stride_width - d.pad_width;
  bool padded = false;
  for (int ky = 0; ky < d.filter_height; ++ky) {
    const int64_t in_y = in_y0 + static_cast<int64_t>(ky) * d.dilation_height;
    const bool row_inside = in_y >= 0 && in_y < d.in_height;
    for (int kx = 0; kx < d.filter_width; ++kx, dst += stride) {
      const int64_t in_x = in_x0 + static_cast<int64_t>(kx) * d.dilation_width;
      if (!row_inside || in_x < 0 || in_x >= d.in_width) {
        *dst = pad;
        padded = true;
        continue;
      }
      *dst = input + ((b * d.in_height + in_y) * d.in_width + in_x) * d.in_channels;
    }
  }
  return padded;
}

}  // namespace

QLITE_PREPARE_TIME Status PrepareFloatConv(OpContext& ctx, const ConvOpData& d, const float* filter,
                                           const float* bias, FloatConvPlan* plan) {
  const int64_t depth =
      static_cast<int64_t>(d.filter_height) * d.filter_width * d.filter_in_channels;
  const int blocks = (d.out_channels + kTileChannels - 1) / kTileChannels;
  plan->weights.assign(static_cast<size_t>(blocks) * depth * kTileChannels, 0.0f);
  plan->bias.assign(static_cast<size_t>(blocks) * kTileChannels, 0.0f);
  plan->finite_weights = true;
  for (int oc = 0; oc < d.out_channels; ++oc) {
    float* block = plan->weights.data() + (oc / kTileChannels) * depth * kTileChannels;
    for (int64_t k = 0; k < depth; ++k) {
      const float w = filter[oc * depth + k];
      plan->finite_weights &= std::isfinite(w);
      block[k * kTileChannels + oc % kTileChannels] = w;
    }
    if (bias != nullptr) plan->bias[oc] = bias[oc];
  }
  plan->zeros.assign(d.in_channels, 0.0f);
  plan->pixels_are_rows = d.filter_height == 1 && d.filter_width == 1 && d.stride_height == 1 &&
                          d.stride_width == 1 && d.pad_height == 0 && d.pad_width == 0;
  const int taps = d.filter_height * d.filter_width;
  // A chunk's tap pointers, then one single-pixel tile's; 8 bytes a pointer
  // on every target, so that wasm plans the arena native code does (the
  // package's `qlite inspect` prints the C++ CLI's text).
  const size_t pointers = static_cast<size_t>(kChunkTiles + 1) * kTileRows * taps;
  static_assert(sizeof(const float*) <= sizeof(uint64_t), "pointer slots hold a pointer");
  return plan->pointers.Request(ctx, pointers * sizeof(uint64_t));
}

// Chunks of kChunkTiles * kTileRows output pixels (across rows and batches)
// are split over the threads; a pixel's outputs do not depend on the tile or
// chunk it falls in, so any split gives the same bytes.
void EvalFloatConv(const OpContext& ctx, const ConvOpData& d, const FloatConvPlan& plan,
                   const float* input, float* output) {
  const int taps = d.filter_height * d.filter_width;
  const int channels = d.in_channels;
  const int out_channels = d.out_channels;
  const int64_t depth = static_cast<int64_t>(taps) * channels;
  const int64_t pixels = static_cast<int64_t>(d.batches) * d.out_height * d.out_width;
  constexpr int kChunkPixels = kChunkTiles * kTileRows;
  const int64_t chunks = (pixels + kChunkPixels - 1) / kChunkPixels;
  const v128_t lo = wasm_f32x4_splat(d.arith.float_act_min);
  const v128_t hi = wasm_f32x4_splat(d.arith.float_act_max);
  const float* pad = plan.finite_weights ? plan.zeros.data() : nullptr;
  const int tile_pointers = kTileRows * taps;
  ctx.ParallelFor(
      chunks, kChunkPixels * depth * out_channels, [&](int64_t begin, int64_t end, int worker) {
        const float** pointers = plan.pointers.For<const float*>(ctx, worker);
        const float** single = pointers + kChunkTiles * tile_pointers;
        bool padded[kChunkTiles];
        for (int64_t chunk = begin; chunk < end; ++chunk) {
          const int64_t first = chunk * kChunkPixels;
          const int count = static_cast<int>(std::min<int64_t>(kChunkPixels, pixels - first));
          const int tiles = (count + kTileRows - 1) / kTileRows;
          // Tap pointers, [tile][tap][row]; the rows after the last pixel repeat it.
          int64_t b = first / (static_cast<int64_t>(d.out_height) * d.out_width);
          int out_y = static_cast<int>(first / d.out_width % d.out_height);
          int out_x = static_cast<int>(first % d.out_width);
          for (int p = 0; p < tiles * kTileRows; ++p) {
            const float** dst = pointers + (p / kTileRows) * tile_pointers + p % kTileRows;
            if (p % kTileRows == 0) padded[p / kTileRows] = false;
            if (p >= count) {
              for (int t = 0; t < taps; ++t) dst[t * kTileRows] = dst[t * kTileRows - 1];
              continue;
            }
            if (plan.pixels_are_rows) {
              *dst = input + (first + p) * channels;
            } else {
              padded[p / kTileRows] |= PixelTaps(d, input, b, out_y, out_x, pad, dst, kTileRows);
            }
            if (++out_x == d.out_width) {
              out_x = 0;
              if (++out_y == d.out_height) out_y = 0, ++b;
            }
          }
          float* chunk_out = output + first * out_channels;
          for (int oc = 0; oc < out_channels; oc += kTileChannels) {
            const float* w = plan.weights.data() + oc * depth;
            const float* bias = plan.bias.data() + oc;
            const int valid = std::min(kTileChannels, out_channels - oc);
            for (int tile = 0; tile < tiles; ++tile) {
              const int rows = std::min(kTileRows, count - tile * kTileRows);
              float* out[kTileRows];
              for (int r = 0; r < kTileRows; ++r) {
                out[r] = chunk_out + (tile * kTileRows + std::min(r, rows - 1)) * out_channels + oc;
              }
              const float** tile_taps = pointers + tile * tile_pointers;
              if (pad != nullptr || !padded[tile]) {
                FloatTile(tile_taps, taps, channels, w, bias, lo, hi, out, valid);
                continue;
              }
              for (int r = 0; r < rows; ++r) {  // non-finite weights next to padding
                for (int t = 0; t < tile_pointers; ++t) {
                  single[t] = tile_taps[t / kTileRows * kTileRows + r];
                }
                float* row_out[kTileRows] = {out[r], out[r], out[r], out[r]};
                FloatTile(single, taps, channels, w, bias, lo, hi, row_out, valid);
              }
            }
          }
        }
      });
}

}  // namespace simd
}  // namespace qlite
