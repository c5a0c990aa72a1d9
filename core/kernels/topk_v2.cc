// TOPK_V2: the k largest values of each row (the innermost dimension) of
// input 0, largest first, and their int32 positions in the row; equal values
// keep the lower position first, as TFLite's kernel orders them. float32,
// int8, uint8, int32 and int64 (quantized values keep the input's
// parameters). k (input 1) is an int32 scalar in [0, row length]: the
// output shape depends on it, so a k known only at run time makes both
// outputs dynamic, sized in eval. NaN, which TFLite's comparison leaves unordered,
// ranks below every number here.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

struct TopKData : OpData {
  int32_t k = 0;
};

// Reads k (one int32 value in [0, row length]) and the outputs' shape.
Status TopKShape(const Tensor& input, const Tensor& k_tensor, int32_t* k, Shape* out) {
  std::vector<int32_t> values;
  QLITE_RETURN_IF_ERROR(ReadInt32s(k_tensor, "k", &values));
  QLITE_ENSURE(values.size() == 1, "k tensor '", k_tensor.name(),
               "' must hold one value, has shape ", ShapeToString(k_tensor.shape));
  const int32_t row = input.dim(input.rank() - 1);
  QLITE_ENSURE(values[0] >= 0 && values[0] <= row, "k = ", values[0], " is outside [0, ", row,
               "] (the innermost dimension of input ", ShapeToString(input.shape), ")");
  *k = values[0];
  *out = input.shape;
  out->back() = values[0];
  return Status::Ok();
}

QLITE_PREPARE_TIME Status TopKPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 2));
  const Tensor *input = nullptr, *k_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &k_tensor));
  QLITE_RETURN_IF_ERROR(CheckType(
      *input, {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt32, DType::kInt64},
      "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "values output"));
  QLITE_RETURN_IF_ERROR(CheckSameQuantization(*input, *ctx.output(0)));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(1), {DType::kInt32}, "indices output"));
  QLITE_RETURN_IF_ERROR(CheckType(*k_tensor, {DType::kInt32}, "k"));
  QLITE_ENSURE(input->rank() >= 1, "input must have rank >= 1");
  auto* data = ctx.NewOpData<TopKData>();
  if (!ValuesKnownAtPrepare(*k_tensor)) {
    QLITE_RETURN_IF_ERROR(ctx.MarkOutputDynamic(0));
    return ctx.MarkOutputDynamic(1);
  }
  Shape out;
  QLITE_RETURN_IF_ERROR(TopKShape(*input, *k_tensor, &data->k, &out));
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, out));
  return ctx.SetOutputShape(1, std::move(out));
}

// Both outputs' shape for a k known only at run time.
Status ResizeTopKOutputs(OpContext& ctx) {
  Shape out;
  QLITE_RETURN_IF_ERROR(TopKShape(*ctx.input(0), *ctx.input(1), &ctx.op_data<TopKData>()->k, &out));
  QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, out));
  return ctx.ResizeOutput(1, std::move(out));
}

// An unsigned key that orders like the value: float -0 as +0, NaN below
// every number; signed integers with the sign bit flipped.
uint64_t SortKey(const Tensor& t, int64_t i) {
  constexpr uint64_t kSign = uint64_t{1} << 63;
  switch (t.type) {
    case DType::kFloat32: {
      float f = t.data_as<float>()[i];
      if (std::isnan(f)) return 0;
      if (f == 0) f = 0;
      uint32_t bits;
      std::memcpy(&bits, &f, sizeof(bits));
      return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
    }
    case DType::kInt8: return static_cast<uint64_t>(int64_t{t.data_as<int8_t>()[i]}) ^ kSign;
    case DType::kUInt8: return t.data_as<uint8_t>()[i];
    case DType::kInt32: return static_cast<uint64_t>(int64_t{t.data_as<int32_t>()[i]}) ^ kSign;
    default: return static_cast<uint64_t>(t.data_as<int64_t>()[i]) ^ kSign;
  }
}

// Per row: (inverted key, position) pairs, the k smallest first, i.e. the
// largest values with the lower position first among equal ones.
Status TopKEval(OpContext& ctx) {
  if (ctx.output(0)->is_dynamic()) QLITE_RETURN_IF_ERROR(ResizeTopKOutputs(ctx));
  const Tensor& input = *ctx.input(0);
  Tensor& values = *ctx.output(0);
  int32_t* indices = ctx.output(1)->data_as<int32_t>();
  const int32_t k = ctx.op_data<TopKData>()->k;
  const int32_t row_size = input.dim(input.rank() - 1);
  const int64_t rows = row_size == 0 ? 0 : input.num_elements() / row_size;
  const size_t element = DTypeSize(input.type);
  std::vector<std::pair<uint64_t, int32_t>> order(row_size);
  for (int64_t r = 0; r < rows; ++r) {
    for (int32_t i = 0; i < row_size; ++i) order[i] = {~SortKey(input, r * row_size + i), i};
    std::partial_sort(order.begin(), order.begin() + k, order.end());
    for (int32_t i = 0; i < k; ++i) {
      const int64_t at = r * k + i;
      indices[at] = order[i].second;
      std::memcpy(values.data + at * element,
                  input.data + (r * row_size + order[i].second) * element, element);
    }
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* TopKV2() {
  static const KernelRegistration kRegistration = {"topk_v2_reference", TopKPrepare, TopKEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kTopKV2OptionsIO;
const OptionsIO kTopKV2OptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::TopKV2Options);

}  // namespace qlite
