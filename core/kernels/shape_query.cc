// SHAPE writes its input's shape (int32 or int64, by out_type), RANK its
// rank (an int32 scalar): both read only the shape, never the data. RANGE
// counts from `start` towards `limit` (exclusive) by `delta` (scalar inputs
// of one dtype: float32, int32 or int64), as TFLite's kernel: floats are
// accumulated one add per element. Its length depends on the input values:
// with constant inputs the node is folded at prepare, else its output is
// dynamic and sized in eval.
#include "core/kernels/shape_query.h"

#include <cmath>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// SHAPE and RANK share one kernel: RANK writes an int32 scalar, SHAPE one
// int32 or int64 (its out_type) per input dimension.
QLITE_PREPARE_TIME Status ShapeOrRankPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  const Tensor& output = *ctx.output(0);
  if (ctx.op().op == BuiltinOp::kRank) {
    QLITE_RETURN_IF_ERROR(CheckType(output, {DType::kInt32}, "output"));
    return ctx.SetOutputShape(0, {});
  }
  QLITE_RETURN_IF_ERROR(CheckType(output, {DType::kInt32, DType::kInt64}, "output"));
  QLITE_ENSURE(ctx.options<ShapeOptions>().out_type == static_cast<uint8_t>(output.type),
               "out_type differs from the output dtype");
  return ctx.SetOutputShape(0, {input->rank()});
}

// The shape is known at prepare, but only constant inputs are folded; an
// eval that copies a few dims costs next to nothing.
Status ShapeOrRankEval(OpContext& ctx) {
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  if (ctx.op().op == BuiltinOp::kRank) {
    output.data_as<int32_t>()[0] = input.rank();
    return Status::Ok();
  }
  for (int d = 0; d < input.rank(); ++d) {
    if (output.type == DType::kInt32) {
      output.data_as<int32_t>()[d] = input.dim(d);
    } else {
      output.data_as<int64_t>()[d] = input.dim(d);
    }
  }
  return Status::Ok();
}

int64_t IntegerAt(const Tensor& t) {
  return t.type == DType::kInt32 ? t.data_as<int32_t>()[0] : t.data_as<int64_t>()[0];
}

// TFLite's element count: ceil(|limit - start| / |delta|), in float for
// float32 (one float division), exactly for integers (unsigned here, where
// TFLite's int32 arithmetic could overflow).
QLITE_PREPARE_TIME Status RangeLength(const Tensor& start, const Tensor& limit, const Tensor& delta,
                                      int32_t* length) {
  double count = 0;
  bool valid = false;
  if (start.type == DType::kFloat32) {
    const float s = *start.data_as<float>(), l = *limit.data_as<float>();
    const float d = *delta.data_as<float>();
    valid = (s >= l && d < 0) || (s <= l && d > 0);
    if (valid) count = std::ceil(std::fabs((l - s) / d));
  } else {
    const int64_t s = IntegerAt(start), l = IntegerAt(limit), d = IntegerAt(delta);
    valid = (s >= l && d < 0) || (s <= l && d > 0);
    const uint64_t distance = l >= s ? uint64_t(l) - uint64_t(s) : uint64_t(s) - uint64_t(l);
    const uint64_t step = d > 0 ? uint64_t(d) : 0 - uint64_t(d);
    if (valid) count = static_cast<double>(distance / step + (distance % step != 0));
  }
  QLITE_ENSURE(valid, "RANGE delta is zero or points away from limit");
  QLITE_ENSURE(count < 2147483648.0, "RANGE output is too long");
  *length = static_cast<int32_t>(count);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status RangePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  const Tensor* in[3] = {};
  bool known = true;
  for (int i = 0; i < 3; ++i) {
    QLITE_RETURN_IF_ERROR(RequireInput(ctx, i, &in[i]));
    QLITE_ENSURE(in[i]->rank() == 0 && in[i]->type == in[0]->type,
                 "start, limit and delta must be scalars of one dtype");
    known = known && in[i]->is_constant();
  }
  QLITE_RETURN_IF_ERROR(
      CheckType(*in[0], {DType::kFloat32, DType::kInt32, DType::kInt64}, "start"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {in[0]->type}, "output"));
  if (!known) return ctx.MarkOutputDynamic(0);
  int32_t length = 0;
  QLITE_RETURN_IF_ERROR(RangeLength(*in[0], *in[1], *in[2], &length));
  return ctx.SetOutputShape(0, {length});
}

Status RangeEval(OpContext& ctx) {
  const Tensor& start = *ctx.input(0);
  const Tensor& delta = *ctx.input(2);
  Tensor& output = *ctx.output(0);
  if (output.is_dynamic()) {
    int32_t count = 0;
    QLITE_RETURN_IF_ERROR(RangeLength(start, *ctx.input(1), delta, &count));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, {count}));
  }
  const int32_t length = output.dim(0);
  if (output.type == DType::kFloat32) {
    float value = *start.data_as<float>();
    for (int32_t i = 0; i < length; ++i, value += *delta.data_as<float>()) {
      output.data_as<float>()[i] = value;
    }
    return Status::Ok();
  }
  // Every value lies between start and limit; unsigned arithmetic only keeps
  // the compiler from assuming the products cannot wrap.
  const uint64_t s = uint64_t(IntegerAt(start)), d = uint64_t(IntegerAt(delta));
  for (int32_t i = 0; i < length; ++i) {
    const uint64_t value = s + uint64_t(i) * d;
    if (output.type == DType::kInt32) {
      output.data_as<int32_t>()[i] = static_cast<int32_t>(value);
    } else {
      output.data_as<int64_t>()[i] = static_cast<int64_t>(value);
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Shape() {
  static const KernelRegistration kRegistration = {"shape_reference", ShapeOrRankPrepare,
                                                   ShapeOrRankEval};
  return &kRegistration;
}
const KernelRegistration* Rank() {
  static const KernelRegistration kRegistration = {"rank_reference", ShapeOrRankPrepare,
                                                   ShapeOrRankEval};
  return &kRegistration;
}
const KernelRegistration* Range() {
  static const KernelRegistration kRegistration = {"range_reference", RangePrepare, RangeEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kShapeFields[] = {
    {"out_type", 0, FieldType::kUInt8, offsetof(ShapeOptions, out_type)},
};
extern const OptionsIO kShapeOptionsIO, kRankOptionsIO, kRangeOptionsIO;
const OptionsIO kShapeOptionsIO =
    OptionsIOFor<ShapeOptions>(tfl::BuiltinOptions::ShapeOptions, kShapeFields);
const OptionsIO kRankOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::RankOptions);
const OptionsIO kRangeOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::RangeOptions);

}  // namespace qlite
