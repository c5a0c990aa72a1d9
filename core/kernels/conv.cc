// CONV_2D, reference kernel for float32, int8 (per-channel), uint8, int16x8
// and hybrid (float activations, int8 weights; see conv_common.h).
//   output[b, y, x, oc] = act(bias[oc] + sum over (ky, kx, ic) of
//       input[b, y * stride - pad + ky * dilation, ..., group(oc) * filter_in + ic]
//     * filter[oc, ky, kx, ic])
// Input NHWC, filter [out_channels, kh, kw, filter_in]. When the input has
// groups * filter_in channels (grouped convolution), output channel oc reads
// input channel group oc / (out_channels / groups). Taps that fall into the
// padding are skipped: they are zero (float) or the input zero point (quantized),
// which contributes nothing once the offset is added.
#include <cstdint>
#include <type_traits>

#include "core/format/options_io.h"
#include "core/kernels/conv.h"
#include "core/kernels/conv_common.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

constexpr int kInputTensor = 0;
constexpr int kFilterTensor = 1;
constexpr int kBiasTensor = 2;

}  // namespace

QLITE_PREPARE_TIME Status PrepareConv2D(OpContext& ctx, ConvOpData* data) {
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

  const Conv2DOptions& options = ctx.options<Conv2DOptions>();
  data->batches = input->dim(0);
  data->in_height = input->dim(1);
  data->in_width = input->dim(2);
  data->in_channels = input->dim(3);
  data->out_channels = filter->dim(0);
  data->filter_height = filter->dim(1);
  data->filter_width = filter->dim(2);
  data->filter_in_channels = filter->dim(3);
  QLITE_ENSURE(data->in_channels % data->filter_in_channels == 0, "input tensor '", input->name(),
               "' has ", data->in_channels, " channels, which is not a multiple of the filter's ",
               data->filter_in_channels, " input channels");
  const int groups = data->in_channels / data->filter_in_channels;
  QLITE_ENSURE(data->out_channels % groups == 0, "grouped convolution: ", data->out_channels,
               " output channels cannot be split into ", groups, " groups");
  data->filters_per_group = data->out_channels / groups;

  QLITE_RETURN_IF_ERROR(PrepareConvWindow(options, data));

  QLITE_RETURN_IF_ERROR(PrepareConvArithmetic(ConvOpKind::kConv, *input, *filter, bias, output,
                                              options.activation, data->out_channels,
                                              ctx.arithmetic(), &data->arith));
  QLITE_RETURN_IF_ERROR(RequestConvScratch(ctx, *input, &data->arith));
  return ctx.SetOutputShape(0,
                            {data->batches, data->out_height, data->out_width, data->out_channels});
}

namespace {

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  return PrepareConv2D(ctx, ctx.NewOpData<ConvOpData>());
}

// Positions are computed in int64: with SAME padding a hostile dilation can
// put window taps far outside int range even though they are then skipped.
template <typename Math>
void ConvLoop(const ConvOpData& d, const typename Math::InputType* input,
              const typename Math::FilterType* filter, typename Math::OutputType* output,
              const Math& batches_math) {
  const int64_t filter_size_per_oc =
      static_cast<int64_t>(d.filter_height) * d.filter_width * d.filter_in_channels;
  for (int b = 0; b < d.batches; ++b) {
    const auto& math = batches_math.ForBatch(b);
    for (int out_y = 0; out_y < d.out_height; ++out_y) {
      const int64_t in_y_origin = static_cast<int64_t>(out_y) * d.stride_height - d.pad_height;
      for (int out_x = 0; out_x < d.out_width; ++out_x) {
        const int64_t in_x_origin = static_cast<int64_t>(out_x) * d.stride_width - d.pad_width;
        for (int oc = 0; oc < d.out_channels; ++oc) {
          const int first_in_channel = (oc / d.filters_per_group) * d.filter_in_channels;
          const typename Math::FilterType* filter_oc = filter + oc * filter_size_per_oc;
          typename Math::Acc sum = 0;
          for (int ky = 0; ky < d.filter_height; ++ky) {
            const int64_t in_y = in_y_origin + static_cast<int64_t>(ky) * d.dilation_height;
            if (in_y < 0 || in_y >= d.in_height) continue;
            for (int kx = 0; kx < d.filter_width; ++kx) {
              const int64_t in_x = in_x_origin + static_cast<int64_t>(kx) * d.dilation_width;
              if (in_x < 0 || in_x >= d.in_width) continue;
              const typename Math::InputType* in_pixel =
                  input +
                  ((b * static_cast<int64_t>(d.in_height) + in_y) * d.in_width + in_x) *
                      d.in_channels +
                  first_in_channel;
              const typename Math::FilterType* weights =
                  filter_oc +
                  (static_cast<int64_t>(ky) * d.filter_width + kx) * d.filter_in_channels;
              for (int ic = 0; ic < d.filter_in_channels; ++ic) {
                sum += math.Tap(in_pixel[ic], weights[ic]);
              }
            }
          }
          *output++ = math.Output(sum, oc);
        }
      }
    }
  }
}

Status Eval(OpContext& ctx) {
  const ConvOpData& data = *ctx.op_data<ConvOpData>();
  const Tensor& input = *ctx.input(kInputTensor);
  const Tensor& filter = *ctx.input(kFilterTensor);
  Tensor& output = *ctx.output(0);
  return DispatchConvMath(ctx, data.arith, input, ctx.input(kBiasTensor),
                          [&](const auto& math, const auto* in) {
                            using Math = std::decay_t<decltype(math)>;
                            ConvLoop(data, in, filter.data_as<typename Math::FilterType>(),
                                     output.data_as<typename Math::OutputType>(), math);
                          });
}

}  // namespace

namespace ref {
const KernelRegistration* Conv2D() {
  static const KernelRegistration registration = {"conv2d_reference", Prepare, Eval};
  return &registration;
}
}  // namespace ref

constexpr OptionsField kConv2DFields[] = {
    {"padding", 0, FieldType::kPadding, offsetof(Conv2DOptions, padding)},
    {"stride_w", 1, FieldType::kInt32, offsetof(Conv2DOptions, stride_w)},
    {"stride_h", 2, FieldType::kInt32, offsetof(Conv2DOptions, stride_h)},
    {"fused_activation_function", 3, FieldType::kActivation, offsetof(Conv2DOptions, activation)},
    {"dilation_w_factor", 4, FieldType::kInt32, offsetof(Conv2DOptions, dilation_w), 1},
    {"dilation_h_factor", 5, FieldType::kInt32, offsetof(Conv2DOptions, dilation_h), 1},
    {"quantized_bias_type", 6, FieldType::kUInt8, offsetof(Conv2DOptions, quantized_bias_type)},
};
extern const OptionsIO kConv2DOptionsIO;
const OptionsIO kConv2DOptionsIO =
    OptionsIOFor<Conv2DOptions>(tfl::BuiltinOptions::Conv2DOptions, kConv2DFields);

}  // namespace qlite
