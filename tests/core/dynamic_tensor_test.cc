// Tensors whose shape is known only at run time: a RESHAPE to a shape that
// SHAPE -> STRIDED_SLICE -> PACK compute from a resized input; dynamic
// tensors feeding CONV_2D, ADD and MEAN (prepared again at each invoke);
// one interpreter giving other output shapes for other values; the memory
// limit and bad values named at invoke; static models left as they were.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/interpreter.h"
#include "core/kernels/pack.h"
#include "core/kernels/shape_query.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::ToBytes;

template <typename T>
Status RunWith(Interpreter& interpreter, const std::vector<std::vector<T>>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<uint8_t> bytes = ToBytes(inputs[i]);
    QLITE_RETURN_IF_ERROR(interpreter.SetInput(static_cast<int>(i), bytes.data(), bytes.size()));
  }
  return interpreter.Invoke();
}

template <typename T>
std::vector<T> Output(const Interpreter& interpreter, int i) {
  const Tensor* out = interpreter.output(i);
  return FromBytes<T>(std::vector<uint8_t>(out->data, out->data + out->bytes));
}

std::unique_ptr<Interpreter> Create(const Model& model, InterpreterOptions options = {}) {
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(model, options, &interpreter);
  EXPECT_TRUE(s.ok()) << s.message();
  return interpreter;
}

// x [-1, 2, 3] -> RESHAPE(x, PACK(STRIDED_SLICE(SHAPE(x), 0:1, shrink), 6)):
// [batch, 6], as PyTorch and JAX exports flatten.
Model FlattenBySHAPEChain() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 2, 3});
  b.model().tensors[x].shape_signature = {-1, 2, 3};
  const int shape = b.AddTensor("shape", DType::kInt32, {3});
  b.AddOperator(BuiltinOp::kShape, {x}, {shape}, ShapeOptions{static_cast<uint8_t>(DType::kInt32)});
  const int zero = b.AddConstant("zero", DType::kInt32, {1}, std::vector<int32_t>{0});
  const int one = b.AddConstant("one", DType::kInt32, {1}, std::vector<int32_t>{1});
  const int batch = b.AddTensor("batch", DType::kInt32, {});
  StridedSliceOptions shrink;
  shrink.shrink_axis_mask = 1;
  b.AddOperator(BuiltinOp::kStridedSlice, {shape, zero, one, one}, {batch}, shrink);
  const int six = b.AddConstant("six", DType::kInt32, {}, std::vector<int32_t>{6});
  const int packed = b.AddTensor("packed", DType::kInt32, {2});
  b.AddOperator(BuiltinOp::kPack, {batch, six}, {packed}, PackOptions{2, 0});
  const int flat = b.AddTensor("flat", DType::kFloat32, {1, 6});
  b.model().tensors[flat].shape_signature = {-1, 6};
  b.AddOperator(BuiltinOp::kReshape, {x, packed}, {flat});
  b.SetInputs({x});
  b.SetOutputs({flat});
  return b.Build();
}

TEST(DynamicTensors, ReshapeToAShapeComputedFromAResizedInput) {
  auto interpreter = Create(FlattenBySHAPEChain());
  ASSERT_NE(interpreter, nullptr);
  EXPECT_TRUE(interpreter->output(0)->is_dynamic());
  std::vector<float> x = {1, 2, 3, 4, 5, 6};
  ASSERT_TRUE(RunWith<float>(*interpreter, {x}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{1, 6}));
  EXPECT_EQ(Output<float>(*interpreter, 0), x);

  ASSERT_TRUE(interpreter->ResizeInput(0, {3, 2, 3}).ok());
  for (int i = 7; i <= 18; ++i) x.push_back(static_cast<float>(i));
  const Status s = RunWith<float>(*interpreter, {x});
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{3, 6}));
  EXPECT_EQ(interpreter->output(0)->bytes, 18 * sizeof(float));
  EXPECT_EQ(Output<float>(*interpreter, 0), x);
}

// x [1, 4] -> RESHAPE(x, shape input) -> CONV_2D 1x1 (w 2, b 0.5) -> ADD 1
// -> "sum"; MEAN over axis 2 of it -> "mean". Every node after the
// RESHAPE reads a dynamic tensor.
Model ReshapeIntoConvAddMean() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 4});
  const int shape = b.AddTensor("shape", DType::kInt32, {4});
  const int image = b.AddTensor("image", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kReshape, {x, shape}, {image});
  const int w = b.AddConstant("w", DType::kFloat32, {1, 1, 1, 1}, std::vector<float>{2});
  const int bias = b.AddConstant("b", DType::kFloat32, {1}, std::vector<float>{0.5f});
  const int conv = b.AddTensor("conv", DType::kFloat32, {});
  Conv2DOptions valid;
  valid.padding = Padding::kValid;
  b.AddOperator(BuiltinOp::kConv2D, {image, w, bias}, {conv}, valid);
  const int one = b.AddConstant("one", DType::kFloat32, {1}, std::vector<float>{1});
  const int sum = b.AddTensor("sum", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kAdd, {conv, one}, {sum});
  const int axis = b.AddConstant("axis", DType::kInt32, {1}, std::vector<int32_t>{2});
  const int mean = b.AddTensor("mean", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kMean, {sum, axis}, {mean});
  b.SetInputs({x, shape});
  b.SetOutputs({sum, mean});
  return b.Build();
}

TEST(DynamicTensors, ConvAddAndMeanArePreparedAgainForEachRun) {
  auto interpreter = Create(ReshapeIntoConvAddMean());
  ASSERT_NE(interpreter, nullptr);
  // 2x + 1.5 of {1, 2, 3, 4}.
  const std::vector<float> sum = {3.5f, 5.5f, 7.5f, 9.5f};
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1, 2, 3, 4});
  ASSERT_TRUE(interpreter->SetInput(0, in.data(), in.size()).ok());

  const auto run = [&](std::vector<int32_t> shape) {
    const std::vector<uint8_t> s = ToBytes(shape);
    EXPECT_TRUE(interpreter->SetInput(1, s.data(), s.size()).ok());
    return interpreter->Invoke();
  };
  Status s = run({1, 2, 2, 1});
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{1, 2, 2, 1}));
  EXPECT_EQ(Output<float>(*interpreter, 0), sum);
  EXPECT_EQ(interpreter->output(1)->shape, (Shape{1, 2, 1}));
  EXPECT_EQ(Output<float>(*interpreter, 1), (std::vector<float>{4.5f, 8.5f}));

  s = run({1, 1, 4, 1});
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{1, 1, 4, 1}));
  EXPECT_EQ(Output<float>(*interpreter, 0), sum);
  EXPECT_EQ(interpreter->output(1)->shape, (Shape{1, 1, 1}));
  EXPECT_EQ(Output<float>(*interpreter, 1), (std::vector<float>{6.5f}));

  // A shape CONV_2D cannot take: the node is named at invoke.
  s = run({2, 2, 1, -1});
  ASSERT_TRUE(s.ok()) << s.message();  // [2, 2, 1, 1]: still a 1-channel image
  EXPECT_EQ(interpreter->output(1)->shape, (Shape{2, 2, 1}));
  s = run({1, 1, 2, 2});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 1 (CONV_2D)"), std::string::npos) << s.message();
  // And the interpreter runs again afterwards.
  s = run({1, 4, 1, 1});
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Output<float>(*interpreter, 1), (std::vector<float>{3.5f, 5.5f, 7.5f, 9.5f}));
}

// cond [3] bool -> WHERE -> coords [count, 1] int64 (a model output).
TEST(DynamicTensors, SameModelGivesOtherShapesForOtherValues) {
  ModelBuilder b;
  const int cond = b.AddTensor("cond", DType::kBool, {3});
  const int coords = b.AddTensor("coords", DType::kInt64, {});
  b.AddOperator(BuiltinOp::kWhere, {cond}, {coords});
  b.SetInputs({cond});
  b.SetOutputs({coords});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  ASSERT_TRUE(RunWith<uint8_t>(*interpreter, {{1, 0, 1}}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{2, 1}));
  EXPECT_EQ(Output<int64_t>(*interpreter, 0), (std::vector<int64_t>{0, 2}));
  ASSERT_TRUE(RunWith<uint8_t>(*interpreter, {{0, 0, 0}}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{0, 1}));
  EXPECT_EQ(interpreter->output(0)->bytes, 0u);
  ASSERT_TRUE(RunWith<uint8_t>(*interpreter, {{1, 1, 1}}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{3, 1}));
  EXPECT_EQ(Output<int64_t>(*interpreter, 0), (std::vector<int64_t>{0, 1, 2}));
}

// dims [2] int32 -> FILL(dims, 7.0) -> "filled", under a 4 KiB limit.
TEST(DynamicTensors, MemoryLimitAndBadValuesAreNamedAtInvoke) {
  ModelBuilder b;
  const int dims = b.AddTensor("dims", DType::kInt32, {2});
  const int seven = b.AddConstant("seven", DType::kFloat32, {}, std::vector<float>{7});
  const int filled = b.AddTensor("filled", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kFill, {dims, seven}, {filled});
  b.SetInputs({dims});
  b.SetOutputs({filled});
  InterpreterOptions options;
  options.max_tensor_bytes = 4096;
  auto interpreter = Create(b.Build(), options);
  ASSERT_NE(interpreter, nullptr);
  ASSERT_TRUE(RunWith<int32_t>(*interpreter, {{2, 3}}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{2, 3}));
  EXPECT_EQ(Output<float>(*interpreter, 0), std::vector<float>(6, 7.0f));

  Status s = RunWith<int32_t>(*interpreter, {{100, 100}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 0 (FILL): dynamic tensor 'filled' ([100,100]) needs 40000 "
                             "bytes at run time, which takes the tensor memory past "
                             "max_tensor_bytes"),
            std::string::npos)
      << s.message();
  s = RunWith<int32_t>(*interpreter, {{-1, 3}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("dims [-1,3] has a negative size"), std::string::npos) << s.message();
  s = RunWith<int32_t>(*interpreter, {{65536, 65536}});
  ASSERT_FALSE(s.ok());
  s = RunWith<int32_t>(*interpreter, {{1, 1}});
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Output<float>(*interpreter, 0), std::vector<float>{7.0f});
}

// The static path: a model whose shapes are all fixed has no dynamic tensor.
TEST(DynamicTensors, StaticModelsHaveNone) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2, 3});
  const int shape = b.AddConstant("shape", DType::kInt32, {2}, std::vector<int32_t>{3, 2});
  const int y = b.AddTensor("y", DType::kFloat32, {3, 2});
  b.AddOperator(BuiltinOp::kReshape, {x, shape}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  for (const Tensor& t : interpreter->tensors()) EXPECT_FALSE(t.is_dynamic()) << t.name();
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{3, 2}));
}

}  // namespace
}  // namespace qlite
