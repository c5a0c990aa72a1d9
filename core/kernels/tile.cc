// TILE: repeats the input multiples[d] times along each dimension d, as
// TFLite's kernel does it: float32, int8, uint8, int32, int64 and bool (bytes
// are copied; TFLite has no int16 TILE). multiples is a 1-D int32/int64
// tensor with one entry >= 0 per input dimension; when it is computed at run
// time, the output is dynamic and sized in eval.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

constexpr int kMaxRank = 8;

struct TileData : OpData {
  Shape out_shape;
  int64_t in_strides[kMaxRank] = {};
};

// Walks the output row by row (a row is the last dimension); each row is the
// matching input row repeated, found through the index modulo the input shape.
void TileRows(const TileData& d, const Tensor& input, uint8_t* out) {
  const int rank = static_cast<int>(d.out_shape.size());
  const size_t element = DTypeSize(input.type);
  if (ShapeElementCount(d.out_shape) == 0) return;
  if (rank == 0) {
    std::memcpy(out, input.data, element);
    return;
  }
  const int32_t in_row = input.dim(rank - 1);
  const size_t row_bytes = static_cast<size_t>(in_row) * element;
  const int32_t repeats = d.out_shape[rank - 1] / in_row;
  int32_t index[kMaxRank] = {};
  while (true) {
    int64_t offset = 0;
    for (int k = 0; k < rank - 1; ++k) offset += (index[k] % input.dim(k)) * d.in_strides[k];
    const uint8_t* row = input.data + offset * element;
    for (int32_t r = 0; r < repeats; ++r, out += row_bytes) std::memcpy(out, row, row_bytes);
    int k = rank - 2;
    for (; k >= 0; --k) {
      if (++index[k] < d.out_shape[k]) break;
      index[k] = 0;
    }
    if (k < 0) return;
  }
}

// The output shape for `multiples` (read at prepare when constant, else at
// each eval).
Status TiledShape(const Tensor& input, const std::vector<int32_t>& multiples, Shape* shape) {
  const int rank = input.rank();
  QLITE_ENSURE(static_cast<int>(multiples.size()) == rank, "multiples has ", multiples.size(),
               " entries, input '", input.name(), "' has rank ", rank);
  shape->clear();
  for (int d = 0; d < rank; ++d) {
    QLITE_ENSURE(multiples[d] >= 0, "multiple ", multiples[d], " of dimension ", d,
                 " must be >= 0");
    const int64_t size = int64_t{input.dim(d)} * multiples[d];
    QLITE_ENSURE(size <= INT32_MAX, "tiled dimension ", d, " would have ", size, " elements");
    shape->push_back(static_cast<int32_t>(size));
  }
  return Status::Ok();
}

Status TilePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor *input = nullptr, *multiples_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &multiples_tensor));
  QLITE_RETURN_IF_ERROR(CheckCopiedInput(
      ctx, *input,
      {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt32, DType::kInt64, DType::kBool}));
  const int rank = input->rank();
  QLITE_ENSURE(rank <= kMaxRank, "TILE supports rank up to ", kMaxRank, ", input '", input->name(),
               "' has shape ", ShapeToString(input->shape));
  QLITE_RETURN_IF_ERROR(CheckRank(*multiples_tensor, 1, "multiples"));
  QLITE_RETURN_IF_ERROR(CheckType(*multiples_tensor, {DType::kInt32, DType::kInt64}, "multiples"));

  auto* data = ctx.NewOpData<TileData>();
  for (int d = rank - 1; d >= 0; --d) {
    data->in_strides[d] = d == rank - 1 ? 1 : data->in_strides[d + 1] * input->dim(d + 1);
  }
  if (!ValuesKnownAtPrepare(*multiples_tensor)) return ctx.MarkOutputDynamic(0);
  std::vector<int32_t> multiples;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*multiples_tensor, "multiples", &multiples));
  QLITE_RETURN_IF_ERROR(TiledShape(*input, multiples, &data->out_shape));
  return ctx.SetOutputShape(0, data->out_shape);
}

Status TileEval(OpContext& ctx) {
  auto* data = ctx.op_data<TileData>();
  if (ctx.output(0)->is_dynamic()) {
    std::vector<int32_t> multiples;
    QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(1), "multiples", &multiples));
    QLITE_RETURN_IF_ERROR(TiledShape(*ctx.input(0), multiples, &data->out_shape));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, data->out_shape));
  }
  TileRows(*data, *ctx.input(0), ctx.output(0)->data);
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Tile() {
  static const KernelRegistration kRegistration = {"tile_reference", TilePrepare, TileEval};
  return &kRegistration;
}
}  // namespace ref

extern const OptionsIO kTileOptionsIO;
const OptionsIO kTileOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::TileOptions);

}  // namespace qlite
