// One-op CONV_2D / DEPTHWISE_CONV_2D models for conv_test.cc and
// depthwise_conv_test.cc (TRANSPOSE_CONV reuses the helpers below).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tests/util/op_runner.h"

namespace qlite::testing {

struct ConvSpec {
  BuiltinOp op = BuiltinOp::kConv2D;
  OpOptions options;  // the op's defaults

  DType input_type = DType::kFloat32;
  Shape input_shape;
  Quantization input_quant;

  DType filter_type = DType::kFloat32;
  Shape filter_shape;
  std::vector<uint8_t> filter_bytes;
  Quantization filter_quant;
  bool filter_constant = true;  // false: the filter is a second model input

  enum class Bias { kNone, kMinusOne, kConstant } bias = Bias::kNone;
  DType bias_type = DType::kFloat32;
  Shape bias_shape;
  std::vector<uint8_t> bias_bytes;
  Quantization bias_quant;

  DType output_type = DType::kFloat32;
  Quantization output_quant;

  // Sets input, filter and output dtypes at once.
  ConvSpec& Type(DType type) {
    input_type = filter_type = output_type = type;
    bias_type = type == DType::kFloat32 ? DType::kFloat32 : DType::kInt32;
    return *this;
  }
  // int16 activations, int8 filter, int64 bias.
  ConvSpec& Int16x8() {
    input_type = output_type = DType::kInt16;
    filter_type = DType::kInt8;
    bias_type = DType::kInt64;
    return *this;
  }
  // Hybrid: float activations and bias, int8 filter.
  ConvSpec& Hybrid() {
    input_type = output_type = bias_type = DType::kFloat32;
    filter_type = DType::kInt8;
    return *this;
  }
  template <typename T>
  ConvSpec& Filter(Shape shape, const std::vector<T>& values, Quantization quant = {}) {
    filter_shape = std::move(shape);
    filter_bytes = ToBytes(values);
    filter_quant = std::move(quant);
    return *this;
  }
  template <typename T>
  ConvSpec& WithBias(const std::vector<T>& values, Quantization quant = {}) {
    bias = Bias::kConstant;
    bias_shape = {static_cast<int32_t>(values.size())};
    bias_bytes = ToBytes(values);
    bias_quant = std::move(quant);
    return *this;
  }
};

inline Model BuildConvModel(const ConvSpec& s) {
  ModelBuilder b;
  const int input = b.AddTensor("input", s.input_type, s.input_shape, s.input_quant);
  const int filter = s.filter_constant
                         ? b.AddConstantBytes("filter", s.filter_type, s.filter_shape,
                                              s.filter_bytes, s.filter_quant)
                         : b.AddTensor("filter", s.filter_type, s.filter_shape, s.filter_quant);
  std::vector<int32_t> inputs = {input, filter};
  if (s.bias == ConvSpec::Bias::kMinusOne) inputs.push_back(-1);
  if (s.bias == ConvSpec::Bias::kConstant) {
    inputs.push_back(
        b.AddConstantBytes("bias", s.bias_type, s.bias_shape, s.bias_bytes, s.bias_quant));
  }
  const int output = b.AddTensor("output", s.output_type, {}, s.output_quant);
  b.AddOperator(s.op, inputs, {output}, s.options);
  if (s.filter_constant) {
    b.SetInputs({input});
  } else {
    b.SetInputs({input, filter});
  }
  b.SetOutputs({output});
  return b.Build();
}

// Runs the spec on `input` and returns the output values (and shape).
template <typename T>
std::vector<T> RunConv(const ConvSpec& spec, const std::vector<T>& input, Shape* shape = nullptr) {
  std::vector<std::vector<uint8_t>> inputs = {ToBytes(input)};
  if (!spec.filter_constant) inputs.push_back(spec.filter_bytes);
  const RunResult result = RunModel(BuildConvModel(spec), inputs);
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  if (!result.status.ok()) return {};
  if (shape != nullptr) *shape = result.shapes[0];
  return FromBytes<T>(result.outputs[0]);
}

using Doubles = std::vector<double>;

// Output values as doubles, so that expectations of any dtype read as numbers.
template <typename T>
Doubles AsDoubles(const std::vector<T>& values) {
  return Doubles(values.begin(), values.end());
}

inline ::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

// The error message of running the spec (empty if it ran).
inline std::string ConvError(const ConvSpec& spec) {
  const RunResult result = RunModel(BuildConvModel(spec), {});
  return result.status.ok() ? std::string() : result.status.message();
}

// Random filter quantized per channel (symmetric int8, as the converter does for
// dynamic-range models), with the dequantized values a float model would use.
struct QuantizedFilter {
  std::vector<int8_t> values;
  std::vector<float> scales;
  std::vector<float> dequantized;
};

inline QuantizedFilter RandomPerChannelFilter(const Shape& shape, int channel_dim,
                                              std::mt19937* rng) {
  const int64_t count = ShapeElementCount(shape);
  int64_t inner = 1;  // elements between two consecutive channel indices
  for (size_t d = channel_dim + 1; d < shape.size(); ++d) inner *= shape[d];
  const int channels = shape[channel_dim];
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> weights(count);
  for (float& w : weights) w = dist(*rng);
  QuantizedFilter q;
  q.scales.assign(channels, 0.0f);
  for (int64_t i = 0; i < count; ++i) {
    float& s = q.scales[(i / inner) % channels];
    s = std::max(s, std::abs(weights[i]) / 127.0f);
  }
  for (int64_t i = 0; i < count; ++i) {
    const float scale = q.scales[(i / inner) % channels];
    q.values.push_back(static_cast<int8_t>(std::lround(weights[i] / scale)));
    q.dequantized.push_back(q.values.back() * scale);
  }
  return q;
}

// Runs `float_spec` (float filter) and its hybrid twin (same filter as int8
// with per-channel scales) on random data and checks that the hybrid output is
// within 1e-2 of the float one, relative to the largest float output: the only
// difference is the 8-bit quantization of the input (error ~ 1/255 of its range
// per tap), and relative-to-each-element would fail near zero crossings.
inline void ExpectHybridCloseToFloat(ConvSpec float_spec, int channel_dim, uint32_t seed) {
  std::mt19937 rng(seed);
  QuantizedFilter filter = RandomPerChannelFilter(float_spec.filter_shape, channel_dim, &rng);
  ConvSpec hybrid = float_spec;
  hybrid.Hybrid();
  hybrid.Filter(float_spec.filter_shape, filter.values, PerChannel(filter.scales, channel_dim));
  float_spec.Filter(float_spec.filter_shape, filter.dequantized);
  std::uniform_real_distribution<float> dist(-2.0f, 3.0f);
  std::vector<float> input(ShapeElementCount(float_spec.input_shape));
  for (float& x : input) x = dist(rng);
  const std::vector<float> expected = RunConv(float_spec, input);
  const std::vector<float> actual = RunConv(hybrid, input);
  ASSERT_EQ(actual.size(), expected.size());
  ASSERT_FALSE(expected.empty());
  float largest = 0.0f;
  for (float v : expected) largest = std::max(largest, std::abs(v));
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], 1e-2f * largest) << "element " << i;
  }
}

}  // namespace qlite::testing
