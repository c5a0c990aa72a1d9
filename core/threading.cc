#include "core/threading.h"

#include <algorithm>
#include <atomic>

#if !QLITE_NO_THREADS && !defined(__EMSCRIPTEN__)
#include <sched.h>
#endif
#if !QLITE_NO_THREADS && defined(__EMSCRIPTEN__)
#include <emscripten.h>
#endif

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

// The job word: a job counter above the low byte, that job's task count in
// it, so that a worker learns both from one load (ThreadPool::job_word_).
constexpr uint64_t kTasksMask = 0xff;

// Idle workers poll before they sleep: waking a sleeping thread costs from
// tens of microseconds to milliseconds (Atomics.notify, an idle core or a
// virtual CPU that has to be scheduled again), more than most nodes take, and
// the next node's job usually comes sooner. In wasm a worker polls for a
// time, checking the clock every kPollStride polls; natively the poll yields,
// so that more threads than cores still let the busy ones run.
#if defined(__EMSCRIPTEN__)
constexpr double kPollMilliseconds = 2.0;
constexpr int kPollStride = 1 << 10;

template <typename Pred>
bool PollFor(const Pred& pred) {
  const double end = emscripten_get_now() + kPollMilliseconds;
  do {
    for (int i = 0; i < kPollStride; ++i) {
      if (pred()) return true;
    }
  } while (emscripten_get_now() < end);
  return pred();
}
#else
constexpr int kPollIterations = 1 << 10;

template <typename Pred>
bool PollFor(const Pred& pred) {
  for (int i = 0; i < kPollIterations; ++i) {
    if (pred()) return true;
    sched_yield();
  }
  return pred();
}
#endif
}  // namespace

ThreadPool::ThreadPool(int threads) {
  const int wanted = std::min(std::max(threads, 1), static_cast<int>(kTasksMask));
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
  stopping_.store(true);
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
    uint64_t word = seen;
    auto fresh = [&] {
      word = job_word_.load(std::memory_order_acquire);
      return word != seen || stopping_.load(std::memory_order_relaxed);
    };
    if (!PollFor(fresh)) {
      // Sleep; the mutex orders this check against ParallelFor's wake-up.
      pthread_mutex_lock(&mutex_);
      ++sleepers_;
      while (!fresh()) pthread_cond_wait(&start_, &mutex_);
      --sleepers_;
      pthread_mutex_unlock(&mutex_);
    }
    if (stopping_.load()) return;
    seen = word;
    // Only a job's participants read its fields; the caller keeps them until
    // every participant is done, so they cannot change under this worker.
    const int tasks = static_cast<int>(word & kTasksMask);
    if (worker >= tasks) continue;
    (*job_)(RangeBegin(job_items_, worker, tasks), RangeBegin(job_items_, worker + 1, tasks),
            worker);
    worker_ranges_.fetch_add(1, std::memory_order_relaxed);
#if defined(__EMSCRIPTEN__)
    pending_.fetch_sub(1, std::memory_order_acq_rel);  // the caller never sleeps in wasm
#else
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&mutex_);
      if (caller_sleeping_) pthread_cond_signal(&done_);
      pthread_mutex_unlock(&mutex_);
    }
#endif
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
  job_ = &fn;
  job_items_ = n;
  pending_.store(tasks - 1, std::memory_order_relaxed);
  const uint64_t counter = (job_word_.load(std::memory_order_relaxed) & ~kTasksMask) + 0x100;
  job_word_.store(counter | static_cast<uint64_t>(tasks), std::memory_order_release);
  pthread_mutex_lock(&mutex_);
  if (sleepers_ > 0) pthread_cond_broadcast(&start_);
  pthread_mutex_unlock(&mutex_);
  in_parallel_task = true;
  fn(0, RangeBegin(n, 1, tasks), 0);
  in_parallel_task = false;
  auto done = [this] { return pending_.load(std::memory_order_acquire) == 0; };
#if defined(__EMSCRIPTEN__)
  // The caller waits for ranges that are running or about to: it polls to
  // the end. Sleeping gains nothing on a browser's main thread, whose futex
  // wait is a busy loop anyway, and its wake-up took milliseconds there.
  while (!done()) {
  }
#else
  if (!PollFor(done)) {
    pthread_mutex_lock(&mutex_);
    caller_sleeping_ = true;
    while (!done()) pthread_cond_wait(&done_, &mutex_);
    caller_sleeping_ = false;
    pthread_mutex_unlock(&mutex_);
  }
#endif
  job_ = nullptr;
  pthread_mutex_unlock(&caller_mutex_);
}

#endif

}  // namespace qlite
