// L2_POOL_2D over NHWC float32 (TFLite has no quantized kernel): the square
// root of the mean of squares over each window, clipped to the input like the
// other pooling ops (pooling.h), then the fused activation.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/kernels/kernel_util.h"
#include "core/kernels/pooling.h"

namespace qlite {
namespace {

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32}, "input"));
  return PreparePool(ctx, ctx.NewOpData<PoolData>());
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<PoolData>();
  ForEachPoolPixel(d, ctx.input(0)->data_as<float>(), ctx.output(0)->data_as<float>(),
                   [&d](const PoolWindow<float>& w, float* out) {
                     const float count = static_cast<float>(w.rows * w.cols);
                     for (int32_t c = 0; c < d.channels; ++c) {
                       float sum = 0.0f;
                       for (int32_t y = 0; y < w.rows; ++y) {
                         for (int32_t x = 0; x < w.cols; ++x) {
                           const float v = w.corner[y * w.row_stride + x * w.col_stride + c];
                           sum += v * v;
                         }
                       }
                       // std::max / std::min keep a NaN, as TFLite's clamp does.
                       out[c] = std::min(std::max(std::sqrt(sum / count), d.act_min_float),
                                         d.act_max_float);
                     }
                   });
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* L2Pool2D() {
  static const KernelRegistration kRegistration = {"l2_pool_2d_reference", Prepare, Eval};
  return &kRegistration;
}
}  // namespace ref

}  // namespace qlite
