// Deterministic random numbers for the trainer. std::mt19937 is portable but
// std::shuffle and the std distributions are not (they differ between
// standard libraries), so the trainer uses its own: SplitMix64 and
// counter-based hashing (the same key always gives the same number, whichever
// thread asks).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace qlite::train {

// One SplitMix64 step: a well-mixed 64-bit function of `x`.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Hash of several keys (seed, step, image, ...).
inline uint64_t HashKeys(uint64_t a, uint64_t b, uint64_t c = 0) {
  return Mix64(Mix64(Mix64(a) ^ b) ^ c);
}

// Uniform in [0, 1) from the top 24 bits.
inline float UnitFloat(uint64_t bits) {
  return static_cast<float>(bits >> 40) * (1.0f / 16777216.0f);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix64(state_++); }
  float Uniform(float lo, float hi) { return lo + (hi - lo) * UnitFloat(Next()); }
  // Uniform in [0, n) (n > 0); the tiny modulo bias does not matter here.
  uint64_t Below(uint64_t n) { return Next() % n; }

  template <typename T>
  void Shuffle(std::vector<T>* v) {
    for (size_t i = v->size(); i > 1; --i) std::swap((*v)[i - 1], (*v)[Below(i)]);
  }

 private:
  uint64_t state_;
};

}  // namespace qlite::train
