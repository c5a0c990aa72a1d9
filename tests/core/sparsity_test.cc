// Sparse constants: the dense-to-sparse encoding against hand-written
// metadata, encode -> densify round trips over traversal orders and blocks,
// the writer and reader keeping the metadata (int32, uint16 and uint8 index
// vectors), and hostile metadata rejected with the tensor named.
#include "core/sparsity.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/format/schema.h"
#include "core/model_builder.h"
#include "core/model_check.h"
#include "tests/util/op_runner.h"
#include "tests/util/sparse_dims.h"

namespace qlite {
namespace {

using testing::Csr;
using testing::Dense;
using testing::FromBytes;
using testing::ToBytes;

// [[1, 0, 2, 0],
//  [0, 0, 0, 0],
//  [0, 3, 0, 0],
//  [4, 0, 0, 5]]
const std::vector<float> kMatrix = {1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 0, 5};

TensorDef FloatDef(Shape shape) {
  TensorDef def;
  def.name = "w";
  def.shape = std::move(shape);
  return def;
}

void ExpectDims(const Sparsity& sp, const std::vector<SparseDim>& expected) {
  ASSERT_EQ(sp.dims.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "level " << i);
    EXPECT_EQ(sp.dims[i].csr, expected[i].csr);
    EXPECT_EQ(sp.dims[i].dense_size, expected[i].dense_size);
    EXPECT_EQ(sp.dims[i].segments, expected[i].segments);
    EXPECT_EQ(sp.dims[i].indices, expected[i].indices);
  }
}

TEST(SparsityTest, EncodesCsrOnBothDims) {
  TensorDef def = FloatDef({4, 4});
  std::vector<uint8_t> values;
  ASSERT_TRUE(
      SparsifyConstant({{0, 1}, {true, true}, {}, {}}, ToBytes(kMatrix), &def, &values).ok());
  // Rows 0, 2, 3 hold nonzeros; their columns are {0, 2}, {1}, {0, 3}.
  ExpectDims(def.sparsity, {Csr({0, 3}, {0, 2, 3}), Csr({0, 2, 3, 5}, {0, 2, 1, 0, 3})});
  EXPECT_EQ(FromBytes<float>(values), (std::vector<float>{1, 2, 3, 4, 5}));
}

TEST(SparsityTest, EncodesDenseRowsWithCsrColumns) {
  TensorDef def = FloatDef({4, 4});
  std::vector<uint8_t> values;
  ASSERT_TRUE(
      SparsifyConstant({{0, 1}, {false, true}, {}, {}}, ToBytes(kMatrix), &def, &values).ok());
  ExpectDims(def.sparsity, {Dense(4), Csr({0, 2, 2, 3, 5}, {0, 2, 1, 0, 3})});
  EXPECT_EQ(FromBytes<float>(values), (std::vector<float>{1, 2, 3, 4, 5}));
}

TEST(SparsityTest, EncodesColumnMajorTraversal) {
  TensorDef def = FloatDef({4, 4});
  std::vector<uint8_t> values;
  ASSERT_TRUE(
      SparsifyConstant({{1, 0}, {true, false}, {}, {}}, ToBytes(kMatrix), &def, &values).ok());
  // Columns walked first: column 0 holds rows {0, 3}, 1 {2}, 2 {0}, 3 {3}.
  ExpectDims(def.sparsity, {Dense(4), Csr({0, 2, 3, 4, 5}, {0, 3, 2, 0, 3})});
  EXPECT_EQ(FromBytes<float>(values), (std::vector<float>{1, 4, 3, 2, 5}));
}

TEST(SparsityTest, CsrRowsOverDenseColumnsKeepZerosOnlyInKeptRows) {
  TensorDef def = FloatDef({4, 4});
  std::vector<uint8_t> values;
  ASSERT_TRUE(
      SparsifyConstant({{0, 1}, {true, false}, {}, {}}, ToBytes(kMatrix), &def, &values).ok());
  ExpectDims(def.sparsity, {Csr({0, 3}, {0, 2, 3}), Dense(4)});
  EXPECT_EQ(FromBytes<float>(values), (std::vector<float>{1, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 5}));
}

TEST(SparsityTest, EncodesOneByFourBlocks) {
  // Row 0 has only block 0 = [1 2 0 0]; row 1 only block 1 = [5 0 6 7].
  const std::vector<float> dense = {1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 6, 7};
  TensorDef def = FloatDef({2, 8});
  std::vector<uint8_t> values;
  ASSERT_TRUE(
      SparsifyConstant({{0, 1, 2}, {false, true}, {1}, {4}}, ToBytes(dense), &def, &values).ok());
  EXPECT_EQ(def.sparsity.block_map, (std::vector<int32_t>{1}));
  ExpectDims(def.sparsity, {Dense(2), Csr({0, 1, 2}, {0, 1}), Dense(4)});
  EXPECT_EQ(FromBytes<float>(values), (std::vector<float>{1, 2, 0, 0, 5, 0, 6, 7}));
}

TEST(SparsityTest, EncodesFourByOneBlocks) {
  // 8x2: column 0 of rows 0-3 is [1 2 3 4], column 1 of rows 4-7 is [0 6 0 8].
  const std::vector<float> dense = {1, 0, 2, 0, 3, 0, 4, 0, 0, 0, 0, 6, 0, 0, 0, 8};
  TensorDef def = FloatDef({8, 2});
  std::vector<uint8_t> values;
  ASSERT_TRUE(
      SparsifyConstant({{0, 1, 2}, {false, true}, {0}, {4}}, ToBytes(dense), &def, &values).ok());
  ExpectDims(def.sparsity, {Dense(2), Csr({0, 1, 2}, {0, 1}), Dense(4)});
  EXPECT_EQ(FromBytes<float>(values), (std::vector<float>{1, 2, 3, 4, 0, 6, 0, 8}));
  std::vector<uint8_t> back;
  ASSERT_TRUE(DensifyConstant(def, values.data(), values.size(), &back).ok());
  EXPECT_EQ(FromBytes<float>(back), dense);
}

TEST(SparsityTest, DensifiesA3DTensorWithTwoCsrLevels) {
  // t[0] = [[0 0 0] [7 0 8]], t[1] = [[0 9 0] [0 0 0]].
  TensorDef def = FloatDef({2, 2, 3});
  def.sparsity = {{0, 1, 2}, {}, {Dense(2), Csr({0, 1, 2}, {1, 0}), Csr({0, 2, 3}, {0, 2, 1})}};
  const auto values = ToBytes(std::vector<float>{7, 8, 9});
  std::vector<uint8_t> dense;
  ASSERT_TRUE(DensifyConstant(def, values.data(), values.size(), &dense).ok());
  EXPECT_EQ(FromBytes<float>(dense), (std::vector<float>{0, 0, 0, 7, 0, 8, 0, 9, 0, 0, 0, 0}));
}

TEST(SparsityTest, EncodeThenDensifyRoundTripsEveryFormat) {
  std::mt19937 rng(7);
  std::vector<float> dense(4 * 8 * 2);
  for (float& v : dense) v = rng() % 3 == 0 ? static_cast<float>(rng() % 9) - 4.0f : 0.0f;
  const std::vector<std::pair<Shape, SparseFormat>> cases = {
      {{4, 8, 2}, {{2, 0, 1}, {true, false, true}, {}, {}}},
      {{4, 8, 2}, {{1, 2, 0}, {true, true, true}, {}, {}}},
      {{4, 8, 2}, {{0, 1, 2}, {false, false, false}, {}, {}}},
      {{8, 8}, {{0, 1, 2, 3}, {false, true}, {0, 1}, {2, 2}}},
      {{8, 8}, {{1, 0, 3, 2}, {true, true}, {0, 1}, {2, 4}}},
      {{8, 8}, {{0, 1, 2}, {true, false}, {1}, {8}}},
  };
  for (const auto& [shape, format] : cases) {
    SCOPED_TRACE(::testing::Message() << "traversal " << ShapeToString(format.traversal_order));
    TensorDef def = FloatDef(shape);
    std::vector<uint8_t> values, back;
    ASSERT_TRUE(SparsifyConstant(format, ToBytes(dense), &def, &values).ok());
    const Status s = DensifyConstant(def, values.data(), values.size(), &back);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(FromBytes<float>(back), dense);
  }
}

TEST(SparsityTest, EncodingRejectsBadFormats) {
  TensorDef def = FloatDef({2, 6});
  std::vector<uint8_t> values;
  const auto dense = ToBytes(std::vector<float>(12, 1.0f));
  EXPECT_FALSE(SparsifyConstant({{0, 1, 2}, {false, true}, {1}, {4}}, dense, &def, &values).ok());
  EXPECT_FALSE(SparsifyConstant({{0, 0}, {false, true}, {}, {}}, dense, &def, &values).ok());
  EXPECT_FALSE(SparsifyConstant({{0, 1}, {true}, {}, {}}, dense, &def, &values).ok());
  def.type = DType::kInt32;
  EXPECT_FALSE(SparsifyConstant({{0, 1}, {true, true}, {}, {}}, dense, &def, &values).ok());
}

// A DENSIFY model around a sparse constant `w`, through the writer and the reader.
Model DensifyModel(const TensorDef& w, const std::vector<uint8_t>& values) {
  ModelBuilder b;
  const int t = b.AddConstantBytes("w", w.type, w.shape, values);
  b.model().tensors[t].sparsity = w.sparsity;
  const int out = b.AddTensor("dense", w.type, {});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kDensify, {t}, {out});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  return b.Build();
}

TEST(SparsityTest, WriterAndReaderKeepNarrowIndexVectors) {
  for (SparseIndexType type :
       {SparseIndexType::kInt32, SparseIndexType::kUint16, SparseIndexType::kUint8}) {
    SCOPED_TRACE(static_cast<int>(type));
    TensorDef def = FloatDef({4, 4});
    std::vector<uint8_t> values;
    ASSERT_TRUE(
        SparsifyConstant({{0, 1}, {true, true}, {}, {}}, ToBytes(kMatrix), &def, &values).ok());
    for (SparseDim& d : def.sparsity.dims) d.segments_type = d.indices_type = type;
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(WriteModel(DensifyModel(def, values), WriterOptions{}, &bytes).ok());
    Model read;
    const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &read);
    ASSERT_TRUE(s.ok()) << s.message();
    const Sparsity& sp = read.tensors[0].sparsity;
    EXPECT_EQ(sp.traversal_order, (std::vector<int32_t>{0, 1}));
    ExpectDims(sp, {Csr({0, 3}, {0, 2, 3}), Csr({0, 2, 3, 5}, {0, 2, 1, 0, 3})});
    EXPECT_EQ(sp.dims[1].indices_type, type);
    const auto r = testing::RunModel(read, {ToBytes(std::vector<float>{0})});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), kMatrix);
  }
}

TEST(SparsityTest, WriterRejectsAnIndexTooWideForItsVector) {
  std::vector<float> dense(300, 0.0f);
  dense[299] = 1.0f;
  TensorDef def = FloatDef({300});
  std::vector<uint8_t> values;
  ASSERT_TRUE(SparsifyConstant({{0}, {true}, {}, {}}, ToBytes(dense), &def, &values).ok());
  def.sparsity.dims[0].indices_type = SparseIndexType::kUint8;
  std::vector<uint8_t> bytes;
  const Status s = WriteModel(DensifyModel(def, values), WriterOptions{}, &bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("tensor 0 'w': sparse index 299"), std::string::npos) << s.message();
}

// Each hostile variant of the CSR-on-both-dims encoding of kMatrix must fail
// the model check with the tensor named and the reason given.
TEST(SparsityTest, HostileMetadataIsRejectedWithTheTensorNamed) {
  struct Case {
    const char* what;
    std::function<void(TensorDef*, std::vector<uint8_t>*)> mutate;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"index past its dim", [](TensorDef* d, auto*) { d->sparsity.dims[1].indices[4] = 4; },
       "hold 4, outside its dim of 4"},
      {"negative index", [](TensorDef* d, auto*) { d->sparsity.dims[0].indices[0] = -1; },
       "hold -1"},
      {"segments decrease",
       [](TensorDef* d, auto*) {
         d->sparsity.dims[1].segments = {0, 3, 2, 5};
       },
       "decrease at entry 2"},
      {"segments end early", [](TensorDef* d, auto*) { d->sparsity.dims[1].segments[3] = 4; },
       "must run from 0 to 5"},
      {"segments start late", [](TensorDef* d, auto*) { d->sparsity.dims[0].segments[0] = 1; },
       "must run from 0"},
      {"too few segments",
       [](TensorDef* d, auto*) {
         d->sparsity.dims[1].segments = {0, 5};
       },
       "has 2 array_segments, expected 4"},
      {"no segments", [](TensorDef* d, auto*) { d->sparsity.dims[0].segments.clear(); },
       "has 0 array_segments, expected 2"},
      {"dense size off", [](TensorDef* d, auto*) { d->sparsity.dims[0] = Dense(5); },
       "DENSE of size 5 but walks a dim of 4"},
      {"traversal repeats a dim",
       [](TensorDef* d, auto*) {
         d->sparsity.traversal_order = {1, 1};
       },
       "not a permutation"},
      {"traversal too short", [](TensorDef* d, auto*) { d->sparsity.traversal_order = {0}; },
       "traversal_order has 1 entries, expected 2"},
      {"metadata missing a dim", [](TensorDef* d, auto*) { d->sparsity.dims.pop_back(); },
       "dim_metadata has 1 entries, expected 2"},
      {"block map past the rank",
       [](TensorDef* d, auto*) {
         d->sparsity.block_map = {2};
         d->sparsity.traversal_order = {0, 1, 2};
         d->sparsity.dims.push_back(Dense(2));
       },
       "must name distinct tensor dims"},
      {"block that does not divide",
       [](TensorDef* d, auto*) {
         d->sparsity.block_map = {1};
         d->sparsity.traversal_order = {0, 1, 2};
         d->sparsity.dims.push_back(Dense(3));
       },
       "block size 3 does not divide dim 1 (4)"},
      {"block dim walked first",
       [](TensorDef* d, auto*) {
         d->sparsity.block_map = {1};
         d->sparsity.traversal_order = {2, 0, 1};
         d->sparsity.dims.push_back(Dense(2));
       },
       "tensor dims before the block dims"},
      {"too few values", [](TensorDef*, std::vector<uint8_t>* v) { v->resize(16); },
       "reads 5 values (20 bytes) but its buffer holds 16"},
      {"too many values", [](TensorDef*, std::vector<uint8_t>* v) { v->resize(24); },
       "buffer holds 24"},
      {"int32 values", [](TensorDef* d, auto*) { d->type = DType::kInt32; },
       "sparse int32 is not supported"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    TensorDef def = FloatDef({4, 4});
    std::vector<uint8_t> values;
    ASSERT_TRUE(
        SparsifyConstant({{0, 1}, {true, true}, {}, {}}, ToBytes(kMatrix), &def, &values).ok());
    c.mutate(&def, &values);
    const Status s = CheckModel(DensifyModel(def, values));
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("tensor 0 'w': "), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(c.message), std::string::npos) << s.message();
  }
}

// A file whose SPARSE_CSR dim lacks its index vectors (which the writer
// never produces) is refused by the reader with the tensor named.
TEST(SparsityTest, ReaderRejectsACsrDimWithoutIndexVectors) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<tfl::DimensionMetadata>> dims = {
      tfl::CreateDimensionMetadata(b, tfl::DimensionType::SPARSE_CSR)};
  const auto sparsity = tfl::CreateSparsityParameters(b, b.CreateVector(std::vector<int32_t>{0}), 0,
                                                      b.CreateVector(dims));
  const auto tensor =
      tfl::CreateTensor(b, b.CreateVector(std::vector<int32_t>{4}), tfl::TensorType::FLOAT32, 1,
                        b.CreateString("w"), 0, false, sparsity);
  const uint8_t value[4] = {0, 0, 128, 63};
  const std::vector<flatbuffers::Offset<tfl::Buffer>> buffers = {
      tfl::CreateBuffer(b), tfl::CreateBuffer(b, b.CreateVector(value, 4))};
  const auto subgraph = tfl::CreateSubGraph(b, b.CreateVector(&tensor, 1));
  tfl::FinishModelBuffer(
      b, tfl::CreateModel(b, 3, 0, b.CreateVector(&subgraph, 1), 0, b.CreateVector(buffers)));
  Model model;
  const Status s = ReadModelFromBytes(b.GetBufferPointer(), b.GetSize(), &model);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("tensor 0 'w': a SPARSE_CSR dim has no array_segments"),
            std::string::npos)
      << s.message();
}

TEST(SparsityTest, SparseTensorWithoutDataIsRejected) {
  ModelBuilder b;
  const int t = b.AddTensor("w", DType::kFloat32, {4});
  b.model().tensors[t].sparsity = {{0}, {}, {Dense(4)}};
  b.SetInputs({t});
  b.SetOutputs({t});
  const Status s = CheckModel(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("tensor 0 'w' is sparse but not a constant"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace qlite
