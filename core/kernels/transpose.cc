// TRANSPOSE: output dimension i is input dimension perm[i], any dtype (elements
// are moved by size), rank up to 8. perm is an int32/int64 tensor that must be
// a permutation of 0..rank-1; when it is computed at run time the output is
// dynamic and sized in eval.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

struct TransposeData : OpData {
  Shape out_shape;
  // Input stride (in elements) of each output dimension: in_stride[perm[i]].
  std::vector<int64_t> in_strides;
  size_t element_size = 0;
};

// Walks the output in order; the input offset follows through the permuted
// strides, so each element is read exactly once.
template <typename T>
void TransposeElements(const TransposeData& d, const T* input, T* output) {
  const int rank = static_cast<int>(d.out_shape.size());
  const int64_t count = ShapeElementCount(d.out_shape);
  if (count <= 0) return;
  if (rank == 0) {
    output[0] = input[0];
    return;
  }
  std::vector<int32_t> index(rank, 0);
  int64_t in_offset = 0;
  for (int64_t o = 0; o < count; ++o) {
    output[o] = input[in_offset];
    // Advance the output index like an odometer, last dimension fastest.
    for (int dim = rank - 1; dim >= 0; --dim) {
      if (++index[dim] < d.out_shape[dim]) {
        in_offset += d.in_strides[dim];
        break;
      }
      in_offset -= d.in_strides[dim] * (d.out_shape[dim] - 1);
      index[dim] = 0;
    }
  }
}

Status Transpose(OpContext& ctx) {
  const auto& d = *ctx.op_data<TransposeData>();
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = ctx.output(0)->data;
  // Element types are picked by size only: the move is bit-exact for any dtype.
  switch (d.element_size) {
    case 1: TransposeElements(d, in, out); break;
    case 2:
      TransposeElements(d, reinterpret_cast<const uint16_t*>(in), reinterpret_cast<uint16_t*>(out));
      break;
    case 4:
      TransposeElements(d, reinterpret_cast<const uint32_t*>(in), reinterpret_cast<uint32_t*>(out));
      break;
    case 8:
      TransposeElements(d, reinterpret_cast<const uint64_t*>(in), reinterpret_cast<uint64_t*>(out));
      break;
    default: return Status::Error(StrCat("TRANSPOSE: unsupported element size ", d.element_size));
  }
  return Status::Ok();
}

// Reads perm (checked 1-D by prepare) and sets the output shape: at prepare
// for a constant perm, at each eval (`resize`) for a run-time one.
QLITE_PREPARE_TIME Status SizeTransposedOutput(OpContext& ctx, bool resize) {
  const Tensor& input = *ctx.input(0);
  std::vector<int32_t> perm;
  QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(1), "permutation", &perm));
  const int rank = input.rank();
  QLITE_ENSURE(static_cast<int>(perm.size()) == rank, "permutation has ", perm.size(),
               " entries, input '", input.name(), "' has rank ", rank);
  auto* data = ctx.op_data<TransposeData>();
  data->out_shape.clear();
  data->in_strides.clear();
  std::vector<int64_t> in_strides(rank, 1);
  for (int dim = rank - 2; dim >= 0; --dim) {
    in_strides[dim] = in_strides[dim + 1] * input.dim(dim + 1);
  }
  std::vector<bool> used(rank, false);
  for (int i = 0; i < rank; ++i) {
    const int32_t p = perm[i];
    QLITE_ENSURE(p >= 0 && p < rank && !used[p], "permutation ", ShapeToString(perm),
                 " is not a permutation of 0..", rank - 1);
    used[p] = true;
    data->out_shape.push_back(input.dim(p));
    data->in_strides.push_back(in_strides[p]);
  }
  return resize ? ctx.ResizeOutput(0, data->out_shape) : ctx.SetOutputShape(0, data->out_shape);
}

QLITE_PREPARE_TIME Status TransposePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = nullptr;
  const Tensor* perm_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &perm_tensor));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "output"));
  const size_t element_size = DTypeSize(input->type);
  QLITE_ENSURE(element_size == 1 || element_size == 2 || element_size == 4 || element_size == 8,
               "TRANSPOSE does not support dtype ", DTypeName(input->type));
  QLITE_RETURN_IF_ERROR(CheckType(*perm_tensor, {DType::kInt32, DType::kInt64}, "permutation"));
  QLITE_ENSURE(perm_tensor->rank() == 1, "permutation tensor '", perm_tensor->name(),
               "' must be 1-D, has shape ", ShapeToString(perm_tensor->shape));
  ctx.NewOpData<TransposeData>()->element_size = element_size;
  if (!ValuesKnownAtPrepare(*perm_tensor)) return ctx.MarkOutputDynamic(0);
  return SizeTransposedOutput(ctx, false);
}

Status TransposeEval(OpContext& ctx) {
  if (ctx.output(0)->is_dynamic()) QLITE_RETURN_IF_ERROR(SizeTransposedOutput(ctx, true));
  return Transpose(ctx);
}

}  // namespace

namespace ref {
const KernelRegistration* Transpose() {
  static const KernelRegistration kRegistration = {"transpose_reference", TransposePrepare,
                                                   TransposeEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kTransposeOptionsIO;
const OptionsIO kTransposeOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::TransposeOptions);

}  // namespace qlite
