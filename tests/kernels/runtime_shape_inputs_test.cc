// RANGE, MIRROR_PAD, SPLIT, SPLIT_V, SCATTER_ND, EXPAND_DIMS, PAD, PADV2 and TRANSPOSE whose
// shape-defining input is known only when the model runs (a model input, or computed by MAXIMUM /
// CONCATENATION): the output is dynamic, sized in eval, and one interpreter gives other shapes for
// other values from one Invoke to the next. Bad values fail that Invoke with a message naming
// them; a later Invoke with good values works again.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/interpreter.h"
#include "core/kernels/shape_query.h"
#include "core/kernels/space_rearrange.h"
#include "core/kernels/split.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::ToBytes;

std::unique_ptr<Interpreter> Create(const Model& model) {
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(model, {}, &interpreter);
  EXPECT_TRUE(s.ok()) << s.message();
  return interpreter;
}

Status RunWith(Interpreter& interpreter, const std::vector<std::vector<uint8_t>>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    QLITE_RETURN_IF_ERROR(
        interpreter.SetInput(static_cast<int>(i), inputs[i].data(), inputs[i].size()));
  }
  return interpreter.Invoke();
}

template <typename T>
std::vector<T> Output(const Interpreter& interpreter, int i) {
  const Tensor* out = interpreter.output(i);
  return FromBytes<T>(std::vector<uint8_t>(out->data, out->data + out->bytes));
}

void ExpectFails(const Status& s, const std::string& message) {
  ASSERT_FALSE(s.ok()) << "expected: " << message;
  EXPECT_NE(s.message().find(message), std::string::npos) << s.message();
}

template <typename T>
std::vector<uint8_t> Scalar(T v) {
  return ToBytes(std::vector<T>{v});
}

// ---- RANGE ----

// start, limit and delta all model inputs.
Model RangeOfInputs(DType type) {
  ModelBuilder b;
  const int s = b.AddTensor("start", type, {});
  const int l = b.AddTensor("limit", type, {});
  const int d = b.AddTensor("delta", type, {});
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kRange, {s, l, d}, {out});
  b.SetInputs({s, l, d});
  b.SetOutputs({out});
  return b.Build();
}

TEST(RunTimeShapes, RangeLengthFollowsEachRunsInputs) {
  auto interpreter = Create(RangeOfInputs(DType::kInt32));
  ASSERT_NE(interpreter, nullptr);
  ASSERT_TRUE(
      RunWith(*interpreter, {Scalar<int32_t>(0), Scalar<int32_t>(5), Scalar<int32_t>(2)}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{3}));
  EXPECT_EQ(Output<int32_t>(*interpreter, 0), (std::vector<int32_t>{0, 2, 4}));
  ASSERT_TRUE(
      RunWith(*interpreter, {Scalar<int32_t>(10), Scalar<int32_t>(3), Scalar<int32_t>(-3)}).ok());
  EXPECT_EQ(Output<int32_t>(*interpreter, 0), (std::vector<int32_t>{10, 7, 4}));
  ASSERT_TRUE(
      RunWith(*interpreter, {Scalar<int32_t>(4), Scalar<int32_t>(4), Scalar<int32_t>(1)}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{0}));

  ExpectFails(RunWith(*interpreter, {Scalar<int32_t>(0), Scalar<int32_t>(5), Scalar<int32_t>(0)}),
              "RANGE delta is zero or points away from limit");
  ExpectFails(RunWith(*interpreter, {Scalar<int32_t>(5), Scalar<int32_t>(0), Scalar<int32_t>(1)}),
              "points away from limit");
  // 2^32 - 1 values: longer than any tensor.
  ExpectFails(RunWith(*interpreter,
                      {Scalar<int32_t>(std::numeric_limits<int32_t>::min()),
                       Scalar<int32_t>(std::numeric_limits<int32_t>::max()), Scalar<int32_t>(1)}),
              "RANGE output is too long");
  ASSERT_TRUE(
      RunWith(*interpreter, {Scalar<int32_t>(-1), Scalar<int32_t>(1), Scalar<int32_t>(1)}).ok());
  EXPECT_EQ(Output<int32_t>(*interpreter, 0), (std::vector<int32_t>{-1, 0}));
}

TEST(RunTimeShapes, FloatRangeOfInputs) {
  auto interpreter = Create(RangeOfInputs(DType::kFloat32));
  ASSERT_NE(interpreter, nullptr);
  ASSERT_TRUE(RunWith(*interpreter, {Scalar(1.0f), Scalar(-0.5f), Scalar(-0.5f)}).ok());
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1.0f, 0.5f, 0.0f}));
  ExpectFails(RunWith(*interpreter,
                      {Scalar(0.0f), Scalar(std::numeric_limits<float>::infinity()), Scalar(1.0f)}),
              "RANGE output is too long");
  ExpectFails(RunWith(*interpreter, {Scalar(0.0f), Scalar(std::numeric_limits<float>::quiet_NaN()),
                                     Scalar(1.0f)}),
              "points away from limit");
}

// ---- MIRROR_PAD ----

// MIRROR_PAD(x [3] int32, paddings) with paddings an int64 model input.
Model MirrorPadWithPaddingsInput(uint8_t mode) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kInt32, {3});
  const int p = b.AddTensor("paddings", DType::kInt64, {1, 2});
  const int out = b.AddTensor("out", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kMirrorPad, {x, p}, {out}, MirrorPadOptions{mode});
  b.SetInputs({x, p});
  b.SetOutputs({out});
  return b.Build();
}

TEST(RunTimeShapes, MirrorPadReflectAndSymmetric) {
  const std::vector<uint8_t> x = ToBytes(std::vector<int32_t>{1, 2, 3});
  auto reflect = Create(MirrorPadWithPaddingsInput(kMirrorPadReflect));
  ASSERT_NE(reflect, nullptr);
  ASSERT_TRUE(RunWith(*reflect, {x, ToBytes(std::vector<int64_t>{2, 1})}).ok());
  EXPECT_EQ(Output<int32_t>(*reflect, 0), (std::vector<int32_t>{3, 2, 1, 2, 3, 2}));
  ASSERT_TRUE(RunWith(*reflect, {x, ToBytes(std::vector<int64_t>{0, 2})}).ok());
  EXPECT_EQ(Output<int32_t>(*reflect, 0), (std::vector<int32_t>{1, 2, 3, 2, 1}));
  ExpectFails(RunWith(*reflect, {x, ToBytes(std::vector<int64_t>{3, 0})}),
              "paddings of dimension 0 are (3,0); REFLECT allows 0..2 for size 3");
  ExpectFails(RunWith(*reflect, {x, ToBytes(std::vector<int64_t>{-1, 0})}), "REFLECT allows 0..2");

  auto symmetric = Create(MirrorPadWithPaddingsInput(kMirrorPadSymmetric));
  ASSERT_NE(symmetric, nullptr);
  ASSERT_TRUE(RunWith(*symmetric, {x, ToBytes(std::vector<int64_t>{2, 1})}).ok());
  EXPECT_EQ(Output<int32_t>(*symmetric, 0), (std::vector<int32_t>{2, 1, 1, 2, 3, 3}));
  ASSERT_TRUE(RunWith(*symmetric, {x, ToBytes(std::vector<int64_t>{3, 3})}).ok());
  EXPECT_EQ(Output<int32_t>(*symmetric, 0), (std::vector<int32_t>{3, 2, 1, 1, 2, 3, 3, 2, 1}));
}

// ---- SPLIT, SPLIT_V ----

TEST(RunTimeShapes, SplitAlongAnAxisInput) {
  ModelBuilder b;
  const int axis = b.AddTensor("axis", DType::kInt32, {});
  const int x = b.AddTensor("x", DType::kInt16, {2, 2});
  const int y0 = b.AddTensor("y0", DType::kInt16, {});
  const int y1 = b.AddTensor("y1", DType::kInt16, {});
  b.AddOperator(BuiltinOp::kSplit, {axis, x}, {y0, y1}, SplitOptions{2});
  b.SetInputs({axis, x});
  b.SetOutputs({y0, y1});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<int16_t>{1, 2, 3, 4});
  ASSERT_TRUE(RunWith(*interpreter, {Scalar<int32_t>(0), in}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{1, 2}));
  EXPECT_EQ(Output<int16_t>(*interpreter, 0), (std::vector<int16_t>{1, 2}));
  EXPECT_EQ(Output<int16_t>(*interpreter, 1), (std::vector<int16_t>{3, 4}));
  ASSERT_TRUE(RunWith(*interpreter, {Scalar<int32_t>(-1), in}).ok());
  EXPECT_EQ(interpreter->output(1)->shape, (Shape{2, 1}));
  EXPECT_EQ(Output<int16_t>(*interpreter, 0), (std::vector<int16_t>{1, 3}));
  EXPECT_EQ(Output<int16_t>(*interpreter, 1), (std::vector<int16_t>{2, 4}));
  ExpectFails(RunWith(*interpreter, {Scalar<int32_t>(2), in}),
              "axis 2 is out of range for input 'x' of rank 2");
  ExpectFails(RunWith(*interpreter, {Scalar<int32_t>(-3), in}), "axis -3 is out of range");
}

TEST(RunTimeShapes, SplitOfAnOddDimensionFailsAtInvoke) {
  ModelBuilder b;
  const int axis = b.AddTensor("axis", DType::kInt32, {1});
  const int x = b.AddTensor("x", DType::kFloat32, {2, 3});
  const int y0 = b.AddTensor("y0", DType::kFloat32, {});
  const int y1 = b.AddTensor("y1", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kSplit, {axis, x}, {y0, y1}, SplitOptions{2});
  b.SetInputs({axis, x});
  b.SetOutputs({y0, y1});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1, 2, 3, 4, 5, 6});
  ExpectFails(RunWith(*interpreter, {ToBytes(std::vector<int32_t>{1}), in}),
              "dimension 1 of input 'x' (size 3) does not split into 2 equal parts");
  ASSERT_TRUE(RunWith(*interpreter, {ToBytes(std::vector<int32_t>{0}), in}).ok());
  EXPECT_EQ(Output<float>(*interpreter, 1), (std::vector<float>{4, 5, 6}));
}

// x [5] split by size_splits = CONCATENATION(head, [-1]) with head an input,
// along the axis input.
TEST(RunTimeShapes, SplitVByComputedSizes) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kInt64, {5});
  const int head = b.AddTensor("head", DType::kInt32, {1});
  const int rest = b.AddConstant("rest", DType::kInt32, {1}, std::vector<int32_t>{-1});
  const int sizes = b.AddTensor("sizes", DType::kInt32, {2});
  b.AddOperator(BuiltinOp::kConcatenation, {head, rest}, {sizes}, ConcatenationOptions{0});
  const int axis = b.AddTensor("axis", DType::kInt32, {1});
  const int y0 = b.AddTensor("y0", DType::kInt64, {});
  const int y1 = b.AddTensor("y1", DType::kInt64, {});
  b.AddOperator(BuiltinOp::kSplitV, {x, sizes, axis}, {y0, y1}, SplitVOptions{2});
  b.SetInputs({x, head, axis});
  b.SetOutputs({y0, y1});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<int64_t>{1, 2, 3, 4, 5});
  const std::vector<uint8_t> axis0 = ToBytes(std::vector<int32_t>{0});
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{2}), axis0}).ok());
  EXPECT_EQ(Output<int64_t>(*interpreter, 0), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Output<int64_t>(*interpreter, 1), (std::vector<int64_t>{3, 4, 5}));
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0}), axis0}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{0}));
  EXPECT_EQ(Output<int64_t>(*interpreter, 1), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{6}), axis0}),
              "size_splits [6,-1] add up to more than 5, the size of dimension 0");
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{-1}), axis0}),
              "size_splits [-1,-1] has more than one -1");
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{-2}), axis0}),
              "has a negative size other than -1");
  ExpectFails(RunWith(*interpreter,
                      {in, ToBytes(std::vector<int32_t>{1}), ToBytes(std::vector<int32_t>{1})}),
              "axis 1 is out of range for input 'x' of rank 1");
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{4}), axis0}).ok());
  EXPECT_EQ(Output<int64_t>(*interpreter, 1), (std::vector<int64_t>{5}));
}

TEST(RunTimeShapes, SplitVSizesThatDoNotAddUp) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {5});
  const int sizes = b.AddTensor("sizes", DType::kInt32, {2});
  const int axis = b.AddConstant("axis", DType::kInt32, {}, std::vector<int32_t>{0});
  const int y0 = b.AddTensor("y0", DType::kFloat32, {});
  const int y1 = b.AddTensor("y1", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kSplitV, {x, sizes, axis}, {y0, y1}, SplitVOptions{2});
  b.SetInputs({x, sizes});
  b.SetOutputs({y0, y1});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1, 2, 3, 4, 5});
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{3, 3})}),
              "size_splits [3,3] add up to 6, not 5 (the size of dimension 0)");
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{4, 1})}).ok());
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(Output<float>(*interpreter, 1), (std::vector<float>{5}));
}

// ---- SCATTER_ND ----

// updates [3] at indices [[1], [3], [1]] into a zero tensor of shape
// MAXIMUM(s, [2]), s a model input.
TEST(RunTimeShapes, ScatterNdIntoAComputedShape) {
  ModelBuilder b;
  const int indices =
      b.AddConstant("indices", DType::kInt32, {3, 1}, std::vector<int32_t>{1, 3, 1});
  const int updates = b.AddTensor("updates", DType::kInt32, {3});
  const int s = b.AddTensor("s", DType::kInt32, {1});
  const int two = b.AddConstant("two", DType::kInt32, {1}, std::vector<int32_t>{2});
  const int shape = b.AddTensor("shape", DType::kInt32, {1});
  b.AddOperator(BuiltinOp::kMaximum, {s, two}, {shape});
  const int out = b.AddTensor("out", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kScatterNd, {indices, updates, shape}, {out});
  b.SetInputs({updates, s});
  b.SetOutputs({out});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> u = ToBytes(std::vector<int32_t>{10, 20, 5});
  ASSERT_TRUE(RunWith(*interpreter, {u, ToBytes(std::vector<int32_t>{4})}).ok());
  EXPECT_EQ(Output<int32_t>(*interpreter, 0), (std::vector<int32_t>{0, 15, 0, 20}));
  ASSERT_TRUE(RunWith(*interpreter, {u, ToBytes(std::vector<int32_t>{6})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{6}));
  EXPECT_EQ(Output<int32_t>(*interpreter, 0), (std::vector<int32_t>{0, 15, 0, 20, 0, 0}));
  // Shape [2] (from 1, or from -5): index 3 lies outside.
  ExpectFails(RunWith(*interpreter, {u, ToBytes(std::vector<int32_t>{1})}),
              "scatter_nd indices of slice 1 point outside the output");
  ExpectFails(RunWith(*interpreter, {u, ToBytes(std::vector<int32_t>{-5})}),
              "point outside the output");
  ASSERT_TRUE(RunWith(*interpreter, {u, ToBytes(std::vector<int32_t>{4})}).ok());
  EXPECT_EQ(Output<int32_t>(*interpreter, 0), (std::vector<int32_t>{0, 15, 0, 20}));
}

// ---- EXPAND_DIMS ----

TEST(RunTimeShapes, ExpandDimsAtAnAxisInput) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2});
  const int axis = b.AddTensor("axis", DType::kInt64, {1});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kExpandDims, {x, axis}, {out});
  b.SetInputs({x, axis});
  b.SetOutputs({out});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{3, 4});
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{0})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{1, 2}));
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{3, 4}));
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{-1})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{2, 1}));
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{2})}),
              "axis 2 is out of range for an input of rank 1 (expected -2 to 1)");
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{-3})}), "out of range");
}

// ---- PAD, PADV2 ----

// PAD(x [1,2] int8, zero point -3) with int32 paddings [2,2] a model input:
// the fill is the output's zero point.
TEST(RunTimeShapes, PadByPaddingsInput) {
  ModelBuilder b;
  const Quantization q = PerTensor(0.5f, -3);
  const int x = b.AddTensor("x", DType::kInt8, {1, 2}, q);
  const int p = b.AddTensor("paddings", DType::kInt32, {2, 2});
  const int out = b.AddTensor("out", DType::kInt8, {}, q);
  b.AddOperator(BuiltinOp::kPad, {x, p}, {out});
  b.SetInputs({x, p});
  b.SetOutputs({out});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<int8_t>{7, 8});
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{1, 0, 0, 1})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{2, 3}));
  EXPECT_EQ(Output<int8_t>(*interpreter, 0), (std::vector<int8_t>{-3, -3, -3, 7, 8, -3}));
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 0, 2, 0})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{1, 4}));
  EXPECT_EQ(Output<int8_t>(*interpreter, 0), (std::vector<int8_t>{-3, -3, 7, 8}));
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 0, -1, 0})}),
              "paddings of dimension 1 are (-1,0); they must be >= 0");
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, -5, 0, 0})}),
              "paddings of dimension 0 are (0,-5)");
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 0, 0, INT32_MAX})}),
              "padded dimension 1 would have 2147483649 elements");
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 0, 0, 0})}).ok());
  EXPECT_EQ(Output<int8_t>(*interpreter, 0), (std::vector<int8_t>{7, 8}));

  // paddings resized to [1,2]: wrong for the rank-2 input, refused by the resize.
  ExpectFails(interpreter->ResizeInput(1, {1, 2}),
              "paddings tensor 'paddings' must have shape [2,2] for input 'x' of shape [1,2], "
              "has [1,2]");
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 1, 0, 0})}).ok());
  EXPECT_EQ(Output<int8_t>(*interpreter, 0), (std::vector<int8_t>{7, 8, -3, -3}));
}

// PADV2(x [2] float, paddings = MAXIMUM(p, 0), value 9.5): the paddings are
// computed, negative requests clamp to 0.
TEST(RunTimeShapes, PadV2ByComputedPaddings) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2});
  const int p = b.AddTensor("p", DType::kInt32, {1, 2});
  const int zero = b.AddConstant("zero", DType::kInt32, {}, std::vector<int32_t>{0});
  const int paddings = b.AddTensor("paddings", DType::kInt32, {1, 2});
  const int value = b.AddConstant("value", DType::kFloat32, {}, std::vector<float>{9.5f});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kMaximum, {p, zero}, {paddings});
  b.AddOperator(BuiltinOp::kPadV2, {x, paddings, value}, {out});
  b.SetInputs({x, p});
  b.SetOutputs({out});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1.0f, -2.0f});
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{1, 2})}).ok());
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{9.5f, 1.0f, -2.0f, 9.5f, 9.5f}));
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{-4, 1})}).ok());
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1.0f, -2.0f, 9.5f}));
}

// PAD(x [2] int16, paddings) with int64 paddings a model input.
TEST(RunTimeShapes, PadByInt64PaddingsInput) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kInt16, {2});
  const int p = b.AddTensor("paddings", DType::kInt64, {1, 2});
  const int out = b.AddTensor("out", DType::kInt16, {});
  b.AddOperator(BuiltinOp::kPad, {x, p}, {out});
  b.SetInputs({x, p});
  b.SetOutputs({out});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<int16_t>{-5, 6});
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{2, 0})}).ok());
  EXPECT_EQ(Output<int16_t>(*interpreter, 0), (std::vector<int16_t>{0, 0, -5, 6}));
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{0, 1})}).ok());
  EXPECT_EQ(Output<int16_t>(*interpreter, 0), (std::vector<int16_t>{-5, 6, 0}));
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{int64_t{1} << 40, 0})}),
              "paddings tensor 'paddings' value 1099511627776 does not fit in int32");
}

// ---- TRANSPOSE ----

Model TransposeWithPermInput(DType perm_type, Shape x_shape) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, x_shape);
  const int perm = b.AddTensor("perm", perm_type, {static_cast<int32_t>(x_shape.size())});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kTranspose, {x, perm}, {out});
  b.SetInputs({x, perm});
  b.SetOutputs({out});
  return b.Build();
}

TEST(RunTimeShapes, TransposeByPermInput) {
  auto interpreter = Create(TransposeWithPermInput(DType::kInt32, {2, 3}));
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{1, 0})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{3, 2}));
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 1})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{2, 3}));
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 0})}),
              "permutation [0,0] is not a permutation of 0..1");
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{0, 2})}),
              "permutation [0,2] is not a permutation of 0..1");
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{-1, 0})}),
              "is not a permutation of 0..1");
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{1, 0})}).ok());
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1, 4, 2, 5, 3, 6}));

  // A perm of 3 entries for the rank-2 input fails when the model runs.
  ASSERT_TRUE(interpreter->ResizeInput(1, {3}).ok());
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int32_t>{1, 0, 2})}),
              "permutation has 3 entries, input 'x' has rank 2");
}

TEST(RunTimeShapes, TransposeByInt64PermOfRank3) {
  // x [2,1,3] = 1..6; perm (2,0,1): out[k][i][j] = x[i][j][k], shape [3,2,1].
  auto interpreter = Create(TransposeWithPermInput(DType::kInt64, {2, 1, 3}));
  ASSERT_NE(interpreter, nullptr);
  const std::vector<uint8_t> in = ToBytes(std::vector<float>{1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{2, 0, 1})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{3, 2, 1}));
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  // perm (1,2,0): out[j][k][i] = x[i][j][k], shape [1,3,2].
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{1, 2, 0})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{1, 3, 2}));
  EXPECT_EQ(Output<float>(*interpreter, 0), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  // perm (2,1,0): shape [3,1,2].
  ASSERT_TRUE(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{2, 1, 0})}).ok());
  EXPECT_EQ(interpreter->output(0)->shape, (Shape{3, 1, 2}));
  ExpectFails(RunWith(*interpreter, {in, ToBytes(std::vector<int64_t>{2, 2, 0})}),
              "permutation [2,2,0] is not a permutation of 0..2");
}

}  // namespace
}  // namespace qlite
