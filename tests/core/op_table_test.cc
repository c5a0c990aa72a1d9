// The op table: every row is complete, options survive write -> read through
// each row's OptionsIO, folding happens in the interpreter for foldable rows
// only, and custom ops keep their options bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/format/options_io.h"
#include "core/interpreter.h"
#include "core/model_builder.h"
#include "core/op_table.h"

namespace qlite {
namespace {

// Every builtin code qlite has a row for, found by scanning the code range.
std::vector<const OpRow*> AllRows() {
  std::vector<const OpRow*> rows;
  for (int32_t code = 0; code < 256; ++code) {
    if (const OpRow* row = FindOpRow(static_cast<BuiltinOp>(code))) rows.push_back(row);
  }
  return rows;
}

TEST(OpTable, EveryRowHasAReferenceKernelAndItsOwnCode) {
  const auto rows = AllRows();
  EXPECT_GE(rows.size(), 29u);
  for (const OpRow* row : rows) {
    SCOPED_TRACE(BuiltinOpName(row->op));
    ASSERT_NE(row->reference, nullptr);
    const KernelRegistration* kernel = row->reference();
    ASSERT_NE(kernel, nullptr);
    EXPECT_NE(kernel->prepare, nullptr);
    EXPECT_NE(kernel->eval, nullptr);
    OperatorDef op;
    op.op = row->op;
    EXPECT_EQ(FindKernel(op, KernelSet::kReference), kernel);
  }
  EXPECT_EQ(FindOpRow(BuiltinOp::kCustom, "NoSuchCustomOp"), nullptr);
  EXPECT_EQ(FindOpRow(static_cast<BuiltinOp>(9999)), nullptr);
}

TEST(OpTable, DefaultOptionsSurviveWriteAndRead) {
  // One node per row with options, each with its defaults; the file read back
  // must describe every node's options the same way and keep their types.
  ModelBuilder b;
  const int t = b.AddTensor("t", DType::kFloat32, {1});
  std::vector<int32_t> outputs;
  for (const OpRow* row : AllRows()) {
    if (row->options == nullptr) continue;
    outputs.push_back(b.AddTensor("out", DType::kFloat32, {1}));
    b.AddOperator(row->op, {t}, {outputs.back()});
  }
  b.SetInputs({t});
  b.SetOutputs(outputs);
  const Model model = b.Build();
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(model, WriterOptions{}, &bytes).ok());
  Model back;
  const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &back);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(back.operators.size(), model.operators.size());
  for (size_t n = 0; n < model.operators.size(); ++n) {
    SCOPED_TRACE(BuiltinOpName(model.operators[n].op));
    EXPECT_TRUE(back.operators[n].options.type() == model.operators[n].options.type());
    EXPECT_EQ(DescribeOptions(back.operators[n]), DescribeOptions(model.operators[n]));
  }
}

TEST(OpTable, OptionsTableOfAnotherOpIsAnError) {
  // CONV_2D's reader given a node that carries Pool2DOptions names the table.
  ModelBuilder b;
  const int t = b.AddTensor("t", DType::kFloat32, {1});
  const int out = b.AddTensor("out", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kMaxPool2D, {t}, {out});
  b.SetInputs({t});
  b.SetOutputs({out});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(b.Build(), WriterOptions{}, &bytes).ok());
  const tfl::Model* fb = tfl::GetModel(bytes.data());
  const tfl::Operator* op = fb->subgraphs()->Get(0)->operators()->Get(0);
  OpOptions options;
  const Status s = FindOpRow(BuiltinOp::kConv2D)->options->read(*op, &options);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Pool2DOptions"), std::string::npos) << s.message();
}

TEST(OpTable, InterpreterFoldsFoldableNodesWithConstantInputs) {
  // TRANSPOSE of a constant (foldable) feeds ADD with the model input; a
  // RESHAPE of a constant (not foldable) runs at every invoke.
  ModelBuilder b;
  const int in = b.AddTensor("in", DType::kFloat32, {3, 2});
  const int c = b.AddConstant("c", DType::kFloat32, {2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
  const int perm = b.AddConstant("perm", DType::kInt32, {2}, std::vector<int32_t>{1, 0});
  const int ct = b.AddTensor("ct", DType::kFloat32, {});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  const int shape = b.AddConstant("shape", DType::kInt32, {1}, std::vector<int32_t>{6});
  const int flat = b.AddTensor("flat", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kTranspose, {c, perm}, {ct});
  b.AddOperator(BuiltinOp::kAdd, {in, ct}, {out});
  b.AddOperator(BuiltinOp::kReshape, {c, shape}, {flat});
  b.SetInputs({in});
  b.SetOutputs({out, flat});
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(b.Build(), InterpreterOptions{}, &interpreter);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_STREQ(interpreter->node_kernel_name(0), "folded_at_prepare");
  EXPECT_STRNE(interpreter->node_kernel_name(2), "folded_at_prepare");
  EXPECT_TRUE(interpreter->tensors()[ct].is_constant());
  const std::vector<float> x = {10, 20, 30, 40, 50, 60};
  ASSERT_TRUE(interpreter->SetInput(0, x.data(), x.size() * sizeof(float)).ok());
  ASSERT_TRUE(interpreter->Invoke().ok());
  const float* y = interpreter->output(0)->data_as<float>();
  EXPECT_EQ(std::vector<float>(y, y + 6), (std::vector<float>{11, 24, 32, 45, 53, 66}));
  const float* f = interpreter->output(1)->data_as<float>();
  EXPECT_EQ(std::vector<float>(f, f + 6), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(OpTable, CustomOptionsBytesSurviveWriteAndRead) {
  ModelBuilder b;
  const int t = b.AddTensor("t", DType::kFloat32, {1});
  const int out = b.AddTensor("out", DType::kFloat32, {1});
  const int n = b.AddOperator(BuiltinOp::kCustom, {t}, {out});
  b.model().operators[n].custom_code = "SomeVendorOp";
  b.model().operators[n].custom_options = {1, 2, 3, 250};
  b.SetInputs({t});
  b.SetOutputs({out});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(b.Build(), WriterOptions{}, &bytes).ok());
  Model back;
  ASSERT_TRUE(ReadModelFromBytes(bytes.data(), bytes.size(), &back).ok());
  EXPECT_EQ(back.operators[0].custom_code, "SomeVendorOp");
  EXPECT_EQ(back.operators[0].custom_options, (std::vector<uint8_t>{1, 2, 3, 250}));
  // Unknown at run time: named with its node index.
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(back, InterpreterOptions{}, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 0: custom operator 'SomeVendorOp'"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace qlite
