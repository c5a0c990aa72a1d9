// int8 3x3 and 5x5 DEPTHWISE_CONV_2D rows (dilation 1, any stride, 16 or
// more channels) on the relaxed dot product (kernels_wasm/relaxed_dot.h), 16
// channels at a time.
//
// The relaxed dot adds 4 products per channel lane, so a channel's taps must
// sit in 4 adjacent bytes. Grouping them by filter column makes that layout
// shareable: for one output row, every input column x gets its "column quads"
//   [channel][in(y0, x), in(y0 + 1, x), in(y0 + 2, x), 0]              (3x3)
//   [channel][in(y0..y0 + 3, x)] and [channel][in(y0 + 4, x), 0, 0, 0]  (5x5)
// (4 vectors per quad and 16 channels, built with 8 shuffles or, for the 5th
// row alone, 6 zero extensions), and each output pixel adds one relaxed dot
// per quad, filter column and 4 channels against weights packed [channel
// block][4 channels][kx][quad][channel][4 rows]. With stride 1 every column
// serves as many output pixels as the filter is wide; grouping taps by pixel
// instead would rebuild them for every pixel. Rows and columns outside the
// input read the input zero point, which the folded bias takes back out (as
// in kernels_wasm/depthwise_conv.cc). A channel count that is not a multiple
// of 16 ends with a block of 16 overlapping the one before it: the channels
// both hold get the same sums twice.
#pragma once

#include <cstdint>
#include <vector>

#include "core/kernels/depthwise_conv.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace simd {

constexpr int kColumnQuadChannels = 16;  // channels per group of column quads

// Bytes 0..7 (or 8..15) of two vectors interleaved: a0 b0 a1 b1 ...
inline v128_t InterleaveLowBytes(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
inline v128_t InterleaveHighBytes(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

// Byte i of 16 channels' taps t0..t3 -> [channel][t0, t1, t2, t3], 4 channels
// per vector: taps 0/1 and 2/3 interleaved by byte, then the results by int16.
inline void InterleaveQuads(v128_t t0, v128_t t1, v128_t t2, v128_t t3, v128_t* quads) {
  const v128_t lo01 = InterleaveLowBytes(t0, t1), hi01 = InterleaveHighBytes(t0, t1);
  const v128_t lo23 = InterleaveLowBytes(t2, t3), hi23 = InterleaveHighBytes(t2, t3);
  quads[0] = wasm_i16x8_shuffle(lo01, lo23, 0, 8, 1, 9, 2, 10, 3, 11);
  quads[1] = wasm_i16x8_shuffle(lo01, lo23, 4, 12, 5, 13, 6, 14, 7, 15);
  quads[2] = wasm_i16x8_shuffle(hi01, hi23, 0, 8, 1, 9, 2, 10, 3, 11);
  quads[3] = wasm_i16x8_shuffle(hi01, hi23, 4, 12, 5, 13, 6, 14, 7, 15);
}

// Prepared once per layer; the layer's geometry stays in its
// DepthwiseConvOpData.
struct DepthwiseColumnQuads {
  int channels = 0;             // at least kColumnQuadChannels
  int size = 0;                 // filter height = width: 3 or 5
  int columns = 0;              // input columns one output row reads, from x = -pad_width
  int8_t flip = 0;              // xor that turns an input byte into what the engine reads
  std::vector<int8_t> weights;  // [channel block][4 channels][kx][quad][channel][4]
  std::vector<int32_t> bias;    // per channel: folded bias, the flip's offset taken out

  int QuadsPerColumn() const { return (size + 3) / 4; }
  // Channel blocks of 16: the last one starts at channels - 16.
  int Blocks() const { return (channels + kColumnQuadChannels - 1) / kColumnQuadChannels; }
  int BlockStart(int block) const {
    return block * kColumnQuadChannels < channels - kColumnQuadChannels
               ? block * kColumnQuadChannels
               : channels - kColumnQuadChannels;
  }
  // Bytes of column quads one output row needs (ColumnQuadRowSums' scratch).
  int64_t ScratchBytes() const {
    return int64_t{columns} * QuadsPerColumn() * kColumnQuadChannels * 4;
  }
};

// Whether a layer of `channels` (output = expanded input) channels can run
// on column quads: 3x3 or 5x5, dilation 1, at least 16 channels.
bool FitsColumnQuads(const DepthwiseConvOpData& conv, int channels);

// `filter`: [size * size taps][channels] int8 (the filter's own order);
// `bias`: per channel, the sums' starting value for inputs read as flipped
// bytes.
void PackColumnQuads(const DepthwiseConvOpData& conv, int channels, const int8_t* filter,
                     const int32_t* bias, int8_t flip, DepthwiseColumnQuads* q);

// The int32 sums of output row `out_y` of `conv`: sums[x * channels + c].
// `zero_points`: `channels` bytes of the input zero point; `scratch`:
// q.ScratchBytes() bytes.
void ColumnQuadRowSums(const DepthwiseConvOpData& conv, const DepthwiseColumnQuads& q,
                       const int8_t* batch_input, const int8_t* zero_points, int out_y,
                       int8_t* scratch, int32_t* sums);

}  // namespace simd
}  // namespace qlite
