#include "train/adam.h"

#include <cmath>

namespace qlite::train {

void Adam::Step(const std::vector<std::vector<float>*>& params,
                const std::vector<const std::vector<float>*>& grads) {
  if (m_.size() != params.size()) {
    m_.assign(params.size(), {});
    v_.assign(params.size(), {});
    for (size_t i = 0; i < params.size(); ++i) {
      m_[i].assign(params[i]->size(), 0.0f);
      v_[i].assign(params[i]->size(), 0.0f);
    }
  }
  ++steps_;
  const double t = static_cast<double>(steps_);
  const float b1 = options_.beta1, b2 = options_.beta2;
  const float step_size = static_cast<float>(
      options_.learning_rate * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t)));
  for (size_t i = 0; i < params.size(); ++i) {
    float* w = params[i]->data();
    const float* g = grads[i]->data();
    float* m = m_[i].data();
    float* v = v_[i].data();
    const size_t n = params[i]->size();
    for (size_t j = 0; j < n; ++j) {
      m[j] = b1 * m[j] + (1.0f - b1) * g[j];
      v[j] = b2 * v[j] + (1.0f - b2) * g[j] * g[j];
      w[j] -= step_size * m[j] / (std::sqrt(v[j]) + options_.epsilon);
    }
  }
}

}  // namespace qlite::train
