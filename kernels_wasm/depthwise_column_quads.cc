#include "kernels_wasm/depthwise_column_quads.h"

#include "kernels_wasm/relaxed_dot.h"

namespace qlite {
namespace simd {
namespace {

constexpr int kTaps = 3;                               // per filter row and column
constexpr int kQuadBytes = 16;                         // 4 channels x 4 bytes
constexpr int kColumnBytes = kColumnQuadChannels * 4;  // one column's quads

}  // namespace

bool FitsColumnQuads(const DepthwiseConvOpData& conv, int channels) {
  return conv.filter_height == kTaps && conv.filter_width == kTaps && conv.dilation_height == 1 &&
         conv.dilation_width == 1 && channels % kColumnQuadChannels == 0;
}

void PackColumnQuads(const DepthwiseConvOpData& conv, int channels, const int8_t* filter,
                     const int32_t* bias, int8_t flip, DepthwiseColumnQuads* q) {
  q->channels = channels;
  q->columns = (conv.out_width - 1) * conv.stride_width + kTaps;
  q->flip = flip;
  q->bias.assign(bias, bias + q->channels);
  q->weights.assign(static_cast<size_t>(q->channels) * kTaps * 4, 0);
  for (int c = 0; c < q->channels; ++c) {
    for (int ky = 0; ky < kTaps; ++ky) {
      for (int kx = 0; kx < kTaps; ++kx) {
        q->weights[(static_cast<size_t>(c / 4) * kTaps + kx) * kQuadBytes + c % 4 * 4 + ky] =
            filter[static_cast<size_t>(ky * kTaps + kx) * q->channels + c];
      }
    }
  }
}

void ColumnQuadRowSums(const DepthwiseConvOpData& conv, const DepthwiseColumnQuads& q,
                       const int8_t* batch_input, const int8_t* zero_points, int out_y,
                       int8_t* scratch, int32_t* sums) {
  const int64_t row_bytes = static_cast<int64_t>(conv.in_width) * q.channels;
  const int in_y = out_y * conv.stride_height - conv.pad_height;
  const v128_t flip = wasm_i8x16_splat(q.flip);
  const v128_t no_tap = wasm_i8x16_splat(0);  // the 4th tap: its weights are 0
  const int64_t pixel_step = static_cast<int64_t>(conv.stride_width) * kColumnBytes;
  for (int c = 0; c < q.channels; c += kColumnQuadChannels) {
    const int8_t* rows[kTaps];
    for (int ky = 0; ky < kTaps; ++ky) {
      const int y = in_y + ky;
      rows[ky] = y >= 0 && y < conv.in_height ? batch_input + y * row_bytes + c : nullptr;
    }
    for (int i = 0; i < q.columns; ++i) {
      const int x = i - conv.pad_width;
      const bool column_inside = x >= 0 && x < conv.in_width;
      v128_t t[kTaps];
      for (int ky = 0; ky < kTaps; ++ky) {
        const int8_t* bytes = column_inside && rows[ky] != nullptr
                                  ? rows[ky] + static_cast<int64_t>(x) * q.channels
                                  : zero_points + c;
        t[ky] = wasm_v128_xor(wasm_v128_load(bytes), flip);
      }
      v128_t quads[4];
      InterleaveQuads(t[0], t[1], t[2], no_tap, quads);
      for (int b = 0; b < 4; ++b) {
        wasm_v128_store(scratch + i * kColumnBytes + b * kQuadBytes, quads[b]);
      }
    }
    for (int b = 0; b < 4; ++b) {
      const int8_t* w = q.weights.data() + static_cast<int64_t>(c / 4 + b) * kTaps * kQuadBytes;
      const v128_t w0 = wasm_v128_load(w);
      const v128_t w1 = wasm_v128_load(w + kQuadBytes);
      const v128_t w2 = wasm_v128_load(w + 2 * kQuadBytes);
      const v128_t bias = wasm_v128_load(q.bias.data() + c + 4 * b);
      const int8_t* column = scratch + b * kQuadBytes;
      int32_t* out = sums + c + 4 * b;
      for (int o = 0; o < conv.out_width; ++o, column += pixel_step, out += q.channels) {
        v128_t acc = RelaxedDotAdd(w0, wasm_v128_load(column), bias);
        acc = RelaxedDotAdd(w1, wasm_v128_load(column + kColumnBytes), acc);
        acc = RelaxedDotAdd(w2, wasm_v128_load(column + 2 * kColumnBytes), acc);
        wasm_v128_store(out, acc);
      }
    }
  }
}

}  // namespace simd
}  // namespace qlite
