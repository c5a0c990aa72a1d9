// Adam as Keras implements it: bias correction folded into the step size,
// epsilon added to sqrt(v).
#pragma once

#include <cstdint>
#include <vector>

namespace qlite::train {

struct AdamOptions {
  float learning_rate = 1e-3f;
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-7f;
};

class Adam {
 public:
  explicit Adam(AdamOptions options = {}) : options_(options) {}
  // One update of `params[i]` (one vector per layer) with gradients `grads[i]`.
  void Step(const std::vector<std::vector<float>*>& params,
            const std::vector<const std::vector<float>*>& grads);
  int64_t steps() const { return steps_; }
  void set_learning_rate(float lr) { options_.learning_rate = lr; }

 private:
  AdamOptions options_;
  int64_t steps_ = 0;
  std::vector<std::vector<float>> m_, v_;
};

}  // namespace qlite::train
