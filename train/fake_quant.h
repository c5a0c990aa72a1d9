// Fake quantization for quantization-aware training: values are rounded to
// the int8 grid the exported model will use and mapped back to float, so the
// float network sees the integer model's rounding. Gradients pass straight
// through (zero where an activation was clamped).
#pragma once

#include <cstdint>
#include <vector>

#include "train/layers.h"

namespace qlite::train {

// Per-channel symmetric int8 weights ([-127, 127], zero point 0): channel c is
// w[c * per_channel ...], scale max|w| / 127. Writes q * scale to `out`.
void FakeQuantWeightsPerChannel(const float* w, int channels, int per_channel, float* out);

// Asymmetric int8 activation parameters from a [min, max] range, nudged the
// way TFLite does so that 0 is exactly representable: the range is widened to
// include 0, scale = (max - min) / 255, zero point = round(-128 - min / scale).
struct ActivationQuant {
  float scale = 1.0f;
  int32_t zero_point = 0;
  float min = 0.0f, max = 0.0f;  // nudged: (-128 - zp) * scale, (127 - zp) * scale

  int32_t Quantize(float x) const;  // the int8 value x maps to
  float FakeQuant(float x) const;   // (Quantize(x) - zp) * scale
  bool PassesGradient(float x) const { return x >= min && x <= max; }
};
ActivationQuant NudgedActivationQuant(float min, float max);

// Tracks the range of the activations it sees (first batch's min/max, then an
// exponential moving average with `decay`) and, once enabled, fake-quantizes
// them with that range. Inserted after each conv/dense (and its ReLU) for QAT.
class FakeQuantActivation : public Layer {
 public:
  explicit FakeQuantActivation(float decay = 0.999f) : decay_(decay) {}
  LayerKind kind() const override { return LayerKind::kFakeQuant; }
  Status Configure(Dims in, Dims* out) override;
  void Refresh() override;
  void BeginBatch(int batch) override;
  void EndBatch(int batch) override;
  void Forward(const float* in, float* out, float* scratch, const PassInfo& info) const override;
  void Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                float* scratch, const PassInfo& info) const override;

  // Quantize from now on (after the warm-up); ranges keep being tracked.
  void set_enabled(bool on) { enabled_ = on; }
  bool has_range() const { return has_range_; }
  // The parameters the export hands to the quantizer.
  const ActivationQuant& quant() const { return quant_; }

 private:
  float decay_;
  bool enabled_ = false;
  bool has_range_ = false;
  float ema_min_ = 0.0f, ema_max_ = 0.0f;
  ActivationQuant quant_;
  // Min/max seen by each image of the current batch (each pass writes its own
  // slot, so threads never share one); reduced in order by EndBatch.
  mutable std::vector<float> batch_min_, batch_max_;
};

}  // namespace qlite::train
