// Hybrid (float32 activations, int8 symmetric per-tensor weights) RNN,
// UNIDIRECTIONAL_SEQUENCE_RNN, BIDIRECTIONAL_SEQUENCE_RNN, SVDF and the LSTM
// family, values
// worked out by hand: each row is quantized to int8 (symmetric: scale
// max|x| / 127; asymmetric: [min(x,0), max(x,0)] onto [-128, 127]), the
// integer dot product is scaled by row scale * weight scale. One-value rows
// quantize without loss (q = +-127), so the carried-state sequences are the
// float ones; two-value rows show the rounding. Then hybrid vs float on
// larger seeded models, and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/lstm_models.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::StepRunner;

// An int8 weight tensor: q values and one scale (zero point 0).
struct QWeights {
  QWeights() = default;
  QWeights(std::vector<int8_t> values, float weight_scale)
      : q(std::move(values)), scale(weight_scale) {}
  std::vector<int8_t> q;
  float scale = 1.0f;
};

int AddWeights(ModelBuilder& b, const std::string& name, const Shape& shape, const QWeights& w) {
  return b.AddConstant(name, DType::kInt8, shape, w.q, PerTensor(w.scale, 0));
}

struct HybridRnnSpec {
  Shape input_shape = {1, 1};
  QWeights weights = {{64}, 1.0f / 32};     // 2
  QWeights recurrent = {{64}, 1.0f / 128};  // 0.5
  std::vector<float> bias = {1};
  int batch = 1;
  bool sequence = false, time_major = false, asymmetric = false;
};

Model HybridRnn(const HybridRnnSpec& s) {
  ModelBuilder b;
  const int units = static_cast<int>(s.bias.size());
  const int input_size = s.input_shape.back();
  const int in = b.AddTensor("in", DType::kFloat32, s.input_shape);
  const int w = AddWeights(b, "w", {units, input_size}, s.weights);
  const int r = AddWeights(b, "r", {units, units}, s.recurrent);
  const int bias = b.AddConstant("bias", DType::kFloat32, {units}, s.bias);
  const int hidden = b.AddVariable("hidden", DType::kFloat32, {s.batch, units});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  RnnOptions options;
  options.time_major = s.time_major;
  options.asymmetric_quantize_inputs = s.asymmetric;
  b.AddOperator(s.sequence ? BuiltinOp::kUnidirectionalSequenceRnn : BuiltinOp::kRnn,
                {in, w, r, bias, hidden}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

void ExpectNear(const std::vector<float>& got, const std::vector<float>& want, float tolerance) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "at " << i;
}

// h' = 1 + 2 x + 0.5 h: x = 1, 2, 0 from h = 0 gives 3, 6.5, 4.25 (x = 0:
// the input products are skipped).
TEST(HybridRnnTest, HiddenStateCarriesOverStepsAndResets) {
  StepRunner run(HybridRnn(HybridRnnSpec{}));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  ExpectNear(run.Step<float>(std::vector<float>{1}), {3}, 1e-6f);
  ExpectNear(run.Step<float>(std::vector<float>{2}), {6.5f}, 1e-6f);
  ExpectNear(run.Step<float>(std::vector<float>{0}), {4.25f}, 1e-6f);
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  ExpectNear(run.Step<float>(std::vector<float>{1}), {3}, 1e-6f);
}

// Weights (2, 2), x = (1, 0.2), h = 0, bias 0. Symmetric: q = (127, 25)
// (25.4 rounds down), 64 * 152 / (127 * 32) = 2.3937008 (float: 2.4).
// Asymmetric: range [0, 1] -> scale 1/255, zero point -128, q = (127, -77);
// 64 * 50 - 128 * -128 = 19584, / (255 * 32) = 2.4.
TEST(HybridRnnTest, SymmetricAndAsymmetricInputRounding) {
  HybridRnnSpec s;
  s.input_shape = {1, 2};
  s.weights = {{64, 64}, 1.0f / 32};
  s.bias = {0};
  StepRunner symmetric(HybridRnn(s));
  ASSERT_TRUE(symmetric.status().ok()) << symmetric.status().message();
  ExpectNear(symmetric.Step<float>(std::vector<float>{1, 0.2f}), {2.3937008f}, 1e-6f);
  s.asymmetric = true;
  StepRunner asymmetric(HybridRnn(s));
  ASSERT_TRUE(asymmetric.status().ok()) << asymmetric.status().message();
  ExpectNear(asymmetric.Step<float>(std::vector<float>{1, 0.2f}), {2.4f}, 1e-6f);
}

// Row 0 sees x = 1, 2, 0 (3, 6.5, 4.25); row 1 sees 0, 0, 0 (1, 1.5, 1.75),
// time-major (a step's whole batch quantized together) and batch-major.
TEST(HybridRnnTest, SequenceTimeMajorAndBatchMajor) {
  HybridRnnSpec s;
  s.sequence = true;
  s.batch = 2;
  s.time_major = true;
  s.input_shape = {3, 2, 1};
  StepRunner time_major(HybridRnn(s));
  ASSERT_TRUE(time_major.status().ok()) << time_major.status().message();
  ExpectNear(time_major.Step<float>(std::vector<float>{1, 0, 2, 0, 0, 0}),
             {3, 1, 6.5f, 1.5f, 4.25f, 1.75f}, 1e-6f);
  // The next sequence starts from the last hidden state: 1 + 0.5 * 4.25.
  EXPECT_NEAR(time_major.Step<float>(std::vector<float>(6, 0.0f))[0], 3.125f, 1e-6f);
  s.time_major = false;
  s.input_shape = {2, 3, 1};
  StepRunner batch_major(HybridRnn(s));
  ASSERT_TRUE(batch_major.status().ok()) << batch_major.status().message();
  ExpectNear(batch_major.Step<float>(std::vector<float>{1, 2, 0, 0, 0, 0}),
             {3, 6.5f, 4.25f, 1, 1.5f, 1.75f}, 1e-6f);
  ASSERT_TRUE(batch_major.interpreter().ResetVariables().ok());
  EXPECT_NEAR(batch_major.Step<float>(std::vector<float>{1, 2, 0, 0, 0, 0})[2], 4.25f, 1e-6f);
}

// Forward h' = 1 + 2 x + 0.5 h; backward h' = x + h from the last step.
Model HybridBidirectionalRnn(bool merge, int time_steps = 3) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {time_steps, 1, 1});
  std::vector<int32_t> inputs = {in};
  for (const char* dir : {"fw_", "bw_"}) {
    const bool fw = dir[0] == 'f';
    const std::string d = dir;
    inputs.push_back(AddWeights(b, d + "w", {1, 1}, {{64}, fw ? 1.0f / 32 : 1.0f / 64}));
    inputs.push_back(AddWeights(b, d + "r", {1, 1}, {{64}, fw ? 1.0f / 128 : 1.0f / 64}));
    inputs.push_back(
        b.AddConstant(d + "bias", DType::kFloat32, {1}, std::vector<float>{fw ? 1.0f : 0.0f}));
    inputs.push_back(b.AddVariable(d + "hidden", DType::kFloat32, {1, 1}));
  }
  inputs.resize(12, -1);
  std::vector<int32_t> outputs = {b.AddTensor("out", DType::kFloat32, {})};
  if (!merge) outputs.push_back(b.AddTensor("out_bw", DType::kFloat32, {}));
  BidirectionalSequenceRnnOptions options;
  options.time_major = true;
  options.merge_outputs = merge;
  b.AddOperator(BuiltinOp::kBidirectionalSequenceRnn, inputs, outputs, options);
  b.SetInputs({in});
  b.SetOutputs(outputs);
  return b.Build();
}

// TFLite's hybrid time-major kernel runs both directions once per time step
// (3 passes here), each from the states the last pass left. x = 1, 2, 0:
// forward passes 3, 6.5, 4.25 | 5.125, 7.5625, 4.78125 | 5.390625,
// 7.6953125, 4.84765625; backward (by time) 3, 2, 0 | 6, 5, 3 | 9, 8, 6.
// Then zeros: forward h' = 1 + 0.5 h nine times from 4.84765625, the last
// three 2.0222473, 2.0111237, 2.0055618; backward stays 9.
TEST(HybridRnnTest, BidirectionalRepeatsTimeMajorPasses) {
  StepRunner merged(HybridBidirectionalRnn(true));
  ASSERT_TRUE(merged.status().ok()) << merged.status().message();
  ExpectNear(merged.Step<float>(std::vector<float>{1, 2, 0}),
             {5.390625f, 9, 7.6953125f, 8, 4.84765625f, 6}, 1e-5f);
  ExpectNear(merged.Step<float>(std::vector<float>{0, 0, 0}),
             {2.0222473f, 9, 2.0111237f, 9, 2.0055618f, 9}, 1e-5f);
  StepRunner split(HybridBidirectionalRnn(false));
  ASSERT_TRUE(split.status().ok()) << split.status().message();
  ExpectNear(split.Step<float>(std::vector<float>{1, 2, 0}), {5.390625f, 7.6953125f, 4.84765625f},
             1e-5f);
  const Tensor* bw = split.interpreter().output(1);
  ExpectNear(std::vector<float>(bw->data_as<float>(), bw->data_as<float>() + 3), {9, 8, 6}, 1e-5f);
}

// Its time^2 steps count against max_while_iterations: 1,001 time steps
// (1,002,001 steps) are refused under the default 1,000,000, and run once
// the cap allows them.
TEST(HybridRnnTest, BidirectionalTimeMajorPassesAreCapped) {
  const Model model = HybridBidirectionalRnn(true, 1001);
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("runs its 1001 time steps once per time step, as TFLite's kernel "
                             "does: 1002001 steps, more than max_while_iterations (1000000)"),
            std::string::npos)
      << s.message();
  InterpreterOptions options;
  options.max_while_iterations = 1002001;
  ASSERT_TRUE(Interpreter::Create(model, options, &interpreter).ok());
  EXPECT_TRUE(interpreter->Invoke().ok());
}

using testing::SeededValues;
QWeights Quantize(const std::vector<float>& real, float scale) {
  QWeights w{{}, scale};
  for (float v : real) w.q.push_back(static_cast<int8_t>(std::lround(v / scale)));
  return w;
}
std::vector<float> Dequantize(const QWeights& w) {
  std::vector<float> real;
  for (int8_t q : w.q) real.push_back(q * w.scale);
  return real;
}

// The hybrid RNN stays near the float RNN with the same (dequantized)
// weights: each product loses at most half an input step per value.
TEST(HybridRnnTest, CloseToFloat) {
  const int units = 4, input_size = 3, batch = 2;
  HybridRnnSpec s;
  s.input_shape = {batch, input_size};
  s.batch = batch;
  s.weights = Quantize(SeededValues(units * input_size, 1), 1.0f / 127);
  s.recurrent = Quantize(SeededValues(units * units, 2), 0.5f / 127);
  s.bias = SeededValues(units, 3);
  for (bool asymmetric : {false, true}) {
    s.asymmetric = asymmetric;
    StepRunner hybrid(HybridRnn(s));
    ASSERT_TRUE(hybrid.status().ok()) << hybrid.status().message();
    ModelBuilder b;
    const int in = b.AddTensor("in", DType::kFloat32, s.input_shape);
    const int w = b.AddConstant("w", DType::kFloat32, {units, input_size}, Dequantize(s.weights));
    const int r = b.AddConstant("r", DType::kFloat32, {units, units}, Dequantize(s.recurrent));
    const int bias = b.AddConstant("bias", DType::kFloat32, {units}, s.bias);
    const int hidden = b.AddVariable("hidden", DType::kFloat32, {batch, units});
    const int out = b.AddTensor("out", DType::kFloat32, {});
    b.AddOperator(BuiltinOp::kRnn, {in, w, r, bias, hidden}, {out}, RnnOptions{});
    b.SetInputs({in});
    b.SetOutputs({out});
    StepRunner reference(b.Build());
    ASSERT_TRUE(reference.status().ok()) << reference.status().message();
    for (uint32_t step = 0; step < 5; ++step) {
      const std::vector<float> x = SeededValues(batch * input_size, 10 + step);
      const std::vector<float> got = hybrid.Step<float>(x);
      const std::vector<float> want = reference.Step<float>(x);
      ASSERT_EQ(got.size(), want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_NEAR(got[i], want[i], 0.05f * (1 + std::fabs(want[i]))) << step << " " << i;
      }
    }
  }
}

std::string CreateError(const Model& model) {
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
  return s.ok() ? std::string("ok") : s.message();
}

TEST(HybridRnnTest, Errors) {
  Model m = HybridRnn(HybridRnnSpec{});
  m.tensors[m.operators[0].inputs[2]].quant = PerTensor(1.0f / 128, 3);
  EXPECT_NE(CreateError(m).find("recurrent_weights 'r' has zero point 3"), std::string::npos);
  // Per-unit weight scales: TFLite's hybrid RNN reads one scale.
  HybridRnnSpec two_units;
  two_units.weights = {{64, 64}, 1.0f / 32};
  two_units.recurrent = {{0, 0, 0, 0}, 1.0f};
  two_units.bias = {0, 0};
  m = HybridRnn(two_units);
  m.tensors[m.operators[0].inputs[1]].quant = PerChannel({0.5f, 0.25f}, 0);
  EXPECT_NE(CreateError(m).find("needs one (per-tensor) scale"), std::string::npos)
      << CreateError(m);
  m = HybridRnn(HybridRnnSpec{});
  m.tensors[m.operators[0].inputs[1]].quant = PerTensor(-1.0f, 0);
  EXPECT_NE(CreateError(m).find("invalid scale"), std::string::npos);
  // Float weights with int8 recurrent weights.
  m = HybridRnn(HybridRnnSpec{});
  TensorDef& w = m.tensors[m.operators[0].inputs[1]];
  w.type = DType::kFloat32;
  m.buffers[w.buffer] = Buffer::Owned(std::vector<uint8_t>(4, 0));
  EXPECT_NE(CreateError(m).find("recurrent_weights"), std::string::npos);
}

// SVDF: filter 0 reads x0 with time weights (oldest..newest) 4, 2, 1;
// filter 1 reads x1 with 100, 10, 1 (weights_feature q 64, scale 1/64;
// weights_time scale 1, so both are exact).
Model HybridSvdf(int input_size, const QWeights& weights_feature, bool asymmetric) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, input_size});
  const int wf = AddWeights(b, "wf", {2, input_size}, weights_feature);
  const int wt = AddWeights(b, "wt", {2, 3}, {{4, 2, 1, 100, 10, 1}, 1.0f});
  const int state = b.AddVariable("state", DType::kFloat32, {1, 6});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  SvdfOptions options;
  options.rank = 1;
  options.asymmetric_quantize_inputs = asymmetric;
  b.AddOperator(BuiltinOp::kSvdf, {in, wf, wt, -1, state}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}
const QWeights kIdentityFeatures = {{64, 0, 0, 64}, 1.0f / 64};

// Steps x = (1,1), (2,0), (0,3), (0,0): filter 0's memory [0,0,1] [0,1,2]
// [1,2,0] [2,0,0] -> 1, 4, 8, 8; filter 1's [0,0,1] [0,1,0] [1,0,3] [0,3,0]
// -> 1, 10, 103, 30 (the all-zero step writes zero activations).
TEST(HybridSvdfTest, StateCarriesOverStepsAndResets) {
  StepRunner run(HybridSvdf(2, kIdentityFeatures, false));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  const std::vector<std::vector<float>> steps = {{1, 1}, {2, 0}, {0, 3}, {0, 0}};
  const std::vector<std::vector<float>> want = {{1, 1}, {4, 10}, {8, 103}, {8, 30}};
  for (size_t i = 0; i < steps.size(); ++i) ExpectNear(run.Step<float>(steps[i]), want[i], 1e-5f);
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  ExpectNear(run.Step<float>(steps[0]), want[0], 1e-6f);
}

// x = (1, 0.3): symmetric q = (127, 38), filter 1's activation 38/127 =
// 0.2992126 (float: 0.3). Asymmetric x = (1, 0.2): q = (127, -77), zero
// point -128: filter 0 (64*127 + 64*128) / (255*64) = 1, filter 1
// (64*-77 + 64*128) / (255*64) = 0.2.
TEST(HybridSvdfTest, SymmetricAndAsymmetricInputRounding) {
  StepRunner symmetric(HybridSvdf(2, kIdentityFeatures, false));
  ASSERT_TRUE(symmetric.status().ok()) << symmetric.status().message();
  ExpectNear(symmetric.Step<float>(std::vector<float>{1, 0.3f}), {1, 0.2992126f}, 1e-6f);
  StepRunner asymmetric(HybridSvdf(2, kIdentityFeatures, true));
  ASSERT_TRUE(asymmetric.status().ok()) << asymmetric.status().message();
  ExpectNear(asymmetric.Step<float>(std::vector<float>{1, 0.2f}), {1, 0.2f}, 1e-6f);
}

TEST(HybridSvdfTest, Errors) {
  // weights_time must be int8 too (TFLite dequantizes it from int8).
  Model m = HybridSvdf(2, kIdentityFeatures, false);
  TensorDef& wt = m.tensors[m.operators[0].inputs[2]];
  wt.type = DType::kFloat32;
  m.buffers[wt.buffer] = Buffer::Owned(std::vector<uint8_t>(24, 0));
  EXPECT_NE(CreateError(m).find("weights_time"), std::string::npos);
  m = HybridSvdf(2, kIdentityFeatures, false);
  m.tensors[m.operators[0].inputs[1]].quant = PerTensor(1.0f / 64, 1);
  EXPECT_NE(CreateError(m).find("zero point 1"), std::string::npos);
  // A float32 state with int8 weights is the hybrid form; an int16 one is not.
  m = HybridSvdf(2, kIdentityFeatures, false);
  m.tensors[m.operators[0].inputs[4]].type = DType::kInt16;
  EXPECT_NE(CreateError(m).find("state"), std::string::npos);
}

// LSTM: only input_to_cell_weights is non-zero (1; the zero weights get
// scale 1), activation NONE, so i = f = o = sigmoid(0) = 0.5,
// c' = 0.5 c + 0.5 g, h = 0.5 c'.
testing::LstmCellSpec HybridLinearCell(int n_input = 1) {
  testing::LstmCellSpec s;
  s.n_input = n_input;
  s.hybrid = true;
  s.values[kLstmInputToCell] = std::vector<float>(n_input, 1.0f);
  return s;
}

Model HybridLstm(const testing::LstmCellSpec& s, bool asymmetric = false) {
  LstmOptions o;
  o.activation = Activation::kNone;
  o.asymmetric_quantize_inputs = asymmetric;
  return testing::LstmModel(BuiltinOp::kLstm, s, {1, s.n_input}, 1, o);
}

// x = 2, 4, 0: g = 2, 4, 0 (one value: no rounding), c = 1, 2.5, 1.25.
TEST(HybridLstmTest, StateCarriesOverStepsAndResets) {
  StepRunner run(HybridLstm(HybridLinearCell()));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  ExpectNear(run.Step<float>(std::vector<float>{2}), {0.5f}, 1e-6f);
  ExpectNear(run.Step<float>(std::vector<float>{4}), {1.25f}, 1e-6f);
  ExpectNear(run.Step<float>(std::vector<float>{0}), {0.625f}, 1e-6f);
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  ExpectNear(run.Step<float>(std::vector<float>{2}), {0.5f}, 1e-6f);
}

// x = (1, 0.2), weights (1, 1) (q 127, scale 1/127). Symmetric: q = (127,
// 25), g = 152/127 = 1.1968504, h = g / 4 = 0.2992126. Asymmetric: q = (127,
// -77), zero point -128: g = (127 * 50 + 254 * 128) / (255 * 127) = 1.2.
TEST(HybridLstmTest, SymmetricAndAsymmetricInputRounding) {
  StepRunner symmetric(HybridLstm(HybridLinearCell(2)));
  ASSERT_TRUE(symmetric.status().ok()) << symmetric.status().message();
  ExpectNear(symmetric.Step<float>(std::vector<float>{1, 0.2f}), {0.2992126f}, 1e-6f);
  StepRunner asymmetric(HybridLstm(HybridLinearCell(2), true));
  ASSERT_TRUE(asymmetric.status().ok()) << asymmetric.status().message();
  ExpectNear(asymmetric.Step<float>(std::vector<float>{1, 0.2f}), {0.3f}, 1e-6f);
}

// A projection of 0.5 with bias 0.25: h = 0.25 + 0.5 * (0.5 c); x = 2, 4
// gives c = 1, 2.5 and h = 0.5, 0.875; the recurrent weights are zero.
TEST(HybridLstmTest, Projection) {
  testing::LstmCellSpec s = HybridLinearCell();
  s.projection = s.projection_bias = true;
  s.values[kLstmProjectionWeights] = {0.5f};
  s.values[kLstmProjectionBias] = {0.25f};
  StepRunner run(HybridLstm(s));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  ExpectNear(run.Step<float>(std::vector<float>{2}), {0.5f}, 1e-6f);
  ExpectNear(run.Step<float>(std::vector<float>{4}), {0.875f}, 1e-6f);
}

// Seeded weights in [-0.5, 0.5), per slot.
std::vector<float> SeededLstmWeights(int slot, int64_t count) {
  std::vector<float> w = SeededValues(count, 50 + static_cast<uint32_t>(slot));
  for (float& v : w) v *= 0.5f;
  return w;
}

// The hybrid LSTM (peephole, projection, layer norm) stays near the float
// LSTM with the same, dequantized weights over 5 steps.
TEST(HybridLstmTest, CloseToFloat) {
  testing::LstmCellSpec s;
  s.n_input = 3;
  s.n_cell = 4;
  s.n_output = 2;
  s.peephole = s.projection = s.projection_bias = s.layer_norm = true;
  const testing::LstmFill dequantized = [](int slot, int64_t count) {
    std::vector<float> w = SeededLstmWeights(slot, count);
    if (!testing::LstmWeightSlot(slot)) return w;
    float range = 0.0f;
    for (float v : w) range = std::max(range, std::fabs(v));
    return Dequantize(Quantize(w, range / 127.0f));
  };
  LstmOptions o;
  o.time_major = true;
  StepRunner reference(
      testing::LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, s, {2, 1, 3}, 1, o, dequantized));
  ASSERT_TRUE(reference.status().ok()) << reference.status().message();
  s.hybrid = true;
  for (bool asymmetric : {false, true}) {
    o.asymmetric_quantize_inputs = asymmetric;
    StepRunner hybrid(testing::LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, s, {2, 1, 3}, 1, o,
                                         SeededLstmWeights));
    ASSERT_TRUE(hybrid.status().ok()) << hybrid.status().message();
    ASSERT_TRUE(reference.interpreter().ResetVariables().ok());
    for (uint32_t step = 0; step < 5; ++step) {
      const std::vector<float> x = SeededValues(6, 30 + step);
      const std::vector<float> got = hybrid.Step<float>(x);
      const std::vector<float> want = reference.Step<float>(x);
      ASSERT_EQ(got.size(), want.size());
      for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 0.02f) << step;
    }
  }
}

TEST(HybridLstmTest, Errors) {
  // A float weight in a hybrid cell.
  Model m = HybridLstm(HybridLinearCell());
  TensorDef& forget = m.tensors[m.operators[0].inputs[1 + kLstmInputToForget]];
  forget.type = DType::kFloat32;
  m.buffers[forget.buffer] = Buffer::Owned(std::vector<uint8_t>(4, 0));
  EXPECT_NE(CreateError(m).find("input_to_forget_weights 'input_to_forget_weights' is float32; "
                                "a hybrid LSTM"),
            std::string::npos)
      << CreateError(m);
  m = HybridLstm(HybridLinearCell());
  m.tensors[m.operators[0].inputs[1 + kLstmInputToCell]].quant = PerTensor(1.0f / 127, 5);
  EXPECT_NE(CreateError(m).find("zero point 5"), std::string::npos) << CreateError(m);
}

}  // namespace
}  // namespace qlite
