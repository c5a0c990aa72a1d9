// float32 DEPTHWISE_CONV_2D in SIMD128 (depthwise_conv_float.cc), called by
// the op's one registration (depthwise_conv.cc) after its prepare.
#pragma once

#include "core/kernel_api.h"
#include "core/kernels/depthwise_conv.h"

namespace qlite {
namespace simd {

// Every output of `d`'s layer from `input`, which has one channel per output
// channel (a depth multiplier's channels already repeated); `bias` may be
// nullptr. Output rows are split over the threads.
void EvalDepthwiseFloat(const OpContext& ctx, const DepthwiseConvOpData& d, const float* input,
                        const float* filter, const float* bias, float* output);

}  // namespace simd
}  // namespace qlite
