#include "kernels_wasm/gemm_int8.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "kernels_wasm/gemm_quad_panels.h"
#include "kernels_wasm/relaxed_dot.h"

namespace qlite {
namespace simd {
namespace {

constexpr int kChannelBlock = 4;  // output channels per packed block
constexpr int kDepthBlock = 8;    // depth values per i16x8 multiply

// Sums of the four lanes of a, b, c, d -> one vector [sum a, sum b, sum c, sum d].
inline v128_t HorizontalSums(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab =
      wasm_i32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd =
      wasm_i32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
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

// The pair layout as a policy of ChunkTile: a step is one input pair
// splatted across the lanes, times one packed block of 4 channels.
// ReadBytes: how far Load reads a row; RowsAtOnce: rows whose splatted
// inputs fit in registers together.
struct PairSteps {
  using Weight = int16_t;
  static constexpr int kDepth = 2;
  static constexpr int kChunk = kPairChunk;
  static constexpr int ReadBytes(int steps) { return steps > 4 ? 16 : 8; }
  static constexpr int RowsAtOnce(int steps) { return steps <= 5 ? 2 : 1; }
  template <int kSteps>
  static void Load(const int8_t* row, v128_t* x) {
    LoadPairs<kSteps>(row, x);
  }
  // bias + dot products, added as a tree so the dependency chain stays short.
  template <int kSteps>
  static v128_t Sums(const v128_t* x, const Weight* block, v128_t base) {
    v128_t d[kSteps];
    for (int p = 0; p < kSteps; ++p) {
      d[p] = wasm_i32x4_dot_i16x8(x[p], wasm_v128_load(block + p * 2 * kChannelBlock));
    }
    for (int width = 1; width < kSteps; width *= 2) {
      for (int p = 0; p + width < kSteps; p += 2 * width) {
        d[p] = wasm_i32x4_add(d[p], d[p + width]);
      }
    }
    return wasm_i32x4_add(d[0], base);
  }
};

// Depth values of the first chunk: the rest of the depth splits into whole
// chunks of `chunk`.
inline int FirstChunkDepth(int depth, int chunk) { return depth - (depth - 1) / chunk * chunk; }

// Weight values per channel that a chunk of `chunk_depth` packs (whole steps).
inline int ChunkValues(int chunk_depth, int step) { return (chunk_depth + step - 1) / step * step; }

// Chunked layouts run depth in chunks of at most Steps::kChunk values: a
// first chunk (the whole depth when it fits) stores bias + its sums, every
// further full chunk adds its sums to the tile. Per chunk: rows outside
// (their inputs splatted once, kept in registers: kSteps is fixed so that
// every step loop unrolls), all channel blocks inside; one chunk's weights
// stay in L1. Two rows share each weight load while their inputs fit in
// registers.
// Blocks run last to first and every block stores 4 sums: a partial last
// block spills into the next row's first channels, which that row's block 0
// (stored later) overwrites, or, when accumulating, rewrites with the value
// it read (padded channels have zero weights, so their sums add nothing); the
// tile's last row spills into scratch slack.
// `lhs_end`: bytes of lhs that exist from `lhs` on, counted from the chunk's
// first depth value.
template <class Steps, int kSteps, bool kAccumulate>
void ChunkTile(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end, int chunk_depth,
               const typename Steps::Weight* weights, int w_rows, int padded_rows,
               const int32_t* channel_bias, int32_t* tile) {
  constexpr int kReadBytes = Steps::ReadBytes(kSteps);
  constexpr int kRowsAtOnce = Steps::RowsAtOnce(kSteps);
  constexpr int kBlockValues = kSteps * Steps::kDepth * kChannelBlock;
  const int blocks = padded_rows / kChannelBlock;
  for (int m = 0; m < rows; m += kRowsAtOnce) {
    const int64_t last = std::min(m + kRowsAtOnce, rows) - 1;
    v128_t x[kRowsAtOnce][kSteps];
    for (int r = 0; r < kRowsAtOnce; ++r) {
      const int8_t* row = lhs + std::min<int64_t>(m + r, last) * lhs_stride;
      if (row - lhs + kReadBytes <= lhs_end) {
        Steps::template Load<kSteps>(row, x[r]);
      } else {
        // A row that may not be read that far goes through a zeroed copy
        // (the extra values meet zero weights).
        int8_t bytes[Steps::kChunk] = {};
        for (int k = 0; k < chunk_depth; ++k) bytes[k] = row[k];  // no memcpy call
        Steps::template Load<kSteps>(bytes, x[r]);
      }
    }
    int32_t* out0 = tile + static_cast<int64_t>(m) * w_rows;
    // A missing second row computes the first row's sums again, unstored.
    int32_t* out1 = out0 + (last > m ? w_rows : 0);
    for (int b = blocks - 1; b >= 0; --b) {
      const typename Steps::Weight* block = weights + b * kBlockValues;
      const int channel = b * kChannelBlock;
      const v128_t base0 = wasm_v128_load(kAccumulate ? out0 + channel : channel_bias + channel);
      const v128_t base1 = kAccumulate ? wasm_v128_load(out1 + channel) : base0;
      // Both rows' sums before either store: v128 stores may alias anything,
      // so a store in between would make the weights load twice.
      const v128_t s0 = Steps::template Sums<kSteps>(x[0], block, base0);
      const v128_t s1 = Steps::template Sums<kSteps>(x[kRowsAtOnce - 1], block, base1);
      wasm_v128_store(out0 + channel, s0);
      if (kRowsAtOnce == 2 && last > m) wasm_v128_store(out1 + channel, s1);
    }
  }
}

template <class Steps>
using ChunkTileFn = void (*)(const int8_t*, int, int64_t, int64_t, int,
                             const typename Steps::Weight*, int, int, const int32_t*, int32_t*);

// First-chunk tiles by step count: entry i takes i + 1 steps.
template <class Steps, size_t... kIndex>
constexpr std::array<ChunkTileFn<Steps>, sizeof...(kIndex)> FirstChunkTiles(
    std::index_sequence<kIndex...>) {
  return {{&ChunkTile<Steps, static_cast<int>(kIndex) + 1, false>...}};
}

// The sums of `rows` rows over a chunked layout's depth, chunk by chunk.
template <class Steps>
void ChunkedTile(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end,
                 const PackedInt8Weights& w, const typename Steps::Weight* weights,
                 const int32_t* channel_bias, int32_t* tile) {
  constexpr int kMaxSteps = Steps::kChunk / Steps::kDepth;
  static constexpr auto kFirstTiles = FirstChunkTiles<Steps>(std::make_index_sequence<kMaxSteps>());
  const int first_depth = FirstChunkDepth(w.depth, Steps::kChunk);
  const int first_values = ChunkValues(first_depth, Steps::kDepth);
  kFirstTiles[first_values / Steps::kDepth - 1](lhs, rows, lhs_stride, lhs_end, first_depth,
                                                weights, w.rows, w.padded_rows, channel_bias, tile);
  weights += static_cast<int64_t>(w.padded_rows) * first_values;
  for (int k = first_depth; k < w.depth; k += Steps::kChunk) {
    ChunkTile<Steps, kMaxSteps, true>(lhs + k, rows, lhs_stride, lhs_end - k, Steps::kChunk,
                                      weights, w.rows, w.padded_rows, channel_bias, tile);
    weights += static_cast<int64_t>(w.padded_rows) * Steps::kChunk;
  }
}

// Deeper than kPairDepthLimit: channel blocks outside, rows inside: one block's
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

// The sums of `count` rows from `lhs` into `tile` (count * w.rows values + slack).
void AccumulateTile(const int8_t* lhs, int count, int64_t lhs_stride, int64_t lhs_end,
                    const PackedInt8Weights& w, const int32_t* channel_bias, bool rows_padded,
                    int32_t* tile) {
  switch (w.layout) {
    case GemmLayout::kPairs:
      ChunkedTile<PairSteps>(lhs, count, lhs_stride, lhs_end, w, w.pair_data.data(), channel_bias,
                             tile);
      break;
    case GemmLayout::kQuads:
      QuadPanelSums(lhs, count, lhs_stride, lhs_end, w, channel_bias, tile);
      break;
    case GemmLayout::kDeep:
      DeepTile(lhs, count, lhs_stride, lhs_end, w, channel_bias, rows_padded, tile);
      break;
  }
}

// Deep layout: block (n / 4) starts at (n / 4) * 4 * padded_depth; inside it,
// depth chunk k / 8 takes 32 bytes, of which channel n % 4 owns 8.
void PackDeep(const int8_t* weights, PackedInt8Weights* packed) {
  packed->data.assign(static_cast<size_t>(packed->padded_rows) * packed->padded_depth, 0);
  for (int n = 0; n < packed->rows; ++n) {
    int8_t* block = packed->data.data() +
                    static_cast<int64_t>(n / kChannelBlock) * kChannelBlock * packed->padded_depth;
    for (int k = 0; k < packed->depth; ++k) {
      block[(k / kDepthBlock) * kChannelBlock * kDepthBlock + (n % kChannelBlock) * kDepthBlock +
            k % kDepthBlock] = weights[static_cast<int64_t>(n) * packed->depth + k];
    }
  }
}

// Chunked layouts (`step` = 2: pairs): chunk c's values start at
// padded_rows * (its first depth value, the first chunk's rounded up to a
// step); inside a chunk [channel block][step][channel in block][step values].
template <typename T>
void PackChunked(const int8_t* weights, int step, int chunk, PackedInt8Weights* packed,
                 std::vector<T>* data) {
  const int depth = packed->depth;
  const int first_depth = FirstChunkDepth(depth, chunk);
  const int first_values = ChunkValues(first_depth, step);
  data->assign(static_cast<size_t>(packed->padded_rows) * (first_values + depth - first_depth), 0);
  for (int k = 0; k < depth; ++k) {
    const bool first = k < first_depth;
    const int chunk_start = first ? 0 : k - (k - first_depth) % chunk;
    const int steps = (first ? first_values : chunk) / step;
    const int64_t chunk_offset = first ? 0
                                       : static_cast<int64_t>(packed->padded_rows) *
                                             (first_values + chunk_start - first_depth);
    const int in_chunk = k - chunk_start;
    for (int n = 0; n < packed->rows; ++n) {
      const int64_t block = static_cast<int64_t>(n / kChannelBlock) * steps + in_chunk / step;
      (*data)[chunk_offset + block * step * kChannelBlock + (n % kChannelBlock) * step +
              in_chunk % step] = weights[static_cast<int64_t>(n) * depth + k];
    }
  }
}

}  // namespace

void PackInt8Weights(const int8_t* weights, int rows, int depth, int64_t lhs_rows,
                     PackedInt8Weights* packed) {
  packed->rows = rows;
  packed->depth = depth;
  packed->padded_rows = (rows + kChannelBlock - 1) / kChannelBlock * kChannelBlock;
  packed->padded_depth = (depth + kDepthBlock - 1) / kDepthBlock * kDepthBlock;
  packed->row_sums.assign(packed->padded_rows, 0);
  packed->row_abs_sums.assign(packed->padded_rows, 0);
  for (int n = 0; n < rows; ++n) {
    for (int k = 0; k < depth; ++k) {
      const int8_t v = weights[static_cast<int64_t>(n) * depth + k];
      packed->row_sums[n] += v;
      packed->row_abs_sums[n] += v < 0 ? -v : v;
    }
  }
  packed->data.clear();
  packed->pair_data.clear();
  const RelaxedDot relaxed = ActiveRelaxedDot();
  packed->lhs_offset = RelaxedDotInputOffset(relaxed);  // 0 unless quads read uint8
  if (relaxed != RelaxedDot::kUnavailable) {
    // int8 quads: as few weight bytes as the deep layout, no horizontal sums.
    packed->layout = GemmLayout::kQuads;
    PackQuadPanels(weights, packed);
    return;
  }
  // A single lhs row reads every weight once: int16 pairs would double the
  // bytes streamed from memory, which costs more than horizontal sums once
  // the weights leave the caches (measured: 1 x 1024 -> 1000 is 1.5x slower).
  constexpr int64_t kPairBytesForOneRow = 64 * 1024;
  const bool one_row_large =
      lhs_rows <= 1 && int64_t{packed->padded_rows} * depth * 2 > kPairBytesForOneRow;
  if (depth <= kPairDepthLimit && !one_row_large) {
    packed->layout = GemmLayout::kPairs;
    PackChunked(weights, 2, kPairChunk, packed, &packed->pair_data);
  } else {
    packed->layout = GemmLayout::kDeep;
    PackDeep(weights, packed);
  }
}

std::vector<int32_t> FoldInputOffset(const PackedInt8Weights& packed, const int32_t* bias,
                                     int32_t input_offset) {
  std::vector<int32_t> folded(packed.padded_rows, 0);
  for (int n = 0; n < packed.rows; ++n) {
    const int64_t value = (bias != nullptr ? bias[n] : 0) +
                          packed.row_sums[n] * (int64_t{input_offset} - packed.lhs_offset);
    folded[n] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(value)));
  }
  return folded;
}

int64_t GemmAccumulatorBound(const PackedInt8Weights& w, const int32_t* channel_bias) {
  int64_t bound = 0;
  for (int n = 0; n < w.rows; ++n) {
    // The quads' lhs_offset moved lhs_offset * row_sums out of the bias.
    const int64_t bias = channel_bias[n] + int64_t{w.lhs_offset} * w.row_sums[n];
    bound = std::max(bound, Int8AccumulatorBound(bias, w.row_abs_sums[n]));
  }
  return bound;
}

void GemmInt8(const int8_t* lhs, int rows, int64_t lhs_stride, const PackedInt8Weights& w,
              const int32_t* channel_bias, const ChannelRequantization& rq, int8_t* out,
              int64_t out_stride, int32_t* scratch, bool rows_padded) {
  // Bytes of lhs that exist: a row's 8-byte tail load is safe when it ends
  // inside them (always, except near the last row).
  const int64_t lhs_bytes = static_cast<int64_t>(rows - 1) * lhs_stride + w.depth;
  // Whole quad panels on the float path requantize their register tiles.
  const bool fused =
      w.layout == GemmLayout::kQuads && rq.float_path && w.rows % kPanelChannels == 0;
  for (int first = 0; first < rows; first += kGemmTileRows) {
    const int count = std::min(kGemmTileRows, rows - first);
    if (fused) {
      QuadPanelRequantize(lhs + first * lhs_stride, count, lhs_stride,
                          lhs_bytes - first * lhs_stride, w, channel_bias, rq,
                          out + first * out_stride, out_stride);
      continue;
    }
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

void GemmInt8Accumulate(const int8_t* lhs, int rows, int64_t lhs_stride, const PackedInt8Weights& w,
                        const int32_t* channel_bias, int32_t* acc, bool rows_padded) {
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
