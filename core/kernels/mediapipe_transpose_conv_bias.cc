// Convolution2DTransposeBias, MediaPipe's custom transpose convolution with a
// bias (segmentation models), float32 only as MediaPipe's kernel.
// Inputs: 0 input NHWC, 1 weights [out_channels, kh, kw, in_channels],
// 2 bias [out_channels]. Options: a raw TfLiteTransposeConvParams (padding,
// stride_width, stride_height; 12 bytes, later fields unused).
// Unlike TRANSPOSE_CONV there is no output_shape input: the output size is
// stride * (in - 1) + kernel - pad_total, where SAME pads
// pad_total = max(0, kernel - (in - 1) % stride - 1) and VALID pads nothing,
// pad_total / 2 of it before the first row/column. Each output starts at its
// bias and then sums the taps in TFLite's reference scatter order
// (transpose_conv.h), so float results are MediaPipe's to the bit.
#include <algorithm>
#include <cstdint>

#include "core/kernels/conv_common.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/raw_custom_options.h"
#include "core/kernels/transpose_conv.h"

namespace qlite {
namespace {

constexpr int kInputTensor = 0;
constexpr int kWeightsTensor = 1;
constexpr int kBiasTensor = 2;

struct TransposeConvBiasOpData : OpData, TransposeConvGeometry {};

// The float math of TransposeConvLoop: the bias is the accumulators' start.
struct BiasFirstFloatMath {
  using InputType = float;
  using FilterType = float;
  using OutputType = float;
  using Acc = float;
  static float Tap(float x, float w) { return x * w; }
  static float Output(float sum, int) { return sum; }
};

// One spatial dimension: the output size and the padding before it.
Status OutputSize(bool same, int in, int kernel, int stride, const char* dim, int* out, int* pad) {
  const int64_t total = same ? std::max(0, kernel - (in - 1) % stride - 1) : 0;
  const int64_t size = int64_t{stride} * (in - 1) + kernel - total;
  constexpr int64_t kMaxSize = 1 << 24;
  QLITE_ENSURE(size >= 1 && size <= kMaxSize, "Convolution2DTransposeBias output ", dim,
               " would be ", size);
  *out = static_cast<int>(size);
  *pad = static_cast<int>(total / 2);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor *input = nullptr, *weights = nullptr, *bias = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kInputTensor, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kWeightsTensor, &weights));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kBiasTensor, &bias));
  QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*weights, {DType::kFloat32}, "weights"));
  QLITE_RETURN_IF_ERROR(CheckType(*bias, {DType::kFloat32}, "bias"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {DType::kFloat32}, "output"));
  QLITE_RETURN_IF_ERROR(CheckRank(*input, 4, "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(*weights, 4, "weights"));
  QLITE_RETURN_IF_ERROR(CheckRank(*bias, 1, "bias"));
  QLITE_RETURN_IF_ERROR(CheckNonEmptyDims(*input, "input"));
  QLITE_RETURN_IF_ERROR(CheckNonEmptyDims(*weights, "weights"));
  QLITE_ENSURE(weights->dim(3) == input->dim(3), "weights tensor '", weights->name(), "' has ",
               weights->dim(3), " input channels but the input has ", input->dim(3));
  QLITE_ENSURE(bias->dim(0) == weights->dim(0), "bias tensor '", bias->name(), "' has ",
               bias->dim(0), " values for ", weights->dim(0), " output channels");

  int32_t fields[3];  // padding, stride_width, stride_height
  QLITE_RETURN_IF_ERROR(ReadRawOptionFields(ctx.op(), 3, fields));
  Padding padding = Padding::kSame;
  QLITE_RETURN_IF_ERROR(RawPadding(ctx.op(), fields[0], &padding));
  constexpr int kMaxStride = 1 << 16;
  QLITE_ENSURE(
      fields[1] >= 1 && fields[2] >= 1 && fields[1] <= kMaxStride && fields[2] <= kMaxStride,
      "Convolution2DTransposeBias strides must be >= 1, got ", fields[2], "x", fields[1]);

  auto* d = ctx.NewOpData<TransposeConvBiasOpData>();
  d->batches = input->dim(0);
  d->in_height = input->dim(1);
  d->in_width = input->dim(2);
  d->in_channels = input->dim(3);
  d->out_channels = weights->dim(0);
  d->filter_height = weights->dim(1);
  d->filter_width = weights->dim(2);
  d->stride_width = fields[1];
  d->stride_height = fields[2];
  const bool same = padding == Padding::kSame;
  QLITE_RETURN_IF_ERROR(OutputSize(same, d->in_height, d->filter_height, d->stride_height, "height",
                                   &d->out_height, &d->pad_height));
  QLITE_RETURN_IF_ERROR(OutputSize(same, d->in_width, d->filter_width, d->stride_width, "width",
                                   &d->out_width, &d->pad_width));
  return ctx.SetOutputShape(0, {d->batches, d->out_height, d->out_width, d->out_channels});
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<TransposeConvBiasOpData>();
  float* output = ctx.output(0)->data_as<float>();
  TransposeConvLoop(d, ctx.input(kInputTensor)->data_as<float>(),
                    ctx.input(kWeightsTensor)->data_as<float>(), output, output,
                    BiasFirstFloatMath{}, ctx.input(kBiasTensor)->data_as<float>());
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* TransposeConvBias() {
  static const KernelRegistration registration = {"mediapipe_transpose_conv_bias_reference",
                                                  Prepare, Eval};
  return &registration;
}
}  // namespace ref

}  // namespace qlite
