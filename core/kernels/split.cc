// SPLIT cuts its input (input 1; input 0 is the axis) along `axis` into
// num_splits equal parts; SPLIT_V (input, size_splits, axis) into parts of
// the given sizes, one of which may be -1 (the rest). The axis is a constant
// int32 holding one value in [-rank, rank). As in TFLite's kernels: SPLIT
// moves float32, int8, uint8, int16 and int32, SPLIT_V those and int64;
// quantized outputs must carry the input's scale and zero point.
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

Status ReadAxis(const Tensor& axis_tensor, const Tensor& input, int* axis) {
  QLITE_RETURN_IF_ERROR(CheckType(axis_tensor, {DType::kInt32}, "axis"));
  std::vector<int32_t> values;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(axis_tensor, "axis", &values));
  QLITE_ENSURE(values.size() == 1, "axis tensor '", axis_tensor.name(),
               "' must hold one value, has shape ", ShapeToString(axis_tensor.shape));
  const int rank = input.rank();
  QLITE_ENSURE(values[0] >= -rank && values[0] < rank, "axis ", values[0],
               " is out of range for input '", input.name(), "' of rank ", rank);
  *axis = values[0] < 0 ? values[0] + rank : values[0];
  return Status::Ok();
}

// Gives output i dimension `axis` of size sizes[i] and records the copy plan.
Status SetParts(OpContext& ctx, const Tensor& input, int axis, const std::vector<int32_t>& sizes) {
  QLITE_ENSURE(static_cast<int>(sizes.size()) == ctx.num_outputs(), "the op has ",
               ctx.num_outputs(), " outputs for ", sizes.size(), " parts");
  auto* data = ctx.NewOpData<SplitData>();
  int64_t inner = DTypeSize(input.type);
  for (int d = 0; d < axis; ++d) data->outer *= input.dim(d);
  for (int d = axis + 1; d < input.rank(); ++d) inner *= input.dim(d);
  for (size_t i = 0; i < sizes.size(); ++i) {
    Tensor& output = *ctx.output(static_cast<int>(i));
    QLITE_RETURN_IF_ERROR(CheckType(output, {input.type}, "output"));
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(input, output));
    Shape shape = input.shape;
    shape[axis] = sizes[i];
    QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(static_cast<int>(i), std::move(shape)));
    data->part_bytes.push_back(static_cast<size_t>(sizes[i] * inner));
  }
  return Status::Ok();
}

Status SplitPrepare(OpContext& ctx) {
  const int num_splits = ctx.options<SplitOptions>().num_splits;
  QLITE_ENSURE(num_splits >= 1, "num_splits must be >= 1, is ", num_splits);
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, num_splits));
  const Tensor *axis_tensor = nullptr, *input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &axis_tensor));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &input));
  QLITE_RETURN_IF_ERROR(CheckType(
      *input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32},
      "input"));
  int axis = 0;
  QLITE_RETURN_IF_ERROR(ReadAxis(*axis_tensor, *input, &axis));
  QLITE_ENSURE(input->dim(axis) % num_splits == 0, "dimension ", axis, " of input '", input->name(),
               "' (size ", input->dim(axis), ") does not split into ", num_splits, " equal parts");
  return SetParts(ctx, *input, axis,
                  std::vector<int32_t>(num_splits, input->dim(axis) / num_splits));
}

Status SplitVPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, ctx.num_outputs()));
  const Tensor *input = nullptr, *sizes_tensor = nullptr, *axis_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &sizes_tensor));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &axis_tensor));
  QLITE_RETURN_IF_ERROR(CheckType(
      *input,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      "input"));
  int axis = 0;
  QLITE_RETURN_IF_ERROR(ReadAxis(*axis_tensor, *input, &axis));
  QLITE_RETURN_IF_ERROR(CheckRank(*sizes_tensor, 1, "size_splits"));
  std::vector<int32_t> sizes;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*sizes_tensor, "size_splits", &sizes));
  const int num_splits = ctx.options<SplitVOptions>().num_splits;
  QLITE_ENSURE(num_splits == static_cast<int>(sizes.size()), "num_splits ", num_splits,
               " does not match the ", sizes.size(), " entries of size_splits");
  int64_t known = 0;
  int unknown = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1) {
      QLITE_ENSURE(unknown < 0, "size_splits ", ShapeToString(sizes), " has more than one -1");
      unknown = static_cast<int>(i);
    } else {
      QLITE_ENSURE(sizes[i] >= 0, "size_splits ", ShapeToString(sizes),
                   " has a negative size other than -1");
      known += sizes[i];
    }
  }
  const int32_t dim = input->dim(axis);
  if (unknown >= 0) {
    QLITE_ENSURE(known <= dim, "size_splits ", ShapeToString(sizes), " add up to more than ", dim,
                 ", the size of dimension ", axis);
    sizes[unknown] = static_cast<int32_t>(dim - known);
  } else {
    QLITE_ENSURE(known == dim, "size_splits ", ShapeToString(sizes), " add up to ", known, ", not ",
                 dim, " (the size of dimension ", axis, ")");
  }
  return SetParts(ctx, *input, axis, sizes);
}

Status SplitEval(OpContext& ctx) {
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
