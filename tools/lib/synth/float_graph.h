// The layers of the synthetic benchmark models, built as a float32 graph
// through ModelBuilder with every weight drawn from one seeded generator, so
// a seed always gives the same model. He-uniform weights (half the variance
// for linear layers) and small biases keep the activations in a similar
// range from layer to layer, as batch norm folding would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/resize.h"
#include "core/model_builder.h"
#include "train/random.h"

namespace qlite::synth {

class FloatGraph {
 public:
  explicit FloatGraph(uint64_t seed) : rng_(train::Mix64(seed)) {}

  int Input(const std::string& name, std::vector<int32_t> shape);
  // CONV_2D k x k, SAME padding.
  int Conv(const std::string& name, int input, int out_c, int k, int stride, Activation act);
  // DEPTHWISE_CONV_2D k x k, depth multiplier 1, SAME padding.
  int Depthwise(const std::string& name, int input, int k, int stride, Activation act);
  int Add(const std::string& name, int a, int b, Activation act = Activation::kNone);
  // MAX_POOL_2D 2x2 stride 2 (SAME), the skip path of a strided block.
  int MaxPool2x2(const std::string& name, int input);
  // PAD of the channel axis with zeros up to `channels` (BlazeFace's skips).
  int PadChannels(const std::string& name, int input, int channels);
  // Global average pooling as AVERAGE_POOL_2D over the whole feature map.
  int GlobalAveragePool(const std::string& name, int input);
  // RESIZE_BILINEAR to out_h x out_w, half-pixel centres (TF2's default).
  int ResizeBilinear(const std::string& name, int input, int out_h, int out_w);
  int Concatenate(const std::string& name, const std::vector<int>& inputs, int axis);
  int Reshape(const std::string& name, int input, std::vector<int32_t> new_shape);
  int FullyConnected(const std::string& name, int input, int units);
  int Softmax(const std::string& name, int input);
  int Logistic(const std::string& name, int input);

  std::vector<int32_t> shape(int tensor) { return builder_.model().tensors[tensor].shape; }
  ModelBuilder& builder() { return builder_; }

 private:
  int Tensor(const std::string& name, std::vector<int32_t> shape);
  std::vector<float> Weights(int count, int fan_in, Activation act);
  std::vector<float> Bias(int count);

  train::Rng rng_;
  ModelBuilder builder_;
};

}  // namespace qlite::synth
