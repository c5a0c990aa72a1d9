// DEPTHWISE_CONV_2D's prepare-time state, shared by the reference kernel
// (depthwise_conv.cc) and the kernels that override it, which validate through
// the same prepare and then pack their weights.
#pragma once

#include "core/kernel_api.h"
#include "core/kernels/conv_common.h"

namespace qlite {

struct DepthwiseConvOpData : OpData {
  ConvArithmetic arith;
  int batches = 0, in_height = 0, in_width = 0, in_channels = 0;
  int filter_height = 0, filter_width = 0;
  int out_height = 0, out_width = 0, out_channels = 0;
  int depth_multiplier = 0;
  int stride_height = 0, stride_width = 0, dilation_height = 0, dilation_width = 0;
  int pad_height = 0, pad_width = 0;
};

// Validates the node, fills `data` (created by the caller with
// ctx.NewOpData) and sets the output shape.
Status PrepareDepthwiseConv(OpContext& ctx, DepthwiseConvOpData* data);

}  // namespace qlite
