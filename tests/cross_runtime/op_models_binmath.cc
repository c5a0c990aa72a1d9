// One-op models of DIV, FLOOR_DIV, FLOOR_MOD, POW, SQUARED_DIFFERENCE, CAST and
// int32 / int64 ADD, SUB and MUL. The page feeds one input, so the other operand
// of a binary op is a constant: nonzero divisors (the fed integers hit zero),
// small exponents. Operator versions are the converter's for each dtype.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "core/op_options.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

const char* TypeName(DType type) { return DTypeName(type); }

// x (fed, `shape`) op constant c (`c_shape`, `c_bytes`), or c op x when
// `constant_first`.
Model Binary(BuiltinOp op, DType type, std::vector<int32_t> shape, std::vector<int32_t> c_shape,
             std::vector<uint8_t> c_bytes, int version, bool constant_first = false,
             Quantization qx = {}, Quantization qc = {}, Quantization qout = {},
             OpOptions options = {}) {
  ModelBuilder b;
  const int x = b.AddTensor("x", type, shape, qx);
  const int c = b.AddConstantBytes("c", type, c_shape, std::move(c_bytes), qc);
  const int out = b.AddTensor("y", type, {}, qout);
  b.AddOperator(op, constant_first ? std::vector<int32_t>{c, x} : std::vector<int32_t>{x, c}, {out},
                std::move(options), version);
  b.SetInputs({x});
  b.SetOutputs({out});
  return b.Build();
}

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// Nonzero divisors of both signs (-1 too: int8 -128 / -1 wraps).
std::vector<uint8_t> Divisors(DType type) {
  switch (type) {
    case DType::kFloat32: return Bytes(std::vector<float>{2.5f, -3, 0.75f, -0.5f, 7});
    case DType::kInt8: return Bytes(std::vector<int8_t>{3, -1, 7, -4, 100});
    case DType::kInt16: return Bytes(std::vector<int16_t>{3, -1, 7, -4, 1000});
    default: return Bytes(std::vector<int32_t>{3, -1, 7, -4, 1000});
  }
}

Model Cast(DType from, DType to) {
  ModelBuilder b;
  const int x = b.AddTensor("x", from, {4, 50});
  const int out = b.AddTensor("y", to, {4, 50});
  OpOptions none;
  // The converter's versions: float16 5, int8 3, others 1.
  const int version = from == DType::kFloat16 || to == DType::kFloat16 ? 5
                      : from == DType::kInt8 || to == DType::kInt8     ? 3
                                                                       : 1;
  b.AddOperator(BuiltinOp::kCast, {x}, {out}, none, version);
  b.SetInputs({x});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddBinaryMathModels(OpModels* models_out) {
  OpModels& models = *models_out;
  const std::vector<int32_t> shape = {8, 5}, row = {5};
  struct Variant {
    const char* name;
    BuiltinOp op;
    std::vector<DType> types;
    std::vector<int> versions;
  };
  for (const Variant& v :
       {Variant{"div", BuiltinOp::kDiv, {DType::kFloat32, DType::kInt32}, {1, 1}},
        Variant{"floor_div",
                BuiltinOp::kFloorDiv,
                {DType::kFloat32, DType::kInt32, DType::kInt16, DType::kInt8},
                {2, 1, 3, 3}},
        Variant{"floor_mod",
                BuiltinOp::kFloorMod,
                {DType::kFloat32, DType::kInt32, DType::kInt16, DType::kInt8},
                {1, 1, 2, 2}}}) {
    for (size_t i = 0; i < v.types.size(); ++i) {
      const DType type = v.types[i];
      const BuiltinOp op = v.op;
      const int version = v.versions[i];
      const std::string base = std::string(v.name) + "_" + TypeName(type);
      // Same shapes ([8, 5] constant) and a broadcast row.
      models.push_back({base, [=] {
                          std::vector<uint8_t> c;
                          for (int r = 0; r < 8; ++r) {
                            const auto d = Divisors(type);
                            c.insert(c.end(), d.begin(), d.end());
                          }
                          return Binary(op, type, shape, shape, c, version);
                        }});
      models.push_back({base + "_broadcast",
                        [=] { return Binary(op, type, shape, row, Divisors(type), version); }});
    }
  }
  // Float operands may sit on either side: the fed values are never 0.
  for (BuiltinOp op : {BuiltinOp::kDiv, BuiltinOp::kFloorDiv, BuiltinOp::kFloorMod}) {
    const std::string name = op == BuiltinOp::kDiv        ? "div"
                             : op == BuiltinOp::kFloorDiv ? "floor_div"
                                                          : "floor_mod";
    const int version = op == BuiltinOp::kFloorDiv ? 2 : 1;
    models.push_back({name + "_float32_divisor_fed", [=] {
                        return Binary(op, DType::kFloat32, shape, row,
                                      Bytes(std::vector<float>{9, -4.5f, 0.25f, -8, 3}), version,
                                      true);
                      }});
  }
  models.push_back({"div_float32_relu6", [=] {
                      return Binary(BuiltinOp::kDiv, DType::kFloat32, shape, row,
                                    Divisors(DType::kFloat32), 1, false, {}, {}, {},
                                    ElementwiseOptions{Activation::kRelu6});
                    }});
  models.push_back({"div_int32_relu", [=] {
                      return Binary(BuiltinOp::kDiv, DType::kInt32, shape, row,
                                    Divisors(DType::kInt32), 1, false, {}, {}, {},
                                    ElementwiseOptions{Activation::kRelu});
                    }});
  // uint8 DIV: divisors kept away from the zero point 120.
  models.push_back({"div_uint8", [=] {
                      return Binary(BuiltinOp::kDiv, DType::kUInt8, shape, row,
                                    Bytes(std::vector<uint8_t>{200, 20, 121, 119, 255}), 1, false,
                                    PerTensor(0.1f, 128), PerTensor(0.05f, 120),
                                    PerTensor(0.4f, 100));
                    }});
  // POW: bases fed, small exponents (int32: results stay inside int32).
  models.push_back({"pow_float32", [=] {
                      return Binary(BuiltinOp::kPow, DType::kFloat32, shape, row,
                                    Bytes(std::vector<float>{2, 0.5f, -1, 3, 1.5f}), 1);
                    }});
  models.push_back({"pow_float32_exponent_fed", [=] {
                      return Binary(BuiltinOp::kPow, DType::kFloat32, shape, row,
                                    Bytes(std::vector<float>{2, 0.5f, 1.25f, 3, 1.5f}), 1, true);
                    }});
  models.push_back({"pow_int32", [=] {
                      return Binary(BuiltinOp::kPow, DType::kInt32, shape, row,
                                    Bytes(std::vector<int32_t>{0, 1, 2, 3, 2}), 1);
                    }});
  for (DType type : {DType::kFloat32, DType::kInt32}) {
    models.push_back({std::string("squared_difference_") + TypeName(type), [=] {
                        return Binary(BuiltinOp::kSquaredDifference, type, shape, row,
                                      Divisors(type), 1);
                      }});
  }
  models.push_back({"squared_difference_int8", [=] {
                      return Binary(BuiltinOp::kSquaredDifference, DType::kInt8, shape, row,
                                    Bytes(std::vector<int8_t>{-128, -3, 0, 40, 127}), 2, false,
                                    PerTensor(0.05f, -3), PerTensor(0.08f, 10),
                                    PerTensor(0.3f, -128));
                    }});
  models.push_back({"squared_difference_int8_same_scale", [=] {
                      return Binary(BuiltinOp::kSquaredDifference, DType::kInt8, shape, shape,
                                    Bytes(std::vector<int8_t>(40, 17)), 2, false,
                                    PerTensor(0.02f, 0), PerTensor(0.02f, 0),
                                    PerTensor(0.02f, -128));
                    }});
  // CAST between every pair of dtypes TFLite's kernel and the page share.
  const DType cast_types[] = {DType::kFloat32, DType::kFloat16, DType::kInt8,  DType::kUInt8,
                              DType::kInt16,   DType::kInt32,   DType::kInt64, DType::kBool};
  for (DType from : cast_types) {
    for (DType to : cast_types) {
      if (from == to) continue;
      models.push_back({std::string("cast_") + TypeName(from) + "_to_" + TypeName(to),
                        [=] { return Cast(from, to); }});
    }
  }
  // ADD, SUB and MUL on int32 / int64 (shape arithmetic), a broadcast row
  // constant; the converter writes version 1 for int32 and 4 for int64
  // ADD / SUB. int64 MUL is hand-checked only (int_arith_test.cc).
  const std::vector<int32_t> c32 = {3, -1, 7, -4, 1000};
  const std::vector<int64_t> c64 = {3, -1, 7, -4, int64_t{1} << 40};
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kSub, BuiltinOp::kMul}) {
    const std::string name = op == BuiltinOp::kAdd ? "add" : op == BuiltinOp::kSub ? "sub" : "mul";
    models.push_back({name + "_int32_broadcast",
                      [=] { return Binary(op, DType::kInt32, shape, row, Bytes(c32), 1); }});
    models.push_back({name + "_int32_relu6", [=] {
                        return Binary(op, DType::kInt32, shape, row, Bytes(c32), 1, false, {}, {},
                                      {}, ElementwiseOptions{Activation::kRelu6});
                      }});
    if (op == BuiltinOp::kMul) continue;
    models.push_back({name + "_int64_broadcast",
                      [=] { return Binary(op, DType::kInt64, shape, row, Bytes(c64), 4); }});
  }
}

}  // namespace qlite
