// MAX_POOL_2D and AVERAGE_POOL_2D over NHWC tensors (float32, int8, uint8 and
// int16 with zero point 0), following TFLite's reference kernels: windows are
// clipped to the input, so padding never contributes a value and averages
// divide by the in-bounds count.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/pooling.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

// The clipped window of each output position along one axis. Every window
// must hold at least one input element (no average divides by zero, no max
// of nothing); TFLite's geometry guarantees it, a hostile model is rejected.
Status ComputeTapRanges(int out_size, int stride, int pad, int filter, int in_size,
                        const char* axis, std::vector<TapRange>* ranges) {
  ranges->resize(out_size);
  for (int o = 0; o < out_size; ++o) {
    const int64_t origin = static_cast<int64_t>(o) * stride - pad;
    const int64_t begin = std::max<int64_t>(origin, 0);
    const int64_t end = std::min<int64_t>(origin + filter, in_size);
    QLITE_ENSURE(begin < end, "pooling window ", o, " along ", axis,
                 " lies entirely in the padding");
    (*ranges)[o] = {static_cast<int32_t>(begin), static_cast<int32_t>(end)};
  }
  return Status::Ok();
}

}  // namespace

QLITE_PREPARE_TIME Status PreparePool(OpContext& ctx, PoolData* data) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  Tensor* output = ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckRank(*input, 4, "input"));
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*output, {input->type}, "output"));
  QLITE_ENSURE(input->num_elements() >= 0, "input tensor '", input->name(), "' has invalid shape ",
               ShapeToString(input->shape));

  const auto& options = ctx.options<Pool2DOptions>();
  data->batches = input->dim(0);
  data->in_height = input->dim(1);
  data->in_width = input->dim(2);
  data->channels = input->dim(3);
  WindowGeometry g;
  QLITE_RETURN_IF_ERROR(ComputeWindowGeometry(
      options.padding, data->in_height, data->in_width, options.filter_h, options.filter_w,
      options.stride_h, options.stride_w, /*dilation_height=*/1, /*dilation_width=*/1, &g));
  QLITE_RETURN_IF_ERROR(ComputeTapRanges(g.out_height, options.stride_h, g.pad_height,
                                         options.filter_h, data->in_height, "height", &data->rows));
  QLITE_RETURN_IF_ERROR(ComputeTapRanges(g.out_width, options.stride_w, g.pad_width,
                                         options.filter_w, data->in_width, "width", &data->cols));

  if (input->type == DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(
        ActivationRangeFloat(options.activation, &data->act_min_float, &data->act_max_float));
  } else {
    // The integer kernels copy or average raw values, which is only right
    // when input and output share quantization (TFLite checks the same).
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*output, "output"));
    QLITE_ENSURE(std::fabs(input->scale() - output->scale()) <= 1e-6f &&
                     input->zero_point() == output->zero_point(),
                 "quantized pooling needs the same scale and zero point on input and output; "
                 "input has (",
                 input->scale(), ", ", input->zero_point(), "), output has (", output->scale(),
                 ", ", output->zero_point(), ")");
    QLITE_ENSURE(input->type != DType::kInt16 || input->zero_point() == 0,
                 "int16 pooling needs zero point 0, input tensor '", input->name(), "' has ",
                 input->zero_point());
    QLITE_RETURN_IF_ERROR(
        ActivationRangeQuantized(options.activation, *output, &data->act_min, &data->act_max));
  }
  return ctx.SetOutputShape(0, {data->batches, g.out_height, g.out_width, data->channels});
}

QLITE_PREPARE_TIME Status PrepareMaxPool(OpContext& ctx) {
  auto* data = ctx.NewOpData<PoolData>();
  QLITE_RETURN_IF_ERROR(PreparePool(ctx, data));
  const Tensor& output = *ctx.output(0);
  if (ctx.arithmetic() == Arithmetic::kXnnpack &&
      (output.type == DType::kInt8 || output.type == DType::kUInt8)) {
    return XnnpackActivationRange(ctx.options<Pool2DOptions>().activation, output, &data->act_min,
                                  &data->act_max);
  }
  return Status::Ok();
}

namespace {

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  return PreparePool(ctx, ctx.NewOpData<PoolData>());
}

// The in-bounds taps of one output element and channel, visited row by row
// (TFLite's summation order).
template <typename T>
struct Window {
  const T* first;  // the window's first tap of this channel
  int32_t rows, cols;
  int64_t row_stride, col_stride;

  template <typename Acc, typename FoldFn>
  Acc Fold(Acc acc, FoldFn fold) const {
    for (int32_t y = 0; y < rows; ++y) {
      const T* row = first + y * row_stride;
      for (int32_t x = 0; x < cols; ++x) acc = fold(acc, row[x * col_stride]);
    }
    return acc;
  }
  int64_t count() const { return static_cast<int64_t>(rows) * cols; }
};

// Runs `reduce(window)` for every output element, in TFLite's loop order
// (batch, row, column, channel).
template <typename T, typename Reduce>
void ForEachWindow(const PoolData& d, const T* input, T* output, Reduce reduce) {
  ForEachPoolPixel(d, input, output, [&](const PoolWindow<T>& w, T* out) {
    for (int32_t c = 0; c < d.channels; ++c) {
      out[c] = reduce(Window<T>{w.corner + c, w.rows, w.cols, w.row_stride, w.col_stride});
    }
  });
}

// ---- MAX_POOL_2D ----

template <typename T>
void MaxPoolQuantized(const PoolData& d, const T* input, T* output) {
  ForEachWindow(d, input, output, [&](const Window<T>& w) {
    const int32_t max = w.Fold(static_cast<int32_t>(std::numeric_limits<T>::lowest()),
                               [](int32_t m, T v) { return std::max<int32_t>(m, v); });
    return static_cast<T>(Clamp(max, d.act_min, d.act_max));
  });
}

Status EvalMax(OpContext& ctx) {
  const auto& d = *ctx.op_data<PoolData>();
  const Tensor& input = *ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input.type) {
    case DType::kFloat32:
      ForEachWindow(d, input.data_as<float>(), output->data_as<float>(),
                    [&](const Window<float>& w) {
                      const float max = w.Fold(std::numeric_limits<float>::lowest(),
                                               [](float m, float v) { return std::max(m, v); });
                      return std::min(std::max(max, d.act_min_float), d.act_max_float);
                    });
      return Status::Ok();
    case DType::kInt8:
      MaxPoolQuantized(d, input.data_as<int8_t>(), output->data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      MaxPoolQuantized(d, input.data_as<uint8_t>(), output->data_as<uint8_t>());
      return Status::Ok();
    case DType::kInt16:
      MaxPoolQuantized(d, input.data_as<int16_t>(), output->data_as<int16_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("unsupported input dtype ", DTypeName(input.type)));
  }
}

// ---- AVERAGE_POOL_2D ----

// TFLite rounds the integer average half away from zero (int8 and int16 alike).
// For uint8 the sum is never negative, where this equals TFLite's
// (sum + count / 2) / count.
template <typename T>
void AveragePoolQuantized(const PoolData& d, const T* input, T* output) {
  ForEachWindow(d, input, output, [&](const Window<T>& w) {
    // int64: no overflow even for windows far larger than TFLite's int32 allows.
    const int64_t sum = w.Fold(int64_t{0}, [](int64_t s, T v) { return s + v; });
    const int64_t count = w.count();  // >= 1, checked at prepare
    const int64_t average = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    return static_cast<T>(std::min<int64_t>(std::max<int64_t>(average, d.act_min), d.act_max));
  });
}

Status EvalAverage(OpContext& ctx) {
  const auto& d = *ctx.op_data<PoolData>();
  const Tensor& input = *ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input.type) {
    case DType::kFloat32:
      ForEachWindow(d, input.data_as<float>(), output->data_as<float>(),
                    [&](const Window<float>& w) {
                      const float sum = w.Fold(0.0f, [](float s, float v) { return s + v; });
                      const float average = sum / static_cast<float>(w.count());
                      return std::min(std::max(average, d.act_min_float), d.act_max_float);
                    });
      return Status::Ok();
    case DType::kInt8:
      AveragePoolQuantized(d, input.data_as<int8_t>(), output->data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      AveragePoolQuantized(d, input.data_as<uint8_t>(), output->data_as<uint8_t>());
      return Status::Ok();
    case DType::kInt16:
      AveragePoolQuantized(d, input.data_as<int16_t>(), output->data_as<int16_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("unsupported input dtype ", DTypeName(input.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* MaxPool2D() {
  static const KernelRegistration kRegistration = {"max_pool_2d_reference", PrepareMaxPool,
                                                   EvalMax};
  return &kRegistration;
}

const KernelRegistration* AveragePool2D() {
  static const KernelRegistration kRegistration = {"average_pool_2d_reference", Prepare,
                                                   EvalAverage};
  return &kRegistration;
}
}  // namespace ref

// MAX_POOL_2D and AVERAGE_POOL_2D.
constexpr OptionsField kPool2DFields[] = {
    {"padding", 0, FieldType::kPadding, offsetof(Pool2DOptions, padding)},
    {"stride_w", 1, FieldType::kInt32, offsetof(Pool2DOptions, stride_w)},
    {"stride_h", 2, FieldType::kInt32, offsetof(Pool2DOptions, stride_h)},
    {"filter_width", 3, FieldType::kInt32, offsetof(Pool2DOptions, filter_w)},
    {"filter_height", 4, FieldType::kInt32, offsetof(Pool2DOptions, filter_h)},
    {"fused_activation_function", 5, FieldType::kActivation, offsetof(Pool2DOptions, activation)},
};
extern const OptionsIO kPool2DOptionsIO;
const OptionsIO kPool2DOptionsIO =
    OptionsIOFor<Pool2DOptions>(tfl::BuiltinOptions::Pool2DOptions, kPool2DFields);

}  // namespace qlite
