// float32 DEPTHWISE_CONV_2D in SIMD128, byte-identical to the reference
// kernel (core/kernels/depthwise_conv.cc): each output sums x * w of its taps
// inside the input from 0 in the reference's order (ky, then kx; MulAdd,
// unfused but in qlite.relaxed.wasm on FMA engines: fused_mul_add.h gives the
// bound), then adds the bias (0 without one) and clamps with pmax/pmin, which
// are std::max/std::min, NaN included.
//
// The taps inside the input form an interval per axis, so padding is skipped
// by narrowing the window ("fused padding", no padded copy). Pixels whose
// window lies wholly inside the input (unpadded_range.h) run four at a time,
// four channels per vector: each weight vector is loaded once for the four
// pixels' accumulators (the filter is read a quarter as often as one pixel
// at a time would). Border pixels run one at a time over their narrowed
// window. Filter sizes are run-time values: one copy of the loops serves 3x3
// and 5x5 alike.
#include "kernels_wasm/depthwise_conv_float.h"

#include <algorithm>
#include <cstdint>

#include "kernels_wasm/fused_mul_add.h"
#include "kernels_wasm/simd128.h"
#include "kernels_wasm/unpadded_range.h"

namespace qlite {
namespace simd {
namespace {

// Filter taps [lo, hi) along one axis whose input position origin + t *
// dilation lies in [0, size).
struct TapRange {
  int lo = 0, hi = 0;
};

TapRange InsideTaps(int64_t origin, int dilation, int size, int filter) {
  TapRange r;
  r.lo = origin >= 0
             ? 0
             : static_cast<int>(std::min<int64_t>(filter, (dilation - 1 - origin) / dilation));
  r.hi = origin < size
             ? static_cast<int>(std::min<int64_t>(filter, (size - 1 - origin) / dilation + 1))
             : 0;
  r.hi = std::max(r.hi, r.lo);
  return r;
}

struct Layer {
  int channels;
  int64_t row_step;    // input elements between filter rows (dilation_height rows)
  int64_t col_step;    // between filter columns
  int64_t pixel_step;  // between adjacent output pixels' windows
  int64_t filter_row;  // filter elements per filter row
  const float* bias;   // nullptr: no bias
  float act_min, act_max;
};

// A block of pixels' taps inside the input: `rows` x `cols` taps from `in`
// (the first pixel's first inside tap, channel 0) and `w` (that tap's weights).
struct Window {
  const float* in;
  const float* w;
  int rows, cols;
};

// Channels [c, channels) of `pixels` adjacent output pixels, one at a time
// (one copy for every pixel count).
[[gnu::noinline]] void ScalarChannels(const Layer& l, const Window& win, int c, int pixels,
                                      float* out) {
  const int channels = l.channels;
  for (; c < channels; ++c) {
    for (int p = 0; p < pixels; ++p) {
      float sum = 0.0f;
      for (int r = 0; r < win.rows; ++r) {
        const float* x = win.in + r * l.row_step + p * l.pixel_step + c;
        const float* w = win.w + r * l.filter_row + c;
        for (int k = 0; k < win.cols; ++k) {
          const float product = x[k * l.col_step] * w[static_cast<int64_t>(k) * channels];
          sum += product;
        }
      }
      const float biased = sum + (l.bias != nullptr ? l.bias[c] : 0.0f);
      out[p * channels + c] = std::min(std::max(biased, l.act_min), l.act_max);
    }
  }
}

// kPixels adjacent output pixels (each pixel_step further in the input),
// every channel; `out` is the first pixel's output.
template <int kPixels>
void Pixels(const Layer& l, const Window& win, float* out) {
  const int channels = l.channels;
  const v128_t act_min = wasm_f32x4_splat(l.act_min);
  const v128_t act_max = wasm_f32x4_splat(l.act_max);
  int c = 0;
  for (; c + 4 <= channels; c += 4) {
    v128_t acc[kPixels];
    for (int p = 0; p < kPixels; ++p) acc[p] = wasm_f32x4_splat(0.0f);
    for (int r = 0; r < win.rows; ++r) {
      const float* x = win.in + r * l.row_step + c;
      const float* w = win.w + r * l.filter_row + c;
      for (int k = 0; k < win.cols; ++k, x += l.col_step, w += channels) {
        const v128_t weight = wasm_v128_load(w);
        for (int p = 0; p < kPixels; ++p) {
          const v128_t input = wasm_v128_load(x + p * l.pixel_step);
          acc[p] = MulAdd(input, weight, acc[p]);
        }
      }
    }
    const v128_t b = l.bias != nullptr ? wasm_v128_load(l.bias + c) : wasm_f32x4_splat(0.0f);
    for (int p = 0; p < kPixels; ++p) {
      const v128_t biased = wasm_f32x4_add(acc[p], b);
      wasm_v128_store(out + p * channels + c,
                      wasm_f32x4_pmin(wasm_f32x4_pmax(biased, act_min), act_max));
    }
  }
  if (c < channels) ScalarChannels(l, win, c, kPixels, out);
}

}  // namespace

void EvalDepthwiseFloat(const OpContext& ctx, const DepthwiseConvOpData& d, const float* input,
                        const float* filter, const float* bias, float* output) {
  const int channels = d.out_channels;
  const Layer l = {channels,
                   static_cast<int64_t>(d.dilation_height) * d.in_width * channels,
                   static_cast<int64_t>(d.dilation_width) * channels,
                   static_cast<int64_t>(d.stride_width) * channels,
                   static_cast<int64_t>(d.filter_width) * channels,
                   bias,
                   d.arith.float_act_min,
                   d.arith.float_act_max};
  int x_begin = 0, x_end = 0;
  UnpaddedOutputRange(d.out_width, d.stride_width, d.pad_width, d.filter_width, d.dilation_width,
                      d.in_width, &x_begin, &x_end);
  const int64_t row_values = static_cast<int64_t>(d.out_width) * channels;
  const int64_t batch_size = static_cast<int64_t>(d.in_height) * d.in_width * channels;
  const int64_t rows = static_cast<int64_t>(d.batches) * d.out_height;
  ctx.ParallelFor(
      rows, row_values * d.filter_height * d.filter_width, [&](int64_t begin, int64_t end, int) {
        for (int64_t row = begin; row < end; ++row) {
          const int out_y = static_cast<int>(row % d.out_height);
          const int64_t in_y = static_cast<int64_t>(out_y) * d.stride_height - d.pad_height;
          const TapRange ky = InsideTaps(in_y, d.dilation_height, d.in_height, d.filter_height);
          // Without inside rows the window stays empty (bias only); `in_row`
          // then points at the batch, never read.
          const float* in_row = input + (row / d.out_height) * batch_size;
          if (ky.hi > ky.lo)
            in_row +=
                (in_y + static_cast<int64_t>(ky.lo) * d.dilation_height) * d.in_width * channels;
          const float* w_row = filter + ky.lo * l.filter_row;
          float* out = output + row * row_values;
          for (int out_x = 0; out_x < d.out_width;) {
            const int64_t in_x = static_cast<int64_t>(out_x) * d.stride_width - d.pad_width;
            const TapRange kx = InsideTaps(in_x, d.dilation_width, d.in_width, d.filter_width);
            const Window win = {
                kx.hi > kx.lo
                    ? in_row + (in_x + static_cast<int64_t>(kx.lo) * d.dilation_width) * channels
                    : in_row,
                w_row + static_cast<int64_t>(kx.lo) * channels, ky.hi - ky.lo, kx.hi - kx.lo};
            if (out_x >= x_begin && out_x + 4 <= x_end) {
              Pixels<4>(l, win, out + static_cast<int64_t>(out_x) * channels);
              out_x += 4;
            } else {
              Pixels<1>(l, win, out + static_cast<int64_t>(out_x) * channels);
              ++out_x;
            }
          }
        }
      });
}

}  // namespace simd
}  // namespace qlite
