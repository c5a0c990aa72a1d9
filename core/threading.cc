#include "core/threading.h"

#include <algorithm>
#include <atomic>

namespace qlite {

namespace {
std::atomic<int64_t> min_work_per_task{kMinWorkPerTask};
}  // namespace

void SetMinWorkPerTaskForTesting(int64_t work) { min_work_per_task = std::max<int64_t>(work, 1); }

int TasksFor(int threads, int64_t items, int64_t work_per_item) {
  if (threads <= 1 || items <= 1) return 1;
  const int64_t work = items * std::max<int64_t>(work_per_item, 1);
  const int64_t by_work = std::max<int64_t>(work / min_work_per_task, 1);
  return static_cast<int>(std::min<int64_t>({threads, items, by_work}));
}

#if QLITE_NO_THREADS
// No threads to start: every call runs inline (and no thread or condition
// variable code is linked into the wasm).
ThreadPool::ThreadPool(int) {}
ThreadPool::~ThreadPool() = default;
void ThreadPool::ParallelFor(int64_t n, int, const RangeFn& fn) {
  if (n > 0) fn(0, n, 0);
}
#else
namespace {
// Set on pool threads and on a caller while it runs its range: a nested
// ParallelFor then runs inline instead of waiting on busy workers.
thread_local bool in_parallel_task = false;

int64_t RangeBegin(int64_t n, int w, int tasks) { return n * w / tasks; }
}  // namespace

ThreadPool::ThreadPool(int threads) {
  threads_ = std::max(threads, 1);
  workers_.reserve(threads_ - 1);
  for (int w = 1; w < threads_; ++w) workers_.emplace_back([this, w] { WorkerLoop(w); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  start_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::WorkerLoop(int worker) {
  in_parallel_task = true;
  uint64_t seen = 0;
  for (;;) {
    const RangeFn* job;
    int64_t items;
    int tasks;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      job = job_;
      items = job_items_;
      tasks = job_tasks_;
    }
    if (worker < tasks) {
      (*job)(RangeBegin(items, worker, tasks), RangeBegin(items, worker + 1, tasks), worker);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::ParallelFor(int64_t n, int tasks, const RangeFn& fn) {
  if (n <= 0) return;
  tasks = static_cast<int>(std::min<int64_t>({static_cast<int64_t>(tasks), threads_, n}));
  if (tasks <= 1 || in_parallel_task) {
    fn(0, n, 0);
    return;
  }
  std::lock_guard<std::mutex> caller(caller_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_items_ = n;
    job_tasks_ = tasks;
    pending_ = tasks - 1;
    ++generation_;
  }
  start_.notify_all();
  in_parallel_task = true;
  fn(0, RangeBegin(n, 1, tasks), 0);
  in_parallel_task = false;
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
  job_ = nullptr;
}

#endif

}  // namespace qlite
