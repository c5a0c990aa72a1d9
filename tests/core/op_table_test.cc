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
#include "core/kernels/pack.h"
#include "core/kernels/split.h"
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

// The bytes of one options table, written by the generic writer or by flatc's
// Create function.
std::vector<uint8_t> Finished(flatbuffers::FlatBufferBuilder& b, flatbuffers::Offset<void> t) {
  b.Finish(t);
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}
std::vector<uint8_t> WrittenByRow(BuiltinOp op, const OpOptions& options) {
  flatbuffers::FlatBufferBuilder b;
  return Finished(b, FindOpRow(op)->options->Write(b, options).second);
}
template <typename T>
std::vector<uint8_t> WrittenByFlatc(flatbuffers::FlatBufferBuilder& b, flatbuffers::Offset<T> t) {
  return Finished(b, t.Union());
}

TEST(OpTable, OptionsBytesEqualFlatcCreateFunctions) {
  // Non-default values, so that every field is on the wire; the generic
  // writer must lay tables out as flatc's Create functions do.
  Conv2DOptions conv;
  conv.padding = Padding::kValid;
  conv.stride_w = 2;
  conv.stride_h = 3;
  conv.dilation_w = 2;
  conv.activation = Activation::kRelu6;
  flatbuffers::FlatBufferBuilder b1;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kConv2D, conv),
            WrittenByFlatc(b1, tfl::CreateConv2DOptions(b1, tfl::Padding::VALID, 2, 3,
                                                        tfl::ActivationFunctionType::RELU6, 2, 1)));
  FullyConnectedOptions fc;
  fc.activation = Activation::kRelu;
  fc.keep_num_dims = true;
  fc.asymmetric_quantize_inputs = true;
  flatbuffers::FlatBufferBuilder b2;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kFullyConnected, fc),
            WrittenByFlatc(b2, tfl::CreateFullyConnectedOptions(
                                   b2, tfl::ActivationFunctionType::RELU,
                                   tfl::FullyConnectedOptionsWeightsFormat::DEFAULT, true, true)));
  ElementwiseOptions add;
  add.pot_scale_int16 = false;
  add.activation = Activation::kReluN1To1;
  flatbuffers::FlatBufferBuilder b3;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kAdd, add),
            WrittenByFlatc(
                b3, tfl::CreateAddOptions(b3, tfl::ActivationFunctionType::RELU_N1_TO_1, false)));
  ReshapeOptions reshape;
  reshape.has_new_shape = true;
  reshape.new_shape = {1, -1, 4};
  flatbuffers::FlatBufferBuilder b4;
  const auto shape = b4.CreateVector(reshape.new_shape);
  EXPECT_EQ(WrittenByRow(BuiltinOp::kReshape, reshape),
            WrittenByFlatc(b4, tfl::CreateReshapeOptions(b4, shape)));
  StridedSliceOptions slice;
  slice.begin_mask = 5;
  slice.shrink_axis_mask = 2;
  slice.offset = true;
  flatbuffers::FlatBufferBuilder b5;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kStridedSlice, slice),
            WrittenByFlatc(b5, tfl::CreateStridedSliceOptions(b5, 5, 0, 0, 0, 2, true)));
  flatbuffers::FlatBufferBuilder b6;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kPad, OpOptions{}),
            WrittenByFlatc(b6, tfl::CreatePadOptions(b6)));
  flatbuffers::FlatBufferBuilder b7;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kPack, PackOptions{3, -1}),
            WrittenByFlatc(b7, tfl::CreatePackOptions(b7, 3, -1)));
  flatbuffers::FlatBufferBuilder b8;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kUnpack, UnpackOptions{4, 2}),
            WrittenByFlatc(b8, tfl::CreateUnpackOptions(b8, 4, 2)));
  flatbuffers::FlatBufferBuilder b9;
  EXPECT_EQ(WrittenByRow(BuiltinOp::kSplitV, SplitVOptions{5}),
            WrittenByFlatc(b9, tfl::CreateSplitVOptions(b9, 5)));
}

TEST(OpTable, NonDefaultOptionsSurviveWriteAndRead) {
  ModelBuilder b;
  const int t = b.AddTensor("t", DType::kFloat32, {1});
  const int o1 = b.AddTensor("o1", DType::kFloat32, {1});
  const int o2 = b.AddTensor("o2", DType::kFloat32, {1});
  const int o3 = b.AddTensor("o3", DType::kFloat32, {1});
  DepthwiseConv2DOptions dw;
  dw.padding = Padding::kValid;
  dw.depth_multiplier = 3;
  dw.dilation_h = 2;
  dw.activation = Activation::kTanh;
  SqueezeOptions squeeze;
  squeeze.squeeze_dims = {0, 2};
  ReshapeOptions reshape;  // no new_shape: stays absent
  b.AddOperator(BuiltinOp::kDepthwiseConv2D, {t}, {o1}, dw);
  b.AddOperator(BuiltinOp::kSqueeze, {t}, {o2}, squeeze);
  b.AddOperator(BuiltinOp::kReshape, {t}, {o3}, reshape);
  b.SetInputs({t});
  b.SetOutputs({o1, o2, o3});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(b.Build(), WriterOptions{}, &bytes).ok());
  Model back;
  ASSERT_TRUE(ReadModelFromBytes(bytes.data(), bytes.size(), &back).ok());
  const auto& dw_back = std::any_cast<const DepthwiseConv2DOptions&>(back.operators[0].options);
  EXPECT_EQ(dw_back.padding, Padding::kValid);
  EXPECT_EQ(dw_back.depth_multiplier, 3);
  EXPECT_EQ(dw_back.dilation_h, 2);
  EXPECT_EQ(dw_back.dilation_w, 1);
  EXPECT_EQ(dw_back.activation, Activation::kTanh);
  EXPECT_EQ(FusedActivation(back.operators[0]), Activation::kTanh);
  EXPECT_EQ(std::any_cast<const SqueezeOptions&>(back.operators[1].options).squeeze_dims,
            (std::vector<int32_t>{0, 2}));
  EXPECT_FALSE(std::any_cast<const ReshapeOptions&>(back.operators[2].options).has_new_shape);
  EXPECT_EQ(DescribeOptions(back.operators[1]), "squeeze_dims=[0,2]");
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
  const Status s = FindOpRow(BuiltinOp::kConv2D)->options->Read(*op, &options);
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
