#include "kernels_wasm/gemm_int8.h"

#include <algorithm>
#include <cstring>

namespace qlite {
namespace simd {
namespace {

constexpr int kChannelBlock = 4;  // output channels per packed block
constexpr int kDepthBlock = 8;    // depth values per i16x8 multiply

// Sums of the four lanes of a, b, c, d -> one vector [sum a, sum b, sum c, sum d].
inline v128_t HorizontalSums(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab = wasm_i32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5),
                                   wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd = wasm_i32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5),
                                   wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_i32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5),
                        wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

// One row's 4 channel sums plus their biases -> the accumulator tile (only
// the valid channels: a partial block must not spill into the next row).
inline void StoreSums(v128_t sums, int channel, int valid, const int32_t* channel_bias,
                      int32_t* tile_row) {
  const v128_t acc = wasm_i32x4_add(sums, wasm_v128_load(channel_bias + channel));
  if (valid == kChannelBlock) {
    wasm_v128_store(tile_row + channel, acc);
  } else {
    int32_t values[kChannelBlock];
    wasm_v128_store(values, acc);
    std::memcpy(tile_row + channel, values, valid * sizeof(int32_t));
  }
}

// The last depth % 8 values of a row, zero-extended to 8 (the packed weights
// are zero there, so the extra products vanish) without reading past the row.
inline v128_t LoadTail(const int8_t* row_tail, int count) {
  int8_t bytes[kDepthBlock] = {};
  for (int i = 0; i < count; ++i) bytes[i] = row_tail[i];  // count < 8: no memcpy call
  return wasm_i16x8_load8x8(bytes);
}

// Two lhs rows times one block of 4 channels: 8 accumulators, each holding 4
// partial sums (i32x4.dot_i16x8_s adds adjacent products).
// `tails_readable`: both rows may be read up to the next multiple of 8 (the
// bytes past their end belong to later rows or padding and meet zero weights).
void TwoRowsOneBlock(const int8_t* row0, const int8_t* row1, const int8_t* block, int depth,
                     bool tails_readable, v128_t* sums0, v128_t* sums1) {
  v128_t a00 = wasm_i32x4_splat(0), a01 = a00, a02 = a00, a03 = a00;
  v128_t a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  const int full = depth / kDepthBlock * kDepthBlock;
  auto step = [&](v128_t x0, v128_t x1, const int8_t* w) {
    const v128_t w0 = wasm_i16x8_load8x8(w);
    a00 = wasm_i32x4_add(a00, wasm_i32x4_dot_i16x8(x0, w0));
    a10 = wasm_i32x4_add(a10, wasm_i32x4_dot_i16x8(x1, w0));
    const v128_t w1 = wasm_i16x8_load8x8(w + 8);
    a01 = wasm_i32x4_add(a01, wasm_i32x4_dot_i16x8(x0, w1));
    a11 = wasm_i32x4_add(a11, wasm_i32x4_dot_i16x8(x1, w1));
    const v128_t w2 = wasm_i16x8_load8x8(w + 16);
    a02 = wasm_i32x4_add(a02, wasm_i32x4_dot_i16x8(x0, w2));
    a12 = wasm_i32x4_add(a12, wasm_i32x4_dot_i16x8(x1, w2));
    const v128_t w3 = wasm_i16x8_load8x8(w + 24);
    a03 = wasm_i32x4_add(a03, wasm_i32x4_dot_i16x8(x0, w3));
    a13 = wasm_i32x4_add(a13, wasm_i32x4_dot_i16x8(x1, w3));
  };
  int k = 0;
  for (; k < full; k += kDepthBlock, block += kChannelBlock * kDepthBlock) {
    step(wasm_i16x8_load8x8(row0 + k), wasm_i16x8_load8x8(row1 + k), block);
  }
  if (k < depth) {
    if (tails_readable) {
      step(wasm_i16x8_load8x8(row0 + k), wasm_i16x8_load8x8(row1 + k), block);
    } else {
      step(LoadTail(row0 + k, depth - k), LoadTail(row1 + k, depth - k), block);
    }
  }
  *sums0 = HorizontalSums(a00, a01, a02, a03);
  *sums1 = HorizontalSums(a10, a11, a12, a13);
}

void OneRowOneBlock(const int8_t* row, const int8_t* block, int depth, v128_t* sums) {
  v128_t a0 = wasm_i32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
  const int full = depth / kDepthBlock * kDepthBlock;
  auto step = [&](v128_t x, const int8_t* w) {
    a0 = wasm_i32x4_add(a0, wasm_i32x4_dot_i16x8(x, wasm_i16x8_load8x8(w)));
    a1 = wasm_i32x4_add(a1, wasm_i32x4_dot_i16x8(x, wasm_i16x8_load8x8(w + 8)));
    a2 = wasm_i32x4_add(a2, wasm_i32x4_dot_i16x8(x, wasm_i16x8_load8x8(w + 16)));
    a3 = wasm_i32x4_add(a3, wasm_i32x4_dot_i16x8(x, wasm_i16x8_load8x8(w + 24)));
  };
  int k = 0;
  for (; k < full; k += kDepthBlock, block += kChannelBlock * kDepthBlock) {
    step(wasm_i16x8_load8x8(row + k), block);
  }
  if (k < depth) step(LoadTail(row + k, depth - k), block);
  *sums = HorizontalSums(a0, a1, a2, a3);
}

// Splatted input pairs of one row: pairs[p] = (x[2p], x[2p+1]) as int16 in
// every 32-bit lane, from one or two 8-byte loads and a lane shuffle per
// pair; the row must be readable up to 8 * ceil(kPairs / 4) bytes.
template <int kPairs>
inline void LoadPairs(const int8_t* row, v128_t* pairs) {
  const v128_t lo = wasm_i16x8_load8x8(row);
  pairs[0] = wasm_i32x4_shuffle(lo, lo, 0, 0, 0, 0);
  if (kPairs > 1) pairs[1] = wasm_i32x4_shuffle(lo, lo, 1, 1, 1, 1);
  if (kPairs > 2) pairs[2] = wasm_i32x4_shuffle(lo, lo, 2, 2, 2, 2);
  if (kPairs > 3) pairs[3] = wasm_i32x4_shuffle(lo, lo, 3, 3, 3, 3);
  if (kPairs > 4) {
    const v128_t hi = wasm_i16x8_load8x8(row + 8);
    pairs[4] = wasm_i32x4_shuffle(hi, hi, 0, 0, 0, 0);
    if (kPairs > 5) pairs[5] = wasm_i32x4_shuffle(hi, hi, 1, 1, 1, 1);
    if (kPairs > 6) pairs[6] = wasm_i32x4_shuffle(hi, hi, 2, 2, 2, 2);
    if (kPairs > 7) pairs[7] = wasm_i32x4_shuffle(hi, hi, 3, 3, 3, 3);
  }
}

// LoadPairs for a row that may not be read that far: its `depth` bytes go
// through a zeroed copy (the extra values meet zero weights).
template <int kPairs>
inline void LoadPairsCopied(const int8_t* row, int depth, v128_t* pairs) {
  int8_t bytes[kSmallDepth] = {};
  for (int k = 0; k < depth; ++k) bytes[k] = row[k];  // depth <= 16: no memcpy call
  LoadPairs<kPairs>(bytes, pairs);
}

// One channel block's 4 sums for the rows whose pairs are x: bias + dot
// products, added as a tree so the dependency chain stays short.
template <int kPairs>
inline v128_t BlockSums(const v128_t* x, const int16_t* block, v128_t bias) {
  v128_t d[kPairs];
  for (int p = 0; p < kPairs; ++p) {
    d[p] = wasm_i32x4_dot_i16x8(x[p], wasm_v128_load(block + p * 2 * kChannelBlock));
  }
  for (int width = 1; width < kPairs; width *= 2) {
    for (int p = 0; p + width < kPairs; p += 2 * width) d[p] = wasm_i32x4_add(d[p], d[p + width]);
  }
  return wasm_i32x4_add(d[0], bias);
}

// Depth <= kSmallDepth: rows outside (their pairs splatted once, kept in
// registers: kPairs = ceil(depth / 2) is fixed so that every pair loop
// unrolls), all channel blocks inside; the int16 pair-packed weights stay in
// L1. Two rows share each weight load while their pairs fit in registers.
// Blocks run last to first and every block stores 4 sums: a partial last
// block spills into the next row's first channels, which that row's block 0
// (stored later) overwrites; the tile's last row spills into scratch slack.
// `lhs_end`: bytes of lhs that exist from `lhs` on.
template <int kPairs>
void SmallDepthTile(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end,
                    const PackedInt8Weights& w, const int32_t* channel_bias, int32_t* tile) {
  constexpr int kReadBytes = kPairs > 4 ? 16 : 8;
  constexpr int kRowsAtOnce = kPairs <= 5 ? 2 : 1;
  constexpr int kBlockValues = kPairs * 2 * kChannelBlock;
  const int blocks = w.padded_rows / kChannelBlock;
  const int16_t* weights = w.pair_data.data();
  for (int m = 0; m < rows; m += kRowsAtOnce) {
    const int64_t last = std::min(m + kRowsAtOnce, rows) - 1;
    v128_t x[kRowsAtOnce][kPairs];
    for (int r = 0; r < kRowsAtOnce; ++r) {
      const int64_t row = std::min<int64_t>(m + r, last);
      if (row * lhs_stride + kReadBytes <= lhs_end) {
        LoadPairs<kPairs>(lhs + row * lhs_stride, x[r]);
      } else {
        LoadPairsCopied<kPairs>(lhs + row * lhs_stride, w.depth, x[r]);
      }
    }
    int32_t* out = tile + static_cast<int64_t>(m) * w.rows;
    for (int b = blocks - 1; b >= 0; --b) {
      const int16_t* block = weights + b * kBlockValues;
      const v128_t bias = wasm_v128_load(channel_bias + b * kChannelBlock);
      // Both rows' sums before either store: v128 stores may alias anything,
      // so a store in between would make the weights load twice.
      const v128_t s0 = BlockSums<kPairs>(x[0], block, bias);
      const v128_t s1 = BlockSums<kPairs>(x[kRowsAtOnce - 1], block, bias);
      wasm_v128_store(out + b * kChannelBlock, s0);
      if (kRowsAtOnce == 2 && m + 1 < rows) wasm_v128_store(out + w.rows + b * kChannelBlock, s1);
    }
  }
}

using SmallDepthTileFn = void (*)(const int8_t*, int, int64_t, int64_t, const PackedInt8Weights&,
                                  const int32_t*, int32_t*);
constexpr SmallDepthTileFn kSmallDepthTiles[kSmallDepth / 2] = {
    SmallDepthTile<1>, SmallDepthTile<2>, SmallDepthTile<3>, SmallDepthTile<4>,
    SmallDepthTile<5>, SmallDepthTile<6>, SmallDepthTile<7>, SmallDepthTile<8>};

// Depth > kSmallDepth: channel blocks outside, rows inside: one block's
// weights (4 x depth bytes) stay in L1 while the tile's rows pass.
// `lhs_end`: bytes of lhs that exist from `lhs` on (see GemmInt8).
void DeepTile(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end,
              const PackedInt8Weights& w, const int32_t* channel_bias, bool rows_padded,
              int32_t* tile) {
  const int depth = rows_padded ? w.padded_depth : w.depth;
  const int64_t block_bytes = static_cast<int64_t>(kChannelBlock) * w.padded_depth;
  for (int n = 0; n < w.rows; n += kChannelBlock) {
    const int8_t* block = w.data.data() + (n / kChannelBlock) * block_bytes;
    const int valid = std::min(kChannelBlock, w.rows - n);
    int m = 0;
    for (; m + 1 < rows; m += 2) {
      v128_t sums0, sums1;
      const bool tails_readable = (m + 1) * lhs_stride + w.padded_depth <= lhs_end;
      TwoRowsOneBlock(lhs + m * lhs_stride, lhs + (m + 1) * lhs_stride, block, depth,
                      tails_readable, &sums0, &sums1);
      StoreSums(sums0, n, valid, channel_bias, tile + m * w.rows);
      StoreSums(sums1, n, valid, channel_bias, tile + (m + 1) * w.rows);
    }
    if (m < rows) {
      v128_t sums;
      OneRowOneBlock(lhs + m * lhs_stride, block, depth, &sums);
      StoreSums(sums, n, valid, channel_bias, tile + m * w.rows);
    }
  }
}

}  // namespace

void PackInt8Weights(const int8_t* weights, int rows, int depth, PackedInt8Weights* packed) {
  packed->rows = rows;
  packed->depth = depth;
  packed->padded_rows = (rows + kChannelBlock - 1) / kChannelBlock * kChannelBlock;
  packed->padded_depth = (depth + kDepthBlock - 1) / kDepthBlock * kDepthBlock;
  packed->data.assign(static_cast<size_t>(packed->padded_rows) * packed->padded_depth, 0);
  packed->row_sums.assign(packed->padded_rows, 0);
  packed->row_abs_sums.assign(packed->padded_rows, 0);
  for (int n = 0; n < rows; ++n) {
    const int8_t* row = weights + static_cast<int64_t>(n) * depth;
    // Block (n / 4) starts at (n / 4) * 4 * padded_depth; inside it, depth
    // chunk k / 8 takes 32 bytes, of which channel n % 4 owns 8.
    int8_t* block = packed->data.data() +
                    static_cast<int64_t>(n / kChannelBlock) * kChannelBlock * packed->padded_depth;
    for (int k = 0; k < depth; ++k) {
      block[(k / kDepthBlock) * kChannelBlock * kDepthBlock + (n % kChannelBlock) * kDepthBlock +
            k % kDepthBlock] = row[k];
      packed->row_sums[n] += row[k];
      packed->row_abs_sums[n] += row[k] < 0 ? -row[k] : row[k];
    }
  }
  packed->pair_data.clear();
  if (depth <= kSmallDepth) {
    const int pairs = (depth + 1) / 2;
    packed->pair_data.assign(static_cast<size_t>(packed->padded_rows) * pairs * 2, 0);
    for (int n = 0; n < rows; ++n) {
      for (int k = 0; k < depth; ++k) {
        const int64_t block = static_cast<int64_t>(n / kChannelBlock) * pairs + k / 2;
        const int64_t index = block * 2 * kChannelBlock + (n % kChannelBlock) * 2 + k % 2;
        packed->pair_data[index] = weights[static_cast<int64_t>(n) * depth + k];
      }
    }
  }
}

std::vector<int32_t> FoldInputOffset(const PackedInt8Weights& packed, const int32_t* bias,
                                     int32_t input_offset) {
  std::vector<int32_t> folded(packed.padded_rows, 0);
  for (int n = 0; n < packed.rows; ++n) {
    const int64_t value = (bias != nullptr ? bias[n] : 0) + packed.row_sums[n] * input_offset;
    folded[n] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(value)));
  }
  return folded;
}

int64_t GemmAccumulatorBound(const PackedInt8Weights& w, const int32_t* channel_bias) {
  int64_t bound = 0;
  for (int n = 0; n < w.rows; ++n) {
    const int64_t bias = channel_bias[n];
    bound = std::max(bound, (bias < 0 ? -bias : bias) + 128 * w.row_abs_sums[n]);
  }
  return bound;
}

namespace {

// The sums of `count` rows from `lhs` into `tile` (count * w.rows values + slack).
void AccumulateTile(const int8_t* lhs, int count, int64_t lhs_stride, int64_t lhs_end,
                    const PackedInt8Weights& w, const int32_t* channel_bias, bool rows_padded,
                    int32_t* tile) {
  if (w.depth <= kSmallDepth) {
    kSmallDepthTiles[(w.depth + 1) / 2 - 1](lhs, count, lhs_stride, lhs_end, w, channel_bias, tile);
  } else {
    DeepTile(lhs, count, lhs_stride, lhs_end, w, channel_bias, rows_padded, tile);
  }
}

}  // namespace

void GemmInt8(const int8_t* lhs, int rows, int64_t lhs_stride, const PackedInt8Weights& w,
              const int32_t* channel_bias, const ChannelRequantization& rq, int8_t* out,
              int64_t out_stride, int32_t* scratch, bool rows_padded) {
  // Bytes of lhs that exist: a row's 8-byte tail load is safe when it ends
  // inside them (always, except near the last row).
  const int64_t lhs_bytes = static_cast<int64_t>(rows - 1) * lhs_stride + w.depth;
  for (int first = 0; first < rows; first += kGemmTileRows) {
    const int count = std::min(kGemmTileRows, rows - first);
    AccumulateTile(lhs + first * lhs_stride, count, lhs_stride, lhs_bytes - first * lhs_stride, w,
                   channel_bias, rows_padded, scratch);
    int8_t* tile_out = out + first * out_stride;
    if (out_stride == w.rows) {
      rq.RequantizeToInt8(scratch, static_cast<int64_t>(count) * w.rows, tile_out);
    } else {
      for (int m = 0; m < count; ++m) {
        rq.RequantizeToInt8(scratch + m * w.rows, w.rows, tile_out + m * out_stride);
      }
    }
  }
}

void GemmInt8Accumulate(const int8_t* lhs, int rows, int64_t lhs_stride,
                        const PackedInt8Weights& w, const int32_t* channel_bias, int32_t* acc,
                        bool rows_padded) {
  const int64_t lhs_bytes = static_cast<int64_t>(rows - 1) * lhs_stride + w.depth;
  for (int first = 0; first < rows; first += kGemmTileRows) {
    const int count = std::min(kGemmTileRows, rows - first);
    // A tile's slack spills into the next tile's first values, written next.
    AccumulateTile(lhs + first * lhs_stride, count, lhs_stride, lhs_bytes - first * lhs_stride, w,
                   channel_bias, rows_padded, acc + static_cast<int64_t>(first) * w.rows);
  }
}

}  // namespace simd
}  // namespace qlite
