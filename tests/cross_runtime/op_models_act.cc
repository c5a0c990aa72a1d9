// One-op models of ELU, GELU, RELU_0_TO_1, LOG_SOFTMAX and ATAN2. Operator
// versions are the converter's for each dtype.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

Model Unary(BuiltinOp op, DType type, std::vector<int32_t> shape, Quantization in_quant,
            Quantization out_quant, OpOptions options, int version) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, in_quant);
  const int out = b.AddTensor("y", type, shape, out_quant);
  b.AddOperator(op, {in}, {out}, std::move(options), version);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model Atan2(DType type, std::vector<int32_t> shape) {
  ModelBuilder b;
  const int y = b.AddTensor("y", type, shape);
  const int x = b.AddTensor("x", type, shape);
  const int out = b.AddTensor("out", type, shape);
  b.AddOperator(BuiltinOp::kAtan2, {y, x}, {out});
  b.SetInputs({y, x});
  b.SetOutputs({out});
  return b.Build();
}

const char* TypeName(DType t) {
  return t == DType::kFloat32 ? "float32" : t == DType::kInt8 ? "int8" : "uint8";
}

}  // namespace

void AddActivationModels(OpModels* models_out) {
  OpModels& models = *models_out;
  const std::vector<int32_t> shape = {4, 64};
  // Quantized inputs span about [-8, 8); outputs have their own ranges.
  const Quantization in8 = PerTensor(0.0625f, 3), inu8 = PerTensor(0.0625f, 131);
  auto in_quant = [&](DType t) { return t == DType::kInt8 ? in8 : inu8; };

  models.push_back({"elu_float32",
                    [=] { return Unary(BuiltinOp::kElu, DType::kFloat32, shape, {}, {}, {}, 1); }});
  // No elu_int8: LiteRT.js does not register ELU version 2, the version the
  // converter writes for int8. (Marked version 1, it loads, but its outputs
  // differ from TFLite's table at exact rounding ties: 87.5 steps gives 87,
  // where LUTPopulate rounds half away from zero to 88.)
  for (DType t : {DType::kFloat32, DType::kInt8, DType::kUInt8}) {
    const std::string tn = TypeName(t);
    const bool q = t != DType::kFloat32;
    const Quantization iq = q ? in_quant(t) : Quantization{};
    for (bool approximate : {false, true}) {
      const Quantization oq = !q                  ? Quantization{}
                              : t == DType::kInt8 ? PerTensor(0.035f, -123)
                                                  : PerTensor(0.035f, 5);
      models.push_back({"gelu_" + tn + (approximate ? "_approximate" : ""), [=] {
                          return Unary(BuiltinOp::kGelu, t, shape, iq, oq, GeluOptions{approximate},
                                       q ? 2 : 1);
                        }});
    }
    // Own output scale: the requantization and the [0, 1] bounds both show.
    const Quantization rq = !q ? Quantization{} : PerTensor(0.005f, t == DType::kInt8 ? -128 : 0);
    models.push_back({"relu_0_to_1_" + tn,
                      [=] { return Unary(BuiltinOp::kRelu0To1, t, shape, iq, rq, {}, 1); }});
    const Quantization lq =
        !q ? Quantization{} : PerTensor(16.0f / 256, t == DType::kInt8 ? 127 : 255);
    for (const std::vector<int32_t>& s :
         {std::vector<int32_t>{4, 64}, std::vector<int32_t>{2, 3, 7}, std::vector<int32_t>{50}}) {
      std::string name = "log_softmax_" + tn + "_rank" + std::to_string(s.size());
      models.push_back({name, [=] {
                          return Unary(BuiltinOp::kLogSoftmax, t, s, iq, lq, {},
                                       t == DType::kInt8 ? 2 : 1);
                        }});
    }
  }
  models.push_back({"atan2_float32", [=] { return Atan2(DType::kFloat32, {4, 64}); }});
  models.push_back({"atan2_float32_rank3", [=] { return Atan2(DType::kFloat32, {2, 3, 5}); }});
}

}  // namespace qlite
