// numpy-style broadcasting of two inputs to one output, shared by the binary
// elementwise kernels (ADD, SUB, MUL, MAXIMUM, MINIMUM, comparisons, logical
// ops). Prepare computes a BroadcastShape once; eval calls ForEachBroadcast
// with the per-element math (or ForEachBroadcastRow with a vectorized row, or
// WalkRows with a row function).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <initializer_list>

#include "core/kernel_api.h"
#include "core/status.h"
#include "core/tensor.h"

namespace qlite {

// Ranks up to 6, as TFLite's broadcasting binary ops.
constexpr int kMaxBroadcastRank = 6;

struct BroadcastShape {
  // Output dims padded with leading 1s to kMaxBroadcastRank.
  std::array<int32_t, kMaxBroadcastRank> dims{};
  // Element strides of each input; 0 along the dims it is broadcast over.
  std::array<int64_t, kMaxBroadcastRank> stride1{}, stride2{};
  // Both inputs have the output's element count: one flat loop suffices.
  bool same_shapes = false;
  int64_t num_elements = 0;
};

// numpy rules: dims are aligned from the right, each pair must be equal or
// contain a 1, and the output takes the larger. `op` names the op in errors.
Status ComputeBroadcastShape(const Shape& shape1, const Shape& shape2, const char* op,
                             BroadcastShape* broadcast, Shape* out_shape);

// The common start of every binary elementwise prepare: two inputs and one
// output, input 1 of one of `types`, input 2 and the output of that same type.
Status PrepareBinaryOperands(const OpContext& ctx, std::initializer_list<DType> types,
                             const Tensor** in1, const Tensor** in2, const Tensor** out);

// Walks the output in row-major order one innermost row at a time:
// row(row1, step1, row2, step2, count, out) computes `count` outputs from
// row1[i * step1] and row2[i * step2] (a step is 0 along a broadcast dim).
// Same-shape inputs are one row. SIMD kernels vectorize `row`.
template <typename In, typename Out, typename Row>
void ForEachBroadcastRow(const BroadcastShape& b, const In* in1, const In* in2, Out* out, Row row) {
  if (b.same_shapes) {
    row(in1, int64_t{1}, in2, int64_t{1}, b.num_elements, out);
    return;
  }
  const auto& d = b.dims;
  const auto& s1 = b.stride1;
  const auto& s2 = b.stride2;
  for (int32_t i0 = 0; i0 < d[0]; ++i0) {
    for (int32_t i1 = 0; i1 < d[1]; ++i1) {
      for (int32_t i2 = 0; i2 < d[2]; ++i2) {
        for (int32_t i3 = 0; i3 < d[3]; ++i3) {
          for (int32_t i4 = 0; i4 < d[4]; ++i4) {
            const In* row1 = in1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] + i4 * s1[4];
            const In* row2 = in2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] + i4 * s2[4];
            row(row1, s1[5], row2, s2[5], int64_t{d[5]}, out);
            out += d[5];
          }
        }
      }
    }
  }
}

// out[i] = op(in1[j], in2[k]) over the output in row-major order, where j, k
// are the broadcast positions of output element i in each input.
template <typename In, typename Out, typename Op>
void ForEachBroadcast(const BroadcastShape& b, const In* in1, const In* in2, Out* out, Op op) {
  ForEachBroadcastRow(b, in1, in2, out,
                      [&op](const In* row1, int64_t step1, const In* row2, int64_t step2,
                            int64_t count, Out* row_out) {
                        for (int64_t i = 0; i < count; ++i) {
                          row_out[i] = op(row1[i * step1], row2[i * step2]);
                        }
                      });
}

// A walk over up to three inputs whose per-element loop is instantiated for
// many dtypes (comparisons, logical ops, SELECT): the walk is compiled once,
// out of line, and calls `row` on each innermost row, so that each dtype adds
// only its small row function.
struct RowWalk {
  // Output dims padded with leading 1s to kMaxBroadcastRank.
  std::array<int32_t, kMaxBroadcastRank> dims{};
  // Element strides of each input; 0 along the dims it is broadcast over.
  std::array<int64_t, kMaxBroadcastRank> strides[3]{};
};

// The walk of a two-input broadcast; same-shape inputs become one row.
RowWalk RowWalkOf(const BroadcastShape& b);

// row(op, rows, steps, count, out): `count` outputs from rows[k][i * steps[k]]
// (input k's element i of this row; a step is 0 along a broadcast dim).
using RowFn = void (*)(const void* op, const uint8_t* const* rows, const int64_t* steps,
                       int64_t count, uint8_t* out);

// Walks the output in row-major order; input k starts at inputs[k] and has
// elements of element_bytes[k] bytes, the output out_bytes per element.
void WalkRows(const RowWalk& walk, int num_inputs, const uint8_t* const* inputs,
              const size_t* element_bytes, uint8_t* out, size_t out_bytes, RowFn row,
              const void* op);

// The prepared state of a kernel that evaluates through EvalRowWalk; kernels
// derive their OpData from it (row gets a const RowWalkData*).
struct RowWalkData : OpData {
  RowWalk walk;
  RowFn row = nullptr;
  int num_inputs = 2;
  size_t element_bytes[3] = {};
  size_t out_bytes = 1;
};

// The eval of such kernels: walks inputs 0 .. num_inputs - 1 (a node with
// fewer inputs repeats its last one) into output 0.
Status EvalRowWalk(OpContext& ctx);

}  // namespace qlite
