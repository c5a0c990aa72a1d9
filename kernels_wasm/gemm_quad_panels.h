// The int8 GEMM's quad layout (GemmLayout::kQuads), used where the engine's
// relaxed dot product is exact (kernels_wasm/relaxed_dot.h): one
// i32x4.relaxed_dot_i8x16_i7x16_add_s adds 4 depth values x 4 channels.
//
// Weights are packed in panels of kPanelBlocks blocks of 4 channels (16
// channels; the last panel holds the remaining 1..4 blocks):
//   [panel][depth quad][block][channel in block][4 depth values],
// depth zero-padded to a multiple of 4. A register tile of two lhs rows x one
// panel keeps its 2 x 4 int32 sum vectors in registers over the whole depth:
// per depth quad, each row's 4 input bytes are splatted once and every weight
// vector loaded meets both rows. (Three rows, or six blocks, outgrow the
// engine's 16 vector registers and spill: measured slower.)
#pragma once

#include <cstdint>

#include "kernels_wasm/gemm_int8.h"

namespace qlite {
namespace simd {

constexpr int kPanelBlocks = 4;
constexpr int kPanelChannels = kPanelBlocks * 4;  // blocks of 4 channels

// Fills packed->data in the layout above from row-major [rows][depth]
// `weights`; packed->rows, depth and padded_rows must be set.
void PackQuadPanels(const int8_t* weights, PackedInt8Weights* packed);

// tile[m * w.rows + n] = channel_bias[n] + sum_k lhs[m, k] * w[n, k] for
// m < rows, every lhs byte xor (int8) w.lhs_offset as the engine reads it.
// `lhs_end`: bytes of lhs that exist from `lhs` on; a row whose last quad
// ends past them is read through a zeroed copy. The tile's last row may write
// kGemmAccumulatorSlack values past its end.
void QuadPanelSums(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end,
                   const PackedInt8Weights& w, const int32_t* channel_bias, int32_t* tile);

// QuadPanelSums followed by rq.RequantizeToInt8 of each row, the float path
// requantizing the register tiles in place: out[m * out_stride + n]. Needs
// w.rows a multiple of 16 (whole panels) and rq.float_path.
void QuadPanelRequantize(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end,
                         const PackedInt8Weights& w, const int32_t* channel_bias,
                         const ChannelRequantization& rq, int8_t* out, int64_t out_stride);

}  // namespace simd
}  // namespace qlite
