// The trainer's layers. Each works on one image at a time in CHW layout
// (channel-major, then rows, then columns) and writes its forward and
// backward passes out explicitly. Parameters live in the layer; gradients
// are accumulated into caller-owned buffers so that several threads can
// each take a share of a batch and the shares can be summed in a fixed order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/status.h"

namespace qlite::train {

struct Dims {
  int c = 1, h = 1, w = 1;
  int size() const { return c * h * w; }
};

// What a pass needs besides its input.
struct PassInfo {
  bool training = false;
  uint64_t seed = 0;  // run seed (dropout masks)
  uint64_t step = 0;  // optimizer step
  int image = 0;      // index of the image in the batch
};

enum class LayerKind { kConv2D, kMaxPool, kDense, kDropout, kFlatten, kFakeQuant };

class Layer {
 public:
  virtual ~Layer() = default;
  virtual LayerKind kind() const = 0;
  // Checks the input dims, sizes the parameters (uninitialized: see Init) and
  // returns the output dims.
  virtual Status Configure(Dims in, Dims* out) = 0;
  // Initializes parameters from `seed` (Glorot uniform weights, zero bias).
  virtual void Init(uint64_t seed) {}
  // Called on one thread whenever the parameters changed, before passes run.
  virtual void Refresh() {}
  // Called on one thread before and after each training batch of `batch` images.
  virtual void BeginBatch(int batch) {}
  virtual void EndBatch(int batch) {}

  virtual size_t scratch_floats() const { return 0; }
  virtual void Forward(const float* in, float* out, float* scratch, const PassInfo& info) const = 0;
  // Adds dL/dparams to `grad` (params().size() floats) and, unless `din` is
  // null, writes dL/din. `in`/`out` are this image's forward values.
  virtual void Backward(const float* in, const float* out, const float* dout, float* din,
                        float* grad, float* scratch, const PassInfo& info) const = 0;

  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  Dims in_dims() const { return in_; }
  Dims out_dims() const { return out_; }

 protected:
  std::vector<float> params_;
  Dims in_, out_;
};

enum class PadMode { kSame, kValid };

// Stride-1 convolution, weights [out][in_c * kh * kw] then bias [out], with
// an optional fused ReLU (Keras' activation="relu", TFLite's fused RELU).
class Conv2D : public Layer {
 public:
  Conv2D(int filters, int kernel, PadMode pad, bool relu)
      : filters_(filters), kernel_(kernel), pad_(pad), relu_(relu) {}
  LayerKind kind() const override { return LayerKind::kConv2D; }
  Status Configure(Dims in, Dims* out) override;
  void Init(uint64_t seed) override;
  void Refresh() override;
  size_t scratch_floats() const override;
  void Forward(const float* in, float* out, float* scratch, const PassInfo& info) const override;
  void Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                float* scratch, const PassInfo& info) const override;

  int filters() const { return filters_; }
  int kernel() const { return kernel_; }
  PadMode pad() const { return pad_; }
  bool relu() const { return relu_; }
  int patch_size() const { return in_.c * kernel_ * kernel_; }
  // QAT: use per-channel symmetric fake-quantized weights in every pass.
  void set_fake_quant_weights(bool on) {
    fake_quant_weights_ = on;
    Refresh();
  }
  // The weights the passes use (fake-quantized under QAT).
  const float* effective_weights() const;

 private:
  void Im2Col(const float* in, float* col) const;
  int filters_, kernel_;
  PadMode pad_;
  bool relu_;
  int pad_top_ = 0, pad_left_ = 0;
  bool fake_quant_weights_ = false;
  std::vector<float> quantized_weights_;
};

// Max pooling with a square window equal to its stride, VALID padding.
class MaxPool : public Layer {
 public:
  explicit MaxPool(int size) : size_(size) {}
  LayerKind kind() const override { return LayerKind::kMaxPool; }
  Status Configure(Dims in, Dims* out) override;
  void Forward(const float* in, float* out, float* scratch, const PassInfo& info) const override;
  void Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                float* scratch, const PassInfo& info) const override;
  int size() const { return size_; }

 private:
  int size_;
};

// Fully connected over the flattened input, weights [units][inputs] then
// bias, with an optional fused ReLU.
class Dense : public Layer {
 public:
  Dense(int units, bool relu) : units_(units), relu_(relu) {}
  LayerKind kind() const override { return LayerKind::kDense; }
  Status Configure(Dims in, Dims* out) override;
  void Init(uint64_t seed) override;
  void Refresh() override;
  void Forward(const float* in, float* out, float* scratch, const PassInfo& info) const override;
  void Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                float* scratch, const PassInfo& info) const override;
  int units() const { return units_; }
  bool relu() const { return relu_; }
  size_t scratch_floats() const override { return units_; }
  void set_fake_quant_weights(bool on) {
    fake_quant_weights_ = on;
    Refresh();
  }
  const float* effective_weights() const;

 private:
  int units_;
  bool relu_;
  bool fake_quant_weights_ = false;
  std::vector<float> quantized_weights_;
};

// Inverted dropout: in training, zeroes each value with probability `rate`
// and scales the rest by 1/(1-rate); the identity otherwise. The mask is a
// hash of (seed, step, image, element), so it needs no state and no lock.
class Dropout : public Layer {
 public:
  explicit Dropout(float rate) : rate_(rate) {}
  LayerKind kind() const override { return LayerKind::kDropout; }
  Status Configure(Dims in, Dims* out) override;
  void Forward(const float* in, float* out, float* scratch, const PassInfo& info) const override;
  void Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                float* scratch, const PassInfo& info) const override;

 private:
  bool Keep(const PassInfo& info, int element) const;
  float rate_;
};

// CHW -> a vector (the memory is unchanged; export maps it to Keras' HWC order).
class Flatten : public Layer {
 public:
  LayerKind kind() const override { return LayerKind::kFlatten; }
  Status Configure(Dims in, Dims* out) override;
  void Forward(const float* in, float* out, float* scratch, const PassInfo& info) const override;
  void Backward(const float* in, const float* out, const float* dout, float* din, float* grad,
                float* scratch, const PassInfo& info) const override;
};

// Softmax + cross-entropy on logits: returns -log softmax(logits)[label] and
// writes scale * (softmax - onehot(label)) to `dlogits` (if not null).
float SoftmaxCrossEntropy(const float* logits, int n, int label, float scale, float* dlogits);

// Glorot/Xavier uniform (Keras' default kernel initializer).
void GlorotUniform(uint64_t seed, int fan_in, int fan_out, float* w, size_t count);

}  // namespace qlite::train
