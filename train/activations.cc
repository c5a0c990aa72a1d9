// Dropout and Flatten: layers without parameters (ReLU is fused into
// Conv2D and Dense, as in Keras and TFLite).
#include <algorithm>

#include "train/layers.h"
#include "train/random.h"

namespace qlite::train {

Status Dropout::Configure(Dims in, Dims* out) {
  QLITE_ENSURE(rate_ >= 0.0f && rate_ < 1.0f, "Dropout rate must be in [0, 1), got ", rate_);
  in_ = out_ = *out = in;
  return Status::Ok();
}

bool Dropout::Keep(const PassInfo& info, int element) const {
  const uint64_t key =
      HashKeys(info.seed ^ 0xD0D0u, info.step,
               (static_cast<uint64_t>(info.image) << 32) | static_cast<uint32_t>(element));
  return UnitFloat(key) >= rate_;
}

void Dropout::Forward(const float* in, float* out, float* scratch, const PassInfo& info) const {
  const int n = in_.size();
  if (!info.training || rate_ == 0.0f) {
    std::copy(in, in + n, out);
    return;
  }
  const float keep_scale = 1.0f / (1.0f - rate_);
  for (int i = 0; i < n; ++i) out[i] = Keep(info, i) ? in[i] * keep_scale : 0.0f;
}

void Dropout::Backward(const float* in, const float* out, const float* dout, float* din,
                       float* grad, float* scratch, const PassInfo& info) const {
  if (din == nullptr) return;
  const int n = in_.size();
  if (!info.training || rate_ == 0.0f) {
    std::copy(dout, dout + n, din);
    return;
  }
  const float keep_scale = 1.0f / (1.0f - rate_);
  for (int i = 0; i < n; ++i) din[i] = Keep(info, i) ? dout[i] * keep_scale : 0.0f;
}

Status Flatten::Configure(Dims in, Dims* out) {
  in_ = in;
  out_ = *out = {in.size(), 1, 1};
  return Status::Ok();
}

void Flatten::Forward(const float* in, float* out, float* scratch, const PassInfo& info) const {
  std::copy(in, in + in_.size(), out);
}

void Flatten::Backward(const float* in, const float* out, const float* dout, float* din,
                       float* grad, float* scratch, const PassInfo& info) const {
  if (din != nullptr) std::copy(dout, dout + in_.size(), din);
}

}  // namespace qlite::train
