// One-op models of BATCH_MATMUL: float32, int8 and int16x8, every adj_x/adj_y
// combination, broadcast batch dims up to rank 5, and a constant rhs. Both
// operands are model inputs unless the rhs is constant.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/batch_matmul.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

// Per-tensor parameters as a converter writes them: int8 with zero points
// (TFLite takes any), int16 with zero point 0 (TFLite requires it). The
// effective multipliers are not powers of two, so rounding is exercised.
Quantization MatMulQuant(DType type, int which) {
  static const float kInt8Scales[] = {0.05f, 0.04f, 1.7f};  // lhs, rhs, output
  static const int kInt8ZeroPoints[] = {3, -5, -2};
  static const float kInt16Scales[] = {0.01f, 0.02f, 0.05f};
  if (type == DType::kFloat32) return {};
  if (type == DType::kInt16) return PerTensor(kInt16Scales[which], 0);
  return PerTensor(kInt8Scales[which], kInt8ZeroPoints[which]);
}

// lhs_shape / rhs_shape as stored (already transposed where adj_* is set).
Model BatchMatMul(DType type, std::vector<int32_t> lhs_shape, std::vector<int32_t> rhs_shape,
                  BatchMatMulOptions o, bool constant_rhs) {
  ModelBuilder b;
  const int lhs = b.AddTensor("lhs", type, lhs_shape, MatMulQuant(type, 0));
  int rhs = -1;
  if (constant_rhs) {
    int64_t n = 1;
    for (int32_t d : rhs_shape) n *= d;
    std::vector<uint8_t> bytes;
    for (int64_t i = 0; i < n; ++i) {
      const int v = static_cast<int>(i * 37 % 23) - 11;  // small values of both signs
      if (type == DType::kFloat32) {
        const float f = v * 0.25f;
        const auto* p = reinterpret_cast<const uint8_t*>(&f);
        bytes.insert(bytes.end(), p, p + sizeof(f));
      } else if (type == DType::kInt16) {
        const int16_t s = static_cast<int16_t>(v * 90);
        const auto* p = reinterpret_cast<const uint8_t*>(&s);
        bytes.insert(bytes.end(), p, p + sizeof(s));
      } else {
        bytes.push_back(static_cast<uint8_t>(static_cast<int8_t>(v * 11)));
      }
    }
    rhs = b.AddConstantBytes("rhs", type, rhs_shape, bytes, MatMulQuant(type, 1));
  } else {
    rhs = b.AddTensor("rhs", type, rhs_shape, MatMulQuant(type, 1));
  }
  const int out = b.AddTensor("y", type, {}, MatMulQuant(type, 2));
  // TFLite's op versions: float32 1, int8 2, int16 3.
  const int version = type == DType::kInt8 ? 2 : type == DType::kInt16 ? 3 : 1;
  b.AddOperator(BuiltinOp::kBatchMatmul, {lhs, rhs}, {out}, o, version);
  if (constant_rhs) {
    b.SetInputs({lhs});
  } else {
    b.SetInputs({lhs, rhs});
  }
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddMatMulModels(OpModels* models_out) {
  OpModels& models = *models_out;
  struct Typed {
    DType type;
    const char* name;
  };
  for (const Typed t : {Typed{DType::kFloat32, "float32"}, Typed{DType::kInt8, "int8"},
                        Typed{DType::kInt16, "int16"}}) {
    const DType type = t.type;
    const std::string prefix = std::string("batch_matmul_") + t.name;
    // [2, 3, 7] x [2, 7, 5], each side stored transposed when its adj flag is set.
    for (int flags = 0; flags < 4; ++flags) {
      const BatchMatMulOptions o{(flags & 1) != 0, (flags & 2) != 0};
      const std::vector<int32_t> lhs =
          o.adj_x ? std::vector<int32_t>{2, 7, 3} : std::vector<int32_t>{2, 3, 7};
      const std::vector<int32_t> rhs =
          o.adj_y ? std::vector<int32_t>{2, 5, 7} : std::vector<int32_t>{2, 7, 5};
      const std::string name =
          prefix + (o.adj_x ? "_adjx" : "") + (o.adj_y ? "_adjy" : "") + (flags ? "" : "_plain");
      models.push_back({name, [=] { return BatchMatMul(type, lhs, rhs, o, false); }});
    }
    models.push_back({prefix + "_broadcast_rank4", [=] {
                        return BatchMatMul(type, {2, 1, 3, 6}, {3, 6, 4}, {}, false);
                      }});
    models.push_back(
        {prefix + "_broadcast_rank5_adjx", [=] {
           return BatchMatMul(type, {2, 1, 3, 6, 4}, {1, 2, 1, 6, 5}, {true, false}, false);
         }});
    models.push_back({prefix + "_const_rhs", [=] {
                        return BatchMatMul(type, {4, 3, 8}, {8, 6}, {}, true);
                      }});
    models.push_back({prefix + "_const_rhs_adjy_broadcast", [=] {
                        return BatchMatMul(type, {2, 3, 8}, {1, 6, 8}, {false, true}, true);
                      }});
  }
}

}  // namespace qlite
