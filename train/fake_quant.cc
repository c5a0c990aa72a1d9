#include "train/fake_quant.h"

#include <algorithm>
#include <cmath>

namespace qlite::train {

void FakeQuantWeightsPerChannel(const float* w, int channels, int per_channel, float* out) {
  for (int c = 0; c < channels; ++c) {
    const float* wc = w + static_cast<size_t>(c) * per_channel;
    float* oc = out + static_cast<size_t>(c) * per_channel;
    float max_abs = 0.0f;
    for (int i = 0; i < per_channel; ++i) max_abs = std::max(max_abs, std::fabs(wc[i]));
    if (max_abs == 0.0f) {
      std::fill(oc, oc + per_channel, 0.0f);
      continue;
    }
    // Rounded as the quantizer does it (times the reciprocal), so the int8
    // weights it writes are exactly the ones training saw.
    const float scale = max_abs / 127.0f;
    const float inverse = 1.0f / scale;
    for (int i = 0; i < per_channel; ++i) {
      const float q = std::min(127.0f, std::max(-127.0f, std::round(wc[i] * inverse)));
      oc[i] = q * scale;
    }
  }
}

ActivationQuant NudgedActivationQuant(float min, float max) {
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  // A degenerate (all-zero) range still needs a usable scale.
  if (max - min < 1e-6f) max = min + 1e-6f;
  ActivationQuant q;
  q.scale = (max - min) / 255.0f;
  const float zero_point_from_min = -128.0f - min / q.scale;
  q.zero_point =
      static_cast<int32_t>(std::round(std::min(127.0f, std::max(-128.0f, zero_point_from_min))));
  q.min = static_cast<float>(-128 - q.zero_point) * q.scale;
  q.max = static_cast<float>(127 - q.zero_point) * q.scale;
  return q;
}

int32_t ActivationQuant::Quantize(float x) const {
  const float level = std::round(x / scale) + static_cast<float>(zero_point);
  return static_cast<int32_t>(std::min(127.0f, std::max(-128.0f, level)));
}

float ActivationQuant::FakeQuant(float x) const {
  return static_cast<float>(Quantize(x) - zero_point) * scale;
}

Status FakeQuantActivation::Configure(Dims in, Dims* out) {
  in_ = out_ = *out = in;
  return Status::Ok();
}

void FakeQuantActivation::Refresh() {
  if (has_range_) quant_ = NudgedActivationQuant(ema_min_, ema_max_);
}

void FakeQuantActivation::BeginBatch(int batch) {
  batch_min_.assign(batch, 0.0f);
  batch_max_.assign(batch, 0.0f);
}

void FakeQuantActivation::EndBatch(int batch) {
  if (batch <= 0 || static_cast<int>(batch_min_.size()) < batch) return;
  float lo = batch_min_[0], hi = batch_max_[0];
  for (int i = 1; i < batch; ++i) {
    lo = std::min(lo, batch_min_[i]);
    hi = std::max(hi, batch_max_[i]);
  }
  if (!has_range_) {
    ema_min_ = lo;
    ema_max_ = hi;
    has_range_ = true;
  } else {
    ema_min_ = decay_ * ema_min_ + (1.0f - decay_) * lo;
    ema_max_ = decay_ * ema_max_ + (1.0f - decay_) * hi;
  }
  Refresh();
}

void FakeQuantActivation::Forward(const float* in, float* out, float* scratch,
                                  const PassInfo& info) const {
  const int n = in_.size();
  if (info.training && info.image < static_cast<int>(batch_min_.size())) {
    float lo = in[0], hi = in[0];
    for (int i = 1; i < n; ++i) {
      lo = std::min(lo, in[i]);
      hi = std::max(hi, in[i]);
    }
    batch_min_[info.image] = lo;
    batch_max_[info.image] = hi;
  }
  if (!enabled_ || !has_range_) {
    std::copy(in, in + n, out);
    return;
  }
  for (int i = 0; i < n; ++i) out[i] = quant_.FakeQuant(in[i]);
}

void FakeQuantActivation::Backward(const float* in, const float* out, const float* dout, float* din,
                                   float* grad, float* scratch, const PassInfo& info) const {
  if (din == nullptr) return;
  const int n = in_.size();
  if (!enabled_ || !has_range_) {
    std::copy(dout, dout + n, din);
    return;
  }
  for (int i = 0; i < n; ++i) din[i] = quant_.PassesGradient(in[i]) ? dout[i] : 0.0f;
}

}  // namespace qlite::train
