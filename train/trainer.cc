#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <thread>

#include "train/random.h"

namespace qlite::train {

// Runs shard 0 on the calling thread and shard 1 on one worker thread (or
// both on the caller when single-threaded). Which thread runs a shard never
// changes its result: shards own their workspaces.
class ShardPool {
 public:
  explicit ShardPool(bool use_worker) {
    if (use_worker) worker_ = std::thread([this] { WorkerLoop(); });
  }
  ~ShardPool() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
      ++generation_;
    }
    wake_.notify_one();
    worker_.join();
  }

  void Run(const std::function<void(int)>& fn) {
    if (!worker_.joinable()) {
      for (int s = 0; s < Trainer::kShards; ++s) fn(s);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      pending_ = true;
      ++generation_;
    }
    wake_.notify_one();
    fn(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return !pending_; });
    job_ = nullptr;
  }

 private:
  void WorkerLoop() {
    uint64_t seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (quit_) return;
        job = job_;
      }
      (*job)(1);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_ = false;
      }
      done_.notify_one();
    }
  }

  std::thread worker_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  uint64_t generation_ = 0;
  bool pending_ = false, quit_ = false;
};

void ImageToFloat(const uint8_t* image, int pixels, float* out) {
  for (int i = 0; i < pixels; ++i) out[i] = static_cast<float>(image[i]) / 255.0f;
}

Trainer::Trainer(Network* net, const TrainConfig& config)
    : net_(net), config_(config), adam_(AdamOptions{config.learning_rate}) {
  for (int s = 0; s < kShards; ++s) workspaces_.push_back(std::make_unique<Workspace>(*net));
  pool_ = std::make_unique<ShardPool>(config.threads >= 2);
}

Trainer::~Trainer() = default;

void Trainer::RunShards(const std::function<void(int)>& fn) { pool_->Run(fn); }

Status Trainer::TrainEpoch(const MnistSet& data, int epoch, const EpochProgress& progress,
                           EpochStats* stats) {
  const int pixels = data.pixels();
  QLITE_ENSURE(pixels == net_->input_dims().size(), "the network takes ", net_->input_dims().size(),
               " pixels, the data set has ", pixels);
  QLITE_ENSURE(data.count > 0, "the training set is empty");
  const int classes = net_->output_dims().size();
  std::vector<int> order(data.count);
  std::iota(order.begin(), order.end(), 0);
  Rng(HashKeys(config_.seed, 0x5EED, static_cast<uint64_t>(epoch))).Shuffle(&order);

  const auto start = std::chrono::steady_clock::now();
  double loss_sum = 0;
  int correct = 0;
  float shard_loss[kShards];
  int shard_correct[kShards];
  for (int begin = 0; begin < data.count; begin += config_.batch) {
    const int batch = std::min(config_.batch, data.count - begin);
    if (step_hook_) step_hook_(adam_.steps());
    for (int i = 0; i < net_->num_layers(); ++i) net_->layer(i).BeginBatch(batch);
    const float scale = 1.0f / static_cast<float>(batch);
    const uint64_t step = static_cast<uint64_t>(adam_.steps());
    RunShards([&](int shard) {
      Workspace& ws = *workspaces_[shard];
      ws.ZeroGrad();
      shard_loss[shard] = 0;
      shard_correct[shard] = 0;
      const int lo = batch * shard / kShards, hi = batch * (shard + 1) / kShards;
      for (int b = lo; b < hi; ++b) {
        const int index = order[begin + b];
        ImageToFloat(data.image(index), pixels, ws.act[0].data());
        PassInfo info{true, config_.seed, step, b};
        net_->Forward(&ws, info);
        const float* logits = ws.act.back().data();
        const int label = data.labels[index];
        shard_loss[shard] +=
            SoftmaxCrossEntropy(logits, classes, label, scale, ws.dact.back().data());
        if (std::max_element(logits, logits + classes) - logits == label) ++shard_correct[shard];
        net_->Backward(&ws, info);
      }
    });
    // Sum the shards in order into shard 0, then update.
    std::vector<std::vector<float>*> params;
    std::vector<const std::vector<float>*> grads;
    for (int i = 0; i < net_->num_layers(); ++i) {
      std::vector<float>& g = workspaces_[0]->grad[i];
      for (int s = 1; s < kShards; ++s) {
        const std::vector<float>& other = workspaces_[s]->grad[i];
        for (size_t j = 0; j < g.size(); ++j) g[j] += other[j];
      }
      if (g.empty()) continue;
      params.push_back(&net_->layer(i).params());
      grads.push_back(&g);
    }
    adam_.Step(params, grads);
    for (int i = 0; i < net_->num_layers(); ++i) net_->layer(i).EndBatch(batch);
    net_->Refresh();
    for (int s = 0; s < kShards; ++s) {
      loss_sum += shard_loss[s];
      correct += shard_correct[s];
    }
    if (progress) {
      const int done = begin + batch;
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress(done, data.count, loss_sum / done, static_cast<double>(correct) / done,
               seconds > 0 ? done / seconds : 0.0);
    }
  }
  if (stats != nullptr) {
    stats->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats->loss = loss_sum / data.count;
    stats->accuracy = static_cast<double>(correct) / data.count;
    stats->images_per_second = stats->seconds > 0 ? data.count / stats->seconds : 0.0;
  }
  return Status::Ok();
}

double Trainer::Accuracy(const MnistSet& data, int limit, const EvalProgress& progress) {
  const int count = limit > 0 ? std::min(limit, data.count) : data.count;
  if (count <= 0) return 0.0;
  const int classes = net_->output_dims().size();
  // Blocks keep the progress callback on the calling thread.
  const int block = 1000;
  int correct_total = 0;
  for (int begin = 0; begin < count; begin += block) {
    const int n = std::min(block, count - begin);
    int correct[kShards] = {};
    RunShards([&](int shard) {
      Workspace& ws = *workspaces_[shard];
      for (int i = begin + n * shard / kShards; i < begin + n * (shard + 1) / kShards; ++i) {
        ImageToFloat(data.image(i), data.pixels(), ws.act[0].data());
        net_->Forward(&ws, PassInfo{});
        const float* logits = ws.act.back().data();
        if (std::max_element(logits, logits + classes) - logits == data.labels[i]) ++correct[shard];
      }
    });
    for (int c : correct) correct_total += c;
    if (progress) progress(begin + n, count);
  }
  return static_cast<double>(correct_total) / count;
}

void Trainer::Logits(const uint8_t* image, float* logits) {
  Workspace& ws = *workspaces_[0];
  ImageToFloat(image, net_->input_dims().size(), ws.act[0].data());
  net_->Forward(&ws, PassInfo{});
  std::copy(ws.act.back().begin(), ws.act.back().end(), logits);
}

}  // namespace qlite::train
