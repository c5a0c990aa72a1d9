// qlite cut: each one-node model, fed the node's inputs as the whole model
// computed them, gives the node's outputs byte for byte.
#include "quantize/model_cut.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"

namespace qlite {
namespace {

const std::string kModels = std::string(QLITE_SOURCE_DIR) + "/models/";

using Bytes = std::vector<uint8_t>;

Bytes BytesOf(const Tensor& t) { return Bytes(t.data, t.data + t.bytes); }

void ExpectEveryNodeCutsExactly(const std::string& file) {
  auto model = std::make_shared<Model>();
  ASSERT_TRUE(ReadModelFile(kModels + file, model.get()).ok());
  // Without fusion every node writes its own outputs, which are compared.
  InterpreterOptions options;
  options.fuse_nodes = false;
  std::unique_ptr<Interpreter> whole;
  ASSERT_TRUE(Interpreter::Create(model, options, &whole).ok());
  for (int i = 0; i < whole->num_inputs(); ++i) {
    Tensor* in = whole->input(i);
    for (size_t b = 0; b < in->bytes; ++b) in->data[b] = static_cast<uint8_t>(b * 7 % 61);
    if (in->type == DType::kFloat32) {
      for (size_t e = 0; e < in->bytes / 4; ++e) in->data_as<float>()[e] = (e % 13) / 13.0f;
    }
  }
  // Every node's inputs and outputs as the whole model computes them.
  std::vector<std::vector<Bytes>> node_inputs(model->operators.size());
  std::vector<std::vector<Bytes>> node_outputs(model->operators.size());
  std::vector<Bytes> values(whole->tensors().size());
  for (int i = 0; i < whole->num_inputs(); ++i) {
    values[model->inputs[i]] = BytesOf(*whole->input(i));
  }
  ASSERT_TRUE(whole
                  ->Invoke([&](int n) {
                    for (int32_t t : model->operators[n].outputs) {
                      values[t] = BytesOf(whole->tensors()[t]);
                      node_outputs[n].push_back(values[t]);
                    }
                  })
                  .ok());
  int cut_nodes = 0;
  for (int n = 0; n < whole->num_nodes(); ++n) {
    SCOPED_TRACE(file + " node " + std::to_string(n));
    if (std::string(whole->node_kernel_name(n)) == "folded_at_prepare") continue;
    Model cut;
    ASSERT_TRUE(CutNode(*whole, n, &cut).ok());
    ASSERT_EQ(cut.operators.size(), 1u);
    // Through the file format, as the CLI writes it.
    auto bytes = std::make_shared<Bytes>();
    ASSERT_TRUE(WriteModel(cut, WriterOptions{}, bytes.get()).ok());
    auto read = std::make_shared<Model>();
    ASSERT_TRUE(ReadModel(bytes, read.get()).ok());
    std::unique_ptr<Interpreter> alone;
    const Status s = Interpreter::Create(read, {}, &alone);
    ASSERT_TRUE(s.ok()) << s.message();
    int fed = 0;
    for (int32_t t : model->operators[n].inputs) {
      if (t < 0 || whole->tensors()[t].is_constant()) continue;
      ASSERT_LT(fed, alone->num_inputs());
      ASSERT_TRUE(alone->SetInput(fed, values[t].data(), values[t].size()).ok());
      ++fed;
    }
    EXPECT_EQ(fed, alone->num_inputs());
    ASSERT_TRUE(alone->Invoke().ok());
    for (int o = 0; o < alone->num_outputs(); ++o) {
      EXPECT_EQ(BytesOf(*alone->output(o)), node_outputs[n][o]) << "output " << o;
    }
    ++cut_nodes;
  }
  EXPECT_GT(cut_nodes, 2);
}

TEST(ModelCut, EveryNodeOfLeNet5Int8) { ExpectEveryNodeCutsExactly("lenet5_int8.tflite"); }
TEST(ModelCut, EveryNodeOfLeNet5Float) { ExpectEveryNodeCutsExactly("lenet5_float.tflite"); }

// float16 weights are dequantized at load: the cut CONV_2D carries them as
// float32 constants, not as an input.
TEST(ModelCut, FoldedFloat16WeightsBecomeConstants) {
  ExpectEveryNodeCutsExactly("tutorial_float16.tflite");
  auto model = std::make_shared<Model>();
  ASSERT_TRUE(ReadModelFile(kModels + "tutorial_float16.tflite", model.get()).ok());
  std::unique_ptr<Interpreter> whole;
  ASSERT_TRUE(Interpreter::Create(model, {}, &whole).ok());
  int conv = -1;
  for (size_t n = 0; n < model->operators.size(); ++n) {
    if (model->operators[n].op == BuiltinOp::kConv2D) conv = static_cast<int>(n);
  }
  ASSERT_GE(conv, 0);
  Model cut;
  ASSERT_TRUE(CutNode(*whole, conv, &cut).ok());
  ASSERT_EQ(cut.inputs.size(), 1u);
  EXPECT_TRUE(cut.is_constant(cut.operators[0].inputs[1]));
  EXPECT_EQ(cut.tensors[cut.operators[0].inputs[1]].type, DType::kFloat32);
}

TEST(ModelCut, RefusesANodeThatDoesNotExist) {
  auto model = std::make_shared<Model>();
  ASSERT_TRUE(ReadModelFile(kModels + "lenet5_int8.tflite", model.get()).ok());
  std::unique_ptr<Interpreter> whole;
  ASSERT_TRUE(Interpreter::Create(model, {}, &whole).ok());
  Model cut;
  const Status s = CutNode(*whole, 99, &cut);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 99 does not exist"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace qlite
