// FULLY_CONNECTED's prepare-time state, shared by the reference kernel
// (fully_connected.cc) and the kernels that override it, which validate
// through the same prepare and then pack their weights.
#pragma once

#include <cstdint>
#include <vector>

#include "core/kernel_api.h"

namespace qlite {

struct FullyConnectedData : OpData {
  int64_t batches = 0;
  int32_t input_depth = 0;
  int32_t units = 0;
  // float32 and hybrid
  float act_min_float = 0.0f, act_max_float = 0.0f;
  // int8 / uint8 / int16: offsets are the negated zero points of input and
  // filter, output_offset is the output zero point.
  int32_t input_offset = 0, filter_offset = 0, output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  std::vector<int32_t> multipliers, shifts;  // one per unit (per-tensor is broadcast)
  // int8 / uint8 under Arithmetic::kXnnpack: XNNPACK's float scale per unit
  // (XnnpackRequantize); empty: TFLite's multipliers and shifts.
  std::vector<float> xnnpack_scales;
  // hybrid
  bool hybrid = false;
  bool asymmetric_inputs = false;
  std::vector<float> filter_scales;      // one per unit (per-tensor is broadcast)
  std::vector<int64_t> filter_row_sums;  // asymmetric inputs only
  int quantized_input_scratch = -1;      // input_depth int8 values of one batch row
};

// Validates the node, fills `data` (created by the caller with
// ctx.NewOpData) and sets the output shape.
Status PrepareFullyConnected(OpContext& ctx, FullyConnectedData* data);

}  // namespace qlite
