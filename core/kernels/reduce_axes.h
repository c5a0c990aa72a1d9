// Which input dimensions a reduction (MEAN, SUM, REDUCE_*) folds away, from
// the constant int32 axis tensor, as TFLite resolves them: negative axes
// count from the end, a repeated axis counts once, a scalar input ignores its
// axes; keep_dims keeps reduced dimensions as 1.
#pragma once

#include <cstdint>
#include <vector>

#include "core/kernel_api.h"
#include "core/status.h"

namespace qlite {

struct ReducedAxes {
  Shape in_shape;
  Shape out_shape;
  std::vector<int64_t> out_strides;  // per input dimension; 0 for reduced ones
  int64_t out_count = 0;
  int64_t reduced_count = 1;  // input elements per output element
  bool any_reduced = false;   // false: every output is one input element
};

// Checks the axis tensor (int32, or int64 too where `int64_axes`; scalar or
// 1-D; constant) and each axis against `input`'s rank; `*axes` receives the
// raw axis values.
Status ResolveReducedAxes(const Tensor& input, const Tensor& axis_tensor, bool keep_dims,
                          ReducedAxes* r, std::vector<int32_t>* axes, bool int64_axes = false);

// The input in memory order as rows along its last dimension:
// row(context, input offset, output offset, row length, output step), where
// the step is 0 when the last dimension is reduced and 1 otherwise. One
// function for every dtype: kernels pass a small per-dtype row function.
using ReducedRowFn = void (*)(const void* context, int64_t in, int64_t out, int64_t length,
                              int64_t out_step);
void ForEachReducedRow(const ReducedAxes& r, ReducedRowFn row, const void* context);

// Each output's inputs summed in memory order into `sums` (out_count
// entries): float32 into float; int8, uint8 and int16 raw values into int32
// that wraps, as TFLite's accumulators.
void SumReducedInputs(const ReducedAxes& r, const Tensor& input, void* sums);

}  // namespace qlite
