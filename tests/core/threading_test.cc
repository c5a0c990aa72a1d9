// core/threading.h: ParallelFor covers every item exactly once, in the
// documented contiguous ranges, one worker index per range; nested calls and
// one-thread pools run inline; TasksFor keeps small work on one thread.
#include "core/threading.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace qlite {
namespace {

struct Range {
  int64_t begin, end;
  int worker;
};

std::vector<Range> Ranges(ThreadPool& pool, int64_t n, int tasks) {
  std::mutex mutex;
  std::vector<Range> ranges;
  pool.ParallelFor(n, tasks, [&](int64_t begin, int64_t end, int worker) {
    std::lock_guard<std::mutex> lock(mutex);
    ranges.push_back({begin, end, worker});
  });
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  return ranges;
}

TEST(ThreadingTest, SplitsIntoContiguousRangesOnePerWorker) {
  ThreadPool pool(4);
  EXPECT_EQ(pool.threads(), 4);
  // 10 items over 4 tasks: [10w/4, 10(w+1)/4) = [0,2) [2,5) [5,7) [7,10).
  const std::vector<Range> ranges = Ranges(pool, 10, 4);
  ASSERT_EQ(ranges.size(), 4u);
  const int64_t bounds[5] = {0, 2, 5, 7, 10};
  for (int w = 0; w < 4; ++w) {
    EXPECT_EQ(ranges[w].begin, bounds[w]);
    EXPECT_EQ(ranges[w].end, bounds[w + 1]);
    EXPECT_EQ(ranges[w].worker, w);
  }
}

TEST(ThreadingTest, NeverMoreTasksThanItemsThreadsOrAsked) {
  ThreadPool pool(4);
  EXPECT_EQ(Ranges(pool, 3, 4).size(), 3u);  // 3 items
  EXPECT_EQ(Ranges(pool, 100, 2).size(), 2u);
  EXPECT_EQ(Ranges(pool, 100, 9).size(), 4u);  // 4 threads
  EXPECT_EQ(Ranges(pool, 0, 4).size(), 0u);    // nothing to do: fn is not called
  const std::vector<Range> one = Ranges(pool, 5, 1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].begin, 0);
  EXPECT_EQ(one[0].end, 5);
  EXPECT_EQ(one[0].worker, 0);
}

TEST(ThreadingTest, CallerThreadRunsTheFirstRange) {
  ThreadPool pool(3);
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> first_on_caller{0};
  std::atomic<int> others_on_caller{0};
  pool.ParallelFor(30, 3, [&](int64_t begin, int64_t, int worker) {
    const bool on_caller = std::this_thread::get_id() == caller;
    if (worker == 0 && begin == 0 && on_caller) ++first_on_caller;
    if (worker != 0 && on_caller) ++others_on_caller;
  });
  EXPECT_EQ(first_on_caller, 1);
  EXPECT_EQ(others_on_caller, 0);
}

TEST(ThreadingTest, EveryItemOnceOverManyCalls) {
  ThreadPool pool(4);
  std::vector<int> hits(1000);
  for (int call = 0; call < 500; ++call) {
    const int64_t n = 1 + call % 997;
    pool.ParallelFor(n, 1 + call % 5, [&](int64_t begin, int64_t end, int) {
      for (int64_t i = begin; i < end; ++i) ++hits[i];
    });
  }
  int64_t total = 0;
  for (int h : hits) total += h;
  int64_t expected = 0;
  for (int call = 0; call < 500; ++call) expected += 1 + call % 997;
  EXPECT_EQ(total, expected);
}

// Waiting threads poll, then sleep: jobs that come after the workers have
// gone to sleep, and a caller that sleeps until a slow worker is done.
TEST(ThreadingTest, SleepingWorkersAndCallerWakeUp) {
  ThreadPool pool(4);
  std::atomic<int64_t> items{0};
  for (int round = 0; round < 6; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the poll budget
    const int tasks = 2 + round % 3;                             // some workers sit out some jobs
    pool.ParallelFor(100, tasks, [&](int64_t begin, int64_t end, int worker) {
      if (worker == tasks - 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      items += end - begin;
    });
    EXPECT_EQ(items.exchange(0), 100) << "round " << round;
  }
  EXPECT_EQ(pool.worker_ranges(), 1 + 2 + 3 + 1 + 2 + 3);
}

TEST(ThreadingTest, NestedCallRunsInlineOnItsThread) {
  ThreadPool pool(2);
  std::atomic<int> inner_ranges{0};
  std::atomic<int64_t> inner_items{0};
  pool.ParallelFor(2, 2, [&](int64_t, int64_t, int) {
    pool.ParallelFor(8, 2, [&](int64_t begin, int64_t end, int worker) {
      EXPECT_EQ(worker, 0);
      ++inner_ranges;
      inner_items += end - begin;
    });
  });
  EXPECT_EQ(inner_ranges, 2);  // one whole range per outer task
  EXPECT_EQ(inner_items, 16);
}

TEST(ThreadingTest, OneThreadAndInvalidCountsRunInline) {
  for (int threads : {1, 0, -3}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.threads(), 1);
    const std::vector<Range> ranges = Ranges(pool, 7, 4);
    ASSERT_EQ(ranges.size(), 1u);
    EXPECT_EQ(ranges[0].end, 7);
  }
}

TEST(ThreadingTest, CountsTheRangesItsThreadsRan) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.worker_ranges(), 0);
  Ranges(pool, 9, 3);
  EXPECT_EQ(pool.worker_ranges(), 2);  // the caller ran the first of three
  Ranges(pool, 1, 3);                  // one item: inline
  EXPECT_EQ(pool.worker_ranges(), 2);
}

TEST(ThreadingTest, TasksForKeepsSmallWorkOnOneThread) {
  EXPECT_EQ(TasksFor(4, 100, 10), 1);              // 1000 < kMinWorkPerTask
  EXPECT_EQ(TasksFor(1, 1 << 20, 1 << 20), 1);     // one thread
  EXPECT_EQ(TasksFor(4, 1, int64_t{1} << 40), 1);  // one item
  EXPECT_EQ(TasksFor(4, 2, kMinWorkPerTask), 2);   // two tasks' worth
  EXPECT_EQ(TasksFor(4, 3, kMinWorkPerTask), 3);
  EXPECT_EQ(TasksFor(4, 1000, kMinWorkPerTask), 4);   // at most `threads`
  EXPECT_EQ(TasksFor(4, 8, kMinWorkPerTask / 4), 2);  // 2 tasks' worth over 8 items
  SetMinWorkPerTaskForTesting(1);
  EXPECT_EQ(TasksFor(4, 3, 1), 3);
  SetMinWorkPerTaskForTesting(kMinWorkPerTask);
  EXPECT_EQ(TasksFor(4, 3, 1), 1);
}

}  // namespace
}  // namespace qlite
