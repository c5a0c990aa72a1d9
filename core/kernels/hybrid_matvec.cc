#include "core/kernels/hybrid_matvec.h"

#include <algorithm>
#include <cmath>

#include "core/kernels/conv_common.h"
#include "core/kernels/kernel_util.h"

namespace qlite {

QLITE_PREPARE_TIME Status RequestHybridScratch(OpContext& ctx, int64_t rows, int64_t cols,
                                               HybridScratchIds* ids) {
  const size_t n_rows = static_cast<size_t>(std::max<int64_t>(rows, 1));
  QLITE_RETURN_IF_ERROR(ctx.RequestScratch(n_rows * static_cast<size_t>(std::max<int64_t>(cols, 1)),
                                           &ids->quantized));
  QLITE_RETURN_IF_ERROR(ctx.RequestScratch(n_rows * sizeof(float), &ids->scales));
  return ctx.RequestScratch(n_rows * sizeof(int32_t), &ids->zero_points);
}

HybridScratch HybridScratchFor(const OpContext& ctx, const HybridScratchIds& ids) {
  return {static_cast<int8_t*>(ctx.scratch(ids.quantized)),
          static_cast<float*>(ctx.scratch(ids.scales)),
          static_cast<int32_t*>(ctx.scratch(ids.zero_points))};
}

QLITE_PREPARE_TIME Status CheckHybridWeights(const Tensor& weights, const char* role) {
  QLITE_RETURN_IF_ERROR(CheckType(weights, {DType::kInt8}, role));
  QLITE_ENSURE(weights.has_quant() && weights.quant().scale.size() == 1, role, " '", weights.name(),
               "' needs one (per-tensor) scale");
  QLITE_ENSURE(std::isfinite(weights.scale()) && weights.scale() > 0.0f, role, " '", weights.name(),
               "' has invalid scale ", weights.scale());
  QLITE_ENSURE(weights.zero_point() == 0, role, " '", weights.name(), "' has zero point ",
               weights.zero_point(), " (hybrid weights are symmetric: must be 0)");
  return Status::Ok();
}

bool QuantizeHybridRows(const float* x, int rows, int cols, bool asymmetric,
                        const HybridScratch& scratch) {
  const int64_t total = static_cast<int64_t>(rows) * cols;
  if (std::all_of(x, x + total, [](float v) { return v == 0.0f; })) return false;
  for (int r = 0; r < rows; ++r) {
    const int64_t start = static_cast<int64_t>(r) * cols;
    if (asymmetric) {
      AsymmetricQuantizeFloats(x + start, cols, scratch.quantized + start, &scratch.scales[r],
                               &scratch.zero_points[r]);
    } else {
      SymmetricQuantizeFloats(x + start, cols, scratch.quantized + start, &scratch.scales[r]);
      scratch.zero_points[r] = 0;
    }
  }
  return true;
}

void AccumulateHybridRows(const int8_t* weights, float weight_scale, int units, int cols, int rows,
                          const HybridScratch& scratch, float* out, int64_t out_stride) {
  for (int r = 0; r < rows; ++r) {
    const int8_t* q = scratch.quantized + static_cast<int64_t>(r) * cols;
    const float scale = scratch.scales[r] * weight_scale;
    const int32_t zero_point = scratch.zero_points[r];
    float* out_row = out + r * out_stride;
    for (int u = 0; u < units; ++u) {
      const int8_t* w = weights + static_cast<int64_t>(u) * cols;
      // TFLite sums in (wrapping) int32 and subtracts zero point * row sum.
      int64_t dot = 0, row_sum = 0;
      for (int c = 0; c < cols; ++c) {
        dot += int32_t{w[c]} * int32_t{q[c]};
        row_sum += w[c];
      }
      const int32_t sum = WrapToInt32(dot - WrapToInt32(row_sum * zero_point));
      out_row[u] += static_cast<float>(sum) * scale;
    }
  }
}

void HybridMatVecAccumulate(const int8_t* weights, float weight_scale, int units, int cols,
                            const float* x, int rows, bool asymmetric, const HybridScratch& scratch,
                            float* out, int64_t out_stride) {
  if (QuantizeHybridRows(x, rows, cols, asymmetric, scratch)) {
    AccumulateHybridRows(weights, weight_scale, units, cols, rows, scratch, out, out_stride);
  }
}

}  // namespace qlite
