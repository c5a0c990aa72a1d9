// One-op models of CUMSUM and the elementwise unary math ops.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/cumsum.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

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

}  // namespace

void AddMathModels(OpModels* models_out) {
  OpModels& models = *models_out;
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
}

}  // namespace qlite
