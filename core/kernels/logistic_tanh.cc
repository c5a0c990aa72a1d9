// LOGISTIC and TANH, matching TFLite's builtin kernels (the default
// kGenericOptimized variant that BuiltinOpResolver registers):
//   float32   1 / (1 + exp(-x)) (with TFLite's reference cut-offs) / std::tanh.
//   int8/uint8  a 256-entry table built at prepare time from the float
//       function (TFLite's LUTPopulate), indexed by the raw input byte. The
//       default kernel uses this table, not the fixed-point
//       reference_integer_ops::Logistic/Tanh (those only run in the
//       kFixedPointOptimized variant), so the table is what must be matched.
//       Output quantization is fixed: LOGISTIC 1/256 with zero point -128
//       (int8) or 0 (uint8), TANH 1/128 with zero point 0 (int8) or 128 (uint8).
//   int16  zero points 0, output scale 2^-15. The default kernel picks:
//       - input scale a power of two the fixed-point code takes directly
//         (2^-12 for both ops, also 2^-11 for TANH): gemmlowp's int16
//         fixed-point logistic / tanh on a Q3.12 input;
//       - any other input scale: reference_integer_ops' linear interpolation
//         in TFLite's 256-entry sigmoid table, after rescaling the input to
//         units of 1/(3 * 4096).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "core/fixed_point.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/lut.h"
#include "core/op_table.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

enum class Function { kLogistic, kTanh };

const char* FunctionName(Function f) { return f == Function::kLogistic ? "LOGISTIC" : "TANH"; }

// ---- TFLite's int16 sigmoid table: sigmoid(i / 24) in unsigned Q0.16. ----
// These are TFLite's published values (not reproducible by a formula with
// one rounding rule), so they are listed as data.
constexpr uint16_t kSigmoidTable[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794,
    41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443,
    48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374,
    54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544,
    58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279,
    61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990,
    63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030,
    64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019,
    65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476,
    65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516,
    65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
    65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532,
    65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535};

// Linear interpolation in kSigmoidTable. `magnitude` carries kFractionBits
// bits below the table index (LOGISTIC 9, TANH 8); the result is the Q0.16
// value times 2^kFractionBits, or `saturated` past the last entry.
template <int kFractionBits>
uint32_t InterpolateSigmoid(uint64_t magnitude, uint32_t saturated) {
  const uint64_t index = magnitude >> kFractionBits;
  if (index >= 255) return saturated;
  const uint32_t lower = kSigmoidTable[index];
  const uint32_t upper = kSigmoidTable[index + 1];
  const uint32_t fraction = static_cast<uint32_t>(magnitude & ((1u << kFractionBits) - 1));
  return (lower << kFractionBits) + fraction * (upper - lower);
}

// ---------------------------------------------------------------------------

struct LogisticTanhData : OpData {
  uint8_t table[256] = {};  // int8/uint8: output byte per raw input byte
  // int16
  bool int16_fixed_point = false;        // gemmlowp path (power-of-two input scale)
  int int16_fixed_point_left_shift = 0;  // TANH only: 0 or 1
  int32_t int16_multiplier = 0;          // table path: input * multiplier >> shift
  int int16_shift = 0;
};

// The float functions the 8-bit tables are built from, in float as TFLite.
float LogisticFloat(float x, float) { return 1.0f / (1.0f + std::exp(-x)); }
float TanhFloat(float x, float) { return std::tanh(x); }

QLITE_PREPARE_TIME Status Prepare8Bit(Function f, const Tensor& input, const Tensor& output,
                                      LogisticTanhData* data) {
  // The only output quantization TFLite's converter emits (and the integer
  // reference kernels assume): [0, 1) or [-1, 1) over the whole dtype range.
  const bool is_int8 = input.type == DType::kInt8;
  const float expected_scale = f == Function::kLogistic ? 1.0f / 256 : 1.0f / 128;
  const int32_t expected_zero_point =
      f == Function::kLogistic ? (is_int8 ? -128 : 0) : (is_int8 ? 0 : 128);
  QLITE_ENSURE(output.scale() == expected_scale && output.zero_point() == expected_zero_point,
               "output tensor '", output.name(), "' of ", DTypeName(output.type), " ",
               FunctionName(f), " must have scale 1/", f == Function::kLogistic ? 256 : 128,
               " and zero point ", expected_zero_point, ", has scale ", output.scale(),
               " and zero point ", output.zero_point());
  const LutFunction fn = f == Function::kLogistic ? LogisticFloat : TanhFloat;
  (is_int8 ? PopulateInt8Lut<int8_t>
           : PopulateInt8Lut<uint8_t>)(input.scale(), input.zero_point(), output.scale(),
                                       output.zero_point(), fn, 0.0f, data->table);
  return Status::Ok();
}

// TFLite's CheckedLog2: log2(x) evaluated in float, true if within 1e-3 of
// an integer.
bool CheckedLog2(float x, int* log2_rounded) {
  const float log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(log2);
  *log2_rounded = static_cast<int>(rounded);
  return std::fabs(log2 - rounded) < 1e-3f;
}

QLITE_PREPARE_TIME Status PrepareInt16(Function f, const Tensor& input, const Tensor& output,
                                       LogisticTanhData* data) {
  for (const Tensor* t : {&input, &output}) {
    QLITE_ENSURE(t->zero_point() == 0, "int16 tensor '", t->name(),
                 "' must have zero point 0, has ", t->zero_point());
  }
  int output_log2 = 0;
  const bool output_ok = f == Function::kLogistic
                             ? output.scale() == 1.0f / 32768
                             : CheckedLog2(output.scale(), &output_log2) && output_log2 == -15;
  QLITE_ENSURE(output_ok, "output tensor '", output.name(), "' of int16 ", FunctionName(f),
               " must have scale 1/32768, has ", output.scale());

  // Q3.12 input: a power-of-two scale that needs no rescaling (TANH can also
  // take a one-bit left shift) goes to the fixed-point functions.
  int input_log2 = 0;
  const bool input_pot = CheckedLog2(input.scale(), &input_log2);
  const int left_shift = 12 + input_log2;
  if (input_pot && (left_shift == 0 || (f == Function::kTanh && left_shift == 1))) {
    data->int16_fixed_point = true;
    data->int16_fixed_point_left_shift = left_shift;
    return Status::Ok();
  }

  // Table path: rescale the input to units of 1/(3 * 4096) with a multiplier
  // in (16383.5, 32767] and a right shift, as TFLite's prepare picks them.
  // A table step of 1/24 is then 2^9 units for LOGISTIC and, as TANH reads
  // the table at 2x, 2^8 units for TANH.
  double multiplier = static_cast<double>(input.scale()) * 4096.0 * 3.0;
  int shift = 0;
  while (multiplier <= 32767.0 / 2.0 && shift <= 30) {
    ++shift;
    multiplier *= 2.0;
  }
  QLITE_ENSURE(multiplier >= 1.0 && multiplier < 2147483648.0, "input tensor '", input.name(),
               "' of int16 ", FunctionName(f), " has scale ", input.scale(),
               " outside the range the int16 kernel supports");
  data->int16_multiplier = static_cast<int32_t>(multiplier);
  data->int16_shift = shift;
  return Status::Ok();
}

template <Function kFunction>
QLITE_PREPARE_TIME Status LogisticTanhPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  Tensor* output = ctx.output(0);
  QLITE_RETURN_IF_ERROR(
      CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16}, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*output, {input->type}, "output"));
  QLITE_ENSURE(input->num_elements() >= 0, "input tensor '", input->name(), "' has invalid shape ",
               ShapeToString(input->shape));
  auto* data = ctx.NewOpData<LogisticTanhData>();
  if (input->type != DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*input, "input"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*output, "output"));
    if (input->type == DType::kInt16) {
      QLITE_RETURN_IF_ERROR(PrepareInt16(kFunction, *input, *output, data));
    } else {
      QLITE_RETURN_IF_ERROR(Prepare8Bit(kFunction, *input, *output, data));
    }
  }
  return ctx.SetOutputShape(0, input->shape);
}

void EvalFloat(Function f, int64_t size, const float* in, float* out) {
  if (f == Function::kTanh) {
    for (int64_t i = 0; i < size; ++i) out[i] = std::tanh(in[i]);
    return;
  }
  // TFLite's reference cut-offs: above ~16.6 the result rounds to 1 in
  // float; below -9, exp(x) alone is as accurate as the full expression.
  constexpr float kUpperCutoff = 16.619047164916992188f;
  constexpr float kLowerCutoff = -9.0f;
  for (int64_t i = 0; i < size; ++i) {
    const float x = in[i];
    if (x > kUpperCutoff) {
      out[i] = 1.0f;
    } else if (x < kLowerCutoff) {
      out[i] = std::exp(x);
    } else {
      out[i] = 1.0f / (1.0f + std::exp(-x));
    }
  }
}

// reference_integer_ops' int16 table interpolation.
void EvalInt16Table(Function f, const LogisticTanhData& data, int64_t size, const int16_t* in,
                    int16_t* out) {
  const int64_t rounding = data.int16_shift > 0 ? int64_t{1} << (data.int16_shift - 1) : 0;
  for (int64_t i = 0; i < size; ++i) {
    // 64 bits: TFLite's int32 product can only overflow for absurd scales.
    const int64_t x = (int64_t{in[i]} * data.int16_multiplier + rounding) >> data.int16_shift;
    const uint64_t magnitude = static_cast<uint64_t>(x < 0 ? -x : x);
    if (f == Function::kLogistic) {
      // sigmoid(|x|) << 9; sigmoid(-|x|) = 1 - sigmoid(|x|); rounded to Q0.15.
      const uint32_t s = InterpolateSigmoid<9>(magnitude, 0x7FFFu << 10);
      const uint32_t result = x >= 0 ? s + (1u << 9) : (1u << 25) - s + (1u << 9) - 1;
      out[i] = static_cast<int16_t>(result >> 10);
    } else {
      // tanh(x) = 2 * sigmoid(2x) - 1, on a table step of 2^8 units.
      const int32_t s = static_cast<int32_t>(InterpolateSigmoid<8>(magnitude, 0xFFFFu << 8));
      const int32_t result = x >= 0 ? s - (1 << 23) + (1 << 7) : -s + (1 << 23) + (1 << 7) - 1;
      out[i] = static_cast<int16_t>(result >> 8);  // arithmetic shift, as TFLite
    }
  }
}

void EvalInt16FixedPoint(Function f, const LogisticTanhData& data, int64_t size, const int16_t* in,
                         int16_t* out) {
  for (int64_t i = 0; i < size; ++i) {
    if (f == Function::kLogistic) {
      out[i] = fixed_point::int16::Logistic(in[i]);
    } else {
      const int16_t x = data.int16_fixed_point_left_shift == 0
                            ? in[i]
                            : fixed_point::int16::SaturatingRoundingMultiplyByPOT<1>(in[i]);
      out[i] = fixed_point::int16::Tanh<3>(x);
    }
  }
}

template <Function kFunction>
Status LogisticTanhEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const auto& data = *ctx.op_data<LogisticTanhData>();
  const int64_t size = input.num_elements();
  switch (input.type) {
    case DType::kFloat32:
      EvalFloat(kFunction, size, input.data_as<float>(), output.data_as<float>());
      return Status::Ok();
    case DType::kInt8:
    case DType::kUInt8:
      LookupTable8(data.table, size, input.data_as<uint8_t>(), output.data_as<uint8_t>());
      return Status::Ok();
    case DType::kInt16:
      if (data.int16_fixed_point) {
        EvalInt16FixedPoint(kFunction, data, size, input.data_as<int16_t>(),
                            output.data_as<int16_t>());
      } else {
        EvalInt16Table(kFunction, data, size, input.data_as<int16_t>(), output.data_as<int16_t>());
      }
      return Status::Ok();
    default: return Status::Error(StrCat("unsupported dtype ", DTypeName(input.type)));
  }
}

}  // namespace

namespace ref {
const KernelRegistration* Logistic() {
  static const KernelRegistration kRegistration = {"logistic_reference",
                                                   LogisticTanhPrepare<Function::kLogistic>,
                                                   LogisticTanhEval<Function::kLogistic>};
  return &kRegistration;
}

const KernelRegistration* Tanh() {
  static const KernelRegistration kRegistration = {
      "tanh_reference", LogisticTanhPrepare<Function::kTanh>, LogisticTanhEval<Function::kTanh>};
  return &kRegistration;
}
}  // namespace ref

}  // namespace qlite
