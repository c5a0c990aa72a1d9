// float32 RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 and LEAKY_RELU in SIMD128,
// byte-identical to the reference (core/kernels/activations.cc):
//   clamps: std::min(std::max(x, lo), hi), as f32x4.pmin(f32x4.pmax(x, lo), hi)
//     (the same comparisons lane for lane: NaN passes unchanged, RELU keeps
//     -0.0, and +inf becomes FLT_MAX under RELU's open upper bound);
//   LEAKY_RELU: x > 0 ? x : x * alpha, as a select between x and x * alpha.
// Other dtypes are declined and run the reference kernels.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/op_table.h"
#include "kernels_wasm/reference_prepare.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

struct FloatActivationData : OpData {
  float lo = 0.0f, hi = 0.0f;  // clamps
  bool leaky = false;          // LEAKY_RELU: x > 0 ? x : x * alpha
  float alpha = 0.0f;
};

QLITE_PREPARE_TIME bool AcceptsFloat(const OpContext& ctx) {
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  return in != nullptr && out != nullptr && in->type == DType::kFloat32 &&
         out->type == DType::kFloat32;
}

// The reference prepare checks the node and sets the output shape.
QLITE_PREPARE_TIME Status PrepareClamp(OpContext& ctx, float lo, float hi) {
  QLITE_RETURN_IF_ERROR(PrepareAsReference(ctx));
  auto* data = ctx.NewOpData<FloatActivationData>();
  data->lo = lo;
  data->hi = hi;
  return Status::Ok();
}

// The reference's bounds; float max stands for no upper bound.
QLITE_PREPARE_TIME Status PrepareRelu(OpContext& ctx) {
  return PrepareClamp(ctx, 0.0f, std::numeric_limits<float>::max());
}
QLITE_PREPARE_TIME Status PrepareRelu6(OpContext& ctx) { return PrepareClamp(ctx, 0.0f, 6.0f); }
QLITE_PREPARE_TIME Status PrepareReluN1To1(OpContext& ctx) {
  return PrepareClamp(ctx, -1.0f, 1.0f);
}
QLITE_PREPARE_TIME Status PrepareRelu0To1(OpContext& ctx) { return PrepareClamp(ctx, 0.0f, 1.0f); }

QLITE_PREPARE_TIME Status PrepareLeakyRelu(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(PrepareAsReference(ctx));
  auto* data = ctx.NewOpData<FloatActivationData>();
  data->leaky = true;
  data->alpha = ctx.options<LeakyReluOptions>().alpha;
  return Status::Ok();
}

// One eval for all five ops (code size): LEAKY_RELU is the node with a
// nonzero `leaky`, the clamps the others.
Status EvalUnary(OpContext& ctx) {
  const FloatActivationData& p = *ctx.op_data<FloatActivationData>();
  const float* in = ctx.input(0)->data_as<float>();
  float* out = ctx.output(0)->data_as<float>();
  const int64_t n = ctx.input(0)->num_elements();
  // Runs of 4 values split over the threads (each value depends on its own
  // input only).
  ctx.ParallelFor((n + 3) / 4, 4, [&](int64_t begin, int64_t end, int) {
    int64_t i = begin * 4;
    const int64_t last = std::min(end * 4, n);
    const v128_t lo4 = wasm_f32x4_splat(p.lo), hi4 = wasm_f32x4_splat(p.hi);
    const v128_t alpha4 = wasm_f32x4_splat(p.alpha), zero = wasm_f32x4_splat(0.0f);
    if (p.leaky) {
      for (; i + 4 <= last; i += 4) {
        const v128_t x = wasm_v128_load(in + i);
        wasm_v128_store(out + i,
                        wasm_v128_bitselect(x, wasm_f32x4_mul(x, alpha4), wasm_f32x4_gt(x, zero)));
      }
    } else {
      for (; i + 4 <= last; i += 4) {
        wasm_v128_store(out + i,
                        wasm_f32x4_pmin(wasm_f32x4_pmax(wasm_v128_load(in + i), lo4), hi4));
      }
    }
#if defined(__clang__)
    // At most 3 values: vectorized, they would only cost code size.
#pragma clang loop vectorize(disable) unroll(disable)
#endif
    for (; i < last; ++i) {
      const float x = in[i];
      out[i] = p.leaky ? (x > 0.0f ? x : x * p.alpha) : std::min(std::max(x, p.lo), p.hi);
    }
  });
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* Relu() {
  static const KernelRegistration kRegistration = {"relu_float32_simd128", PrepareRelu, EvalUnary,
                                                   AcceptsFloat};
  return &kRegistration;
}

const KernelRegistration* Relu6() {
  static const KernelRegistration kRegistration = {"relu6_float32_simd128", PrepareRelu6, EvalUnary,
                                                   AcceptsFloat};
  return &kRegistration;
}

const KernelRegistration* ReluN1To1() {
  static const KernelRegistration kRegistration = {"relu_n1_to_1_float32_simd128", PrepareReluN1To1,
                                                   EvalUnary, AcceptsFloat};
  return &kRegistration;
}

const KernelRegistration* Relu0To1() {
  static const KernelRegistration kRegistration = {"relu_0_to_1_float32_simd128", PrepareRelu0To1,
                                                   EvalUnary, AcceptsFloat};
  return &kRegistration;
}

const KernelRegistration* LeakyRelu() {
  static const KernelRegistration kRegistration = {"leaky_relu_float32_simd128", PrepareLeakyRelu,
                                                   EvalUnary, AcceptsFloat};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
