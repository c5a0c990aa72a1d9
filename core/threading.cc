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
  const int wanted = std::max(threads, 1);
  worker_args_.resize(wanted - 1);
  workers_.reserve(wanted - 1);
  for (int w = 1; w < wanted; ++w) {
    worker_args_[w - 1] = {this, w};
    pthread_t thread;
    // A thread that cannot start (a browser's worker pool is exhausted)
    // leaves the pool smaller, never waiting for it.
    if (pthread_create(&thread, nullptr, &ThreadPool::WorkerMain, &worker_args_[w - 1]) != 0) break;
    workers_.push_back(thread);
  }
  threads_ = static_cast<int>(workers_.size()) + 1;
}

ThreadPool::~ThreadPool() {
  pthread_mutex_lock(&mutex_);
  stopping_ = true;
  pthread_mutex_unlock(&mutex_);
  pthread_cond_broadcast(&start_);
  for (pthread_t t : workers_) pthread_join(t, nullptr);
  pthread_cond_destroy(&start_);
  pthread_cond_destroy(&done_);
  pthread_mutex_destroy(&mutex_);
  pthread_mutex_destroy(&caller_mutex_);
}

void* ThreadPool::WorkerMain(void* arg) {
  const auto* a = static_cast<const WorkerArg*>(arg);
  a->pool->WorkerLoop(a->worker);
  return nullptr;
}

void ThreadPool::WorkerLoop(int worker) {
  in_parallel_task = true;
  uint64_t seen = 0;
  for (;;) {
    pthread_mutex_lock(&mutex_);
    while (!stopping_ && generation_ == seen) pthread_cond_wait(&start_, &mutex_);
    if (stopping_) {
      pthread_mutex_unlock(&mutex_);
      return;
    }
    seen = generation_;
    const RangeFn* job = job_;
    const int64_t items = job_items_;
    const int tasks = job_tasks_;
    pthread_mutex_unlock(&mutex_);
    if (worker < tasks) {
      (*job)(RangeBegin(items, worker, tasks), RangeBegin(items, worker + 1, tasks), worker);
      pthread_mutex_lock(&mutex_);
      ++worker_ranges_;
      if (--pending_ == 0) pthread_cond_signal(&done_);
      pthread_mutex_unlock(&mutex_);
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
  pthread_mutex_lock(&caller_mutex_);
  pthread_mutex_lock(&mutex_);
  job_ = &fn;
  job_items_ = n;
  job_tasks_ = tasks;
  pending_ = tasks - 1;
  ++generation_;
  pthread_mutex_unlock(&mutex_);
  pthread_cond_broadcast(&start_);
  in_parallel_task = true;
  fn(0, RangeBegin(n, 1, tasks), 0);
  in_parallel_task = false;
  pthread_mutex_lock(&mutex_);
  while (pending_ != 0) pthread_cond_wait(&done_, &mutex_);
  job_ = nullptr;
  pthread_mutex_unlock(&mutex_);
  pthread_mutex_unlock(&caller_mutex_);
}

#endif

}  // namespace qlite
