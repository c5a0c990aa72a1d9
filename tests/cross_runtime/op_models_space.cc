// One-op models of DEPTH_TO_SPACE, SPACE_TO_DEPTH, SPACE_TO_BATCH_ND,
// BATCH_TO_SPACE_ND and MIRROR_PAD: block sizes 2 and 4, odd paddings and
// crops, batches > 1, 3-D batch ops, for every dtype TFLite has a kernel for,
// with the op versions TFLite's converter writes.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/space_rearrange.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

int Int8Version(DType type) { return type == DType::kInt8 ? 2 : 1; }

Model DepthSpace(BuiltinOp op, DType type, std::vector<int32_t> shape, int32_t block_size) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(op, {in}, {out}, BlockSizeOptions{block_size}, Int8Version(type));
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// SPACE_TO_BATCH_ND (edges = paddings) or BATCH_TO_SPACE_ND (edges = crops).
Model SpaceBatch(BuiltinOp op, DType type, std::vector<int32_t> shape, std::vector<int32_t> block,
                 std::vector<int32_t> edges) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int32_t spatial = static_cast<int32_t>(block.size());
  const int bl = b.AddConstant("block_shape", DType::kInt32, {spatial}, block);
  const int ed = b.AddConstant("edges", DType::kInt32, {spatial, 2}, edges);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  const int version = type == DType::kInt16 ? 4 : shape.size() != 4 ? 3 : Int8Version(type);
  b.AddOperator(op, {in, bl, ed}, {out}, {}, version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model MirrorPad(DType type, std::vector<int32_t> shape, std::vector<int32_t> paddings, uint8_t mode,
                DType paddings_type) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const std::vector<int32_t> pshape = {static_cast<int32_t>(shape.size()), 2};
  const int p = paddings_type == DType::kInt64
                    ? b.AddConstant("paddings", DType::kInt64, pshape,
                                    std::vector<int64_t>(paddings.begin(), paddings.end()))
                    : b.AddConstant("paddings", DType::kInt32, pshape, paddings);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  const int version = type == DType::kInt16 ? 3 : Int8Version(type);
  b.AddOperator(BuiltinOp::kMirrorPad, {in, p}, {out}, MirrorPadOptions{mode}, version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddSpaceModels(OpModels* models) {
  const DType all[] = {DType::kFloat32, DType::kInt8,  DType::kUInt8,
                       DType::kInt16,   DType::kInt32, DType::kInt64};
  for (DType type : all) {
    const std::string t = DTypeName(type);
    if (type != DType::kInt16) {  // TFLite has no int16 DEPTH_TO_SPACE / SPACE_TO_DEPTH
      models->push_back({"depth_to_space_" + t + "_block2", [=] {
                           return DepthSpace(BuiltinOp::kDepthToSpace, type, {2, 3, 5, 12}, 2);
                         }});
      models->push_back({"depth_to_space_" + t + "_block4", [=] {
                           return DepthSpace(BuiltinOp::kDepthToSpace, type, {1, 2, 3, 32}, 4);
                         }});
      models->push_back({"space_to_depth_" + t + "_block2", [=] {
                           return DepthSpace(BuiltinOp::kSpaceToDepth, type, {2, 6, 4, 3}, 2);
                         }});
      models->push_back({"space_to_depth_" + t + "_block4", [=] {
                           return DepthSpace(BuiltinOp::kSpaceToDepth, type, {1, 8, 12, 2}, 4);
                         }});
    }
    models->push_back(
        {"space_to_batch_nd_" + t + "_odd_paddings", [=] {
           return SpaceBatch(BuiltinOp::kSpaceToBatchNd, type, {2, 5, 4, 3}, {3, 2}, {1, 0, 1, 1});
         }});
    models->push_back(
        {"space_to_batch_nd_" + t + "_block4", [=] {
           return SpaceBatch(BuiltinOp::kSpaceToBatchNd, type, {1, 8, 4, 2}, {4, 4}, {0, 0, 0, 0});
         }});
    models->push_back(
        {"space_to_batch_nd_" + t + "_3d", [=] {
           return SpaceBatch(BuiltinOp::kSpaceToBatchNd, type, {2, 5, 3}, {2}, {0, 1});
         }});
    models->push_back(
        {"batch_to_space_nd_" + t + "_odd_crops", [=] {
           return SpaceBatch(BuiltinOp::kBatchToSpaceNd, type, {12, 2, 3, 3}, {3, 2}, {1, 0, 0, 1});
         }});
    models->push_back(
        {"batch_to_space_nd_" + t + "_block4", [=] {
           return SpaceBatch(BuiltinOp::kBatchToSpaceNd, type, {16, 2, 1, 2}, {4, 4}, {0, 0, 0, 0});
         }});
    models->push_back(
        {"batch_to_space_nd_" + t + "_3d", [=] {
           return SpaceBatch(BuiltinOp::kBatchToSpaceNd, type, {4, 3, 2}, {2}, {1, 0});
         }});
    models->push_back({"mirror_pad_" + t + "_reflect", [=] {
                         return MirrorPad(type, {2, 4, 5, 3}, {1, 0, 3, 2, 0, 4, 2, 1},
                                          kMirrorPadReflect, DType::kInt32);
                       }});
    models->push_back({"mirror_pad_" + t + "_symmetric_int64_paddings", [=] {
                         return MirrorPad(type, {3, 4, 2}, {3, 1, 0, 4, 2, 2}, kMirrorPadSymmetric,
                                          DType::kInt64);
                       }});
  }
}

}  // namespace qlite
