// Options structs that several ops share, or that the quantizer, trainer and
// tests build: what an op's row reads from its builtin options table. An op
// whose options nobody else needs keeps its struct in its kernel file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qlite {

enum class Padding : uint8_t { kSame = 0, kValid = 1 };

enum class Activation : uint8_t {
  kNone = 0,
  kRelu = 1,
  kReluN1To1 = 2,
  kRelu6 = 3,
  kTanh = 4,
  kSignBit = 5,
};
const char* ActivationName(Activation a);

struct Conv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
  // The schema's TensorType of a 16x8 bias the converter marks (INT32 = 2);
  // 0 (FLOAT32) when unset. The kernel goes by the bias tensor's dtype.
  uint8_t quantized_bias_type = 0;
};

struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  int32_t depth_multiplier = 1;
  Activation activation = Activation::kNone;
};

struct Pool2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_w = 1, filter_h = 1;
  Activation activation = Activation::kNone;
};

struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  uint8_t weights_format = 0;  // 0 = DEFAULT; shuffled formats are rejected
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;
};

struct SoftmaxOptions {
  float beta = 1.0f;
};

// ADD, SUB, MUL, DIV.
struct ElementwiseOptions {
  Activation activation = Activation::kNone;
  bool pot_scale_int16 = true;  // ADD/SUB only
};

struct ReshapeOptions {
  std::vector<int32_t> new_shape;
  bool has_new_shape = false;
};

struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
};

struct ReducerOptions {
  bool keep_dims = false;
};

// ARG_MAX, ARG_MIN: the index dtype as a raw TensorType (TFLite takes INT32
// or INT64; the schema's default, FLOAT32, is an error).
struct ArgMinMaxOptions {
  uint8_t output_type = 0;
};

struct SqueezeOptions {
  std::vector<int32_t> squeeze_dims;
};

struct StridedSliceOptions {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0;
  int32_t new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
};

struct TransposeConvOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  Activation activation = Activation::kNone;
};

struct LeakyReluOptions {
  float alpha = 0.2f;
};

struct L2NormOptions {
  Activation activation = Activation::kNone;  // TFLite accepts only NONE
};

// out = in * (bias + alpha * sum of in^2 over [c - radius, c + radius])^-beta
struct LocalResponseNormalizationOptions {
  int32_t radius = 0;
  float bias = 0.0f, alpha = 0.0f, beta = 0.0f;
};

struct GeluOptions {
  bool approximate = false;  // tanh approximation instead of the erf form
};

// SVDF: `rank` filters per output unit; asymmetric_quantize_inputs applies
// to the hybrid kernel (int8 weights, float32 input).
struct SvdfOptions {
  int32_t rank = 0;
  Activation activation = Activation::kNone;
  bool asymmetric_quantize_inputs = false;
};

// RNN (one step) and UNIDIRECTIONAL_SEQUENCE_RNN (time_major applies to it only).
struct RnnOptions {
  bool time_major = false;
  Activation activation = Activation::kNone;
  bool asymmetric_quantize_inputs = false;
};

// BIDIRECTIONAL_SEQUENCE_RNN: merge_outputs writes both directions into one
// output, the backward units after the forward ones.
struct BidirectionalSequenceRnnOptions {
  bool time_major = false;
  Activation activation = Activation::kNone;
  bool merge_outputs = false;
  bool asymmetric_quantize_inputs = false;
};

// LSTM (one step; kernel_type 0 FULL, 1 BASIC), UNIDIRECTIONAL_SEQUENCE_LSTM
// and BIDIRECTIONAL_SEQUENCE_LSTM (time_major, merge_outputs and
// diagonal_recurrent_tensors apply to the ops whose schema tables have them).
// activation is the cell's (on the cell gate and the cell state); the gates
// use sigmoid. A clip of 0 means no clipping.
struct LstmOptions {
  Activation activation = Activation::kNone;
  float cell_clip = 0.0f, proj_clip = 0.0f;
  uint8_t kernel_type = 0;
  bool time_major = false;
  bool merge_outputs = false;
  bool asymmetric_quantize_inputs = false;
  bool diagonal_recurrent_tensors = false;
};

// Control flow: which of the model's subgraphs a node runs (core/subgraph.h).
struct CallOptions {
  int32_t subgraph = 0;
};
struct IfOptions {
  int32_t then_subgraph_index = 0;
  int32_t else_subgraph_index = 0;
};
struct WhileOptions {
  int32_t cond_subgraph_index = 0;
  int32_t body_subgraph_index = 0;
};
// CALL_ONCE: runs its init subgraph on the first Invoke only.
struct CallOnceOptions {
  int32_t init_subgraph_index = 0;
};
// VAR_HANDLE: the resource variable named (container, shared_name).
struct VarHandleOptions {
  std::string container;
  std::string shared_name;
};
// STABLEHLO_COMPOSITE: runs its decomposition subgraph; the name, attributes
// (a flexbuffer, as stored) and version only describe the composite.
struct StableHloCompositeOptions {
  std::string name;
  int32_t decomposition_subgraph_index = 0;
  std::vector<uint8_t> composite_attributes;
  uint8_t composite_attributes_format = 0;  // CustomOptionsFormat
  int32_t version = 0;
};

}  // namespace qlite
