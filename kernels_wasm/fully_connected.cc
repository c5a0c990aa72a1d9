// FULLY_CONNECTED with SIMD128, byte-identical to the reference kernel
// (core/kernels/fully_connected.cc), whose prepare validates the node and
// computes the output shape (keep_num_dims included) and the multipliers;
// this file only packs the weights.
//   int8 (per-tensor or per-channel filter): the int8 GEMM of
//     kernels_wasm/gemm_int8.h with batch rows as GEMM rows; the output zero
//     point is added as the reference does (in int64, before the clamp).
//   float32: vectorized across 16 units, each lane summing its products in
//     the reference's order with MulAdd: same floats, except fused in
//     qlite.relaxed.wasm on FMA engines (fused_mul_add.h).
// Declined (reference kernel runs): uint8, int16x8, hybrid, shuffled weights
// and a non-constant bias.
#include <algorithm>
#include <cstring>

#include "core/kernels/fully_connected.h"
#include "core/op_table.h"
#include "kernels_wasm/fused_mul_add.h"
#include "kernels_wasm/gemm_int8.h"
#include "kernels_wasm/requantize.h"
#include "kernels_wasm/simd128.h"
#include "kernels_wasm/worker_scratch.h"

namespace qlite {
namespace {

constexpr int kFloatBlock = 16;               // units per float block
constexpr int64_t kMaxRowsPerGemm = 1 << 20;  // keeps row counts inside int

struct SimdFullyConnectedData : FullyConnectedData {
  // int8
  simd::PackedInt8Weights weights;
  std::vector<int32_t> channel_bias;  // bias + input_offset * weight sums
  simd::ChannelRequantization requant;
  simd::WorkerScratch gemm_scratch;  // per worker: the GEMM's int32 accumulator tile
  // float32: blocks of 16 units, [block][depth][16], zero padded.
  std::vector<float> float_weights;
};

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  const Tensor* filter = ctx.input(1);
  const Tensor* bias = ctx.input(2);
  if (input == nullptr || filter == nullptr || ctx.num_outputs() != 1) return false;
  if (ctx.options<FullyConnectedOptions>().weights_format != 0) return false;
  if (bias != nullptr && !bias->is_constant()) return false;
  const DType type = input->type;
  if (type != DType::kInt8 && type != DType::kFloat32) return false;
  if (filter->type != type || ctx.output(0)->type != type) return false;
  if (bias != nullptr && bias->type != (type == DType::kInt8 ? DType::kInt32 : DType::kFloat32)) {
    return false;
  }
  return true;
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  auto* d = ctx.NewOpData<SimdFullyConnectedData>();
  QLITE_RETURN_IF_ERROR(PrepareFullyConnected(ctx, d));
  const Tensor& filter = *ctx.input(1);
  const Tensor* bias = ctx.input(2);
  if (filter.type == DType::kFloat32) {
    const int blocks = (d->units + kFloatBlock - 1) / kFloatBlock;
    const int64_t depth = d->input_depth;
    d->float_weights.assign(static_cast<size_t>(blocks) * depth * kFloatBlock, 0.0f);
    const float* w = filter.data_as<float>();
    for (int32_t u = 0; u < d->units; ++u) {
      float* block = d->float_weights.data() + (u / kFloatBlock) * depth * kFloatBlock;
      for (int64_t i = 0; i < depth; ++i) {
        block[i * kFloatBlock + u % kFloatBlock] = w[u * depth + i];
      }
    }
    return Status::Ok();
  }
  simd::PackInt8Weights(filter.data_as<int8_t>(), d->units, d->input_depth, d->batches,
                        &d->weights);
  d->channel_bias = simd::FoldInputOffset(
      d->weights, bias != nullptr ? bias->data_as<int32_t>() : nullptr, d->input_offset);
  d->requant.Init(d->multipliers, d->shifts, d->output_offset, d->act_min, d->act_max,
                  simd::ChannelRequantization::OffsetMode::kExact);
  d->requant.UseXnnpackScales(d->xnnpack_scales);
  d->requant.SetAccumulatorBound(simd::GemmAccumulatorBound(d->weights, d->channel_bias.data()));
  return d->gemm_scratch.Request(
      ctx, static_cast<size_t>(simd::GemmScratchInts(d->weights)) * sizeof(int32_t));
}

// Batch rows are split over the threads (one row's outputs depend on that
// row only); a single row runs on one thread.
void EvalInt8(const OpContext& ctx, const SimdFullyConnectedData& d, const int8_t* input,
              int8_t* output) {
  const int64_t work_per_row = d.input_depth * d.units;
  ctx.ParallelFor(d.batches, work_per_row, [&](int64_t begin, int64_t end, int worker) {
    int32_t* gemm_scratch = d.gemm_scratch.For<int32_t>(ctx, worker);
    for (int64_t first = begin; first < end; first += kMaxRowsPerGemm) {
      const int rows = static_cast<int>(std::min(kMaxRowsPerGemm, end - first));
      simd::GemmInt8(input + first * d.input_depth, rows, d.input_depth, d.weights,
                     d.channel_bias.data(), d.requant, output + first * d.units, d.units,
                     gemm_scratch);
    }
  });
}

// (batch row, block of 16 units) pairs are split over the threads.
void EvalFloat(const OpContext& ctx, const SimdFullyConnectedData& d, const float* input,
               const float* bias, float* output) {
  const int64_t depth = d.input_depth;
  const v128_t lo = wasm_f32x4_splat(d.act_min_float);
  const v128_t hi = wasm_f32x4_splat(d.act_max_float);
  const int64_t blocks = (d.units + kFloatBlock - 1) / kFloatBlock;
  ctx.ParallelFor(d.batches * blocks, depth * kFloatBlock, [&](int64_t begin, int64_t end, int) {
    for (int64_t item = begin; item < end; ++item) {
      const int64_t b = item / blocks;
      const int32_t first = static_cast<int32_t>(item % blocks) * kFloatBlock;
      const float* in_row = input + b * depth;
      float* out_row = output + b * d.units;
      const float* w = d.float_weights.data() + (first / kFloatBlock) * depth * kFloatBlock;
      v128_t acc0 = wasm_f32x4_splat(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      for (int64_t i = 0; i < depth; ++i, w += kFloatBlock) {
        const v128_t x = wasm_v128_load32_splat(in_row + i);
        acc0 = simd::MulAdd(x, wasm_v128_load(w), acc0);
        acc1 = simd::MulAdd(x, wasm_v128_load(w + 4), acc1);
        acc2 = simd::MulAdd(x, wasm_v128_load(w + 8), acc2);
        acc3 = simd::MulAdd(x, wasm_v128_load(w + 12), acc3);
      }
      const int valid = std::min<int32_t>(kFloatBlock, d.units - first);
      float bias_values[kFloatBlock] = {};
      if (bias != nullptr) std::memcpy(bias_values, bias + first, valid * sizeof(float));
      // The reference adds 0.0f without a bias (-0 becomes +0) and clamps with
      // std::max/std::min, which pmax/pmin reproduce (NaN included).
      float values[kFloatBlock];
      const v128_t acc[4] = {acc0, acc1, acc2, acc3};
      for (int j = 0; j < 4; ++j) {
        const v128_t biased = wasm_f32x4_add(acc[j], wasm_v128_load(bias_values + 4 * j));
        wasm_v128_store(values + 4 * j, wasm_f32x4_pmin(wasm_f32x4_pmax(biased, lo), hi));
      }
      std::memcpy(out_row + first, values, valid * sizeof(float));
    }
  });
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<SimdFullyConnectedData>();
  const Tensor& input = *ctx.input(0);
  const Tensor* bias = ctx.input(2);
  Tensor* output = ctx.output(0);
  if (input.type == DType::kFloat32) {
    EvalFloat(ctx, d, input.data_as<float>(), bias != nullptr ? bias->data_as<float>() : nullptr,
              output->data_as<float>());
  } else {
    EvalInt8(ctx, d, input.data_as<int8_t>(), output->data_as<int8_t>());
  }
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* FullyConnected() {
  static const KernelRegistration registration = {"fully_connected_simd", Prepare, Eval, Accepts};
  return &registration;
}
}  // namespace simd

}  // namespace qlite
