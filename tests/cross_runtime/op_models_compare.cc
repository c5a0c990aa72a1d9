// One-op models of the comparisons, the logical ops and SELECT / SELECT_V2.
// Every input is a model input. Inputs whose name starts with "ties" get
// values from a small range (float32 adds NaN, infinities and -0; int8 /
// uint8 / int16 stay within 6 of the zero point), so that equal operands are
// common.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/model_builder.h"
#include "core/tensor.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

// TFLite's operator versions (op_version.cc) where they differ from 1; its
// resolver has no int16 version of GREATER and LESS_EQUAL, so those stay 1,
// as the converter writes them.
int ComparisonVersion(BuiltinOp op, DType type) {
  if (type == DType::kInt8) return 2;
  if (type == DType::kInt16) {
    if (op == BuiltinOp::kEqual) return 4;
    return op == BuiltinOp::kLess || op == BuiltinOp::kGreaterEqual ? 3 : 1;
  }
  return 1;
}

Model Comparison(BuiltinOp op, DType type, Shape shape1, Shape shape2, Quantization q1,
                 Quantization q2, bool ties) {
  ModelBuilder b;
  const std::string prefix = ties ? "ties_" : "";
  const int a = b.AddTensor(prefix + "a", type, std::move(shape1), std::move(q1));
  const int c = b.AddTensor(prefix + "b", type, std::move(shape2), std::move(q2));
  const int out = b.AddTensor("out", DType::kBool, {});
  b.AddOperator(op, {a, c}, {out}, {}, ComparisonVersion(op, type));
  b.SetInputs({a, c});
  b.SetOutputs({out});
  return b.Build();
}

Model Logical(BuiltinOp op, Shape shape1, Shape shape2) {
  ModelBuilder b;
  const int a = b.AddTensor("a", DType::kBool, std::move(shape1));
  std::vector<int32_t> inputs = {a};
  if (op != BuiltinOp::kLogicalNot) inputs.push_back(b.AddTensor("b", DType::kBool, shape2));
  const int out = b.AddTensor("out", DType::kBool, {});
  b.AddOperator(op, inputs, {out});
  b.SetInputs(inputs);
  b.SetOutputs({out});
  return b.Build();
}

Model Select(BuiltinOp op, DType type, Shape cond_shape, Shape x_shape, Shape y_shape,
             Shape out_shape = {}) {
  ModelBuilder b;
  const Quantization q = MovedQuant(type);
  const int c = b.AddTensor("condition", DType::kBool, std::move(cond_shape));
  const int x = b.AddTensor("x", type, std::move(x_shape), q);
  const int y = b.AddTensor("y", type, std::move(y_shape), q);
  const int out = b.AddTensor("out", type, std::move(out_shape), q);
  const int version = op == BuiltinOp::kSelect && type == DType::kInt8 ? 2 : 1;
  b.AddOperator(op, {c, x, y}, {out}, {}, version);
  b.SetInputs({c, x, y});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddCompareModels(OpModels* models_out) {
  OpModels& models = *models_out;
  struct Op {
    const char* name;
    BuiltinOp op;
  };
  const Op comparisons[] = {
      {"equal", BuiltinOp::kEqual},     {"not_equal", BuiltinOp::kNotEqual},
      {"less", BuiltinOp::kLess},       {"less_equal", BuiltinOp::kLessEqual},
      {"greater", BuiltinOp::kGreater}, {"greater_equal", BuiltinOp::kGreaterEqual}};
  // Same shapes (TFLite's flat loop) and a rank-4 broadcast (its broadcast loop).
  const Shape same = {4, 25}, bcast1 = {2, 3, 1, 5}, bcast2 = {3, 4, 1};
  for (const Op& o : comparisons) {
    const BuiltinOp op = o.op;
    const std::string n = o.name;
    std::vector<DType> types = {DType::kFloat32, DType::kInt32, DType::kInt64};
    if (op == BuiltinOp::kEqual || op == BuiltinOp::kNotEqual) types.push_back(DType::kBool);
    // TFLite leaves NOT_EQUAL's output unwritten for int16 without quantization.
    if (op != BuiltinOp::kNotEqual) types.push_back(DType::kInt16);
    for (DType type : types) {
      const std::string t = DTypeName(type);
      models.push_back(
          {n + "_" + t + "_same", [=] { return Comparison(op, type, same, same, {}, {}, true); }});
      models.push_back({n + "_" + t + "_broadcast",
                        [=] { return Comparison(op, type, bcast1, bcast2, {}, {}, true); }});
    }
    models.push_back({n + "_float32_broadcast_rank6", [=] {
                        return Comparison(op, DType::kFloat32, {2, 1, 3, 1, 2, 1}, {2, 1, 2, 1, 2},
                                          {}, {}, true);
                      }});
    // Quantized: the inputs' scales and zero points differ. TFLite rescales
    // int8, uint8 (and int16 for EQUAL / NOT_EQUAL) with its rounding before
    // comparing; scales below 1/256 round several raw values to one. It
    // compares the other int16 comparisons' raw values.
    for (DType type : {DType::kInt8, DType::kUInt8, DType::kInt16}) {
      const std::string t =
          DTypeName(type) + std::string(type == DType::kInt16 ? "_quantized" : "");
      const int64_t zp = type == DType::kUInt8 ? 128 : 0;
      // Real values tie where b - zp2 = 2 (a - zp1).
      const Quantization q1 = PerTensor(0.05f, zp - 3), q2 = PerTensor(0.025f, zp + 5);
      models.push_back(
          {n + "_" + t + "_same", [=] { return Comparison(op, type, same, same, q1, q2, true); }});
      models.push_back({n + "_" + t + "_broadcast",
                        [=] { return Comparison(op, type, bcast1, bcast2, q1, q2, true); }});
      models.push_back({n + "_" + t + "_full_range", [=] {
                          return Comparison(op, type, same, same, PerTensor(0.5f, zp + 7),
                                            PerTensor(0.75f, zp - 20), false);
                        }});
      models.push_back({n + "_" + t + "_small_scales", [=] {
                          return Comparison(op, type, bcast1, bcast2, PerTensor(0.001f, zp),
                                            PerTensor(0.0015f, zp + 2), true);
                        }});
    }
  }

  for (BuiltinOp op : {BuiltinOp::kLogicalAnd, BuiltinOp::kLogicalOr}) {
    const std::string n = op == BuiltinOp::kLogicalAnd ? "logical_and" : "logical_or";
    models.push_back({n + "_same", [=] { return Logical(op, same, same); }});
    models.push_back({n + "_broadcast", [=] { return Logical(op, bcast1, bcast2); }});
  }
  models.push_back({"logical_not", [=] { return Logical(BuiltinOp::kLogicalNot, same, {}); }});

  const DType select_types[] = {DType::kFloat32, DType::kInt8,  DType::kUInt8, DType::kInt16,
                                DType::kInt32,   DType::kInt64, DType::kBool};
  for (DType type : select_types) {
    const std::string t = DTypeName(type);
    models.push_back({"select_" + t + "_rank1_condition", [=] {
                        return Select(BuiltinOp::kSelect, type, {4}, {4, 5, 3}, {4, 5, 3});
                      }});
    models.push_back({"select_v2_" + t + "_broadcast", [=] {
                        return Select(BuiltinOp::kSelectV2, type, {1, 5, 1}, {4, 1, 3}, {5, 3});
                      }});
  }
  for (BuiltinOp op : {BuiltinOp::kSelect, BuiltinOp::kSelectV2}) {
    const std::string n = op == BuiltinOp::kSelect ? "select" : "select_v2";
    const DType f = DType::kFloat32;
    models.push_back({n + "_float32_same", [=] { return Select(op, f, same, same, same); }});
    models.push_back({n + "_float32_scalar_condition", [=] {
                        return Select(op, f, {}, {4, 5}, {4, 5});
                      }});
    // Every tensor one element: the output keeps its declared shape.
    models.push_back({n + "_float32_one_element", [=] {
                        return Select(op, f, {1}, {1, 1}, {}, {1, 1});
                      }});
  }
  models.push_back({"select_v2_int8_broadcast_rank6", [=] {
                      return Select(BuiltinOp::kSelectV2, DType::kInt8, {2, 1, 1, 3, 1, 2},
                                    {1, 2, 1, 1, 2, 1}, {3, 1, 2});
                    }});
}

}  // namespace qlite
