// Shared checks of the dynamic-range quantizer's hybrid sequence ops: quantize
// with --mode dynamic, the weights' per-tensor int8 form, and stepping the
// hybrid model beside the float one.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "quantize/quantizer.h"
#include "tests/util/lstm_models.h"
#include "tests/util/step_runner.h"

namespace qlite::testing {

inline Status QuantizeDynamic(const Model& model, Model* out, QuantizeReport* report) {
  QuantizeOptions options;
  options.mode = QuantMode::kDynamic;
  options.allow_float = true;
  return QuantizeModel(model, {}, options, out, report);
}

// Inputs `inputs` of op 0 are int8 with one scale, max|w| / 127 (zero point 0).
inline void ExpectPerTensorInt8(const Model& model, const Model& float_model,
                                const std::vector<int>& inputs) {
  for (int i : inputs) {
    const TensorDef& t = model.tensors[model.operators[0].inputs[i]];
    EXPECT_EQ(t.type, DType::kInt8) << i << " " << t.name;
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

// Hybrid vs float over 4 steps of seeded inputs of `values` values.
inline void ExpectCloseToFloat(const Model& float_model, const Model& hybrid_model, int values,
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
// per-tensor int8 `weights`, and outputs near float over `input_values` inputs.
inline Model ExpectHybrid(const Model& float_model, int version, const std::vector<int>& weights,
                          int input_values) {
  Model q;
  QuantizeReport report;
  const Status s = QuantizeDynamic(float_model, &q, &report);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.quantized_ops, 1);
  if (!s.ok() || q.operators.empty()) return q;
  EXPECT_EQ(q.operators[0].version, version);
  ExpectPerTensorInt8(q, float_model, weights);
  ExpectCloseToFloat(float_model, q, input_values, 0.05f);
  return q;
}

}  // namespace qlite::testing
