// Mini-batch training of a Network on MNIST with Adam and softmax
// cross-entropy. Each batch is split into a fixed number of shards (always
// two, whatever the thread count); a shard's gradients are summed image by
// image in order and the shards are summed in order, so a run is bit-for-bit
// reproducible for a given seed with 1 or 2 threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/status.h"
#include "data/mnist.h"
#include "train/adam.h"
#include "train/network.h"

namespace qlite::train {

struct TrainConfig {
  int batch = 32;
  float learning_rate = 1e-3f;
  uint64_t seed = 1;
  int threads = 2;  // 1 or 2
};

struct EpochStats {
  double loss = 0, accuracy = 0;  // training loss and accuracy over the epoch
  double seconds = 0, images_per_second = 0;
};

// Called during an epoch: images done, of total, running loss and accuracy,
// images per second so far.
using EpochProgress = std::function<void(int done, int total, double loss, double accuracy,
                                         double images_per_second)>;
// Called during evaluation: images done, of total.
using EvalProgress = std::function<void(int done, int total)>;

class ShardPool;

class Trainer {
 public:
  static constexpr int kShards = 2;

  Trainer(Network* net, const TrainConfig& config);
  ~Trainer();

  // One pass over `data` in an order shuffled from (seed, epoch).
  Status TrainEpoch(const MnistSet& data, int epoch, const EpochProgress& progress,
                    EpochStats* stats);
  // Fraction of the first `limit` (all if <= 0) images classified correctly.
  double Accuracy(const MnistSet& data, int limit = 0, const EvalProgress& progress = nullptr);
  // Logits of one image (inference pass).
  void Logits(const uint8_t* image, float* logits);

  Network& network() { return *net_; }
  Adam& optimizer() { return adam_; }
  int64_t steps() const { return adam_.steps(); }
  // Called before each training step with the step number (QAT warm-up).
  void set_step_hook(std::function<void(int64_t step)> hook) { step_hook_ = std::move(hook); }

 private:
  void RunShards(const std::function<void(int shard)>& fn);

  Network* net_;
  TrainConfig config_;
  Adam adam_;
  std::vector<std::unique_ptr<Workspace>> workspaces_;  // one per shard
  std::unique_ptr<ShardPool> pool_;
  std::function<void(int64_t)> step_hook_;
};

// Copies an MNIST image into `out` as floats in [0, 1].
void ImageToFloat(const uint8_t* image, int pixels, float* out);

}  // namespace qlite::train
