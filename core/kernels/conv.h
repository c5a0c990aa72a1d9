// CONV_2D's prepare-time state, shared by the reference kernel (conv.cc) and
// the kernels that override it, which validate through the same prepare and
// then pack their weights.
#pragma once

#include "core/kernel_api.h"
#include "core/kernels/conv_common.h"

namespace qlite {

struct ConvOpData : OpData {
  ConvArithmetic arith;
  int batches = 0, in_height = 0, in_width = 0, in_channels = 0;
  int filter_height = 0, filter_width = 0, filter_in_channels = 0;
  int out_height = 0, out_width = 0, out_channels = 0;
  int filters_per_group = 0;  // output channels per group of input channels
  int stride_height = 0, stride_width = 0, dilation_height = 0, dilation_width = 0;
  int pad_height = 0, pad_width = 0;
};

// Validates the node, fills `data` (created by the caller with
// ctx.NewOpData) and sets the output shape.
Status PrepareConv2D(OpContext& ctx, ConvOpData* data);

}  // namespace qlite
