// DEPTH_TO_SPACE in SIMD128, for every dtype the reference takes (it only
// moves bytes). Prepare is the reference one (core/kernels/space_rearrange.cc:
// block_size >= 1, depth a multiple of block_size^2, DCR order). In DCR order
// output row h * bs + hb, pixels w * bs .. w * bs + bs - 1 are one contiguous
// run of the input pixel (h, w): its depth slice hb * bs * C' .. (hb + 1) *
// bs * C' (C' = depth / bs^2). So the output is written front to back, one
// run of bs * C' elements per (row, input pixel), 16 bytes at a time.
#include <cstdint>
#include <cstring>

#include "core/kernels/kernel_util.h"
#include "core/kernels/space_rearrange.h"
#include "core/op_table.h"
#include "kernels_wasm/reference_prepare.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

struct DepthToSpaceData : OpData {
  int32_t batch = 0, height = 0, width = 0, block = 0;
  int64_t pixel_bytes = 0;  // one input pixel: depth * element size
};

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  return input != nullptr && output != nullptr && input->type == output->type;
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(PrepareAsReference(ctx));
  const Tensor& input = *ctx.input(0);
  auto* d = ctx.NewOpData<DepthToSpaceData>();  // replaces the reference's index tables
  d->batch = input.dim(0);
  d->height = input.dim(1);
  d->width = input.dim(2);
  d->block = ctx.options<BlockSizeOptions>().block_size;
  d->pixel_bytes = int64_t{input.dim(3)} * static_cast<int64_t>(DTypeSize(input.type));
  return Status::Ok();
}

// Copies `bytes` (> 0) from `src` to `dst` (not overlapping) in 16-, 8- or
// 4-byte pieces, the last piece overlapping the one before it.
inline void CopyRun(const uint8_t* src, uint8_t* dst, int64_t bytes) {
  if (bytes >= 16) {
    for (int64_t i = 0; i + 16 <= bytes; i += 16) wasm_v128_store(dst + i, wasm_v128_load(src + i));
    if (bytes % 16 != 0) wasm_v128_store(dst + bytes - 16, wasm_v128_load(src + bytes - 16));
  } else if (bytes >= 8) {
    wasm_v128_store64_lane(dst, wasm_v128_load64_zero(src), 0);
    wasm_v128_store64_lane(dst + bytes - 8, wasm_v128_load64_zero(src + bytes - 8), 0);
  } else if (bytes >= 4) {
    std::memcpy(dst, src, 4);
    std::memcpy(dst + bytes - 4, src + bytes - 4, 4);
  } else {
    for (int64_t i = 0; i < bytes; ++i) dst[i] = src[i];
  }
}

Status Eval(OpContext& ctx) {
  Tensor& output = *ctx.output(0);
  if (output.num_elements() == 0) return Status::Ok();
  const DepthToSpaceData& d = *ctx.op_data<DepthToSpaceData>();
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = output.data;
  const int64_t run = d.pixel_bytes / d.block;  // bs * C' elements
  const int64_t in_row = d.pixel_bytes * d.width;
  for (int64_t row = 0; row < int64_t{d.batch} * d.height; ++row) {
    const uint8_t* pixels = in + row * in_row;
    for (int32_t hb = 0; hb < d.block; ++hb) {
      const uint8_t* slice = pixels + hb * run;
      for (int32_t w = 0; w < d.width; ++w, out += run)
        CopyRun(slice + w * d.pixel_bytes, out, run);
    }
  }
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* DepthToSpace() {
  static const KernelRegistration kRegistration = {"depth_to_space_simd128", Prepare, Eval,
                                                   Accepts};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
