// RNN and UNIDIRECTIONAL_SEQUENCE_RNN reference kernels, values worked out
// by hand: the hidden state (a variable tensor) carries over 3+ steps and
// across invocations, ResetVariables starts again, the recurrent weights are
// [unit, previous unit], time-major and batch-major sequences give the same
// per-row results, fused activations; errors for bad dtypes and shapes.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::StepRunner;

struct RnnSpec {
  Shape input_shape = {1, 1};
  std::vector<float> weights = {2}, recurrent = {0.5f}, bias = {1};
  int batch = 1;
  bool sequence = false, time_major = false;
  Activation activation = Activation::kNone;
  DType weights_type = DType::kFloat32;
};

Model RnnModel(const RnnSpec& s) {
  ModelBuilder b;
  const int units = static_cast<int>(s.bias.size());
  const int input_size = s.input_shape.back();
  const int in = b.AddTensor("in", DType::kFloat32, s.input_shape);
  const int w = b.AddConstant("w", s.weights_type, {units, input_size}, s.weights);
  const int r = b.AddConstant("r", DType::kFloat32, {units, units}, s.recurrent);
  const int bias = b.AddConstant("bias", DType::kFloat32, {units}, s.bias);
  const int hidden = b.AddVariable("hidden", DType::kFloat32, {s.batch, units});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  RnnOptions options;
  options.time_major = s.time_major;
  options.activation = s.activation;
  b.AddOperator(s.sequence ? BuiltinOp::kUnidirectionalSequenceRnn : BuiltinOp::kRnn,
                {in, w, r, bias, hidden}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// h' = 1 + 2 x + 0.5 h: x = 1, 2, 0 from h = 0 gives 3, 6.5, 4.25.
TEST(RnnTest, HiddenStateCarriesOverStepsAndResets) {
  StepRunner run(RnnModel(RnnSpec{}));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), std::vector<float>{3});
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{6.5f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{0}), std::vector<float>{4.25f});
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), std::vector<float>{3});
}

// Unit 0 reads unit 1's previous value (recurrent row 0 = [0, 1]).
TEST(RnnTest, RecurrentWeightsAreUnitByPreviousUnit) {
  RnnSpec s;
  s.weights = {1, 10};
  s.recurrent = {0, 1, 0, 0};
  s.bias = {0, 0};
  StepRunner run(RnnModel(s));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), (std::vector<float>{1, 10}));
  EXPECT_EQ(run.Step<float>(std::vector<float>{0}), (std::vector<float>{10, 0}));
}

TEST(RnnTest, FusedActivations) {
  RnnSpec s;
  s.activation = Activation::kTanh;
  StepRunner tanh(RnnModel(s));
  const std::vector<float> t = tanh.Step<float>(std::vector<float>{1});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_NEAR(t[0], 0.99505475f, 1e-7f);  // tanh(3)
  s.activation = Activation::kReluN1To1;
  StepRunner relu1(RnnModel(s));
  EXPECT_EQ(relu1.Step<float>(std::vector<float>{1}), std::vector<float>{1});    // 3
  EXPECT_EQ(relu1.Step<float>(std::vector<float>{-5}), std::vector<float>{-1});  // 1 - 10 + 0.5
  s.activation = Activation::kSignBit;
  StepRunner sign(RnnModel(s));
  EXPECT_EQ(sign.Step<float>(std::vector<float>{-1}), std::vector<float>{1});  // -1: sign bit set
  EXPECT_EQ(sign.Step<float>(std::vector<float>{1}), std::vector<float>{0});   // 3.5
}

// Row 0 sees x = 1, 2, 0 (3, 6.5, 4.25); row 1 sees 0, 0, 0 (1, 1.5, 1.75).
TEST(SequenceRnnTest, TimeMajorAndBatchMajor) {
  RnnSpec s;
  s.sequence = true;
  s.batch = 2;
  s.time_major = true;
  s.input_shape = {3, 2, 1};
  StepRunner time_major(RnnModel(s));
  ASSERT_TRUE(time_major.status().ok()) << time_major.status().message();
  EXPECT_EQ(time_major.Step<float>(std::vector<float>{1, 0, 2, 0, 0, 0}),
            (std::vector<float>{3, 1, 6.5f, 1.5f, 4.25f, 1.75f}));
  // The next sequence starts from the last hidden state: 1 + 0.5 * 4.25, 1 + 0.5 * 1.75.
  EXPECT_EQ(time_major.Step<float>(std::vector<float>{0, 0, 0, 0, 0, 0})[0], 3.125f);
  EXPECT_EQ(time_major.interpreter().output(0)->shape, (Shape{3, 2, 1}));

  s.time_major = false;
  s.input_shape = {2, 3, 1};
  StepRunner batch_major(RnnModel(s));
  ASSERT_TRUE(batch_major.status().ok()) << batch_major.status().message();
  EXPECT_EQ(batch_major.Step<float>(std::vector<float>{1, 2, 0, 0, 0, 0}),
            (std::vector<float>{3, 6.5f, 4.25f, 1, 1.5f, 1.75f}));
  ASSERT_TRUE(batch_major.interpreter().ResetVariables().ok());
  EXPECT_EQ(batch_major.Step<float>(std::vector<float>{1, 2, 0, 0, 0, 0})[2], 4.25f);
}

TEST(RnnTest, Errors) {
  auto error = [](const Model& model) {
    std::unique_ptr<Interpreter> interpreter;
    const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
    return s.ok() ? std::string("ok") : s.message();
  };
  RnnSpec s;
  s.weights_type = DType::kInt8;
  s.weights = {};
  Model m = RnnModel(s);
  m.buffers[m.tensors[1].buffer] = Buffer::Owned(std::vector<uint8_t>{2});
  EXPECT_NE(error(m).find("needs one (per-tensor) scale"), std::string::npos);
  m = RnnModel(RnnSpec{});
  m.tensors[m.operators[0].inputs[4]].is_variable = false;
  m.inputs.push_back(m.operators[0].inputs[4]);
  EXPECT_NE(error(m).find("must be a variable tensor"), std::string::npos);
  m = RnnModel(RnnSpec{});
  m.tensors[m.operators[0].inputs[4]].shape = {2, 1};
  EXPECT_NE(error(m).find("hidden_state [2,1] must be [1,1]"), std::string::npos);
  s = RnnSpec{};
  s.input_shape = {1, 2};  // weights are [1, 1]
  s.weights = {2};
  m = RnnModel(s);
  m.tensors[m.operators[0].inputs[1]].shape = {1, 1};
  EXPECT_NE(error(m).find("do not match input"), std::string::npos);
  s = RnnSpec{};
  s.sequence = true;  // a rank-2 input for the sequence op
  EXPECT_NE(error(RnnModel(s)).find("rank"), std::string::npos);
}

// BIDIRECTIONAL_SEQUENCE_RNN: forward h' = 1 + 2 x + 0.5 h; backward
// h' = x + h from the last time step.
Model BidirectionalRnnModel(const Shape& input_shape, int batch, bool time_major, bool merge) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, input_shape);
  std::vector<int32_t> inputs = {in};
  for (const char* dir : {"fw_", "bw_"}) {
    const bool fw = dir[0] == 'f';
    const std::string d = dir;
    inputs.push_back(
        b.AddConstant(d + "w", DType::kFloat32, {1, 1}, std::vector<float>{fw ? 2.0f : 1.0f}));
    inputs.push_back(
        b.AddConstant(d + "r", DType::kFloat32, {1, 1}, std::vector<float>{fw ? 0.5f : 1.0f}));
    inputs.push_back(
        b.AddConstant(d + "bias", DType::kFloat32, {1}, std::vector<float>{fw ? 1.0f : 0.0f}));
    inputs.push_back(b.AddVariable(d + "hidden", DType::kFloat32, {batch, 1}));
  }
  inputs.resize(12, -1);
  std::vector<int32_t> outputs = {b.AddTensor("out", DType::kFloat32, {})};
  if (!merge) outputs.push_back(b.AddTensor("out_bw", DType::kFloat32, {}));
  BidirectionalSequenceRnnOptions options;
  options.time_major = time_major;
  options.merge_outputs = merge;
  b.AddOperator(BuiltinOp::kBidirectionalSequenceRnn, inputs, outputs, options);
  b.SetInputs({in});
  b.SetOutputs(outputs);
  return b.Build();
}

// x = 1, 2, 0: forward 3, 6.5, 4.25; backward from the end 0, 2, 3 -> by
// time 3, 2, 0.
TEST(BidirectionalRnnTest, MergedAndSplitOutputs) {
  StepRunner merged(BidirectionalRnnModel({3, 1, 1}, 1, true, true));
  ASSERT_TRUE(merged.status().ok()) << merged.status().message();
  EXPECT_EQ(merged.Step<float>(std::vector<float>{1, 2, 0}),
            (std::vector<float>{3, 3, 6.5f, 2, 4.25f, 0}));
  EXPECT_EQ(merged.interpreter().output(0)->shape, (Shape{3, 1, 2}));
  // Both hidden states carry over: backward starts from 3 at the last step.
  EXPECT_EQ(merged.Step<float>(std::vector<float>{0, 0, 0}),
            (std::vector<float>{3.125f, 3, 2.5625f, 3, 2.28125f, 3}));
  ASSERT_TRUE(merged.interpreter().ResetVariables().ok());
  EXPECT_EQ(merged.Step<float>(std::vector<float>{1, 2, 0})[1], 3);

  // Batch-major, two rows (row 1 all zeros), outputs apart.
  StepRunner split(BidirectionalRnnModel({2, 3, 1}, 2, false, false));
  ASSERT_TRUE(split.status().ok()) << split.status().message();
  EXPECT_EQ(split.Step<float>(std::vector<float>{1, 2, 0, 0, 0, 0}),
            (std::vector<float>{3, 6.5f, 4.25f, 1, 1.5f, 1.75f}));
  const Tensor* bw = split.interpreter().output(1);
  EXPECT_EQ(std::vector<float>(bw->data_as<float>(), bw->data_as<float>() + 6),
            (std::vector<float>{3, 2, 0, 0, 0, 0}));
}

TEST(BidirectionalRnnTest, Errors) {
  auto error = [](const Model& model) {
    std::unique_ptr<Interpreter> interpreter;
    const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
    return s.ok() ? std::string("ok") : s.message();
  };
  Model m = BidirectionalRnnModel({3, 1, 1}, 1, true, true);
  m.operators[0].inputs[9] = m.operators[0].inputs[0];
  EXPECT_NE(error(m).find("auxiliary input (input 9) is not supported"), std::string::npos);
  m = BidirectionalRnnModel({3, 1, 1}, 1, true, true);
  m.tensors[m.operators[0].inputs[8]].shape = {2, 1};
  EXPECT_NE(error(m).find("bw_hidden_state [2,1] must be [1,1]"), std::string::npos);
  m = BidirectionalRnnModel({3, 1, 1}, 1, true, false);
  m.operators[0].outputs.pop_back();  // two outputs without merge_outputs
  EXPECT_NE(error(m).find("output"), std::string::npos);
}

}  // namespace
}  // namespace qlite
