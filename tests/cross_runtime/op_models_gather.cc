// One-op models of GATHER, GATHER_ND, SHAPE, RANK and RANGE. The gathers
// move bytes, so every dtype the page can feed, with constant in-range
// indices; RANGE's inputs are constants (the only kind qlite supports), so
// its output is added to (float32) or gathers from (int32, int64) the fed
// input.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/gather.h"
#include "core/kernels/shape_query.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

constexpr DType kGatherTypes[] = {DType::kFloat32, DType::kInt8,  DType::kUInt8, DType::kInt16,
                                  DType::kInt32,   DType::kInt64, DType::kBool};

// The op version TFLite's converter writes for a GATHER of these params.
int GatherVersion(DType type, int32_t batch_dims) {
  if (batch_dims != 0) return 5;
  if (type == DType::kInt16) return 4;
  if (type == DType::kBool) return 3;
  return type == DType::kInt8 ? 2 : 1;
}

int IndexConstant(ModelBuilder& b, DType type, std::vector<int32_t> shape,
                  const std::vector<int32_t>& v) {
  return type == DType::kInt32
             ? b.AddConstant("indices", type, shape, v)
             : b.AddConstant("indices", type, shape, std::vector<int64_t>(v.begin(), v.end()));
}

Model Gather(DType type, std::vector<int32_t> shape, std::vector<int32_t> indices_shape,
             std::vector<int32_t> indices, DType index_type, GatherOptions options) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int i = IndexConstant(b, index_type, indices_shape, indices);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kGather, {in, i}, {out}, options,
                GatherVersion(type, options.batch_dims));
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model GatherNd(DType type, std::vector<int32_t> shape, std::vector<int32_t> indices_shape,
               std::vector<int32_t> indices, DType index_type) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int i = IndexConstant(b, index_type, indices_shape, indices);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  const int version = type == DType::kBool ? 5 : type == DType::kInt16 ? 3 : 1;
  b.AddOperator(BuiltinOp::kGatherNd, {in, i}, {out}, {}, version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// x (fed, [24]) gathered at SHAPE or RANK of x reshaped to `shape`: LiteRT
// computes SHAPE and RANK at prepare into read-only tensors that it does not
// copy to a model output buffer (it returns zeros), so they feed an op here.
Model ShapeOrRank(BuiltinOp op, DType out_type, std::vector<int32_t> shape) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {24});
  const int dims =
      b.AddConstant("dims", DType::kInt32, {static_cast<int32_t>(shape.size())}, shape);
  const int t = b.AddTensor("t", DType::kFloat32, shape);
  b.AddOperator(BuiltinOp::kReshape, {x, dims}, {t});
  const int s = b.AddTensor("s", out_type, {});
  if (op == BuiltinOp::kShape) {
    b.AddOperator(op, {t}, {s}, ShapeOptions{static_cast<uint8_t>(out_type)});
  } else {
    b.AddOperator(op, {t}, {s});
  }
  const int y = b.AddTensor("y", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kGather, {x, s}, {y}, GatherOptions{});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Build();
}

// x + RANGE(start, limit, delta) for float32; for int32 and int64 (which
// qlite's ADD does not take) x gathered at RANGE's values.
template <typename T>
Model Range(DType type, T start, T limit, T delta, int32_t x_size) {
  ModelBuilder b;
  const int s = b.AddConstant("start", type, {}, std::vector<T>{start});
  const int l = b.AddConstant("limit", type, {}, std::vector<T>{limit});
  const int d = b.AddConstant("delta", type, {}, std::vector<T>{delta});
  const int r = b.AddTensor("range", type, {});
  b.AddOperator(BuiltinOp::kRange, {s, l, d}, {r}, {}, type == DType::kInt64 ? 2 : 1);
  const int x = b.AddTensor("x", DType::kFloat32, {x_size});
  const int y = b.AddTensor("y", DType::kFloat32, {});
  if (type != DType::kFloat32) {
    b.AddOperator(BuiltinOp::kGather, {x, r}, {y}, GatherOptions{});
  } else {
    b.AddOperator(BuiltinOp::kAdd, {x, r}, {y}, ElementwiseOptions{});
  }
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Build();
}

}  // namespace

void AddGatherModels(OpModels* models_out) {
  OpModels& models = *models_out;
  for (DType type : kGatherTypes) {
    const std::string t = DTypeName(type);
    models.push_back({"gather_" + t + "_axis1", [=] {
                        return Gather(type, {4, 5, 3}, {2, 2}, {3, 0, 4, 4}, DType::kInt32, {1, 0});
                      }});
    models.push_back({"gather_" + t + "_axis-1_int64", [=] {
                        return Gather(type, {3, 4, 3}, {4}, {2, 0, 2, 1}, DType::kInt64, {-1, 0});
                      }});
    models.push_back({"gather_" + t + "_batch_dims1", [=] {
                        return Gather(type, {3, 5, 2}, {3, 4}, {4, 0, 1, 1, 2, 2, 3, 0, 0, 4, 4, 1},
                                      DType::kInt32, {1, 1});
                      }});
    models.push_back({"gather_nd_" + t + "_slices", [=] {
                        return GatherNd(type, {4, 3, 5}, {3, 2}, {1, 2, 3, 0, 0, 1}, DType::kInt32);
                      }});
    models.push_back({"gather_nd_" + t + "_elements_int64", [=] {
                        return GatherNd(type, {4, 3, 5}, {2, 3}, {1, 2, 4, 3, 0, 0}, DType::kInt64);
                      }});
  }
  for (DType out_type : {DType::kInt32, DType::kInt64}) {
    models.push_back({std::string("shape_") + DTypeName(out_type), [=] {
                        return ShapeOrRank(BuiltinOp::kShape, out_type, {2, 3, 4});
                      }});
  }
  models.push_back({"rank", [] {
                      return ShapeOrRank(BuiltinOp::kRank, DType::kInt32, {2, 3, 4, 1});
                    }});
  models.push_back({"range_float32", [] { return Range<float>(DType::kFloat32, 0, 1, 0.1f, 10); }});
  models.push_back(
      {"range_float32_down", [] { return Range<float>(DType::kFloat32, 2.5f, -1.3f, -0.7f, 6); }});
  models.push_back(
      {"range_int32_down", [] { return Range<int32_t>(DType::kInt32, 9, -1, -2, 10); }});
  models.push_back({"range_int64", [] { return Range<int64_t>(DType::kInt64, 1, 12, 3, 12); }});
}

}  // namespace qlite
