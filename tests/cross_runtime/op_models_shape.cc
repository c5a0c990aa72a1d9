// One-op models of the shape ops: they move bytes, so every dtype the page
// can feed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/pack.h"
#include "core/kernels/split.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {

Quantization MovedQuant(DType type) {
  return type == DType::kInt8 || type == DType::kUInt8 || type == DType::kInt16
             ? PerTensor(0.5f, type == DType::kUInt8 ? 128 : 0)
             : Quantization{};
}

namespace {

Model Slice(DType type, std::vector<int32_t> shape, std::vector<int32_t> begin,
            std::vector<int32_t> size, DType index_type) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const auto index = [&](const char* name, const std::vector<int32_t>& v) {
    const int32_t n = static_cast<int32_t>(v.size());
    return index_type == DType::kInt32
               ? b.AddConstant(name, index_type, {n}, v)
               : b.AddConstant(name, index_type, {n}, std::vector<int64_t>(v.begin(), v.end()));
  };
  const int bg = index("begin", begin);
  const int sz = index("size", size);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kSlice, {in, bg, sz}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model Tile(DType type, std::vector<int32_t> shape, std::vector<int32_t> multiples) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int m = b.AddConstant("multiples", DType::kInt32, {static_cast<int32_t>(multiples.size())},
                              multiples);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kTile, {in, m}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model ExpandDims(DType type, std::vector<int32_t> shape, int64_t axis) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int ax = b.AddConstant("axis", DType::kInt64, {1}, std::vector<int64_t>{axis});
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kExpandDims, {in, ax}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// x packed with a constant of its shape (the page feeds one input).
Model Pack(DType type, std::vector<int32_t> shape, int32_t axis) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  int32_t count = 1;
  for (int32_t d : shape) count *= d;
  const std::vector<uint8_t> bytes(static_cast<size_t>(count) * DTypeSize(type), 3);
  const int c = b.AddConstantBytes("c", type, shape, bytes, MovedQuant(type));
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kPack, {in, c}, {out}, PackOptions{2, axis});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model Unpack(DType type, std::vector<int32_t> shape, int32_t axis) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int rank = static_cast<int>(shape.size());
  const int32_t num = shape[axis < 0 ? axis + rank : axis];
  std::vector<int32_t> outs;
  for (int32_t i = 0; i < num; ++i) {
    outs.push_back(b.AddTensor("y" + std::to_string(i), type, {}, MovedQuant(type)));
  }
  b.AddOperator(BuiltinOp::kUnpack, {in}, outs, UnpackOptions{num, axis});
  b.SetInputs({in});
  b.SetOutputs(outs);
  return b.Build();
}

Model Split(DType type, std::vector<int32_t> shape, int32_t axis, int32_t num_splits) {
  ModelBuilder b;
  const int ax = b.AddConstant("axis", DType::kInt32, {}, std::vector<int32_t>{axis});
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  std::vector<int32_t> outs;
  for (int32_t i = 0; i < num_splits; ++i) {
    outs.push_back(b.AddTensor("y" + std::to_string(i), type, {}, MovedQuant(type)));
  }
  b.AddOperator(BuiltinOp::kSplit, {ax, in}, outs, SplitOptions{num_splits});
  b.SetInputs({in});
  b.SetOutputs(outs);
  return b.Build();
}

Model SplitV(DType type, std::vector<int32_t> shape, std::vector<int32_t> sizes, int32_t axis) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int32_t n = static_cast<int32_t>(sizes.size());
  const int sz = b.AddConstant("size_splits", DType::kInt32, {n}, sizes);
  const int ax = b.AddConstant("axis", DType::kInt32, {}, std::vector<int32_t>{axis});
  std::vector<int32_t> outs;
  for (int32_t i = 0; i < n; ++i) {
    outs.push_back(b.AddTensor("y" + std::to_string(i), type, {}, MovedQuant(type)));
  }
  b.AddOperator(BuiltinOp::kSplitV, {in, sz, ax}, outs, SplitVOptions{n});
  b.SetInputs({in});
  b.SetOutputs(outs);
  return b.Build();
}

Model ReverseV2(DType type, std::vector<int32_t> shape, int32_t axis) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int ax = b.AddConstant("axis", DType::kInt32, {1}, std::vector<int32_t>{axis});
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kReverseV2, {in, ax}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// TFLite dropped BROADCAST_TO version 1: float is 2, int8 and int16 are 3.
Model BroadcastTo(DType type, std::vector<int32_t> shape, std::vector<int32_t> target) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int s =
      b.AddConstant("shape", DType::kInt32, {static_cast<int32_t>(target.size())}, target);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  const int version = type == DType::kInt8 || type == DType::kInt16 ? 3 : 2;
  b.AddOperator(BuiltinOp::kBroadcastTo, {in, s}, {out}, {}, version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// FILL's value is the model's input, a scalar.
Model Fill(DType type, std::vector<int32_t> dims) {
  ModelBuilder b;
  const int d = b.AddConstant("dims", DType::kInt32, {static_cast<int32_t>(dims.size())}, dims);
  const int v = b.AddTensor("value", type, {}, MovedQuant(type));
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  const int version = type == DType::kInt8 || type == DType::kInt16 ? 3 : 1;
  b.AddOperator(BuiltinOp::kFill, {d, v}, {out}, {}, version);
  b.SetInputs({v});
  b.SetOutputs({out});
  return b.Build();
}

Model ZerosLike(DType type, std::vector<int32_t> shape) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape);
  const int out = b.AddTensor("y", type, {});
  b.AddOperator(BuiltinOp::kZerosLike, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}
}  // namespace

void AddShapeModels(OpModels* models_out) {
  OpModels& models = *models_out;
  for (DType type : kMovedTypes) {
    const std::string t = DTypeName(type);
    models.push_back({"slice_" + t + "_box", [=] {
                        return Slice(type, {3, 5, 7}, {1, 2, 3}, {2, 2, 3}, DType::kInt32);
                      }});
    models.push_back(
        {"slice_" + t + "_to_end_int64", [=] {
           return Slice(type, {4, 6, 2, 3}, {1, 0, 1, 2}, {-1, 5, -1, 1}, DType::kInt64);
         }});
    if (type != DType::kInt16) {  // TFLite has no int16 TILE
      models.push_back({"tile_" + t, [=] { return Tile(type, {2, 3, 5}, {2, 1, 3}); }});
    }
    models.push_back({"expand_dims_" + t + "_axis-2", [=] {
                        return ExpandDims(type, {4, 6}, -2);
                      }});
  }
  for (DType type : kMovedTypes) {
    const std::string t = DTypeName(type);
    models.push_back({"pack_" + t + "_axis1", [=] { return Pack(type, {3, 4}, 1); }});
    models.push_back({"pack_" + t + "_axis-1", [=] { return Pack(type, {3, 4}, -1); }});
    models.push_back({"unpack_" + t + "_axis-1", [=] { return Unpack(type, {5, 3}, -1); }});
    models.push_back({"split_" + t + "_axis-1", [=] { return Split(type, {3, 4, 6}, -1, 3); }});
    models.push_back({"split_v_" + t + "_axis1", [=] {
                        return SplitV(type, {3, 7, 2}, {2, -1, 4}, 1);
                      }});
    models.push_back({"reverse_v2_" + t + "_axis1", [=] { return ReverseV2(type, {3, 5, 4}, 1); }});
    models.push_back({"reverse_v2_" + t + "_axis-1", [=] { return ReverseV2(type, {6, 7}, -1); }});
  }
  for (DType type : kMovedTypes) {
    const std::string t = DTypeName(type);
    models.push_back({"broadcast_to_" + t, [=] {
                        return BroadcastTo(type, {3, 1, 4}, {2, 3, 5, 4});
                      }});
    if (type != DType::kUInt8) {  // TFLite has no uint8 FILL
      models.push_back({"fill_" + t, [=] { return Fill(type, {3, 7}); }});
    }
  }
  for (DType type : {DType::kFloat32, DType::kInt32}) {
    models.push_back({std::string("zeros_like_") + DTypeName(type), [=] {
                        return ZerosLike(type, {4, 5});
                      }});
  }
}

}  // namespace qlite
