// int8 and float32 MAX_POOL_2D and AVERAGE_POOL_2D in SIMD128, vectorized
// across channels (int8: 16, then 8, then one at a time; float32: 4, then one
// at a time). Prepare is the reference one
// (core/kernels/pooling.h): windows clipped to the input, same scale and zero
// point on input and output. Results are byte-identical to the reference:
//   max:     i8x16.max over the window, then the activation clamp.
//   average: the window sum (int16 lanes, flushed to int32 every 256 taps so
//            they cannot overflow), rounded half away from zero as TFLite:
//            (sum ± count/2) / count truncated. The division is done in float,
//            which is exact while |sum| + count < 2^24; accepts() declines
//            windows large enough to break that.
//   float32: the reference's per-channel order of operations, lane by lane:
//            max with f32x4.pmax (a < b ? b : a, as std::max), sums added tap
//            by tap from 0, divided by the tap count, clamped with pmax/pmin.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/kernels/kernel_util.h"
#include "core/kernels/pooling.h"
#include "core/op_table.h"
#include "core/quant_math.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

// 128 * 65536 + 65536 / 2 + 65536 < 2^24: float division stays exact.
constexpr int64_t kMaxAverageWindow = 65536;
// int16 lanes hold the sum of up to 256 int8 values (-128 * 256 = -32768).
constexpr int kTapsPerInt16Sum = 256;

QLITE_PREPARE_TIME bool AcceptsInt8(const OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  return input != nullptr && output != nullptr && input->type == DType::kInt8 &&
         output->type == DType::kInt8;
}

QLITE_PREPARE_TIME bool AcceptsFloat(const OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  return input != nullptr && output != nullptr && input->type == DType::kFloat32 &&
         output->type == DType::kFloat32;
}

QLITE_PREPARE_TIME bool AcceptsMax(const OpContext& ctx) {
  return AcceptsInt8(ctx) || AcceptsFloat(ctx);
}

QLITE_PREPARE_TIME bool AcceptsAverage(const OpContext& ctx) {
  const auto& options = ctx.options<Pool2DOptions>();
  return AcceptsFloat(ctx) ||
         (AcceptsInt8(ctx) &&
          static_cast<int64_t>(options.filter_h) * options.filter_w <= kMaxAverageWindow);
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  return PreparePool(ctx, ctx.NewOpData<PoolData>());
}

template <typename T>
using Window = PoolWindow<T>;
using PixelWindow = Window<int8_t>;

// ---- MAX_POOL_2D ----

// The tensors' ends: the last channels of a pixel (fewer than 16) may be
// done 16 lanes wide, reading the next pixel's bytes (unused) and writing
// into the next output pixel (written later), while both stay inside.
struct Int8Bounds {
  const int8_t* input_end;
  const int8_t* output_end;
};

inline v128_t MaxOverWindow(const PixelWindow& w, int c) {
  v128_t max = wasm_i8x16_splat(-128);
  for (int32_t y = 0; y < w.rows; ++y) {
    const int8_t* row = w.corner + y * w.row_stride + c;
    for (int32_t x = 0; x < w.cols; ++x) {
      max = wasm_i8x16_max(max, wasm_v128_load(row + x * w.col_stride));
    }
  }
  return max;
}

void MaxPoolPixel(const PoolData& d, const PixelWindow& w, const Int8Bounds& bounds, int8_t* out) {
  const v128_t lo = wasm_i8x16_splat(static_cast<int8_t>(d.act_min));
  const v128_t hi = wasm_i8x16_splat(static_cast<int8_t>(d.act_max));
  int c = 0;
  for (; c + 16 <= d.channels; c += 16) {
    wasm_v128_store(out + c, wasm_i8x16_min(wasm_i8x16_max(MaxOverWindow(w, c), lo), hi));
  }
  if (c < d.channels) {
    const int8_t* last_tap =
        w.corner + (w.rows - 1) * w.row_stride + (w.cols - 1) * w.col_stride + c;
    if (bounds.input_end - last_tap >= 16 && bounds.output_end - (out + c) >= 16) {
      wasm_v128_store(out + c, wasm_i8x16_min(wasm_i8x16_max(MaxOverWindow(w, c), lo), hi));
      return;
    }
  }
  for (; c + 8 <= d.channels; c += 8) {
    v128_t max = wasm_i8x16_splat(-128);
    for (int32_t y = 0; y < w.rows; ++y) {
      const int8_t* row = w.corner + y * w.row_stride + c;
      for (int32_t x = 0; x < w.cols; ++x) {
        max = wasm_i8x16_max(max, wasm_v128_load64_zero(row + x * w.col_stride));
      }
    }
    wasm_v128_store64_lane(out + c, wasm_i8x16_min(wasm_i8x16_max(max, lo), hi), 0);
  }
  for (; c < d.channels; ++c) {
    int32_t max = -128;
    for (int32_t y = 0; y < w.rows; ++y) {
      const int8_t* row = w.corner + y * w.row_stride + c;
      for (int32_t x = 0; x < w.cols; ++x) max = std::max<int32_t>(max, row[x * w.col_stride]);
    }
    out[c] = static_cast<int8_t>(Clamp(max, d.act_min, d.act_max));
  }
}

// The reference's float clamp: std::min(std::max(x, lo), hi).
v128_t ClampFloat(v128_t x, v128_t lo, v128_t hi) {
  return wasm_f32x4_pmin(wasm_f32x4_pmax(x, lo), hi);
}
float ClampFloat(float x, const PoolData& d) {
  return std::min(std::max(x, d.act_min_float), d.act_max_float);
}

void MaxPoolPixelFloat(const PoolData& d, const Window<float>& w, float* out) {
  const v128_t lo = wasm_f32x4_splat(d.act_min_float);
  const v128_t hi = wasm_f32x4_splat(d.act_max_float);
  constexpr float kLowest = std::numeric_limits<float>::lowest();
  int c = 0;
  for (; c + 4 <= d.channels; c += 4) {
    v128_t max = wasm_f32x4_splat(kLowest);
    for (int32_t y = 0; y < w.rows; ++y) {
      const float* row = w.corner + y * w.row_stride + c;
      for (int32_t x = 0; x < w.cols; ++x) {
        max = wasm_f32x4_pmax(max, wasm_v128_load(row + x * w.col_stride));
      }
    }
    wasm_v128_store(out + c, ClampFloat(max, lo, hi));
  }
  for (; c < d.channels; ++c) {
    float max = kLowest;
    for (int32_t y = 0; y < w.rows; ++y) {
      const float* row = w.corner + y * w.row_stride + c;
      for (int32_t x = 0; x < w.cols; ++x) max = std::max(max, row[x * w.col_stride]);
    }
    out[c] = ClampFloat(max, d);
  }
}

Status EvalMax(OpContext& ctx) {
  const PoolData& d = *ctx.op_data<PoolData>();
  if (ctx.input(0)->type == DType::kFloat32) {
    ForEachPoolPixel(d, ctx.input(0)->data_as<float>(), ctx.output(0)->data_as<float>(),
                     [&d](const Window<float>& w, float* out) { MaxPoolPixelFloat(d, w, out); });
    return Status::Ok();
  }
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const Int8Bounds bounds = {input.data_as<int8_t>() + input.num_elements(),
                             output.data_as<int8_t>() + output.num_elements()};
  ForEachPoolPixel(
      d, input.data_as<int8_t>(), output.data_as<int8_t>(),
      [&d, &bounds](const PixelWindow& w, int8_t* out) { MaxPoolPixel(d, w, bounds, out); });
  return Status::Ok();
}

// ---- AVERAGE_POOL_2D ----

// The window sums of kGroups * 8 channels starting at `channel`, as int32.
template <int kGroups>
void SumWindow(const PixelWindow& w, int channel, v128_t (&sums)[kGroups * 2]) {
  v128_t partial[kGroups];
  for (v128_t& s : sums) s = wasm_i32x4_splat(0);
  for (v128_t& p : partial) p = wasm_i16x8_splat(0);
  int taps_in_partial = 0;
  for (int32_t y = 0; y < w.rows; ++y) {
    const int8_t* row = w.corner + y * w.row_stride + channel;
    for (int32_t x = 0; x < w.cols; ++x) {
      if (taps_in_partial == kTapsPerInt16Sum) {
        for (int g = 0; g < kGroups; ++g) {
          sums[2 * g] = wasm_i32x4_add(sums[2 * g], wasm_i32x4_extend_low_i16x8(partial[g]));
          sums[2 * g + 1] =
              wasm_i32x4_add(sums[2 * g + 1], wasm_i32x4_extend_high_i16x8(partial[g]));
          partial[g] = wasm_i16x8_splat(0);
        }
        taps_in_partial = 0;
      }
      const int8_t* tap = row + x * w.col_stride;
      for (int g = 0; g < kGroups; ++g) {
        partial[g] = wasm_i16x8_add(partial[g], wasm_i16x8_load8x8(tap + 8 * g));
      }
      ++taps_in_partial;
    }
  }
  for (int g = 0; g < kGroups; ++g) {
    sums[2 * g] = wasm_i32x4_add(sums[2 * g], wasm_i32x4_extend_low_i16x8(partial[g]));
    sums[2 * g + 1] = wasm_i32x4_add(sums[2 * g + 1], wasm_i32x4_extend_high_i16x8(partial[g]));
  }
}

// The rounding and clamping shared by every channel of one output pixel.
struct AverageRounding {
  v128_t half, count, act_min, act_max;

  // (sum + half) / count for sum > 0, (sum - half) / count otherwise,
  // truncated, then clamped.
  v128_t Average(v128_t sum) const {
    const v128_t positive = wasm_i32x4_gt(sum, wasm_i32x4_splat(0));
    const v128_t rounded =
        wasm_v128_bitselect(wasm_i32x4_add(sum, half), wasm_i32x4_sub(sum, half), positive);
    const v128_t quotient =
        wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_div(wasm_f32x4_convert_i32x4(rounded), count));
    return wasm_i32x4_min(wasm_i32x4_max(quotient, act_min), act_max);
  }
  // Eight int32 averages packed to int8 (already in range, saturation is a no-op).
  v128_t Pack8(v128_t sum_lo, v128_t sum_hi) const {
    const v128_t narrow16 = wasm_i16x8_narrow_i32x4(Average(sum_lo), Average(sum_hi));
    return wasm_i8x16_narrow_i16x8(narrow16, narrow16);
  }
};

void AveragePoolPixel(const PoolData& d, const PixelWindow& w, int8_t* out) {
  const int32_t count = w.rows * w.cols;  // >= 1, <= kMaxAverageWindow
  const AverageRounding r = {wasm_i32x4_splat(count / 2),
                             wasm_f32x4_splat(static_cast<float>(count)),
                             wasm_i32x4_splat(d.act_min), wasm_i32x4_splat(d.act_max)};
  int c = 0;
  for (; c + 16 <= d.channels; c += 16) {
    v128_t sums[4];
    SumWindow<2>(w, c, sums);
    const v128_t lo = r.Pack8(sums[0], sums[1]);
    const v128_t hi = r.Pack8(sums[2], sums[3]);
    wasm_v128_store(out + c, wasm_i64x2_shuffle(lo, hi, 0, 2));
  }
  for (; c + 8 <= d.channels; c += 8) {
    v128_t sums[2];
    SumWindow<1>(w, c, sums);
    wasm_v128_store64_lane(out + c, r.Pack8(sums[0], sums[1]), 0);
  }
  for (; c < d.channels; ++c) {
    int64_t sum = 0;
    for (int32_t y = 0; y < w.rows; ++y) {
      const int8_t* row = w.corner + y * w.row_stride + c;
      for (int32_t x = 0; x < w.cols; ++x) sum += row[x * w.col_stride];
    }
    const int64_t average = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    out[c] =
        static_cast<int8_t>(std::min<int64_t>(std::max<int64_t>(average, d.act_min), d.act_max));
  }
}

void AveragePoolPixelFloat(const PoolData& d, const Window<float>& w, float* out) {
  const v128_t lo = wasm_f32x4_splat(d.act_min_float);
  const v128_t hi = wasm_f32x4_splat(d.act_max_float);
  const float count = static_cast<float>(static_cast<int64_t>(w.rows) * w.cols);
  const v128_t count4 = wasm_f32x4_splat(count);
  int c = 0;
  for (; c + 4 <= d.channels; c += 4) {
    v128_t sum = wasm_f32x4_splat(0.0f);
    for (int32_t y = 0; y < w.rows; ++y) {
      const float* row = w.corner + y * w.row_stride + c;
      for (int32_t x = 0; x < w.cols; ++x) {
        sum = wasm_f32x4_add(sum, wasm_v128_load(row + x * w.col_stride));
      }
    }
    wasm_v128_store(out + c, ClampFloat(wasm_f32x4_div(sum, count4), lo, hi));
  }
  for (; c < d.channels; ++c) {
    float sum = 0.0f;
    for (int32_t y = 0; y < w.rows; ++y) {
      const float* row = w.corner + y * w.row_stride + c;
      for (int32_t x = 0; x < w.cols; ++x) sum += row[x * w.col_stride];
    }
    out[c] = ClampFloat(sum / count, d);
  }
}

Status EvalAverage(OpContext& ctx) {
  const PoolData& d = *ctx.op_data<PoolData>();
  if (ctx.input(0)->type == DType::kFloat32) {
    ForEachPoolPixel(
        d, ctx.input(0)->data_as<float>(), ctx.output(0)->data_as<float>(),
        [&d](const Window<float>& w, float* out) { AveragePoolPixelFloat(d, w, out); });
    return Status::Ok();
  }
  ForEachPoolPixel(d, ctx.input(0)->data_as<int8_t>(), ctx.output(0)->data_as<int8_t>(),
                   [&d](const PixelWindow& w, int8_t* out) { AveragePoolPixel(d, w, out); });
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* MaxPool2D() {
  static const KernelRegistration kRegistration = {"max_pool_2d_simd128", PrepareMaxPool, EvalMax,
                                                   AcceptsMax};
  return &kRegistration;
}

const KernelRegistration* AveragePool2D() {
  static const KernelRegistration kRegistration = {"average_pool_2d_simd128", Prepare, EvalAverage,
                                                   AcceptsAverage};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
