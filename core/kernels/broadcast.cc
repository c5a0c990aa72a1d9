#include "core/kernels/broadcast.h"

#include "core/kernels/kernel_util.h"

#include <algorithm>

namespace qlite {

namespace {
// `shape` with leading 1s up to kMaxBroadcastRank.
std::array<int32_t, kMaxBroadcastRank> PadShape(const Shape& shape) {
  std::array<int32_t, kMaxBroadcastRank> padded;
  padded.fill(1);
  std::copy(shape.begin(), shape.end(), padded.end() - shape.size());
  return padded;
}
}  // namespace

Status ComputeBroadcastShape(const Shape& shape1, const Shape& shape2, const char* op,
                             BroadcastShape* b, Shape* out_shape) {
  QLITE_ENSURE(shape1.size() <= kMaxBroadcastRank && shape2.size() <= kMaxBroadcastRank, op,
               " supports ranks up to ", kMaxBroadcastRank, ", got ", ShapeToString(shape1),
               " and ", ShapeToString(shape2));
  const int64_t count1 = ShapeElementCount(shape1);
  const int64_t count2 = ShapeElementCount(shape2);
  QLITE_ENSURE(count1 >= 0 && count2 >= 0, op, ": invalid input shapes ", ShapeToString(shape1),
               " and ", ShapeToString(shape2));
  const auto dims1 = PadShape(shape1);
  const auto dims2 = PadShape(shape2);
  int64_t out_count = 1;
  for (int i = 0; i < kMaxBroadcastRank; ++i) {
    QLITE_ENSURE(dims1[i] == dims2[i] || dims1[i] == 1 || dims2[i] == 1, op, ": input shapes ",
                 ShapeToString(shape1), " and ", ShapeToString(shape2),
                 " cannot be broadcast together");
    b->dims[i] = dims1[i] == 1 ? dims2[i] : dims1[i];
    out_count *= b->dims[i];  // < 2^31 * 2^31 after the check below: no overflow
    QLITE_ENSURE(out_count < (int64_t{1} << 31), op, ": broadcasting ", ShapeToString(shape1),
                 " and ", ShapeToString(shape2), " gives more than 2^31 elements");
  }
  int64_t stride1 = 1, stride2 = 1;
  for (int i = kMaxBroadcastRank - 1; i >= 0; --i) {
    b->stride1[i] = dims1[i] == 1 ? 0 : stride1;
    b->stride2[i] = dims2[i] == 1 ? 0 : stride2;
    stride1 *= dims1[i];
    stride2 *= dims2[i];
  }
  b->num_elements = out_count;
  b->same_shapes = count1 == out_count && count2 == out_count;
  const size_t out_rank = std::max(shape1.size(), shape2.size());
  out_shape->assign(b->dims.end() - out_rank, b->dims.end());
  return Status::Ok();
}

QLITE_PREPARE_TIME Status PrepareBinaryOperands(const OpContext& ctx,
                                                std::initializer_list<DType> types,
                                                const Tensor** in1, const Tensor** in2,
                                                const Tensor** out) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, in1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, in2));
  *out = ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(**in1, types, "input1"));
  QLITE_RETURN_IF_ERROR(CheckType(**in2, {(*in1)->type}, "input2"));
  return CheckType(**out, {(*in1)->type}, "output");
}

}  // namespace qlite
