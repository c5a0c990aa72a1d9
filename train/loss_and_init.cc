// Softmax cross-entropy (the loss of every trainer network) and Keras' default
// weight initializer.
#include <algorithm>
#include <cmath>

#include "train/layers.h"
#include "train/random.h"

namespace qlite::train {

float SoftmaxCrossEntropy(const float* logits, int n, int label, float scale, float* dlogits) {
  const float max_logit = *std::max_element(logits, logits + n);
  double total = 0.0;
  for (int i = 0; i < n; ++i) total += std::exp(static_cast<double>(logits[i] - max_logit));
  const double log_total = std::log(total);
  if (dlogits != nullptr) {
    for (int i = 0; i < n; ++i) {
      const double p = std::exp(static_cast<double>(logits[i] - max_logit) - log_total);
      dlogits[i] = scale * static_cast<float>(p - (i == label ? 1.0 : 0.0));
    }
  }
  return static_cast<float>(log_total - static_cast<double>(logits[label] - max_logit));
}

void GlorotUniform(uint64_t seed, int fan_in, int fan_out, float* w, size_t count) {
  const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
  Rng rng(seed);
  for (size_t i = 0; i < count; ++i) w[i] = rng.Uniform(-limit, limit);
}

}  // namespace qlite::train
