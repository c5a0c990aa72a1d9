// SUM, REDUCE_PROD, REDUCE_MAX, REDUCE_MIN, REDUCE_ANY and REDUCE_ALL
// reference kernel: axes (negative, repeated, none), keep_dims, a scalar
// input, empty reductions (the identities TFLite leaves), NaN and infinity as
// TFLite's optimized reducers treat them, wrapping integer sums and products,
// the requantizing int8/uint8 SUM (worked out by hand in the comments),
// folding of a constant input, and the errors prepare must report.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

struct ReduceCase {
  BuiltinOp op = BuiltinOp::kSum;
  DType type = DType::kFloat32;
  Shape shape;
  std::vector<int32_t> axes;
  bool keep_dims = false;
  Quantization in_quant, out_quant;
  DType axis_type = DType::kInt32;
  bool constant_input = false;
};

template <typename T>
RunResult RunReduce(const ReduceCase& c, const std::vector<T>& input) {
  ModelBuilder b;
  const int in = c.constant_input ? b.AddConstant("in", c.type, c.shape, input, c.in_quant)
                                  : b.AddTensor("in", c.type, c.shape, c.in_quant);
  const Shape axes_shape = {static_cast<int32_t>(c.axes.size())};
  const int axes = c.axis_type == DType::kInt64
                       ? b.AddConstant("axes", DType::kInt64, axes_shape,
                                       std::vector<int64_t>(c.axes.begin(), c.axes.end()))
                       : b.AddConstant("axes", DType::kInt32, axes_shape, c.axes);
  const int out = b.AddTensor("out", c.type, {}, c.out_quant);
  ReducerOptions options;
  options.keep_dims = c.keep_dims;
  b.AddOperator(c.op, {in, axes}, {out}, options);
  if (c.constant_input) {
    // A constant input folds at prepare; the model needs one input of its own.
    b.SetInputs({b.AddTensor("unused", DType::kFloat32, {1})});
  } else {
    b.SetInputs({in});
  }
  b.SetOutputs({out});
  return RunModel(b.Build(), {c.constant_input ? ToBytes(std::vector<float>{0}) : ToBytes(input)});
}

// Runs and expects success: the output values and shape.
template <typename T>
std::vector<T> Reduced(const ReduceCase& c, const std::vector<T>& input, Shape* shape = nullptr) {
  const RunResult r = RunReduce(c, input);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  if (shape != nullptr) *shape = r.shapes[0];
  return FromBytes<T>(r.outputs[0]);
}

template <typename T>
std::string ReduceError(const ReduceCase& c, const std::vector<T>& input) {
  const RunResult r = RunReduce(c, input);
  EXPECT_FALSE(r.status.ok());
  return r.status.message();
}

// [[1, 2, 3], [4, 5, 6]]
const std::vector<float> k2x3 = {1, 2, 3, 4, 5, 6};

TEST(ReduceTest, SumOverNegativeRepeatedAndAllAxes) {
  ReduceCase c;
  c.shape = {2, 3};
  Shape shape;
  c.axes = {1};
  EXPECT_EQ(Reduced(c, k2x3, &shape), (std::vector<float>{6, 15}));
  EXPECT_EQ(shape, (Shape{2}));
  c.axes = {-1, 1};  // the same axis twice counts once
  EXPECT_EQ(Reduced(c, k2x3, &shape), (std::vector<float>{6, 15}));
  EXPECT_EQ(shape, (Shape{2}));
  c.axes = {0};
  c.keep_dims = true;
  EXPECT_EQ(Reduced(c, k2x3, &shape), (std::vector<float>{5, 7, 9}));
  EXPECT_EQ(shape, (Shape{1, 3}));
  c.axes = {1, -2};
  c.keep_dims = false;
  EXPECT_EQ(Reduced(c, k2x3, &shape), (std::vector<float>{21}));
  EXPECT_EQ(shape, (Shape{}));
}

TEST(ReduceTest, KeepDimsOverOuterAndInnerAxes) {
  // [2,2,2] holding 0..7; axes {0, 2}: j = 0 sums 0+1+4+5, j = 1 sums 2+3+6+7.
  ReduceCase c;
  c.type = DType::kInt32;
  c.shape = {2, 2, 2};
  c.axes = {0, 2};
  c.keep_dims = true;
  Shape shape;
  EXPECT_EQ(Reduced<int32_t>(c, {0, 1, 2, 3, 4, 5, 6, 7}, &shape), (std::vector<int32_t>{10, 18}));
  EXPECT_EQ(shape, (Shape{1, 2, 1}));
  c.op = BuiltinOp::kReduceMax;
  EXPECT_EQ(Reduced<int32_t>(c, {0, 1, 2, 3, 4, 5, 6, 7}), (std::vector<int32_t>{5, 7}));
  c.op = BuiltinOp::kReduceMin;
  EXPECT_EQ(Reduced<int32_t>(c, {0, 1, 2, 3, 4, 5, 6, 7}), (std::vector<int32_t>{0, 2}));
  c.op = BuiltinOp::kReduceProd;
  EXPECT_EQ(Reduced<int32_t>(c, {1, 1, 2, 3, 4, 5, 6, 7}), (std::vector<int32_t>{20, 252}));
}

TEST(ReduceTest, NoAxisCopiesAndScalarIgnoresAxes) {
  ReduceCase c;
  c.op = BuiltinOp::kReduceMax;
  c.shape = {2, 3};
  Shape shape;
  EXPECT_EQ(Reduced(c, k2x3, &shape), k2x3);
  EXPECT_EQ(shape, (Shape{2, 3}));
  c.op = BuiltinOp::kSum;
  c.shape = {};
  c.axes = {5};
  EXPECT_EQ(Reduced<float>(c, {-2.5f}, &shape), (std::vector<float>{-2.5f}));
  EXPECT_EQ(shape, (Shape{}));
}

TEST(ReduceTest, EmptyReductionsGiveTheIdentity) {
  // An empty input can only be a constant (folded) tensor.
  ReduceCase c;
  c.shape = {2, 0};
  c.axes = {1};
  c.constant_input = true;
  EXPECT_EQ(Reduced<float>(c, {}), (std::vector<float>{0, 0}));
  c.op = BuiltinOp::kReduceProd;
  EXPECT_EQ(Reduced<float>(c, {}), (std::vector<float>{1, 1}));
  c.op = BuiltinOp::kReduceMax;  // the lowest finite float, not -inf
  EXPECT_EQ(Reduced<float>(c, {}), (std::vector<float>{-3.4028235e38f, -3.4028235e38f}));
  c.op = BuiltinOp::kReduceMin;
  c.type = DType::kInt32;
  EXPECT_EQ(Reduced<int32_t>(c, {}), (std::vector<int32_t>{2147483647, 2147483647}));
  c.type = DType::kBool;
  c.op = BuiltinOp::kReduceAny;
  EXPECT_EQ(Reduced<uint8_t>(c, {}), (std::vector<uint8_t>{0, 0}));
  c.op = BuiltinOp::kReduceAll;
  EXPECT_EQ(Reduced<uint8_t>(c, {}), (std::vector<uint8_t>{1, 1}));
}

TEST(ReduceTest, NaNAndInfinityAsTfLiteTakesThem) {
  ReduceCase c;
  c.op = BuiltinOp::kReduceMax;
  c.shape = {4, 2};
  c.axes = {1};
  // Per row: NaN then 1 -> the 1 replaces the NaN; 1 then NaN -> NaN;
  // -inf twice -> the lowest finite float stays (it is > -inf); 3, inf -> inf.
  std::vector<float> out = Reduced<float>(c, {kNaN, 1, 1, kNaN, -kInf, -kInf, 3, kInf});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], 1);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_EQ(out[2], -3.4028235e38f);
  EXPECT_EQ(out[3], kInf);
  c.op = BuiltinOp::kReduceMin;
  out = Reduced<float>(c, {kNaN, 1, 1, kNaN, kInf, kInf, 3, -kInf});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], 1);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_EQ(out[2], 3.4028235e38f);
  EXPECT_EQ(out[3], -kInf);
  c.op = BuiltinOp::kSum;
  c.shape = {2, 2};
  out = Reduced<float>(c, {kInf, -kInf, kNaN, 1});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_TRUE(std::isnan(out[1]));
}

TEST(ReduceTest, IntegerSumsAndProductsWrap) {
  ReduceCase c;
  c.type = DType::kInt32;
  c.shape = {2};
  c.axes = {0};
  EXPECT_EQ(Reduced<int32_t>(c, {2147483647, 1}), (std::vector<int32_t>{-2147483647 - 1}));
  c.op = BuiltinOp::kReduceProd;
  EXPECT_EQ(Reduced<int32_t>(c, {65536, 65536}), (std::vector<int32_t>{0}));  // 2^32
  // 65536 * -32769 = -2^31 - 2^16, which wraps to 2^31 - 2^16.
  EXPECT_EQ(Reduced<int32_t>(c, {65536, -32769}), (std::vector<int32_t>{2147418112}));
  c.type = DType::kInt64;
  EXPECT_EQ(Reduced<int64_t>(c, {int64_t{1} << 40, -3}),
            (std::vector<int64_t>{-(int64_t{3} << 40)}));
  EXPECT_EQ(Reduced<int64_t>(c, {int64_t{1} << 32, int64_t{1} << 32}), (std::vector<int64_t>{0}));
  c.op = BuiltinOp::kSum;
  // int8 with equal parameters sums raw values in int8: 100 + 100 = 200 -> -56.
  c.type = DType::kInt8;
  c.in_quant = c.out_quant = PerTensor(0.5f, 0);
  EXPECT_EQ(Reduced<int8_t>(c, {100, 100}), (std::vector<int8_t>{-56}));
  c.type = DType::kInt16;
  EXPECT_EQ(Reduced<int16_t>(c, {30000, 10000}), (std::vector<int16_t>{-25536}));
}

TEST(ReduceTest, QuantizedMaxAndMinKeepRawValues) {
  ReduceCase c;
  c.op = BuiltinOp::kReduceMax;
  c.shape = {2, 2};
  c.axes = {-1};
  c.type = DType::kInt8;
  c.in_quant = c.out_quant = PerTensor(0.1f, -5);
  EXPECT_EQ(Reduced<int8_t>(c, {-128, -7, 127, 3}), (std::vector<int8_t>{-7, 127}));
  c.type = DType::kUInt8;
  c.op = BuiltinOp::kReduceMin;
  EXPECT_EQ(Reduced<uint8_t>(c, {200, 7, 255, 0}), (std::vector<uint8_t>{7, 0}));
  c.type = DType::kInt16;
  c.in_quant = c.out_quant = PerTensor(0.1f, 0);
  EXPECT_EQ(Reduced<int16_t>(c, {-32768, 5, 300, -300}), (std::vector<int16_t>{-32768, -300}));
  c.type = DType::kInt64;
  c.in_quant = c.out_quant = {};
  c.op = BuiltinOp::kReduceMax;
  EXPECT_EQ(Reduced<int64_t>(c, {-(int64_t{1} << 50), -1, 4, int64_t{1} << 40}),
            (std::vector<int64_t>{-1, int64_t{1} << 40}));
}

TEST(ReduceTest, Int8SumRequantizesThroughFloat) {
  // in scale 0.5, zero point 2; out scale 1, zero point -3; k = 0.5, n = 3:
  // bias = -2 * 0.5 * 3 = -3. Raw {10, 20, 4} sum to 34: round(17 - 3) = 14,
  // + (-3) = 11 (reals 4 + 9 + 1 = 14 -> 14 / 1 - 3).
  ReduceCase c;
  c.type = DType::kInt8;
  c.shape = {3};
  c.axes = {0};
  c.in_quant = PerTensor(0.5f, 2);
  c.out_quant = PerTensor(1.0f, -3);
  EXPECT_EQ(Reduced<int8_t>(c, {10, 20, 4}), (std::vector<int8_t>{11}));
  // Halves round away from zero: 3 * 0.5 = 1.5 -> 2, -3 * 0.5 = -1.5 -> -2.
  c.shape = {2, 1};
  c.axes = {1};
  c.in_quant = PerTensor(0.5f, 0);
  c.out_quant = PerTensor(1.0f, 0);
  EXPECT_EQ(Reduced<int8_t>(c, {3, -3}), (std::vector<int8_t>{2, -2}));
  // No clamp: 100 + 100 at out scale 0.5 is 400, which wraps to -112 in int8.
  c.shape = {2};
  c.axes = {0};
  c.in_quant = PerTensor(1.0f, 0);
  c.out_quant = PerTensor(0.5f, 0);
  EXPECT_EQ(Reduced<int8_t>(c, {100, 100}), (std::vector<int8_t>{-112}));
  // uint8: 200 at ratio 2 is 400 -> 144; an empty input gives 0.
  c.type = DType::kUInt8;
  c.shape = {1};
  c.out_quant = PerTensor(0.5f, 1);
  EXPECT_EQ(Reduced<uint8_t>(c, {200}), (std::vector<uint8_t>{145}));
  c.shape = {3, 0};
  c.axes = {1};
  c.constant_input = true;
  EXPECT_EQ(Reduced<uint8_t>(c, {}), (std::vector<uint8_t>{0, 0, 0}));
}

TEST(ReduceTest, AnyAndAllOverBool) {
  // [[1, 0, 0], [0, 0, 0]] and [[1, 1, 1], [1, 0, 1]].
  ReduceCase c;
  c.type = DType::kBool;
  c.shape = {2, 3};
  c.axes = {1};
  c.op = BuiltinOp::kReduceAny;
  EXPECT_EQ(Reduced<uint8_t>(c, {1, 0, 0, 0, 0, 0}), (std::vector<uint8_t>{1, 0}));
  c.op = BuiltinOp::kReduceAll;
  EXPECT_EQ(Reduced<uint8_t>(c, {1, 1, 1, 1, 0, 1}), (std::vector<uint8_t>{1, 0}));
  c.axes = {0};
  EXPECT_EQ(Reduced<uint8_t>(c, {1, 1, 1, 1, 0, 1}), (std::vector<uint8_t>{1, 0, 1}));
}

TEST(ReduceTest, ConstantInputIsFoldedAtPrepare) {
  ReduceCase c;
  c.shape = {2, 3};
  c.axes = {0};
  c.constant_input = true;
  c.op = BuiltinOp::kReduceProd;
  EXPECT_EQ(Reduced(c, k2x3), (std::vector<float>{4, 10, 18}));
}

TEST(ReduceTest, ErrorsNameWhatIsWrong) {
  ReduceCase c;
  c.shape = {2, 3};
  c.axes = {2};
  EXPECT_NE(ReduceError(c, k2x3).find("axis 2 is out of range"), std::string::npos);
  c.axes = {1};
  c.axis_type = DType::kInt64;  // TFLite's reducers take int32 axes only
  EXPECT_NE(ReduceError(c, k2x3).find("axis"), std::string::npos);
  c.axis_type = DType::kInt32;
  c.op = BuiltinOp::kReduceAny;
  EXPECT_NE(ReduceError(c, k2x3).find("float32"), std::string::npos);
  c.op = BuiltinOp::kReduceProd;
  c.type = DType::kInt8;
  c.in_quant = c.out_quant = PerTensor(0.5f, 0);
  EXPECT_NE(ReduceError<int8_t>(c, {1, 2, 3, 4, 5, 6}).find("int8"), std::string::npos);
  c.op = BuiltinOp::kReduceMax;
  c.out_quant = PerTensor(0.25f, 0);
  EXPECT_NE(ReduceError<int8_t>(c, {1, 2, 3, 4, 5, 6}).find("share quantization"),
            std::string::npos);
  c.type = DType::kInt16;
  c.op = BuiltinOp::kSum;  // int16 SUM never requantizes
  EXPECT_NE(ReduceError<int16_t>(c, {1, 2, 3, 4, 5, 6}).find("share quantization"),
            std::string::npos);
  c.in_quant = c.out_quant = PerTensor(0.5f, 1);
  EXPECT_NE(ReduceError<int16_t>(c, {1, 2, 3, 4, 5, 6}).find("zero points must be 0"),
            std::string::npos);
}

}  // namespace
}  // namespace qlite
