// Float32 CONV_2D with SIMD128 register tiles (conv_float.cc), called by the
// CONV_2D kernel (conv.cc) for float32 nodes after PrepareConv2D.
#pragma once

#include <vector>

#include "core/kernels/conv.h"
#include "kernels_wasm/worker_scratch.h"

namespace qlite {
namespace simd {

struct FloatConvPlan {
  // Blocks of 8 output channels, [block][ky][kx][ic][8], zero padded.
  std::vector<float> weights;
  std::vector<float> bias;   // [block][8]; 0.0f where absent, as the reference adds
  std::vector<float> zeros;  // in_channels zeros: the row padding taps read
  bool finite_weights = false;
  bool pixels_are_rows = false;  // 1x1 stride 1 without padding: GEMM on the input
  WorkerScratch pointers;        // per worker: one chunk's tap pointers
};

Status PrepareFloatConv(OpContext& ctx, const ConvOpData& d, const float* filter, const float* bias,
                        FloatConvPlan* plan);
void EvalFloatConv(const OpContext& ctx, const ConvOpData& d, const FloatConvPlan& plan,
                   const float* input, float* output);

}  // namespace simd
}  // namespace qlite
