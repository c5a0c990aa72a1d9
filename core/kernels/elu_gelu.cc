// ELU and GELU with TFLite's builtin semantics. Both are a float function on
// float32 and, on 8-bit types, a 256-entry table of that function built at
// prepare time (TFLite's LUTPopulate), so any input/output quantization works.
//   ELU   float32, int8: x < 0 ? expm1(x) : x (older TFLite built the int8
//         table from exp(x) - 1; current TFLite uses expm1 there too).
//   GELU  float32, int8, uint8: 0.5 x erfc(-x / sqrt(2)), or with the option
//         `approximate` 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
#include <cmath>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/lut.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

float EluOf(float x, float) { return x < 0.0f ? std::expm1(x) : x; }

float GeluErf(float x, float) {
  constexpr float kMinusSqrtHalf = static_cast<float>(-0.70710678118654752440);
  return 0.5f * x * std::erfc(x * kMinusSqrtHalf);
}

float GeluTanh(float x, float) {
  constexpr float kSqrtTwoOverPi =
      static_cast<float>(1.12837916709551257390 * 0.70710678118654752440);
  return 0.5f * x * (1.0f + std::tanh(kSqrtTwoOverPi * (x + 0.044715f * x * x * x)));
}

struct TableActivationData : OpData {
  LutFunction float_fn = nullptr;
  uint8_t table[256] = {};
};

// One prepare for both ops: the function and whether TFLite has a uint8 kernel.
QLITE_PREPARE_TIME Status PrepareTableActivation(OpContext& ctx, LutFunction fn, bool has_uint8) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  Tensor* output = ctx.output(0);
  if (has_uint8) {
    QLITE_RETURN_IF_ERROR(
        CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kUInt8}, "input"));
  } else {
    QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32, DType::kInt8}, "input"));
  }
  QLITE_RETURN_IF_ERROR(CheckType(*output, {input->type}, "output"));
  auto* data = ctx.NewOpData<TableActivationData>();
  data->float_fn = fn;
  if (input->type != DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*output, "output"));
    (input->type == DType::kInt8 ? PopulateInt8Lut<int8_t>
                                 : PopulateInt8Lut<uint8_t>)(input->scale(), input->zero_point(),
                                                             output->scale(), output->zero_point(),
                                                             fn, 0.0f, data->table);
  }
  return ctx.SetOutputShape(0, input->shape);
}

QLITE_PREPARE_TIME Status EluPrepare(OpContext& ctx) {
  return PrepareTableActivation(ctx, EluOf, false);
}

QLITE_PREPARE_TIME Status GeluPrepare(OpContext& ctx) {
  LutFunction fn = ctx.options<GeluOptions>().approximate ? GeluTanh : GeluErf;
  return PrepareTableActivation(ctx, fn, true);
}

Status TableActivationEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<TableActivationData>();
  const int64_t size = input.num_elements();
  if (input.type == DType::kFloat32) {
    const float* in = input.data_as<float>();
    float* out = output.data_as<float>();
    for (int64_t i = 0; i < size; ++i) out[i] = data.float_fn(in[i], 0.0f);
  } else {
    LookupTable8(data.table, size, input.data_as<uint8_t>(), output.data_as<uint8_t>());
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Elu() {
  static const KernelRegistration kRegistration = {"elu_reference", EluPrepare,
                                                   TableActivationEval};
  return &kRegistration;
}

const KernelRegistration* Gelu() {
  static const KernelRegistration kRegistration = {"gelu_reference", GeluPrepare,
                                                   TableActivationEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kGeluFields[] = {
    {"approximate", 0, FieldType::kBool, offsetof(GeluOptions, approximate)},
};
extern const OptionsIO kGeluOptionsIO;
const OptionsIO kGeluOptionsIO =
    OptionsIOFor<GeluOptions>(tfl::BuiltinOptions::GeluOptions, kGeluFields);

}  // namespace qlite
