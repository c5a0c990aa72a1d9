// DIV, FLOOR_DIV, FLOOR_MOD, POW and SQUARED_DIFFERENCE with numpy
// broadcasting (ranks up to 6), with the results of TFLite's builtin kernels.
// One prepare and one broadcast eval serve all five; each op is a small
// struct with its dtypes and its per-element math.
//   DIV             float32: a / b clamped to the fused activation range
//                   (x / 0 = +-inf becomes +-FLT_MAX without an activation,
//                   as TFLite clamps; NaN stays NaN).
//                   int32: truncating division, then the activation clamp; a
//                   zero divisor is an error; INT32_MIN / -1 wraps to
//                   INT32_MIN.
//                   uint8: TFLite's fixed-point reciprocal quotient; a divisor
//                   equal to its zero point (real 0) is an error.
//   FLOOR_DIV       floor(a / b) in double, as TFLite; integers are exact.
//                   Any zero divisor (float 0 too) is an error, as TFLite.
//   FLOOR_MOD       truncated remainder moved to the divisor's sign; a zero
//                   integer divisor is an error; float x mod 0 is NaN.
//   POW             float32: powf. int32: exact for results in int32 range,
//                   INT32_MIN beyond it (the value TFLite's double -> int32
//                   conversion gives on x86); a negative exponent is an error.
//   SQUARED_DIFFERENCE  float32 / int32: (a - b)^2, int32 wrapping. int8:
//                   TFLite's kernel — inputs shifted left by 7, rescaled to
//                   2 * max(s1, s2), the squared difference requantized.
// FLOOR_DIV (int8 / int16) and FLOOR_MOD (int8 / int16) work on raw integer
// values, as TFLite's kernels do (they read no quantization parameters).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/fixed_point.h"
#include "core/format/options_io.h"
#include "core/kernels/broadcast.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

// What eval checks in input2 before computing, as TFLite does at eval.
enum class Input2Check : uint8_t { kNone, kNonZero, kNonNegative };

// The walk's row function is the op's math for the node's dtype.
struct BinaryMathData : RowWalkData {
  const char* op = "";  // the op's name, for errors
  Input2Check check = Input2Check::kNone;
  int32_t zero = 0;                    // the raw value of a zero divisor (uint8: the zero point)
  float float_min = 0, float_max = 0;  // DIV float32 activation range
  int32_t act_min = 0, act_max = 0;    // DIV int32 / uint8, SQUARED_DIFFERENCE int8
  int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
  int32_t input1_multiplier = 0, input2_multiplier = 0, output_multiplier = 0;
  int input1_shift = 0, input2_shift = 0, output_shift = 0;
};

// Bit set of dtypes an op accepts.
constexpr uint32_t Bit(DType t) { return uint32_t{1} << static_cast<int>(t); }
constexpr uint32_t kF32 = Bit(DType::kFloat32), kI32 = Bit(DType::kInt32), kU8 = Bit(DType::kUInt8),
                   kI8 = Bit(DType::kInt8), kI16 = Bit(DType::kInt16), kI64 = Bit(DType::kInt64);

// Narrows a wider integer result to T with two's-complement wrap-around.
template <typename T>
T Wrap(int64_t x) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<uint64_t>(x)));
}

// TFLite's CountLeadingSignBits for int32 (31 for 0 and -1).
int CountLeadingSignBits(int32_t x) {
  return fixed_point::CountLeadingZeros(static_cast<uint32_t>(x < 0 ? ~x : x)) - 1;
}

// gemmlowp's RoundingDivideByPOT as TFLite's uint8 DIV runs it, including
// exponents outside [0, 31]: the mask is built with a 64-bit shift and the
// value shifted with a 32-bit one, whose counts x86 and wasm both reduce mod
// 64 and mod 32. For exponents in [0, 31] it is the plain rounding shift.
int32_t RoundingDivideByPOTAnyExponent(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>(
      static_cast<uint32_t>((uint64_t{1} << (static_cast<unsigned>(exponent) & 63u)) - 1));
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> (static_cast<unsigned>(exponent) & 31u)) + (remainder > threshold ? 1 : 0);
}

struct DivOp {
  static constexpr const char* kName = "DIV";
  static constexpr uint32_t kTypes = kF32 | kI32 | kU8;
  static float Apply(const BinaryMathData& d, float a, float b) {
    return std::min(std::max(a / b, d.float_min), d.float_max);
  }
  static int32_t Apply(const BinaryMathData& d, int32_t a, int32_t b) {
    // b != 0 was checked; INT32_MIN / -1 overflows, negate with wrap-around.
    const int32_t q = b == -1 ? Wrap<int32_t>(-int64_t{a}) : a / b;
    return std::min(std::max(q, d.act_min), d.act_max);
  }
  static uint8_t Apply(const BinaryMathData& d, uint8_t a, uint8_t b) {
    int32_t x = d.input1_offset + a;
    int32_t y = d.input2_offset + b;  // != 0, checked
    if (y < 0) {                      // the reciprocal needs a positive divisor
      x = -x;
      y = -y;
    }
    int reciprocal_shift = 0;
    const int32_t reciprocal = fixed_point::GetReciprocal(y, 31, &reciprocal_shift);
    const int headroom = CountLeadingSignBits(x);
    const int32_t unscaled = MultiplyByQuantizedMultiplierGreaterThanOne(x, reciprocal, headroom);
    const int total_shift = d.output_shift - reciprocal_shift - headroom;
    const int32_t result =
        d.output_offset +
        RoundingDivideByPOTAnyExponent(
            SaturatingRoundingDoublingHighMul(unscaled, d.output_multiplier), -total_shift);
    return static_cast<uint8_t>(std::min(std::max(result, d.act_min), d.act_max));
  }
};

struct FloorDivOp {
  static constexpr const char* kName = "FLOOR_DIV";
  static constexpr uint32_t kTypes = kF32 | kI32 | kI16 | kI8;
  static float Apply(const BinaryMathData&, float a, float b) {
    return static_cast<float>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
  }
  template <typename T>
  static T Apply(const BinaryMathData&, T a, T b) {
    // In int64: INT32_MIN / -1 is 2^31, which wraps to INT32_MIN.
    const int64_t x = a, y = b;
    const int64_t q = x / y;
    return Wrap<T>(q * y != x && (x < 0) != (y < 0) ? q - 1 : q);
  }
};

struct FloorModOp {
  static constexpr const char* kName = "FLOOR_MOD";
  static constexpr uint32_t kTypes = kF32 | kI32 | kI64 | kI16 | kI8;
  template <typename T>
  static T Apply(const BinaryMathData&, T a, T b) {
    T r;
    if constexpr (std::is_same_v<T, float>) {
      r = std::fmod(a, b);
    } else {
      r = b == -1 ? T{0} : static_cast<T>(a % b);  // INT_MIN % -1 would trap
    }
    return r != 0 && (b < 0) != (r < 0) ? static_cast<T>(r + b) : r;
  }
};

struct PowOp {
  static constexpr const char* kName = "POW";
  static constexpr uint32_t kTypes = kF32 | kI32;
  static float Apply(const BinaryMathData&, float a, float b) { return std::pow(a, b); }
  static int32_t Apply(const BinaryMathData&, int32_t base, int32_t exponent) {
    // Square-and-multiply in int64; |factor|, |result| <= 2^31 keep the
    // products below 2^62. exponent >= 0 was checked.
    constexpr int64_t kLimit = int64_t{1} << 31;
    int64_t result = 1, factor = base;
    for (uint32_t e = static_cast<uint32_t>(exponent); e != 0; e >>= 1) {
      if (e & 1u) {
        result *= factor;
        if (result >= kLimit || result < -kLimit) return std::numeric_limits<int32_t>::min();
      }
      if (e > 1) {
        factor *= factor;
        if (factor > kLimit) return std::numeric_limits<int32_t>::min();  // result != 0
      }
    }
    return static_cast<int32_t>(result);
  }
};

struct SquaredDifferenceOp {
  static constexpr const char* kName = "SQUARED_DIFFERENCE";
  static constexpr uint32_t kTypes = kF32 | kI32 | kI8;
  static float Apply(const BinaryMathData&, float a, float b) { return (a - b) * (a - b); }
  static int32_t Apply(const BinaryMathData&, int32_t a, int32_t b) {
    const uint32_t diff = static_cast<uint32_t>(a) - static_cast<uint32_t>(b);
    return static_cast<int32_t>(diff * diff);
  }
  static int8_t Apply(const BinaryMathData& d, int8_t a, int8_t b) {
    const int32_t x = MultiplyByQuantizedMultiplierSmallerThanOneExp(
        (d.input1_offset + a) * (1 << 7), d.input1_multiplier, d.input1_shift);
    const int32_t y = MultiplyByQuantizedMultiplierSmallerThanOneExp(
        (d.input2_offset + b) * (1 << 7), d.input2_multiplier, d.input2_shift);
    // |x - y| < 2^15: the square fits int32.
    const int32_t raw = MultiplyByQuantizedMultiplierSmallerThanOneExp(
                            (x - y) * (x - y), d.output_multiplier, d.output_shift) +
                        d.output_offset;
    return static_cast<int8_t>(std::min(std::max(raw, d.act_min), d.act_max));
  }
};

// A real multiplier in (0, 1) as (Q0.31, shift <= 0).
QLITE_PREPARE_TIME Status QuantizeBelowOne(double real, const char* what, int32_t* multiplier,
                                           int* shift) {
  QLITE_ENSURE(real > 0.0 && real < 1.0, "SQUARED_DIFFERENCE: ", what, " multiplier ", real,
               " must be in (0, 1)");
  return QuantizeMultiplierChecked(real, multiplier, shift, /*max_left_shift=*/0);
}

// Quantization parameters, with TFLite's float/double evaluation order.
QLITE_PREPARE_TIME Status PrepareQuantized(const Tensor& in1, const Tensor& in2, const Tensor& out,
                                           bool div, Activation activation, BinaryMathData* d) {
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(in1, "input1"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(in2, "input2"));
  QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(out, "output"));
  d->input1_offset = -in1.zero_point();
  d->input2_offset = -in2.zero_point();
  d->output_offset = out.zero_point();
  if (div) {
    const double real = in1.scale() / (in2.scale() * out.scale());
    QLITE_RETURN_IF_ERROR(QuantizeMultiplierChecked(real, &d->output_multiplier, &d->output_shift));
    return ActivationRangeQuantized(activation, out, &d->act_min, &d->act_max);
  }
  const double twice_max_input_scale = 2 * std::max(in1.scale(), in2.scale());
  QLITE_RETURN_IF_ERROR(QuantizeBelowOne(in1.scale() / twice_max_input_scale, "input1",
                                         &d->input1_multiplier, &d->input1_shift));
  QLITE_RETURN_IF_ERROR(QuantizeBelowOne(in2.scale() / twice_max_input_scale, "input2",
                                         &d->input2_multiplier, &d->input2_shift));
  QLITE_RETURN_IF_ERROR(
      QuantizeBelowOne(twice_max_input_scale * twice_max_input_scale / ((1 << 14) * out.scale()),
                       "output", &d->output_multiplier, &d->output_shift));
  return ActivationRangeQuantized(Activation::kNone, out, &d->act_min, &d->act_max);
}

// One row of the broadcast walk: out[i] = Op(rows[0][i * steps[0]], rows[1][i * steps[1]]).
template <typename Op, typename T>
void Row(const void* op, const uint8_t* const* rows, const int64_t* steps, int64_t count,
         uint8_t* out) {
  const auto& d = *static_cast<const BinaryMathData*>(static_cast<const RowWalkData*>(op));
  const T* a = reinterpret_cast<const T*>(rows[0]);
  const T* b = reinterpret_cast<const T*>(rows[1]);
  T* o = reinterpret_cast<T*>(out);
  for (int64_t i = 0; i < count; ++i)
    o[i] = static_cast<T>(Op::Apply(d, a[i * steps[0]], b[i * steps[1]]));
}

// The op's row function for `type`, nullptr for a dtype it does not take.
template <typename Op>
RowFn RowFor(DType type) {
  switch (type) {
    case DType::kFloat32: return Row<Op, float>;
    case DType::kInt32: return Row<Op, int32_t>;
    case DType::kUInt8:
      if constexpr ((Op::kTypes & kU8) != 0) return Row<Op, uint8_t>;
      break;
    case DType::kInt8:
      if constexpr ((Op::kTypes & kI8) != 0) return Row<Op, int8_t>;
      break;
    case DType::kInt16:
      if constexpr ((Op::kTypes & kI16) != 0) return Row<Op, int16_t>;
      break;
    case DType::kInt64:
      if constexpr ((Op::kTypes & kI64) != 0) return Row<Op, int64_t>;
      break;
    default: break;
  }
  return nullptr;
}

// The prepare of all five ops; `op` names the op in errors.
QLITE_PREPARE_TIME Status PrepareBinaryMath(OpContext& ctx, const char* op,
                                            RowFn (*row_for)(DType)) {
  const Tensor *in1 = nullptr, *in2 = nullptr, *out = nullptr;
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &in1));
  const RowFn row = row_for(in1->type);
  QLITE_ENSURE(row != nullptr, op, ": unsupported dtype ", DTypeName(in1->type), " of input1 '",
               in1->name(), "'");
  QLITE_RETURN_IF_ERROR(PrepareBinaryOperands(ctx, {in1->type}, &in1, &in2, &out));
  auto* d = ctx.NewOpData<BinaryMathData>();
  d->op = op;
  d->row = row;
  Shape out_shape;
  BroadcastShape broadcast;
  QLITE_RETURN_IF_ERROR(ComputeBroadcastShape(in1->shape, in2->shape, op, &broadcast, &out_shape));
  d->walk = RowWalkOf(broadcast);
  d->element_bytes[0] = d->element_bytes[1] = d->out_bytes = DTypeSize(in1->type);
  const BuiltinOp code = ctx.op().op;
  const DType type = in1->type;
  const bool integer = type != DType::kFloat32;
  // Zero divisors: every FLOOR_DIV, integer DIV and FLOOR_MOD. POW: negative
  // int32 exponents.
  if (code == BuiltinOp::kFloorDiv ||
      (integer && (code == BuiltinOp::kDiv || code == BuiltinOp::kFloorMod))) {
    d->check = Input2Check::kNonZero;
  } else if (integer && code == BuiltinOp::kPow) {
    d->check = Input2Check::kNonNegative;
  }
  const Activation activation =
      code == BuiltinOp::kDiv ? ctx.options<ElementwiseOptions>().activation : Activation::kNone;
  if (type == DType::kFloat32) {
    QLITE_RETURN_IF_ERROR(ActivationRangeFloat(activation, &d->float_min, &d->float_max));
  } else if (type == DType::kInt32) {
    float lo = 0, hi = 0;
    QLITE_RETURN_IF_ERROR(ActivationRangeFloat(activation, &lo, &hi));
    d->act_min = lo == std::numeric_limits<float>::lowest() ? std::numeric_limits<int32_t>::min()
                                                            : static_cast<int32_t>(lo);
    d->act_max = hi == std::numeric_limits<float>::max() ? std::numeric_limits<int32_t>::max()
                                                         : static_cast<int32_t>(hi);
  } else if (type == DType::kUInt8 ||
             (type == DType::kInt8 && code == BuiltinOp::kSquaredDifference)) {
    QLITE_RETURN_IF_ERROR(
        PrepareQuantized(*in1, *in2, *out, code == BuiltinOp::kDiv, activation, d));
    d->zero = in2->zero_point();
  }
  return ctx.SetOutputShape(0, std::move(out_shape));
}

template <typename Op>
QLITE_PREPARE_TIME Status BinaryMathPrepare(OpContext& ctx) {
  return PrepareBinaryMath(ctx, Op::kName, RowFor<Op>);
}

// Element i of an input2 as a double: exact for the zero and sign tests
// below (a nonzero int64 never rounds to 0).
double ValueAt(const Tensor& t, int64_t i) {
  switch (t.type) {
    case DType::kFloat32: return t.data_as<float>()[i];
    case DType::kInt32: return t.data_as<int32_t>()[i];
    case DType::kUInt8: return t.data_as<uint8_t>()[i];
    case DType::kInt8: return t.data_as<int8_t>()[i];
    case DType::kInt16: return t.data_as<int16_t>()[i];
    default: return static_cast<double>(t.data_as<int64_t>()[i]);  // int64
  }
}

Status BinaryMathEval(OpContext& ctx) {
  const Tensor& in2 = *ctx.input(1);
  const auto& d = *ctx.op_data<BinaryMathData>();
  if (d.check != Input2Check::kNone) {
    const bool negative = d.check == Input2Check::kNonNegative;
    for (int64_t i = 0, n = in2.num_elements(); i < n; ++i) {
      const double v = ValueAt(in2, i);
      QLITE_ENSURE(negative ? v >= 0 : v != d.zero, d.op, ": ",
                   negative ? "negative int32 exponent" : "division by zero", " in '", in2.name(),
                   "'");
    }
  }
  return EvalRowWalk(ctx);
}

template <typename Op>
const KernelRegistration* Registration(const char* name) {
  static const KernelRegistration kRegistration = {name, BinaryMathPrepare<Op>, BinaryMathEval};
  return &kRegistration;
}

}  // namespace

namespace ref {
const KernelRegistration* Div() { return Registration<DivOp>("div_reference"); }
const KernelRegistration* FloorDiv() { return Registration<FloorDivOp>("floor_div_reference"); }
const KernelRegistration* FloorMod() { return Registration<FloorModOp>("floor_mod_reference"); }
const KernelRegistration* Pow() { return Registration<PowOp>("pow_reference"); }
const KernelRegistration* SquaredDifference() {
  return Registration<SquaredDifferenceOp>("squared_difference_reference");
}
}  // namespace ref

constexpr OptionsField kDivFields[] = {
    {"fused_activation_function", 0, FieldType::kActivation,
     offsetof(ElementwiseOptions, activation)},
};
extern const OptionsIO kDivOptionsIO, kFloorDivOptionsIO, kFloorModOptionsIO, kPowOptionsIO,
    kSquaredDifferenceOptionsIO;
const OptionsIO kDivOptionsIO =
    OptionsIOFor<ElementwiseOptions>(tfl::BuiltinOptions::DivOptions, kDivFields);
const OptionsIO kFloorDivOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::FloorDivOptions);
const OptionsIO kFloorModOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::FloorModOptions);
const OptionsIO kPowOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::PowOptions);
const OptionsIO kSquaredDifferenceOptionsIO =
    EmptyOptionsIO(tfl::BuiltinOptions::SquaredDifferenceOptions);

}  // namespace qlite
