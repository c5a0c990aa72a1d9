#include "kernels_wasm/depthwise_column_quads.h"

#include "kernels_wasm/relaxed_dot.h"

namespace qlite {
namespace simd {
namespace {

constexpr int kQuadBytes = 16;                          // 4 channels x 4 bytes
constexpr int kQuadSetBytes = kColumnQuadChannels * 4;  // one quad of 16 channels

// The sums of one output row for a filter of kSize x kSize.
template <int kSize>
void RowSums(const DepthwiseConvOpData& conv, const DepthwiseColumnQuads& q,
             const int8_t* batch_input, const int8_t* zero_points, int out_y, int8_t* scratch,
             int32_t* sums) {
  constexpr int kQuads = (kSize + 3) / 4;
  constexpr int kColumnBytes = kQuads * kQuadSetBytes;
  const int64_t row_bytes = static_cast<int64_t>(conv.in_width) * q.channels;
  const int in_y = out_y * conv.stride_height - conv.pad_height;
  const v128_t flip = wasm_i8x16_splat(q.flip);
  const v128_t no_tap = wasm_i8x16_splat(0);  // past the last row: its weights are 0
  const int64_t pixel_step = static_cast<int64_t>(conv.stride_width) * kColumnBytes;
  for (int block = 0; block < q.Blocks(); ++block) {
    const int c = q.BlockStart(block);
    const int8_t* rows[kSize];
    for (int ky = 0; ky < kSize; ++ky) {
      const int y = in_y + ky;
      rows[ky] = y >= 0 && y < conv.in_height ? batch_input + y * row_bytes + c : nullptr;
    }
    for (int i = 0; i < q.columns; ++i) {
      const int x = i - conv.pad_width;
      const bool column_inside = x >= 0 && x < conv.in_width;
      v128_t t[kSize];
      for (int ky = 0; ky < kSize; ++ky) {
        const int8_t* bytes = column_inside && rows[ky] != nullptr
                                  ? rows[ky] + static_cast<int64_t>(x) * q.channels
                                  : zero_points + c;
        t[ky] = wasm_v128_xor(wasm_v128_load(bytes), flip);
      }
      int8_t* column = scratch + i * kColumnBytes;
      v128_t quads[4];
      InterleaveQuads(t[0], t[1], t[2], kSize > 3 ? t[3] : no_tap, quads);
      for (int b = 0; b < 4; ++b) wasm_v128_store(column + b * kQuadBytes, quads[b]);
      if (kSize == 5) {
        // [in(y0 + 4, x), 0, 0, 0] per channel: zero extension to 32 bits.
        const v128_t low = wasm_u16x8_extend_low_u8x16(t[kSize - 1]);
        const v128_t high = wasm_u16x8_extend_high_u8x16(t[kSize - 1]);
        int8_t* fifth = column + kQuadSetBytes;
        wasm_v128_store(fifth, wasm_u32x4_extend_low_u16x8(low));
        wasm_v128_store(fifth + kQuadBytes, wasm_u32x4_extend_high_u16x8(low));
        wasm_v128_store(fifth + 2 * kQuadBytes, wasm_u32x4_extend_low_u16x8(high));
        wasm_v128_store(fifth + 3 * kQuadBytes, wasm_u32x4_extend_high_u16x8(high));
      }
    }
    for (int b = 0; b < 4; ++b) {
      const int8_t* packed =
          q.weights.data() + static_cast<int64_t>(block * 4 + b) * kSize * kQuads * kQuadBytes;
      v128_t w[kSize * kQuads];
      for (int k = 0; k < kSize * kQuads; ++k) w[k] = wasm_v128_load(packed + k * kQuadBytes);
      const v128_t bias = wasm_v128_load(q.bias.data() + c + 4 * b);
      const int8_t* column = scratch + b * kQuadBytes;
      int32_t* out = sums + c + 4 * b;
      for (int o = 0; o < conv.out_width; ++o, column += pixel_step, out += q.channels) {
        v128_t acc = bias;
        for (int kx = 0; kx < kSize; ++kx) {
          for (int s = 0; s < kQuads; ++s) {
            acc =
                RelaxedDotAdd(w[kx * kQuads + s],
                              wasm_v128_load(column + kx * kColumnBytes + s * kQuadSetBytes), acc);
          }
        }
        wasm_v128_store(out, acc);
      }
    }
  }
}

}  // namespace

bool FitsColumnQuads(const DepthwiseConvOpData& conv, int channels) {
  const int size = conv.filter_height;
  return (size == 3 || size == 5) && conv.filter_width == size && conv.dilation_height == 1 &&
         conv.dilation_width == 1 && channels >= kColumnQuadChannels;
}

void PackColumnQuads(const DepthwiseConvOpData& conv, int channels, const int8_t* filter,
                     const int32_t* bias, int8_t flip, DepthwiseColumnQuads* q) {
  q->channels = channels;
  q->size = conv.filter_height;
  q->columns = (conv.out_width - 1) * conv.stride_width + q->size;
  q->flip = flip;
  q->bias.assign(bias, bias + q->channels);
  const int quads = q->QuadsPerColumn();
  q->weights.assign(static_cast<size_t>(q->Blocks()) * kColumnQuadChannels * q->size * quads * 4,
                    0);
  for (int block = 0; block < q->Blocks(); ++block) {
    for (int j = 0; j < kColumnQuadChannels; ++j) {
      const int c = q->BlockStart(block) + j;
      for (int ky = 0; ky < q->size; ++ky) {
        for (int kx = 0; kx < q->size; ++kx) {
          const size_t quad =
              (static_cast<size_t>(block * 4 + j / 4) * q->size + kx) * quads + ky / 4;
          q->weights[quad * kQuadBytes + j % 4 * 4 + ky % 4] =
              filter[static_cast<size_t>(ky * q->size + kx) * channels + c];
        }
      }
    }
  }
}

void ColumnQuadRowSums(const DepthwiseConvOpData& conv, const DepthwiseColumnQuads& q,
                       const int8_t* batch_input, const int8_t* zero_points, int out_y,
                       int8_t* scratch, int32_t* sums) {
  if (q.size == 5) {
    RowSums<5>(conv, q, batch_input, zero_points, out_y, scratch, sums);
  } else {
    RowSums<3>(conv, q, batch_input, zero_points, out_y, scratch, sums);
  }
}

}  // namespace simd
}  // namespace qlite
