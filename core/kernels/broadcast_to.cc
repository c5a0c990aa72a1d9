// BROADCAST_TO: broadcasts the input to `shape` (input 1, a 1-D int32/int64
// tensor of rank >= the input's, at most 8; read in eval, with a dynamic
// output, when it is computed at run time) by numpy's rules:
// dims align from the right, each input dim is 1 or equal to the output's.
// Any dtype of TFLite's kernel (bytes are copied): float32, int8, uint8,
// int16, int32, int64 and bool.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

constexpr int kMaxRank = 8;

struct BroadcastToData : OpData {
  int rank = 0;
  int32_t dims[kMaxRank] = {};
  int64_t in_strides[kMaxRank] = {};  // 0 along broadcast dims
  size_t element = 0;
  int64_t count = 0;
};

// Checks that `input` broadcasts to `shape` and fills in the walk over it.
Status PlanBroadcast(const Tensor& input, const std::vector<int32_t>& shape,
                     BroadcastToData* data) {
  const int rank = static_cast<int>(shape.size());
  const int in_rank = input.rank();
  QLITE_ENSURE(rank <= kMaxRank, "BROADCAST_TO supports rank up to ", kMaxRank, ", shape is ",
               ShapeToString(shape));
  QLITE_ENSURE(in_rank <= rank, "input '", input.name(), "' of shape ", ShapeToString(input.shape),
               " has more dimensions than the target shape ", ShapeToString(shape));
  data->rank = rank;
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    QLITE_ENSURE(shape[d] >= 0, "target shape ", ShapeToString(shape), " has a negative size");
    const int in_d = d - (rank - in_rank);
    const int32_t in_size = in_d >= 0 ? input.dim(in_d) : 1;
    QLITE_ENSURE(in_size == shape[d] || in_size == 1, "input '", input.name(), "' of shape ",
                 ShapeToString(input.shape), " does not broadcast to ", ShapeToString(shape));
    data->dims[d] = shape[d];
    data->in_strides[d] = in_size == 1 ? 0 : stride;
    stride *= in_size;
  }
  data->count = ShapeElementCount(shape);
  QLITE_ENSURE(data->count >= 0, "target shape ", ShapeToString(shape), " has too many elements");
  return Status::Ok();
}

Status BroadcastToPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor *input = nullptr, *shape_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &shape_tensor));
  QLITE_RETURN_IF_ERROR(
      CheckCopiedInput(ctx, *input,
                       {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32,
                        DType::kInt64, DType::kBool}));
  QLITE_RETURN_IF_ERROR(CheckRank(*shape_tensor, 1, "shape"));
  QLITE_RETURN_IF_ERROR(CheckType(*shape_tensor, {DType::kInt32, DType::kInt64}, "shape"));
  auto* data = ctx.NewOpData<BroadcastToData>();
  data->element = DTypeSize(input->type);
  if (!ValuesKnownAtPrepare(*shape_tensor)) return ctx.MarkOutputDynamic(0);
  std::vector<int32_t> shape;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*shape_tensor, "shape", &shape));
  QLITE_RETURN_IF_ERROR(PlanBroadcast(*input, shape, data));
  return ctx.SetOutputShape(0, std::move(shape));
}

// Walks the output in order; the input offset stays put along broadcast dims.
Status BroadcastToEval(OpContext& ctx) {
  auto& d = *ctx.op_data<BroadcastToData>();
  if (ctx.output(0)->is_dynamic()) {
    std::vector<int32_t> shape;
    QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(1), "shape", &shape));
    QLITE_RETURN_IF_ERROR(PlanBroadcast(*ctx.input(0), shape, &d));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, std::move(shape)));
  }
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = ctx.output(0)->data;
  int32_t index[kMaxRank] = {};
  int64_t offset = 0;
  for (int64_t o = 0; o < d.count; ++o, out += d.element) {
    std::memcpy(out, in + offset * d.element, d.element);
    for (int k = d.rank - 1; k >= 0; --k) {
      if (++index[k] < d.dims[k]) {
        offset += d.in_strides[k];
        break;
      }
      offset -= d.in_strides[k] * (d.dims[k] - 1);
      index[k] = 0;
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* BroadcastTo() {
  static const KernelRegistration kRegistration = {"broadcast_to_reference", BroadcastToPrepare,
                                                   BroadcastToEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kBroadcastToOptionsIO;
const OptionsIO kBroadcastToOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::BroadcastToOptions);

}  // namespace qlite
