// float32 ADD, SUB and MUL in SIMD128, 4 values per step, byte-identical to
// the reference (core/kernels/add_sub.cc, mul.cc): a + b, a - b or a * b, then
// std::min(std::max(r, lo), hi) with the activation's range (kLowest/kHighest
// for NONE, so infinities become +-FLT_MAX there too). f32x4.pmax(r, lo) is
// r < lo ? lo : r and f32x4.pmin(r, hi) is hi < r ? hi : r, the std::max and
// std::min expressions lane for lane: a NaN passes both unchanged and -0.0
// stays -0.0 under RELU, as in the reference.
// Broadcasting uses the reference's BroadcastShape: the innermost dimension is
// contiguous or broadcast in each input (a broadcast operand is splatted).
// ADD also keeps the int8 kernel of add.cc: one override per op, so the ADD
// registration here hands int8 nodes to it.
#include <algorithm>
#include <array>
#include <cstdint>

#include "core/kernels/broadcast.h"
#include "core/op_table.h"
#include "core/quant_math.h"
#include "kernels_wasm/reference_prepare.h"
#include "kernels_wasm/simd128.h"

namespace qlite {

namespace simd {
const KernelRegistration* AddInt8();  // add.cc
}  // namespace simd

namespace {

enum class FloatOp { kAdd, kSub, kMul };

struct FloatBinaryData : OpData {
  BroadcastShape broadcast;
  float lo = 0.0f, hi = 0.0f;
};

QLITE_PREPARE_TIME bool AcceptsFloat(const OpContext& ctx) {
  const Tensor* in1 = ctx.input(0);
  const Tensor* in2 = ctx.input(1);
  const Tensor* out = ctx.output(0);
  return in1 != nullptr && in2 != nullptr && out != nullptr && in1->type == DType::kFloat32 &&
         in2->type == DType::kFloat32 && out->type == DType::kFloat32;
}

// The reference prepare checks the node and sets the output shape; the
// broadcast and the activation range are then computed as it does.
QLITE_PREPARE_TIME Status PrepareFloat(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(PrepareAsReference(ctx));
  auto* data = ctx.NewOpData<FloatBinaryData>();
  Shape out_shape;
  QLITE_RETURN_IF_ERROR(ComputeBroadcastShape(ctx.input(0)->shape, ctx.input(1)->shape, "binary",
                                              &data->broadcast, &out_shape));
  return ActivationRangeFloat(ctx.options<ElementwiseOptions>().activation, &data->lo, &data->hi);
}

template <FloatOp kOp>
float Apply(float a, float b) {
  return kOp == FloatOp::kAdd ? a + b : kOp == FloatOp::kSub ? a - b : a * b;
}

template <FloatOp kOp>
v128_t ApplyX4(v128_t a, v128_t b) {
  return kOp == FloatOp::kAdd   ? wasm_f32x4_add(a, b)
         : kOp == FloatOp::kSub ? wasm_f32x4_sub(a, b)
                                : wasm_f32x4_mul(a, b);
}

// out[i] = clamp(a[i * stride_a] op b[i * stride_b]) for i < n; strides are 0 or 1.
template <FloatOp kOp>
void Row(const float* a, int64_t stride_a, const float* b, int64_t stride_b, int64_t n, float lo,
         float hi, float* out) {
  int64_t i = 0;
  if (n >= 4) {
    const v128_t lo4 = wasm_f32x4_splat(lo);
    const v128_t hi4 = wasm_f32x4_splat(hi);
    // A broadcast operand is read from four copies of its value, with no
    // step: one loop for every pair of strides (no unswitched copies).
    float splat_a[4], splat_b[4];
    wasm_v128_store(splat_a, wasm_f32x4_splat(*a));
    wasm_v128_store(splat_b, wasm_f32x4_splat(*b));
    const float* va = stride_a != 0 ? a : splat_a;
    const float* vb = stride_b != 0 ? b : splat_b;
    const int64_t step_a = stride_a * 4, step_b = stride_b * 4;
    for (; i + 4 <= n; i += 4, va += step_a, vb += step_b) {
      const v128_t r = ApplyX4<kOp>(wasm_v128_load(va), wasm_v128_load(vb));
      wasm_v128_store(out + i, wasm_f32x4_pmin(wasm_f32x4_pmax(r, lo4), hi4));
    }
  }
#if defined(__clang__)
  // At most 3 values per row: vectorized, they would only cost code size.
#pragma clang loop vectorize(disable) unroll(disable)
#endif
  for (; i < n; ++i) {
    out[i] = std::min(std::max(Apply<kOp>(a[i * stride_a], b[i * stride_b]), lo), hi);
  }
}

using RowFn = void (*)(const float* a, int64_t stride_a, const float* b, int64_t stride_b,
                       int64_t n, float lo, float hi, float* out);

// Output rows [begin, end) of a broadcast (rows of dims[5] values), walking
// the five outer indices as an odometer from `begin`.
void BroadcastRows(const FloatBinaryData& p, RowFn row_fn, const float* in1, const float* in2,
                   float* out, int64_t begin, int64_t end) {
  const BroadcastShape& b = p.broadcast;
  std::array<int32_t, 5> index{};
  int64_t rest = begin;
  for (int d = 4; d >= 0; --d) {
    index[d] = static_cast<int32_t>(rest % b.dims[d]);
    rest /= b.dims[d];
  }
  const int64_t count = b.dims[5];
  for (int64_t row = begin; row < end; ++row) {
    int64_t offset1 = 0, offset2 = 0;
    for (int d = 0; d < 5; ++d) {
      offset1 += index[d] * b.stride1[d];
      offset2 += index[d] * b.stride2[d];
    }
    row_fn(in1 + offset1, b.stride1[5], in2 + offset2, b.stride2[5], count, p.lo, p.hi,
           out + row * count);
    for (int d = 4; d >= 0 && ++index[d] == b.dims[d]; --d) index[d] = 0;
  }
}

// The walk is shared by the three ops (code size); only Row is per op.
Status EvalWithRow(OpContext& ctx, RowFn row_fn) {
  const FloatBinaryData& p = *ctx.op_data<FloatBinaryData>();
  const float* in1 = ctx.input(0)->data_as<float>();
  const float* in2 = ctx.input(1)->data_as<float>();
  float* out = ctx.output(0)->data_as<float>();
  const BroadcastShape& b = p.broadcast;
  if (b.same_shapes) {
    // Runs of 4 values split over the threads (one value per input pair).
    const int64_t n = b.num_elements;
    ctx.ParallelFor((n + 3) / 4, 4, [&](int64_t begin, int64_t end, int) {
      const int64_t first = begin * 4;
      row_fn(in1 + first, 1, in2 + first, 1, std::min(end * 4, n) - first, p.lo, p.hi, out + first);
    });
    return Status::Ok();
  }
  int64_t rows = 1;
  for (int d = 0; d < 5; ++d) rows *= b.dims[d];
  if (rows == 0 || b.dims[5] == 0) return Status::Ok();
  ctx.ParallelFor(rows, b.dims[5], [&](int64_t begin, int64_t end, int) {
    BroadcastRows(p, row_fn, in1, in2, out, begin, end);
  });
  return Status::Ok();
}

template <FloatOp kOp>
Status EvalFloat(OpContext& ctx) {
  return EvalWithRow(ctx, Row<kOp>);
}

// ADD: int8 nodes go to add.cc's kernel, float32 nodes to this one.
QLITE_PREPARE_TIME bool AcceptsAdd(const OpContext& ctx) {
  const KernelRegistration* int8 = simd::AddInt8();
  return AcceptsFloat(ctx) || int8->accepts(ctx);
}

QLITE_PREPARE_TIME Status PrepareAdd(OpContext& ctx) {
  return AcceptsFloat(ctx) ? PrepareFloat(ctx) : simd::AddInt8()->prepare(ctx);
}

Status EvalAdd(OpContext& ctx) {
  return ctx.output(0)->type == DType::kFloat32 ? EvalFloat<FloatOp::kAdd>(ctx)
                                                : simd::AddInt8()->eval(ctx);
}

}  // namespace

namespace simd {
const KernelRegistration* Add() {
  static const KernelRegistration kRegistration = {"add_simd128", PrepareAdd, EvalAdd, AcceptsAdd};
  return &kRegistration;
}

const KernelRegistration* Sub() {
  static const KernelRegistration kRegistration = {"sub_float32_simd128", PrepareFloat,
                                                   EvalFloat<FloatOp::kSub>, AcceptsFloat};
  return &kRegistration;
}

const KernelRegistration* Mul() {
  static const KernelRegistration kRegistration = {"mul_float32_simd128", PrepareFloat,
                                                   EvalFloat<FloatOp::kMul>, AcceptsFloat};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
