// LOG_SOFTMAX over the last dimension, any rank >= 1, as TFLite's builtin
// kernel computes it.
//   float32  x - max - log(sum(exp(x - max))).
//   int8     output scale 16/256, zero point 127: TFLite's integer-only
//            algorithm. Differences to the row maximum are rescaled to Q5.26,
//            exponentiated and summed in Q12.19, the sum's log taken in
//            fixed point; each output is (diff - log sum) in steps of 1/16.
//   uint8    output scale 16/256, zero point 255: the path TFLite's default
//            (optimized) kernel runs, in float: a 256-entry table of
//            exp(-input_scale * d), the log of the row's sum, rint.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/fixed_point.h"
#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

constexpr int kInputIntegerBits = 5;          // diffs in Q5.26
constexpr int kAccumulationIntegerBits = 12;  // sum of exps in Q12.19
constexpr int kOutputIntegerBits = 4;         // output steps of 1/16

struct LogSoftmaxData : OpData {
  int64_t rows = 0;   // product of all dims but the last
  int32_t depth = 0;  // last dim
  // int8
  int32_t input_multiplier = 0;
  int input_left_shift = 0;
  int32_t reverse_multiplier = 0;  // undoes the input rescale
  int reverse_shift = 0;
  int32_t diff_min = 0;  // differences below this contribute exp() ~ 0
  // uint8
  float input_scale = 0.0f, output_scale = 0.0f;
  float exp_of_diff[256] = {};  // exp(-input_scale * d) for d = max - x
};

QLITE_PREPARE_TIME Status PrepareQuantized(const Tensor& input, const Tensor& output,
                                           LogSoftmaxData* data) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  const int32_t expected_zero_point = output.type == DType::kInt8 ? 127 : 255;
  QLITE_ENSURE(output.scale() == 16.0f / 256 && output.zero_point() == expected_zero_point,
               "output tensor '", output.name(), "' of ", DTypeName(output.type),
               " LOG_SOFTMAX must have scale 16/256 and zero point ", expected_zero_point,
               ", has scale ", output.scale(), " and zero point ", output.zero_point());
  if (output.type == DType::kUInt8) {
    data->input_scale = input.scale();
    data->output_scale = output.scale();
    for (int d = 0; d < 256; ++d) data->exp_of_diff[d] = std::exp(-input.scale() * d);
    return Status::Ok();
  }
  PreprocessSoftmaxScaling(1.0, static_cast<double>(input.scale()), kInputIntegerBits,
                           &data->input_multiplier, &data->input_left_shift);
  QLITE_ENSURE(
      data->input_left_shift >= 1 && data->input_left_shift <= 31 && data->input_multiplier > 0,
      "LOG_SOFTMAX input scale ", input.scale(),
      " is out of the range the integer kernel supports");
  // TFLite's PreprocessLogSoftmaxScalingExp: the inverse of the input rescale.
  const double reverse = static_cast<double>(int64_t{1} << (31 - data->input_left_shift)) /
                         static_cast<double>(data->input_multiplier);
  QLITE_RETURN_IF_ERROR(
      QuantizeMultiplierChecked(reverse, &data->reverse_multiplier, &data->reverse_shift));
  data->diff_min = -CalculateInputRadius(kInputIntegerBits, data->input_left_shift);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status LogSoftmaxPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  Tensor* output = ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kUInt8}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*output, {input->type}, "output"));
  QLITE_ENSURE(input->rank() >= 1, "input tensor '", input->name(),
               "' must have rank >= 1, has shape ", ShapeToString(input->shape));
  auto* data = ctx.NewOpData<LogSoftmaxData>();
  data->depth = input->shape.back();
  data->rows = 1;
  for (int i = 0; i + 1 < input->rank(); ++i) data->rows *= input->dim(i);
  if (input->type != DType::kFloat32)
    QLITE_RETURN_IF_ERROR(PrepareQuantized(*input, *output, data));
  return ctx.SetOutputShape(0, input->shape);
}

void LogSoftmaxFloat(const LogSoftmaxData& data, const float* in, float* out) {
  for (int64_t row = 0; row < data.rows; ++row, in += data.depth, out += data.depth) {
    float max = std::numeric_limits<float>::lowest();
    for (int32_t c = 0; c < data.depth; ++c) max = std::max(max, in[c]);
    float sum = 0.0f;
    for (int32_t c = 0; c < data.depth; ++c) sum += std::exp(in[c] - max);
    const float log_sum = std::log(sum);
    for (int32_t c = 0; c < data.depth; ++c) out[c] = in[c] - max - log_sum;
  }
}

void LogSoftmaxInt8(const LogSoftmaxData& data, const int8_t* in, int8_t* out) {
  for (int64_t row = 0; row < data.rows; ++row, in += data.depth, out += data.depth) {
    int32_t max_in_row = -128;
    for (int32_t c = 0; c < data.depth; ++c) max_in_row = std::max<int32_t>(max_in_row, in[c]);
    auto diff_in_q5 = [&](int32_t diff) {
      return MultiplyByQuantizedMultiplier(diff, data.input_multiplier, data.input_left_shift);
    };
    // The maximum contributes 1.0, so the sum is >= 1. Only rows of more than
    // 4096 entries near the maximum leave int32 (TFLite overflows there).
    int64_t sum_of_exps = 0;
    for (int32_t c = 0; c < data.depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff < data.diff_min) continue;
      sum_of_exps += fixed_point::Rescale<0, kAccumulationIntegerBits>(
          fixed_point::ExpOnNegativeValues<kInputIntegerBits>(diff_in_q5(diff)));
    }
    const int32_t log_sum =
        fixed_point::LogForXAtLeastOne<kInputIntegerBits, kAccumulationIntegerBits>(
            static_cast<int32_t>(std::min<int64_t>(sum_of_exps, fixed_point::kInt32Max)));
    // Differences at or below this give the lowest output.
    const int32_t adjusted_diff_min = std::max(
        data.diff_min - 1,
        MultiplyByQuantizedMultiplier(fixed_point::WrappingAdd(log_sum, fixed_point::kInt32Min),
                                      data.reverse_multiplier, data.reverse_shift));
    for (int32_t c = 0; c < data.depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      int32_t result = -128;
      if (diff > adjusted_diff_min) {
        result = RoundingDivideByPOT(fixed_point::WrappingSub(diff_in_q5(diff), log_sum),
                                     31 - kInputIntegerBits - kOutputIntegerBits) +
                 127;
      }
      out[c] = static_cast<int8_t>(Clamp(result, -128, 127));
    }
  }
}

void LogSoftmaxUInt8(const LogSoftmaxData& data, const uint8_t* in, uint8_t* out) {
  const float scale = data.input_scale / data.output_scale;
  for (int64_t row = 0; row < data.rows; ++row, in += data.depth, out += data.depth) {
    uint8_t max = 0;
    for (int32_t c = 0; c < data.depth; ++c) max = std::max(max, in[c]);
    float sum = 0.0f;
    for (int32_t c = 0; c < data.depth; ++c) sum += data.exp_of_diff[max - in[c]];
    const float precomputed = (data.input_scale * max + std::log(sum)) / data.output_scale;
    for (int32_t c = 0; c < data.depth; ++c) {
      const float q = std::rint(scale * in[c] - precomputed) + 255.0f;
      out[c] = static_cast<uint8_t>(q > 0.0f ? std::min(q, 255.0f) : 0.0f);  // NaN -> 0
    }
  }
}

Status LogSoftmaxEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<LogSoftmaxData>();
  if (data.depth == 0) return Status::Ok();
  switch (input.type) {
    case DType::kFloat32:
      LogSoftmaxFloat(data, input.data_as<float>(), output.data_as<float>());
      return Status::Ok();
    case DType::kInt8:
      LogSoftmaxInt8(data, input.data_as<int8_t>(), output.data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      LogSoftmaxUInt8(data, input.data_as<uint8_t>(), output.data_as<uint8_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("LOG_SOFTMAX: unsupported dtype ", DTypeName(input.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* LogSoftmax() {
  static const KernelRegistration kRegistration = {"log_softmax_reference", LogSoftmaxPrepare,
                                                   LogSoftmaxEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kLogSoftmaxOptionsIO;
const OptionsIO kLogSoftmaxOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::LogSoftmaxOptions);

}  // namespace qlite
