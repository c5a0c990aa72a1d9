// EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER and GREATER_EQUAL with numpy
// broadcasting (ranks up to 6); the output is bool. The dtypes are those of
// TFLite's comparisons kernel (as LiteRT.js 2.5.3 runs it):
//   float32, int32, int64, int8, uint8  every comparison;
//   bool                                EQUAL and NOT_EQUAL;
//   int16                               LESS, LESS_EQUAL, GREATER, GREATER_EQUAL
//                                       compare raw values, quantized or not;
//                                       EQUAL compares raw values, or rescaled
//                                       ones (below) when input1 is quantized;
//                                       NOT_EQUAL takes quantized int16 only
//                                       (TFLite leaves the output unwritten
//                                       otherwise) and rescales.
// Float comparisons follow IEEE 754: a NaN operand makes every comparison but
// NOT_EQUAL false, and -0 == +0.
//
// Rescaled inputs (int8, uint8, quantized int16 above) may carry different
// quantization. TFLite brings both to a common scale before comparing, with
// its own rounding: each value v becomes
//   MultiplyByQuantizedMultiplierSmallerThanOneExp((v - zero_point) * 2^8, M, s)
// where (M, s) = QuantizeMultiplier(scale), i.e. round((v - zp) * 256 * scale)
// in TFLite's fixed point. Two different real values can round to one integer
// (an EQUAL of unequal values is true when 256 * scale is small), so qlite
// computes exactly this rather than the real comparison. TFLite has no defined
// result for a scale >= 1 there (it aborts at 1, shifts by a negative amount
// above), so qlite rejects such models.
//
// LOGICAL_AND, LOGICAL_OR (broadcasting) and LOGICAL_NOT take bool only, as
// TFLite's kernels; a bool byte other than 0 reads as true (so does it for
// bool EQUAL / NOT_EQUAL), and every output is 0 or 1.
//
// One prepare and one eval serve all nine ops: a comparison is the set of
// outcomes (less, equal, greater, unordered) for which it is true, a bool op
// its truth table, and prepare picks the row function of the dtype.
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/broadcast.h"
#include "core/kernels/kernel_util.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

enum Outcome : uint8_t { kLess = 1, kEqual = 2, kGreater = 4, kUnordered = 8 };

// How an op takes int16 inputs.
enum Int16 : uint8_t { kRawInt16, kRescaledWhenQuantized, kQuantizedInt16Only };

struct ComparisonOp {
  BuiltinOp op;
  uint8_t true_outcomes;  // 0: bool inputs only
  // Bool inputs: bit 2 * x + y is the result for x, y in {0, 1} (0: none).
  // LOGICAL_NOT reads its input as both x and y.
  uint8_t bool_table;
  Int16 int16;
};

constexpr ComparisonOp kOps[] = {
    {BuiltinOp::kEqual, kEqual, 0b1001, kRescaledWhenQuantized},
    {BuiltinOp::kNotEqual, kLess | kGreater | kUnordered, 0b0110, kQuantizedInt16Only},
    {BuiltinOp::kLess, kLess, 0, kRawInt16},
    {BuiltinOp::kLessEqual, kLess | kEqual, 0, kRawInt16},
    {BuiltinOp::kGreater, kGreater, 0, kRawInt16},
    {BuiltinOp::kGreaterEqual, kGreater | kEqual, 0, kRawInt16},
    {BuiltinOp::kLogicalAnd, 0, 0b1000, kRawInt16},
    {BuiltinOp::kLogicalOr, 0, 0b1110, kRawInt16},
    {BuiltinOp::kLogicalNot, 0, 0b0001, kRawInt16},
};

struct ComparisonData : RowWalkData {
  uint8_t mask = 0;  // true_outcomes, or bool_table for bool inputs
  // Rescaled inputs: TFLite's parameters for each (offset = -zero_point).
  // uint8 is read as int8 with its top bit flipped (v - 128), and its offset
  // raised by 128 to match.
  int32_t offset[2] = {}, multiplier[2] = {};
  int shift[2] = {};
  int32_t flip = 0;

  template <typename T>
  int32_t Rescale(T raw, int i) const {
    const T v = static_cast<T>(raw ^ flip);
    return MultiplyByQuantizedMultiplierSmallerThanOneExp((offset[i] + v) * (1 << 8), multiplier[i],
                                                          shift[i]);
  }
};

const ComparisonData& DataOf(const void* op) {
  return *static_cast<const ComparisonData*>(static_cast<const RowWalkData*>(op));
}

// Which outcome comparing x with y gives (kUnordered when either is NaN).
template <typename K>
uint8_t Compare(K x, K y) {
  return x < y ? kLess : (x == y ? kEqual : (x > y ? kGreater : kUnordered));
}

template <typename T, bool kRescale>
void CompareRow(const void* op, const uint8_t* const* rows, const int64_t* steps, int64_t count,
                uint8_t* out) {
  const ComparisonData& d = DataOf(op);
  const T* a = reinterpret_cast<const T*>(rows[0]);
  const T* b = reinterpret_cast<const T*>(rows[1]);
  for (int64_t i = 0; i < count; ++i) {
    const T x = a[i * steps[0]], y = b[i * steps[1]];
    uint8_t outcome;
    if constexpr (kRescale) {
      outcome = Compare(d.Rescale(x, 0), d.Rescale(y, 1));
    } else {
      outcome = Compare(x, y);
    }
    out[i] = (outcome & d.mask) != 0;
  }
}

void BoolRow(const void* op, const uint8_t* const* rows, const int64_t* steps, int64_t count,
             uint8_t* out) {
  const uint8_t table = DataOf(op).mask;
  for (int64_t i = 0; i < count; ++i) {
    const int bit = 2 * (rows[0][i * steps[0]] != 0) + (rows[1][i * steps[1]] != 0);
    out[i] = (table >> bit) & 1;
  }
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  const ComparisonOp* op = kOps;
  while (op->op != ctx.op().op) ++op;
  const int num_inputs = op->op == BuiltinOp::kLogicalNot ? 1 : 2;
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, num_inputs, num_inputs, 1));
  const Tensor *in1 = nullptr, *in2 = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &in1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, num_inputs - 1, &in2));
  QLITE_ENSURE(in2->type == in1->type && ctx.output(0)->type == DType::kBool,
               "the inputs must have one dtype and the output must be bool");
  auto* data = ctx.NewOpData<ComparisonData>();
  data->mask = op->true_outcomes;
  bool rescale = false;
  switch (op->true_outcomes == 0 ? DType::kBool : in1->type) {
    case DType::kFloat32: data->row = CompareRow<float, false>; break;
    case DType::kInt32: data->row = CompareRow<int32_t, false>; break;
    case DType::kInt64: data->row = CompareRow<int64_t, false>; break;
    case DType::kUInt8: data->flip = 0x80; [[fallthrough]];
    case DType::kInt8:
      data->row = CompareRow<int8_t, true>;
      rescale = true;
      break;
    case DType::kBool:
      if (op->bool_table != 0 && in1->type == DType::kBool) data->row = BoolRow;
      data->mask = op->bool_table;
      break;
    case DType::kInt16:
      // Raw int16 values compare as rescaled ones with offset 0 and the
      // multiplier 1/2 (v -> 128 v, exact): one row function for both.
      rescale = op->int16 != kRawInt16 && in1->has_quant();
      if (rescale || op->int16 != kQuantizedInt16Only) data->row = CompareRow<int16_t, true>;
      data->multiplier[0] = data->multiplier[1] = 1 << 30;
      break;
    default: break;
  }
  QLITE_ENSURE(data->row != nullptr, "TFLite's kernel for this op does not take ",
               DTypeName(in1->type),
               " inputs (bool: EQUAL, NOT_EQUAL and the logical ops only; int16 NOT_EQUAL: "
               "quantized only)");
  data->element_bytes[0] = data->element_bytes[1] = DTypeSize(in1->type);
  for (int i = 0; rescale && i < 2; ++i) {
    const Tensor& t = i == 0 ? *in1 : *in2;
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(t, "input"));
    QuantizeMultiplier(t.scale(), &data->multiplier[i], &data->shift[i]);
    QLITE_ENSURE(data->shift[i] <= 0, "input tensor '", t.name(),
                 "' has a scale of 1 or more, which TFLite's quantized comparison cannot take");
    data->offset[i] = data->flip - t.zero_point();
  }
  BroadcastShape broadcast;
  Shape out_shape;
  QLITE_RETURN_IF_ERROR(
      ComputeBroadcastShape(in1->shape, in2->shape, "comparison", &broadcast, &out_shape));
  data->walk = RowWalkOf(broadcast);
  return ctx.SetOutputShape(0, std::move(out_shape));
}

}  // namespace

namespace ref {
#define QLITE_COMPARISON_KERNEL(Name, name)                                                    \
  const KernelRegistration* Name() {                                                           \
    static const KernelRegistration kRegistration = {name "_reference", Prepare, EvalRowWalk}; \
    return &kRegistration;                                                                     \
  }
QLITE_COMPARISON_KERNEL(Equal, "equal")
QLITE_COMPARISON_KERNEL(NotEqual, "not_equal")
QLITE_COMPARISON_KERNEL(Less, "less")
QLITE_COMPARISON_KERNEL(LessEqual, "less_equal")
QLITE_COMPARISON_KERNEL(Greater, "greater")
QLITE_COMPARISON_KERNEL(GreaterEqual, "greater_equal")
QLITE_COMPARISON_KERNEL(LogicalAnd, "logical_and")
QLITE_COMPARISON_KERNEL(LogicalOr, "logical_or")
QLITE_COMPARISON_KERNEL(LogicalNot, "logical_not")
#undef QLITE_COMPARISON_KERNEL
}  // namespace ref

extern const OptionsIO kEqualOptionsIO, kNotEqualOptionsIO, kLessOptionsIO, kLessEqualOptionsIO,
    kGreaterOptionsIO, kGreaterEqualOptionsIO, kLogicalAndOptionsIO, kLogicalOrOptionsIO,
    kLogicalNotOptionsIO;
const OptionsIO kEqualOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::EqualOptions);
const OptionsIO kNotEqualOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::NotEqualOptions);
const OptionsIO kLessOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::LessOptions);
const OptionsIO kLessEqualOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::LessEqualOptions);
const OptionsIO kGreaterOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::GreaterOptions);
const OptionsIO kGreaterEqualOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::GreaterEqualOptions);
const OptionsIO kLogicalAndOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::LogicalAndOptions);
const OptionsIO kLogicalOrOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::LogicalOrOptions);
const OptionsIO kLogicalNotOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::LogicalNotOptions);

}  // namespace qlite
