// LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM and BIDIRECTIONAL_SEQUENCE_LSTM
// reference kernels, values worked out by hand. Most cells take x through
// input_to_cell_weights only, with the cell activation NONE: every other
// pre-activation is 0, so the input, forget and output gates are
// sigmoid(0) = 0.5 and c' = 0.5 c + 0.5 g, h = 0.5 c'. Gates are pushed to
// exactly 0 or 1 with pre-activations of +-1000 (peephole) or a bias of -100
// (exp(100) overflows float: f = 0, 1 - f = 1).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "tests/util/lstm_models.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::LstmCellSpec;
using testing::LstmModel;
using testing::StepRunner;

LstmCellSpec LinearCell() {
  LstmCellSpec s;
  s.values[kLstmInputToCell] = {1};
  return s;
}

LstmOptions Linear(bool time_major = false) {
  LstmOptions o;
  o.activation = Activation::kNone;
  o.time_major = time_major;
  return o;
}

Model OneStep(const LstmCellSpec& s, const LstmOptions& o = Linear()) {
  return LstmModel(BuiltinOp::kLstm, s, {1, s.n_input}, 1, o);
}

std::string PrepareError(const Model& model) {
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
  return s.ok() ? std::string("ok") : s.message();
}

// c: 1, 2.5, 1.25 for x = 2, 4, 0; h = c / 2. A reset starts from zero.
TEST(LstmTest, StateCarriesOverStepsAndResets) {
  StepRunner run(OneStep(LinearCell()));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{0.5f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{4}), std::vector<float>{1.25f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{0}), std::vector<float>{0.625f});
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{0.5f});
}

// g = x + h: x = 2 gives c 1, h 0.5; then x = 0: g = 0.5, c = 0.5 + 0.25.
TEST(LstmTest, RecurrentWeightsReadThePreviousOutput) {
  LstmCellSpec s = LinearCell();
  s.values[kLstmRecurrentToCell] = {1};
  StepRunner run(OneStep(s));
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{0.5f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{0}), std::vector<float>{0.375f});
}

// tanh cell activation: g = tanh(x), h = 0.5 tanh(c).
TEST(LstmTest, TanhCellActivation) {
  LstmOptions o;
  o.activation = Activation::kTanh;
  StepRunner run(OneStep(LinearCell(), o));
  const std::vector<float> h = run.Step<float>(std::vector<float>{1000});
  ASSERT_EQ(h.size(), 1u);
  EXPECT_NEAR(h[0], 0.5f * std::tanh(0.5f), 1e-7f);  // g = 1, c = 0.5
}

// CIFG: i = 1 - f. With f = 0 the cell forgets and takes all of g:
// h = 0.5 x. The same forget bias with an input gate (i = 0.5) gives 0.25 x.
TEST(LstmTest, CifgCouplesInputGateToForgetGate) {
  LstmCellSpec s = LinearCell();
  s.values[kLstmForgetGateBias] = {-100};
  s.cifg = true;
  StepRunner cifg(OneStep(s));
  ASSERT_TRUE(cifg.status().ok()) << cifg.status().message();
  EXPECT_EQ(cifg.Step<float>(std::vector<float>{2}), std::vector<float>{1});
  EXPECT_EQ(cifg.Step<float>(std::vector<float>{6}), std::vector<float>{3});
  s.cifg = false;
  StepRunner full(OneStep(s));
  EXPECT_EQ(full.Step<float>(std::vector<float>{2}), std::vector<float>{0.5f});
  EXPECT_EQ(full.Step<float>(std::vector<float>{6}), std::vector<float>{1.5f});
}

// Forget peephole 1000: f = 0.5 while c = 0, then 1 once c > 0, so the cell
// keeps everything: c = 1, 2, 2 for x = 2, 2, 0 (1, 1.5, 0.75 without it).
TEST(LstmTest, PeepholeForgetGateReadsThePreviousCell) {
  LstmCellSpec s = LinearCell();
  s.peephole = true;
  s.values[kLstmCellToForget] = {1000};
  StepRunner run(OneStep(s));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{0.5f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{1});
  EXPECT_EQ(run.Step<float>(std::vector<float>{0}), std::vector<float>{1});
}

// Output peephole -1000 reads the updated cell (c = 1): o = 0, h = 0. Had it
// read the previous cell (0), o would be 0.5. A negative cell opens it.
TEST(LstmTest, PeepholeOutputGateReadsTheUpdatedCell) {
  LstmCellSpec s = LinearCell();
  s.peephole = true;
  s.values[kLstmCellToOutput] = {-1000};
  StepRunner run(OneStep(s));
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{0});
  EXPECT_EQ(run.Step<float>(std::vector<float>{-4}), std::vector<float>{-1.5f});  // c = 0.5 - 2
}

// CIFG with peephole: cell_to_input_weights is absent (TFLite allows it).
TEST(LstmTest, CifgWithPeephole) {
  LstmCellSpec s = LinearCell();
  s.cifg = true;
  s.peephole = true;
  s.values[kLstmForgetGateBias] = {-100};
  StepRunner run(OneStep(s));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{1});
}

// Two cells, each c = 0.5 x (+ 0.5 c), m = 0.5 c; one output
// h = 0.25 + m0 + 2 m1, clipped to [-1, 1]: x = 1 -> 1; x = 2 -> c 1.25,
// 2.125 -> 1; x = -4 -> c -1.375, 0.25 + 3 (-0.6875) = -1.8125 -> -1.
TEST(LstmTest, ProjectionWithBiasAndClipping) {
  LstmCellSpec s;
  s.n_cell = 2;
  s.projection = s.projection_bias = true;
  s.values[kLstmInputToCell] = {1, 1};
  s.values[kLstmProjectionWeights] = {1, 2};
  s.values[kLstmProjectionBias] = {0.25f};
  LstmOptions o = Linear();
  o.proj_clip = 1;
  StepRunner run(OneStep(s, o));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{1}), std::vector<float>{1});
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{1});
  EXPECT_EQ(run.Step<float>(std::vector<float>{-4}), std::vector<float>{-1});
  // Without a clip and a bias: x = 1 -> 0.75.
  s.projection_bias = false;
  StepRunner unclipped(OneStep(s));
  EXPECT_EQ(unclipped.Step<float>(std::vector<float>{1}), std::vector<float>{0.75f});
}

// cell_clip 1.5: c = 2 -> 1.5 (h 0.75); then 0.75 + 2 -> 1.5 again; a NaN
// input reaches every gate (0 * NaN) and the output.
TEST(LstmTest, CellClipping) {
  LstmOptions o = Linear();
  o.cell_clip = 1.5f;
  StepRunner run(OneStep(LinearCell(), o));
  EXPECT_EQ(run.Step<float>(std::vector<float>{4}), std::vector<float>{0.75f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{4}), std::vector<float>{0.75f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{-100}), std::vector<float>{-0.75f});
  const std::vector<float> nan = run.Step<float>(std::vector<float>{NAN});
  ASSERT_EQ(nan.size(), 1u);
  EXPECT_TRUE(std::isnan(nan[0]));
}

// Layer norm over two cells: the cell gate's pre-activation [x, -x]
// normalizes to [1, -1] for any x != 0, times coefficients [1, 0.5]. Zero
// pre-activations normalize to 0: the other gates stay 0.5 (bias 0).
TEST(LstmTest, LayerNormNormalizesEachGateOverTheCells) {
  LstmCellSpec s;
  s.n_cell = s.n_output = 2;
  s.layer_norm = true;
  s.values[kLstmInputToCell] = {1, -1};
  s.values[testing::kLstmLayerNorm + 2] = {1, 0.5f};
  StepRunner run(LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, s, {1, 1, 1}, 1, Linear()));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), (std::vector<float>{0.25f, -0.125f}));
  EXPECT_EQ(run.Step<float>(std::vector<float>{6}), (std::vector<float>{0.375f, -0.1875f}));
  // The gate bias is added after the normalization: forget bias -100 forgets.
  s.values[kLstmForgetGateBias] = {-100, -100};
  StepRunner forget(LstmModel(BuiltinOp::kLstm, s, {1, 1}, 1, Linear()));
  EXPECT_EQ(forget.Step<float>(std::vector<float>{2}), (std::vector<float>{0.25f, -0.125f}));
  EXPECT_EQ(forget.Step<float>(std::vector<float>{6}), (std::vector<float>{0.25f, -0.125f}));
}

// TFLite takes states of the right element count in any shape.
TEST(LstmTest, StatesMayBeFlat) {
  Model m = OneStep(LinearCell());
  m.tensors[m.operators[0].inputs[18]].shape = {1};
  m.tensors[m.operators[0].inputs[19]].shape = {1};
  StepRunner run(m);
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<float>(std::vector<float>{2}), std::vector<float>{0.5f});
  EXPECT_EQ(run.Step<float>(std::vector<float>{4}), std::vector<float>{1.25f});
}

// Row 0 sees x = 2, 4, 0 (0.5, 1.25, 0.625), row 1 zeros; the next sequence
// continues from the last states.
TEST(SequenceLstmTest, TimeMajorAndBatchMajor) {
  StepRunner time_major(LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, LinearCell(), {3, 2, 1},
                                  2, Linear(/*time_major=*/true)));
  ASSERT_TRUE(time_major.status().ok()) << time_major.status().message();
  EXPECT_EQ(time_major.Step<float>(std::vector<float>{2, 0, 4, 0, 0, 0}),
            (std::vector<float>{0.5f, 0, 1.25f, 0, 0.625f, 0}));
  EXPECT_EQ(time_major.Step<float>(std::vector<float>{0, 2, 0, 0, 0, 0})[0], 0.3125f);
  EXPECT_EQ(time_major.interpreter().output(0)->shape, (Shape{3, 2, 1}));

  StepRunner batch_major(LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, LinearCell(), {2, 3, 1},
                                   2, Linear(/*time_major=*/false)));
  ASSERT_TRUE(batch_major.status().ok()) << batch_major.status().message();
  EXPECT_EQ(batch_major.Step<float>(std::vector<float>{2, 4, 0, 0, 0, 0}),
            (std::vector<float>{0.5f, 1.25f, 0.625f, 0, 0, 0}));
  ASSERT_TRUE(batch_major.interpreter().ResetVariables().ok());
  EXPECT_EQ(batch_major.Step<float>(std::vector<float>{0, 0, 0, 2, 0, 0}),
            (std::vector<float>{0, 0, 0, 0.5f, 0.25f, 0.125f}));
}

// Diagonal recurrent weights [1, 0]: cell 0's g adds its own h, cell 1's not.
TEST(SequenceLstmTest, DiagonalRecurrentWeights) {
  LstmCellSpec s;
  s.n_cell = s.n_output = 2;
  s.diagonal_recurrent = true;
  s.values[kLstmInputToCell] = {1, 1};
  s.values[kLstmRecurrentToCell] = {1, 0};
  LstmOptions o = Linear();
  o.diagonal_recurrent_tensors = true;
  StepRunner run(LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, s, {1, 2, 1}, 1, o));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  // t0: x = 2: c = [1, 1], h = [0.5, 0.5]; t1: x = 0: g = [0.5, 0].
  EXPECT_EQ(run.Step<float>(std::vector<float>{2, 0}),
            (std::vector<float>{0.5f, 0.5f, 0.375f, 0.25f}));
}

// Forward: x = 2, 4, 0 -> 0.5, 1.25, 0.625. Backward (g = 2x) from the end:
// x = 0 -> 0; 4 -> c 4, h 2; 2 -> c 2 + 2, h 2: by time 2, 2, 0.
TEST(BidirectionalLstmTest, BackwardWalksTimeFromTheEnd) {
  LstmCellSpec bw = LinearCell();
  bw.values[kLstmInputToCell] = {2};
  LstmOptions o = Linear(/*time_major=*/true);
  StepRunner split(testing::BidirectionalLstmModel(LinearCell(), bw, {3, 1, 1}, 1, o));
  ASSERT_TRUE(split.status().ok()) << split.status().message();
  EXPECT_EQ(split.Step<float>(std::vector<float>{2, 4, 0}),
            (std::vector<float>{0.5f, 1.25f, 0.625f}));
  const Tensor* bw_out = split.interpreter().output(1);
  EXPECT_EQ(std::vector<float>(bw_out->data_as<float>(), bw_out->data_as<float>() + 3),
            (std::vector<float>{2, 2, 0}));

  o.merge_outputs = true;
  StepRunner merged(testing::BidirectionalLstmModel(LinearCell(), bw, {3, 1, 1}, 1, o));
  ASSERT_TRUE(merged.status().ok()) << merged.status().message();
  EXPECT_EQ(merged.Step<float>(std::vector<float>{2, 4, 0}),
            (std::vector<float>{0.5f, 2, 1.25f, 2, 0.625f, 0}));
  // The states carry over: the forward cell continues from c = 1.25.
  EXPECT_EQ(merged.Step<float>(std::vector<float>{0, 0, 0})[0], 0.3125f);

  o.merge_outputs = false;
  o.time_major = false;  // one batch row: the same sequence
  StepRunner batch_major(testing::BidirectionalLstmModel(LinearCell(), bw, {1, 3, 1}, 1, o));
  ASSERT_TRUE(batch_major.status().ok()) << batch_major.status().message();
  EXPECT_EQ(batch_major.Step<float>(std::vector<float>{2, 4, 0}),
            (std::vector<float>{0.5f, 1.25f, 0.625f}));
}

TEST(LstmTest, Errors) {
  LstmOptions basic = Linear();
  basic.kernel_type = 1;
  Model m = OneStep(LinearCell(), basic);
  m.operators[0].inputs.resize(5);  // a BASIC LSTM's input count: named, not an arity error
  EXPECT_NE(PrepareError(m).find("kernel_type BASIC"), std::string::npos) << PrepareError(m);

  m = OneStep(LinearCell());
  const int w = m.operators[0].inputs[1 + kLstmInputToForget];
  m.tensors[w].type = DType::kInt8;
  m.buffers[m.tensors[w].buffer] = Buffer::Owned(std::vector<uint8_t>{0});
  EXPECT_NE(PrepareError(m).find(
                "input_to_forget_weights 'input_to_forget_weights' is int8; a float32 LSTM takes "
                "float32 (hybrid: int8 weights need an int8 input_to_output_weights)"),
            std::string::npos)
      << PrepareError(m);

  m = OneStep(LinearCell());
  m.tensors[m.operators[0].inputs[19]].is_variable = false;
  m.inputs.push_back(m.operators[0].inputs[19]);
  EXPECT_NE(PrepareError(m).find("cell_state 'cell_state' must be a variable tensor"),
            std::string::npos);

  m = OneStep(LinearCell());
  m.tensors[m.operators[0].inputs[18]].shape = {2, 1};
  EXPECT_NE(PrepareError(m).find("output_state 'output_state' [2,1] must hold 1 x 1 values"),
            std::string::npos);

  m = OneStep(LinearCell());
  m.operators[0].inputs[1 + kLstmForgetGateBias] = -1;
  EXPECT_NE(PrepareError(m).find("forget_gate_bias (input 13) is missing"), std::string::npos);

  m = OneStep(LinearCell());  // recurrent_to_input without input_to_input
  m.operators[0].inputs[1 + kLstmInputToInput] = -1;
  EXPECT_NE(PrepareError(m).find("both present or both absent (CIFG)"), std::string::npos);

  LstmCellSpec peephole = LinearCell();
  peephole.peephole = true;
  m = OneStep(peephole);
  m.operators[0].inputs[1 + kLstmCellToOutput] = -1;
  EXPECT_NE(PrepareError(m).find("all present or all absent"), std::string::npos);

  LstmCellSpec wide = LinearCell();
  wide.n_cell = 2;  // no projection: n_output must be n_cell
  wide.values.clear();
  EXPECT_NE(PrepareError(OneStep(wide)).find("must equal the cell count (2)"), std::string::npos);

  m = OneStep(LinearCell());
  m.tensors[m.operators[0].inputs[1 + kLstmInputToCell]].shape = {1};
  EXPECT_NE(PrepareError(m).find("input_to_cell_weights 'input_to_cell_weights' [1] must be [1,1]"),
            std::string::npos);

  m = OneStep(LinearCell());
  m.operators[0].inputs.resize(19);
  EXPECT_NE(PrepareError(m).find("inputs"), std::string::npos);

  // A rank-2 input for the sequence op.
  EXPECT_NE(PrepareError(LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, LinearCell(), {1, 1}, 1,
                                   Linear()))
                .find("rank"),
            std::string::npos);

  m = testing::BidirectionalLstmModel(LinearCell(), LinearCell(), {1, 1, 1}, 1, Linear(true));
  m.operators[0].inputs[39] = m.operators[0].inputs[0];
  EXPECT_NE(PrepareError(m).find("auxiliary input (input 39) is not supported"), std::string::npos);
  m = testing::BidirectionalLstmModel(LinearCell(), LinearCell(), {1, 1, 1}, 1, Linear(true));
  m.tensors[m.operators[0].inputs[37]].shape = {1, 3};
  EXPECT_NE(PrepareError(m).find("bw_output_state"), std::string::npos);
  LstmCellSpec wider = LinearCell();
  wider.n_cell = wider.n_output = 2;
  wider.values.clear();
  EXPECT_NE(
      PrepareError(testing::BidirectionalLstmModel(LinearCell(), wider, {1, 1, 1}, 1, Linear(true)))
          .find("cells differ in size"),
      std::string::npos);
}

}  // namespace
}  // namespace qlite
