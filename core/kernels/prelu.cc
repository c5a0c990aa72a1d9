// PRELU: out = x >= 0 ? x : x * alpha, alpha broadcast against the input
// (usually [1, 1, C] or [C]) and the output shaped like the input, as TFLite
// requires. float32, int8 and uint8 (TFLite's kernels): the quantized path has
// TFLite's two requantizations, input scale / output scale for x >= 0 and
// input scale * alpha scale / output scale for x < 0.
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/kernels/broadcast.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

// Evaluated by EvalRowWalk: the broadcast walk is shared, out of line, with
// the other broadcasting kernels; each dtype adds only its row function.
struct PreluData : RowWalkData {
  int32_t input_offset = 0, alpha_offset = 0, output_offset = 0;
  int32_t identity_multiplier = 0, alpha_multiplier = 0;
  int identity_shift = 0, alpha_shift = 0;
};

template <typename T>
void PreluRow(const void* op, const uint8_t* const* rows, const int64_t* steps, int64_t count,
              uint8_t* out_bytes) {
  const T* in = reinterpret_cast<const T*>(rows[0]);
  const T* alpha = reinterpret_cast<const T*>(rows[1]);
  T* out = reinterpret_cast<T*>(out_bytes);
  if constexpr (std::is_same_v<T, float>) {
    for (int64_t i = 0; i < count; ++i) {
      const float x = in[i * steps[0]];
      out[i] = x >= 0.0f ? x : x * alpha[i * steps[1]];
    }
  } else {
    const auto& d = *static_cast<const PreluData*>(static_cast<const RowWalkData*>(op));
    for (int64_t i = 0; i < count; ++i) {
      const int32_t x = d.input_offset + in[i * steps[0]];
      // |x * alpha| <= 255 * 255: no overflow before requantizing.
      const int32_t y =
          x >= 0 ? MultiplyByQuantizedMultiplier(x, d.identity_multiplier, d.identity_shift)
                 : MultiplyByQuantizedMultiplier(x * (d.alpha_offset + alpha[i * steps[1]]),
                                                 d.alpha_multiplier, d.alpha_shift);
      out[i] = static_cast<T>(
          Clamp(y + d.output_offset, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
    }
  }
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  const Tensor *input = nullptr, *alpha = nullptr, *output = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareBinaryOperands(ctx, {DType::kFloat32, DType::kInt8, DType::kUInt8},
                                              &input, &alpha, &output));
  auto* data = ctx.NewOpData<PreluData>();
  BroadcastShape broadcast;
  Shape out_shape;
  QLITE_RETURN_IF_ERROR(
      ComputeBroadcastShape(input->shape, alpha->shape, "PRELU", &broadcast, &out_shape));
  QLITE_ENSURE(out_shape == input->shape, "PRELU: alpha ", ShapeToString(alpha->shape),
               " would broadcast the input to ", ShapeToString(out_shape));
  data->walk = RowWalkOf(broadcast);
  data->element_bytes[0] = data->element_bytes[1] = data->out_bytes = DTypeSize(input->type);
  data->row = PreluRow<float>;
  if (input->type != DType::kFloat32) {
    data->row = input->type == DType::kInt8 ? PreluRow<int8_t> : PreluRow<uint8_t>;
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*alpha, "alpha"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*output, "output"));
    data->input_offset = -static_cast<int32_t>(input->zero_point());
    data->alpha_offset = -static_cast<int32_t>(alpha->zero_point());
    data->output_offset = static_cast<int32_t>(output->zero_point());
    // TFLite forms both real multipliers in float before widening to double.
    const float identity = input->scale() / output->scale();
    const float with_alpha = input->scale() * alpha->scale() / output->scale();
    QLITE_RETURN_IF_ERROR(
        QuantizeMultiplierChecked(identity, &data->identity_multiplier, &data->identity_shift));
    QLITE_RETURN_IF_ERROR(
        QuantizeMultiplierChecked(with_alpha, &data->alpha_multiplier, &data->alpha_shift));
  }
  return ctx.SetOutputShape(0, std::move(out_shape));
}

}  // namespace

namespace ref {
const KernelRegistration* Prelu() {
  static const KernelRegistration kRegistration = {"prelu_reference", Prepare, EvalRowWalk};
  return &kRegistration;
}
}  // namespace ref

}  // namespace qlite
