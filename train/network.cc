#include "train/network.h"

#include <algorithm>

#include "train/fake_quant.h"
#include "train/random.h"

namespace qlite::train {

Workspace::Workspace(const Network& net) {
  act.emplace_back(net.input_dims().size());
  dact.emplace_back(net.input_dims().size());
  for (int i = 0; i < net.num_layers(); ++i) {
    const Layer& l = net.layer(i);
    act.emplace_back(l.out_dims().size());
    dact.emplace_back(l.out_dims().size());
    grad.emplace_back(l.params().size());
  }
  scratch.resize(net.scratch_floats());
}

void Workspace::ZeroGrad() {
  for (auto& g : grad) std::fill(g.begin(), g.end(), 0.0f);
}

Status Network::Configure() {
  Dims d = input_;
  for (size_t i = 0; i < layers_.size(); ++i) {
    Dims out;
    const Status s = layers_[i]->Configure(d, &out);
    if (!s.ok()) return s.WithContext(StrCat(arch_, " layer ", i, ": "));
    d = out;
  }
  return Status::Ok();
}

void Network::Init(uint64_t seed) {
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i]->Init(HashKeys(seed, 0x1417, i));
}

void Network::Refresh() {
  for (auto& l : layers_) l->Refresh();
}

Status Network::EnableQat(float ema_decay) {
  std::vector<std::unique_ptr<Layer>> with_fq;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const LayerKind kind = layers_[i]->kind();
    if (kind == LayerKind::kFakeQuant) return Status::Error("QAT is already enabled");
    if (kind == LayerKind::kConv2D)
      static_cast<Conv2D*>(layers_[i].get())->set_fake_quant_weights(true);
    if (kind == LayerKind::kDense)
      static_cast<Dense*>(layers_[i].get())->set_fake_quant_weights(true);
    with_fq.push_back(std::move(layers_[i]));
    if (kind != LayerKind::kConv2D && kind != LayerKind::kDense) continue;
    with_fq.push_back(std::make_unique<FakeQuantActivation>(ema_decay));
  }
  layers_ = std::move(with_fq);
  // Configure re-sizes parameters: keep them across it.
  std::vector<std::vector<float>> saved;
  for (auto& l : layers_) saved.push_back(l->params());
  QLITE_RETURN_IF_ERROR(Configure());
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i]->params() = saved[i];
  Refresh();
  return Status::Ok();
}

void Network::SetActivationFakeQuant(bool on) {
  for (auto& l : layers_) {
    if (l->kind() == LayerKind::kFakeQuant)
      static_cast<FakeQuantActivation*>(l.get())->set_enabled(on);
  }
}

void Network::Forward(Workspace* ws, const PassInfo& info) const {
  for (size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->Forward(ws->act[i].data(), ws->act[i + 1].data(), ws->scratch.data(), info);
  }
}

void Network::Backward(Workspace* ws, const PassInfo& info) const {
  for (size_t i = layers_.size(); i-- > 0;) {
    // The network input needs no gradient.
    float* din = i == 0 ? nullptr : ws->dact[i].data();
    layers_[i]->Backward(ws->act[i].data(), ws->act[i + 1].data(), ws->dact[i + 1].data(), din,
                         ws->grad[i].data(), ws->scratch.data(), info);
  }
}

size_t Network::num_params() const {
  size_t n = 0;
  for (const auto& l : layers_) n += l->params().size();
  return n;
}

size_t Network::scratch_floats() const {
  size_t n = 0;
  for (const auto& l : layers_) n = std::max(n, l->scratch_floats());
  return n;
}

}  // namespace qlite::train
