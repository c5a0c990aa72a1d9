// Dynamic-range mode on SVDF and UNIDIRECTIONAL_SEQUENCE_RNN: as TFLite's
// converter, their weights (SVDF: feature and time weights; RNN: weights and
// recurrent weights) become per-tensor symmetric int8 once each has 1024
// values, asymmetric_quantize_inputs is set, the version is the hybrid one
// (SVDF 4, RNN 3), and the model runs on the hybrid kernels close to float.
// Smaller weights stay float, all of an op's together.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "quantize/quantizer.h"
#include "tests/util/lstm_models.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::SeededValues;
using testing::StepRunner;

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
  const int in = b.AddTensor("x", DType::kFloat32, {time, 1, input_size});
  const int w = b.AddConstant("weights", DType::kFloat32, {units, input_size},
                              SeededValues(int64_t{units} * input_size, 4));
  std::vector<float> recurrent = SeededValues(int64_t{units} * units, 5);
  for (float& v : recurrent) v *= 0.1f;  // a contracting recurrence
  const int r = b.AddConstant("recurrent_weights", DType::kFloat32, {units, units}, recurrent);
  const int bias = b.AddConstant("bias", DType::kFloat32, {units}, SeededValues(units, 6));
  const int hidden = b.AddVariable("hidden_state", DType::kFloat32, {1, units});
  const int out = b.AddTensor("y", DType::kFloat32, {time, 1, units});
  RnnOptions o;
  o.time_major = true;
  o.activation = Activation::kTanh;
  b.AddOperator(BuiltinOp::kUnidirectionalSequenceRnn, {in, w, r, bias, hidden}, {out}, o, 1);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

Status QuantizeDynamic(const Model& model, Model* out, QuantizeReport* report) {
  QuantizeOptions options;
  options.mode = QuantMode::kDynamic;
  options.allow_float = true;
  return QuantizeModel(model, {}, options, out, report);
}

// Both weights of the op are int8 with one scale, max|w| / 127 (zero point 0).
void ExpectPerTensorInt8(const Model& model, const OperatorDef& op, const Model& float_model) {
  for (int i : {1, 2}) {
    const TensorDef& t = model.tensors[op.inputs[i]];
    EXPECT_EQ(t.type, DType::kInt8) << t.name;
    ASSERT_EQ(t.quant.scale.size(), 1u) << t.name;
    EXPECT_EQ(t.quant.zero_point[0], 0);
    const int f = float_model.operators[0].inputs[i];
    const float* values = reinterpret_cast<const float*>(float_model.constant_data(f).data);
    float range = 0.0f;
    for (int64_t k = 0; k < static_cast<int64_t>(float_model.constant_data(f).size / 4); ++k) {
      range = std::max(range, std::fabs(values[k]));
    }
    EXPECT_FLOAT_EQ(t.quant.scale[0], range / 127.0f) << t.name;
  }
}

// Hybrid vs float over `steps` steps of seeded inputs.
void ExpectCloseToFloat(const Model& float_model, const Model& hybrid_model, int values,
                        float tolerance) {
  StepRunner reference(float_model), hybrid(hybrid_model);
  ASSERT_TRUE(reference.status().ok()) << reference.status().message();
  ASSERT_TRUE(hybrid.status().ok()) << hybrid.status().message();
  for (uint32_t step = 0; step < 4; ++step) {
    const std::vector<float> x = SeededValues(values, 20 + step);
    const std::vector<float> want = reference.Step<float>(x);
    const std::vector<float> got = hybrid.Step<float>(x);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_NEAR(got[i], want[i], tolerance * (1 + std::fabs(want[i]))) << step << " " << i;
    }
  }
}

// Quantizes `float_model` (one op) and checks the op became hybrid: version,
// per-tensor int8 weights, and outputs near float over `input_values` inputs.
Model ExpectHybrid(const Model& float_model, int version, int input_values) {
  Model q;
  QuantizeReport report;
  const Status s = QuantizeDynamic(float_model, &q, &report);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.quantized_ops, 1);
  if (!s.ok()) return q;
  EXPECT_EQ(q.operators[0].version, version);
  ExpectPerTensorInt8(q, q.operators[0], float_model);
  ExpectCloseToFloat(float_model, q, input_values, 0.05f);
  return q;
}

TEST(QuantizeHybridSequence, SvdfWeightsBecomePerTensorInt8) {
  // 1024 feature and time weights.
  const Model q = ExpectHybrid(FloatSvdf(16, 64, 16), 4, 16);
  ASSERT_FALSE(q.operators.empty());
  const OperatorDef& op = q.operators[0];
  EXPECT_TRUE(std::any_cast<SvdfOptions>(op.options).asymmetric_quantize_inputs);
  EXPECT_EQ(q.tensors[op.inputs[3]].type, DType::kFloat32);  // bias
}

TEST(QuantizeHybridSequence, SequenceRnnWeightsBecomePerTensorInt8) {
  // 1024 weights and 1024 recurrent weights.
  const Model q = ExpectHybrid(FloatSequenceRnn(3, 32, 32), 3, 3 * 32);
  ASSERT_FALSE(q.operators.empty());
  EXPECT_TRUE(std::any_cast<RnnOptions>(q.operators[0].options).asymmetric_quantize_inputs);
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

}  // namespace
}  // namespace qlite
