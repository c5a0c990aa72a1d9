// MediaPipe's custom ops as one-op models: their options as the raw
// TfLiteTransposeConvParams / TfLitePoolParams structs the converters write
// (little-endian int32 fields, the pool struct's computed padding left zero,
// 40 bytes as sizeof(TfLitePoolParams)). Shared by the kernel tests and the
// cross-runtime models (header only: the model generator links qlite_core
// alone).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "core/tensor.h"

namespace qlite::testing {

// TfLitePadding values.
constexpr int32_t kRawSame = 1, kRawValid = 2;

inline std::vector<uint8_t> RawFields(const std::vector<int32_t>& fields) {
  std::vector<uint8_t> bytes;
  for (int32_t f : fields) {
    const auto u = static_cast<uint32_t>(f);
    for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<uint8_t>(u >> shift));
  }
  return bytes;
}

// TfLiteTransposeConvParams: padding, stride_width, stride_height.
inline std::vector<uint8_t> TransposeConvParamBytes(int32_t padding, int32_t stride_h,
                                                    int32_t stride_w) {
  return RawFields({padding, stride_w, stride_h});
}

// TfLitePoolParams: padding, stride_width, stride_height, filter_width,
// filter_height, activation, computed padding (4 int32).
inline std::vector<uint8_t> PoolParamBytes(int32_t padding, int32_t stride_h, int32_t stride_w,
                                           int32_t filter_h, int32_t filter_w,
                                           int32_t activation = 0) {
  return RawFields({padding, stride_w, stride_h, filter_w, filter_h, activation, 0, 0, 0, 0});
}

// A model of one custom op; every non-constant input is a model input, the
// outputs' shapes are left for the op to set.
struct CustomOpSpec {
  std::string code;
  std::vector<uint8_t> options;
  struct Input {
    DType type;
    Shape shape;
    std::vector<uint8_t> constant;  // empty: a model input
  };
  std::vector<Input> inputs;
  std::vector<DType> outputs = {DType::kFloat32};
  std::vector<Shape> output_shapes;  // empty: left for the op to set
};

inline Model CustomOpModel(const CustomOpSpec& s, int first_output = 0) {
  ModelBuilder b;
  std::vector<int32_t> ins, model_ins, outs;
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    const auto& in = s.inputs[i];
    const std::string name = "in" + std::to_string(i);
    if (in.constant.empty()) {
      ins.push_back(b.AddTensor(name, in.type, in.shape));
      model_ins.push_back(ins.back());
    } else {
      ins.push_back(b.AddConstantBytes(name, in.type, in.shape, in.constant));
    }
  }
  for (size_t i = 0; i < s.outputs.size(); ++i) {
    outs.push_back(b.AddTensor("out" + std::to_string(i), s.outputs[i],
                               s.output_shapes.empty() ? Shape{} : s.output_shapes[i]));
  }
  b.AddOperator(BuiltinOp::kCustom, ins, outs);
  b.model().operators.back().custom_code = s.code;
  b.model().operators.back().custom_options = s.options;
  b.SetInputs(model_ins);
  std::swap(outs[0], outs[first_output]);
  b.SetOutputs(outs);
  return b.Build();
}

}  // namespace qlite::testing
