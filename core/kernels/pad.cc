// PAD and PADV2: surround the input with a constant, any rank up to 8.
// paddings is an int32/int64 [rank, 2] tensor of (before, after) counts >= 0;
// when it is computed at run time the output is dynamic and sized in eval.
// The fill value follows TFLite: PAD uses 0 for float/int32/int64 and
// unquantized integers, the output zero point for quantized int8/uint8/
// int16; PADV2 takes it from input 2 (a one-element tensor of the input dtype,
// which for quantized types must share the output's scale and zero point).
// Values are moved by bytes, so the result is bit-exact for every dtype.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

struct PadData : OpData {
  Shape in_shape, out_shape;
  std::vector<int32_t> before;  // elements added before each dimension
  size_t element_size = 0;
  uint8_t fill[8] = {};          // the fill value's bytes (element_size of them)
  bool fill_from_input = false;  // PADV2 with a non-constant value: read it at eval
};

template <typename T>
void FillWith(const uint8_t* value_bytes, int64_t count, uint8_t* out) {
  T value;
  std::memcpy(&value, value_bytes, sizeof(T));
  T* dst = reinterpret_cast<T*>(out);
  std::fill(dst, dst + count, value);
}

Status Pad(OpContext& ctx) {
  const auto& d = *ctx.op_data<PadData>();
  const Tensor& input = *ctx.input(0);
  uint8_t* out = ctx.output(0)->data;
  const int64_t out_count = ShapeElementCount(d.out_shape);
  const uint8_t* fill = d.fill_from_input ? ctx.input(2)->data : d.fill;
  switch (d.element_size) {
    case 1: FillWith<uint8_t>(fill, out_count, out); break;
    case 2: FillWith<uint16_t>(fill, out_count, out); break;
    case 4: FillWith<uint32_t>(fill, out_count, out); break;
    case 8: FillWith<uint64_t>(fill, out_count, out); break;
    default: return Status::Error(StrCat("PAD: unsupported element size ", d.element_size));
  }
  const int64_t in_count = ShapeElementCount(d.in_shape);
  if (in_count <= 0) return Status::Ok();
  const int rank = static_cast<int>(d.in_shape.size());
  if (rank == 0) {
    std::memcpy(out, input.data, d.element_size);
    return Status::Ok();
  }
  // Copy the input in runs that stay contiguous in the output: dimensions
  // after the last padded one are whole in both, so a run spans that
  // dimension and every one after it (a PAD of H and W only copies rows of
  // W * C, not single pixels).
  int last = rank - 1;
  while (last > 0 && d.in_shape[last] == d.out_shape[last]) --last;
  std::vector<int64_t> out_strides(rank, 1);
  for (int dim = rank - 2; dim >= 0; --dim) {
    out_strides[dim] = out_strides[dim + 1] * d.out_shape[dim + 1];
  }
  int64_t run = 1;
  for (int dim = last; dim < rank; ++dim) run *= d.in_shape[dim];
  const size_t run_bytes = static_cast<size_t>(run) * d.element_size;
  std::vector<int32_t> index(last, 0);  // over the dimensions before `last`
  for (int64_t in_offset = 0; in_offset < in_count; in_offset += run) {
    int64_t out_offset = d.before[last] * out_strides[last];
    for (int dim = 0; dim < last; ++dim) {
      out_offset += (static_cast<int64_t>(index[dim]) + d.before[dim]) * out_strides[dim];
    }
    std::memcpy(out + out_offset * d.element_size, input.data + in_offset * d.element_size,
                run_bytes);
    for (int dim = last - 1; dim >= 0; --dim) {
      if (++index[dim] < d.in_shape[dim]) break;
      index[dim] = 0;
    }
  }
  return Status::Ok();
}

// TFLite treats a tensor without quantization as scale 0, zero point 0.
bool SameQuantization(const Tensor& a, const Tensor& b) {
  const float scale_a = a.has_quant() ? a.scale() : 0.0f;
  const float scale_b = b.has_quant() ? b.scale() : 0.0f;
  const int32_t zp_a = a.has_quant() ? a.zero_point() : 0;
  const int32_t zp_b = b.has_quant() ? b.zero_point() : 0;
  return scale_a == scale_b && zp_a == zp_b;
}

// The fill value's bytes for PAD, or PADV2's checks on its value tensor.
Status ChooseFill(const Tensor& input, const Tensor& output, const Tensor* value, PadData* data) {
  // uint8 is always treated as quantized; int8/int16 only when the input
  // carries quantization parameters (TFLite's rule).
  const bool quantized =
      input.type == DType::kUInt8 ||
      ((input.type == DType::kInt8 || input.type == DType::kInt16) && input.has_quant());
  if (value != nullptr) {
    QLITE_RETURN_IF_ERROR(CheckType(*value, {input.type}, "constant_values"));
    QLITE_ENSURE(value->num_elements() == 1, "constant_values tensor '", value->name(),
                 "' must hold exactly one value, has shape ", ShapeToString(value->shape));
    QLITE_ENSURE(!quantized || SameQuantization(*value, output), "constant_values tensor '",
                 value->name(), "' must have the output's scale and zero point");
    if (value->is_constant()) {
      std::memcpy(data->fill, value->data, data->element_size);
    } else {
      data->fill_from_input = true;
    }
    return Status::Ok();
  }
  if (!quantized) return Status::Ok();  // all-zero bytes: 0, 0.0f
  return ZeroPointBytes(output, data->fill);
}

// Reads the paddings (checked [rank, 2] by prepare) and sets the output shape:
// at prepare for constant paddings, at each eval (`resize`) for run-time ones.
QLITE_PREPARE_TIME Status SizePaddedOutput(OpContext& ctx, bool resize) {
  const Tensor& input = *ctx.input(0);
  std::vector<int32_t> values;
  QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(1), "paddings", &values));
  auto* data = ctx.op_data<PadData>();
  data->in_shape = input.shape;
  data->before.clear();
  data->out_shape.clear();
  for (int dim = 0; dim < input.rank(); ++dim) {
    const int32_t before = values[2 * dim], after = values[2 * dim + 1];
    QLITE_ENSURE(before >= 0 && after >= 0, "paddings of dimension ", dim, " are (", before, ",",
                 after, "); they must be >= 0");
    const int64_t size = int64_t{input.dim(dim)} + before + after;
    QLITE_ENSURE(size <= INT32_MAX, "padded dimension ", dim, " would have ", size, " elements");
    data->before.push_back(before);
    data->out_shape.push_back(static_cast<int32_t>(size));
  }
  return resize ? ctx.ResizeOutput(0, data->out_shape) : ctx.SetOutputShape(0, data->out_shape);
}

QLITE_PREPARE_TIME Status PadPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = nullptr;
  const Tensor* paddings = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &paddings));
  const Tensor& output = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(
      *input,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64},
      "input"));
  QLITE_RETURN_IF_ERROR(CheckType(output, {input->type}, "output"));
  QLITE_RETURN_IF_ERROR(CheckType(*paddings, {DType::kInt32, DType::kInt64}, "paddings"));
  const int rank = input->rank();
  QLITE_ENSURE(paddings->rank() == 2 && paddings->dim(0) == rank && paddings->dim(1) == 2,
               "paddings tensor '", paddings->name(), "' must have shape [", rank,
               ",2] for input '", input->name(), "' of shape ", ShapeToString(input->shape),
               ", has ", ShapeToString(paddings->shape));

  auto* data = ctx.NewOpData<PadData>();
  data->element_size = DTypeSize(input->type);
  QLITE_RETURN_IF_ERROR(ChooseFill(*input, output, ctx.input(2), data));
  if (!ValuesKnownAtPrepare(*paddings)) return ctx.MarkOutputDynamic(0);
  return SizePaddedOutput(ctx, false);
}

Status PadEval(OpContext& ctx) {
  if (ctx.output(0)->is_dynamic()) QLITE_RETURN_IF_ERROR(SizePaddedOutput(ctx, true));
  return Pad(ctx);
}

}  // namespace

namespace ref {
const KernelRegistration* Pad() {
  static const KernelRegistration kRegistration = {"pad_reference", PadPrepare, PadEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kPadOptionsIO, kPadV2OptionsIO;
const OptionsIO kPadOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::PadOptions);
const OptionsIO kPadV2OptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::PadV2Options);

}  // namespace qlite
