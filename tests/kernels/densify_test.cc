// DENSIFY and sparse weights: hand-written sparse constants (CSR on both dims,
// DENSE + CSR, 1x4 / 4x1 / 2x2 blocks, a 3-D tensor; float32, float16, int8)
// densified at prepare, FULLY_CONNECTED reading a DENSIFY output or a sparse
// weight directly (float32 and int8), and the errors DENSIFY reports.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/interpreter.h"
#include "core/model_builder.h"
#include "core/sparsity.h"
#include "tests/util/op_runner.h"
#include "tests/util/sparse_dims.h"

namespace qlite {
namespace {

using testing::Csr;
using testing::Dense;
using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

template <typename T>
int AddSparse(ModelBuilder* b, DType type, Shape shape, const std::vector<T>& values,
              Sparsity sparsity, Quantization quant = {}) {
  const int t = b->AddConstant("w", type, std::move(shape), values, std::move(quant));
  b->model().tensors[t].sparsity = std::move(sparsity);
  return t;
}

// DENSIFY of a sparse constant; the model's input is unused (the node folds).
template <typename T>
RunResult RunDensify(DType type, Shape shape, const std::vector<T>& values, Sparsity sparsity) {
  ModelBuilder b;
  const int w = AddSparse(&b, type, std::move(shape), values, std::move(sparsity));
  const int out = b.AddTensor("dense", type, {});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kDensify, {w}, {out});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
}

// [[1 0 2 0] [0 0 0 0] [0 3 0 0] [4 0 0 5]]
const std::vector<float> kMatrix = {1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 0, 5};

TEST(DensifyTest, CsrOnBothDims) {
  const RunResult r =
      RunDensify<float>(DType::kFloat32, {4, 4}, {1, 2, 3, 4, 5},
                        {{0, 1}, {}, {Csr({0, 3}, {0, 2, 3}), Csr({0, 2, 3, 5}, {0, 2, 1, 0, 3})}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{4, 4}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), kMatrix);
}

TEST(DensifyTest, DenseRowsWithCsrColumnsAndColumnMajorOrder) {
  RunResult r = RunDensify<float>(DType::kFloat32, {4, 4}, {1, 2, 3, 4, 5},
                                  {{0, 1}, {}, {Dense(4), Csr({0, 2, 2, 3, 5}, {0, 2, 1, 0, 3})}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), kMatrix);
  // Walked column by column: values in column order.
  r = RunDensify<float>(DType::kFloat32, {4, 4}, {1, 4, 3, 2, 5},
                        {{1, 0}, {}, {Dense(4), Csr({0, 2, 3, 4, 5}, {0, 3, 2, 0, 3})}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), kMatrix);
}

TEST(DensifyTest, OneByFourAndFourByOneBlocks) {
  // 2x8, block_map [1]: row 0 keeps block 0, row 1 block 1.
  RunResult r = RunDensify<float>(DType::kFloat32, {2, 8}, {1, 2, 0, 0, 5, 0, 6, 7},
                                  {{0, 1, 2}, {1}, {Dense(2), Csr({0, 1, 2}, {0, 1}), Dense(4)}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 6, 7}));
  // 8x2, block_map [0]: column 0 of rows 0-3, column 1 of rows 4-7.
  r = RunDensify<float>(DType::kFloat32, {8, 2}, {1, 2, 3, 4, 0, 6, 0, 8},
                        {{0, 1, 2}, {0}, {Dense(2), Csr({0, 1, 2}, {0, 1}), Dense(4)}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{1, 0, 2, 0, 3, 0, 4, 0, 0, 0, 0, 6, 0, 0, 0, 8}));
}

TEST(DensifyTest, TwoByTwoBlocksOfInt8) {
  // Blocks (0,0) = [[1 2] [3 4]] and (1,1) = [[0 0] [-5 0]].
  const RunResult r = RunDensify<int8_t>(
      DType::kInt8, {4, 4}, {1, 2, 3, 4, 0, 0, -5, 0},
      {{0, 1, 2, 3}, {0, 1}, {Dense(2), Csr({0, 1, 2}, {0, 1}), Dense(2), Dense(2)}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]),
            (std::vector<int8_t>{1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, -5, 0}));
}

TEST(DensifyTest, ThreeDimsAndFloat16Bits) {
  // t[0] = [[0 0 0] [7 0 8]], t[1] = [[0 9 0] [0 0 0]] as float16 bits
  // (7 = 0x4700, 8 = 0x4800, 9 = 0x4880; -0 stays -0).
  const RunResult r = RunDensify<uint16_t>(
      DType::kFloat16, {2, 2, 3}, {0x4700, 0x4800, 0x8000},
      {{0, 1, 2}, {}, {Dense(2), Csr({0, 1, 2}, {1, 0}), Csr({0, 2, 3}, {0, 2, 1})}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint16_t>(r.outputs[0]),
            (std::vector<uint16_t>{0, 0, 0, 0x4700, 0, 0x4800, 0, 0x8000, 0, 0, 0, 0}));
}

TEST(DensifyTest, AllZeroCsrTensorStoresNoValues) {
  const RunResult r =
      RunDensify<float>(DType::kFloat32, {2, 3}, {}, {{0, 1}, {}, {Dense(2), Csr({0, 0, 0}, {})}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), std::vector<float>(6, 0.0f));
}

// FULLY_CONNECTED of x [1, 4] with a sparse weight [3, 4]:
// W = [[1 0 2 0] [0 0 0 0] [0 3 0 -1]], read through DENSIFY or directly.
template <typename T>
RunResult RunSparseFc(DType type, bool through_densify, const std::vector<T>& x,
                      const std::vector<T>& w_values, Quantization x_quant = {},
                      Quantization w_quant = {}, Quantization y_quant = {}) {
  ModelBuilder b;
  const int in = b.AddTensor("x", type, {1, 4}, x_quant);
  int w = AddSparse(&b, type, {3, 4}, w_values,
                    {{0, 1}, {}, {Csr({0, 2}, {0, 2}), Csr({0, 2, 4}, {0, 2, 1, 3})}}, w_quant);
  if (through_densify) {
    const int dense = b.AddTensor("w_dense", type, {}, w_quant);
    b.AddOperator(BuiltinOp::kDensify, {w}, {dense});
    w = dense;
  }
  const int out = b.AddTensor("y", type, {}, y_quant);
  b.AddOperator(BuiltinOp::kFullyConnected, {in, w, -1}, {out}, {}, type == DType::kInt8 ? 4 : 1);
  b.SetInputs({in});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(x)});
}

TEST(DensifyTest, FullyConnectedReadsSparseFloatWeights) {
  for (bool through_densify : {true, false}) {
    SCOPED_TRACE(through_densify ? "DENSIFY -> FC" : "sparse weight");
    const RunResult r =
        RunSparseFc<float>(DType::kFloat32, through_densify, {1, 2, 3, 4}, {1, 2, 3, -1});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    // [1*1 + 2*3, 0, 3*2 - 1*4]
    EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{7, 0, 2}));
  }
}

TEST(DensifyTest, FullyConnectedReadsSparseInt8Weights) {
  for (bool through_densify : {true, false}) {
    SCOPED_TRACE(through_densify ? "DENSIFY -> FC" : "sparse weight");
    // x = [2 4 6 8] at scale 0.5, weights at scale 1, output at scale 1:
    // accumulators [2 + 12, 0, 12 - 8] times 0.5.
    const RunResult r =
        RunSparseFc<int8_t>(DType::kInt8, through_densify, {2, 4, 6, 8}, {1, 2, 3, -1},
                            PerTensor(0.5f, 0), PerTensor(1.0f, 0), PerTensor(1.0f, 0));
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{7, 0, 2}));
  }
}

// FULLY_CONNECTED of x [2, 8] with a [4, 8] weight of small integers (float32:
// eighths), stored dense (format nullptr) or encoded in `format`.
RunResult RunFcWeight(DType type, const SparseFormat* format, bool through_densify) {
  const bool q = type == DType::kInt8;
  std::vector<uint8_t> dense;
  for (int i = 0; i < 32; ++i) {
    const int v = (i / 4) % 3 == 1 || i % 5 == 0 ? 0 : (i * 37 + 11) % 29 - 14;
    if (q) {
      dense.push_back(static_cast<uint8_t>(static_cast<int8_t>(v)));
    } else {
      const auto bytes = ToBytes(std::vector<float>{v * 0.125f});
      dense.insert(dense.end(), bytes.begin(), bytes.end());
    }
  }
  const Quantization w_quant = q ? PerTensor(0.125f, 0) : Quantization{};
  ModelBuilder b;
  const int x = b.AddTensor("x", type, {2, 8}, q ? PerTensor(0.05f, 3) : Quantization{});
  int w = -1;
  if (format == nullptr) {
    w = b.AddConstantBytes("w", type, {4, 8}, dense, w_quant);
  } else {
    TensorDef def;
    def.type = type;
    def.shape = {4, 8};
    std::vector<uint8_t> values;
    EXPECT_TRUE(SparsifyConstant(*format, dense, &def, &values).ok());
    w = AddSparse(&b, type, {4, 8}, values, def.sparsity, w_quant);
  }
  if (through_densify) {
    const int dense_w = b.AddTensor("w_dense", type, {}, w_quant);
    b.AddOperator(BuiltinOp::kDensify, {w}, {dense_w});
    w = dense_w;
  }
  const int y = b.AddTensor("y", type, {}, q ? PerTensor(0.5f, -2) : Quantization{});
  b.AddOperator(BuiltinOp::kFullyConnected, {x, w, -1}, {y}, {}, q ? 4 : 1);
  b.SetInputs({x});
  b.SetOutputs({y});
  std::vector<uint8_t> input;
  for (int i = 0; i < 16; ++i) {
    if (q) {
      input.push_back(static_cast<uint8_t>(static_cast<int8_t>(i * 41 % 255 - 127)));
    } else {
      const auto bytes = ToBytes(std::vector<float>{(i * 7 % 19) * 0.5f - 4.5f});
      input.insert(input.end(), bytes.begin(), bytes.end());
    }
  }
  return RunModel(b.Build(), {input});
}

TEST(DensifyTest, SparseWeightsGiveWhatTheDenseWeightGives) {
  const std::vector<SparseFormat> formats = {
      {{0, 1}, {true, true}, {}, {}},      {{0, 1}, {false, true}, {}, {}},
      {{1, 0}, {true, false}, {}, {}},     {{0, 1, 2}, {false, true}, {1}, {4}},
      {{0, 1, 2}, {true, true}, {0}, {4}}, {{0, 1, 2, 3}, {false, true}, {0, 1}, {2, 2}},
  };
  for (DType type : {DType::kFloat32, DType::kInt8}) {
    const RunResult expected = RunFcWeight(type, nullptr, false);
    ASSERT_TRUE(expected.status.ok()) << expected.status.message();
    for (size_t f = 0; f < formats.size(); ++f) {
      for (bool through_densify : {true, false}) {
        SCOPED_TRACE(::testing::Message() << DTypeName(type) << " format " << f
                                          << (through_densify ? " DENSIFY" : " direct"));
        const RunResult r = RunFcWeight(type, &formats[f], through_densify);
        ASSERT_TRUE(r.status.ok()) << r.status.message();
        EXPECT_EQ(r.outputs[0], expected.outputs[0]);
      }
    }
  }
}

TEST(DensifyTest, SparseWeightCountsAgainstTheTensorMemoryCap) {
  ModelBuilder b;
  const int w = AddSparse<float>(&b, DType::kFloat32, {64, 64}, {1},
                                 {{0, 1}, {}, {Csr({0, 1}, {3}), Csr({0, 1}, {5})}});
  const int out = b.AddTensor("dense", DType::kFloat32, {});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kDensify, {w}, {out});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  InterpreterOptions options;
  options.max_tensor_bytes = 1000;  // the dense weight needs 16384
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(b.Build(), options, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("densifying sparse constant 'w'"), std::string::npos) << s.message();
}

TEST(DensifyTest, RejectsDenseAndNonConstantInputs) {
  ModelBuilder b;
  const int w = b.AddConstant("w", DType::kFloat32, {2}, std::vector<float>{1, 2});
  const int out = b.AddTensor("dense", DType::kFloat32, {});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kDensify, {w}, {out});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("input 'w' is not sparse"), std::string::npos)
      << r.status.message();

  ModelBuilder c;
  const int in = c.AddTensor("x", DType::kFloat32, {2});
  const int y = c.AddTensor("dense", DType::kFloat32, {});
  c.AddOperator(BuiltinOp::kDensify, {in}, {y});
  c.SetInputs({in});
  c.SetOutputs({y});
  r = RunModel(c.Build(), {ToBytes(std::vector<float>{1, 2})});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("DENSIFY"), std::string::npos) << r.status.message();
}

TEST(DensifyTest, RejectsAnOutputOfAnotherDtype) {
  ModelBuilder b;
  const int w = AddSparse<float>(&b, DType::kFloat32, {2}, {1}, {{0}, {}, {Csr({0, 1}, {1})}});
  const int out = b.AddTensor("dense", DType::kInt8, {});
  const int dummy = b.AddTensor("unused", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kDensify, {w}, {out});
  b.SetInputs({dummy});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  EXPECT_FALSE(r.status.ok());
}

}  // namespace
}  // namespace qlite
