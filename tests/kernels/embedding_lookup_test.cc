// EMBEDDING_LOOKUP reference kernel: rows copied for float32, int8 and uint8,
// a rank-3 table, the hybrid int8/uint8 table with float32 output (the byte
// read as int8, per-tensor or per-row scale, zero point ignored), empty ids,
// out-of-range ids and the prepare errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

template <typename T>
RunResult RunLookup(DType type, Shape value_shape, const std::vector<T>& value,
                    const std::vector<int32_t>& ids, DType out_type, Quantization value_quant = {},
                    Quantization out_quant = {}, DType id_type = DType::kInt32) {
  ModelBuilder b;
  const int i = b.AddTensor("ids", id_type, {static_cast<int32_t>(ids.size())});
  const int v = b.AddConstant("value", type, value_shape, value, value_quant);
  const int out = b.AddTensor("out", out_type, {}, out_quant);
  b.AddOperator(BuiltinOp::kEmbeddingLookup, {i, v}, {out});
  b.SetInputs({i});
  b.SetOutputs({out});
  return RunModel(b.Build(), {ToBytes(ids)});
}

void ExpectError(const RunResult& r, const std::string& message) {
  ASSERT_FALSE(r.status.ok()) << "expected: " << message;
  EXPECT_NE(r.status.message().find(message), std::string::npos) << r.status.message();
}

TEST(EmbeddingLookupTest, CopiesRowsInIdOrder) {
  // [[1, 2], [3, 4], [5, 6]] at ids 2, 0, 2.
  RunResult r =
      RunLookup<float>(DType::kFloat32, {3, 2}, {1, 2, 3, 4, 5, 6}, {2, 0, 2}, DType::kFloat32);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 2}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{5, 6, 1, 2, 5, 6}));
  // A rank-3 table: each id takes a [2, 2] block.
  r = RunLookup<int8_t>(DType::kInt8, {2, 2, 2}, {1, 2, 3, 4, -5, -6, -7, -8}, {1}, DType::kInt8,
                        PerTensor(0.5f, 3), PerTensor(0.5f, 3));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2, 2}));
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-5, -6, -7, -8}));
  r = RunLookup<uint8_t>(DType::kUInt8, {2, 1}, {7, 255}, {1, 1, 0}, DType::kUInt8);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{255, 255, 7}));
}

TEST(EmbeddingLookupTest, HybridTableDequantizesWithItsScale) {
  // int8 * 0.5; the zero point 5 is ignored, as TFLite's hybrid kernel does.
  RunResult r = RunLookup<int8_t>(DType::kInt8, {2, 2}, {-128, 127, 3, -1}, {1, 0}, DType::kFloat32,
                                  PerTensor(0.5f, 5));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1.5f, -0.5f, -64, 63.5f}));
  // uint8 bytes are read as int8: 200 -> -56, 100 -> 100; times 0.25.
  r = RunLookup<uint8_t>(DType::kUInt8, {1, 2}, {200, 100}, {0}, DType::kFloat32,
                         PerTensor(0.25f, 128));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{-14, 25}));
  // One scale per row: row 0 * 0.5, row 1 * 2.
  r = RunLookup<int8_t>(DType::kInt8, {2, 2}, {2, 4, 2, 4}, {0, 1}, DType::kFloat32,
                        PerChannel({0.5f, 2}, 0));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{1, 2, 4, 8}));
}

TEST(EmbeddingLookupTest, EmptyIdsGiveAnEmptyOutput) {
  // Model inputs cannot be empty: the ids are a constant, the node folds.
  ModelBuilder b;
  const int ids = b.AddConstant("ids", DType::kInt32, {0}, std::vector<int32_t>{});
  const int value = b.AddConstant("value", DType::kFloat32, {2, 3}, std::vector<float>(6, 1));
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kEmbeddingLookup, {ids, value}, {out});
  const int unused = b.AddTensor("unused", DType::kFloat32, {1});
  b.SetInputs({unused});
  b.SetOutputs({out});
  const RunResult r = RunModel(b.Build(), {ToBytes(std::vector<float>{0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0, 3}));
}

TEST(EmbeddingLookupTest, ErrorsNameWhatIsWrong) {
  const std::vector<float> table = {1, 2, 3, 4, 5, 6};
  ExpectError(RunLookup<float>(DType::kFloat32, {3, 2}, table, {0, 3}, DType::kFloat32),
              "embedding_lookup id 3 is outside [0, 3)");
  ExpectError(RunLookup<float>(DType::kFloat32, {3, 2}, table, {-1}, DType::kFloat32),
              "embedding_lookup id -1 is outside [0, 3)");
  ExpectError(RunLookup<float>(DType::kFloat32, {6}, table, {0}, DType::kFloat32),
              "must have rank >= 2");
  ExpectError(
      RunLookup<float>(DType::kFloat32, {3, 2}, table, {0}, DType::kFloat32, {}, {}, DType::kInt64),
      "ids");
  ExpectError(RunLookup<int16_t>(DType::kInt16, {1, 2}, {1, 2}, {0}, DType::kInt16), "value");
  ExpectError(RunLookup<float>(DType::kFloat32, {3, 2}, table, {0}, DType::kInt8), "output");
  // A hybrid table needs a scale; 3 scales for 2 rows fail the model check.
  ExpectError(RunLookup<int8_t>(DType::kInt8, {2, 1}, {1, 2}, {0}, DType::kFloat32),
              "needs one scale or one per row (2), has 0");
  ExpectError(RunLookup<int8_t>(DType::kInt8, {2, 1}, {1, 2}, {0}, DType::kFloat32,
                                PerChannel({1, 1, 1}, 0)),
              "3 per-channel scales but dimension 0 is 2");
}

}  // namespace
}  // namespace qlite
