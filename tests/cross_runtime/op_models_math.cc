// One-op models of CUMSUM and the elementwise unary math ops, float32, int32
// and the quantized int8 / int16 variants TFLite has.
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

Model Unary(BuiltinOp op, DType type, std::vector<int32_t> shape, Quantization in_q = {},
            Quantization out_q = {}, int32_t version = 1, const char* input_name = "x") {
  ModelBuilder b;
  const int in = b.AddTensor(input_name, type, shape, std::move(in_q));
  const int out = b.AddTensor("y", type, shape, std::move(out_q));
  b.AddOperator(op, {in}, {out}, {}, version);
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
  // Quantized: parameters as a converter sets them from the value ranges,
  // versions as TFLite's op_version gives them. RSQRT and SQRT fail below
  // the input zero point, so their int8 inputs have zero point -128 and their
  // int16 inputs ("nonneg...") are fed magnitudes.
  struct QuantizedUnary {
    const char* name;
    BuiltinOp op;
    float in_scale, out_scale;  // int8
    int32_t in_zp, out_zp;      // int8
    float in_scale16, out_scale16;
    int32_t version8, version16;
  };
  for (const QuantizedUnary& u : {
           QuantizedUnary{"abs", BuiltinOp::kAbs, 0.05f, 0.04f, 3, -128, 0.01f, 0.008f, 2, 3},
           QuantizedUnary{"abs_same_scale", BuiltinOp::kAbs, 0.05f, 0.05f, 3, -128, 0.01f, 0.01f, 2,
                          3},
           QuantizedUnary{"rsqrt", BuiltinOp::kRsqrt, 0.05f, 0.02f, -128, -128, 0.01f,
                          10.0f / 32767, 2, 3},
           QuantizedUnary{"sqrt", BuiltinOp::kSqrt, 0.05f, 0.015f, -128, -128, 0.01f, 0.0005f, 1,
                          1},
           QuantizedUnary{"exp", BuiltinOp::kExp, 0.03f, 0.14f, 10, -128, 0.003f, 20.1f / 32767, 2,
                          2},
           QuantizedUnary{"log", BuiltinOp::kLog, 0.05f, 0.04f, -128, 60, 0.01f, 0.0002f, 2, 2},
       }) {
    const QuantizedUnary q = u;
    const bool nonnegative = q.op == BuiltinOp::kRsqrt || q.op == BuiltinOp::kSqrt;
    models.push_back({std::string(q.name) + "_int8", [=] {
                        return Unary(q.op, DType::kInt8, {4, 64}, PerTensor(q.in_scale, q.in_zp),
                                     PerTensor(q.out_scale, q.out_zp), q.version8);
                      }});
    models.push_back({std::string(q.name) + "_int16", [=] {
                        return Unary(q.op, DType::kInt16, {4, 64}, PerTensor(q.in_scale16, 0),
                                     PerTensor(q.out_scale16, 0), q.version16,
                                     nonnegative ? "nonneg_x" : "x");
                      }});
  }
}

}  // namespace qlite
