// read -> write -> read gives the same graph and the same data, and the
// written file follows the format's conventions (alignment, dedupe, metadata).
#include "core/format/model_writer.h"

#include <gtest/gtest.h>

#include "core/describe.h"
#include "core/format/model_reader.h"
#include "core/model_builder.h"
#include "tests/util/golden.h"
#include "tests/util/op_runner.h"
#include "tests/util/shared_models.h"

namespace qlite {
namespace {

std::vector<uint8_t> DataOf(const Model& m, int t) {
  const Buffer& b = m.constant_data(t);
  return std::vector<uint8_t>(b.data, b.data + b.size);
}

void ExpectSameGraph(const Model& a, const Model& b) {
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t t = 0; t < a.tensors.size(); ++t) {
    SCOPED_TRACE("tensor " + std::to_string(t));
    const TensorDef &x = a.tensors[t], &y = b.tensors[t];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.shape, y.shape);
    EXPECT_EQ(x.shape_signature, y.shape_signature);
    EXPECT_EQ(x.quant.scale, y.quant.scale);
    EXPECT_EQ(x.quant.zero_point, y.quant.zero_point);
    EXPECT_EQ(x.quant.quantized_dimension, y.quant.quantized_dimension);
    EXPECT_EQ(x.quant.min, y.quant.min);
    EXPECT_EQ(x.quant.max, y.quant.max);
    EXPECT_EQ(DataOf(a, static_cast<int>(t)), DataOf(b, static_cast<int>(t)));
  }
  ASSERT_EQ(a.operators.size(), b.operators.size());
  for (size_t n = 0; n < a.operators.size(); ++n) {
    SCOPED_TRACE("node " + std::to_string(n));
    EXPECT_EQ(a.operators[n].op, b.operators[n].op);
    EXPECT_EQ(a.operators[n].version, b.operators[n].version);
    EXPECT_EQ(a.operators[n].inputs, b.operators[n].inputs);
    EXPECT_EQ(a.operators[n].outputs, b.operators[n].outputs);
    EXPECT_TRUE(a.operators[n].options.type() == b.operators[n].options.type());
    EXPECT_EQ(a.operators[n].custom_options, b.operators[n].custom_options);
    EXPECT_EQ(DescribeOptions(a.operators[n]), DescribeOptions(b.operators[n]));
  }
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.outputs, b.outputs);
}

TEST(Writer, SharedModelsRoundTrip) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  for (const std::string& path : testing::ListModels(dir)) {
    SCOPED_TRACE(path);
    Model original;
    ASSERT_TRUE(ReadModelFile(path, &original).ok());
    std::vector<uint8_t> bytes;
    Status s = WriteModel(original, {}, &bytes);
    ASSERT_TRUE(s.ok()) << s.message();
    Model reread;
    s = ReadModelFromBytes(bytes.data(), bytes.size(), &reread);
    ASSERT_TRUE(s.ok()) << s.message();
    ExpectSameGraph(original, reread);

    // Writing again is byte-for-byte stable.
    std::vector<uint8_t> again;
    ASSERT_TRUE(WriteModel(reread, {}, &again).ok());
    EXPECT_EQ(bytes, again);
  }
}

TEST(Writer, BuffersAreAlignedDedupedAndMetadataIsWritten) {
  ModelBuilder b;
  const std::vector<float> weights = {1, 2, 3, 4, 5, 6};
  const int in = b.AddTensor("in", DType::kFloat32, {1, 3});
  const int w1 = b.AddConstant("w1", DType::kFloat32, {2, 3}, weights);
  const int w2 = b.AddConstant("w2", DType::kFloat32, {2, 3}, weights);  // same bytes as w1
  const int h = b.AddTensor("h", DType::kFloat32, {1, 2});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 2});
  const int w3 = b.AddConstant("w3", DType::kFloat32, {2, 2}, std::vector<float>{1, 0, 0, 1});
  (void)w2;
  b.AddOperator(BuiltinOp::kFullyConnected, {in, w1, -1}, {h});
  b.AddOperator(BuiltinOp::kFullyConnected, {h, w3, -1}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});

  WriterOptions options;
  options.metadata = {{"qlite", "mode=float32"}};
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(b.Build(), options, &bytes).ok());
  auto storage = std::make_shared<std::vector<uint8_t>>(bytes);
  Model m;
  ASSERT_TRUE(ReadModel(storage, &m).ok());
  EXPECT_EQ(m.tensors[w1].buffer, m.tensors[w2].buffer);
  EXPECT_NE(m.tensors[w1].buffer, m.tensors[w3].buffer);
  for (const Buffer& buffer : m.buffers) {
    if (buffer.size > 0) {
      EXPECT_EQ((buffer.data - storage->data()) % 16, 0);
    }
  }
  std::map<std::string, std::string> metadata;
  for (const MetadataEntry& e : m.metadata) {
    const Buffer& data = m.buffers[e.buffer];
    metadata[e.name] = std::string(reinterpret_cast<const char*>(data.data), data.size);
  }
  EXPECT_EQ(metadata["qlite"], "mode=float32");
  EXPECT_EQ(metadata["min_runtime_version"].substr(0, 6), "1.14.0");

  // And it still computes the same thing.
  const auto result = testing::RunModel(m, {testing::ToBytes(std::vector<float>{1, 1, 1})});
  ASSERT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(testing::FromBytes<float>(result.outputs[0]), (std::vector<float>{6, 15}));
}

TEST(Writer, ConstantsWithoutElementsStayConstant) {
  // SUM over an empty axis list copies its input; the axes are a [0] int32
  // constant, which must come back from the file as a constant (before, it
  // was written with buffer 0 and read back as a tensor nothing computes).
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {2, 2});
  const int axes = b.AddConstant("axes", DType::kInt32, {0}, std::vector<int32_t>{});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kSum, {in, axes}, {out}, ReducerOptions{});
  b.SetInputs({in});
  b.SetOutputs({out});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(b.Build(), {}, &bytes).ok());
  Model reread;
  ASSERT_TRUE(ReadModelFromBytes(bytes.data(), bytes.size(), &reread).ok());
  EXPECT_TRUE(reread.is_constant(axes));
  const auto result = testing::RunModel(reread, {testing::ToBytes(std::vector<float>{1, 2, 3, 4})});
  ASSERT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(testing::FromBytes<float>(result.outputs[0]), (std::vector<float>{1, 2, 3, 4}));
}

TEST(Writer, InvalidModelIsNotWritten) {
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {1, 3});
  b.AddOperator(BuiltinOp::kFullyConnected, {in, 7, -1}, {in});
  std::vector<uint8_t> bytes;
  const Status s = WriteModel(b.Build(), {}, &bytes);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(bytes.empty());
}

}  // namespace
}  // namespace qlite
