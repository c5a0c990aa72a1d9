// CONV_2D with SIMD128, byte-identical to the reference kernel (core/kernels/conv.cc),
// which also validates every node (PrepareConv2D); this file only packs.
//   int8:    the convolution is a GEMM (kernels_wasm/gemm_int8.h). A 1x1
//            stride-1 conv reads the input pixels as GEMM rows; every other
//            shape first gathers each output pixel's window (im2col) into
//            scratch, a chunk of rows at a time, padding taps holding the
//            input zero point (which the zero-point fold turns into 0).
//   float32: register tiles of 4 pixels x 8 channels (conv_float.cc).
//   int8 + MAX_POOL_2D: when the pool is the only reader of the output, the
//            conv takes it over (FuseMaxPool): pools one image's int32
//            accumulators, requantizes only the maxima.
// Declined (reference kernel runs): grouped convolution, uint8, int16x8,
// hybrid, and a non-constant bias.
#include <algorithm>
#include <cstring>

#include "core/kernels/conv.h"
#include "core/kernels/pooling.h"
#include "core/op_table.h"
#include "kernels_wasm/conv_float.h"
#include "kernels_wasm/gemm_int8.h"
#include "kernels_wasm/requantize.h"
#include "kernels_wasm/simd128.h"
#include "kernels_wasm/unpadded_range.h"
#include "kernels_wasm/worker_scratch.h"

namespace qlite {
namespace {

constexpr int kInputTensor = 0;
constexpr int kFilterTensor = 1;
constexpr int kBiasTensor = 2;
constexpr int kTargetChunkBytes = 32768;  // int8 GEMM rows processed per pass
constexpr int kChunksToSplit = 8;         // chunks a layer offers the threads
constexpr int kMinChunkRows = 32;         // ... unless that makes them smaller
constexpr int kPatchSlack = 16;           // bytes after the im2col rows (see CopyRun)

struct SimdConvData : ConvOpData {
  // int8
  simd::PackedInt8Weights weights;
  std::vector<int32_t> channel_bias;  // bias + input_offset * weight sums
  simd::ChannelRequantization requant;
  bool pixels_are_rows = false;  // 1x1 stride 1: no im2col
  // Unpadded output pixels, whose whole window is inside the input
  // (dilation_width 1 only; else empty): their patches are gathered without
  // bounds checks (kernels_wasm/unpadded_range.h).
  int unpadded_y_begin = 0, unpadded_y_end = 0, unpadded_x_begin = 0, unpadded_x_end = 0;
  int chunk_rows = 0;
  // Per worker thread: chunk_rows x padded_depth int8 im2col rows, and the
  // GEMM's int32 accumulator tile.
  simd::WorkerScratch patch_scratch, gemm_scratch;
  // Fused with the MAX_POOL_2D after it (FuseMaxPool): its prepared state
  // (windows over this node's output, activation range), and scratch for one
  // image's int32 accumulators and one pooled row.
  bool max_pooled = false;
  PoolData pool;
  int image_acc_scratch = -1, pooled_row_scratch = -1;
  Tensor* pool_output = nullptr;   // written by this node instead of its own output
  simd::FloatConvPlan float_plan;  // float32
};

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  const Tensor* input = ctx.input(kInputTensor);
  const Tensor* filter = ctx.input(kFilterTensor);
  const Tensor* bias = ctx.input(kBiasTensor);
  if (input == nullptr || filter == nullptr || ctx.num_outputs() != 1) return false;
  const Tensor* output = ctx.output(0);
  if (input->rank() != 4 || filter->rank() != 4) return false;
  if (input->dim(3) != filter->dim(3)) return false;  // grouped convolution
  if (bias != nullptr && !bias->is_constant()) return false;
  const DType type = input->type;
  if (type != DType::kInt8 && type != DType::kFloat32) return false;
  if (filter->type != type || output->type != type) return false;
  if (bias != nullptr && bias->type != (type == DType::kInt8 ? DType::kInt32 : DType::kFloat32)) {
    return false;
  }
  return true;
}

void PrepareInt8(const Tensor& filter, const Tensor* bias, SimdConvData* d) {
  const int depth = d->filter_height * d->filter_width * d->filter_in_channels;
  simd::PackInt8Weights(filter.data_as<int8_t>(), d->out_channels, depth,
                        int64_t{d->out_height} * d->out_width, &d->weights);
  d->channel_bias = simd::FoldInputOffset(
      d->weights, bias != nullptr ? bias->data_as<int32_t>() : nullptr, d->arith.input_offset);
  d->requant.Init(d->arith.multipliers, d->arith.shifts, d->arith.output_offset,
                  d->arith.quant_act_min, d->arith.quant_act_max,
                  simd::ChannelRequantization::OffsetMode::kWrap);
  d->requant.UseXnnpackScales(d->arith.xnnpack_scales);
  d->requant.SetAccumulatorBound(simd::GemmAccumulatorBound(d->weights, d->channel_bias.data()));
  d->pixels_are_rows = d->filter_height == 1 && d->filter_width == 1 && d->stride_height == 1 &&
                       d->stride_width == 1 && d->pad_height == 0 && d->pad_width == 0;
  if (d->dilation_width == 1) {
    simd::UnpaddedOutputRange(d->out_height, d->stride_height, d->pad_height, d->filter_height,
                              d->dilation_height, d->in_height, &d->unpadded_y_begin,
                              &d->unpadded_y_end);
    simd::UnpaddedOutputRange(d->out_width, d->stride_width, d->pad_width, d->filter_width, 1,
                              d->in_width, &d->unpadded_x_begin, &d->unpadded_x_end);
  }
  const int64_t rows = static_cast<int64_t>(d->batches) * d->out_height * d->out_width;
  // At most kTargetChunkBytes of patches, and small enough that a layer has
  // kChunksToSplit chunks to share among threads (a 28x28 layer of depth 32
  // was one chunk of 784 rows, all on one thread), but not below
  // kMinChunkRows, where the GEMM's weight reloads start to cost. Shapes
  // alone decide it, so the arena is the same for every thread count.
  const int64_t by_bytes = std::max<int64_t>(2, kTargetChunkBytes / d->weights.padded_depth);
  const int64_t by_split =
      std::max<int64_t>(kMinChunkRows, (rows + kChunksToSplit - 1) / kChunksToSplit);
  const int64_t chunk_rows = std::min<int64_t>({rows, by_bytes, by_split});
  // An even number of chunks of equal size: a 7x7 layer (49 rows) was one
  // chunk of 32 and one of 17, so its second thread idled a third of the
  // time.
  int64_t chunks = (rows + chunk_rows - 1) / chunk_rows;
  if (chunks > 1 && chunks % 2 != 0) ++chunks;
  d->chunk_rows = static_cast<int>((rows + chunks - 1) / chunks);
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  auto* d = ctx.NewOpData<SimdConvData>();
  QLITE_RETURN_IF_ERROR(PrepareConv2D(ctx, d));
  const Tensor& filter = *ctx.input(kFilterTensor);
  if (d->arith.kind == ConvKind::kFloat) {
    const Tensor* bias = ctx.input(kBiasTensor);
    return simd::PrepareFloatConv(ctx, *d, filter.data_as<float>(),
                                  bias != nullptr ? bias->data_as<float>() : nullptr,
                                  &d->float_plan);
  }
  QLITE_ENSURE(d->arith.kind == ConvKind::kInt8,
               "SIMD CONV_2D was given a node it does not "
               "cover (",
               DTypeName(ctx.input(kInputTensor)->type), " input)");
  PrepareInt8(filter, ctx.input(kBiasTensor), d);
  QLITE_RETURN_IF_ERROR(d->gemm_scratch.Request(
      ctx, static_cast<size_t>(simd::GemmScratchInts(d->weights)) * sizeof(int32_t)));
  if (!d->pixels_are_rows) {
    const size_t bytes = static_cast<size_t>(d->chunk_rows) * d->weights.padded_depth + kPatchSlack;
    QLITE_RETURN_IF_ERROR(d->patch_scratch.Request(ctx, bytes));
  }
  return Status::Ok();
}

// The short runs of a patch (often a few bytes: a call to memcpy/memset
// would cost more than the copy) are moved 16 bytes at a time. A run may
// write up to 15 bytes past its end: into the rest of the row or the next
// row, which are written later, or the scratch's kPatchSlack bytes. It may
// read past its end only while that stays inside the input (`src_end`).

inline void CopyRun(int8_t* dst, const int8_t* src, int count, const int8_t* src_end) {
  if (src_end - src >= ((count + 15) & ~15)) {
    for (int i = 0; i < count; i += 16) wasm_v128_store(dst + i, wasm_v128_load(src + i));
    return;
  }
  for (int i = 0; i < count; ++i) dst[i] = src[i];
}
inline void FillRun(int8_t* dst, int8_t value, int count) {
  const v128_t v = wasm_i8x16_splat(value);
  for (int i = 0; i < count; i += 16) wasm_v128_store(dst + i, v);
}

// Copies output pixel `pixel`'s window (ky, kx, ic order, as the filter) into
// `row`; taps in the padding get the input zero point, the depth padding 0.
// The output pixel a GEMM row stands for, advanced one row at a time (no
// divisions per row).
struct PixelCursor {
  int64_t b = 0;
  int out_y = 0, out_x = 0;

  void Seek(const SimdConvData& d, int64_t pixel) {
    out_x = static_cast<int>(pixel % d.out_width);
    out_y = static_cast<int>(pixel / d.out_width % d.out_height);
    b = pixel / (static_cast<int64_t>(d.out_width) * d.out_height);
  }
  void Next(const SimdConvData& d) {
    if (++out_x < d.out_width) return;
    out_x = 0;
    if (++out_y < d.out_height) return;
    out_y = 0;
    ++b;
  }
};

void GatherPatch(const SimdConvData& d, const int8_t* input, const int8_t* input_end,
                 const PixelCursor& at, int8_t pad_value, int8_t* row) {
  const int out_x = at.out_x;
  const int out_y = at.out_y;
  const int64_t b = at.b;
  const int64_t in_y0 = static_cast<int64_t>(out_y) * d.stride_height - d.pad_height;
  const int64_t in_x0 = static_cast<int64_t>(out_x) * d.stride_width - d.pad_width;
  const int channels = d.in_channels;
  const int row_bytes = d.filter_width * channels;  // one filter row of the window
  // With dilation 1 and the window inside the input horizontally, a filter
  // row is one contiguous run of the input.
  const bool contiguous_rows =
      d.dilation_width == 1 && in_x0 >= 0 && in_x0 + d.filter_width <= d.in_width;
  for (int ky = 0; ky < d.filter_height; ++ky) {
    const int64_t in_y = in_y0 + static_cast<int64_t>(ky) * d.dilation_height;
    if (in_y < 0 || in_y >= d.in_height) {
      FillRun(row, pad_value, row_bytes);
      row += row_bytes;
      continue;
    }
    const int8_t* input_row = input + (b * d.in_height + in_y) * d.in_width * channels;
    if (contiguous_rows) {
      CopyRun(row, input_row + in_x0 * channels, row_bytes, input_end);
      row += row_bytes;
      continue;
    }
    for (int kx = 0; kx < d.filter_width; ++kx, row += channels) {
      const int64_t in_x = in_x0 + static_cast<int64_t>(kx) * d.dilation_width;
      if (in_x < 0 || in_x >= d.in_width) {
        FillRun(row, pad_value, channels);
      } else {
        CopyRun(row, input_row + in_x * channels, channels, input_end);
      }
    }
  }
  FillRun(row, 0, d.weights.padded_depth - d.weights.depth);
}

// Patches of `run` consecutive unpadded output pixels of one output row,
// starting at `at`: each filter row of a window is one contiguous run of the
// input, moved 16 bytes at a time when it is that short and the reads stay
// inside the input.
void GatherUnpaddedRun(const SimdConvData& d, const int8_t* input, const int8_t* input_end,
                       const PixelCursor& at, int run, int8_t* row) {
  const int channels = d.in_channels;
  const int row_bytes = d.filter_width * channels;
  const int64_t tap_row_step = static_cast<int64_t>(d.dilation_height) * d.in_width * channels;
  const int64_t src_step = static_cast<int64_t>(d.stride_width) * channels;
  const int64_t in_y = static_cast<int64_t>(at.out_y) * d.stride_height - d.pad_height;
  const int64_t in_x = static_cast<int64_t>(at.out_x) * d.stride_width - d.pad_width;
  const int8_t* src = input + ((at.b * d.in_height + in_y) * d.in_width + in_x) * channels;
  const int depth = d.weights.depth;
  const int padded_depth = d.weights.padded_depth;
  const v128_t zero = wasm_i8x16_splat(0);
  const int8_t* last_read = src + (run - 1) * src_step + (d.filter_height - 1) * tap_row_step;
  if (row_bytes <= 16 && input_end - last_read >= 16) {
    for (int p = 0; p < run; ++p, src += src_step, row += padded_depth) {
      for (int ky = 0; ky < d.filter_height; ++ky) {
        wasm_v128_store(row + ky * row_bytes, wasm_v128_load(src + ky * tap_row_step));
      }
      wasm_v128_store(row + depth, zero);  // depth padding (may spill, see CopyRun)
    }
    return;
  }
  for (int p = 0; p < run; ++p, src += src_step, row += padded_depth) {
    for (int ky = 0; ky < d.filter_height; ++ky) {
      CopyRun(row + ky * row_bytes, src + ky * tap_row_step, row_bytes, input_end);
    }
    FillRun(row + depth, 0, padded_depth - depth);
  }
}

// The im2col rows of output pixels [first, first + count) into `patches`.
void GatherPatches(const SimdConvData& d, const int8_t* input, int64_t first, int count,
                   int8_t* patches) {
  const int8_t* input_end =
      input + static_cast<int64_t>(d.batches) * d.in_height * d.in_width * d.in_channels;
  const int8_t pad_value = static_cast<int8_t>(-d.arith.input_offset);
  PixelCursor cursor;
  cursor.Seek(d, first);
  for (int r = 0; r < count;) {
    int8_t* row = patches + static_cast<int64_t>(r) * d.weights.padded_depth;
    if (cursor.out_y >= d.unpadded_y_begin && cursor.out_y < d.unpadded_y_end &&
        cursor.out_x >= d.unpadded_x_begin && cursor.out_x < d.unpadded_x_end) {
      const int run = std::min(d.unpadded_x_end - cursor.out_x, count - r);
      GatherUnpaddedRun(d, input, input_end, cursor, run, row);
      r += run;
      for (int k = 0; k < run; ++k) cursor.Next(d);
      continue;
    }
    GatherPatch(d, input, input_end, cursor, pad_value, row);
    ++r;
    cursor.Next(d);
  }
}

// Multiply-adds of one chunk of chunk_rows GEMM rows (ParallelFor's work).
int64_t ChunkWork(const SimdConvData& d) {
  return static_cast<int64_t>(d.chunk_rows) * d.weights.padded_depth * d.out_channels;
}

// Chunks of chunk_rows output pixels are split over the threads; each
// pixel's outputs depend on its own row only, so any split gives the same bytes.
void EvalInt8(const OpContext& ctx, const SimdConvData& d, const int8_t* input, int8_t* output) {
  const int64_t rows = static_cast<int64_t>(d.batches) * d.out_height * d.out_width;
  const int64_t chunks = (rows + d.chunk_rows - 1) / d.chunk_rows;
  const int out_channels = d.out_channels;
  ctx.ParallelFor(chunks, ChunkWork(d), [&](int64_t begin, int64_t end, int worker) {
    int8_t* patches = d.patch_scratch.For<int8_t>(ctx, worker);
    int32_t* gemm_scratch = d.gemm_scratch.For<int32_t>(ctx, worker);
    for (int64_t chunk = begin; chunk < end; ++chunk) {
      const int64_t first = chunk * d.chunk_rows;
      const int count = static_cast<int>(std::min<int64_t>(d.chunk_rows, rows - first));
      int8_t* out = output + first * out_channels;
      if (d.pixels_are_rows) {
        simd::GemmInt8(input + first * d.in_channels, count, d.in_channels, d.weights,
                       d.channel_bias.data(), d.requant, out, out_channels, gemm_scratch);
        continue;
      }
      GatherPatches(d, input, first, count, patches);
      simd::GemmInt8(patches, count, d.weights.padded_depth, d.weights, d.channel_bias.data(),
                     d.requant, out, out_channels, gemm_scratch, /*rows_padded=*/true);
    }
  });
}

// The accumulators of one batch image's output pixels (bias included, not
// requantized) into `acc` (out_height * out_width * out_channels + slack).
void AccumulateImage(const SimdConvData& d, const int8_t* input, int64_t b, int8_t* patches,
                     int32_t* acc) {
  const int64_t pixels = static_cast<int64_t>(d.out_height) * d.out_width;
  for (int64_t done = 0; done < pixels; done += d.chunk_rows) {
    const int count = static_cast<int>(std::min<int64_t>(d.chunk_rows, pixels - done));
    const int64_t first = b * pixels + done;
    int32_t* chunk_acc = acc + done * d.out_channels;
    if (d.pixels_are_rows) {
      simd::GemmInt8Accumulate(input + first * d.in_channels, count, d.in_channels, d.weights,
                               d.channel_bias.data(), chunk_acc);
      continue;
    }
    GatherPatches(d, input, first, count, patches);
    simd::GemmInt8Accumulate(patches, count, d.weights.padded_depth, d.weights,
                             d.channel_bias.data(), chunk_acc, /*rows_padded=*/true);
  }
}

// CONV_2D fused with the MAX_POOL_2D after it: the pool's windows take the
// max of the int32 accumulators, and only the maxima are requantized. Exact
// because the short-path requantization is non-decreasing (multipliers >= 0,
// no wrapping; see FuseMaxPool), so max(requantize(a), requantize(b)) =
// requantize(max(a, b)); the pool's own activation clamp comes last.
void EvalInt8MaxPooled(const SimdConvData& d, const int8_t* input, int8_t* output, int8_t* patches,
                       int32_t* acc, int32_t* pooled) {
  const PoolData& pool = d.pool;
  const int channels = d.out_channels;
  const int64_t row_stride = static_cast<int64_t>(d.out_width) * channels;
  const int pooled_row = static_cast<int>(pool.cols.size()) * channels;
  const bool clamp = pool.act_min > -128 || pool.act_max < 127;
  for (int64_t b = 0; b < d.batches; ++b) {
    AccumulateImage(d, input, b, patches, acc);
    for (const TapRange& rows : pool.rows) {
      int32_t* out_acc = pooled;
      for (const TapRange& cols : pool.cols) {
        const int32_t* corner = acc + rows.begin * row_stride + cols.begin * channels;
        // 4 channels at a time; the last block's extra lanes take the next
        // pixel's values (slack at the end) and are overwritten or ignored.
        if (rows.count() == 2 && cols.count() == 2) {  // the usual 2x2 window
          const int32_t* below = corner + row_stride;
          for (int c = 0; c < channels; c += 4) {
            const v128_t top =
                wasm_i32x4_max(wasm_v128_load(corner + c), wasm_v128_load(corner + channels + c));
            const v128_t bottom =
                wasm_i32x4_max(wasm_v128_load(below + c), wasm_v128_load(below + channels + c));
            wasm_v128_store(out_acc + c, wasm_i32x4_max(top, bottom));
          }
        } else {
          for (int c = 0; c < channels; c += 4) {
            v128_t m = wasm_v128_load(corner + c);
            for (int y = 0; y < rows.count(); ++y) {
              for (int x = 0; x < cols.count(); ++x) {
                m = wasm_i32x4_max(m, wasm_v128_load(corner + y * row_stride + x * channels + c));
              }
            }
            wasm_v128_store(out_acc + c, m);
          }
        }
        out_acc += channels;
      }
      d.requant.RequantizeToInt8(pooled, pooled_row, output);
      if (clamp) {
        for (int i = 0; i < pooled_row; ++i) {
          output[i] = static_cast<int8_t>(
              std::min<int32_t>(std::max<int32_t>(output[i], pool.act_min), pool.act_max));
        }
      }
      output += pooled_row;
    }
  }
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<SimdConvData>();
  const Tensor& input = *ctx.input(kInputTensor);
  Tensor& output = *ctx.output(0);
  if (d.arith.kind == ConvKind::kFloat) {
    simd::EvalFloatConv(ctx, d, d.float_plan, input.data_as<float>(), output.data_as<float>());
    return Status::Ok();
  }
  if (d.max_pooled) {
    // One thread: GemmInt8Accumulate's slack spills into the next chunk's
    // accumulators, which a concurrent chunk would be writing.
    EvalInt8MaxPooled(d, input.data_as<int8_t>(), d.pool_output->data_as<int8_t>(),
                      d.patch_scratch.For<int8_t>(ctx, 0),
                      static_cast<int32_t*>(ctx.scratch(d.image_acc_scratch)),
                      static_cast<int32_t*>(ctx.scratch(d.pooled_row_scratch)));
    return Status::Ok();
  }
  EvalInt8(ctx, d, input.data_as<int8_t>(), output.data_as<int8_t>());
  return Status::Ok();
}

// Largest int32 accumulator buffer (one image) worth fusing for.
constexpr int64_t kMaxFusedAccumulatorBytes = 1 << 20;

// FuseNextFn: takes over an int8 MAX_POOL_2D reading this node's output when
// requantization is monotonic (see EvalInt8MaxPooled) and every window holds
// at least one tap.
bool FuseMaxPool(OpContext& ctx, const OpContext& next) {
  auto& d = *ctx.op_data<SimdConvData>();
  if (d.arith.kind != ConvKind::kInt8 || next.op().op != BuiltinOp::kMaxPool2D) return false;
  const simd::ChannelRequantization& rq = d.requant;
  // The short path has no left shifts, wrapping, INT32_MIN or negative multipliers.
  if (!rq.short_path) return false;
  const auto* pool = static_cast<const PoolData*>(next.op_data_base());
  Tensor* pool_output = next.output(0);
  if (pool == nullptr || pool_output == nullptr || pool_output->type != DType::kInt8) return false;
  if (pool->channels != d.out_channels || pool->in_height != d.out_height ||
      pool->in_width != d.out_width || pool->batches != d.batches) {
    return false;
  }
  for (const TapRange& r : pool->rows) {
    if (r.count() <= 0) return false;
  }
  for (const TapRange& c : pool->cols) {
    if (c.count() <= 0) return false;
  }
  const int64_t image_values = static_cast<int64_t>(d.out_height) * d.out_width * d.out_channels;
  if (image_values * 4 > kMaxFusedAccumulatorBytes) return false;
  const int64_t pooled_values = static_cast<int64_t>(pool->cols.size()) * d.out_channels;
  if (!ctx.RequestScratch((image_values + simd::kGemmAccumulatorSlack) * sizeof(int32_t),
                          &d.image_acc_scratch)
           .ok() ||
      !ctx.RequestScratch(
              (pooled_values + simd::ChannelRequantization::kWrapLanes) * sizeof(int32_t),
              &d.pooled_row_scratch)
           .ok()) {
    return false;
  }
  d.max_pooled = true;
  d.pool = *pool;
  d.pool_output = pool_output;
  return true;
}

}  // namespace

namespace simd {
const KernelRegistration* Conv2D() {
  static const KernelRegistration registration = {"conv2d_simd", Prepare, Eval, Accepts,
                                                  FuseMaxPool};
  return &registration;
}
}  // namespace simd

}  // namespace qlite
