// Older converters (the TFLite-Micro person-detection model among them) write
// per-tensor-quantized 1-D biases with quantized_dimension set to the
// filter's channel dimension, outside the bias's rank. TFLite-Micro runs such
// files and so must qlite: with one scale the dimension means nothing.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::RunModel;
using testing::ToBytes;

std::vector<int8_t> RandomInt8(size_t n, std::mt19937* rng) {
  std::uniform_int_distribution<int> dist(-127, 127);
  std::vector<int8_t> v(n);
  for (int8_t& x : v) x = static_cast<int8_t>(dist(*rng));
  return v;
}

std::vector<int32_t> RandomBias(size_t n, std::mt19937* rng) {
  std::uniform_int_distribution<int32_t> dist(-2000, 2000);
  std::vector<int32_t> v(n);
  for (int32_t& x : v) x = dist(*rng);
  return v;
}

// input [1,6,6,3] -> CONV 3x3 (4 ch) -> DEPTHWISE 3x3 -> FC (5 units), all
// int8 with per-tensor filters; each bias carries `bias_dimension`.
Model PersonDetectionStyleModel(int bias_dimension) {
  std::mt19937 rng(11);
  ModelBuilder b;
  auto bias_quant = [&](float scale) {
    Quantization q = PerTensor(scale, 0);
    q.quantized_dimension = bias_dimension;
    return q;
  };
  const int in = b.AddTensor("input", DType::kInt8, {1, 6, 6, 3}, PerTensor(0.02f, -3));
  const int conv_w = b.AddConstant("conv/w", DType::kInt8, {4, 3, 3, 3}, RandomInt8(108, &rng),
                                   PerTensor(0.01f, 0));
  const int conv_b =
      b.AddConstant("conv/b", DType::kInt32, {4}, RandomBias(4, &rng), bias_quant(0.02f * 0.01f));
  const int conv_out = b.AddTensor("conv", DType::kInt8, {1, 6, 6, 4}, PerTensor(0.05f, 2));
  Conv2DOptions conv;
  conv.padding = Padding::kSame;
  conv.activation = Activation::kRelu;
  b.AddOperator(BuiltinOp::kConv2D, {in, conv_w, conv_b}, {conv_out}, conv, 3);

  const int dw_w =
      b.AddConstant("dw/w", DType::kInt8, {1, 3, 3, 4}, RandomInt8(36, &rng), PerTensor(0.015f, 0));
  const int dw_b =
      b.AddConstant("dw/b", DType::kInt32, {4}, RandomBias(4, &rng), bias_quant(0.05f * 0.015f));
  const int dw_out = b.AddTensor("dw", DType::kInt8, {1, 6, 6, 4}, PerTensor(0.04f, -1));
  DepthwiseConv2DOptions dw;
  dw.padding = Padding::kSame;
  dw.depth_multiplier = 1;
  b.AddOperator(BuiltinOp::kDepthwiseConv2D, {conv_out, dw_w, dw_b}, {dw_out}, dw, 3);

  const int fc_w =
      b.AddConstant("fc/w", DType::kInt8, {5, 144}, RandomInt8(720, &rng), PerTensor(0.01f, 0));
  const int fc_b =
      b.AddConstant("fc/b", DType::kInt32, {5}, RandomBias(5, &rng), bias_quant(0.04f * 0.01f));
  const int out = b.AddTensor("logits", DType::kInt8, {1, 5}, PerTensor(0.1f, 4));
  b.AddOperator(BuiltinOp::kFullyConnected, {dw_out, fc_w, fc_b}, {out}, FullyConnectedOptions{},
                4);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// The model as a file and back, as a user's model arrives.
Model ThroughFile(const Model& model) {
  auto bytes = std::make_shared<std::vector<uint8_t>>();
  EXPECT_TRUE(WriteModel(model, WriterOptions{}, bytes.get()).ok());
  Model read;
  const Status s = ReadModel(bytes, &read);
  EXPECT_TRUE(s.ok()) << s.message();
  return read;
}

TEST(BiasQuantizedDimension, PerTensorBiasWithDimensionOutsideItsRankRuns) {
  const Model plain = ThroughFile(PersonDetectionStyleModel(0));
  const Model with_dimension = ThroughFile(PersonDetectionStyleModel(3));
  for (const TensorDef& t : with_dimension.tensors) {
    if (t.type == DType::kInt32) {
      EXPECT_EQ(t.quant.quantized_dimension, 3) << t.name;
    }
  }
  std::mt19937 rng(5);
  const std::vector<uint8_t> input = ToBytes(RandomInt8(108, &rng));
  const testing::RunResult expected = RunModel(plain, {input});
  ASSERT_TRUE(expected.status.ok()) << expected.status.message();
  const testing::RunResult got = RunModel(with_dimension, {input});
  ASSERT_TRUE(got.status.ok()) << got.status.message();
  EXPECT_EQ(got.outputs, expected.outputs);
}

// With more than one scale the dimension does matter and must fit.
TEST(BiasQuantizedDimension, PerChannelBiasMustNameAValidDimension) {
  Model model = PersonDetectionStyleModel(0);
  for (TensorDef& t : model.tensors) {
    if (t.name == "conv/b") {
      t.quant.scale.assign(4, t.quant.scale[0]);
      t.quant.zero_point.assign(4, 0);
      t.quant.quantized_dimension = 3;
    }
  }
  std::vector<uint8_t> bytes;  // the writer runs the reader's model checks
  const Status s = WriteModel(model, WriterOptions{}, &bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("conv/b"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("quantized_dimension 3"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace qlite
