// SPLIT cuts its input (input 1; input 0 is the axis) along `axis` into
// num_splits equal parts; SPLIT_V (input, size_splits, axis) into parts of
// the given sizes, one of which may be -1 (the rest). The axis is an int32
// holding one value in [-rank, rank). When the axis or size_splits is
// computed at run time, every output is dynamic and sized in eval (TFLite's
// rule). As in TFLite's kernels: SPLIT moves float32, int8, uint8, int16 and
// int32, SPLIT_V those and int64; quantized outputs must carry the input's
// scale and zero point.
#include "core/kernels/split.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// The input seen as [outer, axis size, inner]: output i takes
// part_bytes[i] bytes of every outer row.
struct SplitData : OpData {
  int64_t outer = 1;
  std::vector<size_t> part_bytes;
};

QLITE_PREPARE_TIME Status ReadAxis(const Tensor& axis_tensor, const Tensor& input, int* axis) {
  std::vector<int32_t> values;
  QLITE_RETURN_IF_ERROR(ReadInt32s(axis_tensor, "axis", &values));
  QLITE_ENSURE(values.size() == 1, "axis tensor '", axis_tensor.name(),
               "' must hold one value, has shape ", ShapeToString(axis_tensor.shape));
  const int rank = input.rank();
  QLITE_ENSURE(values[0] >= -rank && values[0] < rank, "axis ", values[0],
               " is out of range for input '", input.name(), "' of rank ", rank);
  *axis = values[0] < 0 ? values[0] + rank : values[0];
  return Status::Ok();
}

// SPLIT: num_outputs equal parts of dimension `axis`.
QLITE_PREPARE_TIME Status SplitSizes(OpContext& ctx, const Tensor& input, int* axis,
                                     std::vector<int32_t>* sizes) {
  QLITE_RETURN_IF_ERROR(ReadAxis(*ctx.input(0), input, axis));
  const int num_splits = ctx.num_outputs();
  QLITE_ENSURE(input.dim(*axis) % num_splits == 0, "dimension ", *axis, " of input '", input.name(),
               "' (size ", input.dim(*axis), ") does not split into ", num_splits, " equal parts");
  sizes->assign(num_splits, input.dim(*axis) / num_splits);
  return Status::Ok();
}

// SPLIT_V: the size_splits entries, a -1 among them standing for the rest.
QLITE_PREPARE_TIME Status SplitVSizes(OpContext& ctx, const Tensor& input, int* axis,
                                      std::vector<int32_t>* sizes) {
  QLITE_RETURN_IF_ERROR(ReadAxis(*ctx.input(2), input, axis));
  QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(1), "size_splits", sizes));  // one per output
  int64_t known = 0;
  int unknown = -1;
  for (size_t i = 0; i < sizes->size(); ++i) {
    const int32_t size = (*sizes)[i];
    if (size == -1) {
      QLITE_ENSURE(unknown < 0, "size_splits ", ShapeToString(*sizes), " has more than one -1");
      unknown = static_cast<int>(i);
    } else {
      QLITE_ENSURE(size >= 0, "size_splits ", ShapeToString(*sizes),
                   " has a negative size other than -1");
      known += size;
    }
  }
  const int32_t dim = input.dim(*axis);
  if (unknown >= 0) {
    QLITE_ENSURE(known <= dim, "size_splits ", ShapeToString(*sizes), " add up to more than ", dim,
                 ", the size of dimension ", *axis);
    (*sizes)[unknown] = static_cast<int32_t>(dim - known);
  } else {
    QLITE_ENSURE(known == dim, "size_splits ", ShapeToString(*sizes), " add up to ", known,
                 ", not ", dim, " (the size of dimension ", *axis, ")");
  }
  return Status::Ok();
}

// Gives output i dimension `axis` of size sizes[i] and records the copy plan;
// `resize`: the outputs are dynamic and eval sizes them.
QLITE_PREPARE_TIME Status SetParts(OpContext& ctx, bool resize) {
  const bool split_v = ctx.op().op == BuiltinOp::kSplitV;
  const Tensor& input = *ctx.input(split_v ? 0 : 1);
  int axis = 0;
  std::vector<int32_t> sizes;
  QLITE_RETURN_IF_ERROR(split_v ? SplitVSizes(ctx, input, &axis, &sizes)
                                : SplitSizes(ctx, input, &axis, &sizes));
  auto* data = ctx.op_data<SplitData>();
  data->outer = 1;
  data->part_bytes.clear();
  int64_t inner = DTypeSize(input.type);
  for (int d = 0; d < axis; ++d) data->outer *= input.dim(d);
  for (int d = axis + 1; d < input.rank(); ++d) inner *= input.dim(d);
  for (size_t i = 0; i < sizes.size(); ++i) {
    Shape shape = input.shape;
    shape[axis] = sizes[i];
    const int output = static_cast<int>(i);
    QLITE_RETURN_IF_ERROR(resize ? ctx.ResizeOutput(output, std::move(shape))
                                 : ctx.SetOutputShape(output, std::move(shape)));
    data->part_bytes.push_back(static_cast<size_t>(sizes[i] * inner));
  }
  return Status::Ok();
}

// The checks that need no values; outputs are sized now when the axis and
// size_splits (SPLIT_V; nullptr for SPLIT) are constant, else marked dynamic.
QLITE_PREPARE_TIME Status PrepareParts(OpContext& ctx, const Tensor& input,
                                       const Tensor& axis_tensor, const Tensor* sizes_tensor) {
  QLITE_RETURN_IF_ERROR(CheckType(axis_tensor, {DType::kInt32}, "axis"));
  ctx.NewOpData<SplitData>();
  const bool known = ValuesKnownAtPrepare(axis_tensor) &&
                     (sizes_tensor == nullptr || ValuesKnownAtPrepare(*sizes_tensor));
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    Tensor& output = *ctx.output(i);
    QLITE_RETURN_IF_ERROR(CheckType(output, {input.type}, "output"));
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(input, output));
    if (!known) QLITE_RETURN_IF_ERROR(ctx.MarkOutputDynamic(i));
  }
  return known ? SetParts(ctx, false) : Status::Ok();
}

QLITE_PREPARE_TIME Status SplitPrepare(OpContext& ctx) {
  const int num_splits = ctx.options<SplitOptions>().num_splits;
  QLITE_ENSURE(num_splits >= 1, "num_splits must be >= 1, is ", num_splits);
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, num_splits));
  const Tensor *axis_tensor = nullptr, *input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &axis_tensor));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &input));
  QLITE_RETURN_IF_ERROR(CheckType(
      *input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32},
      "input"));
  return PrepareParts(ctx, *input, *axis_tensor, nullptr);
}

QLITE_PREPARE_TIME Status SplitVPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, ctx.num_outputs()));
  const Tensor *input = nullptr, *sizes_tensor = nullptr, *axis_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &sizes_tensor));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &axis_tensor));
  QLITE_RETURN_IF_ERROR(CheckType(
      *input,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      "input"));
  QLITE_RETURN_IF_ERROR(CheckRank(*sizes_tensor, 1, "size_splits"));
  QLITE_RETURN_IF_ERROR(CheckType(*sizes_tensor, {DType::kInt32, DType::kInt64}, "size_splits"));
  const int num_splits = ctx.options<SplitVOptions>().num_splits;
  QLITE_ENSURE(num_splits == sizes_tensor->dim(0) && num_splits == ctx.num_outputs(), "num_splits ",
               num_splits, " does not match the ", sizes_tensor->dim(0),
               " entries of size_splits or the ", ctx.num_outputs(), " outputs");
  return PrepareParts(ctx, *input, *axis_tensor, sizes_tensor);
}

Status SplitEval(OpContext& ctx) {
  if (ctx.output(0)->is_dynamic()) QLITE_RETURN_IF_ERROR(SetParts(ctx, true));
  const auto& d = *ctx.op_data<SplitData>();
  const Tensor& input = *ctx.input(ctx.num_inputs() == 2 ? 1 : 0);  // SPLIT: input 1
  const uint8_t* in = input.data;
  for (int64_t o = 0; o < d.outer; ++o) {
    for (size_t i = 0; i < d.part_bytes.size(); ++i) {
      std::memcpy(ctx.output(static_cast<int>(i))->data + o * d.part_bytes[i], in, d.part_bytes[i]);
      in += d.part_bytes[i];
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Split() {
  static const KernelRegistration kRegistration = {"split_reference", SplitPrepare, SplitEval};
  return &kRegistration;
}
const KernelRegistration* SplitV() {
  static const KernelRegistration kRegistration = {"split_v_reference", SplitVPrepare, SplitEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kSplitFields[] = {
    {"num_splits", 0, FieldType::kInt32, offsetof(SplitOptions, num_splits)},
};
constexpr OptionsField kSplitVFields[] = {
    {"num_splits", 0, FieldType::kInt32, offsetof(SplitVOptions, num_splits)},
};
extern const OptionsIO kSplitOptionsIO, kSplitVOptionsIO;
const OptionsIO kSplitOptionsIO =
    OptionsIOFor<SplitOptions>(tfl::BuiltinOptions::SplitOptions, kSplitFields);
const OptionsIO kSplitVOptionsIO =
    OptionsIOFor<SplitVOptions>(tfl::BuiltinOptions::SplitVOptions, kSplitVFields);

}  // namespace qlite
