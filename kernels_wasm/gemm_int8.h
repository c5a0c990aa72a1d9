// The int8 GEMM behind the SIMD CONV_2D and FULLY_CONNECTED kernels:
//   out[m, n] = requantize_n(channel_bias[n] + sum_k lhs[m, k] * w[n, k])
// lhs: int8 rows (input pixels, im2col patches or FC batch rows) read as-is;
// w: int8 [n][k] weights packed once (PackInt8Weights); requantization per
// output channel (kernels_wasm/requantize.h).
//
// Input zero points are folded into channel_bias at prepare time:
//   sum_k (x + input_offset) * w = sum_k x * w + input_offset * sum_k w,
// which is exact in wrapping int32 arithmetic, like the reference kernels'
// accumulators. Weight zero points must be 0 (int8 per-channel / symmetric).
//
// Micro-benchmark entry point:
//   PackedInt8Weights w;  PackInt8Weights(weights, n, k, m, &w);
//   std::vector<int32_t> bias = FoldInputOffset(w, raw_bias_or_null, input_offset);
//   ChannelRequantization rq;  rq.Init(multipliers, shifts, out_zp, act_min, act_max);
//   rq.SetAccumulatorBound(GemmAccumulatorBound(w, bias.data()));
//   std::vector<int32_t> scratch(GemmScratchInts(w));
//   GemmInt8(lhs, m, /*lhs_stride=*/k, w, bias.data(), rq, out, /*out_stride=*/n, scratch.data());
// performs m * n * k multiply-accumulates.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels_wasm/requantize.h"

namespace qlite {
namespace simd {

// Weights of `rows` output channels by `depth` values, packed once in one of
// three layouts (channels zero-padded to a multiple of 4 in all):
// - quads, whenever the engine's relaxed dot product is exact
//   (kernels_wasm/relaxed_dot.h): panels of 16 channels x 4 int8 depth values
//   per step, so that one relaxed dot against a splatted quad of inputs adds
//   16 products into 4 channel sums (kernels_wasm/gemm_quad_panels.h). If the
//   engine reads the inputs as uint8, they are offset by lhs_offset = 128 (a
//   byte xor), which FoldInputOffset takes back out of the bias.
// - pairs (most convolutions otherwise): blocks of 4 channels x 2 depth values
//   widened to int16 (16 bytes: channel 0's pair, channel 1's, ...), so that
//   one i32x4.dot_i16x8_s against a splatted pair of inputs yields 4 channel
//   sums with no horizontal adds; in chunks of kPairChunk depth values.
// - deep (depth > kPairDepthLimit, or one lhs row over large weights, where
//   half-size int8 weights win): blocks of 4 channels x 8 depth values (32
//   bytes: channel 0's 8 values, then channel 1's, ...), blocks of one channel
//   group consecutive along depth, depth zero-padded to a multiple of 8.
constexpr int kPairChunk = 16;
constexpr int kPairDepthLimit = 1024;

enum class GemmLayout { kDeep, kPairs, kQuads };

struct PackedInt8Weights {
  int rows = 0, depth = 0;
  int padded_rows = 0, padded_depth = 0;  // padded_depth: multiple of 8 (all layouts)
  GemmLayout layout = GemmLayout::kDeep;
  int32_t lhs_offset = 0;             // added to every lhs value by the kernel (quads)
  std::vector<int8_t> data;           // deep and quad layouts
  std::vector<int16_t> pair_data;     // pair layout (int16: no widening per load)
  std::vector<int64_t> row_sums;      // sum over depth of each channel's weights
  std::vector<int64_t> row_abs_sums;  // sum over depth of |weight| per channel
};

// `weights` is row-major [rows][depth]; `lhs_rows`: how many lhs rows a
// GemmInt8 call will usually see (output pixels, batch), which picks between
// pairs and deep; quads whenever simd::ActiveRelaxedDot() is not kUnavailable.
void PackInt8Weights(const int8_t* weights, int rows, int depth, int64_t lhs_rows,
                     PackedInt8Weights* packed);

// bias[n] (or 0 when `bias` is nullptr) + (input_offset - packed.lhs_offset)
// * row_sums[n], wrapped to int32; padded to packed.padded_rows entries.
std::vector<int32_t> FoldInputOffset(const PackedInt8Weights& packed, const int32_t* bias,
                                     int32_t input_offset);

// Rows per accumulator tile: GemmInt8 computes the int32 sums of this many
// rows into scratch, then requantizes them 16 outputs at a time.
constexpr int kGemmTileRows = 16;
// Values past the sums that a tile may write: the chunked layouts' last row
// stores whole blocks of 4 channels.
constexpr int kGemmAccumulatorSlack = 4;

// int32 values of the scratch GemmInt8 needs for `w`.
inline int64_t GemmScratchInts(const PackedInt8Weights& w) {
  return int64_t{kGemmTileRows} * w.rows + kGemmAccumulatorSlack;
}

// out[m * out_stride + n] for m < rows, n < w.rows (see the top of the file).
// lhs row m starts at lhs + m * lhs_stride and holds w.depth values; rows are
// never read past their end, unless `rows_padded`: then each row may be read
// up to w.padded_depth (any values there; they meet zero weights), which
// saves copying each row's last depth % 8 values. `channel_bias` from
// FoldInputOffset; `rq` holds w.rows channels; `scratch` holds
// GemmScratchInts(w) values.
void GemmInt8(const int8_t* lhs, int rows, int64_t lhs_stride, const PackedInt8Weights& w,
              const int32_t* channel_bias, const ChannelRequantization& rq, int8_t* out,
              int64_t out_stride, int32_t* scratch, bool rows_padded = false);

// The int32 sums alone (bias included, not requantized): acc[m * w.rows + n]
// for m < rows; `acc` holds rows * w.rows + kGemmAccumulatorSlack values.
// Rows as for GemmInt8.
void GemmInt8Accumulate(const int8_t* lhs, int rows, int64_t lhs_stride, const PackedInt8Weights& w,
                        const int32_t* channel_bias, int32_t* acc, bool rows_padded = false);

// The largest |accumulator| (bias included) the GEMM can produce for these
// weights: |channel_bias| + 128 * sum |w| per channel, for
// ChannelRequantization::SetAccumulatorBound.
int64_t GemmAccumulatorBound(const PackedInt8Weights& w, const int32_t* channel_bias);

}  // namespace simd
}  // namespace qlite
