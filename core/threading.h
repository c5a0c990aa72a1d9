// A small deterministic thread pool for kernels: ParallelFor splits [0, n)
// into one contiguous range per thread, the calling thread taking the first.
// Each task writes outputs no other task writes, so results never depend on
// the thread count; there is no work stealing and no task queue. Idle workers
// poll for a while before they sleep, so back-to-back nodes do not pay a
// wake-up each; a caller whose range is done polls too, and in wasm it never
// sleeps (core/threading.cc).
#pragma once

#include <atomic>
#include <cstdint>
#include <type_traits>
#include <vector>

// A wasm build without pthreads: the pool never starts a thread.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define QLITE_NO_THREADS 1
#else
#define QLITE_NO_THREADS 0
#include <pthread.h>
#endif

namespace qlite {

// fn(begin, end, worker): items [begin, end) on worker `worker` (0 is the
// calling thread), each worker index used by at most one range at a time, so
// that a kernel can give each worker its own slice of scratch memory. A
// non-owning reference to the caller's lambda (std::function's copying and
// type erasure would cost wasm bytes at every call site).
class RangeFn {
 public:
  template <typename Fn, typename = std::enable_if_t<!std::is_same_v<std::decay_t<Fn>, RangeFn>>>
  RangeFn(const Fn& fn)  // NOLINT(google-explicit-constructor): lambdas convert implicitly
      : object_(&fn), call_([](const void* object, int64_t begin, int64_t end, int worker) {
          (*static_cast<const Fn*>(object))(begin, end, worker);
        }) {}
  void operator()(int64_t begin, int64_t end, int worker) const {
    call_(object_, begin, end, worker);
  }

 private:
  const void* object_;
  void (*call_)(const void*, int64_t, int64_t, int);
};

class ThreadPool {
 public:
  // `threads` counts the calling thread: 1 (or less) starts no thread. A
  // build without thread support (wasm without pthreads) always runs one.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return threads_; }

  // Runs fn over [0, n) in min(tasks, threads(), n) contiguous ranges and
  // returns when all are done. Range w is [n * w / T, n * (w + 1) / T). A
  // call from inside a task (nested) runs the whole range on its thread.
  void ParallelFor(int64_t n, int tasks, const RangeFn& fn);

  // Ranges the pool's own threads have run so far (tests: work was split).
#if QLITE_NO_THREADS
  int64_t worker_ranges() const { return 0; }
#else
  int64_t worker_ranges() const { return worker_ranges_.load(); }
#endif

 private:
  int threads_ = 1;
#if !QLITE_NO_THREADS
  // POSIX threads rather than std::thread: libc++'s thread, mutex and
  // condition variable report errors through std::system_error, which links
  // snprintf and the locale code into the threaded wasm build (~15 KB).
  struct WorkerArg {
    ThreadPool* pool;
    int worker;
  };
  static void* WorkerMain(void* arg);
  void WorkerLoop(int worker);

  std::vector<pthread_t> workers_;
  std::vector<WorkerArg> worker_args_;
  pthread_mutex_t caller_mutex_ = PTHREAD_MUTEX_INITIALIZER;  // one ParallelFor at a time
  pthread_mutex_t mutex_ = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t start_ = PTHREAD_COND_INITIALIZER;
  pthread_cond_t done_ = PTHREAD_COND_INITIALIZER;
  // The current job: a counter and the task count in one word (workers poll
  // it, then sleep on start_), the function and item count written before it.
  std::atomic<uint64_t> job_word_{0};
  const RangeFn* job_ = nullptr;
  int64_t job_items_ = 0;
  std::atomic<int> pending_{0};  // participants still running
  std::atomic<bool> stopping_{false};
  int sleepers_ = 0;              // workers waiting on start_, under mutex_
  bool caller_sleeping_ = false;  // the caller waits on done_, under mutex_ (native only)
  std::atomic<int64_t> worker_ranges_{0};
#endif
};

// The number of tasks worth starting for `items` items of `work_per_item`
// (multiply-adds or values) each: one per kMinWorkPerTask of work, at most
// `threads`, at least 1. Small nodes stay on one thread, where waking others
// would cost more than it saves.
constexpr int64_t kMinWorkPerTask = 1 << 18;
int TasksFor(int threads, int64_t items, int64_t work_per_item);

// Tests: TasksFor's work per task (kMinWorkPerTask by default; 1 splits
// every node that has more than one item, so small test models split too).
void SetMinWorkPerTaskForTesting(int64_t work);

}  // namespace qlite
