// WalkRows, RowWalkOf and EvalRowWalk (broadcast.h). Built for size in the
// wasm build, as new kernel files are: the walk only steps between rows, the
// row functions do the work.
#include "core/kernels/broadcast.h"

namespace qlite {

RowWalk RowWalkOf(const BroadcastShape& b) {
  RowWalk walk;
  walk.dims = b.dims;
  walk.strides[0] = b.stride1;
  walk.strides[1] = b.stride2;
  if (b.same_shapes) {
    walk.dims.fill(1);
    walk.dims[kMaxBroadcastRank - 1] = static_cast<int32_t>(b.num_elements);
    for (auto& s : walk.strides) s.fill(0);
    walk.strides[0][kMaxBroadcastRank - 1] = walk.strides[1][kMaxBroadcastRank - 1] = 1;
  }
  return walk;
}

void WalkRows(const RowWalk& walk, int num_inputs, const uint8_t* const* inputs,
              const size_t* element_bytes, uint8_t* out, size_t out_bytes, RowFn row,
              const void* op) {
  constexpr int kLast = kMaxBroadcastRank - 1;
  const auto& d = walk.dims;
  for (int32_t n : d) {
    if (n == 0) return;
  }
  int32_t index[kLast] = {};
  int64_t steps[3] = {};
  for (int k = 0; k < num_inputs; ++k) steps[k] = walk.strides[k][kLast];
  while (true) {
    const uint8_t* rows[3] = {};
    for (int k = 0; k < num_inputs; ++k) {
      int64_t offset = 0;
      for (int i = 0; i < kLast; ++i) offset += index[i] * walk.strides[k][i];
      rows[k] = inputs[k] + offset * static_cast<int64_t>(element_bytes[k]);
    }
    row(op, rows, steps, d[kLast], out);
    out += d[kLast] * out_bytes;
    int i = kLast - 1;
    for (; i >= 0; --i) {
      if (++index[i] < d[i]) break;
      index[i] = 0;
    }
    if (i < 0) return;
  }
}

Status EvalRowWalk(OpContext& ctx) {
  const RowWalkData& d = *ctx.op_data<RowWalkData>();
  const uint8_t* inputs[3] = {};
  for (int k = 0; k < d.num_inputs; ++k) {
    inputs[k] = ctx.input(k < ctx.num_inputs() ? k : ctx.num_inputs() - 1)->data;
  }
  WalkRows(d.walk, d.num_inputs, inputs, d.element_bytes, ctx.output(0)->data, d.out_bytes, d.row,
           &d);
  return Status::Ok();
}

}  // namespace qlite
