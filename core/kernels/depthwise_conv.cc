// DEPTHWISE_CONV_2D, reference kernel for float32, int8 (per-channel), uint8,
// int16x8 and hybrid (float activations, int8 weights; see conv_common.h).
//   output[b, y, x, ic * m + j] = act(bias[ic * m + j] + sum over (ky, kx) of
//       input[b, y * stride - pad + ky * dilation, ..., ic] * filter[0, ky, kx, ic * m + j])
// with m = depth_multiplier. Input NHWC, filter [1, kh, kw, in_channels * m].
// Taps in the padding are skipped (zero / the input zero point, see conv.cc).
#include <cstdint>
#include <type_traits>

#include "core/format/options_io.h"
#include "core/kernels/conv_common.h"
#include "core/kernels/depthwise_conv.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

constexpr int kInputTensor = 0;
constexpr int kFilterTensor = 1;
constexpr int kBiasTensor = 2;

}  // namespace

QLITE_PREPARE_TIME Status PrepareDepthwiseConv(OpContext& ctx, DepthwiseConvOpData* data) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = nullptr;
  const Tensor* filter = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kInputTensor, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, kFilterTensor, &filter));
  const Tensor* bias = ctx.input(kBiasTensor);
  const Tensor& output = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckRank(*input, 4, "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(*filter, 4, "filter"));
  QLITE_RETURN_IF_ERROR(CheckNonEmptyDims(*input, "input"));
  QLITE_RETURN_IF_ERROR(CheckNonEmptyDims(*filter, "filter"));
  QLITE_RETURN_IF_ERROR(CheckConstant(*filter, "filter"));
  QLITE_ENSURE(filter->dim(0) == 1, "filter tensor '", filter->name(), "' has shape ",
               ShapeToString(filter->shape), ", expected [1, height, width, channels]");

  const DepthwiseConv2DOptions& options = ctx.options<DepthwiseConv2DOptions>();
  data->batches = input->dim(0);
  data->in_height = input->dim(1);
  data->in_width = input->dim(2);
  data->in_channels = input->dim(3);
  data->filter_height = filter->dim(1);
  data->filter_width = filter->dim(2);
  data->out_channels = filter->dim(3);
  // The depth_multiplier option is redundant with the shapes, and newer
  // converters leave it 0: derive it, and only check the option when set.
  QLITE_ENSURE(data->out_channels % data->in_channels == 0, "filter tensor '", filter->name(),
               "' has ", data->out_channels, " channels, not a multiple of the input's ",
               data->in_channels);
  data->depth_multiplier = data->out_channels / data->in_channels;
  QLITE_ENSURE(options.depth_multiplier == 0 || options.depth_multiplier == data->depth_multiplier,
               "depth_multiplier option is ", options.depth_multiplier, " but the filter has ",
               data->out_channels, " channels for ", data->in_channels, " input channels");

  QLITE_RETURN_IF_ERROR(PrepareConvWindow(options, data));

  QLITE_RETURN_IF_ERROR(PrepareConvArithmetic(ConvOpKind::kDepthwise, *input, *filter, bias, output,
                                              options.activation, data->out_channels,
                                              ctx.arithmetic(), &data->arith));
  QLITE_RETURN_IF_ERROR(RequestConvScratch(ctx, *input, &data->arith));
  return ctx.SetOutputShape(0,
                            {data->batches, data->out_height, data->out_width, data->out_channels});
}

namespace {

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  return PrepareDepthwiseConv(ctx, ctx.NewOpData<DepthwiseConvOpData>());
}

// int64 positions for the same reason as in conv.cc.
template <typename Math>
void DepthwiseConvLoop(const DepthwiseConvOpData& d, const typename Math::InputType* input,
                       const typename Math::FilterType* filter, typename Math::OutputType* output,
                       const Math& batches_math) {
  for (int b = 0; b < d.batches; ++b) {
    const auto& math = batches_math.ForBatch(b);
    for (int out_y = 0; out_y < d.out_height; ++out_y) {
      const int64_t in_y_origin = static_cast<int64_t>(out_y) * d.stride_height - d.pad_height;
      for (int out_x = 0; out_x < d.out_width; ++out_x) {
        const int64_t in_x_origin = static_cast<int64_t>(out_x) * d.stride_width - d.pad_width;
        for (int ic = 0; ic < d.in_channels; ++ic) {
          for (int j = 0; j < d.depth_multiplier; ++j) {
            const int oc = ic * d.depth_multiplier + j;
            typename Math::Acc sum = 0;
            for (int ky = 0; ky < d.filter_height; ++ky) {
              const int64_t in_y = in_y_origin + static_cast<int64_t>(ky) * d.dilation_height;
              if (in_y < 0 || in_y >= d.in_height) continue;
              for (int kx = 0; kx < d.filter_width; ++kx) {
                const int64_t in_x = in_x_origin + static_cast<int64_t>(kx) * d.dilation_width;
                if (in_x < 0 || in_x >= d.in_width) continue;
                const auto x =
                    input[((b * static_cast<int64_t>(d.in_height) + in_y) * d.in_width + in_x) *
                              d.in_channels +
                          ic];
                const auto w =
                    filter[(static_cast<int64_t>(ky) * d.filter_width + kx) * d.out_channels + oc];
                sum += math.Tap(x, w);
              }
            }
            *output++ = math.Output(sum, oc);
          }
        }
      }
    }
  }
}

Status Eval(OpContext& ctx) {
  const DepthwiseConvOpData& data = *ctx.op_data<DepthwiseConvOpData>();
  const Tensor& input = *ctx.input(kInputTensor);
  const Tensor& filter = *ctx.input(kFilterTensor);
  Tensor& output = *ctx.output(0);
  return DispatchConvMath(ctx, data.arith, input, ctx.input(kBiasTensor),
                          [&](const auto& math, const auto* in) {
                            using Math = std::decay_t<decltype(math)>;
                            DepthwiseConvLoop(data, in, filter.data_as<typename Math::FilterType>(),
                                              output.data_as<typename Math::OutputType>(), math);
                          });
}

}  // namespace

namespace ref {
const KernelRegistration* DepthwiseConv2D() {
  static const KernelRegistration registration = {"depthwise_conv2d_reference", Prepare, Eval};
  return &registration;
}
}  // namespace ref

constexpr OptionsField kDepthwiseConv2DFields[] = {
    {"padding", 0, FieldType::kPadding, offsetof(DepthwiseConv2DOptions, padding)},
    {"stride_w", 1, FieldType::kInt32, offsetof(DepthwiseConv2DOptions, stride_w)},
    {"stride_h", 2, FieldType::kInt32, offsetof(DepthwiseConv2DOptions, stride_h)},
    {"depth_multiplier", 3, FieldType::kInt32, offsetof(DepthwiseConv2DOptions, depth_multiplier)},
    {"fused_activation_function", 4, FieldType::kActivation,
     offsetof(DepthwiseConv2DOptions, activation)},
    {"dilation_w_factor", 5, FieldType::kInt32, offsetof(DepthwiseConv2DOptions, dilation_w), 1},
    {"dilation_h_factor", 6, FieldType::kInt32, offsetof(DepthwiseConv2DOptions, dilation_h), 1},
};
extern const OptionsIO kDepthwiseConv2DOptionsIO;
const OptionsIO kDepthwiseConv2DOptionsIO = OptionsIOFor<DepthwiseConv2DOptions>(
    tfl::BuiltinOptions::DepthwiseConv2DOptions, kDepthwiseConv2DFields);

}  // namespace qlite
