// DEPTHWISE_CONV_2D in SIMD128 for int8 (per-channel weights) and float32
// (depthwise_conv_float.cc), vectorized across channels (16, then 8, then one
// at a time), byte-identical to the reference kernel
// (core/kernels/depthwise_conv.cc).
//
// Prepare is the reference one; then, for int8, the weights are widened to
// int16 once ([tap][channel], the filter's own order) and the input offset is
// folded into the bias: sum((x - zp) * w) = sum(x * w) - zp * sum(w). A tap in
// the padding then has to contribute x = zp, so it reads a row of zero points
// instead of being skipped; every output runs the same taps and the integer
// sum is exact (int32 wraps like the reference's). Taps are multiplied two at
// a time with i32x4.dot_i16x8_s (weights packed in tap pairs), or, where the
// engine's relaxed dot product is exact (kernels_wasm/relaxed_dot.h), four at
// a time for 16 channels: inputs interleaved to [channel][4 taps] bytes meet
// int8 weights packed the same way; 3x3 and 5x5 layers (dilation 1, 16 or
// more channels) group those taps by filter column instead, so that one
// interleaving serves several output pixels (kernels_wasm/
// depthwise_column_quads.h). An output row's int32 sums are then
// requantized together by the GEMM's tile requantizer (requantize.h).
//
// A depth multiplier m > 1 is handled by first repeating each input channel
// m times into scratch memory; the expanded input then has one channel per
// output channel and the same loops apply.
//
// int8 3x3 filters (MobileNet's; any stride and dilation) run a loop with the
// tap count known at compile time; other sizes use the same loop with a run-time
// count (a 5x5 instance would add another copy of the unrolled loops to
// the wasm size budget).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/kernels/conv_common.h"
#include "core/kernels/depthwise_conv.h"
#include "core/op_table.h"
#include "core/quant_math.h"
#include "kernels_wasm/depthwise_column_quads.h"
#include "kernels_wasm/depthwise_conv_float.h"
#include "kernels_wasm/relaxed_dot.h"
#include "kernels_wasm/requantize.h"
#include "kernels_wasm/simd128.h"
#include "kernels_wasm/unpadded_range.h"
#include "kernels_wasm/worker_scratch.h"

namespace qlite {
namespace {

constexpr int kInputTensor = 0;
constexpr int kFilterTensor = 1;
constexpr int kBiasTensor = 2;

// The taps of the int8 output pixel one worker thread is computing: input
// pointer (channel 0) of each, in filter order. A worker's slice of
// SimdDepthwiseData::tap_scratch, filled per pixel.
using PixelTaps = const int8_t**;
static_assert(sizeof(const int8_t*) <= 8, "tap_scratch holds 8 bytes per tap");

struct SimdDepthwiseData : DepthwiseConvOpData {
  int channels = 0;                      // output channels = channels of the (expanded) input
  int taps = 0;                          // filter_height * filter_width
  int expanded_input_scratch = -1;       // depth multiplier > 1 only
  simd::WorkerScratch row_sums_scratch;  // int8, per worker: one output row's int32 sums
  // int8
  std::vector<int16_t> weights;  // [tap][channel]
  // Taps 2p and 2p + 1 interleaved, [pair][channel][2], so that one
  // i32x4.dot_i16x8_s multiplies and adds two taps of four channels.
  std::vector<int16_t> pair_weights;
  std::vector<int32_t> folded_bias;  // bias - zp * sum of the channel's weights (wrapped)
  // Relaxed dot product only (empty otherwise): taps in fours, [quad][channel]
  // [4] int8, zero past the last tap; the inputs are xor quad_flip (0x80: the
  // engine reads them as uint8 x + 128, which quad_bias takes back out).
  std::vector<int8_t> quad_weights;
  std::vector<int32_t> quad_bias;  // folded_bias - 128 * sum w when flipped (wrapped)
  int8_t quad_flip = 0;
  // 3x3 or 5x5, dilation 1, 16 or more channels, relaxed dot: whole rows of
  // column quads (kernels_wasm/depthwise_column_quads.h) instead of pixels.
  bool column_quads = false;
  simd::DepthwiseColumnQuads column_quad_rows;
  simd::WorkerScratch column_quads_scratch;  // per worker
  // Channels of the int8 weight and bias arrays: `channels`, or 16 for an
  // 8-channel layer, whose arrays hold every channel twice so that two
  // horizontally adjacent pixels run as one 16-channel pixel (pixel_pairs).
  int weight_stride = 0;
  bool pixel_pairs = false;
  simd::ChannelRequantization requantization;
  std::vector<int8_t> zero_point_row;  // one input pixel of zero points
  simd::WorkerScratch tap_scratch;     // int8, per worker: its PixelTaps
  // Unpadded output pixels, whose taps all lie inside the input: [begin, end)
  // rows and columns (kernels_wasm/unpadded_range.h); their taps are at fixed
  // offsets from the window's corner.
  int unpadded_y_begin = 0, unpadded_y_end = 0, unpadded_x_begin = 0, unpadded_x_end = 0;
  std::vector<int64_t> tap_offsets;  // elements from the corner, per filter tap
};

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  const Tensor* input = ctx.input(kInputTensor);
  const Tensor* filter = ctx.input(kFilterTensor);
  const Tensor* bias = ctx.input(kBiasTensor);
  const Tensor* output = ctx.output(0);
  if (input == nullptr || filter == nullptr || output == nullptr) return false;
  if (!filter->is_constant() || (bias != nullptr && !bias->is_constant())) return false;
  const DType type = input->type;
  if (type != DType::kInt8 && type != DType::kFloat32) return false;  // uint8, int16x8
  if (filter->type != type || output->type != type) return false;     // hybrid
  const DType bias_type = type == DType::kInt8 ? DType::kInt32 : DType::kFloat32;
  return bias == nullptr || bias->type == bias_type;
}

// [tap][channel] weights regrouped as `groups` groups of `group` taps,
// [group][channel][tap in group], zero past the last tap: tap pairs for
// dot_i16x8, tap quads for the relaxed dot.
template <typename T>
std::vector<T> GroupTaps(const int8_t* w, int taps, int channels, int group, int groups) {
  std::vector<T> grouped(static_cast<size_t>(groups) * channels * group, 0);
  for (int t = 0; t < std::min(taps, groups * group); ++t) {
    for (int c = 0; c < channels; ++c) {
      grouped[(static_cast<size_t>(t / group) * channels + c) * group + t % group] =
          w[static_cast<int64_t>(t) * channels + c];
    }
  }
  return grouped;
}

Status PackInt8(const Tensor& input, const Tensor& filter, const Tensor* bias,
                SimdDepthwiseData* d) {
  // 3x3 only: every other size would add its own copy of the pair code.
  d->pixel_pairs = d->channels == 8 && d->taps == 9 && d->out_width >= 2;
  // From here on `channels` counts the arrays' channels (see weight_stride).
  const int channels = d->weight_stride = d->pixel_pairs ? 16 : d->channels;
  std::vector<int8_t> doubled;
  const int8_t* w = filter.data_as<int8_t>();
  if (d->pixel_pairs) {
    doubled.resize(static_cast<size_t>(d->taps) * channels);
    for (size_t i = 0; i < doubled.size(); ++i) doubled[i] = w[i / 16 * 8 + i % 8];
    w = doubled.data();
  }
  d->folded_bias.resize(channels);
  const simd::RelaxedDot relaxed = simd::ActiveRelaxedDot();
  const bool quads = relaxed != simd::RelaxedDot::kUnavailable && channels >= 16;
  const int32_t quad_offset = simd::RelaxedDotInputOffset(relaxed);
  d->column_quads = quads && !d->pixel_pairs && simd::FitsColumnQuads(*d, channels);
  // Column quads run whole rows: the per-pixel weight arrays stay empty.
  if (!d->column_quads) {
    d->weights.assign(w, w + static_cast<size_t>(d->taps) * channels);
    // Whole pairs only: an odd last tap is multiplied alone from `weights`.
    d->pair_weights = GroupTaps<int16_t>(w, d->taps, channels, 2, d->taps / 2);
    if (quads) d->quad_weights = GroupTaps<int8_t>(w, d->taps, channels, 4, (d->taps + 3) / 4);
  }
  if (quads) {
    d->quad_bias.resize(channels);
    d->quad_flip = static_cast<int8_t>(quad_offset);
  }
  int64_t accumulator_bound = 0;
  for (int c = 0; c < channels; ++c) {
    int64_t weight_sum = 0, weight_abs_sum = 0;
    for (int t = 0; t < d->taps; ++t) {
      const int64_t weight = w[static_cast<int64_t>(t) * channels + c];
      weight_sum += weight;
      weight_abs_sum += weight < 0 ? -weight : weight;
    }
    const int64_t b = bias != nullptr ? bias->data_as<int32_t>()[c % d->channels] : 0;
    d->folded_bias[c] = WrapToInt32(b + static_cast<int64_t>(d->arith.input_offset) * weight_sum);
    if (quads) {
      d->quad_bias[c] = WrapToInt32(d->folded_bias[c] - int64_t{quad_offset} * weight_sum);
    }
    accumulator_bound =
        std::max(accumulator_bound, simd::Int8AccumulatorBound(d->folded_bias[c], weight_abs_sum));
  }
  if (d->column_quads) {
    simd::PackColumnQuads(*d, channels, w, d->quad_bias.data(), d->quad_flip, &d->column_quad_rows);
  }
  d->requantization.Init(d->arith.multipliers, d->arith.shifts, d->arith.output_offset,
                         d->arith.quant_act_min, d->arith.quant_act_max);
  d->requantization.UseXnnpackScales(d->arith.xnnpack_scales);
  d->requantization.SetAccumulatorBound(accumulator_bound);
  d->zero_point_row.assign(d->channels, static_cast<int8_t>(input.zero_point()));
  return Status::Ok();
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  auto* d = ctx.NewOpData<SimdDepthwiseData>();
  QLITE_RETURN_IF_ERROR(PrepareDepthwiseConv(ctx, d));
  const Tensor& input = *ctx.input(kInputTensor);
  d->channels = d->out_channels;
  d->taps = d->filter_height * d->filter_width;
  simd::UnpaddedOutputRange(d->out_height, d->stride_height, d->pad_height, d->filter_height,
                            d->dilation_height, d->in_height, &d->unpadded_y_begin,
                            &d->unpadded_y_end);
  simd::UnpaddedOutputRange(d->out_width, d->stride_width, d->pad_width, d->filter_width,
                            d->dilation_width, d->in_width, &d->unpadded_x_begin,
                            &d->unpadded_x_end);
  for (int ky = 0; ky < d->filter_height; ++ky) {
    for (int kx = 0; kx < d->filter_width; ++kx) {
      d->tap_offsets.push_back((static_cast<int64_t>(ky) * d->dilation_height * d->in_width +
                                static_cast<int64_t>(kx) * d->dilation_width) *
                               d->channels);
    }
  }
  if (d->depth_multiplier > 1) {
    const size_t pixels = static_cast<size_t>(d->batches) * d->in_height * d->in_width;
    QLITE_RETURN_IF_ERROR(ctx.RequestScratch(pixels * d->channels * DTypeSize(input.type),
                                             &d->expanded_input_scratch));
  }
  if (d->arith.kind == ConvKind::kInt8) {
    QLITE_RETURN_IF_ERROR(d->row_sums_scratch.Request(
        ctx, static_cast<size_t>(d->out_width) * d->channels * sizeof(int32_t)));
    // 8 bytes per tap pointer on every platform (wasm32 uses half), so that
    // the arena qlite inspect reports is the same in wasm as natively.
    QLITE_RETURN_IF_ERROR(d->tap_scratch.Request(ctx, static_cast<size_t>(d->taps) * 8));
    QLITE_RETURN_IF_ERROR(PackInt8(input, *ctx.input(kFilterTensor), ctx.input(kBiasTensor), d));
    if (d->column_quads) {
      return d->column_quads_scratch.Request(
          ctx, static_cast<size_t>(d->column_quad_rows.ScratchBytes()));
    }
  }
  return Status::Ok();
}

// Repeats every input channel depth_multiplier times (output channel
// ic * m + j reads input channel ic).
template <typename T>
void ExpandChannels(const SimdDepthwiseData& d, const T* input, T* expanded) {
  const int64_t pixels = static_cast<int64_t>(d.batches) * d.in_height * d.in_width;
  const int m = d.depth_multiplier;
  for (int64_t p = 0; p < pixels; ++p) {
    const T* in = input + p * d.in_channels;
    for (int ic = 0; ic < d.in_channels; ++ic) {
      for (int j = 0; j < m; ++j) *expanded++ = in[ic];
    }
  }
}

// Fills `taps` for output pixel (out_y, out_x) of `batch_input` in the
// reference's tap order; taps in the padding read `padding_row`. Returns the
// tap count (always the whole filter).
int CollectTaps(const SimdDepthwiseData& d, PixelTaps taps, const int8_t* batch_input, int out_y,
                int out_x, const int8_t* padding_row) {
  const int64_t in_y_origin = static_cast<int64_t>(out_y) * d.stride_height - d.pad_height;
  const int64_t in_x_origin = static_cast<int64_t>(out_x) * d.stride_width - d.pad_width;
  int count = 0;
  for (int ky = 0; ky < d.filter_height; ++ky) {
    const int64_t in_y = in_y_origin + static_cast<int64_t>(ky) * d.dilation_height;
    const bool row_inside = in_y >= 0 && in_y < d.in_height;
    for (int kx = 0; kx < d.filter_width; ++kx) {
      const int64_t in_x = in_x_origin + static_cast<int64_t>(kx) * d.dilation_width;
      const bool inside = row_inside && in_x >= 0 && in_x < d.in_width;
      taps[count++] = inside ? batch_input + (in_y * d.in_width + in_x) * d.channels : padding_row;
    }
  }
  return count;
}

// CollectTaps for an unpadded pixel (its window is inside the input): every
// tap, at its fixed offset.
int CollectUnpaddedTaps(const SimdDepthwiseData& d, PixelTaps taps, const int8_t* batch_input,
                        int out_y, int out_x) {
  const int8_t* corner =
      batch_input + ((static_cast<int64_t>(out_y) * d.stride_height - d.pad_height) * d.in_width +
                     (static_cast<int64_t>(out_x) * d.stride_width - d.pad_width)) *
                        d.channels;
#if defined(__clang__)
  // A few taps: vectorized, this loop cost 800 bytes of wasm.
#pragma clang loop vectorize(disable) unroll(disable)
#endif
  for (int t = 0; t < d.taps; ++t) taps[t] = corner + d.tap_offsets[t];
  return d.taps;
}

// Calls pixel(num_taps, sums) for every output pixel of output rows
// [first_row, end_row) (rows count across batches, from 0), after collecting
// its taps into `taps`; with pixel_pairs, pair(num_taps, sums) for two
// adjacent unpadded pixels at once (taps collected for the first). `sums` runs
// through `row_sums`, one pixel's channels after the other; row_end(row)
// follows each row.
template <typename RowEndFn, typename PixelFn, typename PairFn>
void ForEachPixel(const SimdDepthwiseData& d, PixelTaps taps, const int8_t* input,
                  const int8_t* padding_row, int64_t first_row, int64_t end_row, int32_t* row_sums,
                  RowEndFn row_end, PixelFn pixel, PairFn pair) {
  const int64_t batch_size = static_cast<int64_t>(d.in_height) * d.in_width * d.channels;
  for (int64_t row = first_row; row < end_row; ++row) {
    const int8_t* batch_input = input + (row / d.out_height) * batch_size;
    const int out_y = static_cast<int>(row % d.out_height);
    int32_t* out = row_sums;
    const bool row_unpadded = out_y >= d.unpadded_y_begin && out_y < d.unpadded_y_end;
    for (int out_x = 0; out_x < d.out_width;) {
      const bool unpadded = row_unpadded && out_x >= d.unpadded_x_begin && out_x < d.unpadded_x_end;
      if (d.pixel_pairs && unpadded && out_x + 1 < d.unpadded_x_end) {
        pair(CollectUnpaddedTaps(d, taps, batch_input, out_y, out_x), out);
        out += 2 * d.channels;
        out_x += 2;
        continue;
      }
      pixel(unpadded ? CollectUnpaddedTaps(d, taps, batch_input, out_y, out_x)
                     : CollectTaps(d, taps, batch_input, out_y, out_x, padding_row),
            out);
      out += d.channels;
      ++out_x;
    }
    row_end(row);
  }
}

// ---- int8 ----

// acc += x * w of four channels for two taps: x holds the taps' int16 inputs
// interleaved per channel, w the pair's weights in the same order. Each
// product fits int16 * int16 and the dot's int32 sum is exact.
inline v128_t DotPair(v128_t acc, v128_t x, const int16_t* w) {
  return wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(x, wasm_v128_load(w)));
}

// The sums of channels [c, c + 16) with the relaxed dot product, four taps
// per instruction (the last quad's missing taps meet zero weights).
// load(t): the 16 input bytes of tap t.
template <int kTaps, typename LoadFn>
void QuadSums16(const SimdDepthwiseData& d, LoadFn load, int runtime_taps, int c, v128_t* acc) {
  const int taps = kTaps > 0 ? kTaps : runtime_taps;
  const int quads = (taps + 3) / 4;
  const v128_t flip = wasm_i8x16_splat(d.quad_flip);
  for (int i = 0; i < 4; ++i) acc[i] = wasm_v128_load(d.quad_bias.data() + c + 4 * i);
  for (int q = 0; q < quads; ++q) {
    v128_t x[4];
    for (int k = 0; k < 4; ++k) {
      const int t = 4 * q + k;
      x[k] = t < taps ? wasm_v128_xor(load(t), flip) : wasm_i8x16_splat(0);
    }
    v128_t quad[4];  // [channel][tap] bytes
    simd::InterleaveQuads(x[0], x[1], x[2], x[3], quad);
    const int8_t* w = d.quad_weights.data() + (static_cast<int64_t>(q) * d.weight_stride + c) * 4;
    for (int i = 0; i < 4; ++i) {
      acc[i] = simd::RelaxedDotAdd(wasm_v128_load(w + 16 * i), quad[i], acc[i]);
    }
  }
}

// The sums of channels [c, c + 16) two taps per i32x4.dot_i16x8_s (an odd
// last tap alone); load(t) as for QuadSums16.
template <int kTaps, typename LoadFn>
void PairSums16(const SimdDepthwiseData& d, LoadFn load, int runtime_taps, int c, v128_t* acc) {
  const int taps = kTaps > 0 ? kTaps : runtime_taps;
  const int pairs = taps / 2;
  for (int i = 0; i < 4; ++i) acc[i] = wasm_v128_load(d.folded_bias.data() + c + 4 * i);
  for (int p = 0; p < pairs; ++p) {
    const v128_t x0 = load(2 * p);
    const v128_t x1 = load(2 * p + 1);
    const v128_t lo = simd::InterleaveLowBytes(x0, x1);
    const v128_t hi = simd::InterleaveHighBytes(x0, x1);
    const int16_t* w = d.pair_weights.data() + (static_cast<int64_t>(p) * d.weight_stride + c) * 2;
    acc[0] = DotPair(acc[0], wasm_i16x8_extend_low_i8x16(lo), w);
    acc[1] = DotPair(acc[1], wasm_i16x8_extend_high_i8x16(lo), w + 8);
    acc[2] = DotPair(acc[2], wasm_i16x8_extend_low_i8x16(hi), w + 16);
    acc[3] = DotPair(acc[3], wasm_i16x8_extend_high_i8x16(hi), w + 24);
  }
  for (int t = 2 * pairs; t < taps; ++t) {
    const v128_t x = load(t);
    const v128_t x_lo = wasm_i16x8_extend_low_i8x16(x);
    const v128_t x_hi = wasm_i16x8_extend_high_i8x16(x);
    const int16_t* w = d.weights.data() + static_cast<int64_t>(t) * d.weight_stride + c;
    const v128_t w_lo = wasm_v128_load(w);
    const v128_t w_hi = wasm_v128_load(w + 8);
    acc[0] = wasm_i32x4_add(acc[0], wasm_i32x4_extmul_low_i16x8(x_lo, w_lo));
    acc[1] = wasm_i32x4_add(acc[1], wasm_i32x4_extmul_high_i16x8(x_lo, w_lo));
    acc[2] = wasm_i32x4_add(acc[2], wasm_i32x4_extmul_low_i16x8(x_hi, w_hi));
    acc[3] = wasm_i32x4_add(acc[3], wasm_i32x4_extmul_high_i16x8(x_hi, w_hi));
  }
}

// One output pixel's int32 sums (bias included), every channel. Padding taps
// read zero points, so the tap list is always the whole filter in order: tap
// t uses filter tap t. Taps go two at a time (pair_weights), an odd last tap
// alone. kTaps > 0 fixes the tap count at compile time (the loops unroll).
template <int kTaps>
void PixelSumsInt8(const SimdDepthwiseData& d, const int8_t* const* inputs, int runtime_taps,
                   int32_t* sums) {
  const int taps = kTaps > 0 ? kTaps : runtime_taps;
  const int pairs = taps / 2;
  const int channels = d.channels;
  const int stride = d.weight_stride;
  const int16_t* weights = d.weights.data();
  const int16_t* pair_weights = d.pair_weights.data();
  const int32_t* bias = d.folded_bias.data();
  const bool quads = !d.quad_weights.empty();
  if (channels >= 16) {
    // Channels past the last whole 16 (a layer of 28, 42 or 88 channels) run
    // as one more block of 16 that ends at the last channel: it recomputes
    // a few channels of the block before, to the same sums.
    for (int block = 0; block < channels; block += 16) {
      const int c = std::min(block, channels - 16);
      v128_t acc[4];
      auto load = [inputs, c](int t) { return wasm_v128_load(inputs[t] + c); };
      // A fixed tap count (3x3) runs tap pairs even where quads exist: 3x3
      // layers on the relaxed dot run on column quads unless dilated, and an
      // unrolled quad loop for those few would cost 1 KB of wasm.
      if (kTaps == 0 && quads) {
        QuadSums16<kTaps>(d, load, taps, c, acc);
      } else {
        PairSums16<kTaps>(d, load, taps, c, acc);
      }
      for (int i = 0; i < 4; ++i) wasm_v128_store(sums + c + 4 * i, acc[i]);
    }
    return;
  }
  int c = 0;
  for (; c + 8 <= channels; c += 8) {
    v128_t acc0 = wasm_v128_load(bias + c), acc1 = wasm_v128_load(bias + c + 4);
    for (int p = 0; p < pairs; ++p) {
      const v128_t x = simd::InterleaveLowBytes(wasm_v128_load64_zero(inputs[2 * p] + c),
                                                wasm_v128_load64_zero(inputs[2 * p + 1] + c));
      const int16_t* w = pair_weights + (static_cast<int64_t>(p) * stride + c) * 2;
      acc0 = DotPair(acc0, wasm_i16x8_extend_low_i8x16(x), w);
      acc1 = DotPair(acc1, wasm_i16x8_extend_high_i8x16(x), w + 8);
    }
    for (int t = 2 * pairs; t < taps; ++t) {
      const v128_t x = wasm_i16x8_load8x8(inputs[t] + c);
      const v128_t w = wasm_v128_load(weights + static_cast<int64_t>(t) * stride + c);
      acc0 = wasm_i32x4_add(acc0, wasm_i32x4_extmul_low_i16x8(x, w));
      acc1 = wasm_i32x4_add(acc1, wasm_i32x4_extmul_high_i16x8(x, w));
    }
    wasm_v128_store(sums + c, acc0);
    wasm_v128_store(sums + c + 4, acc1);
  }
  for (; c < channels; ++c) {
    uint32_t acc = static_cast<uint32_t>(bias[c]);  // wraps like the reference's int32
    for (int t = 0; t < taps; ++t) {
      acc += static_cast<uint32_t>(inputs[t][c] * weights[static_cast<int64_t>(t) * stride + c]);
    }
    sums[c] = static_cast<int32_t>(acc);
  }
}

// Two horizontally adjacent unpadded pixels of an 8-channel layer as one
// 16-channel pixel: each tap's 8 bytes of both side by side (the second
// pixel's taps lie stride_width pixels further), against doubled weights.
template <int kTaps>
void PixelPairSumsInt8(const SimdDepthwiseData& d, const int8_t* const* inputs, int32_t* sums) {
  constexpr int taps = kTaps;
  const int64_t next = static_cast<int64_t>(d.stride_width) * 8;
  auto load = [inputs, next](int t) {
    return wasm_v128_load64_lane(inputs[t] + next, wasm_v128_load64_zero(inputs[t]), 1);
  };
  v128_t acc[4];
  if (!d.quad_weights.empty()) {
    QuadSums16<kTaps>(d, load, taps, 0, acc);
  } else {
    PairSums16<kTaps>(d, load, taps, 0, acc);
  }
  // Both pixels' 8 channels, in output order.
  for (int i = 0; i < 4; ++i) wasm_v128_store(sums + 4 * i, acc[i]);
}

// Each output row's sums go to the worker's `row_sums`, then through the
// tile requantizer the GEMM uses (16 values at a time, its final shift a
// compile-time constant), into the row's int8 outputs. Output rows are split
// over the threads.
void EvalInt8(const OpContext& ctx, SimdDepthwiseData& d, const int8_t* input, int8_t* output) {
  const int8_t* padding = d.zero_point_row.data();
  const int64_t row_values = static_cast<int64_t>(d.out_width) * d.channels;
  const int64_t rows = static_cast<int64_t>(d.batches) * d.out_height;
  const int64_t batch_size = static_cast<int64_t>(d.in_height) * d.in_width * d.channels;
  // TasksFor's threshold counts GEMM multiply-adds; one of these costs about
  // four (13 against 60 GMAC/s in Chromium), so a 7x7x960 layer splits too.
  const int64_t row_work = row_values * d.taps * 4;
  ctx.ParallelFor(rows, row_work, [&](int64_t begin, int64_t end, int worker) {
    int32_t* row_sums = d.row_sums_scratch.For<int32_t>(ctx, worker);
    if (d.column_quads) {
      int8_t* column_scratch = d.column_quads_scratch.For<int8_t>(ctx, worker);
      for (int64_t row = begin; row < end; ++row) {
        simd::ColumnQuadRowSums(d, d.column_quad_rows, input + (row / d.out_height) * batch_size,
                                padding, static_cast<int>(row % d.out_height), column_scratch,
                                row_sums);
        d.requantization.RequantizeToInt8(row_sums, row_values, output + row * row_values);
      }
      return;
    }
    PixelTaps taps = d.tap_scratch.For<const int8_t*>(ctx, worker);
    const int8_t* const* inputs = taps;
    auto row_end = [&d, row_sums, row_values, output](int64_t row) {
      d.requantization.RequantizeToInt8(row_sums, row_values, output + row * row_values);
    };
    switch (d.taps) {
      case 9:
        ForEachPixel(
            d, taps, input, padding, begin, end, row_sums, row_end,
            [&d, inputs](int, int32_t* sums) { PixelSumsInt8<9>(d, inputs, 9, sums); },
            [&d, inputs](int, int32_t* sums) { PixelPairSumsInt8<9>(d, inputs, sums); });
        return;
      default:
        ForEachPixel(
            d, taps, input, padding, begin, end, row_sums, row_end,
            [&d, inputs](int n, int32_t* sums) { PixelSumsInt8<0>(d, inputs, n, sums); },
            [](int, int32_t*) {});  // pixel_pairs is 3x3 only
    }
  });
}

template <typename T>
const T* ChannelsPerOutput(OpContext& ctx, const SimdDepthwiseData& d) {
  const T* input = ctx.input(kInputTensor)->data_as<T>();
  if (d.depth_multiplier == 1) return input;
  T* expanded = static_cast<T*>(ctx.scratch(d.expanded_input_scratch));
  ExpandChannels(d, input, expanded);
  return expanded;
}

Status Eval(OpContext& ctx) {
  SimdDepthwiseData& d = *ctx.op_data<SimdDepthwiseData>();
  Tensor& output = *ctx.output(0);
  if (d.arith.kind == ConvKind::kInt8) {
    EvalInt8(ctx, d, ChannelsPerOutput<int8_t>(ctx, d), output.data_as<int8_t>());
    return Status::Ok();
  }
  const Tensor* bias = ctx.input(kBiasTensor);
  simd::EvalDepthwiseFloat(
      ctx, d, ChannelsPerOutput<float>(ctx, d), ctx.input(kFilterTensor)->data_as<float>(),
      bias != nullptr ? bias->data_as<float>() : nullptr, output.data_as<float>());
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* DepthwiseConv2D() {
  static const KernelRegistration kRegistration = {"depthwise_conv2d_simd128", Prepare, Eval,
                                                   Accepts};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
