// SVDF reference kernel, values worked out by hand: the state (a variable
// tensor) carries each filter's last `memory` feature activations over 3+
// steps, ResetVariables starts again, rank 2 sums two filters per unit,
// batches keep separate state; int8 with int16 state (TFLite's integer
// kernel: state saturates at int16, RELU is required but not applied);
// errors for bad dtypes, shapes, rank and a state that is not a variable.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::StepRunner;

struct SvdfSpec {
  int batch = 1, input_size = 2, filters = 2, memory = 3, rank = 1;
  std::vector<float> weights_feature, weights_time, bias;
  Activation activation = Activation::kNone;
};

Model FloatSvdf(const SvdfSpec& s, bool variable_state = true) {
  ModelBuilder b;
  const int units = s.rank > 0 ? s.filters / s.rank : 0;
  const int in = b.AddTensor("in", DType::kFloat32, {s.batch, s.input_size});
  const int wf = b.AddConstant("wf", DType::kFloat32, {s.filters, s.input_size}, s.weights_feature);
  const int wt = b.AddConstant("wt", DType::kFloat32, {s.filters, s.memory}, s.weights_time);
  const int bias = s.bias.empty() ? -1 : b.AddConstant("bias", DType::kFloat32, {units}, s.bias);
  const Shape state_shape = {s.batch, s.filters * s.memory};
  const int state = variable_state ? b.AddVariable("state", DType::kFloat32, state_shape)
                                   : b.AddTensor("state", DType::kFloat32, state_shape);
  const int out = b.AddTensor("out", DType::kFloat32, {});
  SvdfOptions options;
  options.rank = s.rank;
  options.activation = s.activation;
  b.AddOperator(BuiltinOp::kSvdf, {in, wf, wt, bias, state}, {out}, options);
  b.SetInputs(variable_state ? std::vector<int32_t>{in} : std::vector<int32_t>{in, state});
  b.SetOutputs({out});
  return b.Build();
}

// Filter 0 reads x0 with time weights (oldest..newest) 4, 2, 1; filter 1
// reads x1 with 100, 10, 1. Steps x = (1,1), (2,0), (0,3), (0,0):
// filter 0's memory [0,0,1] [0,1,2] [1,2,0] [2,0,0] -> 1, 4, 8, 8;
// filter 1's memory [0,0,1] [0,1,0] [1,0,3] [0,3,0] -> 1, 10, 103, 30.
SvdfSpec TwoFilters() {
  SvdfSpec s;
  s.weights_feature = {1, 0, 0, 1};
  s.weights_time = {4, 2, 1, 100, 10, 1};
  return s;
}
const std::vector<std::vector<float>> kSteps = {{1, 1}, {2, 0}, {0, 3}, {0, 0}};

TEST(SvdfTest, FloatStateCarriesOverStepsAndResets) {
  SvdfSpec s = TwoFilters();
  s.bias = {0.5f, -2.0f};
  s.activation = Activation::kRelu;
  StepRunner run(FloatSvdf(s));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  const std::vector<std::vector<float>> expected = {{1.5f, 0}, {4.5f, 8}, {8.5f, 101}, {8.5f, 28}};
  for (size_t i = 0; i < kSteps.size(); ++i) {
    EXPECT_EQ(run.Step<float>(kSteps[i]), expected[i]) << "step " << i;
  }
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  EXPECT_EQ(run.Step<float>(kSteps[0]), expected[0]);
  EXPECT_EQ(run.Step<float>(kSteps[1]), expected[1]);
}

TEST(SvdfTest, RankTwoSumsTwoFiltersPerUnitAndBatchRowsKeepTheirOwnState) {
  SvdfSpec s = TwoFilters();
  s.rank = 2;
  s.batch = 2;
  StepRunner run(FloatSvdf(s));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  // Row 1 sees twice row 0's input: twice its output.
  const std::vector<std::vector<float>> expected = {{2, 4}, {14, 28}, {111, 222}, {38, 76}};
  for (size_t i = 0; i < kSteps.size(); ++i) {
    std::vector<float> x = kSteps[i];
    x.push_back(2 * kSteps[i][0]);
    x.push_back(2 * kSteps[i][1]);
    EXPECT_EQ(run.Step<float>(x), expected[i]) << "step " << i;
  }
}

TEST(SvdfTest, FloatFusedActivationsAndNaN) {
  SvdfSpec s = TwoFilters();
  s.activation = Activation::kRelu6;
  StepRunner relu6(FloatSvdf(s));
  EXPECT_EQ(relu6.Step<float>(std::vector<float>{-3, 9}), (std::vector<float>{0, 6}));
  s.activation = Activation::kTanh;
  StepRunner tanh(FloatSvdf(s));
  const std::vector<float> t = tanh.Step<float>(std::vector<float>{0, -100});
  EXPECT_EQ(t, (std::vector<float>{0, -1}));
  // inf passes through filter 0; filter 1 computes 0 * inf = NaN.
  s.activation = Activation::kNone;
  StepRunner none(FloatSvdf(s));
  const std::vector<float> n = none.Step<float>(std::vector<float>{INFINITY, 0});
  ASSERT_EQ(n.size(), 2u);
  EXPECT_EQ(n[0], INFINITY);
  EXPECT_TRUE(std::isnan(n[1]));
}

struct Int8Spec {
  float input_scale = 0.5f, state_scale = 0.125f, output_scale = 0.0625f;
  int32_t input_zp = 1, output_zp = -3;
  int input_size = 2, memory = 2;
  std::vector<int8_t> weights_feature = {3, -2};  // scale 0.25: feature scale 0.5*0.25/0.125 = 1
  std::vector<int16_t> weights_time = {2, 1};     // scale 0.5: output scale 0.125*0.5/0.0625 = 1
  std::vector<int32_t> bias = {10};
  Activation activation = Activation::kRelu;
};

Model Int8Svdf(const Int8Spec& s) {
  ModelBuilder b;
  const int in =
      b.AddTensor("in", DType::kInt8, {1, s.input_size}, PerTensor(s.input_scale, s.input_zp));
  const int wf =
      b.AddConstant("wf", DType::kInt8, {1, s.input_size}, s.weights_feature, PerTensor(0.25f, 0));
  const int wt =
      b.AddConstant("wt", DType::kInt16, {1, s.memory}, s.weights_time, PerTensor(0.5f, 0));
  const int bias = s.bias.empty() ? -1 : b.AddConstant("bias", DType::kInt32, {1}, s.bias);
  const int state =
      b.AddVariable("state", DType::kInt16, {1, s.memory}, PerTensor(s.state_scale, 0));
  const int out = b.AddTensor("out", DType::kInt8, {}, PerTensor(s.output_scale, s.output_zp));
  SvdfOptions options;
  options.rank = 1;
  options.activation = s.activation;
  b.AddOperator(BuiltinOp::kSvdf, {in, wf, wt, bias, state}, {out}, options, 3);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

TEST(SvdfTest, Int8StateCarriesOverAndReluIsNotApplied) {
  StepRunner run(Int8Svdf(Int8Spec{}));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  // feature = 3*(x0-1) - 2*(x1-1); out = 2*older + 1*newer + 10 - 3.
  // (5,1): 12 -> 12+10-3 = 19. (1,11): -20 -> 24-20+7 = 11.
  // (-128,127): -639 -> -40-639+7 = -672 -> -128 (RELU is not applied).
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{5, 1}), std::vector<int8_t>{19});
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{1, 11}), std::vector<int8_t>{11});
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{-128, 127}), std::vector<int8_t>{-128});
  // (1,1): 0 -> 2*(-639) + 0 + 7 = -1271 -> -128; then (1,1) again: 0 + 7.
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{1, 1}), std::vector<int8_t>{-128});
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{1, 1}), std::vector<int8_t>{7});
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{5, 1}), std::vector<int8_t>{19});
}

TEST(SvdfTest, Int8StateSaturatesAtInt16) {
  Int8Spec s;
  // feature scale 64*0.25/0.125 = 128; output scale 0.125*0.5/64 = 1/1024.
  s.input_scale = 64.0f;
  s.input_zp = 0;
  s.output_scale = 64.0f;
  s.output_zp = 0;
  s.input_size = 1;
  s.weights_feature = {4};  // 100 * 4 * 128 = 51200 -> 32767
  s.weights_time = {0, 1};  // the newest activation only
  s.bias.clear();
  StepRunner run(Int8Svdf(s));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  // 32767 / 1024 = 31.99 -> 32 (51200 unsaturated would give 50).
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{100}), std::vector<int8_t>{32});
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{-100}), std::vector<int8_t>{-32});
  EXPECT_EQ(run.Step<int8_t>(std::vector<int8_t>{1}), std::vector<int8_t>{1});  // 512/1024
}

TEST(SvdfTest, Errors) {
  auto error = [](const Model& model) {
    std::unique_ptr<Interpreter> interpreter;
    const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
    return s.ok() ? std::string("ok") : s.message();
  };
  EXPECT_NE(error(FloatSvdf(TwoFilters(), false)).find("must be a variable tensor"),
            std::string::npos);
  SvdfSpec s = TwoFilters();
  s.rank = 0;
  EXPECT_NE(error(FloatSvdf(s)).find("rank must be >= 1"), std::string::npos);
  s.rank = 3;
  s.filters = 2;
  EXPECT_NE(error(FloatSvdf(s)).find("not a multiple of rank 3"), std::string::npos);
  Int8Spec q;
  q.activation = Activation::kNone;
  EXPECT_NE(error(Int8Svdf(q)).find("needs fused activation RELU"), std::string::npos);
  // A state whose shape does not match batch x filters * memory.
  Model m = FloatSvdf(TwoFilters());
  m.tensors[m.operators[0].inputs[4]].shape = {1, 5};
  EXPECT_NE(error(m).find("state [1,5] must be [1,6]"), std::string::npos);
  // int32 input: no kernel in TFLite.
  m = FloatSvdf(TwoFilters());
  m.tensors[m.operators[0].inputs[0]].type = DType::kInt32;
  EXPECT_NE(error(m).find("input"), std::string::npos);
  // Hybrid: float input, int8 weights without a scale.
  m = FloatSvdf(TwoFilters());
  TensorDef& wf = m.tensors[m.operators[0].inputs[1]];
  wf.type = DType::kInt8;
  wf.shape = {2, 2};
  m.buffers[wf.buffer] = Buffer::Owned(std::vector<uint8_t>(4, 1));
  EXPECT_NE(error(m).find("weights_feature 'wf' needs one (per-tensor) scale"), std::string::npos);
}

}  // namespace
}  // namespace qlite
