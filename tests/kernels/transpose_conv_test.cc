// TRANSPOSE_CONV reference kernel. Expected values are worked out by hand in
// the comments: each input value scatters input * filter[oc, ky, kx, ic] to
// output (y * stride - pad + ky, x * stride - pad + kx, oc).
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "tests/kernels/conv_test_util.h"

namespace qlite::testing {
namespace {

struct TransposeConvSpec {
  TransposeConvOptions options;
  DType input_type = DType::kFloat32, filter_type = DType::kFloat32;
  DType bias_type = DType::kFloat32, output_type = DType::kFloat32;
  Shape input_shape;
  Quantization input_quant, output_quant;
  Shape filter_shape;
  std::vector<uint8_t> filter_bytes;
  Quantization filter_quant;
  bool has_bias = false;
  std::vector<uint8_t> bias_bytes;
  Quantization bias_quant;
  std::vector<int32_t> output_shape;  // the output_shape input's values
  DType output_shape_type = DType::kInt32;
  bool output_shape_constant = true;  // false: a model input, fed output_shape
  Shape declared_output_shape;        // the output tensor's shape in the model

  template <typename T>
  TransposeConvSpec& Filter(Shape shape, const std::vector<T>& values, Quantization quant = {}) {
    filter_shape = std::move(shape);
    filter_bytes = ToBytes(values);
    filter_quant = std::move(quant);
    return *this;
  }
  template <typename T>
  TransposeConvSpec& WithBias(DType type, const std::vector<T>& values, Quantization quant = {}) {
    has_bias = true;
    bias_type = type;
    bias_bytes = ToBytes(values);
    bias_quant = std::move(quant);
    return *this;
  }
};

TransposeConvOptions Options(Padding padding, int stride_h, int stride_w,
                             Activation activation = Activation::kNone) {
  TransposeConvOptions o;
  o.padding = padding;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  o.activation = activation;
  return o;
}

Model BuildTransposeConvModel(const TransposeConvSpec& s) {
  ModelBuilder b;
  const Shape shape_dims = {static_cast<int32_t>(s.output_shape.size())};
  const int output_shape =
      s.output_shape_constant
          ? b.AddConstant("output_shape", s.output_shape_type, shape_dims, s.output_shape)
          : b.AddTensor("output_shape", s.output_shape_type, shape_dims);
  const int filter =
      b.AddConstantBytes("filter", s.filter_type, s.filter_shape, s.filter_bytes, s.filter_quant);
  const int input = b.AddTensor("input", s.input_type, s.input_shape, s.input_quant);
  std::vector<int32_t> inputs = {output_shape, filter, input};
  if (s.has_bias) {
    const Shape bias_shape = {s.filter_shape[0]};
    inputs.push_back(
        b.AddConstantBytes("bias", s.bias_type, bias_shape, s.bias_bytes, s.bias_quant));
  }
  const int output = b.AddTensor("output", s.output_type, s.declared_output_shape, s.output_quant);
  b.AddOperator(BuiltinOp::kTransposeConv, inputs, {output}, s.options);
  if (s.output_shape_constant) {
    b.SetInputs({input});
  } else {
    b.SetInputs({output_shape, input});
  }
  b.SetOutputs({output});
  return b.Build();
}

RunResult RunTransposeConvBytes(const TransposeConvSpec& s, std::vector<uint8_t> input,
                                const std::vector<int32_t>& fed_output_shape) {
  std::vector<std::vector<uint8_t>> inputs;
  if (!s.output_shape_constant) inputs.push_back(ToBytes(fed_output_shape));
  inputs.push_back(std::move(input));
  return RunModel(BuildTransposeConvModel(s), inputs);
}

template <typename T>
std::vector<T> RunTransposeConv(const TransposeConvSpec& s, const std::vector<T>& input,
                                Shape* shape = nullptr) {
  const RunResult result = RunTransposeConvBytes(s, ToBytes(input), s.output_shape);
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  if (!result.status.ok()) return {};
  if (shape != nullptr) *shape = result.shapes[0];
  return FromBytes<T>(result.outputs[0]);
}

std::string TransposeConvError(const TransposeConvSpec& s) {
  const RunResult result = RunModel(BuildTransposeConvModel(s), {});
  return result.status.ok() ? std::string() : result.status.message();
}

// ---- float32 ----

// Input 1x2x2x1 [[1, 2], [3, 4]], filter 3x3 [[1,2,3],[4,5,6],[7,8,9]], SAME,
// stride 2, output 1x4x4x1. TFLite's padding is that of the forward conv from
// 4x4: out ceil(4/2) = 2, total (2-1)*2 + 3 - 4 = 1 -> 0 before (the odd one
// goes after). So input (y, x) lands at output (2y + ky, 2x + kx); column and
// row 4 fall outside. Summing f*in per output cell:
//   row 0: f00=1   f01=2   f02+2f00=5          2f01=4
//   row 1: f10=4   f11=5   f12+2f10=14         2f11=10
//   row 2: f20+3f00=10  f21+3f01=14  f22+2f20+3f02+4f00=36  2f21+4f01=24
//   row 3: 3f10=12 3f11=15 3f12+4f10=34        4f11=20
// plus bias 1.
TransposeConvSpec SameStride2() {
  TransposeConvSpec s;
  s.options = Options(Padding::kSame, 2, 2);
  s.input_shape = {1, 2, 2, 1};
  s.Filter({1, 3, 3, 1}, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  s.WithBias(DType::kFloat32, std::vector<float>{1});
  s.output_shape = {1, 4, 4, 1};
  return s;
}
const std::vector<float> kOneToFour = {1, 2, 3, 4};
const Doubles kSameStride2Expected = {2, 3, 6, 5, 5, 6, 15, 11, 11, 15, 37, 25, 13, 16, 35, 21};

TEST(TransposeConvFloat, SamePaddingStride2) {
  Shape shape;
  EXPECT_EQ(AsDoubles(RunTransposeConv(SameStride2(), kOneToFour, &shape)), kSameStride2Expected);
  EXPECT_EQ(shape, (Shape{1, 4, 4, 1}));
}

// VALID, stride 1x2, 1x1x2x1 input [2, -1], filter 2 output channels of 1x2:
// oc0 [1, 3], oc1 [-1, 1]; output width (2-1)*2 + 2 = 4, nothing overlaps:
//   x0: 2*[1,-1] = [2,-2]   x1: 2*[3,1] = [6,2]   x2: -[1,-1] = [-1,1]   x3: -[3,1] = [-3,-1]
// bias [0.5, -1] then RELU: [2.5,0] [6.5,1] [0,0] [0,0]; without bias or RELU
// the raw values come through.
TransposeConvSpec ValidTwoChannels(Activation activation) {
  TransposeConvSpec s;
  s.options = Options(Padding::kValid, 1, 2, activation);
  s.input_shape = {1, 1, 2, 1};
  s.Filter({2, 1, 2, 1}, std::vector<float>{1, 3, -1, 1});
  s.output_shape = {1, 1, 4, 2};
  return s;
}

TEST(TransposeConvFloat, ValidStrideTwoChannelsBiasRelu) {
  TransposeConvSpec s = ValidTwoChannels(Activation::kNone);
  const std::vector<float> input = {2, -1};
  EXPECT_EQ(AsDoubles(RunTransposeConv(s, input)), (Doubles{2, -2, 6, 2, -1, 1, -3, -1}));
  s = ValidTwoChannels(Activation::kRelu);
  s.WithBias(DType::kFloat32, std::vector<float>{0.5f, -1});
  EXPECT_EQ(AsDoubles(RunTransposeConv(s, input)), (Doubles{2.5, 0, 6.5, 1, 0, 0, 0, 0}));
}

// Overlapping windows with stride 1: input [1, 2, 3] (1x1x3x1), filter [1, 1]
// VALID -> width 4: [1, 1+2, 2+3, 3] = [1, 3, 5, 3].
TEST(TransposeConvFloat, OverlappingWindowsAccumulate) {
  TransposeConvSpec s;
  s.options = Options(Padding::kValid, 1, 1);
  s.input_shape = {1, 1, 3, 1};
  s.Filter({1, 1, 2, 1}, std::vector<float>{1, 1});
  s.output_shape = {1, 1, 4, 1};
  EXPECT_EQ(AsDoubles(RunTransposeConv(s, std::vector<float>{1, 2, 3})), (Doubles{1, 3, 5, 3}));
}

// ---- output_shape as a run-time input ----

TransposeConvSpec DynamicOutputShape() {
  TransposeConvSpec s = SameStride2();
  s.output_shape_constant = false;
  s.declared_output_shape = {1, 4, 4, 1};
  return s;
}

TEST(TransposeConvFloat, RuntimeOutputShapeUsesDeclaredShape) {
  Shape shape;
  EXPECT_EQ(AsDoubles(RunTransposeConv(DynamicOutputShape(), kOneToFour, &shape)),
            kSameStride2Expected);
  EXPECT_EQ(shape, (Shape{1, 4, 4, 1}));
}

TEST(TransposeConvErrors, RuntimeOutputShapeMustMatchThePlan) {
  const RunResult r =
      RunTransposeConvBytes(DynamicOutputShape(), ToBytes(kOneToFour), {1, 5, 5, 1});
  EXPECT_TRUE(Contains(r.status.message(),
                       "output_shape input is [1,5,5,1] but the output was planned as [1,4,4,1]"));
}

TEST(TransposeConvErrors, RuntimeOutputShapeNeedsDeclaredOutputShape) {
  TransposeConvSpec s = DynamicOutputShape();
  s.declared_output_shape = {};
  EXPECT_TRUE(Contains(TransposeConvError(s), "must declare its [batch, height, width, channels]"));
}

// ---- int8 ----

// Input 1x1x2x1 q [10, -4], scale 0.5 zp 2 (offset -2) -> [8, -6]; filter
// oc0 [3, 1] scale 0.25, oc1 [-2, 4] scale 0.5; bias [4, -4]; output scale 1
// zp -5 -> multipliers 0.125 and 0.25. VALID stride 1 -> width 3:
//   oc0: 24 | 8 - 18 = -10 | -6    + 4  -> 28, -6, -2  -> 3.5, -0.75, -0.25
//        -> 4, -1, 0 (half away from zero) -> + zp -> -1, -6, -5
//   oc1: -16 | 32 + 12 = 44 | -24  - 4  -> -20, 40, -28 -> -5, 10, -7 -> -10, 5, -12
TEST(TransposeConvInt8, PerChannel) {
  TransposeConvSpec s;
  s.input_type = s.filter_type = s.output_type = DType::kInt8;
  s.options = Options(Padding::kValid, 1, 1);
  s.input_shape = {1, 1, 2, 1};
  s.input_quant = PerTensor(0.5f, 2);
  s.output_quant = PerTensor(1.0f, -5);
  s.Filter({2, 1, 2, 1}, std::vector<int8_t>{3, 1, -2, 4}, PerChannel({0.25f, 0.5f}, 0));
  s.WithBias(DType::kInt32, std::vector<int32_t>{4, -4}, PerChannel({0.125f, 0.25f}, 0));
  s.output_shape = {1, 1, 3, 2};
  EXPECT_EQ(AsDoubles(RunTransposeConv(s, std::vector<int8_t>{10, -4})),
            (Doubles{-1, -10, -6, 5, -5, -12}));
}

// ---- int16x8 ----

// Scales 1 everywhere (multiplier 1, exact). Input [30000, 3], filter 1x2x1
// [2, -2], VALID stride 2 -> height 4: 60000 -> 32767, -60000 -> -32768,
// 6, -6; bias int64 [0].
TEST(TransposeConvInt16, SaturatesAtInt16Limits) {
  TransposeConvSpec s;
  s.input_type = s.output_type = DType::kInt16;
  s.filter_type = DType::kInt8;
  s.options = Options(Padding::kValid, 2, 1);
  s.input_shape = {1, 2, 1, 1};
  s.input_quant = s.output_quant = PerTensor(1.0f, 0);
  s.Filter({1, 2, 1, 1}, std::vector<int8_t>{2, -2}, PerChannel({1.0f}, 0));
  s.WithBias(DType::kInt64, std::vector<int64_t>{0});
  s.output_shape = {1, 4, 1, 1};
  EXPECT_EQ(AsDoubles(RunTransposeConv(s, std::vector<int16_t>{30000, 3})),
            (Doubles{32767, -32768, 6, -6}));
}

// ---- errors ----

TEST(TransposeConvErrors, OutputShapeMustBeInt32) {
  TransposeConvSpec s = SameStride2();
  s.output_shape_type = DType::kFloat32;  // same bytes, wrong dtype
  EXPECT_TRUE(
      Contains(TransposeConvError(s), "output_shape tensor 'output_shape' has dtype float32"));
}

TEST(TransposeConvErrors, OutputShapeMustHaveFourValues) {
  TransposeConvSpec s = SameStride2();
  s.output_shape = {4, 4, 1};
  EXPECT_TRUE(Contains(TransposeConvError(s), "must have shape [4], has [3]"));
}

TEST(TransposeConvErrors, OutputShapeBatchAndChannels) {
  TransposeConvSpec s = SameStride2();
  s.output_shape = {2, 4, 4, 1};
  EXPECT_TRUE(Contains(TransposeConvError(s), "has batch 2 but the input has 1"));
  s.output_shape = {1, 4, 4, 3};
  EXPECT_TRUE(Contains(TransposeConvError(s), "has 3 channels but the filter has 1"));
  s.output_shape = {1, 0, 4, 1};
  EXPECT_TRUE(Contains(TransposeConvError(s), "invalid height or width"));
}

TEST(TransposeConvErrors, FilterInputChannelsMustMatch) {
  TransposeConvSpec s = SameStride2();
  s.input_shape = {1, 2, 1, 2};
  EXPECT_TRUE(Contains(TransposeConvError(s), "has 1 input channels but the input has 2"));
}

TEST(TransposeConvErrors, UnsupportedDtypes) {
  TransposeConvSpec s = SameStride2();
  s.filter_type = DType::kInt8;  // hybrid transpose conv
  s.filter_bytes = ToBytes(std::vector<int8_t>(9, 1));
  s.filter_quant = PerTensor(1.0f, 0);
  EXPECT_TRUE(Contains(TransposeConvError(s), "supports float32, int8 and int16x8"));
  s = SameStride2();
  s.bias_type = DType::kInt32;
  EXPECT_TRUE(
      Contains(TransposeConvError(s), "bias tensor 'bias' has dtype int32, expected float32"));
}

TEST(TransposeConvErrors, BadStrideAndInputCount) {
  TransposeConvSpec s = SameStride2();
  s.options = Options(Padding::kSame, 0, 2);
  EXPECT_TRUE(Contains(TransposeConvError(s), "strides must be >= 1"));
  Model model = BuildTransposeConvModel(SameStride2());
  model.operators[0].inputs.resize(2);
  EXPECT_TRUE(Contains(RunModel(model, {}).status.message(), "expects 3 to 4 inputs, got 2"));
}

}  // namespace
}  // namespace qlite::testing
