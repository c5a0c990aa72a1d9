// REVERSE_V2: reverses the input along each axis named in input 1 (a
// constant 1-D int32/int64 tensor of distinct axes in [-rank, rank);
// negative counts from the end), as TFLite's kernel does it: float32, int8,
// uint8, int16, int32, int64 and bool (bytes are copied).
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

constexpr int kMaxRank = 8;

struct ReverseData : OpData {
  int rank = 0;
  int32_t dims[kMaxRank] = {};
  int64_t strides[kMaxRank] = {};  // input strides in elements
  bool reversed[kMaxRank] = {};
  size_t element = 0;
  int64_t count = 0;
};

Status ReversePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor *input = nullptr, *axis_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &axis_tensor));
  QLITE_RETURN_IF_ERROR(
      CheckCopiedInput(ctx, *input,
                       {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32,
                        DType::kInt64, DType::kBool}));
  const int rank = input->rank();
  QLITE_ENSURE(rank <= kMaxRank, "REVERSE_V2 supports rank up to ", kMaxRank, ", input '",
               input->name(), "' has shape ", ShapeToString(input->shape));
  QLITE_RETURN_IF_ERROR(CheckRank(*axis_tensor, 1, "axis"));
  std::vector<int32_t> axes;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*axis_tensor, "axis", &axes));
  auto* data = ctx.NewOpData<ReverseData>();
  data->rank = rank;
  data->element = DTypeSize(input->type);
  data->count = input->num_elements();
  for (int d = rank - 1; d >= 0; --d) {
    data->dims[d] = input->dim(d);
    data->strides[d] = d == rank - 1 ? 1 : data->strides[d + 1] * input->dim(d + 1);
  }
  for (int32_t a : axes) {
    QLITE_ENSURE(a >= -rank && a < rank, "axis ", a, " is out of range for input '", input->name(),
                 "' of rank ", rank);
    const int d = a < 0 ? a + rank : a;
    QLITE_ENSURE(!data->reversed[d], "axis ", a, " is named twice in ", ShapeToString(axes));
    data->reversed[d] = true;
  }
  return ctx.SetOutputShape(0, input->shape);
}

// Walks the output in order; the input offset moves backwards along the
// reversed dimensions.
Status ReverseEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<ReverseData>();
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = ctx.output(0)->data;
  if (d.count == 0) return Status::Ok();
  int32_t index[kMaxRank] = {};
  int64_t offset = 0;
  for (int k = 0; k < d.rank; ++k) {
    if (d.reversed[k]) offset += (d.dims[k] - 1) * d.strides[k];
  }
  for (int64_t o = 0; o < d.count; ++o, out += d.element) {
    std::memcpy(out, in + offset * d.element, d.element);
    for (int k = d.rank - 1; k >= 0; --k) {
      const int64_t step = d.reversed[k] ? -d.strides[k] : d.strides[k];
      if (++index[k] < d.dims[k]) {
        offset += step;
        break;
      }
      offset -= step * (d.dims[k] - 1);
      index[k] = 0;
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* ReverseV2() {
  static const KernelRegistration kRegistration = {"reverse_v2_reference", ReversePrepare,
                                                   ReverseEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kReverseV2OptionsIO;
const OptionsIO kReverseV2OptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::ReverseV2Options);

}  // namespace qlite
