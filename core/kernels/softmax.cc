// SOFTMAX over the last dimension, any rank >= 1.
//   float32: exp(beta * (x - max)) / sum, in float like TFLite's reference.
//   int8 -> int8 (output scale 1/256, zero point -128) and uint8 -> uint8
//   (scale 1/256, zero point 0): TFLite's integer-only reference algorithm.
//   Differences to the row maximum are rescaled to Q5.26, exponentiated in
//   fixed point, summed in Q12.19 and divided through a fixed-point reciprocal.
//   int16 -> int16 (zero points 0, output scale 1/32768): TFLite's LUT
//   algorithm. Differences are rescaled so that [-65535, 0] spans [-10, 0],
//   exp() and 1/(1+x) come from two interpolated 513-entry tables.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/fixed_point.h"
#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/lut.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

constexpr int kScaledDiffIntegerBits = 5;     // exp() input is Q5.26
constexpr int kAccumulationIntegerBits = 12;  // sum of exps is Q12.19

struct SoftmaxData : OpData {
  int64_t rows = 0;   // product of all dims but the last
  int32_t depth = 0;  // last dim
  float beta = 1.0f;
  // Quantized only.
  int32_t input_multiplier = 0;
  int input_left_shift = 0;
  int32_t diff_min = 0;  // differences below this contribute exp() ~ 0
  // 8-bit only: differences to the row maximum are in [-255, 0], so both of
  // their per-element functions are tables, entry -diff (0 below diff_min).
  std::array<int32_t, 256> exp_of_diff{};  // exp(beta * scale * diff), Q0
  std::array<int32_t, 256> sum_term{};     // the same in Q12.19, for the sum
  // int16 only.
  Int16Lut exp_lut{};                  // exp(x), x in [-10, 0]
  Int16Lut one_over_one_plus_x_lut{};  // 1 / (1 + x), x in [0, 1]
};

QLITE_PREPARE_TIME Status PrepareInt16(const Tensor& input, const Tensor& output, float beta,
                                       SoftmaxData* data) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  QLITE_ENSURE(input.zero_point() == 0, "input tensor '", input.name(),
               "' of int16 SOFTMAX must have zero point 0, has ", input.zero_point());
  QLITE_ENSURE(output.zero_point() == 0, "output tensor '", output.name(),
               "' of int16 SOFTMAX must have zero point 0, has ", output.zero_point());
  const float expected_scale = 1.0f / 32768;
  QLITE_ENSURE(std::fabs(output.scale() - expected_scale) <= 0.001f * expected_scale,
               "output tensor '", output.name(), "' of int16 SOFTMAX must have scale 1/32768, has ",
               output.scale());
  QLITE_ENSURE(beta > 0.0f, "quantized SOFTMAX needs beta > 0, got ", beta);

  constexpr int32_t kRange = 65535;  // int16 max - int16 min
  PopulateInt16Lut<double>(
      10.0 / kRange, 32767, 2.0 / kRange, 0, [](double x) { return std::exp(x); }, &data->exp_lut);
  PopulateInt16Lut<double>(
      1.0 / kRange, -32768, 2.0 / kRange, 0, [](double x) { return 1.0 / (1.0 + x); },
      &data->one_over_one_plus_x_lut);
  // Differences in [-65535, 0] input steps map to [-10, 0]; TFLite forms
  // scale * beta in float before dividing in double.
  const float scale_times_beta = input.scale() * beta;
  const Status s =
      QuantizeMultiplierChecked(static_cast<double>(scale_times_beta) / (10.0 / kRange),
                                &data->input_multiplier, &data->input_left_shift);
  return s.WithContext("int16 SOFTMAX: ");
}

// exp(beta * input_scale * diff) in Q0 for diff in [diff_min, 0].
int32_t ExpOfScaledDiff(const SoftmaxData& data, int32_t diff) {
  const int32_t scaled_diff =  // Q5.26
      MultiplyByQuantizedMultiplierGreaterThanOne(diff, data.input_multiplier,
                                                  data.input_left_shift);
  return fixed_point::ExpOnNegativeValues<kScaledDiffIntegerBits>(scaled_diff);
}

QLITE_PREPARE_TIME Status PrepareQuantized(const Tensor& input, const Tensor& output, float beta,
                                           SoftmaxData* data) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  // The integer algorithm produces probabilities in units of 1/256 starting
  // at the dtype's minimum; TFLite insists on exactly these parameters.
  const int32_t expected_zero_point = output.type == DType::kInt8 ? -128 : 0;
  QLITE_ENSURE(output.zero_point() == expected_zero_point, "output tensor '", output.name(),
               "' of ", DTypeName(output.type), " SOFTMAX must have zero point ",
               expected_zero_point, ", has ", output.zero_point());
  const float expected_scale = 1.0f / 256;
  const float scale_error = std::fabs(output.scale() - expected_scale);
  QLITE_ENSURE(scale_error <= 0.001f * expected_scale, "output tensor '", output.name(), "' of ",
               DTypeName(output.type), " SOFTMAX must have scale 1/256, has ", output.scale());
  QLITE_ENSURE(beta > 0.0f, "quantized SOFTMAX needs beta > 0, got ", beta);

  PreprocessSoftmaxScaling(static_cast<double>(beta), static_cast<double>(input.scale()),
                           kScaledDiffIntegerBits, &data->input_multiplier,
                           &data->input_left_shift);
  // The rescale is a left shift then a Q0.31 multiply: the shift must be a
  // valid int32 shift and the multiplier positive (beta * scale not tiny).
  QLITE_ENSURE(
      data->input_left_shift >= 0 && data->input_left_shift <= 31 && data->input_multiplier > 0,
      "SOFTMAX beta * input scale (", beta, " * ", input.scale(),
      ") is out of the range the integer kernel supports");
  data->diff_min = -CalculateInputRadius(kScaledDiffIntegerBits, data->input_left_shift);
  for (int32_t diff = 0; diff >= -255 && diff >= data->diff_min; --diff) {
    data->exp_of_diff[-diff] = ExpOfScaledDiff(*data, diff);
    data->sum_term[-diff] =
        fixed_point::Rescale<0, kAccumulationIntegerBits>(data->exp_of_diff[-diff]);
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status SoftmaxPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  Tensor* output = ctx.output(0);
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*output, {input->type}, "output"));
  QLITE_ENSURE(input->rank() >= 1, "input tensor '", input->name(),
               "' must have rank >= 1, has shape ", ShapeToString(input->shape));

  const float beta = ctx.options<SoftmaxOptions>().beta;
  QLITE_ENSURE(std::isfinite(beta), "SOFTMAX beta must be finite, got ", beta);

  auto* data = ctx.NewOpData<SoftmaxData>();
  data->beta = beta;
  data->depth = input->shape.back();
  data->rows = 1;
  for (int i = 0; i + 1 < input->rank(); ++i) data->rows *= input->dim(i);
  if (input->type == DType::kInt16) {
    QLITE_RETURN_IF_ERROR(PrepareInt16(*input, *output, beta, data));
  } else if (input->type != DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(PrepareQuantized(*input, *output, beta, data));
  }
  return ctx.SetOutputShape(0, input->shape);
}

void SoftmaxFloat(const SoftmaxData& data, const float* input, float* output) {
  const int32_t depth = data.depth;
  for (int64_t row = 0; row < data.rows; ++row) {
    const float* in = input + row * depth;
    float* out = output + row * depth;
    float max = std::numeric_limits<float>::lowest();
    for (int32_t c = 0; c < depth; ++c) max = std::max(max, in[c]);
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) {
      out[c] = std::exp((in[c] - max) * data.beta);
      sum += out[c];
    }
    for (int32_t c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}

template <typename T>
void SoftmaxQuantized(const SoftmaxData& data, const T* input, T* output) {
  constexpr int32_t kOutputMin = std::numeric_limits<T>::min();
  constexpr int32_t kOutputMax = std::numeric_limits<T>::max();
  constexpr int kOutputBits = 8 * sizeof(T);
  const int32_t depth = data.depth;
  for (int64_t row = 0; row < data.rows; ++row) {
    const T* in = input + row * depth;
    T* out = output + row * depth;
    int32_t max_in_row = kOutputMin;
    for (int32_t c = 0; c < depth; ++c) max_in_row = std::max<int32_t>(max_in_row, in[c]);

    // The row maximum contributes 1.0 = 2^19 in Q12.19, so the sum is
    // positive. It only leaves int32 for rows of more than 4096 entries close
    // to the maximum (where TFLite overflows); saturating keeps it defined.
    int64_t sum_of_exps = 0;
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(in[c]) - max_in_row;
      if (diff >= data.diff_min) sum_of_exps += data.sum_term[-diff];
    }
    const int32_t sum_q12 =
        static_cast<int32_t>(std::min<int64_t>(sum_of_exps, std::numeric_limits<int32_t>::max()));

    int num_bits_over_unit = 0;
    const int32_t reciprocal =  // 1/sum = reciprocal * 2^-num_bits_over_unit, Q0
        fixed_point::GetReciprocal(sum_q12, kAccumulationIntegerBits, &num_bits_over_unit);
    // Probability p = exp * reciprocal * 2^-num_bits_over_unit (Q0), scaled to
    // units of 2^-kOutputBits. An exponent above 31 means the sum is >= 512
    // (TFLite aborts there): every p is then below half an output step.
    const int exponent = num_bits_over_unit + 31 - kOutputBits;

    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(in[c]) - max_in_row;
      int32_t result = kOutputMin;
      if (diff >= data.diff_min && exponent <= 31) {
        const int32_t probability = fixed_point::Mul(reciprocal, data.exp_of_diff[-diff]);
        const int32_t unsaturated = RoundingDivideByPOT(probability, exponent);
        result = Clamp(unsaturated + kOutputMin, kOutputMin, kOutputMax);
      }
      out[c] = static_cast<T>(result);
    }
  }
}

// exp(beta * input_scale * diff) in Q0.15 for diff in [-65535, 0].
int16_t ExpOfDiffInt16(const SoftmaxData& data, int32_t diff) {
  const int32_t scaled_diff =  // [-65535, 0] now spans [-10, 0]
      MultiplyByQuantizedMultiplier(diff, data.input_multiplier, data.input_left_shift);
  // Re-centred to the table's symmetric input range, saturated to int16.
  const int64_t centered = static_cast<int64_t>(scaled_diff) + 32767;
  const int16_t table_input = static_cast<int16_t>(
      std::min<int64_t>(std::max<int64_t>(centered, std::numeric_limits<int16_t>::min()),
                        std::numeric_limits<int16_t>::max()));
  return LookupInt16Lut(table_input, data.exp_lut);
}

void SoftmaxInt16(const SoftmaxData& data, const int16_t* input, int16_t* output) {
  const int32_t depth = data.depth;
  for (int64_t row = 0; row < data.rows; ++row) {
    const int16_t* in = input + row * depth;
    int16_t* out = output + row * depth;
    int32_t max_in_row = std::numeric_limits<int16_t>::min();
    for (int32_t c = 0; c < depth; ++c) max_in_row = std::max<int32_t>(max_in_row, in[c]);

    // The exps are cached in the output row (as TFLite does); their sum is
    // Q16.15. The row maximum contributes ~1.0, so the sum is >= 2^15 - 1.
    // TFLite sums in int32; saturating only matters for rows > 65536 long.
    int64_t sum_of_exps = 0;
    for (int32_t c = 0; c < depth; ++c) {
      out[c] = ExpOfDiffInt16(data, static_cast<int32_t>(in[c]) - max_in_row);
      sum_of_exps += out[c];
    }
    const int32_t sum = static_cast<int32_t>(
        std::min<int64_t>(std::max<int64_t>(sum_of_exps, 1), std::numeric_limits<int32_t>::max()));

    // 1/sum: normalise the sum to [1, 2) in Q1.15 (rounded), take x = sum - 1
    // re-centred from [0, 65535] to int16, and read 1/(1+x) from the table.
    const int headroom_plus_one = fixed_point::CountLeadingZeros(static_cast<uint32_t>(sum));
    const int64_t shifted_sum =
        ((static_cast<int64_t>(sum) << (headroom_plus_one - 1)) + (1 << 13)) >> 14;
    const int64_t centered_sum = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t table_input =
        static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(centered_sum, -32768), 32767));
    const int32_t reciprocal = LookupInt16Lut(table_input, data.one_over_one_plus_x_lut);

    // exp * reciprocal is scaled by 2^(31 - headroom_plus_one) too much.
    const int right_shift = 31 - headroom_plus_one;  // 14..30
    const int64_t rounding = int64_t{1} << (right_shift - 1);
    for (int32_t c = 0; c < depth; ++c) {
      const int64_t result = (static_cast<int64_t>(out[c]) * reciprocal + rounding) >> right_shift;
      out[c] = static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(result, 0), 32767));
    }
  }
}

Status SoftmaxEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<SoftmaxData>();
  switch (input.type) {
    case DType::kFloat32:
      SoftmaxFloat(data, input.data_as<float>(), output.data_as<float>());
      return Status::Ok();
    case DType::kInt8:
      SoftmaxQuantized(data, input.data_as<int8_t>(), output.data_as<int8_t>());
      return Status::Ok();
    case DType::kUInt8:
      SoftmaxQuantized(data, input.data_as<uint8_t>(), output.data_as<uint8_t>());
      return Status::Ok();
    case DType::kInt16:
      SoftmaxInt16(data, input.data_as<int16_t>(), output.data_as<int16_t>());
      return Status::Ok();
    default: return Status::Error(StrCat("SOFTMAX: unsupported dtype ", DTypeName(input.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* Softmax() {
  static const KernelRegistration kRegistration = {"softmax_reference", SoftmaxPrepare,
                                                   SoftmaxEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kSoftmaxFields[] = {
    {"beta", 0, FieldType::kFloat, offsetof(SoftmaxOptions, beta)},
};
extern const OptionsIO kSoftmaxOptionsIO;
const OptionsIO kSoftmaxOptionsIO =
    OptionsIOFor<SoftmaxOptions>(tfl::BuiltinOptions::SoftmaxOptions, kSoftmaxFields);

}  // namespace qlite
