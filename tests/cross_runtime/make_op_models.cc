// Writes one-op models with qlite's writer for the cross-runtime test
// (web/test/ops-litert.test.mjs), which runs each through qlite and LiteRT.js
// in Chromium on seeded inputs. Usage: qlite_op_models OUT_DIR
// Each model has one input (the test compares output 0); its file name says
// what it holds.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "core/kernels/cumsum.h"
#include "core/kernels/pack.h"
#include "core/kernels/split.h"
#include "core/model_builder.h"

namespace qlite {
namespace {

struct OpModel {
  std::string name;
  std::function<Model()> build;
};

Model Cumsum(DType type, std::vector<int32_t> shape, int32_t axis, CumsumOptions options) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape);
  const int ax = b.AddConstant("axis", DType::kInt32, {}, std::vector<int32_t>{axis});
  const int out = b.AddTensor("y", type, shape);
  b.AddOperator(BuiltinOp::kCumsum, {in, ax}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model Unary(BuiltinOp op, DType type, std::vector<int32_t> shape) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape);
  const int out = b.AddTensor("y", type, shape);
  b.AddOperator(op, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// Shape ops move bytes: every dtype the page can feed, quantized ones with
// equal input and output parameters as the converter writes them.
constexpr DType kMovedTypes[] = {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16,
                                 DType::kInt32};

Quantization MovedQuant(DType type) {
  return type == DType::kInt8 || type == DType::kUInt8 || type == DType::kInt16
             ? PerTensor(0.5f, type == DType::kUInt8 ? 128 : 0)
             : Quantization{};
}

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

std::vector<OpModel> AllModels() {
  std::vector<OpModel> models;
  for (DType type : {DType::kFloat32, DType::kInt32}) {
    const std::string t = type == DType::kFloat32 ? "float32" : "int32";
    for (int flags = 0; flags < 4; ++flags) {
      const CumsumOptions o{(flags & 1) != 0, (flags & 2) != 0};
      const std::string name = "cumsum_" + t + "_axis1" + (o.exclusive ? "_exclusive" : "") +
                               (o.reverse ? "_reverse" : "");
      models.push_back({name, [=] { return Cumsum(type, {2, 37, 3}, 1, o); }});
    }
    models.push_back({"cumsum_" + t + "_axis-1", [=] { return Cumsum(type, {4, 50}, -1, {}); }});
    models.push_back({"cumsum_" + t + "_axis0", [=] { return Cumsum(type, {64, 5}, 0, {}); }});
  }
  // Elementwise unary ops; random inputs in [-10, 10) also send negatives to
  // SQRT, RSQRT and LOG, whose NaN results must match too.
  struct UnaryOp {
    const char* name;
    BuiltinOp op;
    bool int32;  // TFLite's kernel also takes int32
  };
  for (const UnaryOp& u :
       {UnaryOp{"abs", BuiltinOp::kAbs, true}, UnaryOp{"neg", BuiltinOp::kNeg, true},
        UnaryOp{"square", BuiltinOp::kSquare, false}, UnaryOp{"sqrt", BuiltinOp::kSqrt, false},
        UnaryOp{"rsqrt", BuiltinOp::kRsqrt, false}, UnaryOp{"exp", BuiltinOp::kExp, false},
        UnaryOp{"log", BuiltinOp::kLog, false}, UnaryOp{"sin", BuiltinOp::kSin, false},
        UnaryOp{"cos", BuiltinOp::kCos, false}, UnaryOp{"ceil", BuiltinOp::kCeil, false},
        UnaryOp{"floor", BuiltinOp::kFloor, false}, UnaryOp{"round", BuiltinOp::kRound, false},
        UnaryOp{"sign", BuiltinOp::kSign, true}}) {
    const BuiltinOp op = u.op;
    models.push_back({std::string(u.name) + "_float32", [=] {
                        return Unary(op, DType::kFloat32, {4, 50});
                      }});
    if (u.int32) {
      models.push_back({std::string(u.name) + "_int32", [=] {
                          return Unary(op, DType::kInt32, {4, 50});
                        }});
    }
  }
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
  return models;
}

// Writes the output shapes qlite's prepare computes into the model: LiteRT.js
// sizes its output buffers from the shapes the file declares.
Status DeclareOutputShapes(Model* model) {
  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(*model, InterpreterOptions{}, &interpreter));
  for (int i = 0; i < interpreter->num_outputs(); ++i) {
    model->tensors[model->outputs[i]].shape = interpreter->output(i)->shape;
  }
  return Status::Ok();
}

}  // namespace
}  // namespace qlite

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: qlite_op_models OUT_DIR\n");
    return 2;
  }
  for (const qlite::OpModel& m : qlite::AllModels()) {
    const std::string path = std::string(argv[1]) + "/" + m.name + ".tflite";
    qlite::Model model = m.build();
    qlite::Status s = qlite::DeclareOutputShapes(&model);
    if (s.ok()) s = qlite::WriteModelFile(model, qlite::WriterOptions{}, path);
    if (!s.ok()) {
      std::fprintf(stderr, "qlite_op_models: %s: %s\n", path.c_str(), s.message().c_str());
      return 1;
    }
  }
  return 0;
}
