// Small checks and geometry shared by the kernels (reference and SIMD).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "core/kernel_api.h"
#include "core/model.h"
#include "core/status.h"

namespace qlite {

// Input/output arity: inputs in [min_inputs, max_inputs], exactly `outputs`.
Status CheckArity(const OpContext& ctx, int min_inputs, int max_inputs, int outputs);

// Input i must exist (not -1) — returns it through `*tensor`.
Status RequireInput(const OpContext& ctx, int i, const Tensor** tensor);

// `t` must have one of `types`; `role` names it in the message ("input", "filter").
Status CheckType(const Tensor& t, std::initializer_list<DType> types, const char* role);

// `t` must have rank `rank`.
Status CheckRank(const Tensor& t, int rank, const char* role);

// A tensor that must be constant (weights that are packed at prepare time).
Status CheckConstant(const Tensor& t, const char* role);

// The values of a constant int32 or int64 parameter tensor (axes, paddings,
// permutations, slice bounds) as int32; fails if `t` is not constant, has
// another dtype, holds fewer bytes than its shape says, or an int64 value does
// not fit in int32.
Status ReadConstantInt32s(const Tensor& t, const char* role, std::vector<int32_t>* values);
// The same for a tensor that may be computed at run time (read in eval).
Status ReadInt32s(const Tensor& t, const char* role, std::vector<int32_t>* values);
// Whether prepare can read `t`'s values: a constant, or an empty tensor. Ops
// whose output shape needs other values mark that output dynamic
// (OpContext::MarkOutputDynamic) and size it in eval.
bool ValuesKnownAtPrepare(const Tensor& t);

// Ops that move quantized values without requantizing them (SLICE, TILE,
// PACK ...): when both tensors carry per-tensor parameters they must be equal,
// or the copied bytes would mean other real values.
Status CheckSameQuantization(const Tensor& input, const Tensor& output);

// The common checks of ops that copy their input's bytes to output 0 (SLICE,
// TILE, REVERSE_V2, BROADCAST_TO, EXPAND_DIMS): the input is one of `types`
// (any, if empty), and the output has its dtype and quantization parameters.
Status CheckCopiedInput(const OpContext& ctx, const Tensor& input,
                        std::initializer_list<DType> types);

// The bytes (DTypeSize of them, little-endian) of a quantized int8/uint8/int16
// output's zero point, 0 without quantization: the value TFLite pads such
// outputs with (PAD, SPACE_TO_BATCH_ND). Fails if it is outside the dtype.
Status ZeroPointBytes(const Tensor& output, uint8_t* bytes);
// out[i] = table[in[i]] for 8-bit tensors (tables from PopulateInt8Lut, lut.h).
void LookupTable8(const uint8_t table[256], int64_t size, const uint8_t* in, uint8_t* out);

// Spatial geometry of conv/depthwise/pool/transpose-conv, as TFLite computes it.
struct WindowGeometry {
  int out_height = 0, out_width = 0;
  int pad_height = 0, pad_width = 0;                // padding before the first row/column
  int pad_height_offset = 0, pad_width_offset = 0;  // extra padding after (odd totals)
};

// Validates strides/dilations/filter sizes (>= 1, no overflow) and computes the
// output size and padding. Fails if the output would be empty.
Status ComputeWindowGeometry(Padding padding, int in_height, int in_width, int filter_height,
                             int filter_width, int stride_height, int stride_width,
                             int dilation_height, int dilation_width, WindowGeometry* geometry);

}  // namespace qlite
