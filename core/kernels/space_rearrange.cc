// Ops that only move values between positions, as TFLite's kernels do:
//   DEPTH_TO_SPACE / SPACE_TO_DEPTH  NHWC, block_size >= 1, DCR order;
//   SPACE_TO_BATCH_ND                pad H (and W) then fold blocks into the
//                                    batch; the padding is 0, or the output
//                                    zero point for quantized types;
//   BATCH_TO_SPACE_ND                unfold the batch into blocks, then crop;
//   MIRROR_PAD                       REFLECT or SYMMETRIC, any rank.
// The batch ops take 3-D [N, H, C] or 4-D [N, H, W, C] inputs and constant
// int32 block_shape / paddings / crops; MIRROR_PAD's paddings may be computed
// at run time (its output is then dynamic and sized in eval).
//
// Every one of them is separable: along each dimension of a walked "domain"
// shape, the input offset and the output offset each add one term that
// depends on that dimension's index only. Prepare fills those terms into
// tables; one walk then copies input[sum of input terms] to output[sum of
// output terms], or writes the fill value where an input term marks padding.
#include "core/kernels/space_rearrange.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

constexpr int64_t kPadding = -1;  // an input term that means "write the fill value"

// TFLite's dtypes for SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND and MIRROR_PAD
// (DEPTH_TO_SPACE and SPACE_TO_DEPTH have no int16 kernel).
constexpr std::initializer_list<DType> kBatchAndMirrorTypes = {
    DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64};

struct RearrangeData : OpData {
  Shape domain;
  std::vector<std::vector<int64_t>> from, to;  // per domain dimension, per index
  size_t element_size = 0;
  uint8_t fill[8] = {};
};

// One innermost row of the walk; `inside` is false when an outer dimension
// already points into the padding.
template <typename T>
void MoveRow(const RearrangeData& d, const uint8_t* in, uint8_t* out, int64_t from, int64_t to,
             bool inside) {
  const int inner = static_cast<int>(d.domain.size()) - 1;
  const int64_t* row_from = d.from[inner].data();
  const int64_t* row_to = d.to[inner].data();
  T fill;
  std::memcpy(&fill, d.fill, sizeof(T));
  const T* src = reinterpret_cast<const T*>(in) + from;
  T* dst = reinterpret_cast<T*>(out) + to;
  for (int32_t i = 0; i < d.domain[inner]; ++i) {
    dst[row_to[i]] = inside && row_from[i] != kPadding ? src[row_from[i]] : fill;
  }
}

Status RearrangeEval(OpContext& ctx) {
  const auto& d = *ctx.op_data<RearrangeData>();
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = ctx.output(0)->data;
  const int inner = static_cast<int>(d.domain.size()) - 1;
  const int64_t count = ShapeElementCount(d.domain);
  std::vector<int32_t> index(inner + 1, 0);
  for (int64_t done = 0; done < count; done += d.domain[inner]) {
    int64_t from = 0, to = 0;
    bool inside = true;
    for (int k = 0; k < inner; ++k) {
      const int64_t term = d.from[k][index[k]];
      inside = inside && term != kPadding;
      from += term;
      to += d.to[k][index[k]];
    }
    switch (d.element_size) {
      case 1: MoveRow<uint8_t>(d, in, out, from, to, inside); break;
      case 2: MoveRow<uint16_t>(d, in, out, from, to, inside); break;
      case 4: MoveRow<uint32_t>(d, in, out, from, to, inside); break;
      default: MoveRow<uint64_t>(d, in, out, from, to, inside); break;
    }
    for (int k = inner - 1; k >= 0; --k) {
      if (++index[k] < d.domain[k]) break;
      index[k] = 0;
    }
  }
  return Status::Ok();
}

// Row-major strides (in elements) of `shape`.
std::vector<int64_t> Strides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) {
    strides[i] = strides[i + 1] * shape[i + 1];
  }
  return strides;
}

// Appends a domain dimension of `size`; the caller fills its two term tables.
void NewAxis(RearrangeData* d, int32_t size, int64_t** from, int64_t** to) {
  d->domain.push_back(size);
  d->from.emplace_back(size);
  d->to.emplace_back(size);
  *from = d->from.back().data();
  *to = d->to.back().data();
}

// Terms of a blocked side: index i = o + shift is block i / block at
// `block_stride` and offset i % block at `offset_stride`.
void BlockedTerms(int32_t size, int64_t shift, int32_t block, int64_t block_stride,
                  int64_t offset_stride, int64_t* terms) {
  for (int32_t o = 0; o < size; ++o) {
    const int64_t i = o + shift;
    terms[o] = (i / block) * block_stride + (i % block) * offset_stride;
  }
}

// Terms of a plain side: index r = o + shift at `stride`, padding outside [0, real).
void LinearTerms(int32_t size, int64_t shift, int32_t real, int64_t stride, int64_t* terms) {
  for (int32_t o = 0; o < size; ++o) {
    const int64_t r = o + shift;
    terms[o] = r >= 0 && r < real ? r * stride : kPadding;
  }
}

// The four axes of the block ops. `space` is the real [N, H, W, C] tensor of
// the space side, `blocked` the batch or depth side, `walk` the space side as
// walked (the padded input of SPACE_TO_BATCH_ND). H and W index i of the
// blocked side is block row i / block[s], offset i % block[s]; offsets step
// by `offset_strides`. `before` is the padding or crop before H and W.
void AddBlockAxes(RearrangeData* d, const Shape& walk, const Shape& space, const Shape& blocked,
                  const int32_t* block, const int32_t* before, const int64_t* offset_strides,
                  bool space_is_input) {
  const bool padded = walk != space;  // else crops (if any) shift the blocked side
  const std::vector<int64_t> space_strides = Strides(space), blocked_strides = Strides(blocked);
  for (int dim = 0; dim < 4; ++dim) {
    const bool spatial = dim == 1 || dim == 2;
    const int32_t shift = spatial ? before[dim - 1] : 0;
    int64_t *from = nullptr, *to = nullptr;
    NewAxis(d, walk[dim], &from, &to);
    BlockedTerms(walk[dim], padded ? 0 : shift, spatial ? block[dim - 1] : 1, blocked_strides[dim],
                 offset_strides[dim], space_is_input ? to : from);
    LinearTerms(walk[dim], padded ? -shift : 0, space[dim], space_strides[dim],
                space_is_input ? from : to);
  }
}

Status CheckDim(int64_t size, const char* what) {
  QLITE_ENSURE(size >= 0 && size <= INT32_MAX, "output ", what, " would be ", size);
  return Status::Ok();
}

// Sets output 0's shape. `*walk_needed` is false for an empty output (no
// tables then); the tables, 16 bytes per walked index, must stay far below
// the 1 GiB a tensor may have.
// `resize`: the output is dynamic and eval sizes it.
Status SetOutputForWalk(OpContext& ctx, const Shape& out_shape, const Shape& walk, RearrangeData* d,
                        bool* walk_needed, bool resize = false) {
  QLITE_RETURN_IF_ERROR(resize ? ctx.ResizeOutput(0, out_shape) : ctx.SetOutputShape(0, out_shape));
  *walk_needed = ShapeElementCount(out_shape) > 0;
  if (!*walk_needed) d->domain = {0};
  int64_t indices = 0;
  for (int32_t n : walk) indices += n;
  QLITE_ENSURE(!*walk_needed || indices <= (int64_t{1} << 24), "walking shape ",
               ShapeToString(walk), " would need index tables over 256 MiB");
  return Status::Ok();
}

// The checks every op of the file shares; returns the node's data.
Status PrepareMove(OpContext& ctx, int inputs, std::initializer_list<DType> types,
                   const Tensor** input, RearrangeData** data) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, inputs, inputs, 1));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, input));
  QLITE_RETURN_IF_ERROR(CheckCopiedInput(ctx, **input, types));
  *data = ctx.NewOpData<RearrangeData>();
  (*data)->element_size = DTypeSize((*input)->type);
  return Status::Ok();
}

// DEPTH_TO_SPACE walks its output, SPACE_TO_DEPTH its input: index h of the
// space side is block row h / bs, offset h % bs inside the block, and the
// block offsets (hb, wb) select depth slice (hb * bs + wb) of the depth side.
QLITE_PREPARE_TIME Status DepthSpacePrepare(OpContext& ctx, bool to_space) {
  const Tensor* input = nullptr;
  RearrangeData* d = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareMove(
      ctx, 1, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt32, DType::kInt64}, &input,
      &d));
  QLITE_RETURN_IF_ERROR(CheckRank(*input, 4, "input"));
  const int32_t bs = ctx.options<BlockSizeOptions>().block_size;
  QLITE_ENSURE(bs >= 1, "block_size is ", bs, "; it must be >= 1");
  const int32_t batch = input->dim(0), height = input->dim(1), width = input->dim(2),
                depth = input->dim(3);
  Shape space, deep;  // the [N, H, W, C] shapes of the space side and the depth side
  if (to_space) {
    QLITE_ENSURE(depth % (int64_t{bs} * bs) == 0, "input depth ", depth,
                 " is not a multiple of block_size^2 = ", int64_t{bs} * bs);
    QLITE_RETURN_IF_ERROR(CheckDim(int64_t{height} * bs, "height"));
    QLITE_RETURN_IF_ERROR(CheckDim(int64_t{width} * bs, "width"));
    space = {batch, height * bs, width * bs, static_cast<int32_t>(depth / (int64_t{bs} * bs))};
    deep = input->shape;
  } else {
    QLITE_ENSURE(height % bs == 0 && width % bs == 0, "input height ", height, " and width ", width,
                 " must be multiples of block_size ", bs);
    QLITE_RETURN_IF_ERROR(CheckDim(int64_t{depth} * bs * bs, "depth"));
    space = input->shape;
    deep = {batch, height / bs, width / bs, depth * bs * bs};
  }
  // Offsets inside an H block step over bs depth slices, inside a W block over one.
  const int32_t blocks[2] = {bs, bs}, none[2] = {0, 0};
  const int64_t offset_strides[4] = {0, int64_t{bs} * space[3], space[3], 0};
  bool walk_needed = false;
  QLITE_RETURN_IF_ERROR(SetOutputForWalk(ctx, to_space ? space : deep, space, d, &walk_needed));
  if (walk_needed) AddBlockAxes(d, space, space, deep, blocks, none, offset_strides, !to_space);
  return Status::Ok();
}

QLITE_PREPARE_TIME Status DepthToSpacePrepare(OpContext& ctx) {
  return DepthSpacePrepare(ctx, true);
}
QLITE_PREPARE_TIME Status SpaceToDepthPrepare(OpContext& ctx) {
  return DepthSpacePrepare(ctx, false);
}

// SPACE_TO_BATCH_ND walks its padded input [N, Hp, Wp, C], BATCH_TO_SPACE_ND
// its output [N, H, W, C]; the batch side is [bh * bw * N, Hp / bh, Wp / bw, C]
// and its batch index is (hp % bh * bw + wp % bw) * N + n, as in TFLite.
// A 3-D input is walked as 4-D with W = 1 and a block width of 1.
QLITE_PREPARE_TIME Status SpaceBatchPrepare(OpContext& ctx, bool to_batch) {
  const Tensor* input = nullptr;
  RearrangeData* d = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareMove(ctx, 3, kBatchAndMirrorTypes, &input, &d));
  const int rank = input->rank();
  const int spatial = rank - 2;
  const Tensor* block_tensor = nullptr;
  const Tensor* edges_tensor = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &block_tensor));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &edges_tensor));
  const char* edges_role = to_batch ? "paddings" : "crops";
  QLITE_RETURN_IF_ERROR(CheckType(*block_tensor, {DType::kInt32}, "block_shape"));
  QLITE_RETURN_IF_ERROR(CheckType(*edges_tensor, {DType::kInt32}, edges_role));
  QLITE_ENSURE((rank == 3 || rank == 4) && block_tensor->shape == Shape{spatial} &&
                   edges_tensor->shape == (Shape{spatial, 2}),
               "input, block_shape and ", edges_role, " have shapes ", ShapeToString(input->shape),
               ", ", ShapeToString(block_tensor->shape), ", ", ShapeToString(edges_tensor->shape),
               "; expected a 3-D or 4-D input, [rank - 2] and [rank - 2,2]");
  std::vector<int32_t> block, edges;
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*block_tensor, "block_shape", &block));
  QLITE_RETURN_IF_ERROR(ReadConstantInt32s(*edges_tensor, edges_role, &edges));
  block.resize(2, 1);  // 3-D: a width of 1, not split and not padded
  edges.resize(4, 0);
  const int32_t in_batch = input->dim(0), channels = input->dim(rank - 1);
  const Shape in4 = {in_batch, input->dim(1), spatial == 2 ? input->dim(2) : 1, channels};
  const int64_t block_count = int64_t{block[0]} * block[1];
  QLITE_ENSURE(block[0] >= 1 && block[1] >= 1 && block_count <= INT32_MAX &&
                   *std::min_element(edges.begin(), edges.end()) >= 0,
               "block_shape ", ShapeToString(block), " must be >= 1 (product <= INT32_MAX) and ",
               edges_role, " ", ShapeToString(edges), " >= 0");
  // `space` is the real [N, H, W, C] tensor of the space side (the input or
  // the cropped output), `batched` the other side; `full` holds the padded or
  // uncropped spatial sizes.
  Shape space = in4, batched = in4;
  int64_t full[2];
  if (to_batch) {
    QLITE_RETURN_IF_ERROR(CheckDim(in_batch * block_count, "batch"));
    batched[0] = static_cast<int32_t>(in_batch * block_count);
  } else {
    QLITE_ENSURE(in_batch % block_count == 0, "input batch ", in_batch,
                 " is not a multiple of the block_shape product ", block_count);
    space[0] = static_cast<int32_t>(in_batch / block_count);
  }
  for (int s = 0; s < 2; ++s) {
    const int64_t before = edges[2 * s], after = edges[2 * s + 1];
    if (to_batch) {
      full[s] = in4[s + 1] + before + after;
      QLITE_ENSURE(full[s] % block[s] == 0, "padded input dimension ", s + 1, " (", full[s],
                   ") is not a multiple of its block size");
      QLITE_RETURN_IF_ERROR(CheckDim(full[s], "spatial dimension"));
      batched[s + 1] = static_cast<int32_t>(full[s] / block[s]);
    } else {
      full[s] = int64_t{in4[s + 1]} * block[s];
      QLITE_RETURN_IF_ERROR(CheckDim(full[s] - before - after, "spatial dimension"));
      space[s + 1] = static_cast<int32_t>(full[s] - before - after);
    }
  }
  // A block offset of one W step moves N batches, of one H step bw * N.
  const int64_t batch_step = int64_t{space[0]} * batched[1] * batched[2] * channels;
  const int64_t offset_strides[4] = {0, block[1] * batch_step, batch_step, 0};
  const int32_t before[2] = {edges[0], edges[2]};
  Shape walk = space;
  if (to_batch)
    walk = {space[0], static_cast<int32_t>(full[0]), static_cast<int32_t>(full[1]), channels};
  // TFLite pads quantized outputs with the output zero point.
  const DType type = input->type;
  if (to_batch && (type == DType::kInt8 || type == DType::kUInt8 || type == DType::kInt16)) {
    QLITE_RETURN_IF_ERROR(ZeroPointBytes(*ctx.output(0), d->fill));
  }
  Shape out_shape = to_batch ? batched : space;
  if (spatial == 1) out_shape = {out_shape[0], out_shape[1], channels};
  bool walk_needed = false;
  QLITE_RETURN_IF_ERROR(SetOutputForWalk(ctx, out_shape, walk, d, &walk_needed));
  if (walk_needed) {
    AddBlockAxes(d, walk, space, batched, block.data(), before, offset_strides, to_batch);
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status SpaceToBatchPrepare(OpContext& ctx) {
  return SpaceBatchPrepare(ctx, true);
}
QLITE_PREPARE_TIME Status BatchToSpacePrepare(OpContext& ctx) {
  return SpaceBatchPrepare(ctx, false);
}

// MIRROR_PAD walks its output; before the input, index o mirrors to
// before - 1 - o (+1 for REFLECT, which leaves the edge value out), after it
// to size - 1 - j (-1 for REFLECT) for the j-th padded value. The tables are
// built at prepare for constant paddings, else at each eval (`resize`).
QLITE_PREPARE_TIME Status MirrorPadWalk(OpContext& ctx, bool resize) {
  const Tensor& input = *ctx.input(0);
  auto* d = ctx.op_data<RearrangeData>();
  std::vector<int32_t> values;  // 2 * rank of them: prepare checked the shape
  QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(1), "paddings", &values));
  const int rank = input.rank();
  const uint8_t mode = ctx.options<MirrorPadOptions>().mode;
  QLITE_ENSURE(mode == kMirrorPadReflect || mode == kMirrorPadSymmetric, "MIRROR_PAD mode ",
               int{mode}, " is neither REFLECT (0) nor SYMMETRIC (1)");
  const int32_t edge = mode == kMirrorPadReflect ? 1 : 0;  // values the mirror leaves out
  const std::vector<int64_t> strides = Strides(input.shape);
  Shape out_shape;
  for (int dim = 0; dim < rank; ++dim) {
    const int32_t before = values[2 * dim], after = values[2 * dim + 1], size = input.dim(dim);
    const int32_t most = std::max(0, size - edge);
    QLITE_ENSURE(before >= 0 && after >= 0 && before <= most && after <= most,
                 "paddings of dimension ", dim, " are (", before, ",", after, "); ",
                 edge ? "REFLECT" : "SYMMETRIC", " allows 0..", most, " for size ", size);
    QLITE_RETURN_IF_ERROR(CheckDim(int64_t{size} + before + after, "dimension"));
    out_shape.push_back(size + before + after);
  }
  d->domain.clear();
  d->from.clear();
  d->to.clear();
  bool walk_needed = false;
  QLITE_RETURN_IF_ERROR(SetOutputForWalk(ctx, out_shape, out_shape, d, &walk_needed, resize));
  if (!walk_needed) return Status::Ok();
  const std::vector<int64_t> out_strides = Strides(out_shape);
  for (int dim = 0; dim < rank; ++dim) {
    const int32_t before = values[2 * dim], size = input.dim(dim);
    int64_t *from = nullptr, *to = nullptr;
    NewAxis(d, out_shape[dim], &from, &to);
    LinearTerms(out_shape[dim], 0, out_shape[dim], out_strides[dim], to);
    for (int32_t o = 0; o < out_shape[dim]; ++o) {
      int64_t i = int64_t{o} - before;
      if (i < 0) i = -i - 1 + edge;
      if (i >= size) i = 2 * int64_t{size} - 1 - i - edge;
      from[o] = i * strides[dim];
    }
  }
  if (rank == 0) {  // one element: a walk of one dimension of size 1
    int64_t *from = nullptr, *to = nullptr;
    NewAxis(d, 1, &from, &to);
    *from = *to = 0;
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status MirrorPadPrepare(OpContext& ctx) {
  const Tensor* input = nullptr;
  RearrangeData* d = nullptr;
  QLITE_RETURN_IF_ERROR(PrepareMove(ctx, 2, kBatchAndMirrorTypes, &input, &d));
  const Tensor* paddings = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &paddings));
  QLITE_RETURN_IF_ERROR(CheckType(*paddings, {DType::kInt32, DType::kInt64}, "paddings"));
  const int rank = input->rank();
  QLITE_ENSURE(paddings->rank() == 2 && paddings->dim(0) == rank && paddings->dim(1) == 2,
               "paddings tensor '", paddings->name(), "' must have shape [", rank, ",2], has ",
               ShapeToString(paddings->shape));
  if (!ValuesKnownAtPrepare(*paddings)) return ctx.MarkOutputDynamic(0);
  return MirrorPadWalk(ctx, false);
}

Status MirrorPadEval(OpContext& ctx) {
  if (ctx.output(0)->is_dynamic()) QLITE_RETURN_IF_ERROR(MirrorPadWalk(ctx, true));
  return RearrangeEval(ctx);
}

}  // namespace

namespace ref {
const KernelRegistration* DepthToSpace() {
  static const KernelRegistration kRegistration = {"depth_to_space_reference", DepthToSpacePrepare,
                                                   RearrangeEval};
  return &kRegistration;
}
const KernelRegistration* SpaceToDepth() {
  static const KernelRegistration kRegistration = {"space_to_depth_reference", SpaceToDepthPrepare,
                                                   RearrangeEval};
  return &kRegistration;
}
const KernelRegistration* SpaceToBatchNd() {
  static const KernelRegistration kRegistration = {"space_to_batch_nd_reference",
                                                   SpaceToBatchPrepare, RearrangeEval};
  return &kRegistration;
}
const KernelRegistration* BatchToSpaceNd() {
  static const KernelRegistration kRegistration = {"batch_to_space_nd_reference",
                                                   BatchToSpacePrepare, RearrangeEval};
  return &kRegistration;
}
const KernelRegistration* MirrorPad() {
  static const KernelRegistration kRegistration = {"mirror_pad_reference", MirrorPadPrepare,
                                                   MirrorPadEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kBlockSizeFields[] = {
    {"block_size", 0, FieldType::kInt32, offsetof(BlockSizeOptions, block_size)},
};
constexpr OptionsField kMirrorPadFields[] = {
    {"mode", 0, FieldType::kUInt8, offsetof(MirrorPadOptions, mode)},
};
extern const OptionsIO kDepthToSpaceOptionsIO, kSpaceToDepthOptionsIO, kSpaceToBatchNdOptionsIO,
    kBatchToSpaceNdOptionsIO, kMirrorPadOptionsIO;
const OptionsIO kDepthToSpaceOptionsIO =
    OptionsIOFor<BlockSizeOptions>(tfl::BuiltinOptions::DepthToSpaceOptions, kBlockSizeFields);
const OptionsIO kSpaceToDepthOptionsIO =
    OptionsIOFor<BlockSizeOptions>(tfl::BuiltinOptions::SpaceToDepthOptions, kBlockSizeFields);
const OptionsIO kSpaceToBatchNdOptionsIO =
    EmptyOptionsIO(tfl::BuiltinOptions::SpaceToBatchNDOptions);
const OptionsIO kBatchToSpaceNdOptionsIO =
    EmptyOptionsIO(tfl::BuiltinOptions::BatchToSpaceNDOptions);
const OptionsIO kMirrorPadOptionsIO =
    OptionsIOFor<MirrorPadOptions>(tfl::BuiltinOptions::MirrorPadOptions, kMirrorPadFields);

}  // namespace qlite
