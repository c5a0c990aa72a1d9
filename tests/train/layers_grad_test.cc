// Every trainer layer's backward pass against central finite differences of
// a random linear function of its output, L = sum r[i] * out[i] (accumulated
// in double so the differences are not lost in float rounding).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "train/fake_quant.h"
#include "train/layers.h"
#include "train/random.h"

namespace qlite::train {
namespace {

std::vector<float> RandomVector(size_t n, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = rng.Uniform(lo, hi);
  return v;
}

struct GradCheck {
  Layer* layer;
  std::vector<float> input, weights;  // weights of L
  PassInfo info;
  std::vector<float> scratch;

  double Loss() {
    std::vector<float> out(layer->out_dims().size());
    layer->Forward(input.data(), out.data(), scratch.data(), info);
    double loss = 0;
    for (size_t i = 0; i < out.size(); ++i) loss += static_cast<double>(weights[i]) * out[i];
    return loss;
  }

  // Compares dL/dinput and dL/dparams with finite differences of step `eps`.
  void Run(float eps, double tolerance) {
    scratch.assign(layer->scratch_floats() + 1, 0.0f);
    weights = RandomVector(layer->out_dims().size(), 77);
    std::vector<float> out(layer->out_dims().size());
    layer->Forward(input.data(), out.data(), scratch.data(), info);
    std::vector<float> din(input.size(), 123.0f), grad(layer->params().size(), 0.0f);
    layer->Backward(input.data(), out.data(), weights.data(), din.data(), grad.data(),
                    scratch.data(), info);
    for (size_t i = 0; i < input.size(); ++i) {
      const float saved = input[i];
      input[i] = saved + eps;
      const double plus = Loss();
      input[i] = saved - eps;
      const double minus = Loss();
      input[i] = saved;
      const double numeric = (plus - minus) / (2.0 * eps);
      EXPECT_NEAR(din[i], numeric, tolerance * std::max(1.0, std::fabs(numeric))) << "input " << i;
    }
    std::vector<float>& params = layer->params();
    for (size_t j = 0; j < params.size(); ++j) {
      const float saved = params[j];
      params[j] = saved + eps;
      layer->Refresh();
      const double plus = Loss();
      params[j] = saved - eps;
      layer->Refresh();
      const double minus = Loss();
      params[j] = saved;
      layer->Refresh();
      const double numeric = (plus - minus) / (2.0 * eps);
      EXPECT_NEAR(grad[j], numeric, tolerance * std::max(1.0, std::fabs(numeric))) << "param " << j;
    }
  }
};

// Distinct values at least 2/n apart in random order: finite differences
// never swap which input of a pooling window is the largest.
std::vector<float> SpreadInputs(int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = -1.0f + 2.0f * static_cast<float>(i) / static_cast<float>(n);
  Rng(3).Shuffle(&v);
  return v;
}

// Configures `layer` for `in`, gives it random parameters and checks it.
void CheckLayer(Layer* layer, Dims in, PassInfo info = {}, float eps = 1e-3f) {
  Dims out;
  ASSERT_TRUE(layer->Configure(in, &out).ok());
  layer->params() = RandomVector(layer->params().size(), 11, -0.5f, 0.5f);
  layer->Refresh();
  std::vector<float> input =
      layer->kind() == LayerKind::kMaxPool ? SpreadInputs(in.size()) : RandomVector(in.size(), 5);
  GradCheck check{layer, input, {}, info, {}};
  check.Run(eps, 2e-3);
}

TEST(TrainGradients, Conv2DValidLinear) {
  Conv2D conv(3, 3, PadMode::kValid, false);
  CheckLayer(&conv, {2, 6, 5});
  EXPECT_EQ(conv.out_dims().h, 4);
  EXPECT_EQ(conv.out_dims().w, 3);
}

TEST(TrainGradients, Conv2DSameWithRelu) {
  // Enough filters (5) to exercise both the 4-row block and the leftover row,
  // and 7x7 = 49 pixels for the 8-column block and its tail.
  Conv2D conv(5, 5, PadMode::kSame, true);
  CheckLayer(&conv, {2, 7, 7});
  EXPECT_EQ(conv.out_dims().h, 7);
}

TEST(TrainGradients, Conv2DWithOneOutputPixel) {
  // LeNet's last conv: the kernel covers the whole input (dense fast path).
  Conv2D conv(6, 3, PadMode::kValid, true);
  CheckLayer(&conv, {2, 3, 3});
  EXPECT_EQ(conv.out_dims().h * conv.out_dims().w, 1);
}

TEST(TrainGradients, DenseLinearAndRelu) {
  Dense linear(6, false);
  CheckLayer(&linear, {3, 2, 3});
  Dense relu(9, true);
  CheckLayer(&relu, {19, 1, 1});
}

TEST(TrainGradients, MaxPool) {
  MaxPool pool(2);
  CheckLayer(&pool, {2, 6, 6});
  MaxPool odd(2);  // the last row and column belong to no window
  CheckLayer(&odd, {1, 5, 5});
  MaxPool three(3);
  CheckLayer(&three, {2, 6, 6});
}

TEST(TrainGradients, DropoutAndFlatten) {
  Dropout dropout(0.5f);
  PassInfo training{true, 3, 7, 1};
  CheckLayer(&dropout, {4, 3, 3}, training);
  Flatten flatten;
  CheckLayer(&flatten, {2, 3, 3});
}

TEST(TrainGradients, DropoutMaskIsDeterministicAndScaled) {
  Dropout dropout(0.5f);
  Dims out;
  ASSERT_TRUE(dropout.Configure({1, 1, 1000}, &out).ok());
  std::vector<float> in(1000, 1.0f), a(1000), b(1000);
  PassInfo info{true, 9, 4, 2};
  dropout.Forward(in.data(), a.data(), nullptr, info);
  dropout.Forward(in.data(), b.data(), nullptr, info);
  EXPECT_EQ(a, b);
  int kept = 0;
  for (float v : a) {
    EXPECT_TRUE(v == 0.0f || v == 2.0f) << v;
    kept += v != 0.0f;
  }
  EXPECT_GT(kept, 430);
  EXPECT_LT(kept, 570);
  info.training = false;
  dropout.Forward(in.data(), a.data(), nullptr, info);
  EXPECT_EQ(a, in);
}

TEST(TrainGradients, SoftmaxCrossEntropy) {
  std::vector<float> logits = RandomVector(7, 3, -3.0f, 3.0f), dlogits(7);
  const int label = 4;
  const float scale = 0.25f;
  SoftmaxCrossEntropy(logits.data(), 7, label, scale, dlogits.data());
  for (int i = 0; i < 7; ++i) {
    const float saved = logits[i];
    logits[i] = saved + 1e-3f;
    const double plus = SoftmaxCrossEntropy(logits.data(), 7, label, 1.0f, nullptr);
    logits[i] = saved - 1e-3f;
    const double minus = SoftmaxCrossEntropy(logits.data(), 7, label, 1.0f, nullptr);
    logits[i] = saved;
    EXPECT_NEAR(dlogits[i], scale * (plus - minus) / 2e-3, 1e-3) << i;
  }
  // Uniform logits: loss log(n).
  std::vector<float> flat(10, 0.5f);
  EXPECT_NEAR(SoftmaxCrossEntropy(flat.data(), 10, 0, 1.0f, nullptr), std::log(10.0), 1e-6);
}

TEST(TrainGradients, FakeQuantizedWeightsGetStraightThroughGradients) {
  // Under QAT the weight gradient is the gradient w.r.t. the quantized
  // weights (straight-through); check it against differences taken on the
  // quantized weights by comparing with a float layer holding them.
  Conv2D qat(2, 3, PadMode::kValid, true), plain(2, 3, PadMode::kValid, true);
  Dims out;
  ASSERT_TRUE(qat.Configure({1, 5, 5}, &out).ok());
  ASSERT_TRUE(plain.Configure({1, 5, 5}, &out).ok());
  qat.params() = RandomVector(qat.params().size(), 8);
  qat.set_fake_quant_weights(true);
  plain.params() = qat.params();
  const size_t nw = 2 * 9;
  std::copy(qat.effective_weights(), qat.effective_weights() + nw, plain.params().begin());
  std::vector<float> in = RandomVector(25, 1), dout = RandomVector(18, 2);
  std::vector<float> o1(18), o2(18), s1(qat.scratch_floats()), s2(plain.scratch_floats());
  qat.Forward(in.data(), o1.data(), s1.data(), {});
  plain.Forward(in.data(), o2.data(), s2.data(), {});
  EXPECT_EQ(o1, o2);
  std::vector<float> g1(qat.params().size()), g2(plain.params().size()), d1(25), d2(25);
  qat.Backward(in.data(), o1.data(), dout.data(), d1.data(), g1.data(), s1.data(), {});
  plain.Backward(in.data(), o2.data(), dout.data(), d2.data(), g2.data(), s2.data(), {});
  EXPECT_EQ(g1, g2);
  EXPECT_EQ(d1, d2);
}

TEST(FakeQuant, PerChannelWeightsLieOnTheirGrid) {
  const std::vector<float> w = {0.3f, -1.0f, 0.25f, 0.0f, 0.0f, 0.0f, 3.0f, 1.0f, -0.01f};
  std::vector<float> q(w.size());
  FakeQuantWeightsPerChannel(w.data(), 3, 3, q.data());
  // Channel 0: scale 1/127; -1 -> -127 exactly; 0.3 -> 38.1 -> 38.
  EXPECT_FLOAT_EQ(q[1], -1.0f);
  EXPECT_FLOAT_EQ(q[0], 38.0f / 127.0f);
  EXPECT_FLOAT_EQ(q[2], 32.0f / 127.0f);  // 31.75 -> 32
  EXPECT_EQ(q[3], 0.0f);                  // an all-zero channel stays zero
  EXPECT_FLOAT_EQ(q[6], 3.0f);
  EXPECT_FLOAT_EQ(q[7], 42.0f * 3.0f / 127.0f);  // 42.33 -> 42
  EXPECT_FLOAT_EQ(q[8], 0.0f);                   // -0.42 -> 0
}

TEST(FakeQuant, ActivationRangeIsNudgedToHoldZero) {
  // [0, 2.55]: scale 0.01, zero point -128.
  ActivationQuant q = NudgedActivationQuant(0.0f, 2.55f);
  EXPECT_FLOAT_EQ(q.scale, 0.01f);
  EXPECT_EQ(q.zero_point, -128);
  EXPECT_EQ(q.Quantize(1.234f), -5);  // 123.4 -> 123, -128 + 123
  EXPECT_FLOAT_EQ(q.FakeQuant(1.234f), 1.23f);
  EXPECT_FLOAT_EQ(q.FakeQuant(9.0f), 2.55f);  // clamped
  // [-1, 1.55]: scale 0.01, zero point -128 + 100 = -28; min -1.00, max 1.55.
  q = NudgedActivationQuant(-1.0f, 1.55f);
  EXPECT_EQ(q.zero_point, -28);
  EXPECT_NEAR(q.min, -1.0f, 1e-6);
  EXPECT_NEAR(q.max, 1.55f, 1e-6);
  // A range that excludes 0 is widened to include it.
  q = NudgedActivationQuant(1.0f, 2.0f);
  EXPECT_EQ(q.zero_point, -128);
  EXPECT_FLOAT_EQ(q.min, 0.0f);
}

TEST(FakeQuant, ActivationLayerTracksRangesAndPassesGradientsInside) {
  FakeQuantActivation fq(0.5f);
  Dims out;
  ASSERT_TRUE(fq.Configure({1, 1, 4}, &out).ok());
  std::vector<float> in = {0.0f, 1.0f, 2.0f, 2.55f}, y(4);
  fq.BeginBatch(1);
  fq.Forward(in.data(), y.data(), nullptr, PassInfo{true, 0, 0, 0});
  EXPECT_EQ(y, in);  // not enabled yet: identity
  fq.EndBatch(1);
  ASSERT_TRUE(fq.has_range());
  EXPECT_FLOAT_EQ(fq.quant().scale, 0.01f);
  // Second batch [0, 5.11]: EMA with decay 0.5 -> max 3.83.
  std::vector<float> wide = {0.0f, 5.11f, 1.0f, 1.0f};
  fq.BeginBatch(1);
  fq.Forward(wide.data(), y.data(), nullptr, PassInfo{true, 0, 1, 0});
  fq.EndBatch(1);
  EXPECT_NEAR(fq.quant().max, 3.83f, 1e-5);
  fq.set_enabled(true);
  std::vector<float> x = {-1.0f, 0.504f, 3.0f, 4.0f}, dy = {1, 1, 1, 1}, dx(4);
  fq.Forward(x.data(), y.data(), nullptr, {});
  const float scale = fq.quant().scale;
  EXPECT_FLOAT_EQ(y[0], 0.0f);
  EXPECT_NEAR(y[1], std::round(0.504f / scale) * scale, 1e-6);
  EXPECT_NEAR(y[3], fq.quant().max, 1e-6);
  fq.Backward(x.data(), y.data(), dy.data(), dx.data(), nullptr, nullptr, {});
  EXPECT_EQ(dx, (std::vector<float>{0, 1, 1, 0}));
}

}  // namespace
}  // namespace qlite::train
