#include "core/sparsity.h"

#include <cstring>

#include "core/tensor.h"

namespace qlite {

namespace {

// Keeps the walk's recursion shallow whatever a file claims.
constexpr size_t kMaxWalkDims = 16;

// The dims a sparse walk visits: each tensor dim (shrunk by its block size
// when blocked), then one dim per block. The stride of a dim is how far one
// step along it moves in the row-major dense tensor.
struct ExpandedDims {
  std::vector<int64_t> extent, stride;
};

Status CheckTraversalOrder(size_t rank, size_t blocks, const std::vector<int32_t>& order) {
  const size_t total = rank + blocks;
  QLITE_ENSURE(total <= kMaxWalkDims, "sparsity walks ", total, " dims (at most ", kMaxWalkDims,
               ")");
  QLITE_ENSURE(order.size() == total, "traversal_order has ", order.size(), " entries, expected ",
               total, " (rank ", rank, " + ", blocks, " block dims)");
  std::vector<bool> seen(total, false);
  for (size_t i = 0; i < total; ++i) {
    const int32_t d = order[i];
    QLITE_ENSURE(d >= 0 && static_cast<size_t>(d) < total && !seen[d], "traversal_order ",
                 ShapeToString(order), " is not a permutation of 0..", total - 1);
    QLITE_ENSURE((i < rank) == (static_cast<size_t>(d) < rank), "traversal_order ",
                 ShapeToString(order), " must walk the tensor dims before the block dims");
    seen[d] = true;
  }
  return Status::Ok();
}

Status ExpandDims(const std::vector<int32_t>& shape, const std::vector<int32_t>& block_map,
                  const std::vector<int32_t>& block_size, ExpandedDims* e) {
  const size_t rank = shape.size();
  QLITE_ENSURE(ShapeElementCount(shape) > 0, "a sparse tensor of shape ", ShapeToString(shape),
               " has no elements");
  e->extent.assign(rank + block_map.size(), 0);
  e->stride.assign(rank + block_map.size(), 0);
  int64_t stride = 1;
  for (size_t d = rank; d-- > 0;) {
    e->extent[d] = shape[d];
    e->stride[d] = stride;
    stride *= shape[d];
  }
  for (size_t j = 0; j < block_map.size(); ++j) {
    const int32_t d = block_map[j];
    QLITE_ENSURE(d >= 0 && static_cast<size_t>(d) < rank && (j == 0 || d > block_map[j - 1]),
                 "block_map ", ShapeToString(block_map),
                 " must name distinct tensor dims in increasing order");
    const int32_t size = block_size[j];
    QLITE_ENSURE(size >= 1 && shape[d] % size == 0, "block size ", size, " does not divide dim ", d,
                 " (", shape[d], ")");
    e->extent[rank + j] = size;
    e->stride[rank + j] = e->stride[d];
    e->extent[d] /= size;
    e->stride[d] *= size;
  }
  return Status::Ok();
}

// Checks the metadata against the shape, and that the walk reads exactly
// `value_bytes` bytes of values.
Status PlanWalk(const TensorDef& tensor, size_t value_bytes, ExpandedDims* e) {
  const Sparsity& sp = tensor.sparsity;
  const size_t rank = tensor.shape.size(), blocks = sp.block_map.size();
  QLITE_ENSURE(SparseValueSize(tensor.type) > 0, "sparse ", DTypeName(tensor.type),
               " is not supported (TFLite densifies float32, float16 and int8)");
  QLITE_RETURN_IF_ERROR(CheckTraversalOrder(rank, blocks, sp.traversal_order));
  QLITE_ENSURE(sp.dims.size() == rank + blocks, "dim_metadata has ", sp.dims.size(),
               " entries, expected ", rank + blocks);
  // TFLite reads block j's size from dim_metadata[traversal_order[rank + j]].
  std::vector<int32_t> block_size(blocks);
  for (size_t j = 0; j < blocks; ++j) {
    const SparseDim& m = sp.dims[sp.traversal_order[rank + j]];
    QLITE_ENSURE(!m.csr, "dim_metadata[", sp.traversal_order[rank + j],
                 "] walks a block dim and must be DENSE");
    block_size[j] = m.dense_size;
  }
  QLITE_RETURN_IF_ERROR(ExpandDims(tensor.shape, sp.block_map, block_size, e));
  int64_t positions = 1;  // entries of the walk reaching this level
  for (size_t level = 0; level < sp.dims.size(); ++level) {
    const SparseDim& m = sp.dims[level];
    const int64_t extent = e->extent[sp.traversal_order[level]];
    if (!m.csr) {
      QLITE_ENSURE(m.dense_size == extent, "dim_metadata[", level, "] is DENSE of size ",
                   m.dense_size, " but walks a dim of ", extent);
      positions *= extent;
      QLITE_ENSURE(positions <= (int64_t{1} << 31), "sparsity walks more than 2^31 values");
      continue;
    }
    QLITE_ENSURE(static_cast<int64_t>(m.segments.size()) == positions + 1, "dim_metadata[", level,
                 "] has ", m.segments.size(), " array_segments, expected ", positions + 1);
    QLITE_ENSURE(
        m.segments.front() == 0 && static_cast<size_t>(m.segments.back()) == m.indices.size(),
        "array_segments of dim_metadata[", level, "] must run from 0 to ", m.indices.size(),
        " (its number of array_indices)");
    for (size_t k = 1; k < m.segments.size(); ++k) {
      QLITE_ENSURE(m.segments[k - 1] <= m.segments[k], "array_segments of dim_metadata[", level,
                   "] decrease at entry ", k);
    }
    for (int32_t index : m.indices) {
      QLITE_ENSURE(index >= 0 && index < extent, "array_indices of dim_metadata[", level, "] hold ",
                   index, ", outside its dim of ", extent);
    }
    positions = static_cast<int64_t>(m.indices.size());
  }
  const int64_t element = static_cast<int64_t>(SparseValueSize(tensor.type));
  QLITE_ENSURE(static_cast<uint64_t>(positions * element) == value_bytes, "its sparsity reads ",
               positions, " values (", positions * element, " bytes) but its buffer holds ",
               value_bytes, " bytes");
  return Status::Ok();
}

// The walk of TFLite's converter: DENSE levels visit every entry, CSR levels
// the entries their segment lists; values are read in walk order.
struct DensifyWalk {
  const Sparsity& sp;
  const ExpandedDims& e;
  size_t element;
  const uint8_t* values;
  uint8_t* dense;
  int64_t next = 0;

  void Visit(size_t level, int64_t parent, int64_t offset) {
    if (level == sp.dims.size()) {
      std::memcpy(dense + offset * element, values + next * element, element);
      ++next;
      return;
    }
    const SparseDim& m = sp.dims[level];
    const int64_t stride = e.stride[sp.traversal_order[level]];
    if (!m.csr) {
      for (int64_t i = 0; i < m.dense_size; ++i) {
        Visit(level + 1, parent * m.dense_size + i, offset + i * stride);
      }
      return;
    }
    for (int32_t k = m.segments[parent]; k < m.segments[parent + 1]; ++k) {
      Visit(level + 1, k, offset + m.indices[k] * stride);
    }
  }
};

bool IsZeroValue(DType type, const uint8_t* p) {
  if (type == DType::kFloat32) {
    float f;
    std::memcpy(&f, p, sizeof(f));
    return f == 0.0f;
  }
  if (type == DType::kFloat16) return p[0] == 0 && (p[1] & 0x7f) == 0;  // +0 or -0
  return p[0] == 0;
}

// TFLite's dense-to-sparse walk: a CSR entry is kept only when its subtree
// holds a nonzero; a dropped entry takes back what its subtree appended.
struct SparsifyWalk {
  Sparsity& sp;
  const ExpandedDims& e;
  DType type;
  size_t element;
  const uint8_t* dense;
  std::vector<uint8_t>& values;
  bool last_dense;

  bool Visit(size_t level, int64_t offset) {
    if (level == sp.dims.size()) {
      const uint8_t* p = dense + offset * element;
      const bool nonzero = !IsZeroValue(type, p);
      if (nonzero || last_dense) values.insert(values.end(), p, p + element);
      return nonzero;
    }
    SparseDim& m = sp.dims[level];
    const int64_t extent = e.extent[sp.traversal_order[level]];
    const int64_t stride = e.stride[sp.traversal_order[level]];
    bool any = false;
    for (int64_t i = 0; i < extent; ++i) {
      if (!m.csr) {
        any = Visit(level + 1, offset + i * stride) || any;
        continue;
      }
      std::vector<size_t> sizes = {values.size()};
      for (size_t l = level + 1; l < sp.dims.size(); ++l) {
        sizes.push_back(sp.dims[l].segments.size());
        sizes.push_back(sp.dims[l].indices.size());
      }
      if (Visit(level + 1, offset + i * stride)) {
        m.indices.push_back(static_cast<int32_t>(i));
        any = true;
        continue;
      }
      values.resize(sizes[0]);
      for (size_t l = level + 1, s = 1; l < sp.dims.size(); ++l, s += 2) {
        sp.dims[l].segments.resize(sizes[s]);
        sp.dims[l].indices.resize(sizes[s + 1]);
      }
    }
    if (m.csr) m.segments.push_back(static_cast<int32_t>(m.indices.size()));
    return any;
  }
};

}  // namespace

size_t SparseValueSize(DType type) {
  switch (type) {
    case DType::kFloat32: return 4;
    case DType::kFloat16: return 2;
    case DType::kInt8: return 1;
    default: return 0;
  }
}

Status CheckSparsity(const TensorDef& tensor, size_t value_bytes) {
  ExpandedDims e;
  return PlanWalk(tensor, value_bytes, &e);
}

Status DensifyConstant(const TensorDef& tensor, const uint8_t* values, size_t value_bytes,
                       std::vector<uint8_t>* dense) {
  ExpandedDims e;
  QLITE_RETURN_IF_ERROR(PlanWalk(tensor, value_bytes, &e));
  const size_t element = SparseValueSize(tensor.type);
  dense->assign(static_cast<size_t>(ShapeElementCount(tensor.shape)) * element, 0);
  DensifyWalk walk{tensor.sparsity, e, element, values, dense->data()};
  walk.Visit(0, 0, 0);
  return Status::Ok();
}

Status SparsifyConstant(const SparseFormat& format, const std::vector<uint8_t>& dense,
                        TensorDef* tensor, std::vector<uint8_t>* values) {
  const size_t rank = tensor->shape.size(), blocks = format.block_map.size();
  const size_t element = SparseValueSize(tensor->type);
  QLITE_ENSURE(element > 0, "sparse ", DTypeName(tensor->type), " is not supported");
  QLITE_ENSURE(format.csr.size() == rank && format.block_size.size() == blocks,
               "the format needs one csr flag per dim and one size per block");
  QLITE_RETURN_IF_ERROR(CheckTraversalOrder(rank, blocks, format.traversal_order));
  ExpandedDims e;
  QLITE_RETURN_IF_ERROR(ExpandDims(tensor->shape, format.block_map, format.block_size, &e));
  QLITE_ENSURE(dense.size() == static_cast<size_t>(ShapeElementCount(tensor->shape)) * element,
               "dense data has ", dense.size(), " bytes, expected ",
               ShapeElementCount(tensor->shape) * static_cast<int64_t>(element));
  Sparsity& sp = tensor->sparsity;
  sp = Sparsity{format.traversal_order, format.block_map, {}};
  sp.dims.resize(rank + blocks);
  for (size_t level = 0; level < sp.dims.size(); ++level) {
    const int32_t d = format.traversal_order[level];
    SparseDim& m = sp.dims[level];
    m.csr = static_cast<size_t>(d) < rank && format.csr[d];
    if (m.csr) {
      m.segments = {0};
    } else {
      m.dense_size = static_cast<int32_t>(e.extent[d]);
    }
  }
  values->clear();
  SparsifyWalk walk{sp, e, tensor->type, element, dense.data(), *values, !sp.dims.back().csr};
  walk.Visit(0, 0);
  return CheckSparsity(*tensor, values->size());
}

}  // namespace qlite
