// core/kernels/tie_order.h against the C++ library's own algorithms on
// thousands of seeded inputs with many equal keys, and hand-traced ties.
// Built natively (libstdc++) only results every correct implementation shares
// are compared (distinct keys; on ties the keys, not which element); built
// with libc++ (the wasm differential tests) the whole arrays must be equal,
// element for element. libc++ before LLVM 15 pops heaps with a plain
// sift-down instead of Floyd's descent (different on ties), so there the
// exact comparison covers push_heap and make_heap only.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/kernels/tie_order.h"

namespace qlite {
namespace {

#if defined(_LIBCPP_VERSION)
constexpr bool kLibcxx = true;
constexpr bool kLibcxxFloydPop = _LIBCPP_VERSION >= 15000;
#else
constexpr bool kLibcxx = false;
constexpr bool kLibcxxFloydPop = false;
#endif

struct Item {
  int key, id;
};
bool KeyLess(const Item& a, const Item& b) { return a.key < b.key; }

std::vector<int> Ids(const std::vector<Item>& items) {
  std::vector<int> ids;
  for (const Item& i : items) ids.push_back(i.id);
  return ids;
}
std::vector<int> Keys(const std::vector<Item>& items) {
  std::vector<int> keys;
  for (const Item& i : items) keys.push_back(i.key);
  return keys;
}

// `len` items, ids 0..len-1; keys from `key_count` values (many ties), or a
// permutation of 0..len-1 when key_count is 0.
std::vector<Item> RandomItems(std::mt19937& rng, int len, int key_count) {
  std::vector<Item> items(len);
  for (int i = 0; i < len; ++i) items[i] = {key_count > 0 ? int(rng() % key_count) : i, i};
  if (key_count == 0) {
    std::vector<int> keys = Keys(items);
    std::shuffle(keys.begin(), keys.end(), rng);
    for (int i = 0; i < len; ++i) items[i].key = keys[i];
  }
  return items;
}

TEST(TieOrderTest, PartialSortMatchesTheLibrary) {
  std::mt19937 rng(22);
  for (int run = 0; run < 6000; ++run) {
    const int len = 1 + int(rng() % 48);
    const int middle = int(rng() % (len + 1));
    const int key_count = run % 3 == 0 ? 0 : 1 + int(rng() % 6);
    std::vector<Item> expected = RandomItems(rng, len, key_count);
    std::vector<Item> actual = expected;
    std::partial_sort(expected.begin(), expected.begin() + middle, expected.end(), KeyLess);
    libcxx_order::PartialSort(actual.data(), middle, len, KeyLess);
    const std::vector<Item> head(expected.begin(), expected.begin() + middle);
    const std::vector<Item> actual_head(actual.begin(), actual.begin() + middle);
    ASSERT_EQ(Keys(actual_head), Keys(head)) << "run " << run;
    if (key_count == 0) ASSERT_EQ(Ids(actual_head), Ids(head)) << "run " << run;
    if (kLibcxxFloydPop) ASSERT_EQ(Ids(actual), Ids(expected)) << "run " << run;
  }
}

TEST(TieOrderTest, MakeHeapMatchesTheLibrary) {
  std::mt19937 rng(23);
  for (int run = 0; run < 4000; ++run) {
    const int len = int(rng() % 48);
    std::vector<Item> expected = RandomItems(rng, len, 1 + int(rng() % 6));
    std::vector<Item> actual = expected;
    std::make_heap(expected.begin(), expected.end(), KeyLess);
    libcxx_order::MakeHeap(actual.data(), len, KeyLess);
    ASSERT_TRUE(std::is_heap(actual.begin(), actual.end(), KeyLess)) << "run " << run;
    if (kLibcxx) ASSERT_EQ(Ids(actual), Ids(expected)) << "run " << run;
  }
}

// A priority queue as TFLite's NMS uses one: every item pushed, then pops,
// some followed by a push (a soft-suppressed candidate going back in).
TEST(TieOrderTest, PushAndPopHeapMatchTheLibrary) {
  std::mt19937 rng(24);
  for (int run = 0; run < 6000; ++run) {
    const int len = 1 + int(rng() % 48);
    const int key_count = run % 3 == 0 ? 0 : 1 + int(rng() % 6);
    const std::vector<Item> items = RandomItems(rng, len, key_count);
    std::vector<Item> expected, actual(2 * len);
    int size = 0;
    for (const Item& item : items) {
      expected.push_back(item);
      std::push_heap(expected.begin(), expected.end(), KeyLess);
      actual[size++] = item;
      libcxx_order::PushHeap(actual.data(), size, KeyLess);
    }
    if (kLibcxx) {
      ASSERT_EQ(Ids({actual.begin(), actual.begin() + size}), Ids(expected)) << "run " << run;
    }
    int next_id = len;
    while (size > 0) {
      std::pop_heap(expected.begin(), expected.end(), KeyLess);
      libcxx_order::PopHeap(actual.data(), size, KeyLess);
      const Item want = expected.back(), got = actual[--size];
      expected.pop_back();
      ASSERT_EQ(got.key, want.key) << "run " << run;
      if (key_count == 0 || kLibcxxFloydPop) ASSERT_EQ(got.id, want.id) << "run " << run;
      if (kLibcxxFloydPop) {
        ASSERT_EQ(Ids({actual.begin(), actual.begin() + size}), Ids(expected)) << "run " << run;
      }
      if (rng() % 3 == 0 && size > 0) {
        // Distinct-key runs take a key no item has.
        const Item back{key_count > 0 ? int(rng() % key_count) : len + next_id, next_id};
        ++next_id;
        expected.push_back(back);
        std::push_heap(expected.begin(), expected.end(), KeyLess);
        actual[size++] = back;
        libcxx_order::PushHeap(actual.data(), size, KeyLess);
      }
    }
  }
}

TEST(TieOrderTest, PartialSortOfThreeEqualKeys) {
  // make_heap: the equal left child moves up, [1, 0, 2]; sort_heap: popping 1
  // leaves [0, 2] (2 fills the hole at the leaf), popping 0 leaves [2].
  std::vector<Item> items = {{7, 0}, {7, 1}, {7, 2}};
  libcxx_order::PartialSort(items.data(), 3, 3, KeyLess);
  EXPECT_EQ(Ids(items), (std::vector<int>{2, 0, 1}));
}

TEST(TieOrderTest, PartialSortKeepsTheFirstOfEqualOutsiders) {
  // Heap [3 (id 1), 1 (id 0)]; the later 3s equal its top and stay where
  // they are; 0 (id 4) swaps with the top, which lands last.
  std::vector<Item> items = {{1, 0}, {3, 1}, {3, 2}, {3, 3}, {0, 4}};
  libcxx_order::PartialSort(items.data(), 2, 5, KeyLess);
  EXPECT_EQ(Keys(items), (std::vector<int>{0, 1, 3, 3, 3}));
  EXPECT_EQ(Ids(items), (std::vector<int>{4, 0, 2, 3, 1}));
}

TEST(TieOrderTest, PopHeapTakesTheLeftOfEqualChildren) {
  // Heap [9, 5a, 5b, 1]: the hole goes left (5a up), then to the leaf 1's
  // place, which 9 takes. libstdc++ would bring 5b up instead.
  std::vector<Item> heap = {{9, 0}, {5, 1}, {5, 2}, {1, 3}};
  libcxx_order::PopHeap(heap.data(), 4, KeyLess);
  EXPECT_EQ(Ids(heap), (std::vector<int>{1, 3, 2, 0}));
  libcxx_order::PopHeap(heap.data(), 3, KeyLess);
  EXPECT_EQ(Ids(heap), (std::vector<int>{2, 3, 1, 0}));
}

TEST(TieOrderTest, PushHeapStopsBelowAnEqualParent) {
  std::vector<Item> heap = {{5, 0}, {4, 1}, {4, 2}};
  libcxx_order::PushHeap(heap.data(), 1, KeyLess);
  libcxx_order::PushHeap(heap.data(), 2, KeyLess);
  libcxx_order::PushHeap(heap.data(), 3, KeyLess);
  heap.push_back({5, 3});
  libcxx_order::PushHeap(heap.data(), 4, KeyLess);
  // 5 (id 3) passes its parent 4 (id 1), not the equal root.
  EXPECT_EQ(Ids(heap), (std::vector<int>{0, 3, 2, 1}));
}

TEST(TieOrderTest, EmptyAndSingleRangesAreUntouched) {
  std::vector<Item> one = {{1, 0}};
  libcxx_order::PartialSort(one.data(), 0, 1, KeyLess);
  libcxx_order::PartialSort(one.data(), 1, 1, KeyLess);
  libcxx_order::PopHeap(one.data(), 1, KeyLess);
  libcxx_order::PushHeap(one.data(), 1, KeyLess);
  libcxx_order::MakeHeap(one.data(), 1, KeyLess);
  libcxx_order::PartialSort<Item>(nullptr, 0, 0, KeyLess);
  EXPECT_EQ(Ids(one), (std::vector<int>{0}));
}

}  // namespace
}  // namespace qlite
