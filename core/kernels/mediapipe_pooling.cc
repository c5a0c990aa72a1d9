// Max pooling that remembers where each maximum came from, and the unpooling
// that puts values back there (SegNet-style segmentation models), float32
// only, as the kernels that define them. Options: a raw TfLitePoolParams
// (padding, stride_width, stride_height, filter_width, filter_height,
// activation; 24 bytes read, the rest unused).
//
// MaxPoolingWithArgmax2D (MediaPipe): outputs 0 the max of each window (as
// TFLite's MAX_POOL_2D: NaN and -inf never win, so a window without a finite
// value gives the lowest float; then the fused activation) and 1 where it is
// as a float32 index inside the window, filter_width * y + x + 0.1 (the 0.1
// makes the float-to-int truncation of the reader exact). Ties keep the first
// position in row-major order.
//
// MaxUnpooling2D (MediaPipe): float32 indices as above; the output is the
// input size times the filter size, padded as a pool from it to the input
// with the options' strides; index i of input window (y, x) writes
// output (y * stride - pad + i / filter_width, x * stride - pad +
// i % filter_width). Zeros elsewhere; a later write to the same place wins.
//
// LiteRtMaxUnpooling2D (LiteRT, TFLite's perception op): int32 indices that
// are flat offsets (y * width + x) * channels + c into the output's batch;
// the output is input * stride (SAME) or (input - 1) * stride + filter
// (VALID).
//
// Both unpoolings skip indices that point outside the output, where the
// original kernels would write out of bounds.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/kernels/conv_common.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/raw_custom_options.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

constexpr int kMaxWindow = 1 << 16;
constexpr int64_t kMaxOutputSize = 1 << 24;

struct PoolParams {
  int32_t padding, stride_width, stride_height, filter_width, filter_height, activation;
};

QLITE_PREPARE_TIME Status ReadPoolParams(const OperatorDef& op, PoolParams* p) {
  int32_t f[6];
  QLITE_RETURN_IF_ERROR(ReadRawOptionFields(op, 6, f));
  *p = {f[0], f[1], f[2], f[3], f[4], f[5]};
  QLITE_ENSURE(p->stride_width >= 1 && p->stride_height >= 1 && p->stride_width <= kMaxWindow &&
                   p->stride_height <= kMaxWindow,
               op.custom_code, " strides must be >= 1, got ", p->stride_height, "x",
               p->stride_width);
  QLITE_ENSURE(p->filter_width >= 1 && p->filter_height >= 1 && p->filter_width <= kMaxWindow &&
                   p->filter_height <= kMaxWindow,
               op.custom_code, " filter size must be >= 1, got ", p->filter_height, "x",
               p->filter_width);
  return Status::Ok();
}

struct PoolOpData : OpData {
  int batches = 0, in_height = 0, in_width = 0, channels = 0;
  int out_height = 0, out_width = 0;
  int stride_height = 0, stride_width = 0, filter_height = 0, filter_width = 0;
  int pad_height = 0, pad_width = 0;
  float act_min = 0, act_max = 0;
};

// Input 0 (and the output and indices) float32 of rank 4; fills the sizes.
QLITE_PREPARE_TIME Status PrepareCommon(OpContext& ctx, int inputs, int outputs,
                                        const PoolParams& p, PoolOpData* d) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, inputs, inputs, outputs));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32}, "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(*input, 4, "input"));
  QLITE_RETURN_IF_ERROR(CheckNonEmptyDims(*input, "input"));
  for (int i = 0; i < outputs; ++i) {
    QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(i), {DType::kFloat32}, "output"));
  }
  d->batches = input->dim(0);
  d->in_height = input->dim(1);
  d->in_width = input->dim(2);
  d->channels = input->dim(3);
  d->stride_height = p.stride_height;
  d->stride_width = p.stride_width;
  d->filter_height = p.filter_height;
  d->filter_width = p.filter_width;
  return Status::Ok();
}

QLITE_PREPARE_TIME Status PrepareArgmax(OpContext& ctx) {
  PoolParams p;
  QLITE_RETURN_IF_ERROR(ReadPoolParams(ctx.op(), &p));
  auto* d = ctx.NewOpData<PoolOpData>();
  QLITE_RETURN_IF_ERROR(PrepareCommon(ctx, 1, 2, p, d));
  Padding padding = Padding::kSame;
  QLITE_RETURN_IF_ERROR(RawPadding(ctx.op(), p.padding, &padding));
  // TfLiteFusedActivation: TFLite's float range clamps for none/relu/relu1/
  // relu6 and not for tanh (4), sign_bit (5) or sigmoid (6).
  QLITE_ENSURE(p.activation >= 0 && p.activation <= 6, "MaxPoolingWithArgmax2D has activation ",
               p.activation, " in its options");
  d->act_min = std::numeric_limits<float>::lowest();
  d->act_max = std::numeric_limits<float>::max();
  if (p.activation <= 3) {
    QLITE_RETURN_IF_ERROR(
        ActivationRangeFloat(static_cast<Activation>(p.activation), &d->act_min, &d->act_max));
  }
  WindowGeometry g;
  QLITE_RETURN_IF_ERROR(ComputeWindowGeometry(padding, d->in_height, d->in_width, p.filter_height,
                                              p.filter_width, p.stride_height, p.stride_width, 1, 1,
                                              &g));
  d->out_height = g.out_height;
  d->out_width = g.out_width;
  d->pad_height = g.pad_height;
  d->pad_width = g.pad_width;
  const Shape shape = {d->batches, d->out_height, d->out_width, d->channels};
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, shape));
  return ctx.SetOutputShape(1, shape);
}

Status EvalArgmax(OpContext& ctx) {
  const PoolOpData& d = *ctx.op_data<PoolOpData>();
  const float* input = ctx.input(0)->data_as<float>();
  float* values = ctx.output(0)->data_as<float>();
  float* indices = ctx.output(1)->data_as<float>();
  const int64_t c = d.channels;
  for (int b = 0; b < d.batches; ++b) {
    for (int out_y = 0; out_y < d.out_height; ++out_y) {
      const int in_y_origin = out_y * d.stride_height - d.pad_height;
      const int y_start = std::max(0, -in_y_origin);
      const int y_end = std::min(d.filter_height, d.in_height - in_y_origin);
      for (int out_x = 0; out_x < d.out_width; ++out_x) {
        const int in_x_origin = out_x * d.stride_width - d.pad_width;
        const int x_start = std::max(0, -in_x_origin);
        const int x_end = std::min(d.filter_width, d.in_width - in_x_origin);
        const int64_t out_offset = ((int64_t{b} * d.out_height + out_y) * d.out_width + out_x) * c;
        for (int ch = 0; ch < d.channels; ++ch) {
          float max = std::numeric_limits<float>::lowest();
          int max_x = 0, max_y = 0;
          for (int fy = y_start; fy < y_end; ++fy) {
            for (int fx = x_start; fx < x_end; ++fx) {
              const float v = input[((int64_t{b} * d.in_height + in_y_origin + fy) * d.in_width +
                                     in_x_origin + fx) *
                                        c +
                                    ch];
              if (v > max) max = v, max_x = fx, max_y = fy;
            }
          }
          values[out_offset + ch] = std::min(std::max(max, d.act_min), d.act_max);
          indices[out_offset + ch] = static_cast<float>(max_y * d.filter_width + max_x) + 0.1f;
        }
      }
    }
  }
  return Status::Ok();
}

// Input 1 (the indices) must have `type` and the input's shape.
QLITE_PREPARE_TIME Status CheckIndices(const OpContext& ctx, DType type) {
  const Tensor* indices = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &indices));
  QLITE_RETURN_IF_ERROR(CheckType(*indices, {type}, "indices"));
  QLITE_ENSURE(indices->shape == ctx.input(0)->shape, "indices tensor '", indices->name(), "' is ",
               ShapeToString(indices->shape), " but the input is ",
               ShapeToString(ctx.input(0)->shape));
  return Status::Ok();
}

QLITE_PREPARE_TIME Status SetUnpoolOutput(OpContext& ctx, int64_t height, int64_t width,
                                          PoolOpData* d) {
  QLITE_ENSURE(height <= kMaxOutputSize && width <= kMaxOutputSize, ctx.op().custom_code,
               " output would be ", height, "x", width);
  d->out_height = static_cast<int>(height);
  d->out_width = static_cast<int>(width);
  return ctx.SetOutputShape(0, {d->batches, d->out_height, d->out_width, d->channels});
}

// TFLite's ComputePadding for a pool from `size` to `pooled` values.
int PoolPadding(int64_t size, int64_t pooled, int stride, int filter) {
  const int64_t padding = ((pooled - 1) * stride + filter - size) / 2;
  return padding > 0 ? static_cast<int>(padding) : 0;
}

// The options and inputs of both unpoolings.
QLITE_PREPARE_TIME Status PrepareUnpoolInputs(OpContext& ctx, DType index_type, PoolParams* p,
                                              PoolOpData** d) {
  QLITE_RETURN_IF_ERROR(ReadPoolParams(ctx.op(), p));
  *d = ctx.NewOpData<PoolOpData>();
  QLITE_RETURN_IF_ERROR(PrepareCommon(ctx, 2, 1, *p, *d));
  return CheckIndices(ctx, index_type);
}

QLITE_PREPARE_TIME Status PrepareUnpool(OpContext& ctx) {
  PoolParams p;
  PoolOpData* d = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareUnpoolInputs(ctx, DType::kFloat32, &p, &d));
  const int64_t height = int64_t{d->in_height} * p.filter_height;
  const int64_t width = int64_t{d->in_width} * p.filter_width;
  d->pad_height = PoolPadding(height, d->in_height, p.stride_height, p.filter_height);
  d->pad_width = PoolPadding(width, d->in_width, p.stride_width, p.filter_width);
  return SetUnpoolOutput(ctx, height, width, d);
}

Status EvalUnpool(OpContext& ctx) {
  const PoolOpData& d = *ctx.op_data<PoolOpData>();
  const float* input = ctx.input(0)->data_as<float>();
  const float* indices = ctx.input(1)->data_as<float>();
  Tensor& out = *ctx.output(0);
  std::memset(out.data, 0, out.bytes);
  float* output = out.data_as<float>();
  const int64_t c = d.channels;
  int64_t at = 0;
  for (int b = 0; b < d.batches; ++b) {
    for (int in_y = 0; in_y < d.in_height; ++in_y) {
      for (int in_x = 0; in_x < d.in_width; ++in_x) {
        for (int ch = 0; ch < d.channels; ++ch, ++at) {
          // The reader truncates the float to int; NaN and values outside
          // int32 are skipped (undefined there).
          const float v = indices[at];
          if (!(v > -2147483648.0f && v < 2147483648.0f)) continue;
          const int index = static_cast<int>(v);
          const int64_t y = int64_t{in_y} * d.stride_height - d.pad_height + index / d.filter_width;
          const int64_t x = int64_t{in_x} * d.stride_width - d.pad_width + index % d.filter_width;
          if (y < 0 || y >= d.out_height || x < 0 || x >= d.out_width) continue;
          output[((int64_t{b} * d.out_height + y) * d.out_width + x) * c + ch] = input[at];
        }
      }
    }
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status PrepareFlatUnpool(OpContext& ctx) {
  PoolParams p;
  PoolOpData* d = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareUnpoolInputs(ctx, DType::kInt32, &p, &d));
  Padding padding = Padding::kSame;
  QLITE_RETURN_IF_ERROR(RawPadding(ctx.op(), p.padding, &padding));
  const bool same = padding == Padding::kSame;
  const int64_t height = same ? int64_t{d->in_height} * p.stride_height
                              : int64_t{d->in_height - 1} * p.stride_height + p.filter_height;
  const int64_t width = same ? int64_t{d->in_width} * p.stride_width
                             : int64_t{d->in_width - 1} * p.stride_width + p.filter_width;
  return SetUnpoolOutput(ctx, height, width, d);
}

Status EvalFlatUnpool(OpContext& ctx) {
  const PoolOpData& d = *ctx.op_data<PoolOpData>();
  const float* input = ctx.input(0)->data_as<float>();
  const int32_t* indices = ctx.input(1)->data_as<int32_t>();
  Tensor& out = *ctx.output(0);
  std::memset(out.data, 0, out.bytes);
  float* output = out.data_as<float>();
  const int64_t batch_size = int64_t{d.out_height} * d.out_width * d.channels;
  const int64_t per_batch = int64_t{d.in_height} * d.in_width * d.channels;
  for (int b = 0; b < d.batches; ++b) {
    for (int64_t i = b * per_batch; i < (b + 1) * per_batch; ++i) {
      if (indices[i] >= 0 && indices[i] < batch_size)
        output[b * batch_size + indices[i]] = input[i];
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* MaxPoolingWithArgmax() {
  static const KernelRegistration r = {"mediapipe_max_pool_argmax_reference", PrepareArgmax,
                                       EvalArgmax};
  return &r;
}
const KernelRegistration* MaxUnpooling() {
  static const KernelRegistration r = {"mediapipe_max_unpooling_reference", PrepareUnpool,
                                       EvalUnpool};
  return &r;
}
const KernelRegistration* MaxUnpoolingFlatIndices() {
  static const KernelRegistration r = {"max_unpooling_flat_indices_reference", PrepareFlatUnpool,
                                       EvalFlatUnpool};
  return &r;
}
}  // namespace ref

}  // namespace qlite
