// L2_NORMALIZATION (float32, int8, uint8) and LOCAL_RESPONSE_NORMALIZATION
// (float32) reference kernels: hand-computed rows, the epsilon and zero
// vectors, NaN/inf, TFLite's fixed output quantization, and the models they
// must refuse.
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

template <typename T>
RunResult RunOne(BuiltinOp op, DType type, Shape shape, const std::vector<T>& input,
                 OpOptions options, Quantization in_quant = {}, Quantization out_quant = {}) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, shape, std::move(in_quant));
  const int out = b.AddTensor("y", type, {}, std::move(out_quant));
  b.AddOperator(op, {in}, {out}, std::move(options));
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(input)});
}

template <typename T>
std::vector<T> RunOk(BuiltinOp op, DType type, Shape shape, const std::vector<T>& input,
                     OpOptions options, Quantization in_quant = {}, Quantization out_quant = {}) {
  const RunResult r =
      RunOne(op, type, shape, input, std::move(options), std::move(in_quant), std::move(out_quant));
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  if (!r.status.ok()) return {};
  EXPECT_EQ(r.shapes[0], shape);
  return FromBytes<T>(r.outputs[0]);
}

// An empty input can only be a constant (model inputs cannot be empty):
// the node folds at prepare and gives an empty output of the same shape.
void ExpectEmptyConstantFolds(BuiltinOp op, Shape shape, OpOptions options) {
  ModelBuilder b;
  const int in = b.AddConstant("x", DType::kFloat32, shape, std::vector<float>{});
  const int out = b.AddTensor("y", DType::kFloat32, {});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.AddOperator(op, {in}, {out}, std::move(options));
  b.SetInputs({dummy});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], shape);
  EXPECT_TRUE(r.outputs[0].empty());
}

void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-6f) << i;
}

// ---- L2_NORMALIZATION ----

std::vector<float> L2Float(Shape shape, const std::vector<float>& x) {
  return RunOk<float>(BuiltinOp::kL2Normalization, DType::kFloat32, shape, x, L2NormOptions{});
}

TEST(L2NormalizationTest, FloatRowsOfTheLastAxis) {
  // Squares sum to 4: every value is halved.
  ExpectNear(L2Float({1, 1, 1, 6}, {-1.1f, 0.6f, 0.7f, 1.2f, -0.7f, 0.1f}),
             {-0.55f, 0.3f, 0.35f, 0.6f, -0.35f, 0.05f});
  // Two rows: (3, 4) / 5 and (0, 5) / 5.
  ExpectNear(L2Float({2, 2}, {3, 4, 0, 5}), {0.6f, 0.8f, 0, 1});
  ExpectNear(L2Float({3}, {-2, 0, 0}), {-1, 0, 0});
}

TEST(L2NormalizationTest, FloatZeroAndTinyVectorsUseEpsilon) {
  // The norm is at least 1e-6: a zero row stays 0, a row of norm 1e-7 is
  // divided by 1e-6, not by its norm.
  ExpectNear(L2Float({2, 2}, {0, 0, 1e-7f, 0}), {0, 0, 0.1f, 0});
}

TEST(L2NormalizationTest, FloatNaNAndInfinity) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto y = L2Float({2, 2}, {nan, 1, inf, 1});
  ASSERT_EQ(y.size(), 4u);
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_TRUE(std::isnan(y[1]));  // the whole row's norm is NaN
  EXPECT_TRUE(std::isnan(y[2]));  // inf / inf
  EXPECT_EQ(y[3], 0.0f);          // 1 / inf
}

TEST(L2NormalizationTest, Int8OutputIsScaledBy128) {
  const Quantization out = PerTensor(1.0f / 128, 0);
  // (3, 4) / 5 * 128 = (76.8, 102.4); (1, -2, 2) / 3 * 128 = (42.67, -85.33, 85.33).
  EXPECT_EQ(RunOk<int8_t>(BuiltinOp::kL2Normalization, DType::kInt8, {1, 2}, {3, 4},
                          L2NormOptions{}, PerTensor(0.3f, 0), out),
            (std::vector<int8_t>{77, 102}));
  EXPECT_EQ(RunOk<int8_t>(BuiltinOp::kL2Normalization, DType::kInt8, {3}, {6, 3, 7},
                          L2NormOptions{}, PerTensor(0.3f, 5), out),
            (std::vector<int8_t>{43, -85, 85}));
  // A one-element row is 1.0, which saturates to 127/128; a zero row
  // (every value at the zero point) stays 0.
  EXPECT_EQ(RunOk<int8_t>(BuiltinOp::kL2Normalization, DType::kInt8, {3, 1}, {-10, 5, -1},
                          L2NormOptions{}, PerTensor(0.3f, -1), out),
            (std::vector<int8_t>{-128, 127, 0}));
}

TEST(L2NormalizationTest, UInt8OutputIsCenteredAt128) {
  const Quantization out = PerTensor(1.0f / 128, 128);
  // (3, -4) / 5 * 128 + 128 = (204.8, 25.6); a zero row gives 128.
  EXPECT_EQ(RunOk<uint8_t>(BuiltinOp::kL2Normalization, DType::kUInt8, {2, 2}, {131, 124, 128, 128},
                           L2NormOptions{}, PerTensor(0.1f, 128), out),
            (std::vector<uint8_t>{205, 26, 128, 128}));
  // One element: +1.0 saturates at 255, -1.0 is 0.
  EXPECT_EQ(RunOk<uint8_t>(BuiltinOp::kL2Normalization, DType::kUInt8, {2, 1}, {200, 3},
                           L2NormOptions{}, PerTensor(0.1f, 128), out),
            (std::vector<uint8_t>{255, 0}));
}

TEST(L2NormalizationTest, EmptyTensors) {
  ExpectEmptyConstantFolds(BuiltinOp::kL2Normalization, {0, 3}, L2NormOptions{});
  ExpectEmptyConstantFolds(BuiltinOp::kL2Normalization, {2, 0}, L2NormOptions{});
}

TEST(L2NormalizationTest, RefusesWhatTfliteRefuses) {
  auto error = [](DType type, Shape shape, OpOptions options, Quantization in, Quantization out) {
    size_t n = 1;
    for (int32_t d : shape) n *= static_cast<size_t>(d);
    const RunResult r =
        RunOne<uint8_t>(BuiltinOp::kL2Normalization, type, shape,
                        std::vector<uint8_t>(n * DTypeSize(type)), options, in, out);
    EXPECT_FALSE(r.status.ok());
    return r.status.message();
  };
  L2NormOptions relu;
  relu.activation = Activation::kRelu;
  EXPECT_NE(error(DType::kFloat32, {4}, relu, {}, {}).find("activation"), std::string::npos);
  EXPECT_NE(error(DType::kFloat32, {1, 1, 1, 1, 2}, L2NormOptions{}, {}, {}).find("rank"),
            std::string::npos);
  EXPECT_NE(error(DType::kFloat32, {}, L2NormOptions{}, {}, {}).find("rank"), std::string::npos);
  EXPECT_NE(error(DType::kInt8, {4}, L2NormOptions{}, PerTensor(0.1f, 0), PerTensor(0.01f, 0))
                .find("1/128"),
            std::string::npos);
  EXPECT_NE(error(DType::kUInt8, {4}, L2NormOptions{}, PerTensor(0.1f, 0), PerTensor(1.0f / 128, 0))
                .find("zero point"),
            std::string::npos);
  error(DType::kInt16, {4}, L2NormOptions{}, PerTensor(0.1f, 0), PerTensor(1.0f / 128, 0));
  error(DType::kInt32, {4}, L2NormOptions{}, {}, {});
}

// ---- LOCAL_RESPONSE_NORMALIZATION ----

std::vector<float> Lrn(const std::vector<float>& x, int32_t radius, float bias, float alpha,
                       float beta) {
  LocalResponseNormalizationOptions o;
  o.radius = radius;
  o.bias = bias;
  o.alpha = alpha;
  o.beta = beta;
  return RunOk<float>(BuiltinOp::kLocalResponseNormalization, DType::kFloat32,
                      {1, 1, 1, static_cast<int32_t>(x.size())}, x, o);
}

TEST(LocalResponseNormalizationTest, WholeRowWindow) {
  // Radius 20 covers all 6 values; their squares sum to 4.
  const std::vector<float> x = {-1.1f, 0.6f, 0.7f, 1.2f, -0.7f, 0.1f};
  ExpectNear(Lrn(x, 20, 0, 1, 0.5f), {-0.55f, 0.3f, 0.35f, 0.6f, -0.35f, 0.05f});
  // (9 + 4 * 4)^0.5 = 5.
  ExpectNear(Lrn(x, 20, 9, 4, 0.5f), {-0.22f, 0.12f, 0.14f, 0.24f, -0.14f, 0.02f});
  // (0 + 4 * 4)^0.5 = 4.
  ExpectNear(Lrn(x, 20, 0, 4, 0.5f), {-0.275f, 0.15f, 0.175f, 0.3f, -0.175f, 0.025f});
}

TEST(LocalResponseNormalizationTest, WindowIsCMinusRadiusToCPlusRadius) {
  // Radius 1, beta 1: x_c / (x_{c-1}^2 + x_c^2 + x_{c+1}^2), clipped at the ends.
  ExpectNear(Lrn({1, 2, 3, 4}, 1, 0, 1, 1), {1.0f / 5, 2.0f / 14, 3.0f / 29, 4.0f / 25});
  // Radius 0: x / x^2.
  ExpectNear(Lrn({1, 2, -4, 8}, 0, 0, 1, 1), {1, 0.5f, -0.25f, 0.125f});
  // beta 0: the identity.
  ExpectNear(Lrn({1, -2, 3}, 2, 1, 1, 0), {1, -2, 3});
}

TEST(LocalResponseNormalizationTest, InfinityPoisonsTheRestOfTheRow) {
  // TFLite's running window sum: once inf has entered it, inf - inf leaves
  // NaN for every later channel of the row, even outside inf's window.
  const float inf = std::numeric_limits<float>::infinity();
  const auto y = Lrn({1, inf, 2, 3}, 0, 1, 1, 1);
  ASSERT_EQ(y.size(), 4u);
  EXPECT_EQ(y[0], 0.5f);          // 1 / (1 + 1)
  EXPECT_TRUE(std::isnan(y[1]));  // inf * (1 / inf)
  EXPECT_TRUE(std::isnan(y[2]));
  EXPECT_TRUE(std::isnan(y[3]));
}

TEST(LocalResponseNormalizationTest, ManyRowsAndNaN) {
  LocalResponseNormalizationOptions o;
  o.radius = 5;
  o.bias = 0;
  o.alpha = 1;
  o.beta = 0.5f;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto y = RunOk<float>(BuiltinOp::kLocalResponseNormalization, DType::kFloat32, {1, 2, 1, 2},
                              {3, 4, nan, 1}, o);
  ASSERT_EQ(y.size(), 4u);
  EXPECT_NEAR(y[0], 0.6f, 1e-6f);
  EXPECT_NEAR(y[1], 0.8f, 1e-6f);
  EXPECT_TRUE(std::isnan(y[2]));
  EXPECT_TRUE(std::isnan(y[3]));
  ExpectEmptyConstantFolds(BuiltinOp::kLocalResponseNormalization, {1, 0, 2, 3}, o);
}

TEST(LocalResponseNormalizationTest, RefusesWhatTfliteRefuses) {
  LocalResponseNormalizationOptions o;
  o.radius = 1;
  o.bias = 1;
  o.alpha = 1;
  o.beta = 0.5f;
  EXPECT_FALSE(RunOne<float>(BuiltinOp::kLocalResponseNormalization, DType::kFloat32, {1, 4},
                             {1, 2, 3, 4}, o)
                   .status.ok());  // rank 2
  EXPECT_FALSE(RunOne<int8_t>(BuiltinOp::kLocalResponseNormalization, DType::kInt8, {1, 1, 1, 2},
                              {1, 2}, o, PerTensor(0.1f, 0), PerTensor(0.1f, 0))
                   .status.ok());
  o.radius = -1;
  const RunResult r = RunOne<float>(BuiltinOp::kLocalResponseNormalization, DType::kFloat32,
                                    {1, 1, 1, 2}, {1, 2}, o);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("radius"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace qlite
