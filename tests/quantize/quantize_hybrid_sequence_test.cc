// Dynamic-range mode on SVDF and the RNN family: as TFLite's converter, their
// weights (SVDF: feature and time weights; RNN: weights and recurrent
// weights, per direction) become per-tensor symmetric int8 once each has
// 1024 values, asymmetric_quantize_inputs is set, the version is the hybrid
// one (SVDF 4, RNN ops 3), and the model runs on the hybrid kernels close to
// float. Smaller weights stay float, all of an op's together.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "quantize/quantizer.h"
#include "tests/quantize/hybrid_test_util.h"
#include "tests/util/rnn_models.h"

namespace qlite {
namespace {

using testing::ExpectHybrid;
using testing::QuantizeDynamic;
using testing::SeededValues;

// SVDF with `filters` filters of `input_size` features and `memory` steps.
Model FloatSvdf(int input_size, int filters, int memory) {
  ModelBuilder b;
  const int in = b.AddTensor("x", DType::kFloat32, {1, input_size});
  const int wf = b.AddConstant("weights_feature", DType::kFloat32, {filters, input_size},
                               SeededValues(int64_t{filters} * input_size, 1));
  const int wt = b.AddConstant("weights_time", DType::kFloat32, {filters, memory},
                               SeededValues(int64_t{filters} * memory, 2));
  const int bias = b.AddConstant("bias", DType::kFloat32, {filters}, SeededValues(filters, 3));
  const int state = b.AddVariable("state", DType::kFloat32, {1, filters * memory});
  const int out = b.AddTensor("y", DType::kFloat32, {1, filters});
  SvdfOptions o;
  o.rank = 1;
  o.activation = Activation::kRelu;
  b.AddOperator(BuiltinOp::kSvdf, {in, wf, wt, bias, state}, {out}, o, 1);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Model FloatSequenceRnn(int time, int input_size, int units) {
  ModelBuilder b;
  std::vector<int32_t> inputs = {b.AddTensor("x", DType::kFloat32, {time, 1, input_size})};
  for (int32_t t : testing::AddSeededRnnWeights(b, "", input_size, units, 4)) inputs.push_back(t);
  inputs.push_back(b.AddVariable("hidden_state", DType::kFloat32, {1, units}));
  const int out = b.AddTensor("y", DType::kFloat32, {time, 1, units});
  RnnOptions o;
  o.time_major = true;
  o.activation = Activation::kTanh;
  b.AddOperator(BuiltinOp::kUnidirectionalSequenceRnn, inputs, {out}, o, 1);
  b.SetInputs({inputs[0]});
  b.SetOutputs({out});
  return b.Build();
}

TEST(QuantizeHybridSequence, SvdfWeightsBecomePerTensorInt8) {
  // 1024 feature and time weights.
  const Model q = ExpectHybrid(FloatSvdf(16, 64, 16), 4, {1, 2}, 16);
  ASSERT_FALSE(q.operators.empty());
  const OperatorDef& op = q.operators[0];
  EXPECT_TRUE(std::any_cast<SvdfOptions>(op.options).asymmetric_quantize_inputs);
  EXPECT_EQ(q.tensors[op.inputs[3]].type, DType::kFloat32);  // bias
}

TEST(QuantizeHybridSequence, SequenceRnnWeightsBecomePerTensorInt8) {
  // 1024 weights and 1024 recurrent weights.
  const Model q = ExpectHybrid(FloatSequenceRnn(3, 32, 32), 3, {1, 2}, 3 * 32);
  ASSERT_FALSE(q.operators.empty());
  EXPECT_TRUE(std::any_cast<RnnOptions>(q.operators[0].options).asymmetric_quantize_inputs);
}

TEST(QuantizeHybridSequence, RnnWeightsBecomePerTensorInt8) {
  const Model q =
      ExpectHybrid(testing::FloatRnnModel(2, 32, 32, Activation::kTanh), 3, {1, 2}, 2 * 32);
  ASSERT_FALSE(q.operators.empty());
  EXPECT_TRUE(std::any_cast<RnnOptions>(q.operators[0].options).asymmetric_quantize_inputs);
  EXPECT_EQ(q.tensors[q.operators[0].inputs[3]].type, DType::kFloat32);  // bias
}

// Both directions' weights; the biases and hidden states stay float.
TEST(QuantizeHybridSequence, BidirectionalRnnWeightsBecomePerTensorInt8) {
  const Model q =
      ExpectHybrid(testing::FloatBidirectionalRnnModel({2, 3, 32}, false, 32, Activation::kTanh), 3,
                   {1, 2, 5, 6}, 2 * 3 * 32);
  ASSERT_FALSE(q.operators.empty());
  const OperatorDef& op = q.operators[0];
  EXPECT_TRUE(
      std::any_cast<BidirectionalSequenceRnnOptions>(op.options).asymmetric_quantize_inputs);
  for (int i : {3, 4, 7, 8}) EXPECT_EQ(q.tensors[op.inputs[i]].type, DType::kFloat32) << i;
}

// 64 x 8 time weights: under the threshold, so the feature weights stay
// float too (a hybrid SVDF reads both as int8).
TEST(QuantizeHybridSequence, SmallWeightsKeepTheOpFloat) {
  const Model float_model = FloatSvdf(16, 64, 8);
  Model q;
  QuantizeReport report;
  const Status s = QuantizeDynamic(float_model, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.quantized_ops, 0);
  ASSERT_FALSE(report.ops.empty());
  EXPECT_NE(report.ops[0].result.find("input 2 has fewer than 1024 elements"), std::string::npos)
      << report.ops[0].result;
  EXPECT_EQ(q.tensors[q.operators[0].inputs[1]].type, DType::kFloat32);
}

// A time-major BIDIRECTIONAL_SEQUENCE_RNN [3 steps, 2 rows, 32 features] of
// 32 units where only unit 0 reads only feature 0: forward h' = 1 + 2 x +
// 0.5 h, backward h' = x + h (activation none). The quantized weights (127
// on the diagonal's first entry, scale w / 127) and every input and state row
// (one non-zero value, the end of its own asymmetric range) are exact.
Model FloatTimeMajorBidirectionalRnn() {
  constexpr int kUnits = 32, kBatch = 2;
  ModelBuilder b;
  const int in = b.AddTensor("x", DType::kFloat32, {3, kBatch, kUnits});
  std::vector<int32_t> inputs = {in};
  for (const char* dir : {"fw_", "bw_"}) {
    const bool fw = dir[0] == 'f';
    const std::string d = dir;
    std::vector<float> w(kUnits * kUnits, 0.0f), r(kUnits * kUnits, 0.0f), bias(kUnits, 0.0f);
    w[0] = fw ? 2.0f : 1.0f;
    r[0] = fw ? 0.5f : 1.0f;
    bias[0] = fw ? 1.0f : 0.0f;
    inputs.push_back(b.AddConstant(d + "weights", DType::kFloat32, {kUnits, kUnits}, w));
    inputs.push_back(b.AddConstant(d + "recurrent_weights", DType::kFloat32, {kUnits, kUnits}, r));
    inputs.push_back(b.AddConstant(d + "bias", DType::kFloat32, {kUnits}, bias));
    inputs.push_back(b.AddVariable(d + "hidden_state", DType::kFloat32, {kBatch, kUnits}));
  }
  inputs.resize(12, -1);
  const int out = b.AddTensor("y", DType::kFloat32, {3, kBatch, 2 * kUnits});
  BidirectionalSequenceRnnOptions o;
  o.time_major = true;
  o.merge_outputs = true;
  b.AddOperator(BuiltinOp::kBidirectionalSequenceRnn, inputs, {out}, o, 1);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

// The hybrid form of the model above runs TFLite's time-major kernel, which
// repeats both directions once per time step, each pass from the states the
// last one left (the float kernel makes one pass). Row 0, x = 1, 2, 0:
// forward passes 3, 6.5, 4.25 | 5.125, 7.5625, 4.78125 | 5.390625,
// 7.6953125, 4.84765625; backward (by time) 3, 2, 0 | 6, 5, 3 | 9, 8, 6.
// Row 1, x = 0, 1, -2: forward 1, 3.5, -1.25 | 0.375, 3.1875, -1.40625 |
// 0.296875, 3.1484375, -1.42578125; backward -1, -1, -2 | -2, -2, -3 |
// -3, -3, -4. Every other unit stays 0. (tfjs-tflite reads past a null
// zero-point pointer on such an op with symmetric inputs; with the
// asymmetric inputs the quantizer writes it agrees with qlite, which
// web/test/stateful-tfjs.test.mjs checks on a seeded model.)
TEST(QuantizeHybridSequence, TimeMajorBidirectionalRnnBatchOfTwo) {
  const Model float_model = FloatTimeMajorBidirectionalRnn();
  Model q;
  QuantizeReport report;
  const Status s = QuantizeDynamic(float_model, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(report.quantized_ops, 1);
  EXPECT_EQ(q.operators[0].version, 3);
  testing::ExpectPerTensorInt8(q, float_model, {1, 2, 5, 6});

  std::vector<float> x(3 * 2 * 32, 0.0f);
  const float row0[] = {1, 2, 0}, row1[] = {0, 1, -2};
  for (int t = 0; t < 3; ++t) {
    x[(t * 2 + 0) * 32] = row0[t];
    x[(t * 2 + 1) * 32] = row1[t];
  }
  const float fw[2][3] = {{5.390625f, 7.6953125f, 4.84765625f},
                          {0.296875f, 3.1484375f, -1.42578125f}};
  const float bw[2][3] = {{9, 8, 6}, {-3, -3, -4}};
  testing::StepRunner hybrid(q);
  ASSERT_TRUE(hybrid.status().ok()) << hybrid.status().message();
  const std::vector<float> got = hybrid.Step<float>(x);
  ASSERT_EQ(got.size(), 3u * 2 * 64);
  for (int t = 0; t < 3; ++t) {
    for (int row = 0; row < 2; ++row) {
      for (int unit = 0; unit < 64; ++unit) {
        const float want = unit == 0 ? fw[row][t] : unit == 32 ? bw[row][t] : 0.0f;
        EXPECT_NEAR(got[(t * 2 + row) * 64 + unit], want, 1e-5f * (1 + std::fabs(want)))
            << "t " << t << " row " << row << " unit " << unit;
      }
    }
  }
}

}  // namespace
}  // namespace qlite
