// One-op models of MediaPipe's custom ops, with their raw TFLite params
// structs as custom options (tests/util/mediapipe_models.h). LiteRT.js runs
// these ops through XNNPACK, not through MediaPipe's CPU kernels, so only
// what the two agree on is compared here (the rest is hand-checked in
// tests/kernels/mediapipe_ops_test.cc):
// - Convolution2DTransposeBias: XNNPACK's deconvolution sums in another
//   order, so results agree within the float32 tolerance, not to the bit;
// - MaxPoolingWithArgmax2D: values only, windows that do not overlap
//   (stride = filter). LiteRT.js writes the indices as XNNPACK's uint32
//   window offsets into the float32 tensor (MediaPipe: the offset + 0.1 as a
//   float), its overlapping windows (stride < filter) give other values, and
//   it keeps +inf and NaN maxima that MediaPipe clamps or skips;
// - MaxUnpooling2D: only after MaxPoolingWithArgmax2D in the same model (as
//   SegNet-style models use it), where each runtime reads its own indices;
// - LiteRtMaxUnpooling2D is left out: LiteRT.js loads it but its output is
//   left unwritten (uninitialized values).
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"
#include "tests/util/mediapipe_models.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::CustomOpSpec;
using testing::kRawSame;
using testing::kRawValid;
using testing::ToBytes;

// Weights and biases of both signs, from a fixed pattern.
std::vector<float> Pattern(int64_t count, int salt) {
  std::vector<float> v;
  for (int64_t i = 0; i < count; ++i)
    v.push_back(static_cast<float>((i * 37 + salt) % 23 - 11) / 8);
  return v;
}

struct ConvCase {
  const char* name;
  int32_t padding, stride;
  Shape input;  // NHWC
  int out_channels, kernel;
  Shape output;
};

Model TransposeConvBias(const ConvCase& c) {
  const int in_channels = c.input[3];
  CustomOpSpec s;
  s.code = "Convolution2DTransposeBias";
  s.options = testing::TransposeConvParamBytes(c.padding, c.stride, c.stride);
  const Shape weights = {c.out_channels, c.kernel, c.kernel, in_channels};
  s.inputs = {{DType::kFloat32, c.input, {}},
              {DType::kFloat32, weights,
               ToBytes(Pattern(int64_t{c.out_channels} * c.kernel * c.kernel * in_channels, 3))},
              {DType::kFloat32, {c.out_channels}, ToBytes(Pattern(c.out_channels, 7))}};
  s.output_shapes = {c.output};
  return CustomOpModel(s);
}

struct PoolCase {
  const char* name;
  int32_t padding, stride, filter, activation;
  Shape input, output;
};

Model ArgmaxPool(const PoolCase& c) {
  CustomOpSpec s;
  s.code = "MaxPoolingWithArgmax2D";
  s.options =
      testing::PoolParamBytes(c.padding, c.stride, c.stride, c.filter, c.filter, c.activation);
  s.inputs = {{DType::kFloat32, c.input, {}}};
  s.outputs = {DType::kFloat32, DType::kFloat32};
  s.output_shapes = {c.output, c.output};
  return CustomOpModel(s);  // output 0: the values
}

// MaxPoolingWithArgmax2D then MaxUnpooling2D, windows of 2 with stride 2:
// the maxima back in place, zeros elsewhere.
Model PoolUnpool(const std::string& input_name, Shape input, Shape pooled, Shape output) {
  ModelBuilder b;
  const int in = b.AddTensor(input_name, DType::kFloat32, input);
  const int values = b.AddTensor("values", DType::kFloat32, pooled);
  const int indices = b.AddTensor("indices", DType::kFloat32, pooled);
  const int out = b.AddTensor("unpooled", DType::kFloat32, output);
  const std::vector<uint8_t> options = testing::PoolParamBytes(kRawSame, 2, 2, 2, 2);
  b.AddOperator(BuiltinOp::kCustom, {in}, {values, indices});
  b.model().operators.back().custom_code = "MaxPoolingWithArgmax2D";
  b.model().operators.back().custom_options = options;
  b.AddOperator(BuiltinOp::kCustom, {values, indices}, {out});
  b.model().operators.back().custom_code = "MaxUnpooling2D";
  b.model().operators.back().custom_options = options;
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

}  // namespace

void AddMediaPipeModels(OpModels* models_out) {
  OpModels& models = *models_out;
  // Output sizes: SAME stride s: s * (in - 1) + k - max(0, k - (in - 1) % s - 1);
  // VALID: s * (in - 1) + k.
  for (const ConvCase& c :
       {ConvCase{"same_stride2", kRawSame, 2, {1, 5, 5, 3}, 4, 3, {1, 9, 9, 4}},
        ConvCase{"same_stride2_kernel4", kRawSame, 2, {1, 4, 3, 2}, 3, 4, {1, 8, 5, 3}},
        ConvCase{"valid_stride1", kRawValid, 1, {1, 4, 3, 2}, 3, 3, {1, 6, 5, 3}},
        ConvCase{"same_stride1", kRawSame, 1, {2, 3, 5, 2}, 2, 3, {2, 3, 5, 2}}}) {
    models.push_back({std::string("mediapipe_transpose_conv_bias_") + c.name + "_float32",
                      [=] { return TransposeConvBias(c); }});
  }
  for (const PoolCase& c :
       {PoolCase{"same_stride2", kRawSame, 2, 2, 0, {1, 5, 5, 3}, {1, 3, 3, 3}},
        PoolCase{"valid_stride3_relu", kRawValid, 3, 3, 1, {1, 7, 6, 2}, {1, 2, 2, 2}}}) {
    models.push_back({std::string("mediapipe_max_pool_argmax_") + c.name + "_values_float32",
                      [=] { return ArgmaxPool(c); }});
  }
  models.push_back({"mediapipe_max_pool_unpool_float32", [] {
                      return PoolUnpool("input", {1, 4, 6, 3}, {1, 2, 3, 3}, {1, 4, 6, 3});
                    }});
  // Left out: the same with "ties" inputs (NaN, infinities). MediaPipe's
  // kernel clamps a +inf maximum to the largest float (its activation range,
  // as MAX_POOL_2D) and skips NaN; XNNPACK keeps +inf and NaN.
  models.push_back({"mediapipe_max_pool_unpool_odd_float32", [] {
                      return PoolUnpool("input", {2, 5, 3, 2}, {2, 3, 2, 2}, {2, 6, 4, 2});
                    }});
}

}  // namespace qlite
