// float32 MEAN in SIMD128 where the reduced axes are one run outside a
// contiguous run of kept ones: the input read as [outer][reduced][inner]
// (dimensions of size 1 dropped, neighbours of one kind merged; inner is 1
// when the last axes are reduced), as in a CNN's global average pool (NHWC
// over axes 1 and 2). Byte-identical to the reference kernel
// (core/kernels/mean.cc): each output sums its inputs from 0 in memory order
// (r = 0, 1, ...), four inner channels per vector, then divides by the
// element count as a float. Every other case (other axis layouts, empty
// inputs, int8/uint8/int16) is declined and runs the reference kernel.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/kernels/reduce_axes.h"
#include "core/op_options.h"
#include "core/op_table.h"
#include "kernels_wasm/reference_prepare.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

struct MeanLayout {
  int64_t outer = 1, reduced = 1, inner = 1;
  float count = 1.0f;  // the reference's static_cast<float>(reduced_count)
};

struct SimdMeanData : OpData {
  MeanLayout layout;
};

// The layout of `ctx`'s MEAN, or false when it is not [outer][reduced][inner]
// (float32, not empty).
QLITE_PREPARE_TIME bool FindLayout(const OpContext& ctx, MeanLayout* layout) {
  const Tensor* input = ctx.input(0);
  const Tensor* axis = ctx.input(1);
  const Tensor* output = ctx.output(0);
  if (input == nullptr || axis == nullptr || output == nullptr) return false;
  if (input->type != DType::kFloat32 || output->type != DType::kFloat32) return false;
  ReducedAxes r;
  std::vector<int32_t> axes;
  if (!ResolveReducedAxes(*input, *axis, ctx.options<ReducerOptions>().keep_dims, &r, &axes).ok()) {
    return false;
  }
  if (ShapeElementCount(r.in_shape) <= 0) return false;  // the reference's NaNs
  // Dimensions of size 1 left out, the rest must be kept (outer), then
  // reduced, then kept (inner); out_strides is 0 exactly for reduced ones.
  // Inner is 1 when the last axes are reduced (one output at a time).
  enum { kOuter, kReduced, kInner } part = kOuter;
  for (size_t dim = 0; dim < r.in_shape.size(); ++dim) {
    const int64_t size = r.in_shape[dim];
    if (size == 1) continue;
    if (r.out_strides[dim] == 0) {
      if (part == kInner) return false;
      part = kReduced;
      layout->reduced *= size;
    } else if (part == kOuter) {
      layout->outer *= size;
    } else {
      part = kInner;
      layout->inner *= size;
    }
  }
  if (part == kOuter) std::swap(layout->outer, layout->inner);  // nothing reduced
  layout->count = static_cast<float>(r.reduced_count);
  return true;
}

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  MeanLayout layout;
  return FindLayout(ctx, &layout);
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(PrepareAsReference(ctx));  // checks, output shape
  auto* d = ctx.NewOpData<SimdMeanData>();         // replaces the reference's
  QLITE_ENSURE(FindLayout(ctx, &d->layout), "MEAN: axes not laid out as accepted");
  return Status::Ok();
}

// Inner channels [begin, end) of outer row o.
void MeanChannels(const MeanLayout& l, const float* in, float* out, int64_t begin, int64_t end) {
  const int64_t step = l.inner;
  const v128_t count = wasm_f32x4_splat(l.count);
  int64_t c = begin;
  for (; c + 16 <= end; c += 16) {
    v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
    const float* x = in + c;
    for (int64_t r = 0; r < l.reduced; ++r, x += step) {
      s0 = wasm_f32x4_add(s0, wasm_v128_load(x));
      s1 = wasm_f32x4_add(s1, wasm_v128_load(x + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(x + 8));
      s3 = wasm_f32x4_add(s3, wasm_v128_load(x + 12));
    }
    wasm_v128_store(out + c, wasm_f32x4_div(s0, count));
    wasm_v128_store(out + c + 4, wasm_f32x4_div(s1, count));
    wasm_v128_store(out + c + 8, wasm_f32x4_div(s2, count));
    wasm_v128_store(out + c + 12, wasm_f32x4_div(s3, count));
  }
  for (; c + 4 <= end; c += 4) {
    v128_t s = wasm_f32x4_splat(0.0f);
    const float* x = in + c;
    for (int64_t r = 0; r < l.reduced; ++r, x += step) s = wasm_f32x4_add(s, wasm_v128_load(x));
    wasm_v128_store(out + c, wasm_f32x4_div(s, count));
  }
  for (; c < end; ++c) {
    float s = 0.0f;
    const float* x = in + c;
    for (int64_t r = 0; r < l.reduced; ++r, x += step) s += *x;
    out[c] = s / l.count;
  }
}

// Work items: blocks of up to 64 inner channels of one outer row.
constexpr int64_t kBlock = 64;

Status Eval(OpContext& ctx) {
  const MeanLayout& l = ctx.op_data<SimdMeanData>()->layout;
  const float* input = ctx.input(0)->data_as<float>();
  float* output = ctx.output(0)->data_as<float>();
  const int64_t blocks = (l.inner + kBlock - 1) / kBlock;
  ctx.ParallelFor(l.outer * blocks, l.reduced * kBlock, [&](int64_t begin, int64_t end, int) {
    for (int64_t item = begin; item < end; ++item) {
      const int64_t o = item / blocks;
      const int64_t c = item % blocks * kBlock;
      MeanChannels(l, input + o * l.reduced * l.inner, output + o * l.inner, c,
                   std::min(c + kBlock, l.inner));
    }
  });
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* Mean() {
  static const KernelRegistration kRegistration = {"mean_simd128", Prepare, Eval, Accepts};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
