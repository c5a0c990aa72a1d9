// One-op models of the reductions (SUM, REDUCE_PROD/MAX/MIN/ANY/ALL) and
// ARG_MAX / ARG_MIN, with the op versions TFLite's converter writes.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

Model Reduce(BuiltinOp op, DType type, std::vector<int32_t> shape, std::vector<int32_t> axes,
             bool keep_dims, Quantization in_quant, Quantization out_quant, int version) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, in_quant);
  const int ax = b.AddConstant("axes", DType::kInt32, {static_cast<int32_t>(axes.size())}, axes);
  const int out = b.AddTensor("y", type, {}, out_quant);
  ReducerOptions options;
  options.keep_dims = keep_dims;
  b.AddOperator(op, {in, ax}, {out}, options, version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model Arg(BuiltinOp op, DType type, std::vector<int32_t> shape, int32_t axis, DType index_type) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, MovedQuant(type));
  const int ax = b.AddConstant("axis", DType::kInt32, {1}, std::vector<int32_t>{axis});
  const int out = b.AddTensor("y", index_type, {});
  ArgMinMaxOptions options;
  options.output_type = static_cast<uint8_t>(index_type);
  const int version = type == DType::kBool ? 3 : type == DType::kInt8 ? 2 : 1;
  b.AddOperator(op, {in, ax}, {out}, options, version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// TFLite's op_version: int8 is 2 for all of them; REDUCE_MAX/MIN int16 is 3.
int ReduceVersion(BuiltinOp op, DType type) {
  if (type == DType::kInt8) return 2;
  if (type == DType::kInt16 && (op == BuiltinOp::kReduceMax || op == BuiltinOp::kReduceMin)) {
    return 3;
  }
  return 1;
}

}  // namespace

void AddReduceModels(OpModels* models_out) {
  OpModels& models = *models_out;
  struct Op {
    const char* name;
    BuiltinOp op;
    bool quantized;  // also int8/uint8/int16 with equal parameters
  };
  struct Axes {
    const char* name;
    std::vector<int32_t> axes;
    bool keep_dims;
  };
  // No empty axis list: a file stores a zero-byte constant as a tensor
  // without data, which readers take for one no operator writes.
  const Axes kAxes[] = {{"axis1", {1}, false},
                        {"axes0_2_keep", {0, 2}, true},
                        {"axes-1_2_dup", {-1, 2}, false},
                        {"axes_all", {2, 0, 1}, false}};
  for (const Op& o :
       {Op{"sum", BuiltinOp::kSum, true}, Op{"reduce_max", BuiltinOp::kReduceMax, true},
        Op{"reduce_min", BuiltinOp::kReduceMin, true},
        Op{"reduce_prod", BuiltinOp::kReduceProd, false}}) {
    const BuiltinOp op = o.op;
    for (const Axes& a : kAxes) {
      const Axes axes = a;
      models.push_back(
          {std::string(o.name) + "_float32_" + a.name, [=] {
             return Reduce(op, DType::kFloat32, {3, 4, 5}, axes.axes, axes.keep_dims, {}, {}, 1);
           }});
    }
    // Integer products of four values up to 1000 wrap around int32.
    for (DType type : {DType::kInt32, DType::kInt64}) {
      models.push_back({std::string(o.name) + "_" + DTypeName(type) + "_axis1", [=] {
                          return Reduce(op, type, {3, 4, 5}, {1}, false, {}, {}, 1);
                        }});
    }
    if (!o.quantized) continue;
    // SUM int8/uint8 is left out: LiteRT.js hands it to XNNPACK, which
    // saturates where TFLite's builtin kernel (qlite's reference) wraps, and
    // rounds some halves the other way (uint8 40 where the builtin gives 39).
    // Measured on these inputs: int8 5/12 and uint8 3/12 values identical
    // with equal parameters, 3/12 to 10/12 requantized. reduce_test.cc checks
    // the builtin kernel's arithmetic by hand.
    for (DType type : {DType::kInt8, DType::kUInt8, DType::kInt16}) {
      if (op == BuiltinOp::kSum && type != DType::kInt16) continue;
      models.push_back({std::string(o.name) + "_" + DTypeName(type) + "_axes0_2_keep", [=] {
                          return Reduce(op, type, {3, 4, 5}, {0, 2}, true, MovedQuant(type),
                                        MovedQuant(type), ReduceVersion(op, type));
                        }});
    }
  }
  for (const Op& o : {Op{"reduce_any", BuiltinOp::kReduceAny, false},
                      Op{"reduce_all", BuiltinOp::kReduceAll, false}}) {
    const BuiltinOp op = o.op;
    models.push_back({std::string(o.name) + "_bool_axis1", [=] {
                        return Reduce(op, DType::kBool, {4, 2, 3}, {1}, false, {}, {}, 1);
                      }});
    models.push_back({std::string(o.name) + "_bool_axes0_2_keep", [=] {
                        return Reduce(op, DType::kBool, {4, 2, 3}, {0, -1}, true, {}, {}, 1);
                      }});
  }
  // Integer inputs from the page's [-1000, 1000] wrap into int8/uint8, so
  // rows hold ties; bool rows hold many.
  for (const Op& o :
       {Op{"arg_max", BuiltinOp::kArgMax, false}, Op{"arg_min", BuiltinOp::kArgMin, false}}) {
    const BuiltinOp op = o.op;
    for (DType type : {DType::kFloat32, DType::kInt32, DType::kInt8, DType::kUInt8, DType::kBool}) {
      models.push_back({std::string(o.name) + "_" + DTypeName(type) + "_axis-1", [=] {
                          return Arg(op, type, {6, 40}, -1, DType::kInt32);
                        }});
    }
    models.push_back({std::string(o.name) + "_float32_axis0_int64", [=] {
                        return Arg(op, DType::kFloat32, {30, 4, 3}, 0, DType::kInt64);
                      }});
    models.push_back({std::string(o.name) + "_int8_axis1_int64", [=] {
                        return Arg(op, DType::kInt8, {3, 50, 2}, 1, DType::kInt64);
                      }});
  }
}

}  // namespace qlite
