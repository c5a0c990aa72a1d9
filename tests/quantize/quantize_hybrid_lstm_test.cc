// Dynamic-range mode on LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM and
// BIDIRECTIONAL_SEQUENCE_LSTM: as TFLite's converter, the input, recurrent,
// peephole and projection weights (inputs 1-11 and 16, per direction) become
// per-tensor symmetric int8 once each has 1024 values (absent optional ones
// skipped), asymmetric_quantize_inputs is set, and the version is the
// hybrid one (LSTM 4, the sequence ops 3). Biases, layer-norm coefficients
// and states stay float; the model runs close to float.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/quantize/hybrid_test_util.h"
#include "tests/util/lstm_models.h"

namespace qlite {
namespace {

using testing::ExpectHybrid;
using testing::LstmCellSpec;
using testing::QuantizeDynamic;
using testing::SeededValues;

// Seeded values in [-0.5, 0.5), another seed per slot.
std::vector<float> SeededLstmFill(int slot, int64_t count) {
  std::vector<float> v = SeededValues(count, 40 + slot);
  for (float& x : v) x *= 0.5f;
  return v;
}

LstmCellSpec Cell32() {
  LstmCellSpec s;
  s.n_input = 32;
  s.n_cell = 32;
  s.n_output = 32;
  return s;
}

LstmOptions TanhOptions() {
  LstmOptions o;
  o.activation = Activation::kTanh;
  return o;
}

// The op's input indices of the cell's present weight slots, from `first`.
std::vector<int> PresentWeights(const LstmCellSpec& s, int first) {
  std::vector<int> inputs;
  for (int slot = 0; slot < kLstmSlotCount; ++slot) {
    if (testing::LstmWeightSlot(slot) && testing::LstmSlotPresent(s, slot)) {
      inputs.push_back(first + slot);
    }
  }
  return inputs;
}

TEST(QuantizeHybridLstm, LstmStepWithLayerNorm) {
  LstmCellSpec s = Cell32();
  s.layer_norm = true;
  const Model float_model =
      testing::LstmModel(BuiltinOp::kLstm, s, {2, 32}, 2, TanhOptions(), SeededLstmFill);
  const Model q = ExpectHybrid(float_model, 4, PresentWeights(s, 1), 2 * 32);
  ASSERT_FALSE(q.operators.empty());
  const OperatorDef& op = q.operators[0];
  EXPECT_TRUE(std::any_cast<LstmOptions>(op.options).asymmetric_quantize_inputs);
  for (int i : {12, 13, 14, 15, 20, 21, 22, 23}) {  // gate biases, layer-norm coefficients
    EXPECT_EQ(q.tensors[op.inputs[i]].type, DType::kFloat32) << i;
  }
}

// CIFG (no input gate weights: skipped) with projection weights [32, 32].
TEST(QuantizeHybridLstm, SequenceLstmCifgWithProjection) {
  LstmCellSpec s = Cell32();
  s.cifg = true;
  s.projection = true;
  LstmOptions o = TanhOptions();
  o.time_major = true;
  const Model float_model = testing::LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, s,
                                               {3, 2, 32}, 2, o, SeededLstmFill);
  const std::vector<int> weights = PresentWeights(s, 1);
  EXPECT_EQ(weights, (std::vector<int>{2, 3, 4, 6, 7, 8, 16}));
  const Model q = ExpectHybrid(float_model, 3, weights, 3 * 2 * 32);
  ASSERT_FALSE(q.operators.empty());
  EXPECT_EQ(q.operators[0].inputs[1], -1);
  EXPECT_TRUE(std::any_cast<LstmOptions>(q.operators[0].options).asymmetric_quantize_inputs);
}

// Batch-major, merged outputs: the forward (1-8) and backward (18-25) weights.
TEST(QuantizeHybridLstm, BidirectionalLstmBothCells) {
  const LstmCellSpec s = Cell32();
  LstmOptions o = TanhOptions();
  o.merge_outputs = true;
  const Model float_model = testing::BidirectionalLstmModel(s, s, {2, 3, 32}, 2, o, SeededLstmFill);
  std::vector<int> weights = PresentWeights(s, 1);
  for (int i : PresentWeights(s, 18)) weights.push_back(i);
  const Model q = ExpectHybrid(float_model, 3, weights, 2 * 3 * 32);
  ASSERT_FALSE(q.operators.empty());
  EXPECT_TRUE(std::any_cast<LstmOptions>(q.operators[0].options).asymmetric_quantize_inputs);
}

// Keeps op 0 float in dynamic-range mode and returns why.
std::string WhyFloat(const Model& float_model) {
  Model q;
  QuantizeReport report;
  const Status s = QuantizeDynamic(float_model, &q, &report);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.quantized_ops, 0);
  if (!s.ok() || report.ops.empty() || q.operators.empty()) return "";
  for (int32_t t : q.operators[0].inputs) {
    if (t >= 0) {
      EXPECT_NE(q.tensors[t].type, DType::kInt8) << q.tensors[t].name;
    }
  }
  return report.ops[0].result;
}

// 32 peephole weights are under TFLite's 1024 threshold: the hybrid kernel
// needs them int8 with the others, so every weight stays float.
TEST(QuantizeHybridLstm, SmallPeepholeWeightsKeepTheOpFloat) {
  LstmCellSpec s = Cell32();
  s.peephole = true;
  const std::string why = WhyFloat(testing::LstmModel(
      BuiltinOp::kUnidirectionalSequenceLstm, s, {3, 1, 32}, 1, TanhOptions(), SeededLstmFill));
  EXPECT_NE(why.find("input 9 has fewer than 1024 elements"), std::string::npos) << why;
}

// TFLite's converter makes only the full LSTM kernel hybrid.
TEST(QuantizeHybridLstm, BasicKernelLstmStaysFloat) {
  LstmOptions o = TanhOptions();
  o.kernel_type = 1;
  const std::string why =
      WhyFloat(testing::LstmModel(BuiltinOp::kLstm, Cell32(), {1, 32}, 1, o, SeededLstmFill));
  EXPECT_NE(why.find("kernel_type BASIC"), std::string::npos) << why;
}

}  // namespace
}  // namespace qlite
