// Integer LSTM / UNIDIRECTIONAL_SEQUENCE_LSTM (TFLite's 8x8_16 kernel),
// values worked out by hand. Scales are chosen so that the gates sit at
// points whose fixed-point values are known (see logistic_tanh_test.cc):
// a pre-activation of 0 gives sigmoid 16384 (0.5) and tanh 0; a saturated
// one (int16 limits, Q3.12 = +-8) gives sigmoid 32756 / 11 and tanh
// +-32767; tanh of 0.5 and 1.0 is 15136 and 24964 (as a Q4.11 cell state
// too: the same exp steps). The cell gate is x through input_to_cell
// weight 127 with effective scale 16: g saturates for |x - zp| >= 17.
// With cell scale 2^-11, i = 0.5 and g = +-1 add +-1024 (0.5) to c; the
// hidden value o * tanh(c) is requantized with 2^-30 / 2^-7: 0.5 * tanh(0.5)
// -> 30, 0.5 * tanh(1.0) -> 49.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/util/lstm_models.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::IntegerLstmModel;
using testing::LstmIntegerSpec;
using testing::StepRunner;

constexpr int kForgetBias = 32767;  // effective scale 1: f = sigmoid(7.9998) = 32756

LstmIntegerSpec CellGateSpec(int n_cell = 1) {
  LstmIntegerSpec q;
  q.cell.n_input = 1;
  q.cell.n_cell = q.cell.n_output = n_cell;
  q.input_zp = 1;
  q.raw[kLstmInputToCell] = std::vector<int32_t>(n_cell, 127);
  q.scales[kLstmInputToCell] = 1.0f / 16;  // 2^-4 * 2^-4 / 2^-12 = 16
  return q;
}

LstmOptions Options(bool time_major = true, float cell_clip = 0, float proj_clip = 0) {
  LstmOptions o;
  o.time_major = time_major;
  o.cell_clip = cell_clip;
  o.proj_clip = proj_clip;
  return o;
}

Model OneStep(const LstmIntegerSpec& q, const LstmOptions& o = Options()) {
  return IntegerLstmModel(BuiltinOp::kLstm, q, {1, q.cell.n_input}, 1, o);
}

std::vector<int16_t> CellState(StepRunner& run) {
  for (const Tensor& t : run.interpreter().tensors()) {
    if (t.name() == std::string("cell_state")) {
      const int16_t* c = t.data_as<int16_t>();
      return std::vector<int16_t>(c, c + t.num_elements());
    }
  }
  return {};
}

std::string PrepareError(const Model& model) {
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
  return s.ok() ? std::string("ok") : s.message();
}

using I8 = std::vector<int8_t>;
using I16 = std::vector<int16_t>;

// f = 32756 keeps c: 1024 -> 2048 -> 2047 (32756 * 2048 / 32768 = 2047.25)
// -> 2046 - 1024 = 1022. h: 30, 49, 0.5 * tanh(0.9995) * 128 = 48.7 -> 49,
// 0.5 * tanh(0.499) * 128 = 29.5 -> 30 (a little above 29.5).
TEST(LstmIntegerTest, StateCarriesOverStepsAndResets) {
  LstmIntegerSpec q = CellGateSpec();
  q.raw[kLstmForgetGateBias] = {kForgetBias};
  StepRunner run(OneStep(q));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{30});
  EXPECT_EQ(CellState(run), I16{1024});
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{49});
  EXPECT_EQ(CellState(run), I16{2048});
  EXPECT_EQ(run.Step<int8_t>(I8{1}), I8{49});
  EXPECT_EQ(CellState(run), I16{2047});
  EXPECT_EQ(run.Step<int8_t>(I8{-16}), I8{30});
  EXPECT_EQ(CellState(run), I16{1022});
  ASSERT_TRUE(run.interpreter().ResetVariables().ok());
  EXPECT_EQ(CellState(run), I16{0});
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{30});
  EXPECT_EQ(CellState(run), I16{1024});
}

// Cell scale 2^-15: i * g adds 16384; with f = 32756 c goes 16384, 32762,
// then 32750 + 16384 saturates at 32767 and stays there. tanh(1.0) in Q0.15
// gives h = 49; a cell clip of 0.5 holds c at 16384 (h = 0.5 * tanh(0.5) = 30).
TEST(LstmIntegerTest, CellStateSaturatesAtInt16AndClips) {
  LstmIntegerSpec q = CellGateSpec();
  q.raw[kLstmForgetGateBias] = {kForgetBias};
  q.cell_scale = 1.0f / 32768;
  StepRunner run(OneStep(q));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  run.Step<int8_t>(I8{18});
  EXPECT_EQ(CellState(run), I16{16384});
  run.Step<int8_t>(I8{18});
  EXPECT_EQ(CellState(run), I16{32762});
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{49});
  EXPECT_EQ(CellState(run), I16{32767});
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{49});
  EXPECT_EQ(CellState(run), I16{32767});

  StepRunner clipped(OneStep(q, Options(true, 0.5f)));
  ASSERT_TRUE(clipped.status().ok()) << clipped.status().message();
  for (int step = 0; step < 3; ++step) {
    EXPECT_EQ(clipped.Step<int8_t>(I8{18}), I8{30});
    EXPECT_EQ(CellState(clipped), I16{16384});
  }
  // Negative saturation: g = -1 adds -16384 each step.
  StepRunner negative(OneStep(q));
  for (int step = 0; step < 3; ++step) negative.Step<int8_t>(I8{-16});
  EXPECT_EQ(CellState(negative), I16{-32768});
}

// CIFG: i = 1 - f. With f = sigmoid(-8) = 11, 1 - f = 32756 and i * g =
// 32756 * 32767 / 2^19 = 2047.2 -> 2047; f * c = 11 * 2047 / 32768 = 0.7 -> 1.
TEST(LstmIntegerTest, CifgCouplesInputAndForgetGates) {
  LstmIntegerSpec q = CellGateSpec();
  q.cell.cifg = true;
  q.raw[kLstmForgetGateBias] = {-32768};
  StepRunner run(OneStep(q));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{49});  // 0.5 * tanh(0.9995)
  EXPECT_EQ(CellState(run), I16{2047});
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{49});
  EXPECT_EQ(CellState(run), I16{2048});
  EXPECT_EQ(run.Step<int8_t>(I8{1}), I8{0});  // c = 1: tanh is 0 after rounding
  EXPECT_EQ(CellState(run), I16{1});
}

// Peephole weights (int16, scale 2^-10: effective 2^-11 * 2^-10 / 2^-12 =
// 2^-9). The output gate reads the new c: -32768 * 1024 / 512 saturates it
// to sigmoid(-8) = 11, so h = 0. The forget gate reads the old c: 0 on the
// first step (f = 0.5), then 32767 * 1024 / 512 saturates it (f = 32756).
TEST(LstmIntegerTest, PeepholeReadsOldCellForForgetNewCellForOutput) {
  LstmIntegerSpec q = CellGateSpec();
  q.cell.peephole = true;
  q.raw[kLstmCellToForget] = {32767};
  q.raw[kLstmCellToOutput] = {-32768};
  StepRunner run(OneStep(q));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{0});
  EXPECT_EQ(CellState(run), I16{1024});
  EXPECT_EQ(run.Step<int8_t>(I8{18}), I8{0});
  EXPECT_EQ(CellState(run), I16{2048});  // f = 0.5 would give 1536
}

// Projection [2, 1], weights 127 and -64 (scale 2^-6: effective 2^-6),
// output = round(w * 30 / 64): 59.5 -> 60 and -30. A hidden zero point of 5
// (hidden stored as 25) is undone by the projection's zero-point bias; the
// output state's zero point 3 is added. proj_clip 0.25 (32 quantized) clips
// the raw values.
TEST(LstmIntegerTest, ProjectionZeroPointsAndClip) {
  LstmIntegerSpec q = CellGateSpec();
  q.cell.n_output = 2;
  q.cell.projection = true;
  q.raw[kLstmProjectionWeights] = {127, -64};
  q.scales[kLstmProjectionWeights] = 1.0f / 64;
  {
    StepRunner run(OneStep(q, Options(true, 0, 0.25f)));
    ASSERT_TRUE(run.status().ok()) << run.status().message();
    EXPECT_EQ(run.Step<int8_t>(I8{18}), (I8{32, -30}));
  }
  q.hidden_zp = 5;
  q.state_zp = 3;
  StepRunner run(OneStep(q));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<int8_t>(I8{18}), (I8{63, -27}));
  // A projection bias of 64 adds 1 to each output.
  q.cell.projection_bias = true;
  q.raw[kLstmProjectionBias] = {64, 64};
  StepRunner biased(OneStep(q));
  ASSERT_TRUE(biased.status().ok()) << biased.status().message();
  EXPECT_EQ(biased.Step<int8_t>(I8{18}), (I8{64, -26}));
}

// Layer norm over 2 cells whose cell-gate pre-activations are +v and -v:
// normalized to +-1, times coefficient 16 (16384 at 2^-10) saturates the
// gate (tanh +-32767). All-zero gates (variance 0: the variance guard)
// normalize to 0 plus a zero bias: sigmoid 0.5. c: +-1024, then with x at
// the zero point the cell gate is 0: +-512, then +-(256 + 1024).
TEST(LstmIntegerTest, LayerNormNormalizesEachGate) {
  LstmIntegerSpec q = CellGateSpec(2);
  q.cell.layer_norm = true;
  q.raw[kLstmInputToCell] = {127, -127};
  q.raw[testing::kLstmLayerNorm + 0] = {0, 0};
  q.raw[testing::kLstmLayerNorm + 1] = {0, 0};
  q.raw[testing::kLstmLayerNorm + 2] = {16384, 16384};
  q.raw[testing::kLstmLayerNorm + 3] = {0, 0};
  StepRunner run(IntegerLstmModel(BuiltinOp::kLstm, q, {1, 1}, 1, Options()));
  ASSERT_TRUE(run.status().ok()) << run.status().message();
  EXPECT_EQ(run.Step<int8_t>(I8{18}), (I8{30, -30}));
  EXPECT_EQ(CellState(run), (I16{1024, -1024}));
  EXPECT_EQ(run.Step<int8_t>(I8{1}), (I8{16, -16}));  // 0.5 * tanh(0.25) * 128 = 15.7
  EXPECT_EQ(CellState(run), (I16{512, -512}));
  run.Step<int8_t>(I8{5});  // |x - zp| = 4: still saturated after the norm
  EXPECT_EQ(CellState(run), (I16{1280, -1280}));
}

// Two batch rows over two steps, time-major and batch-major: each row keeps
// its own state. Row 0: x 18, 18 -> c 1024, 2048 -> h 30, 49. Row 1: x 1,
// -16 -> c 0, -1024 -> h 0, -30.
TEST(LstmIntegerTest, TimeMajorAndBatchMajorKeepRowsApart) {
  LstmIntegerSpec q = CellGateSpec();
  q.raw[kLstmForgetGateBias] = {kForgetBias};
  StepRunner time_major(
      IntegerLstmModel(BuiltinOp::kUnidirectionalSequenceLstm, q, {2, 2, 1}, 2, Options(true)));
  ASSERT_TRUE(time_major.status().ok()) << time_major.status().message();
  EXPECT_EQ(time_major.Step<int8_t>(I8{18, 1, 18, -16}), (I8{30, 0, 49, -30}));
  StepRunner batch_major(
      IntegerLstmModel(BuiltinOp::kUnidirectionalSequenceLstm, q, {2, 2, 1}, 2, Options(false)));
  ASSERT_TRUE(batch_major.status().ok()) << batch_major.status().message();
  EXPECT_EQ(batch_major.Step<int8_t>(I8{18, 18, 1, -16}), (I8{30, 49, 0, -30}));
  EXPECT_EQ(CellState(batch_major), (I16{2048, -1024}));
}

TEST(LstmIntegerTest, Errors) {
  LstmIntegerSpec q = CellGateSpec();
  q.intermediates = 0;
  EXPECT_NE(PrepareError(OneStep(q)).find("needs 5 intermediate tensors"), std::string::npos);
  q.intermediates = 12;
  EXPECT_NE(PrepareError(OneStep(q)).find("8x8_8"), std::string::npos);
  q.intermediates = 5;
  q.cell_scale = 1.0f / 3000;
  EXPECT_NE(PrepareError(OneStep(q)).find("not a power of two"), std::string::npos);
  q.cell_scale = 1.0f / 256;
  EXPECT_NE(PrepareError(OneStep(q)).find("at most 2^-9"), std::string::npos);
  q.cell_scale = 1.0f / 65536;
  EXPECT_NE(PrepareError(OneStep(q)).find("below 2^-15"), std::string::npos);
  q.cell_scale = 1.0f / 2048;

  Model wrong_state = OneStep(q);
  for (TensorDef& t : wrong_state.tensors) {
    if (t.name == "cell_state") t.type = DType::kInt8;
  }
  EXPECT_NE(PrepareError(wrong_state).find("cell_state 'cell_state' is int8; an integer LSTM"),
            std::string::npos)
      << PrepareError(wrong_state);
  Model float_output = OneStep(q);
  for (TensorDef& t : float_output.tensors) {
    if (t.name == "y") t.type = DType::kFloat32;
  }
  EXPECT_NE(PrepareError(float_output), "ok");
  Model no_hidden_quant = OneStep(q);
  for (TensorDef& t : no_hidden_quant.tensors) {
    if (t.name == "hidden") t.quant = {};
  }
  EXPECT_NE(PrepareError(no_hidden_quant).find("no quantization"), std::string::npos);
  // A float32 model's weights with an int8 input: the dtypes name the kernel.
  testing::LstmCellSpec float_cell;
  Model mixed = testing::LstmModel(BuiltinOp::kLstm, float_cell, {1, 1}, 1, Options());
  mixed.tensors[mixed.inputs[0]].type = DType::kInt8;
  mixed.tensors[mixed.inputs[0]].quant = PerTensor(0.5f, 0);
  EXPECT_NE(PrepareError(mixed).find("an integer LSTM (int8 input) takes int8"), std::string::npos)
      << PrepareError(mixed);
  // No integer BIDIRECTIONAL_SEQUENCE_LSTM in TFLite.
  Model bidirectional =
      testing::BidirectionalLstmModel(float_cell, float_cell, {1, 1, 1}, 1, Options());
  bidirectional.tensors[bidirectional.inputs[0]].type = DType::kInt8;
  EXPECT_NE(PrepareError(bidirectional).find("input"), std::string::npos);
}

}  // namespace
}  // namespace qlite
