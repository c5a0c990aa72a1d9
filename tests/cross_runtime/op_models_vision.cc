// One-op models of PRELU (float32, int8, uint8; alpha per channel, per
// position or fed at run time), L2_NORMALIZATION (float32, int8, uint8),
// LOCAL_RESPONSE_NORMALIZATION and L2_POOL_2D (float32). Inputs named
// "ties..." get small values and float specials: zero rows, NaN, infinities.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

const char* TypeName(DType type) {
  return type == DType::kFloat32 ? "float32" : type == DType::kInt8 ? "int8" : "uint8";
}

// Constant alpha values of both signs (and 0) for `count` elements: as reals
// for float32, as quantized values of scale 0.02 otherwise.
std::vector<uint8_t> AlphaBytes(DType type, int64_t count, int32_t zero_point) {
  std::vector<uint8_t> bytes;
  for (int64_t i = 0; i < count; ++i) {
    const int v = static_cast<int>(i * 29 % 41) - 12;  // -12 .. 28
    if (type == DType::kFloat32) {
      const float f = v * 0.05f;
      const auto* p = reinterpret_cast<const uint8_t*>(&f);
      bytes.insert(bytes.end(), p, p + sizeof(f));
    } else {
      bytes.push_back(static_cast<uint8_t>(v + zero_point));
    }
  }
  return bytes;
}

// Converter-like parameters: input scale 0.05, alpha 0.02, output 0.03, with
// zero points inside each dtype's range.
Quantization PreluQuant(DType type, int which) {
  static const float kScales[] = {0.05f, 0.02f, 0.03f};
  static const int kInt8ZeroPoints[] = {-3, 4, -20};
  static const int kUInt8ZeroPoints[] = {128, 100, 90};
  if (type == DType::kFloat32) return {};
  return PerTensor(kScales[which],
                   type == DType::kInt8 ? kInt8ZeroPoints[which] : kUInt8ZeroPoints[which]);
}

Model Prelu(DType type, const std::string& input_name, std::vector<int32_t> shape,
            std::vector<int32_t> alpha_shape, bool constant_alpha) {
  ModelBuilder b;
  const int in = b.AddTensor(input_name, type, shape, PreluQuant(type, 0));
  int64_t n = 1;
  for (int32_t d : alpha_shape) n *= d;
  const Quantization alpha_quant = PreluQuant(type, 1);
  const int alpha =
      constant_alpha
          ? b.AddConstantBytes(
                "alpha", type, alpha_shape,
                AlphaBytes(
                    type, n,
                    alpha_quant.empty() ? 0 : static_cast<int32_t>(alpha_quant.zero_point[0])),
                alpha_quant)
          : b.AddTensor("alpha", type, alpha_shape, alpha_quant);
  const int out = b.AddTensor("y", type, shape, PreluQuant(type, 2));
  // Version 1 for every dtype: the only one TFLite registers and the one its
  // converter writes for int8 too.
  b.AddOperator(BuiltinOp::kPrelu, {in, alpha}, {out});
  if (constant_alpha) {
    b.SetInputs({in});
  } else {
    b.SetInputs({in, alpha});
  }
  b.SetOutputs({out});
  return b.Build();
}

Model L2Norm(DType type, const std::string& input_name, std::vector<int32_t> shape) {
  ModelBuilder b;
  Quantization in_quant, out_quant;
  if (type == DType::kInt8) {
    in_quant = PerTensor(0.1f, 5);
    out_quant = PerTensor(1.0f / 128, 0);
  } else if (type == DType::kUInt8) {
    in_quant = PerTensor(0.1f, 120);
    out_quant = PerTensor(1.0f / 128, 128);
  }
  const int in = b.AddTensor(input_name, type, shape, in_quant);
  const int out = b.AddTensor("y", type, shape, out_quant);
  b.AddOperator(BuiltinOp::kL2Normalization, {in}, {out}, L2NormOptions{},
                type == DType::kInt8 ? 2 : 1);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model Lrn(const std::string& input_name, std::vector<int32_t> shape,
          LocalResponseNormalizationOptions o) {
  ModelBuilder b;
  const int in = b.AddTensor(input_name, DType::kFloat32, shape);
  const int out = b.AddTensor("y", DType::kFloat32, shape);
  b.AddOperator(BuiltinOp::kLocalResponseNormalization, {in}, {out}, o);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model L2Pool(std::vector<int32_t> shape, Pool2DOptions o) {
  ModelBuilder b;
  const int in = b.AddTensor("x", DType::kFloat32, shape);
  const int out = b.AddTensor("y", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kL2Pool2D, {in}, {out}, o);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddVisionModels(OpModels* models_out) {
  OpModels& models = *models_out;
  for (DType type : {DType::kFloat32, DType::kInt8, DType::kUInt8}) {
    const std::string prelu = std::string("prelu_") + TypeName(type);
    models.push_back({prelu + "_alpha_c", [=] {
                        return Prelu(type, "x", {1, 4, 5, 3}, {1, 1, 3}, true);
                      }});
    models.push_back({prelu + "_alpha_wc", [=] {
                        return Prelu(type, "x", {2, 3, 5, 4}, {5, 4}, true);
                      }});
    models.push_back({prelu + "_alpha_input", [=] {
                        return Prelu(type, "x", {3, 7}, {3, 7}, false);
                      }});
    models.push_back({prelu + "_ties", [=] {
                        return Prelu(type, "ties_x", {2, 4, 6}, {6}, true);
                      }});
    const std::string l2 = std::string("l2_normalization_") + TypeName(type);
    models.push_back({l2 + "_rank3", [=] { return L2Norm(type, "x", {2, 3, 8}); }});
    models.push_back({l2 + "_rank1", [=] { return L2Norm(type, "x", {33}); }});
    // Small values: rows of zeros and of a single +-1 (sums 0 and 1).
    models.push_back({l2 + "_ties", [=] { return L2Norm(type, "ties_x", {40, 2}); }});
  }

  struct LrnCase {
    const char* name;
    LocalResponseNormalizationOptions o;
  };
  for (const LrnCase& c :
       {LrnCase{"r2", {2, 1.0f, 0.1f, 0.75f}}, LrnCase{"r0_beta1", {0, 2.0f, 1.0f, 1.0f}},
        LrnCase{"r1_beta_half", {1, 0.5f, 0.2f, 0.5f}},
        LrnCase{"r9_whole_row", {9, 1.5f, 0.05f, 0.3f}}}) {
    const LocalResponseNormalizationOptions o = c.o;
    models.push_back({std::string("local_response_normalization_float32_") + c.name, [=] {
                        return Lrn("x", {1, 3, 4, 10}, o);
                      }});
  }
  models.push_back({"local_response_normalization_float32_ties", [] {
                      return Lrn("ties_x", {2, 2, 3, 6}, {1, 1.0f, 1.0f, 0.75f});
                    }});

  // Pool2DOptions: padding, stride w / h, filter w / h, fused activation.
  const Pool2DOptions valid = {Padding::kValid, 2, 2, 2, 2, Activation::kNone};
  const Pool2DOptions same = {Padding::kSame, 2, 2, 3, 3, Activation::kRelu6};
  const Pool2DOptions wide = {Padding::kSame, 3, 1, 4, 2, Activation::kReluN1To1};
  models.push_back({"l2_pool_2d_float32_valid_2x2_s2", [=] {
                      return L2Pool({1, 6, 8, 3}, valid);
                    }});
  models.push_back({"l2_pool_2d_float32_same_3x3_s2_relu6", [=] {
                      return L2Pool({2, 7, 7, 2}, same);
                    }});
  models.push_back({"l2_pool_2d_float32_same_2x4_relu_n1_to_1", [=] {
                      return L2Pool({1, 5, 9, 2}, wide);
                    }});
}

}  // namespace qlite
