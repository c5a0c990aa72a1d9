// TRANSPOSE_CONV, reference kernel for float32, int8 (per-channel, int32
// bias) and int16x8 (int64 or int32 bias).
// Inputs: 0 output_shape (int32 [4]), 1 filter [out_channels, kh, kw,
// in_channels], 2 input NHWC, 3 optional bias [out_channels].
// Like TFLite's reference kernel it scatters: every input value adds
//   input[b, y, x, ic] * filter[oc, ky, kx, ic]
// to the accumulator of output (b, y * stride - pad + ky, x * stride - pad + kx,
// oc), skipping positions outside the output; then each accumulator gets the
// bias, the requantization (quantized) and the fused activation. The padding is
// the one of the forward conv this op inverts, computed from the output size.
//
// The output shape is fixed at prepare time: from output_shape when it is a
// constant, otherwise from the output tensor's declared shape, and then eval
// checks that output_shape holds exactly that shape (qlite does not resize
// tensors while running).
#include <cstdint>
#include <type_traits>

#include "core/format/options_io.h"
#include "core/kernels/conv_common.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/transpose_conv.h"

namespace qlite {
namespace {

constexpr int kOutputShapeTensor = 0;
constexpr int kFilterTensor = 1;
constexpr int kInputTensor = 2;
constexpr int kBiasTensor = 3;

struct TransposeConvOpData : OpData, TransposeConvGeometry {
  ConvArithmetic arith;
  Shape output_shape;
  bool check_output_shape = false;  // output_shape is a run-time input
  int accumulator_scratch = -1;
};

Status CheckOutputShapeTensor(const Tensor& t) {
  QLITE_RETURN_IF_ERROR(CheckType(t, {DType::kInt32}, "output_shape"));
  QLITE_ENSURE(t.rank() == 1 && t.dim(0) == 4, "output_shape tensor '", t.name(),
               "' must have shape [4], has ", ShapeToString(t.shape));
  QLITE_ENSURE(!t.is_constant() || t.bytes == 4 * sizeof(int32_t), "output_shape tensor '",
               t.name(), "' has ", t.bytes, " bytes of data, expected 16");
  return Status::Ok();
}

Shape ShapeFromTensor(const Tensor& t) {
  const int32_t* v = t.data_as<int32_t>();
  return Shape(v, v + 4);
}

// The planned output shape, with the checks TFLite's reference loop relies on.
Status PlanOutputShape(const Tensor& output_shape, const Tensor& output, int batches,
                       int out_channels, TransposeConvOpData* data) {
  if (output_shape.is_constant()) {
    data->output_shape = ShapeFromTensor(output_shape);
  } else {
    data->output_shape = output.def->shape;
    data->check_output_shape = true;
    QLITE_ENSURE(data->output_shape.size() == 4, "output_shape tensor '", output_shape.name(),
                 "' is not constant, so the output tensor '", output.name(),
                 "' must declare its [batch, height, width, channels] shape, but it has ",
                 ShapeToString(data->output_shape));
  }
  const Shape& s = data->output_shape;
  QLITE_ENSURE(s[1] >= 1 && s[2] >= 1 && s[1] <= (1 << 24) && s[2] <= (1 << 24), "output shape ",
               ShapeToString(s), " has an invalid height or width");
  QLITE_ENSURE(s[0] == batches, "output shape ", ShapeToString(s), " has batch ", s[0],
               " but the input has ", batches);
  QLITE_ENSURE(s[3] == out_channels, "output shape ", ShapeToString(s), " has ", s[3],
               " channels but the filter has ", out_channels, " output channels");
  return Status::Ok();
}

// TFLite's ComputePaddingHeightWidth with the transpose conv's output as the
// forward conv's input (dilation 1): padding before the first row/column.
int PaddingBefore(Padding padding, int stride, int out_size, int filter_size) {
  const int64_t conv_out = padding == Padding::kSame
                               ? (static_cast<int64_t>(out_size) + stride - 1) / stride
                               : (static_cast<int64_t>(out_size) + stride - filter_size) / stride;
  const int64_t total = (conv_out - 1) * stride + filter_size - out_size;
  return total > 0 ? static_cast<int>(total / 2) : 0;
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 4, 1));
  const Tensor* output_shape = nullptr;
  const Tensor* filter = nullptr;
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kOutputShapeTensor, &output_shape));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kFilterTensor, &filter));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kInputTensor, &input));
  const Tensor* bias = ctx.input(kBiasTensor);
  const Tensor& output = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckOutputShapeTensor(*output_shape));
  QLITE_RETURN_IF_ERROR(CheckRank(*input, 4, "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(*filter, 4, "filter"));
  QLITE_RETURN_IF_ERROR(CheckNonEmptyDims(*input, "input"));
  QLITE_RETURN_IF_ERROR(CheckNonEmptyDims(*filter, "filter"));
  QLITE_RETURN_IF_ERROR(CheckConstant(*filter, "filter"));

  const TransposeConvOptions& options = ctx.options<TransposeConvOptions>();
  auto* data = ctx.NewOpData<TransposeConvOpData>();
  data->batches = input->dim(0);
  data->in_height = input->dim(1);
  data->in_width = input->dim(2);
  data->in_channels = input->dim(3);
  data->out_channels = filter->dim(0);
  data->filter_height = filter->dim(1);
  data->filter_width = filter->dim(2);
  QLITE_ENSURE(filter->dim(3) == data->in_channels, "filter tensor '", filter->name(), "' has ",
               filter->dim(3), " input channels but the input has ", data->in_channels);
  QLITE_ENSURE(options.padding == Padding::kSame || options.padding == Padding::kValid,
               "unknown padding ", static_cast<int>(options.padding));
  constexpr int kMaxStride = 1 << 16;
  QLITE_ENSURE(options.stride_h >= 1 && options.stride_w >= 1 && options.stride_h <= kMaxStride &&
                   options.stride_w <= kMaxStride,
               "strides must be >= 1, got ", options.stride_h, "x", options.stride_w);
  data->stride_height = options.stride_h;
  data->stride_width = options.stride_w;

  QLITE_RETURN_IF_ERROR(
      PlanOutputShape(*output_shape, output, data->batches, data->out_channels, data));
  data->out_height = data->output_shape[1];
  data->out_width = data->output_shape[2];
  data->pad_height =
      PaddingBefore(options.padding, data->stride_height, data->out_height, data->filter_height);
  data->pad_width =
      PaddingBefore(options.padding, data->stride_width, data->out_width, data->filter_width);

  QLITE_RETURN_IF_ERROR(PrepareConvArithmetic(ConvOpKind::kTransposeConv, *input, *filter, bias,
                                              output, options.activation, data->out_channels,
                                              ctx.arithmetic(), &data->arith));
  QLITE_ENSURE(data->arith.kind != ConvKind::kUInt8 && data->arith.kind != ConvKind::kHybrid,
               "TRANSPOSE_CONV supports float32, int8 and int16x8; not input ",
               DTypeName(input->type), " with filter ", DTypeName(filter->type));
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, data->output_shape));

  // One accumulator per output element: float for float32, int64 otherwise
  // (int8 sums are wrapped to int32 at the end, as TFLite's int32 buffer does).
  const size_t acc_size = data->arith.kind == ConvKind::kFloat ? sizeof(float) : sizeof(int64_t);
  return ctx.RequestScratch(static_cast<size_t>(ShapeElementCount(data->output_shape)) * acc_size,
                            &data->accumulator_scratch);
}

Status Eval(OpContext& ctx) {
  const TransposeConvOpData& data = *ctx.op_data<TransposeConvOpData>();
  if (data.check_output_shape) {
    const Shape requested = ShapeFromTensor(*ctx.input(kOutputShapeTensor));
    QLITE_ENSURE(requested == data.output_shape, "output_shape input is ", ShapeToString(requested),
                 " but the output was planned as ", ShapeToString(data.output_shape),
                 " (the output tensor's declared shape; qlite cannot resize at run time)");
  }
  const Tensor& input = *ctx.input(kInputTensor);
  const Tensor& filter = *ctx.input(kFilterTensor);
  Tensor& output = *ctx.output(0);
  void* accumulators = ctx.scratch(data.accumulator_scratch);
  return DispatchConvMath(ctx, data.arith, input, ctx.input(kBiasTensor),
                          [&](const auto& math, const auto* in) {
                            using Math = std::decay_t<decltype(math)>;
                            TransposeConvLoop(data, in, filter.data_as<typename Math::FilterType>(),
                                              output.data_as<typename Math::OutputType>(),
                                              static_cast<typename Math::Acc*>(accumulators), math);
                          });
}

}  // namespace

namespace ref {
const KernelRegistration* TransposeConv() {
  static const KernelRegistration registration = {"transpose_conv_reference", Prepare, Eval};
  return &registration;
}
}  // namespace ref

constexpr OptionsField kTransposeConvFields[] = {
    {"padding", 0, FieldType::kPadding, offsetof(TransposeConvOptions, padding)},
    {"stride_w", 1, FieldType::kInt32, offsetof(TransposeConvOptions, stride_w)},
    {"stride_h", 2, FieldType::kInt32, offsetof(TransposeConvOptions, stride_h)},
    {"fused_activation_function", 3, FieldType::kActivation,
     offsetof(TransposeConvOptions, activation)},
};
extern const OptionsIO kTransposeConvOptionsIO;
const OptionsIO kTransposeConvOptionsIO = OptionsIOFor<TransposeConvOptions>(
    tfl::BuiltinOptions::TransposeConvOptions, kTransposeConvFields);

}  // namespace qlite
