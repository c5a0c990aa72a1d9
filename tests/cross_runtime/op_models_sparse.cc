// Sparse weights: DENSIFY -> FULLY_CONNECTED in float32 over every sparse
// format (CSR on both dims, DENSE + CSR, column-major, 1x4 / 4x1 / 2x2
// blocks, uint8 and uint16 index vectors).
//
// Left out because LiteRT.js (@litertjs/core, wasm CPU) returns wrong values
// for them, not because qlite disagrees with TFLite: DENSIFY -> int8
// FULLY_CONNECTED (LiteRT.js gives mostly zeros, and different outputs for
// two encodings of the same weight), and FULLY_CONNECTED reading a sparse
// float32 weight directly (DENSE + CSR and 1x4 blocks: LiteRT.js reads the
// stored values as if they were the dense weight, giving denormals). qlite
// densifies both once at prepare; tests/kernels/densify_test.cc checks them by
// hand and against the same weight stored dense.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "core/sparsity.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

constexpr int kBatch = 2, kDepth = 8;

struct Format {
  const char* name;
  int units;
  SparseFormat format;
  SparseIndexType index_type = SparseIndexType::kInt32;
};

// A [units, kDepth] weight as small integers: whole blocks of `block_rows` x
// `block_cols` are zero in a fixed pattern, and some single entries inside
// kept blocks too (those stay as stored zeros in block formats).
std::vector<int> WeightInts(int units, int block_rows, int block_cols) {
  std::vector<int> w(units * kDepth);
  for (int r = 0; r < units; ++r) {
    for (int c = 0; c < kDepth; ++c) {
      const int i = r * kDepth + c;
      const bool zero_block = ((r / block_rows) * 7 + (c / block_cols) * 3) % 5 < 2;
      w[i] = zero_block || i % 7 == 0 ? 0 : (i * 37 + 11) % 29 - 14;
    }
  }
  return w;
}

// x [kBatch, kDepth] times DENSIFY of a sparse float32 weight, plus a bias.
Model DensifyFullyConnected(const Format& f) {
  int block_rows = 1, block_cols = 1;
  for (size_t j = 0; j < f.format.block_map.size(); ++j) {
    (f.format.block_map[j] == 0 ? block_rows : block_cols) = f.format.block_size[j];
  }
  std::vector<float> dense;
  for (int v : WeightInts(f.units, block_rows, block_cols)) dense.push_back(v * 0.125f);
  std::vector<uint8_t> dense_bytes(dense.size() * sizeof(float));
  std::memcpy(dense_bytes.data(), dense.data(), dense_bytes.size());
  TensorDef def;
  def.shape = {f.units, kDepth};
  std::vector<uint8_t> values;
  // A failed encoding leaves the weight without data: the generator then
  // fails on this model instead of writing a wrong one.
  if (SparsifyConstant(f.format, dense_bytes, &def, &values).ok()) {
    for (SparseDim& d : def.sparsity.dims) d.segments_type = d.indices_type = f.index_type;
  }
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {kBatch, kDepth});
  const int w = b.AddConstantBytes("w", DType::kFloat32, def.shape, values);
  b.model().tensors[w].sparsity = def.sparsity;
  const int dense_w = b.AddTensor("w_dense", DType::kFloat32, def.shape);
  b.AddOperator(BuiltinOp::kDensify, {w}, {dense_w});
  std::vector<float> bias_values(f.units);
  for (int u = 0; u < f.units; ++u) bias_values[u] = u * 0.25f - 0.5f;
  const int bias = b.AddConstant("bias", DType::kFloat32, {f.units}, bias_values);
  const int y = b.AddTensor("y", DType::kFloat32, {kBatch, f.units});
  b.AddOperator(BuiltinOp::kFullyConnected, {x, dense_w, bias}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Build();
}

}  // namespace

void AddSparseModels(OpModels* models_out) {
  OpModels& models = *models_out;
  const Format csr_csr = {"csr_csr", 4, {{0, 1}, {true, true}, {}, {}}};
  const Format dense_csr = {"dense_csr", 4, {{0, 1}, {false, true}, {}, {}}};
  const Format column_major = {"column_major", 4, {{1, 0}, {false, true}, {}, {}}};
  const Format uint8_index = {
      "csr_csr_uint8_index", 4, {{0, 1}, {true, true}, {}, {}}, SparseIndexType::kUint8};
  const Format block_1x4 = {"block_1x4", 4, {{0, 1, 2}, {false, true}, {1}, {4}}};
  const Format block_1x4_uint16 = {
      "block_1x4_uint16_index", 4, {{0, 1, 2}, {false, true}, {1}, {4}}, SparseIndexType::kUint16};
  const Format block_4x1 = {"block_4x1", 8, {{0, 1, 2}, {false, true}, {0}, {4}}};
  const Format block_2x2 = {"block_2x2", 4, {{0, 1, 2, 3}, {false, true}, {0, 1}, {2, 2}}};
  for (const Format& f : {csr_csr, dense_csr, column_major, uint8_index, block_1x4,
                          block_1x4_uint16, block_4x1, block_2x2}) {
    models.push_back(
        {std::string("densify_fc_float32_") + f.name, [f] { return DensifyFullyConnected(f); }});
  }
}

}  // namespace qlite
