// The heap algorithms of LLVM's libc++ (std::push_heap, std::pop_heap and
// std::partial_sort), written out so that elements that compare equal end up
// where libc++ puts them whatever C++ library builds qlite. TFLite's
// detection kernels rank candidates with these algorithms, so on equal scores
// the boxes they pick depend on the library; LiteRT.js builds TFLite with
// libc++, and so qlite follows libc++ everywhere (libstdc++ breaks ties
// differently, e.g. its pop_heap prefers the right child of two equal ones).
//
// The steps, as libc++ (LLVM 15 and later) does them:
// - sift-down (make_heap, partial_sort's selection): take the right child
//   only when the left one is less; stop once that child is less than the
//   moving element (an equal child still moves up);
// - sift-up (push_heap): move up while the parent is less;
// - pop_heap (also sort_heap): Floyd's variant, the hole walks down to a leaf
//   along the larger children (the left one on ties), the last element fills
//   it and sifts up;
// - partial_sort: make_heap of the first part, each later element less than
//   the top replaces it and sifts down, then sort_heap.
#pragma once

#include <cstddef>
#include <utility>

namespace qlite {
namespace libcxx_order {

// Moves heap[start] down the max-heap heap[0, len) of `less`.
template <typename T, typename Less>
void SiftDown(T* heap, std::ptrdiff_t len, std::ptrdiff_t start, Less less) {
  if (len < 2 || (len - 2) / 2 < start) return;
  std::ptrdiff_t child = 2 * start + 1;
  if (child + 1 < len && less(heap[child], heap[child + 1])) ++child;
  if (less(heap[child], heap[start])) return;
  T moving = std::move(heap[start]);
  std::ptrdiff_t hole = start;
  do {
    heap[hole] = std::move(heap[child]);
    hole = child;
    if ((len - 2) / 2 < child) break;
    child = 2 * child + 1;
    if (child + 1 < len && less(heap[child], heap[child + 1])) ++child;
  } while (!less(heap[child], moving));
  heap[hole] = std::move(moving);
}

// Moves heap[len - 1] up the max-heap heap[0, len).
template <typename T, typename Less>
void SiftUp(T* heap, std::ptrdiff_t len, Less less) {
  if (len < 2) return;
  std::ptrdiff_t parent = (len - 2) / 2;
  std::ptrdiff_t hole = len - 1;
  if (!less(heap[parent], heap[hole])) return;
  T moving = std::move(heap[hole]);
  do {
    heap[hole] = std::move(heap[parent]);
    hole = parent;
    if (parent == 0) break;
    parent = (parent - 1) / 2;
  } while (less(heap[parent], moving));
  heap[hole] = std::move(moving);
}

// std::push_heap(heap, heap + len): heap[0, len - 1) is a heap, heap[len - 1]
// joins it.
template <typename T, typename Less>
void PushHeap(T* heap, std::ptrdiff_t len, Less less) {
  SiftUp(heap, len, less);
}

// std::pop_heap(heap, heap + len): the top moves to heap[len - 1].
template <typename T, typename Less>
void PopHeap(T* heap, std::ptrdiff_t len, Less less) {
  if (len < 2) return;
  T top = std::move(heap[0]);
  // Floyd's descent: the hole goes to a leaf without comparing the element
  // that will fill it.
  std::ptrdiff_t hole = 0;
  std::ptrdiff_t child = 0;
  do {
    child = 2 * child + 1;
    if (child + 1 < len && less(heap[child], heap[child + 1])) ++child;
    heap[hole] = std::move(heap[child]);
    hole = child;
  } while (child <= (len - 2) / 2);
  const std::ptrdiff_t last = len - 1;
  if (hole == last) {
    heap[hole] = std::move(top);
    return;
  }
  heap[hole] = std::move(heap[last]);
  heap[last] = std::move(top);
  SiftUp(heap, hole + 1, less);
}

// std::make_heap(heap, heap + len).
template <typename T, typename Less>
void MakeHeap(T* heap, std::ptrdiff_t len, Less less) {
  for (std::ptrdiff_t start = (len - 2) / 2; len > 1 && start >= 0; --start) {
    SiftDown(heap, len, start, less);
  }
}

// std::partial_sort(first, first + middle, first + len): the `middle`
// smallest by `less`, ascending, in first[0, middle); the rest after them.
template <typename T, typename Less>
void PartialSort(T* first, std::ptrdiff_t middle, std::ptrdiff_t len, Less less) {
  if (middle <= 0) return;
  MakeHeap(first, middle, less);
  for (std::ptrdiff_t i = middle; i < len; ++i) {
    if (less(first[i], first[0])) {
      std::swap(first[i], first[0]);
      SiftDown(first, middle, 0, less);
    }
  }
  for (std::ptrdiff_t n = middle; n > 1; --n) PopHeap(first, n, less);
}

}  // namespace libcxx_order
}  // namespace qlite
