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
#include <cmath>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// Two's-complement negation without signed overflow.
int32_t WrappingNegate(int32_t x) { return static_cast<int32_t>(0u - static_cast<uint32_t>(x)); }

struct AbsOp {
  static constexpr const char* kName = "abs_reference";
  static constexpr bool kInt32 = true;
  static float Float(float x) { return std::fabs(x); }
  static int32_t Int32(int32_t x) { return x < 0 ? WrappingNegate(x) : x; }
};

struct NegOp {
  static constexpr const char* kName = "neg_reference";
  static constexpr bool kInt32 = true;
  static float Float(float x) { return -x; }
  static int32_t Int32(int32_t x) { return WrappingNegate(x); }
};

struct SquareOp {
  static constexpr const char* kName = "square_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return x * x; }
};

struct SqrtOp {
  static constexpr const char* kName = "sqrt_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return std::sqrt(x); }
};

struct RsqrtOp {
  static constexpr const char* kName = "rsqrt_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return 1.0f / std::sqrt(x); }
};

struct ExpOp {
  static constexpr const char* kName = "exp_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return std::exp(x); }
};

struct LogOp {
  static constexpr const char* kName = "log_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return std::log(x); }
};

struct SinOp {
  static constexpr const char* kName = "sin_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return std::sin(x); }
};

struct CosOp {
  static constexpr const char* kName = "cos_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return std::cos(x); }
};

struct CeilOp {
  static constexpr const char* kName = "ceil_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return std::ceil(x); }
};

struct FloorOp {
  static constexpr const char* kName = "floor_reference";
  static constexpr bool kInt32 = false;
  static float Float(float x) { return std::floor(x); }
};

struct RoundOp {
  static constexpr const char* kName = "round_reference";
  static constexpr bool kInt32 = false;
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
  template <typename T>
  static T Of(T x) {
    return x > 0 ? T{1} : (x < 0 ? T{-1} : T{0});
  }
  static float Float(float x) { return Of(x); }
  static int32_t Int32(int32_t x) { return Of(x); }
};

template <typename Op>
Status UnaryPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  if (Op::kInt32) {
    QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32, DType::kInt32}, "input"));
  } else {
    QLITE_RETURN_IF_ERROR(CheckType(*input, {DType::kFloat32}, "input"));
  }
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "output"));
  return ctx.SetOutputShape(0, input->shape);
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
