// CALL, IF and WHILE (core/kernels/control_flow.cc) over the model's
// subgraphs (core/subgraph.h): hand-checked loops and branches, nested calls,
// the iteration limit, recursion, and the errors a hostile model must get.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/model_builder.h"
#include "core/model_check.h"
#include "core/op_table.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

// Subgraph (current in `b`): out = x + c, x of `shape`, c a constant scalar.
void AddConstantSubgraph(ModelBuilder* b, std::vector<int32_t> shape, float c, BuiltinOp op) {
  const int x = b->AddTensor("x", DType::kFloat32, shape);
  const int k = b->AddConstant("c", DType::kFloat32, {}, std::vector<float>{c});
  const int out = b->AddTensor("out", DType::kFloat32, shape);
  b->AddOperator(op, {x, k}, {out});
  b->SetInputs({x});
  b->SetOutputs({out});
}

// Loop values (i, sum), float scalars: while i < limit { i += 1; sum += i }.
Model CountingWhile(float limit) {
  ModelBuilder b;
  const int i0 = b.AddTensor("i0", DType::kFloat32, {});
  const int s0 = b.AddTensor("sum0", DType::kFloat32, {});
  const int i_out = b.AddTensor("i", DType::kFloat32, {});
  const int s_out = b.AddTensor("sum", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kWhile, {i0, s0}, {i_out, s_out}, WhileOptions{1, 2});
  b.SetInputs({i0, s0});
  b.SetOutputs({i_out, s_out});

  b.AddSubgraph("cond");
  {
    const int i = b.AddTensor("i", DType::kFloat32, {});
    const int s = b.AddTensor("sum", DType::kFloat32, {});
    const int n = b.AddConstant("n", DType::kFloat32, {}, std::vector<float>{limit});
    const int more = b.AddTensor("more", DType::kBool, {});
    b.AddOperator(BuiltinOp::kLess, {i, n}, {more});
    b.SetInputs({i, s});
    b.SetOutputs({more});
  }
  b.AddSubgraph("body");
  {
    const int i = b.AddTensor("i", DType::kFloat32, {});
    const int s = b.AddTensor("sum", DType::kFloat32, {});
    const int one = b.AddConstant("one", DType::kFloat32, {}, std::vector<float>{1});
    const int next = b.AddTensor("next_i", DType::kFloat32, {});
    const int sum = b.AddTensor("next_sum", DType::kFloat32, {});
    b.AddOperator(BuiltinOp::kAdd, {i, one}, {next});
    b.AddOperator(BuiltinOp::kAdd, {s, next}, {sum});
    b.SetInputs({i, s});
    b.SetOutputs({next, sum});
  }
  return b.Build();
}

RunResult RunWhile(const Model& model, float i0, float s0, int64_t max_iterations = 1000000) {
  InterpreterOptions options;
  options.max_while_iterations = max_iterations;
  RunResult r;
  std::unique_ptr<Interpreter> interpreter;
  r.status = Interpreter::Create(model, options, &interpreter);
  if (!r.status.ok()) return r;
  r.status = interpreter->SetInput(0, &i0, sizeof(float));
  if (r.status.ok()) r.status = interpreter->SetInput(1, &s0, sizeof(float));
  if (r.status.ok()) r.status = interpreter->Invoke();
  if (!r.status.ok()) return r;
  for (int o = 0; o < interpreter->num_outputs(); ++o) {
    const Tensor* out = interpreter->output(o);
    r.outputs.emplace_back(out->data, out->data + out->bytes);
  }
  return r;
}

TEST(ControlFlowTest, WhileCountsToNAndSums) {
  const RunResult r = RunWhile(CountingWhile(5), 0, 0);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), std::vector<float>{5});
  EXPECT_EQ(FromBytes<float>(r.outputs[1]), std::vector<float>{15});  // 1+2+3+4+5
}

TEST(ControlFlowTest, WhileWhoseConditionIsFalseAtOnceRunsNoBody) {
  const RunResult r = RunWhile(CountingWhile(5), 7, 100);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), std::vector<float>{7});
  EXPECT_EQ(FromBytes<float>(r.outputs[1]), std::vector<float>{100});
}

TEST(ControlFlowTest, WhileRunsAgainFromFreshInputsOnEveryInvoke) {
  std::unique_ptr<Interpreter> interpreter;
  ASSERT_TRUE(Interpreter::Create(CountingWhile(3), {}, &interpreter).ok());
  for (float start : {0.0f, 1.0f}) {
    const float zero = 0;
    ASSERT_TRUE(interpreter->SetInput(0, &start, sizeof(float)).ok());
    ASSERT_TRUE(interpreter->SetInput(1, &zero, sizeof(float)).ok());
    ASSERT_TRUE(interpreter->Invoke().ok());
    // From 0: 1+2+3 = 6; from 1: 2+3 = 5.
    EXPECT_EQ(interpreter->output(1)->data_as<float>()[0], start == 0 ? 6.0f : 5.0f);
  }
}

TEST(ControlFlowTest, WhileThatNeverEndsStopsAtTheIterationLimit) {
  // i < +inf holds for every i the body makes.
  const RunResult r = RunWhile(CountingWhile(std::numeric_limits<float>::infinity()), 0, 0, 1000);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("node 0 (WHILE)"), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find("max_while_iterations (1000)"), std::string::npos);
  EXPECT_NE(r.status.message().find("subgraph 1 'cond'"), std::string::npos);
  // Exactly the limit is allowed.
  const RunResult at_limit = RunWhile(CountingWhile(1000), 0, 0, 1000);
  ASSERT_TRUE(at_limit.status.ok()) << at_limit.status.message();
  EXPECT_EQ(FromBytes<float>(at_limit.outputs[0]), std::vector<float>{1000});
  EXPECT_EQ(FromBytes<float>(at_limit.outputs[1]), std::vector<float>{500500});
}

// IF: then adds b, else multiplies by b (a, b float [2]).
Model IfAddOrMul() {
  ModelBuilder b;
  const int cond = b.AddTensor("cond", DType::kBool, {1});
  const int x = b.AddTensor("a", DType::kFloat32, {2});
  const int y = b.AddTensor("b", DType::kFloat32, {2});
  const int out = b.AddTensor("out", DType::kFloat32, {2});
  b.AddOperator(BuiltinOp::kIf, {cond, x, y}, {out}, IfOptions{1, 2});
  b.SetInputs({cond, x, y});
  b.SetOutputs({out});
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kMul}) {
    b.AddSubgraph(op == BuiltinOp::kAdd ? "then" : "else");
    const int p = b.AddTensor("p", DType::kFloat32, {2});
    const int q = b.AddTensor("q", DType::kFloat32, {2});
    const int r = b.AddTensor("r", DType::kFloat32, {2});
    b.AddOperator(op, {p, q}, {r});
    b.SetInputs({p, q});
    b.SetOutputs({r});
  }
  return b.Build();
}

TEST(ControlFlowTest, IfRunsTheBranchTheConditionPicks) {
  const Model model = IfAddOrMul();
  const auto a = ToBytes(std::vector<float>{2, 3}), b = ToBytes(std::vector<float>{4, 5});
  RunResult r = RunModel(model, {{1}, a, b});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{6, 8}));
  r = RunModel(model, {{0}, a, b});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{8, 15}));
}

TEST(ControlFlowTest, IfRefusesAConditionThatIsNotOneBool) {
  Model model = IfAddOrMul();
  model.tensors[0].shape = {2};
  RunResult r = RunModel(
      model, {{1, 1}, ToBytes(std::vector<float>{2, 3}), ToBytes(std::vector<float>{4, 5})});
  EXPECT_NE(r.status.message().find("must hold one value"), std::string::npos)
      << r.status.message();
  model = IfAddOrMul();
  model.tensors[0].type = DType::kInt32;
  r = RunModel(model, {ToBytes(std::vector<int32_t>{1}), ToBytes(std::vector<float>{2, 3}),
                       ToBytes(std::vector<float>{4, 5})});
  EXPECT_NE(r.status.message().find("condition"), std::string::npos) << r.status.message();
}

TEST(ControlFlowTest, IfRefusesBranchesWithDifferentOutputShapes) {
  Model model = IfAddOrMul();
  // The else branch now gives its input p ([2]) broadcast against a [3, 2] constant.
  Subgraph& other = model.subgraphs[1];
  TensorDef wide = other.tensors[1];
  wide.name = "wide";
  wide.shape = {3, 2};
  other.tensors.push_back(wide);
  model.buffers.push_back(Buffer::Owned(ToBytes(std::vector<float>(6, 1))));
  other.tensors.back().buffer = static_cast<uint32_t>(model.buffers.size() - 1);
  other.tensors[2].shape = {3, 2};
  other.operators[0].inputs = {0, 3};
  const RunResult r =
      RunModel(model, {{1}, ToBytes(std::vector<float>{2, 3}), ToBytes(std::vector<float>{4, 5})});
  EXPECT_NE(r.status.message().find("depends on the condition"), std::string::npos)
      << r.status.message();
}

// Main CALLs subgraph 1 ("times_two_of_plus_one"), which CALLs subgraph 2 (x + 1).
Model NestedCall(std::vector<int32_t> sub_shape) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {3});
  const int y = b.AddTensor("y", DType::kFloat32, {3});
  b.AddOperator(BuiltinOp::kCall, {x}, {y}, CallOptions{1});
  b.SetInputs({x});
  b.SetOutputs({y});
  b.AddSubgraph("times_two_of_plus_one");
  {
    const int in = b.AddTensor("in", DType::kFloat32, sub_shape);
    const int plus = b.AddTensor("plus_one", DType::kFloat32, sub_shape);
    const int two = b.AddConstant("two", DType::kFloat32, {}, std::vector<float>{2});
    const int out = b.AddTensor("out", DType::kFloat32, sub_shape);
    b.AddOperator(BuiltinOp::kCall, {in}, {plus}, CallOptions{2});
    b.AddOperator(BuiltinOp::kMul, {plus, two}, {out});
    b.SetInputs({in});
    b.SetOutputs({out});
  }
  b.AddSubgraph("plus_one");
  AddConstantSubgraph(&b, sub_shape, 1, BuiltinOp::kAdd);
  return b.Build();
}

TEST(ControlFlowTest, NestedCallsRunInOrder) {
  const RunResult r = RunModel(NestedCall({3}), {ToBytes(std::vector<float>{1, 2, -0.5f})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{4, 6, 1}));
}

TEST(ControlFlowTest, SubgraphInputsTakeTheShapesTheNodeGives) {
  // As TFLite resizes a subgraph's inputs: declared [1], given [3].
  const RunResult r = RunModel(NestedCall({1}), {ToBytes(std::vector<float>{1, 2, 3})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{4, 6, 8}));
}

TEST(ControlFlowTest, RecursionIsRefusedAtPrepare) {
  Model direct = NestedCall({3});
  direct.subgraphs[0].operators[0].options = CallOptions{1};  // 1 calls itself
  std::unique_ptr<Interpreter> interpreter;
  Status s = Interpreter::Create(direct, {}, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("subgraph 1 runs itself (subgraphs 0 -> 1 -> 1)"), std::string::npos)
      << s.message();

  Model indirect = NestedCall({3});
  indirect.subgraphs[1].operators[0].op = BuiltinOp::kCall;  // 2 calls 1
  indirect.subgraphs[1].operators[0].inputs = {0};
  indirect.subgraphs[1].operators[0].options = CallOptions{1};
  s = Interpreter::Create(indirect, {}, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("0 -> 1 -> 2 -> 1"), std::string::npos) << s.message();

  Model main = NestedCall({3});
  main.subgraphs[1].operators[0].op = BuiltinOp::kCall;  // 2 calls the main subgraph
  main.subgraphs[1].operators[0].inputs = {0};
  main.subgraphs[1].operators[0].options = CallOptions{0};
  s = Interpreter::Create(main, {}, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("subgraph 0 runs itself"), std::string::npos) << s.message();
}

// Main calls subgraph 1; subgraph k (1 <= k < levels) runs two nodes that
// each call k + 1 (`twice`) or one; the last level runs RELU instead.
Model ChainOfCalls(int levels, bool twice) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1});
  const int y = b.AddTensor("y", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kCall, {x}, {y}, CallOptions{1});
  b.SetInputs({x});
  b.SetOutputs({y});
  for (int k = 1; k <= levels; ++k) {
    b.AddSubgraph("level");
    int value = b.AddTensor("in", DType::kFloat32, {1});
    b.SetInputs({value});
    for (int node = 0; node < (twice ? 2 : 1); ++node) {
      const int out = b.AddTensor("out", DType::kFloat32, {1});
      if (k < levels) {
        b.AddOperator(BuiltinOp::kCall, {value}, {out}, CallOptions{k + 1});
      } else {
        b.AddOperator(BuiltinOp::kRelu, {value}, {out});
      }
      value = out;
    }
    b.SetOutputs({value});
  }
  return b.Build();
}

TEST(ControlFlowTest, DeepNestingIsRefused) {
  // 40 levels, no recursion: past kMaxSubgraphNesting.
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(ChainOfCalls(40, false), {}, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nest more than 32 deep"), std::string::npos) << s.message();
  // 30 levels run.
  const RunResult r = RunModel(ChainOfCalls(30, false), {ToBytes(std::vector<float>{-2})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), std::vector<float>{0});
}

TEST(ControlFlowTest, SubgraphsCallingTheNextTwiceHitTheInterpreterBudget) {
  // 20 levels of two calls each: 2^20 interpreters unless bounded.
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(ChainOfCalls(20, true), {}, &interpreter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("more than 4096 times over"), std::string::npos) << s.message();
}

TEST(ControlFlowTest, SubgraphIndexOutOfRangeIsRefusedAtLoad) {
  Model model = NestedCall({3});
  model.subgraphs[0].operators[0].options = CallOptions{7};
  const Status s = CheckModel(model);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("subgraph 1 'times_two_of_plus_one': node 0 (CALL): subgraph index 7 "
                             "is out of range (the model has 3 subgraphs)"),
            std::string::npos)
      << s.message();
  model = IfAddOrMul();
  model.operators[0].options = IfOptions{1, -1};
  EXPECT_NE(CheckModel(model).message().find("subgraph index -1 is out of range"),
            std::string::npos);
  // The reader runs the same check on every file; the writer refuses to write it.
  std::vector<uint8_t> bytes;
  EXPECT_FALSE(WriteModel(model, {}, &bytes).ok());
}

TEST(ControlFlowTest, EverySubgraphIsCheckedAtLoad) {
  Model model = IfAddOrMul();
  model.subgraphs[1].operators[0].inputs = {0, 9};
  const Status s = CheckModel(model);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("subgraph 2 'else': node 0 (MUL): input tensor index 9"),
            std::string::npos)
      << s.message();
  model = IfAddOrMul();
  model.subgraphs[0].tensors[0].buffer = 99;
  EXPECT_NE(CheckModel(model).message().find("subgraph 1 'then': tensor 0 'p' refers to buffer 99"),
            std::string::npos)
      << CheckModel(model).message();
}

TEST(ControlFlowTest, WhileRefusesABodyThatChangesAShape) {
  Model model = CountingWhile(5);
  // The body's second output becomes a [2] tensor (sum broadcast with a [2] constant).
  Subgraph& body = model.subgraphs[1];
  TensorDef pair = body.tensors[2];
  pair.name = "pair";
  pair.shape = {2};
  body.tensors.push_back(pair);
  model.buffers.push_back(Buffer::Owned(ToBytes(std::vector<float>{1, 1})));
  body.tensors.back().buffer = static_cast<uint32_t>(model.buffers.size() - 1);
  body.operators[1].inputs = {1, 5};
  body.tensors[4].shape = {2};
  const RunResult r = RunWhile(model, 0, 0);
  EXPECT_NE(r.status.message().find("shape changes at run time"), std::string::npos)
      << r.status.message();
}

TEST(ControlFlowTest, SubgraphsSurviveAWriteAndARead) {
  const Model model = CountingWhile(4);
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(model, {}, &bytes).ok());
  Model reread;
  const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &reread);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(reread.num_subgraphs(), 3);
  EXPECT_EQ(reread.subgraph_name, "main");
  EXPECT_EQ(reread.subgraphs[0].name, "cond");
  EXPECT_EQ(reread.subgraphs[1].name, "body");
  EXPECT_EQ(reread.subgraphs[1].tensors.size(), 5u);
  EXPECT_EQ(reread.subgraphs[1].operators.size(), 2u);
  EXPECT_EQ(reread.subgraphs[1].inputs, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(reread.subgraphs[1].outputs, (std::vector<int32_t>{3, 4}));
  const WhileOptions* o = std::any_cast<WhileOptions>(&reread.operators[0].options);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->cond_subgraph_index, 1);
  EXPECT_EQ(o->body_subgraph_index, 2);
  // The subgraphs' constants are read from the shared buffers.
  const Model cond = reread.SubgraphView(1);
  EXPECT_EQ(FromBytes<float>(
                std::vector<uint8_t>(cond.constant_data(2).data, cond.constant_data(2).data + 4)),
            std::vector<float>{4});
  const RunResult r = RunWhile(reread, 0, 0);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[1]), std::vector<float>{10});  // 1+2+3+4
  // Written again, the bytes do not change.
  std::vector<uint8_t> again;
  ASSERT_TRUE(WriteModel(reread, {}, &again).ok());
  EXPECT_EQ(again, bytes);
}

// STABLEHLO_COMPOSITE "odml.l2_norm" over x [2, 4]: its decomposition
// (subgraph 1) is x * rsqrt(sum(x * x, axis -1, keep_dims)).
Model L2NormComposite() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {2, 4});
  const int y = b.AddTensor("y", DType::kFloat32, {2, 4});
  StableHloCompositeOptions options;
  options.name = "odml.l2_norm";
  options.decomposition_subgraph_index = 1;
  options.composite_attributes = {0x00, 0x01, 0x00};  // stored as given, never read
  options.version = 1;
  b.AddOperator(BuiltinOp::kStablehloComposite, {x}, {y}, options);
  b.SetInputs({x});
  b.SetOutputs({y});
  b.AddSubgraph("odml.l2_norm.impl");
  const int in = b.AddTensor("in", DType::kFloat32, {2, 4});
  const int squares = b.AddTensor("squares", DType::kFloat32, {2, 4});
  const int axis = b.AddConstant("axis", DType::kInt32, {1}, std::vector<int32_t>{-1});
  const int sum = b.AddTensor("sum", DType::kFloat32, {2, 1});
  const int inverse = b.AddTensor("inverse_norm", DType::kFloat32, {2, 1});
  const int out = b.AddTensor("out", DType::kFloat32, {2, 4});
  b.AddOperator(BuiltinOp::kMul, {in, in}, {squares});
  b.AddOperator(BuiltinOp::kSum, {squares, axis}, {sum}, ReducerOptions{true});
  b.AddOperator(BuiltinOp::kRsqrt, {sum}, {inverse});
  b.AddOperator(BuiltinOp::kMul, {in, inverse}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

TEST(ControlFlowTest, CompositeRunsItsDecomposition) {
  // Rows [3, 4, 0, 0] (norm 5) and [1, 1, 1, 1] (norm 2).
  const RunResult r =
      RunModel(L2NormComposite(), {ToBytes(std::vector<float>{3, 4, 0, 0, 1, 1, 1, 1})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const std::vector<float> expected = {0.6f, 0.8f, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f};
  const std::vector<float> got = FromBytes<float>(r.outputs[0]);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-6f) << i;
}

TEST(ControlFlowTest, CompositeOptionsSurviveAWriteAndARead) {
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(L2NormComposite(), {}, &bytes).ok());
  Model reread;
  const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &reread);
  ASSERT_TRUE(s.ok()) << s.message();
  const auto* o = std::any_cast<StableHloCompositeOptions>(&reread.operators[0].options);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->name, "odml.l2_norm");
  EXPECT_EQ(o->decomposition_subgraph_index, 1);
  EXPECT_EQ(o->composite_attributes, (std::vector<uint8_t>{0x00, 0x01, 0x00}));
  EXPECT_EQ(o->version, 1);
  EXPECT_EQ(DescribeOptions(reread.operators[0]),
            "name='odml.l2_norm' decomposition_subgraph_index=1 composite_attributes=3 bytes "
            "composite_attributes_format=0 version=1");
  std::vector<uint8_t> again;
  ASSERT_TRUE(WriteModel(reread, {}, &again).ok());
  EXPECT_EQ(again, bytes);
  // A decomposition index out of range is refused at load.
  Model bad = L2NormComposite();
  std::any_cast<StableHloCompositeOptions>(&bad.operators[0].options)
      ->decomposition_subgraph_index = 2;
  EXPECT_NE(CheckModel(bad).message().find("node 0 (STABLEHLO_COMPOSITE): subgraph index 2 is out "
                                           "of range (the model has 2 subgraphs)"),
            std::string::npos)
      << CheckModel(bad).message();
}

}  // namespace
}  // namespace qlite
