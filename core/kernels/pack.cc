// PACK stacks values_count equal-shaped inputs along a new dimension `axis`
// (in [-rank - 1, rank]; negative counts from the end of the output); UNPACK
// takes dimension `axis` (in [-rank, rank)) apart into `num` outputs. As in
// TFLite's kernels: PACK moves float32, int8, uint8, int16, int32 and int64,
// UNPACK float32, int8, uint8, int16, int32 and bool; quantized tensors must
// all share one scale and zero point, since bytes are copied.
#include "core/kernels/pack.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// Both ops see the packed tensor as [outer, count, inner]: `count` slices of
// `inner_bytes` bytes, repeated `outer` times.
struct PackData : OpData {
  int64_t outer = 1;
  size_t inner_bytes = 0;
};

PackData* NewPackData(OpContext& ctx, const Shape& packed, int axis, DType type) {
  auto* data = ctx.NewOpData<PackData>();
  int64_t inner = 1;
  for (int d = 0; d < axis; ++d) data->outer *= packed[d];
  for (size_t d = axis + 1; d < packed.size(); ++d) inner *= packed[d];
  data->inner_bytes = static_cast<size_t>(inner) * DTypeSize(type);
  return data;
}

Status PackPrepare(OpContext& ctx) {
  const auto& o = ctx.options<PackOptions>();
  QLITE_ENSURE(o.values_count >= 1 && o.values_count == ctx.num_inputs(), "values_count ",
               o.values_count, " does not match the ", ctx.num_inputs(), " inputs");
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, o.values_count, o.values_count, 1));
  const Tensor* first = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &first));
  QLITE_RETURN_IF_ERROR(CheckType(
      *first,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      "input"));
  Tensor& output = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(output, {first->type}, "output"));
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor* input = nullptr;
    QLITE_RETURN_IF_ERROR(RequireInput(ctx, i, &input));
    QLITE_RETURN_IF_ERROR(CheckType(*input, {first->type}, "input"));
    QLITE_ENSURE(input->shape == first->shape, "PACK inputs must have one shape: '", input->name(),
                 "' has ", ShapeToString(input->shape), ", '", first->name(), "' has ",
                 ShapeToString(first->shape));
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(*input, output));
  }
  const int rank = first->rank();
  QLITE_ENSURE(o.axis >= -rank - 1 && o.axis <= rank, "axis ", o.axis,
               " is out of range for inputs of rank ", rank, " (expected ", -rank - 1, " to ", rank,
               ")");
  const int axis = o.axis < 0 ? o.axis + rank + 1 : o.axis;
  Shape shape = first->shape;
  shape.insert(shape.begin() + axis, o.values_count);
  NewPackData(ctx, shape, axis, first->type);
  return ctx.SetOutputShape(0, std::move(shape));
}

Status PackEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<PackData>();
  uint8_t* out = ctx.output(0)->data;
  for (int64_t o = 0; o < d.outer; ++o) {
    for (int i = 0; i < ctx.num_inputs(); ++i, out += d.inner_bytes) {
      std::memcpy(out, ctx.input(i)->data + o * d.inner_bytes, d.inner_bytes);
    }
  }
  return Status::Ok();
}

Status UnpackPrepare(OpContext& ctx) {
  const auto& o = ctx.options<UnpackOptions>();
  QLITE_ENSURE(o.num >= 1 && o.num == ctx.num_outputs(), "num ", o.num, " does not match the ",
               ctx.num_outputs(), " outputs");
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, o.num));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(CheckType(
      *input,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kBool},
      "input"));
  const int rank = input->rank();
  QLITE_ENSURE(rank >= 1, "UNPACK needs an input of rank >= 1, '", input->name(), "' is a scalar");
  QLITE_ENSURE(o.axis >= -rank && o.axis < rank, "axis ", o.axis,
               " is out of range for an input of rank ", rank, " (expected ", -rank, " to ",
               rank - 1, ")");
  const int axis = o.axis < 0 ? o.axis + rank : o.axis;
  QLITE_ENSURE(input->dim(axis) == o.num, "num ", o.num, " must equal the size ", input->dim(axis),
               " of dimension ", axis, " of input '", input->name(), "'");
  Shape shape = input->shape;
  shape.erase(shape.begin() + axis);
  for (int i = 0; i < o.num; ++i) {
    QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(i), {input->type}, "output"));
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(*input, *ctx.output(i)));
    QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(i, shape));
  }
  NewPackData(ctx, input->shape, axis, input->type);
  return Status::Ok();
}

Status UnpackEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<PackData>();
  const uint8_t* in = ctx.input(0)->data;
  for (int64_t o = 0; o < d.outer; ++o) {
    for (int i = 0; i < ctx.num_outputs(); ++i, in += d.inner_bytes) {
      std::memcpy(ctx.output(i)->data + o * d.inner_bytes, in, d.inner_bytes);
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Pack() {
  static const KernelRegistration kRegistration = {"pack_reference", PackPrepare, PackEval};
  return &kRegistration;
}
const KernelRegistration* Unpack() {
  static const KernelRegistration kRegistration = {"unpack_reference", UnpackPrepare, UnpackEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kPackFields[] = {
    {"values_count", 0, FieldType::kInt32, offsetof(PackOptions, values_count)},
    {"axis", 1, FieldType::kInt32, offsetof(PackOptions, axis)},
};
constexpr OptionsField kUnpackFields[] = {
    {"num", 0, FieldType::kInt32, offsetof(UnpackOptions, num)},
    {"axis", 1, FieldType::kInt32, offsetof(UnpackOptions, axis)},
};
extern const OptionsIO kPackOptionsIO, kUnpackOptionsIO;
const OptionsIO kPackOptionsIO =
    OptionsIOFor<PackOptions>(tfl::BuiltinOptions::PackOptions, kPackFields);
const OptionsIO kUnpackOptionsIO =
    OptionsIOFor<UnpackOptions>(tfl::BuiltinOptions::UnpackOptions, kUnpackFields);

}  // namespace qlite
