// Sparse constants (TFLite's SparsityParameters): checking the metadata of a
// hostile file, densifying a constant once at prepare exactly as TFLite's
// sparsity format converter does, and the inverse encoding, so that the
// writer's users (tests, tools) can make sparse tensors.
#pragma once

#include <cstdint>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace qlite {

// Bytes per stored value of a sparse constant; 0 for dtypes TFLite cannot
// densify (it has float32, float16 and int8).
size_t SparseValueSize(DType type);

// Checks that `tensor.sparsity` walks exactly the tensor's shape and that it
// reads exactly `value_bytes` bytes of values: a walk that passes never reads
// or writes out of bounds.
Status CheckSparsity(const TensorDef& tensor, size_t value_bytes);

// The row-major bytes of a sparse constant that passed CheckSparsity; every
// element the walk does not reach is zero.
Status DensifyConstant(const TensorDef& tensor, const uint8_t* values, size_t value_bytes,
                       std::vector<uint8_t>* dense);

// How to encode a dense constant: which tensor dims are SPARSE_CSR (block
// dims are always DENSE), the walk order over the tensor dims then the block
// dims, and block_size[j] elements of dim block_map[j] per block.
struct SparseFormat {
  std::vector<int32_t> traversal_order;
  std::vector<bool> csr;  // per tensor dim
  std::vector<int32_t> block_map, block_size;
};

// TFLite's dense-to-sparse encoding of `tensor` (shape and dtype) holding
// `dense`: sets tensor->sparsity and returns the stored values in `values`.
// CSR entries are kept only over a nonzero; zeros stay only inside kept
// dense runs.
Status SparsifyConstant(const SparseFormat& format, const std::vector<uint8_t>& dense,
                        TensorDef* tensor, std::vector<uint8_t>* values);

}  // namespace qlite
