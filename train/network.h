// A sequential network of trainer layers, the per-thread workspace one image
// flows through, and the architectures `qlite train` knows.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "train/layers.h"

namespace qlite::train {

class Network;

// Everything one thread needs to push one image forward and backward:
// activations at every layer boundary, their gradients, scratch and the
// parameter gradients it accumulates over its share of a batch.
struct Workspace {
  explicit Workspace(const Network& net);
  std::vector<std::vector<float>> act;   // act[i]: input of layer i; act.back(): logits
  std::vector<std::vector<float>> dact;  // dL/dact[i]
  std::vector<std::vector<float>> grad;  // per layer, same size as its params
  std::vector<float> scratch;
  void ZeroGrad();
};

class Network {
 public:
  Network(std::string arch, Dims input) : arch_(std::move(arch)), input_(input) {}

  template <typename L, typename... A>
  L* Add(A&&... args) {
    layers_.push_back(std::make_unique<L>(std::forward<A>(args)...));
    return static_cast<L*>(layers_.back().get());
  }
  // Computes every layer's dims and sizes its parameters.
  Status Configure();
  // Fresh parameters from `seed` (each layer gets its own derived seed).
  void Init(uint64_t seed);
  // Tells layers their parameters changed (re-quantizes QAT weights).
  void Refresh();

  // QAT: fake-quantized weights in conv/dense layers and a FakeQuantActivation
  // after each of them (on the output of its fused ReLU). Keeps the parameters.
  Status EnableQat(float ema_decay);
  // Starts (or stops) quantizing activations; ranges are tracked either way.
  void SetActivationFakeQuant(bool on);

  // act[0] of `ws` holds the image; fills the other activations.
  void Forward(Workspace* ws, const PassInfo& info) const;
  // dact.back() of `ws` holds dL/dlogits; adds parameter gradients to ws->grad.
  void Backward(Workspace* ws, const PassInfo& info) const;

  const std::string& arch() const { return arch_; }
  Dims input_dims() const { return input_; }
  Dims output_dims() const { return layers_.empty() ? input_ : layers_.back()->out_dims(); }
  int num_layers() const { return static_cast<int>(layers_.size()); }
  Layer& layer(int i) { return *layers_[i]; }
  const Layer& layer(int i) const { return *layers_[i]; }
  size_t num_params() const;
  size_t scratch_floats() const;

 private:
  std::string arch_;
  Dims input_;
  std::vector<std::unique_ptr<Layer>> layers_;
};

// "tutorial": Conv 12 3x3 VALID ReLU, MaxPool 2, Flatten, Dense 10.
// "lenet5": Conv 6 5x5 SAME, MaxPool, Conv 16 5x5 VALID, MaxPool, Conv 120
// 5x5, Flatten, Dense 84, Dropout 0.5, Dense 10 (hidden layers with ReLU).
Status BuildNetwork(const std::string& arch, std::unique_ptr<Network>* net);
const char* KnownArchitectures();  // for usage messages

}  // namespace qlite::train
