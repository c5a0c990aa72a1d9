// Elementwise unary math with the results of TFLite's builtin kernels. Each
// op is one struct: its float32 function and, for the ops whose TFLite kernel
// takes int32 (ABS, NEG, SIGN), its int32 function.
//   ABS, NEG, SQUARE, SQRT, RSQRT (1 / sqrt), EXP, LOG, SIN, COS, CEIL, FLOOR:
//       the <cmath> function in float, so NaN, inf, -0 and log(0) = -inf
//       follow IEEE 754.
//   ROUND  half to even, computed from floor as TFLite does, which gives +0
//       (not -0) for inputs in [-0.5, 0).
//   SIGN   1, -1 or 0; 0 also for NaN and -0, as TFLite's comparisons give.
// int32 ABS and NEG wrap INT32_MIN to itself instead of overflowing.
// Quantized int8 / int16 (int16 with zero points 0), where TFLite has them:
//   ABS    |x - zp_in| requantized to the output (int16 without quantization
//          parameters: plain abs, -32768 wrapping to itself).
//   RSQRT  int8: fixed-point 1/sqrt (TFLite's GetInvSqrtQuantizedMultiplierExp),
//          input zero point gives the int8 maximum; int16: a LUT.
//   SQRT   float sqrt of the dequantized input, truncated (not rounded) to
//          the output grid as TFLite does.
//   EXP, LOG  a LUT (LOG maps x <= 0 to the output minimum).
// RSQRT and SQRT fail on inputs below the input zero point, as TFLite does.
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

// How an op runs on int8 / int16 (kNone: it does not).
enum class Quantized : uint8_t { kNone, kAbs, kRsqrt, kSqrt, kTable };

// Two's-complement negation without signed overflow.
int32_t WrappingNegate(int32_t x) { return static_cast<int32_t>(0u - static_cast<uint32_t>(x)); }

struct AbsOp {
  static constexpr const char* kName = "abs_reference";
  static constexpr bool kInt32 = true;
  static constexpr Quantized kQuantized = Quantized::kAbs;
  static constexpr const char* kOpName = "ABS";
  static float Float(float x) { return std::fabs(x); }
  static int32_t Int32(int32_t x) { return x < 0 ? WrappingNegate(x) : x; }
};

struct NegOp {
  static constexpr const char* kName = "neg_reference";
  static constexpr bool kInt32 = true;
  static constexpr Quantized kQuantized = Quantized::kNone;
  static float Float(float x) { return -x; }
  static int32_t Int32(int32_t x) { return WrappingNegate(x); }
};

struct SquareOp {
  static constexpr const char* kName = "square_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kNone;
  static float Float(float x) { return x * x; }
};

struct SqrtOp {
  static constexpr const char* kName = "sqrt_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kSqrt;
  static constexpr const char* kOpName = "SQRT";
  static float Float(float x) { return std::sqrt(x); }
};

struct RsqrtOp {
  static constexpr const char* kName = "rsqrt_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kRsqrt;
  static constexpr const char* kOpName = "RSQRT";
  static float Float(float x) { return 1.0f / std::sqrt(x); }
  // int16 table: x <= 0 gives the int16 maximum (param: output scale).
  static float Table(float x, float output_scale) {
    return x <= 0.0f ? 32767 * output_scale : 1.0f / std::sqrt(x);
  }
};

struct ExpOp {
  static constexpr const char* kName = "exp_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kTable;
  static constexpr const char* kOpName = "EXP";
  static float Float(float x) { return std::exp(x); }
  static float Table(float x, float) { return std::exp(x); }
};

struct LogOp {
  static constexpr const char* kName = "log_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kTable;
  static constexpr const char* kOpName = "LOG";
  static float Float(float x) { return std::log(x); }
  // x <= 0 gives the output's minimum (param).
  static float Table(float x, float output_min) { return x <= 0.0f ? output_min : std::log(x); }
};

struct SinOp {
  static constexpr const char* kName = "sin_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kNone;
  static float Float(float x) { return std::sin(x); }
};

struct CosOp {
  static constexpr const char* kName = "cos_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kNone;
  static float Float(float x) { return std::cos(x); }
};

struct CeilOp {
  static constexpr const char* kName = "ceil_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kNone;
  static float Float(float x) { return std::ceil(x); }
};

struct FloorOp {
  static constexpr const char* kName = "floor_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kNone;
  static float Float(float x) { return std::floor(x); }
};

struct RoundOp {
  static constexpr const char* kName = "round_reference";
  static constexpr bool kInt32 = false;
  static constexpr Quantized kQuantized = Quantized::kNone;
  static float Float(float x) {
    const float floor_x = std::floor(x);
    const float fraction = x - floor_x;
    // Ties go to the even neighbour. For +-inf the fraction is NaN and the
    // result floor_x + 1 is still +-inf.
    if (fraction < 0.5f || (fraction == 0.5f && std::fmod(floor_x, 2.0f) == 0.0f)) {
      return floor_x;
    }
    return floor_x + 1.0f;
  }
};

struct SignOp {
  static constexpr const char* kName = "sign_reference";
  static constexpr bool kInt32 = true;
  static constexpr Quantized kQuantized = Quantized::kNone;
  template <typename T>
  static T Of(T x) {
    return x > 0 ? T{1} : (x < 0 ? T{-1} : T{0});
  }
  static float Float(float x) { return Of(x); }
  static int32_t Int32(int32_t x) { return Of(x); }
};

// Everything the int8 / int16 paths need, fixed at prepare.
struct UnaryQuantData : OpData {
  const char* op_name = "";
  Quantized kind = Quantized::kNone;  // kNone: int16 ABS without quantization
  bool nonnegative_input = false;     // RSQRT, SQRT: inputs below zp_in are errors
  int32_t input_zero_point = 0, output_zero_point = 0;
  float input_scale = 0.0f, output_scale = 0.0f;
  bool needs_rescale = false;  // ABS: input and output scales differ
  int32_t multiplier = 0;      // ABS: in / out; RSQRT int8: 1 / (sqrt(in) * out)
  int shift = 0;
  uint8_t table8[256] = {};  // int8 EXP, LOG: output byte per input byte
  Int16Lut table16{};        // int16 RSQRT, EXP, LOG
};

// RSQRT int8 works on the inverse square root scaled by 2^20 so that it stays
// an integer before the output multiplier is applied.
constexpr int kRsqrtShift = 20;

QLITE_PREPARE_TIME Status PrepareQuantized(OpContext& ctx, const char* op_name, Quantized kind,
                                           LutFunction table_fn, const Tensor& input,
                                           const Tensor& output) {
  auto* d = ctx.NewOpData<UnaryQuantData>();
  d->op_name = op_name;
  const bool int16 = input.type == DType::kInt16;
  if (int16 && kind == Quantized::kAbs && !input.has_quant()) {
    d->kind = Quantized::kNone;
    return Status::Ok();
  }
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(input, "input"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(output, "output"));
  d->input_zero_point = input.zero_point();
  d->output_zero_point = output.zero_point();
  QLITE_ENSURE(!int16 || (d->input_zero_point == 0 && d->output_zero_point == 0), "int16 ", op_name,
               " needs zero points 0, has ", d->input_zero_point, " and ", d->output_zero_point);
  d->input_scale = input.scale();
  d->output_scale = output.scale();
  d->kind = kind;
  d->nonnegative_input = kind == Quantized::kRsqrt || kind == Quantized::kSqrt;
  if (kind == Quantized::kAbs) {
    d->needs_rescale = d->input_scale != d->output_scale;
    if (!d->needs_rescale) return Status::Ok();
    return QuantizeMultiplierChecked(d->input_scale / d->output_scale, &d->multiplier, &d->shift)
        .WithContext("ABS: ");
  }
  if (kind == Quantized::kRsqrt && !int16) {
    const float denominator = std::sqrt(d->input_scale) * d->output_scale;
    QLITE_RETURN_IF_ERROR(QuantizeMultiplierChecked(1.0 / denominator, &d->multiplier, &d->shift)
                              .WithContext("RSQRT: "));
    QLITE_ENSURE(d->shift - kRsqrtShift >= -31, "RSQRT output multiplier ", 1.0 / denominator,
                 " is too small");
    return Status::Ok();
  }
  if (kind == Quantized::kSqrt) return Status::Ok();
  // A table: LOG's parameter is the output minimum, RSQRT's the output scale.
  d->kind = Quantized::kTable;
  const int32_t qmin = int16 ? -32768 : -128;
  const float param =
      kind == Quantized::kRsqrt ? d->output_scale : (qmin - d->output_zero_point) * d->output_scale;
  if (int16) {
    PopulateInt16Lut<float>(
        d->input_scale, 0, d->output_scale, 0, [&](float x) { return table_fn(x, param); },
        &d->table16);
  } else {
    PopulateInt8Lut<int8_t>(d->input_scale, d->input_zero_point, d->output_scale,
                            d->output_zero_point, table_fn, param, d->table8);
  }
  return Status::Ok();
}

template <typename Op>
Status UnaryPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  constexpr bool kQuantized = Op::kQuantized != Quantized::kNone;
  if (Op::kInt32 && kQuantized) {
    QLITE_RETURN_IF_ERROR(
        CheckType(*input, {DType::kFloat32, DType::kInt32, DType::kInt8, DType::kInt16}, "input"));
  } else if (Op::kInt32) {
    QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32, DType::kInt32}, "input"));
  } else if (kQuantized) {
    QLITE_RETURN_IF_ERROR(
        CheckType(*input, {DType::kFloat32, DType::kInt8, DType::kInt16}, "input"));
  } else {
    QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32}, "input"));
  }
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "output"));
  if constexpr (kQuantized) {
    if (input->type == DType::kInt8 || input->type == DType::kInt16) {
      LutFunction table_fn = nullptr;
      if constexpr (Op::kQuantized == Quantized::kTable || Op::kQuantized == Quantized::kRsqrt) {
        table_fn = Op::Table;
      }
      QLITE_RETURN_IF_ERROR(
          PrepareQuantized(ctx, Op::kOpName, Op::kQuantized, table_fn, *input, *ctx.output(0)));
    }
  }
  return ctx.SetOutputShape(0, input->shape);
}

// One quantized value of a non-table op.
int32_t QuantizedValue(const UnaryQuantData& d, int32_t x) {
  if (d.kind == Quantized::kAbs) {
    const int32_t magnitude = std::abs(x - d.input_zero_point);
    return (d.needs_rescale ? MultiplyByQuantizedMultiplier(magnitude, d.multiplier, d.shift)
                            : magnitude) +
           d.output_zero_point;
  }
  if (d.kind == Quantized::kSqrt) {
    const float root = std::sqrt(d.input_scale * static_cast<float>(x - d.input_zero_point));
    // Truncation toward zero as TFLite; saturated below 2^31 first.
    return static_cast<int32_t>(std::min(root / d.output_scale, 2147483520.0f)) +
           d.output_zero_point;
  }
  // RSQRT int8: the input zero point (real 0) gives the maximum.
  const int32_t value = x - d.input_zero_point;
  if (value == 0) return std::numeric_limits<int32_t>::max();
  int32_t inv_sqrt = 0;
  int inv_sqrt_shift = 0;
  GetInvSqrtQuantizedMultiplierExp(value, -1, &inv_sqrt, &inv_sqrt_shift);
  const int32_t scaled = MultiplyByQuantizedMultiplier(1, inv_sqrt, inv_sqrt_shift + kRsqrtShift);
  return MultiplyByQuantizedMultiplier(scaled, d.multiplier, d.shift - kRsqrtShift) +
         d.output_zero_point;
}

template <typename T>
Status EvalQuantized(const UnaryQuantData& d, const T* in, T* out, int64_t size) {
  constexpr int32_t kMin = std::numeric_limits<T>::min(), kMax = std::numeric_limits<T>::max();
  for (int64_t i = 0; i < size; ++i) {
    const int32_t x = in[i];
    QLITE_ENSURE(!d.nonnegative_input || x >= d.input_zero_point, "quantized ", d.op_name,
                 " input ", x, " is below the zero point ", d.input_zero_point);
    if (d.kind == Quantized::kNone) {  // int16 ABS without quantization
      out[i] = static_cast<T>(x < 0 ? -x : x);
    } else if (d.kind != Quantized::kTable) {
      out[i] = static_cast<T>(std::min(std::max(QuantizedValue(d, x), kMin), kMax));
    } else if constexpr (sizeof(T) == 1) {
      out[i] = static_cast<T>(d.table8[static_cast<uint8_t>(x)]);
    } else {
      out[i] = LookupInt16Lut(static_cast<int16_t>(x), d.table16);
    }
  }
  return Status::Ok();
}

template <typename Op>
Status UnaryEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  const int64_t size = input.num_elements();
  if (input.type == DType::kFloat32) {
    const float* in = input.data_as<float>();
    float* out = output.data_as<float>();
    for (int64_t i = 0; i < size; ++i) out[i] = Op::Float(in[i]);
    return Status::Ok();
  }
  if constexpr (Op::kQuantized != Quantized::kNone) {
    // Op data exists for int8 / int16 nodes only.
    if (input.type == DType::kInt8) {
      return EvalQuantized(*ctx.op_data<UnaryQuantData>(), input.data_as<int8_t>(),
                           output.data_as<int8_t>(), size);
    }
    if (input.type == DType::kInt16) {
      return EvalQuantized(*ctx.op_data<UnaryQuantData>(), input.data_as<int16_t>(),
                           output.data_as<int16_t>(), size);
    }
  }
  if constexpr (Op::kInt32) {
    const int32_t* in = input.data_as<int32_t>();
    int32_t* out = output.data_as<int32_t>();
    for (int64_t i = 0; i < size; ++i) out[i] = Op::Int32(in[i]);
    return Status::Ok();
  }
  return Status::Error(StrCat("unsupported dtype ", DTypeName(input.type)));
}

template <typename Op>
const KernelRegistration* Registration() {
  static const KernelRegistration kRegistration = {Op::kName, UnaryPrepare<Op>, UnaryEval<Op>};
  return &kRegistration;
}

}  // namespace

namespace ref {
const KernelRegistration* Abs() { return Registration<AbsOp>(); }
const KernelRegistration* Neg() { return Registration<NegOp>(); }
const KernelRegistration* Square() { return Registration<SquareOp>(); }
const KernelRegistration* Sqrt() { return Registration<SqrtOp>(); }
const KernelRegistration* Rsqrt() { return Registration<RsqrtOp>(); }
const KernelRegistration* Exp() { return Registration<ExpOp>(); }
const KernelRegistration* Log() { return Registration<LogOp>(); }
const KernelRegistration* Sin() { return Registration<SinOp>(); }
const KernelRegistration* Cos() { return Registration<CosOp>(); }
const KernelRegistration* Ceil() { return Registration<CeilOp>(); }
const KernelRegistration* Floor() { return Registration<FloorOp>(); }
const KernelRegistration* Round() { return Registration<RoundOp>(); }
const KernelRegistration* Sign() { return Registration<SignOp>(); }
}  // namespace ref

// The ops whose TFLite options table exists (and is empty); the others have none.
extern const OptionsIO kAbsOptionsIO, kNegOptionsIO, kSquareOptionsIO, kExpOptionsIO, kCosOptionsIO,
    kSignOptionsIO;
const OptionsIO kAbsOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::AbsOptions);
const OptionsIO kNegOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::NegOptions);
const OptionsIO kSquareOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::SquareOptions);
const OptionsIO kExpOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::ExpOptions);
const OptionsIO kCosOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::CosOptions);
const OptionsIO kSignOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::SignOptions);

}  // namespace qlite
