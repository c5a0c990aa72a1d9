// Interpreter::ResizeInput: a model with a dynamic batch dimension runs at
// batch 1 and at batch 4, and every row of the batch-4 result is the batch-1
// result of that row, byte for byte.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/interpreter.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::ToBytes;

// input [-1, 2, 2, 3] float -> CONV 1x1 (4 ch) + RELU -> MEAN over H, W ->
// FULLY_CONNECTED (3 units) -> SOFTMAX: [-1, 3].
Model DynamicBatchModel() {
  ModelBuilder b;
  const int in = b.AddTensor("image", DType::kFloat32, {1, 2, 2, 3});
  b.model().tensors[in].shape_signature = {-1, 2, 2, 3};
  std::vector<float> w(12), fc(12);
  for (int i = 0; i < 12; ++i) w[i] = 0.25f * static_cast<float>(i % 5) - 0.5f;
  for (int i = 0; i < 12; ++i) fc[i] = 0.1f * static_cast<float>(i) - 0.6f;
  const int conv_w = b.AddConstant("conv/w", DType::kFloat32, {4, 1, 1, 3}, w);
  const int conv_b =
      b.AddConstant("conv/b", DType::kFloat32, {4}, std::vector<float>{0.1f, -0.2f, 0.3f, 0.0f});
  const int conv = b.AddTensor("conv", DType::kFloat32, {1, 2, 2, 4});
  Conv2DOptions conv_options;
  conv_options.activation = Activation::kRelu;
  b.AddOperator(BuiltinOp::kConv2D, {in, conv_w, conv_b}, {conv}, conv_options);
  const int axes = b.AddConstant("axes", DType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int mean = b.AddTensor("mean", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kMean, {conv, axes}, {mean});
  const int fc_w = b.AddConstant("fc/w", DType::kFloat32, {3, 4}, fc);
  const int logits = b.AddTensor("logits", DType::kFloat32, {1, 3});
  b.AddOperator(BuiltinOp::kFullyConnected, {mean, fc_w, -1}, {logits});
  const int probs = b.AddTensor("probs", DType::kFloat32, {1, 3});
  b.AddOperator(BuiltinOp::kSoftmax, {logits}, {probs});
  b.SetInputs({in});
  b.SetOutputs({probs});
  return b.Build();
}

std::vector<float> Image(int seed) {
  std::vector<float> v(12);
  for (int i = 0; i < 12; ++i) v[i] = static_cast<float>((i * 7 + seed * 13) % 11) * 0.3f - 1.4f;
  return v;
}

std::vector<float> RunFloat(Interpreter& interpreter, const std::vector<float>& input) {
  const std::vector<uint8_t> bytes = ToBytes(input);
  EXPECT_TRUE(interpreter.SetInput(0, bytes.data(), bytes.size()).ok());
  const Status s = interpreter.Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  const Tensor* out = interpreter.output(0);
  return FromBytes<float>(std::vector<uint8_t>(out->data, out->data + out->bytes));
}

TEST(ResizeInput, DynamicBatchRunsAtBatchOneAndFour) {
  std::unique_ptr<Interpreter> interpreter;
  ASSERT_TRUE(Interpreter::Create(DynamicBatchModel(), {}, &interpreter).ok());
  std::vector<std::vector<float>> single;
  for (int n = 0; n < 4; ++n) single.push_back(RunFloat(*interpreter, Image(n)));

  ASSERT_TRUE(interpreter->ResizeInput(0, {4, 2, 2, 3}).ok());
  EXPECT_EQ(interpreter->input(0)->shape, (std::vector<int32_t>{4, 2, 2, 3}));
  EXPECT_EQ(interpreter->input(0)->bytes, 4u * 12u * sizeof(float));
  EXPECT_EQ(interpreter->output(0)->shape, (std::vector<int32_t>{4, 3}));
  std::vector<float> batch;
  for (int n = 0; n < 4; ++n) {
    const std::vector<float> image = Image(n);
    batch.insert(batch.end(), image.begin(), image.end());
  }
  const std::vector<float> probs = RunFloat(*interpreter, batch);
  ASSERT_EQ(probs.size(), 12u);
  for (int n = 0; n < 4; ++n) {
    EXPECT_EQ(std::vector<float>(probs.begin() + 3 * n, probs.begin() + 3 * n + 3), single[n])
        << "row " << n;
  }

  // Back to batch 1: the same bytes as before any resize.
  ASSERT_TRUE(interpreter->ResizeInput(0, {1, 2, 2, 3}).ok());
  EXPECT_EQ(RunFloat(*interpreter, Image(2)), single[2]);
}

TEST(ResizeInput, ShapeANodeCannotTakeLeavesTheInterpreterAsItWas) {
  std::unique_ptr<Interpreter> interpreter;
  ASSERT_TRUE(Interpreter::Create(DynamicBatchModel(), {}, &interpreter).ok());
  const std::vector<float> before = RunFloat(*interpreter, Image(1));
  // Five channels where the convolution's filter has three.
  const Status s = interpreter->ResizeInput(0, {1, 2, 2, 5});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("resizing input 0 'image' to [1,2,2,5]"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("CONV_2D"), std::string::npos) << s.message();
  EXPECT_EQ(interpreter->input(0)->shape, (std::vector<int32_t>{1, 2, 2, 3}));
  EXPECT_EQ(RunFloat(*interpreter, Image(1)), before);

  EXPECT_FALSE(interpreter->ResizeInput(1, {1, 2, 2, 3}).ok());
  EXPECT_FALSE(interpreter->ResizeInput(0, {0, 2, 2, 3}).ok());
  EXPECT_FALSE(interpreter->ResizeInput(0, {-3, 2, 2, 3}).ok());
}

}  // namespace
}  // namespace qlite
