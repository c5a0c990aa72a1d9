// BATCH_MATMUL: out[..., i, j] = sum_k lhs[..., i, k] * rhs[..., k, j], where
// adj_x / adj_y transpose the last two dims of lhs / rhs and the batch dims
// (ranks 2 to 5) broadcast numpy-style. As TFLite's kernel:
//   float32, summed in k order (the SIMD kernel, kernels_wasm/batch_matmul.cc,
//     keeps that order: same bytes);
//   int8: per-tensor lhs, rhs and output with any zero points, an int32
//     accumulator of (lhs - lhs_zp) * (rhs - rhs_zp), requantized by
//     MultiplyByQuantizedMultiplier(lhs_scale * rhs_scale / output_scale);
//     in Arithmetic::kXnnpack the same accumulator goes through XNNPACK's
//     float32 requantization instead (both kernels, BatchMatMulData);
//   int16x8: int16 lhs, rhs and output, all with zero point 0, an int64
//     accumulator and the int64 MultiplyByQuantizedMultiplier.
// Not implemented: hybrid (float lhs, int8 rhs), int16 x int8 and int8 ->
// int32 outputs. Both operands are read in place through strides (adj_x /
// adj_y only swap them), so no transposed copy is made, constant or not.
#include "core/kernels/batch_matmul.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

constexpr int kMaxBatchDims = kBatchMatMulMaxBatchDims;

// XNNPACK's requantization scale of an int8 BATCH_MATMUL (the delegate takes
// int8 with per-tensor parameters): FULLY_CONNECTED's one channel, or 0 where
// XNNPACK refuses the node.
QLITE_PREPARE_TIME float XnnpackBatchMatMulScale(const Tensor& lhs, const Tensor& rhs,
                                                 const Tensor& output) {
  const std::vector<float> scales =
      XnnpackChannelScales(DType::kInt8, lhs.scale(), {rhs.scale()}, output.scale(), 1);
  return scales.empty() ? 0.0f : scales[0];
}

QLITE_PREPARE_TIME Status PrepareQuantized(const Tensor& lhs, const Tensor& rhs,
                                           const Tensor& output, Arithmetic arithmetic,
                                           BatchMatMulData* d) {
  const bool int16 = lhs.type == DType::kInt16;
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(lhs, "lhs"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(rhs, "rhs"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  QLITE_ENSURE(
      lhs.quant().scale.size() == 1 && rhs.quant().scale.size() == 1 &&
          output.quant().scale.size() == 1 &&
          (!int16 || (lhs.zero_point() == 0 && rhs.zero_point() == 0 && output.zero_point() == 0)),
      "needs per-tensor quantization, with zero points 0 for int16");
  d->lhs_offset = -lhs.zero_point();
  d->rhs_offset = -rhs.zero_point();
  d->output_offset = output.zero_point();
  // The int64 requantization of int16 is defined for left shifts up to 7.
  QLITE_RETURN_IF_ERROR(
      QuantizeMultiplierChecked(LegacyConvMultiplier(lhs.scale(), rhs.scale(), output.scale()),
                                &d->multiplier, &d->shift, int16 ? 7 : 30));
  QuantizedTypeRange(lhs.type, &d->act_min, &d->act_max);
  d->xnnpack_scale = 0.0f;
  if (arithmetic == Arithmetic::kXnnpack && lhs.type == DType::kInt8) {
    d->xnnpack_scale = XnnpackBatchMatMulScale(lhs, rhs, output);
  }
  return Status::Ok();
}

}  // namespace

QLITE_PREPARE_TIME Status PrepareBatchMatMul(OpContext& ctx, BatchMatMulData* d) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* lhs = nullptr;
  const Tensor* rhs = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &lhs));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &rhs));
  const Tensor& output = *ctx.output(0);
  // Hybrid (float32 lhs, int8 rhs) and int16 x int8 are not implemented.
  QLITE_ENSURE(
      (lhs->type == DType::kFloat32 || lhs->type == DType::kInt8 || lhs->type == DType::kInt16) &&
          rhs->type == lhs->type && output.type == lhs->type,
      "lhs, rhs and output need one dtype: float32, int8 or int16");
  const int lhs_rank = lhs->rank(), rhs_rank = rhs->rank();
  QLITE_ENSURE(lhs_rank >= 2 && lhs_rank <= 5 && rhs_rank >= 2 && rhs_rank <= 5,
               "ranks must be 2 to 5, lhs has ", lhs_rank, ", rhs ", rhs_rank);
  const auto& o = ctx.options<BatchMatMulOptions>();
  const int32_t lhs_a = lhs->dim(lhs_rank - 2), lhs_b = lhs->dim(lhs_rank - 1);
  const int32_t rhs_a = rhs->dim(rhs_rank - 2), rhs_b = rhs->dim(rhs_rank - 1);
  d->rows = o.adj_x ? lhs_b : lhs_a;
  d->depth = o.adj_x ? lhs_a : lhs_b;
  d->cols = o.adj_y ? rhs_a : rhs_b;
  const int32_t rhs_depth = o.adj_y ? rhs_b : rhs_a;
  QLITE_ENSURE(d->depth == rhs_depth, "lhs depth ", d->depth, " differs from rhs depth ",
               rhs_depth);
  d->lhs_steps = {o.adj_x ? 1 : lhs_b, o.adj_x ? lhs_b : 1};
  d->rhs_steps = {o.adj_y ? 1 : rhs_b, o.adj_y ? rhs_b : 1};

  // Batch dims, aligned from the right.
  Shape out_shape(std::max(lhs_rank, rhs_rank), 1);
  const int out_batch_dims = static_cast<int>(out_shape.size()) - 2;
  int64_t lhs_matrices = 1, rhs_matrices = 1;
  for (int i = 1; i <= kMaxBatchDims; ++i) {
    const int32_t l = i <= lhs_rank - 2 ? lhs->dim(lhs_rank - 2 - i) : 1;
    const int32_t r = i <= rhs_rank - 2 ? rhs->dim(rhs_rank - 2 - i) : 1;
    QLITE_ENSURE(l == r || l == 1 || r == 1, "lhs batch dim ", l,
                 " does not broadcast with rhs batch dim ", r);
    const int at = kMaxBatchDims - i;
    d->dims[at] = l == 1 ? r : l;
    d->lhs_strides[at] = l == 1 ? 0 : lhs_matrices * lhs_a * lhs_b;
    d->rhs_strides[at] = r == 1 ? 0 : rhs_matrices * rhs_a * rhs_b;
    lhs_matrices *= l;
    rhs_matrices *= r;
    if (i <= out_batch_dims) out_shape[out_batch_dims - i] = d->dims[at];
  }
  out_shape[out_batch_dims] = d->rows;
  out_shape[out_batch_dims + 1] = d->cols;

  if (lhs->type != DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(PrepareQuantized(*lhs, *rhs, output, ctx.arithmetic(), d));
  }
  return ctx.SetOutputShape(0, std::move(out_shape));
}

namespace {

QLITE_PREPARE_TIME Status BatchMatMulPrepare(OpContext& ctx) {
  return PrepareBatchMatMul(ctx, ctx.NewOpData<BatchMatMulData>());
}

// sum over k of (lhs + lhs_offset) * (rhs + rhs_offset) for one lhs row and rhs column.
template <typename T, typename Acc>
Acc Dot(const BatchMatMulData& d, const void* lhs_row, const void* rhs_col) {
  const T* l = static_cast<const T*>(lhs_row);
  const T* r = static_cast<const T*>(rhs_col);
  Acc sum = 0;
  for (int32_t k = 0; k < d.depth; ++k) {
    sum += static_cast<Acc>(l[k * d.lhs_steps[1]] + d.lhs_offset) *
           static_cast<Acc>(r[k * d.rhs_steps[0]] + d.rhs_offset);
  }
  return sum;
}

// Output element `at` of each dtype from its lhs row and rhs column.
using ElementFn = void (*)(const BatchMatMulData& d, const void* lhs_row, const void* rhs_col,
                           void* out, int64_t at);

void FloatElement(const BatchMatMulData& d, const void* lhs_row, const void* rhs_col, void* out,
                  int64_t at) {
  static_cast<float*>(out)[at] = Dot<float, float>(d, lhs_row, rhs_col);
}

void Int8Element(const BatchMatMulData& d, const void* lhs_row, const void* rhs_col, void* out,
                 int64_t at) {
  static_cast<int8_t*>(out)[at] = d.RequantizeInt8(Dot<int8_t, int64_t>(d, lhs_row, rhs_col));
}

void Int16Element(const BatchMatMulData& d, const void* lhs_row, const void* rhs_col, void* out,
                  int64_t at) {
  static_cast<int16_t*>(out)[at] = d.RequantizeInt16(Dot<int16_t, int64_t>(d, lhs_row, rhs_col));
}

Status BatchMatMulEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<BatchMatMulData>();
  const Tensor& lhs = *ctx.input(0);
  const Tensor& rhs = *ctx.input(1);
  const ElementFn element = lhs.type == DType::kFloat32 ? FloatElement
                            : lhs.type == DType::kInt8  ? Int8Element
                                                        : Int16Element;
  const size_t size = DTypeSize(lhs.type);
  void* out = ctx.output(0)->data;
  int64_t at = 0;
  for (int64_t b = 0; b < d.batches(); ++b) {
    int64_t lhs_start = 0, rhs_start = 0;
    d.MatrixStarts(b, &lhs_start, &rhs_start);
    for (int32_t i = 0; i < d.rows; ++i) {
      const uint8_t* lhs_row = lhs.data + (lhs_start + i * d.lhs_steps[0]) * size;
      for (int32_t j = 0; j < d.cols; ++j) {
        element(d, lhs_row, rhs.data + (rhs_start + j * d.rhs_steps[1]) * size, out, at++);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* BatchMatMul() {
  static const KernelRegistration kRegistration = {"batch_matmul_reference", BatchMatMulPrepare,
                                                   BatchMatMulEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kBatchMatMulFields[] = {
    {"adj_x", 0, FieldType::kBool, offsetof(BatchMatMulOptions, adj_x)},
    {"adj_y", 1, FieldType::kBool, offsetof(BatchMatMulOptions, adj_y)},
    {"asymmetric_quantize_inputs", 2, FieldType::kBool,
     offsetof(BatchMatMulOptions, asymmetric_quantize_inputs)},
};
extern const OptionsIO kBatchMatMulOptionsIO;
const OptionsIO kBatchMatMulOptionsIO =
    OptionsIOFor<BatchMatMulOptions>(tfl::BuiltinOptions::BatchMatMulOptions, kBatchMatMulFields);

}  // namespace qlite
