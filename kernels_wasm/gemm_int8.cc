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

// Requantizes one row's 4 channel sums and stores the valid ones.
inline void StoreRow(v128_t sums, int channel, int valid, const int32_t* channel_bias,
                     const ChannelRequantization& rq, int8_t* out) {
  const v128_t acc = wasm_i32x4_add(sums, wasm_v128_load(channel_bias + channel));
  const v128_t q = rq.Apply(acc, channel);
  if (valid == kChannelBlock) {
    StoreInt8x4(q, out);
  } else {
    int8_t bytes[kChannelBlock];
    StoreInt8x4(q, bytes);
    std::memcpy(out, bytes, valid);
  }
}

// The last depth % 8 values of a row, zero-extended to 8 (the packed weights
// are zero there, so the extra products vanish) without reading past the row.
inline v128_t LoadTail(const int8_t* row_tail, int count) {
  int8_t bytes[kDepthBlock] = {};
  std::memcpy(bytes, row_tail, count);
  return wasm_i16x8_load8x8(bytes);
}

// Two lhs rows times one block of 4 channels: 8 accumulators, each holding 4
// partial sums (i32x4.dot_i16x8_s adds adjacent products).
void TwoRowsOneBlock(const int8_t* row0, const int8_t* row1, const int8_t* block, int depth,
                     v128_t* sums0, v128_t* sums1) {
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
  if (k < depth) step(LoadTail(row0 + k, depth - k), LoadTail(row1 + k, depth - k), block);
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

}  // namespace

void PackInt8Weights(const int8_t* weights, int rows, int depth, PackedInt8Weights* packed) {
  packed->rows = rows;
  packed->depth = depth;
  packed->padded_rows = (rows + kChannelBlock - 1) / kChannelBlock * kChannelBlock;
  packed->padded_depth = (depth + kDepthBlock - 1) / kDepthBlock * kDepthBlock;
  packed->data.assign(static_cast<size_t>(packed->padded_rows) * packed->padded_depth, 0);
  packed->row_sums.assign(packed->padded_rows, 0);
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

void GemmInt8(const int8_t* lhs, int rows, int64_t lhs_stride, const PackedInt8Weights& w,
              const int32_t* channel_bias, const ChannelRequantization& rq, int8_t* out,
              int64_t out_stride, bool rows_padded) {
  const int depth = rows_padded ? w.padded_depth : w.depth;
  const int64_t block_bytes = static_cast<int64_t>(kChannelBlock) * w.padded_depth;
  // Channel blocks outside, rows inside: one block's weights (4 x depth bytes)
  // stay in L1 while the rows stream past.
  for (int n = 0; n < w.rows; n += kChannelBlock) {
    const int8_t* block = w.data.data() + (n / kChannelBlock) * block_bytes;
    const int valid = std::min(kChannelBlock, w.rows - n);
    int m = 0;
    for (; m + 1 < rows; m += 2) {
      v128_t sums0, sums1;
      TwoRowsOneBlock(lhs + m * lhs_stride, lhs + (m + 1) * lhs_stride, block, depth, &sums0,
                      &sums1);
      StoreRow(sums0, n, valid, channel_bias, rq, out + m * out_stride + n);
      StoreRow(sums1, n, valid, channel_bias, rq, out + (m + 1) * out_stride + n);
    }
    if (m < rows) {
      v128_t sums;
      OneRowOneBlock(lhs + m * lhs_stride, block, depth, &sums);
      StoreRow(sums, n, valid, channel_bias, rq, out + m * out_stride + n);
    }
  }
}

}  // namespace simd
}  // namespace qlite
