// int8 and float32 RESIZE_BILINEAR in SIMD128, vectorized across channels
// (float32: 4, then one at a time; int8: 16, 8, then one at a time), or for
// int8 images of under 8 channels (masks, logits) across 8 values of an
// output row, which i8x16.swizzle gathers from 16 input bytes. Prepare
// is the reference one (core/kernels/resize.cc) plus, per output row and per
// output column, where it samples the input (resize::SourceOf, shared with the
// reference): both input offsets and the weights, so that eval computes no
// positions. Results are byte-identical to the reference:
//   float32: the reference's per-value arithmetic, lane by lane: weights
//            (1 - dy) * (1 - dx), (1 - dy) * dx, dy * (1 - dx), dy * dx, and
//            the four products added left to right, no fused multiply-add.
//   int8:    the reference's exact sum in 10-bit fixed point, factored as
//            (1024 - dy) * (p00 * (1024 - dx) + p01 * dx) + dy * (p10 * ... ):
//            the row sums are one i32x4.dot_i16x8_s of interleaved
//            neighbours against the (1024 - dx, dx) pair. Every term stays
//            below 2^30 (|dx|, |dy| <= 1536), so int32 lanes give the
//            reference's int64 sum exactly; then rounded half away from zero.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/kernels/kernel_util.h"
#include "core/kernels/resize.h"
#include "core/op_table.h"
#include "kernels_wasm/reference_prepare.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

// One output row or column: the offsets (in elements) of the two input rows
// or pixels it samples, and the weight of the second one.
struct Tap {
  int64_t lo = 0, hi = 0;
  float fraction = 0.0f, rest = 0.0f;  // float32: dy or dx, and 1 - it
  int32_t fraction_10 = 0;             // int8: dy or dx in 1/1024
  int32_t pair_10 = 0;                 // int8 columns: int16 lanes (1024 - dx, dx)
};

// 8 consecutive int8 values of an output row (depth < 8): they read input
// bytes [base, base + 16) of a row, (left, right) per value at `pick`, with
// weights (1024 - dx, dx) as int16 pairs.
struct NarrowChunk {
  int64_t base = 0;
  uint8_t pick[16] = {};
  int16_t pairs[16] = {};
};

struct ResizeData : OpData {
  std::vector<Tap> rows, columns;
  std::vector<NarrowChunk> narrow;  // int8, depth < 8: a row's whole chunks
  int64_t image_elements = 0;       // one input image: height * width * depth
  int32_t depth = 0;
};

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  // A size known only at run time sizes the output in eval (the reference
  // kernel's dynamic path); the position tables here are built at prepare.
  const Tensor* size = ctx.input(1);
  // int8 under Arithmetic::kXnnpack: the reference kernel has XNNPACK's
  // 11-bit arithmetic, this one TFLite's.
  const bool xnnpack_int8 =
      ctx.arithmetic() == Arithmetic::kXnnpack && input != nullptr && input->type == DType::kInt8;
  return input != nullptr && output != nullptr && input->type == output->type &&
         (input->type == DType::kFloat32 || input->type == DType::kInt8) && !xnnpack_int8 &&
         size != nullptr && ValuesKnownAtPrepare(*size);
}

template <typename P>
QLITE_PREPARE_TIME void FillTaps(int32_t in_size, int32_t out_size, int64_t stride,
                                 const ResizeOptions& o, std::vector<Tap>* taps) {
  const resize::Axis axis = resize::MakeAxis(in_size, out_size, o.align_corners);
  taps->resize(out_size);
  for (int32_t i = 0; i < out_size; ++i) {
    const resize::Source<P> s = resize::SourceOf<P>(i, axis, o.half_pixel_centers);
    Tap& t = (*taps)[i];
    t.lo = s.lo * stride;
    t.hi = s.hi * stride;
    if constexpr (std::is_same_v<P, float>) {
      t.fraction = s.fraction();
      t.rest = 1.0f - t.fraction;
    } else {
      t.fraction_10 = static_cast<int32_t>(s.fraction());  // in [-512, 1024)
      t.pair_10 = static_cast<int32_t>(static_cast<uint16_t>(1024 - t.fraction_10) |
                                       (static_cast<uint32_t>(t.fraction_10) << 16));
    }
  }
}

// The narrow path's chunks when every chunk's bytes fit in 16 of one input
// row of `row` elements (upscales, mild downscales); else none.
QLITE_PREPARE_TIME void FillNarrowChunks(int64_t row, ResizeData* d) {
  const int64_t values = static_cast<int64_t>(d->columns.size()) * d->depth;
  if (d->depth >= 8 || row < 16 || values < 8) return;
  d->narrow.resize(values / 8);
  for (size_t k = 0; k < d->narrow.size(); ++k) {
    NarrowChunk& chunk = d->narrow[k];
    const int64_t first = static_cast<int64_t>(k) * 8;
    const Tap& first_tap = d->columns[first / d->depth];
    chunk.base = std::min(first_tap.lo + first % d->depth, row - 16);
    for (int i = 0; i < 8; ++i) {
      const Tap& t = d->columns[(first + i) / d->depth];
      const int64_t c = (first + i) % d->depth;
      const int64_t left = t.lo + c - chunk.base, right = t.hi + c - chunk.base;
      if (left < 0 || right >= 16) {
        d->narrow.clear();
        return;
      }
      chunk.pick[2 * i] = static_cast<uint8_t>(left);
      chunk.pick[2 * i + 1] = static_cast<uint8_t>(right);
      chunk.pairs[2 * i] = static_cast<int16_t>(1024 - t.fraction_10);
      chunk.pairs[2 * i + 1] = static_cast<int16_t>(t.fraction_10);
    }
  }
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(PrepareAsReference(ctx));
  const Tensor& input = *ctx.input(0);
  const Tensor& output = *ctx.output(0);
  auto* d = ctx.NewOpData<ResizeData>();
  if (output.num_elements() == 0) return Status::Ok();
  // One table entry per output row and column: a hostile size can make the
  // tables far larger than an int8 output with one channel.
  const size_t table_bytes = (size_t{1} * output.dim(1) + output.dim(2)) * sizeof(Tap);
  QLITE_ENSURE(table_bytes <= ctx.max_tensor_bytes(), "RESIZE_BILINEAR: position tables for a ",
               output.dim(1), "x", output.dim(2), " output need ", table_bytes,
               " bytes, more than max_tensor_bytes (", ctx.max_tensor_bytes(), ")");
  const auto& o = ctx.options<ResizeOptions>();
  d->depth = input.dim(3);
  const int64_t row = int64_t{input.dim(2)} * d->depth;
  d->image_elements = row * input.dim(1);
  if (input.type == DType::kFloat32) {
    FillTaps<float>(input.dim(1), output.dim(1), row, o, &d->rows);
    FillTaps<float>(input.dim(2), output.dim(2), d->depth, o, &d->columns);
  } else {
    FillTaps<int64_t>(input.dim(1), output.dim(1), row, o, &d->rows);
    FillTaps<int64_t>(input.dim(2), output.dim(2), d->depth, o, &d->columns);
    FillNarrowChunks(row, d);
  }
  return Status::Ok();
}

// ---- float32 ----

void ResizeImageFloat(const ResizeData& d, const float* image, float* out) {
  const int32_t depth = d.depth;
  for (const Tap& ty : d.rows) {
    const float* top = image + ty.lo;
    const float* bottom = image + ty.hi;
    for (const Tap& tx : d.columns) {
      const float w00 = ty.rest * tx.rest, w01 = ty.rest * tx.fraction;
      const float w10 = ty.fraction * tx.rest, w11 = ty.fraction * tx.fraction;
      const float* p00 = top + tx.lo;
      const float* p01 = top + tx.hi;
      const float* p10 = bottom + tx.lo;
      const float* p11 = bottom + tx.hi;
      int32_t c = 0;
      if (depth >= 4) {
        const v128_t v00 = wasm_f32x4_splat(w00), v01 = wasm_f32x4_splat(w01);
        const v128_t v10 = wasm_f32x4_splat(w10), v11 = wasm_f32x4_splat(w11);
        for (; c + 4 <= depth; c += 4) {
          v128_t v = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(p00 + c), v00),
                                    wasm_f32x4_mul(wasm_v128_load(p01 + c), v01));
          v = wasm_f32x4_add(v, wasm_f32x4_mul(wasm_v128_load(p10 + c), v10));
          v = wasm_f32x4_add(v, wasm_f32x4_mul(wasm_v128_load(p11 + c), v11));
          wasm_v128_store(out + c, v);
        }
      }
      for (; c < depth; ++c) out[c] = p00[c] * w00 + p01[c] * w01 + p10[c] * w10 + p11[c] * w11;
      out += depth;
    }
  }
}

// ---- int8 ----

// The reference's rounding of a sum with 20 fraction bits, half away from
// zero: (v + 2^19) >> 20 for v > 0, (v + 2^19 - 1) >> 20 (arithmetic)
// otherwise, which is (v - 2^19) / 2^20 truncated.
inline v128_t RoundFixed20(v128_t v) {
  const v128_t positive = wasm_i32x4_gt(v, wasm_i32x4_splat(0));  // -1 where v > 0
  const v128_t biased =
      wasm_i32x4_sub(wasm_i32x4_add(v, wasm_i32x4_splat((1 << 19) - 1)), positive);
  return wasm_i32x4_shr(biased, 20);
}
inline int32_t RoundFixed20(int32_t v) { return (v + (1 << 19) - (v > 0 ? 0 : 1)) >> 20; }

// The weights of one output pixel.
struct PixelWeights {
  v128_t pair;        // int16 lanes (1024 - dx, dx)
  v128_t top, below;  // 1024 - dy, dy
};

// 4 values of one row: pairs (left, right) widened to int16, dotted with (1024 - dx, dx).
inline v128_t RowSums(v128_t interleaved_pairs, v128_t weight_pairs) {
  return wasm_i32x4_dot_i16x8(interleaved_pairs, weight_pairs);
}

// Sums of 8 values, given each row's 16 interleaved bytes (left, right);
// `high` weighs values 4..7 (w.pair the others).
inline void Sums8(v128_t top_pairs, v128_t bottom_pairs, const PixelWeights& w, v128_t high,
                  v128_t* lo, v128_t* hi) {
  const v128_t t0 = RowSums(wasm_i16x8_extend_low_i8x16(top_pairs), w.pair);
  const v128_t t1 = RowSums(wasm_i16x8_extend_high_i8x16(top_pairs), high);
  const v128_t b0 = RowSums(wasm_i16x8_extend_low_i8x16(bottom_pairs), w.pair);
  const v128_t b1 = RowSums(wasm_i16x8_extend_high_i8x16(bottom_pairs), high);
  *lo = RoundFixed20(wasm_i32x4_add(wasm_i32x4_mul(t0, w.top), wasm_i32x4_mul(b0, w.below)));
  *hi = RoundFixed20(wasm_i32x4_add(wasm_i32x4_mul(t1, w.top), wasm_i32x4_mul(b1, w.below)));
}

inline v128_t InterleaveLow(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
inline v128_t InterleaveHigh(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

// One output value from its four neighbours, as the reference computes it.
inline int8_t Bilinear(const int8_t* top, const int8_t* bottom, const Tap& tx, int64_t c,
                       int32_t wy_top, int32_t wy_below) {
  const int32_t wx_left = 1024 - tx.fraction_10, wx_right = tx.fraction_10;
  const int32_t t = top[tx.lo + c] * wx_left + top[tx.hi + c] * wx_right;
  const int32_t b = bottom[tx.lo + c] * wx_left + bottom[tx.hi + c] * wx_right;
  return static_cast<int8_t>(RoundFixed20(t * wy_top + b * wy_below));
}

// Output rows [first, end) of one image; a row of out_width * depth values
// starts at `out`.
void ResizeRowsInt8(const ResizeData& d, const int8_t* image, int64_t first, int64_t end,
                    int8_t* out) {
  const int32_t depth = d.depth;
  for (int64_t y = first; y < end; ++y) {
    const Tap& ty = d.rows[y];
    const int8_t* top = image + ty.lo;
    const int8_t* bottom = image + ty.hi;
    const int32_t wy_top = 1024 - ty.fraction_10, wy_below = ty.fraction_10;
    PixelWeights w;
    w.top = wasm_i32x4_splat(wy_top);
    w.below = wasm_i32x4_splat(wy_below);
    if (!d.narrow.empty()) {
      for (const NarrowChunk& chunk : d.narrow) {
        const v128_t pick = wasm_v128_load(chunk.pick);
        w.pair = wasm_v128_load(chunk.pairs);
        v128_t r0, r1;
        Sums8(wasm_i8x16_swizzle(wasm_v128_load(top + chunk.base), pick),
              wasm_i8x16_swizzle(wasm_v128_load(bottom + chunk.base), pick), w,
              wasm_v128_load(chunk.pairs + 8), &r0, &r1);
        const v128_t narrow = wasm_i16x8_narrow_i32x4(r0, r1);
        wasm_v128_store64_lane(out, wasm_i8x16_narrow_i16x8(narrow, narrow), 0);
        out += 8;
      }
      const int64_t values = static_cast<int64_t>(d.columns.size()) * depth;
      for (int64_t i = static_cast<int64_t>(d.narrow.size()) * 8; i < values; ++i) {
        *out++ = Bilinear(top, bottom, d.columns[i / depth], i % depth, wy_top, wy_below);
      }
      continue;
    }
    for (const Tap& tx : d.columns) {
      const int8_t* p00 = top + tx.lo;
      const int8_t* p01 = top + tx.hi;
      const int8_t* p10 = bottom + tx.lo;
      const int8_t* p11 = bottom + tx.hi;
      w.pair = wasm_i32x4_splat(tx.pair_10);
      int32_t c = 0;
      for (; c + 16 <= depth; c += 16) {
        const v128_t a = wasm_v128_load(p00 + c), b = wasm_v128_load(p01 + c);
        const v128_t e = wasm_v128_load(p10 + c), f = wasm_v128_load(p11 + c);
        v128_t r0, r1, r2, r3;
        Sums8(InterleaveLow(a, b), InterleaveLow(e, f), w, w.pair, &r0, &r1);
        Sums8(InterleaveHigh(a, b), InterleaveHigh(e, f), w, w.pair, &r2, &r3);
        wasm_v128_store(out + c, wasm_i8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(r0, r1),
                                                         wasm_i16x8_narrow_i32x4(r2, r3)));
      }
      if (c + 8 <= depth) {
        const v128_t a = wasm_v128_load64_zero(p00 + c), b = wasm_v128_load64_zero(p01 + c);
        const v128_t e = wasm_v128_load64_zero(p10 + c), f = wasm_v128_load64_zero(p11 + c);
        v128_t r0, r1;
        Sums8(InterleaveLow(a, b), InterleaveLow(e, f), w, w.pair, &r0, &r1);
        const v128_t narrow = wasm_i16x8_narrow_i32x4(r0, r1);
        wasm_v128_store64_lane(out + c, wasm_i8x16_narrow_i16x8(narrow, narrow), 0);
        c += 8;
      }
      for (; c < depth; ++c) out[c] = Bilinear(top, bottom, tx, c, wy_top, wy_below);
      out += depth;
    }
  }
}

Status Eval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  if (output.num_elements() == 0) return Status::Ok();
  const ResizeData& d = *ctx.op_data<ResizeData>();
  const int64_t out_row = static_cast<int64_t>(d.columns.size()) * d.depth;
  const int64_t out_image = static_cast<int64_t>(d.rows.size()) * out_row;
  if (input.type == DType::kFloat32) {
    for (int32_t b = 0; b < input.dim(0); ++b) {
      ResizeImageFloat(d, input.data_as<float>() + b * d.image_elements,
                       output.data_as<float>() + b * out_image);
    }
    return Status::Ok();
  }
  // Rows of every image split over the threads; a value costs about as much
  // as a few GEMM multiply-adds.
  const int64_t height = static_cast<int64_t>(d.rows.size());
  const int8_t* in = input.data_as<int8_t>();
  int8_t* out = output.data_as<int8_t>();
  ctx.ParallelFor(input.dim(0) * height, out_row * 4, [&](int64_t begin, int64_t end, int) {
    for (int64_t row = begin; row < end;) {
      const int64_t b = row / height, y = row % height;
      const int64_t last = std::min(end - b * height, height);
      ResizeRowsInt8(d, in + b * d.image_elements, y, last, out + b * out_image + y * out_row);
      row = b * height + last;
    }
  });
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* ResizeBilinear() {
  static const KernelRegistration kRegistration = {"resize_bilinear_simd128", Prepare, Eval,
                                                   Accepts};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
