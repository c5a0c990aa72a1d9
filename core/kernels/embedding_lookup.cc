// EMBEDDING_LOOKUP copies the rows of `value` (input 1, rank >= 2) that the
// int32 ids (input 0, 1-D) name: output = [ids, value dims 1...]. float32,
// int8 and uint8 rows are copied as they are (quantized value and output
// share parameters); the hybrid form, an int8 or uint8 table with a float32
// output, dequantizes as TFLite does: the stored byte read as int8 times the
// row's scale (per tensor, or one scale per row), the zero point ignored.
// An id outside [0, rows) fails the run.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

QLITE_PREPARE_TIME Status EmbeddingLookupPrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor *ids = nullptr, *value = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &ids));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &value));
  QLITE_RETURN_IF_ERROR(CheckType(*ids, {DType::kInt32}, "ids"));
  QLITE_RETURN_IF_ERROR(CheckRank(*ids, 1, "ids"));
  QLITE_RETURN_IF_ERROR(CheckType(*value, {DType::kFloat32, DType::kInt8, DType::kUInt8}, "value"));
  QLITE_ENSURE(value->rank() >= 2, "value tensor '", value->name(), "' must have rank >= 2, has ",
               ShapeToString(value->shape));
  const Tensor& output = *ctx.output(0);
  if (value->type != DType::kFloat32 && output.type == DType::kFloat32) {
    const Quantization& q = value->quant();
    QLITE_ENSURE(!q.scale.empty() &&
                     (q.scale.size() == 1 || static_cast<int64_t>(q.scale.size()) == value->dim(0)),
                 "value tensor '", value->name(), "' needs one scale or one per row (",
                 value->dim(0), "), has ", q.scale.size());
  } else {
    QLITE_RETURN_IF_ERROR(CheckType(output, {value->type}, "output"));
    QLITE_RETURN_IF_ERROR(CheckSameQuantization(*value, output));
  }
  Shape out = value->shape;
  out[0] = ids->dim(0);
  return ctx.SetOutputShape(0, std::move(out));
}

Status EmbeddingLookupEval(OpContext& ctx) {
  const Tensor& ids = *ctx.input(0);
  const Tensor& value = *ctx.input(1);
  Tensor& output = *ctx.output(0);
  const int64_t rows = value.dim(0);
  const int64_t row_size = rows == 0 ? 0 : value.num_elements() / rows;
  const bool hybrid = value.type != DType::kFloat32 && output.type == DType::kFloat32;
  const size_t row_bytes = row_size * DTypeSize(value.type);
  const std::vector<float>& scales = value.quant().scale;
  for (int64_t i = 0; i < ids.dim(0); ++i) {
    const int32_t id = ids.data_as<int32_t>()[i];
    QLITE_ENSURE(id >= 0 && id < rows, "embedding_lookup id ", id, " is outside [0, ", rows, ")");
    if (!hybrid) {
      if (row_bytes > 0) {
        std::memcpy(output.data + i * row_bytes, value.data + id * row_bytes, row_bytes);
      }
      continue;
    }
    // One float multiply of exact operands: the float of TFLite's double product.
    const float scale = scales.size() == 1 ? scales[0] : scales[id];
    const int8_t* from = reinterpret_cast<const int8_t*>(value.data) + id * row_size;
    float* to = output.data_as<float>() + i * row_size;
    for (int64_t j = 0; j < row_size; ++j) to[j] = static_cast<float>(from[j]) * scale;
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* EmbeddingLookup() {
  static const KernelRegistration kRegistration = {"embedding_lookup_reference",
                                                   EmbeddingLookupPrepare, EmbeddingLookupEval};
  return &kRegistration;
}
}  // namespace ref

}  // namespace qlite
