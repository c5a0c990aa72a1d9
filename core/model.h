// The in-memory model: what the reader produces from a .tflite file, what the
// interpreter runs, and what the quantizer and trainer edit and hand to the
// writer. It is plain data, independent of flatbuffers.
#pragma once

#include <any>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/builtin_ops.h"
#include "core/types.h"

namespace qlite {

// Each operator's options: the options struct its op's row reads (see
// core/op_table.h; the shared structs are in core/op_options.h), or empty for
// ops without options. Read one with std::any_cast<T>(&op.options).
using OpOptions = std::any;

// TFLite's name for an op code ("CONV_2D"), or "BUILTIN_<n>" if unknown.
std::string BuiltinOpName(BuiltinOp op);

// ---- Graph ----
struct Quantization {
  std::vector<float> scale;         // 1 entry = per-tensor; N = per-channel
  std::vector<int64_t> zero_point;  // same length as scale
  int32_t quantized_dimension = 0;
  std::vector<float> min, max;  // calibration ranges, informational

  bool empty() const { return scale.empty(); }
  bool per_channel() const { return scale.size() > 1; }
};

// Constant bytes. `storage` keeps the memory alive (the file the model was
// read from, or a vector built by the quantizer/trainer); `data` points into it.
struct Buffer {
  std::shared_ptr<const std::vector<uint8_t>> storage;
  const uint8_t* data = nullptr;
  size_t size = 0;

  static Buffer Owned(std::vector<uint8_t> bytes);
};

// How a sparse constant is stored (TFLite's SparsityParameters): the tensor's
// dims, then one block dim per block_map entry, are walked in traversal_order;
// dims[i] describes the i-th dim of that walk. Only the values the walk
// reaches are stored. Index vectors keep the width they were written with.
enum class SparseIndexType : uint8_t { kInt32 = 1, kUint16 = 2, kUint8 = 3 };
struct SparseDim {
  bool csr = false;                        // SPARSE_CSR; else DENSE
  int32_t dense_size = 0;                  // DENSE: the dim's extent
  std::vector<int32_t> segments, indices;  // SPARSE_CSR
  SparseIndexType segments_type = SparseIndexType::kInt32;
  SparseIndexType indices_type = SparseIndexType::kInt32;
};
struct Sparsity {
  std::vector<int32_t> traversal_order;  // empty = a dense tensor
  std::vector<int32_t> block_map;        // block dim j splits tensor dim block_map[j]
  std::vector<SparseDim> dims;

  bool empty() const { return traversal_order.empty(); }
};

struct TensorDef {
  std::string name;
  DType type = DType::kFloat32;
  std::vector<int32_t> shape;
  std::vector<int32_t> shape_signature;  // may hold -1 for dynamic dims
  uint32_t buffer = 0;                   // 0 = no constant data
  Quantization quant;
  Sparsity sparsity;  // a constant's buffer holds the sparse values when set
  // State that ops (SVDF, RNN...) update in place and that lives across
  // invocations; its buffer, if any, holds the initial value.
  bool is_variable = false;
};

struct OperatorDef {
  BuiltinOp op = BuiltinOp::kCustom;
  int32_t version = 1;
  std::string custom_code;
  std::vector<int32_t> inputs;  // -1 = optional input left out
  std::vector<int32_t> outputs;
  std::vector<int32_t> intermediates;
  OpOptions options;
  std::vector<uint8_t> custom_options;  // custom ops: their options, as stored
};

struct MetadataEntry {
  std::string name;
  uint32_t buffer = 0;
};

// A named entry point (TFLite's SignatureDef): the converter's names for a
// subgraph's inputs and outputs, e.g. "serving_default" with inputs
// {"image": tensor 0} and outputs {"logits": tensor 9}.
struct SignatureTensor {
  std::string name;
  int32_t tensor = -1;  // index into the subgraph's tensors
};
struct SignatureDef {
  std::string key;
  uint32_t subgraph = 0;
  std::vector<SignatureTensor> inputs, outputs;
};

// A subgraph after the main one: the body of a WHILE, a branch of an IF, what
// CALL or STABLEHLO_COMPOSITE run. Its tensors' buffers are the model's.
struct Subgraph {
  std::string name;
  std::vector<TensorDef> tensors;
  std::vector<OperatorDef> operators;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
};

struct Model {
  uint32_t version = 3;
  std::string description;
  std::vector<TensorDef> tensors;  // main subgraph (subgraph 0) only
  std::vector<OperatorDef> operators;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<Buffer> buffers;  // buffers[0] is the empty sentinel
  std::vector<MetadataEntry> metadata;
  std::vector<SignatureDef> signatures;
  std::string subgraph_name;
  // Subgraphs 1..N: subgraphs[i - 1] is the file's subgraph i.
  std::vector<Subgraph> subgraphs;

  int num_subgraphs() const { return 1 + static_cast<int>(subgraphs.size()); }
  // A model whose main subgraph is subgraph `index` (0 <= index <
  // num_subgraphs()), sharing this model's buffers; it has no other subgraphs.
  Model SubgraphView(int index) const;

  // The constant bytes of tensor `t`, or an empty Buffer.
  const Buffer& constant_data(int t) const;
  // Constant data, or an empty constant (a buffer and a shape with no elements,
  // e.g. empty paddings or axes). A variable tensor is never constant: its
  // buffer holds only its initial value.
  bool is_constant(int t) const;
};

}  // namespace qlite
