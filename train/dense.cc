// Dense: out[u] = bias[u] + dot(w[u], in). Each pass is a row of Dots or Axpys
// over the (long) input dimension.
#include <algorithm>

#include "train/fake_quant.h"
#include "train/layers.h"
#include "train/vector_math.h"

namespace qlite::train {

Status Dense::Configure(Dims in, Dims* out) {
  QLITE_ENSURE(units_ > 0, "Dense needs a positive number of units");
  in_ = in;
  out_ = {units_, 1, 1};
  *out = out_;
  params_.assign(static_cast<size_t>(units_) * in.size() + units_, 0.0f);
  return Status::Ok();
}

void Dense::Init(uint64_t seed) {
  const size_t weights = static_cast<size_t>(units_) * in_.size();
  GlorotUniform(seed, in_.size(), units_, params_.data(), weights);
  std::fill(params_.begin() + weights, params_.end(), 0.0f);
  Refresh();
}

void Dense::Refresh() {
  if (!fake_quant_weights_) return;
  quantized_weights_.resize(static_cast<size_t>(units_) * in_.size());
  FakeQuantWeightsPerChannel(params_.data(), units_, in_.size(), quantized_weights_.data());
}

const float* Dense::effective_weights() const {
  return fake_quant_weights_ ? quantized_weights_.data() : params_.data();
}

void Dense::Forward(const float* in, float* out, float* scratch, const PassInfo& info) const {
  const int n = in_.size();
  const float* w = effective_weights();
  const float* bias = params_.data() + static_cast<size_t>(units_) * n;
  std::copy(bias, bias + units_, out);
  AddDotsRowsByRows(1, units_, n, in, w, out);
  if (relu_) ReluInPlace(units_, out);
}

void Dense::Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                     float* scratch, const PassInfo& info) const {
  const int n = in_.size();
  if (relu_) {
    ReluGradient(units_, out, dout, scratch);
    dout = scratch;
  }
  float* dbias = grad + static_cast<size_t>(units_) * n;
  for (int u = 0; u < units_; ++u) {
    Axpy(n, dout[u], in, grad + static_cast<size_t>(u) * n);
    dbias[u] += dout[u];
  }
  if (din == nullptr) return;
  const float* w = effective_weights();
  MatMulAddBias(1, units_, n, dout, nullptr, w, din);
}

}  // namespace qlite::train
