// VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE and CALL_ONCE
// (core/kernels/resource_variables.cc): state carried from one Invoke to the
// next, the init subgraph run once, ResetVariables, variables shared with the
// subgraphs WHILE runs, and the errors a hostile model must get. Expected
// values are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "core/model_builder.h"

namespace qlite {
namespace {

VarHandleOptions Named(const std::string& name) { return VarHandleOptions{"", name}; }

// Appends (current subgraph) VAR_HANDLE `name` -> its resource tensor.
int AddHandle(ModelBuilder* b, const std::string& name) {
  const int h = b->AddTensor(name + "_handle", DType::kResource, {});
  b->AddOperator(BuiltinOp::kVarHandle, {}, {h}, Named(name));
  return h;
}

// Appends a subgraph that assigns each named variable its float scalar.
// (Counters are float32, exact for small integers: qlite's ADD has no int32
// kernel.)
int AddInitSubgraph(ModelBuilder* b, const std::vector<std::pair<std::string, float>>& values) {
  const int index = b->AddSubgraph("init");
  for (const auto& [name, value] : values) {
    const int h = AddHandle(b, name);
    const int c = b->AddConstant(name + "_init", DType::kFloat32, {}, std::vector<float>{value});
    b->AddOperator(BuiltinOp::kAssignVariable, {h, c}, {});
  }
  b->SetInputs({});
  b->SetOutputs({});
  b->SetCurrentSubgraph(0);
  return index;
}

// In the current subgraph: name = name + step (float scalars); returns the new value.
int AddIncrement(ModelBuilder* b, const std::string& name, int step_tensor) {
  const int h = AddHandle(b, name);
  const int v = b->AddTensor(name + "_value", DType::kFloat32, {});
  b->AddOperator(BuiltinOp::kReadVariable, {h}, {v});
  const int next = b->AddTensor(name + "_next", DType::kFloat32, {});
  b->AddOperator(BuiltinOp::kAdd, {v, step_tensor}, {next});
  b->AddOperator(BuiltinOp::kAssignVariable, {h, next}, {});
  return next;
}

// CALL_ONCE(init: counter = start); counter += x; output counter.
Model Counter(float start) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kCallOnce, {}, {}, CallOnceOptions{1});
  const int out = AddIncrement(&b, "counter", x);
  b.SetInputs({x});
  b.SetOutputs({out});
  AddInitSubgraph(&b, {{"counter", start}});
  return b.Build();
}

std::unique_ptr<Interpreter> Create(const Model& model) {
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(model, {}, &interpreter);
  EXPECT_TRUE(s.ok()) << s.message();
  return interpreter;
}

// Sets input 0 to `x` (float scalar), invokes, returns output `o`.
float Step(Interpreter* interpreter, float x, int o = 0) {
  EXPECT_TRUE(interpreter->SetInput(0, &x, sizeof(x)).ok());
  const Status s = interpreter->Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return -999;
  return interpreter->output(o)->data_as<float>()[0];
}

std::string InvokeError(const Model& model) {
  std::unique_ptr<Interpreter> interpreter;
  Status s = Interpreter::Create(model, {}, &interpreter);
  if (s.ok()) s = interpreter->Invoke();
  EXPECT_FALSE(s.ok());
  return s.message();
}

#define EXPECT_HAS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "missing '" << (part) << "' in: " << (text)

TEST(ResourceVariablesTest, CounterCarriesItsValueFromOneInvokeToTheNext) {
  auto interpreter = Create(Counter(0));
  ASSERT_NE(interpreter, nullptr);
  EXPECT_EQ(Step(interpreter.get(), 1), 1);  // 0 + 1
  EXPECT_EQ(Step(interpreter.get(), 1), 2);  // 1 + 1
  EXPECT_EQ(Step(interpreter.get(), 5), 7);  // 2 + 5
  EXPECT_EQ(Step(interpreter.get(), -10), -3);
  EXPECT_TRUE(interpreter->output(0)->is_dynamic());
  EXPECT_EQ(interpreter->output(0)->shape, Shape{});
}

TEST(ResourceVariablesTest, CallOnceRunsTheInitSubgraphOnTheFirstInvokeOnly) {
  // If init ran at every Invoke, every step would give 100 + x.
  auto interpreter = Create(Counter(100));
  ASSERT_NE(interpreter, nullptr);
  EXPECT_EQ(Step(interpreter.get(), 1), 101);
  EXPECT_EQ(Step(interpreter.get(), 1), 102);
  EXPECT_EQ(Step(interpreter.get(), 3), 105);
}

TEST(ResourceVariablesTest, ResetVariablesUnassignsThemAndRunsTheInitAgain) {
  auto interpreter = Create(Counter(100));
  ASSERT_NE(interpreter, nullptr);
  EXPECT_EQ(Step(interpreter.get(), 4), 104);
  EXPECT_EQ(Step(interpreter.get(), 4), 108);
  ASSERT_TRUE(interpreter->ResetVariables().ok());
  EXPECT_EQ(Step(interpreter.get(), 4), 104);
  EXPECT_EQ(Step(interpreter.get(), 1), 105);
}

TEST(ResourceVariablesTest, ResetVariablesBeforeAnyInvokeIsHarmless) {
  auto interpreter = Create(Counter(7));
  ASSERT_NE(interpreter, nullptr);
  ASSERT_TRUE(interpreter->ResetVariables().ok());
  EXPECT_EQ(Step(interpreter.get(), 0), 7);
}

TEST(ResourceVariablesTest, TwoSharedNamesAreTwoVariables) {
  // a += x, b += 10 * x, from a = 0, b = 1000.
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kCallOnce, {}, {}, CallOnceOptions{1});
  const int a = AddIncrement(&b, "a", x);
  const int ten = b.AddConstant("ten", DType::kFloat32, {}, std::vector<float>{10});
  const int x10 = b.AddTensor("x10", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kMul, {x, ten}, {x10});
  const int bb = AddIncrement(&b, "b", x10);
  b.SetInputs({x});
  b.SetOutputs({a, bb});
  AddInitSubgraph(&b, {{"a", 0}, {"b", 1000}});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  EXPECT_EQ(Step(interpreter.get(), 2, 0), 2);
  EXPECT_EQ(interpreter->output(1)->data_as<float>()[0], 1020);
  EXPECT_EQ(Step(interpreter.get(), 3, 0), 5);
  EXPECT_EQ(interpreter->output(1)->data_as<float>()[0], 1050);
}

TEST(ResourceVariablesTest, ContainerAndSharedNameTogetherNameAVariable) {
  // ("x", "v") and ("y", "v") are two variables: reading ("y", "v") after
  // assigning ("x", "v") finds it unassigned.
  ModelBuilder b;
  const int hx = b.AddTensor("hx", DType::kResource, {});
  const int hy = b.AddTensor("hy", DType::kResource, {});
  b.AddOperator(BuiltinOp::kVarHandle, {}, {hx}, VarHandleOptions{"x", "v"});
  b.AddOperator(BuiltinOp::kVarHandle, {}, {hy}, VarHandleOptions{"y", "v"});
  const int c = b.AddConstant("c", DType::kFloat32, {2}, std::vector<float>{1, 2});
  b.AddOperator(BuiltinOp::kAssignVariable, {hx, c}, {});
  const int out = b.AddTensor("out", DType::kFloat32, {2});
  b.AddOperator(BuiltinOp::kReadVariable, {hy}, {out});
  b.SetInputs({});
  b.SetOutputs({out});
  const std::string message = InvokeError(b.Build());
  EXPECT_HAS(message, "node 3 (READ_VARIABLE)");
  EXPECT_HAS(message, "resource variable 'y/v' is read before any ASSIGN_VARIABLE");
}

TEST(ResourceVariablesTest, ReadGivesTheAssignedShapeAndValues) {
  // A [2, 3] float variable assigned from a constant and read back.
  ModelBuilder b;
  const int h = AddHandle(&b, "v");
  const std::vector<float> values = {1.5f, -2, 0, 4, -0.25f, 6};
  const int c = b.AddConstant("c", DType::kFloat32, {2, 3}, values);
  b.AddOperator(BuiltinOp::kAssignVariable, {h, c}, {});
  const int out = b.AddTensor("out", DType::kFloat32, {2, 3});
  b.AddOperator(BuiltinOp::kReadVariable, {h}, {out});
  b.SetInputs({});
  b.SetOutputs({out});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  ASSERT_TRUE(interpreter->Invoke().ok());
  const Tensor* y = interpreter->output(0);
  EXPECT_EQ(y->shape, (Shape{2, 3}));
  EXPECT_EQ(std::vector<float>(y->data_as<float>(), y->data_as<float>() + 6), values);
}

TEST(ResourceVariablesTest, VariablesAreSharedWithTheSubgraphsWhileRuns) {
  // sum starts at 0 (CALL_ONCE); while (i < 3) { sum += i; i += 1 }; output sum.
  // From i = 0 the body adds 0 + 1 + 2 = 3 per Invoke; from i = 1, 1 + 2 = 3.
  ModelBuilder b;
  const int i0 = b.AddTensor("i0", DType::kFloat32, {});
  const int i = b.AddTensor("i", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kCallOnce, {}, {}, CallOnceOptions{3});
  b.AddOperator(BuiltinOp::kWhile, {i0}, {i}, WhileOptions{1, 2});
  const int h = AddHandle(&b, "sum");
  const int sum = b.AddTensor("sum", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kReadVariable, {h}, {sum});
  b.SetInputs({i0});
  b.SetOutputs({sum, i});
  b.AddSubgraph("cond");
  {
    const int ci = b.AddTensor("i", DType::kFloat32, {});
    const int three = b.AddConstant("three", DType::kFloat32, {}, std::vector<float>{3});
    const int more = b.AddTensor("more", DType::kBool, {});
    b.AddOperator(BuiltinOp::kLess, {ci, three}, {more});
    b.SetInputs({ci});
    b.SetOutputs({more});
  }
  b.AddSubgraph("body");
  {
    const int bi = b.AddTensor("i", DType::kFloat32, {});
    AddIncrement(&b, "sum", bi);
    const int one = b.AddConstant("one", DType::kFloat32, {}, std::vector<float>{1});
    const int next = b.AddTensor("next_i", DType::kFloat32, {});
    b.AddOperator(BuiltinOp::kAdd, {bi, one}, {next});
    b.SetInputs({bi});
    b.SetOutputs({next});
  }
  AddInitSubgraph(&b, {{"sum", 0}});
  auto interpreter = Create(b.Build());
  ASSERT_NE(interpreter, nullptr);
  EXPECT_EQ(Step(interpreter.get(), 0), 3);
  EXPECT_EQ(interpreter->output(1)->data_as<float>()[0], 3);
  EXPECT_EQ(Step(interpreter.get(), 1), 6);   // 3 + 1 + 2
  EXPECT_EQ(Step(interpreter.get(), 5), 6);   // the body never runs
  EXPECT_EQ(Step(interpreter.get(), -1), 8);  // 6 + (-1 + 0 + 1 + 2)
  ASSERT_TRUE(interpreter->ResetVariables().ok());
  EXPECT_EQ(Step(interpreter.get(), 2), 2);
}

// ---- errors ----

TEST(ResourceVariablesTest, ReadOfANeverAssignedVariableIsAnError) {
  ModelBuilder b;
  const int h = AddHandle(&b, "v");
  const int out = b.AddTensor("out", DType::kFloat32, {2});
  b.AddOperator(BuiltinOp::kReadVariable, {h}, {out});
  b.SetInputs({});
  b.SetOutputs({out});
  const std::string message = InvokeError(b.Build());
  EXPECT_HAS(message,
             "node 1 (READ_VARIABLE): resource variable 'v' is read before any "
             "ASSIGN_VARIABLE gave it a value");
}

// VAR_HANDLE v; ASSIGN(v, first); ASSIGN(v, second).
Model AssignTwice(DType type2, std::vector<int32_t> shape2) {
  ModelBuilder b;
  const int h = AddHandle(&b, "v");
  const int first = b.AddConstant("first", DType::kFloat32, {2}, std::vector<float>{1, 2});
  b.AddOperator(BuiltinOp::kAssignVariable, {h, first}, {});
  const size_t n = shape2.empty() ? 1 : static_cast<size_t>(shape2[0]);
  const int second = b.AddConstantBytes("second", type2, shape2, std::vector<uint8_t>(n * 4, 0));
  b.AddOperator(BuiltinOp::kAssignVariable, {h, second}, {});
  b.SetInputs({});
  b.SetOutputs({h});
  return b.Build();
}

TEST(ResourceVariablesTest, AssignOfAnotherShapeOrDtypeIsAnError) {
  std::string message = InvokeError(AssignTwice(DType::kFloat32, {3}));
  EXPECT_HAS(message,
             "node 2 (ASSIGN_VARIABLE): value 'second' is float32 [3] but resource "
             "variable 'v' was first assigned float32 [2]");
  message = InvokeError(AssignTwice(DType::kInt32, {2}));
  EXPECT_HAS(message,
             "value 'second' is int32 [2] but resource variable 'v' was first "
             "assigned float32 [2]");
  // The same dtype and shape again is fine.
  auto interpreter = Create(AssignTwice(DType::kFloat32, {2}));
  ASSERT_NE(interpreter, nullptr);
  EXPECT_TRUE(interpreter->Invoke().ok());
  EXPECT_EQ(interpreter->output(0)->data_as<int32_t>()[0], 0);  // the first id
}

TEST(ResourceVariablesTest, ReadIntoAnotherDtypeIsAnError) {
  ModelBuilder b;
  const int h = AddHandle(&b, "v");
  const int c = b.AddConstant("c", DType::kFloat32, {}, std::vector<float>{1});
  b.AddOperator(BuiltinOp::kAssignVariable, {h, c}, {});
  const int out = b.AddTensor("out", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kReadVariable, {h}, {out});
  b.SetInputs({});
  b.SetOutputs({out});
  EXPECT_HAS(InvokeError(b.Build()),
             "output 'out' is int32 but resource variable 'v' holds float32");
}

// READ_VARIABLE of a resource id given as an int32 model input.
std::string ReadOfId(int32_t id) {
  ModelBuilder b;
  AddHandle(&b, "v");
  const int ids = b.AddTensor("id", DType::kInt32, {1});
  const int out = b.AddTensor("out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kReadVariable, {ids}, {out});
  b.SetInputs({ids});
  b.SetOutputs({out});
  std::unique_ptr<Interpreter> interpreter;
  Status s = Interpreter::Create(b.Build(), {}, &interpreter);
  if (s.ok()) s = interpreter->SetInput(0, &id, sizeof(id));
  if (s.ok()) s = interpreter->Invoke();
  EXPECT_FALSE(s.ok());
  return s.message();
}

TEST(ResourceVariablesTest, HostileResourceIdsAreErrors) {
  EXPECT_HAS(ReadOfId(1),
             "resource 'id' holds id 1, which no VAR_HANDLE gave (the model has 1 "
             "resource variables)");
  EXPECT_HAS(ReadOfId(-1), "holds id -1, which no VAR_HANDLE gave");
  EXPECT_HAS(ReadOfId(2147483647), "holds id 2147483647");
  // Id 0 exists (VAR_HANDLE v), but was never assigned.
  EXPECT_HAS(ReadOfId(0), "resource variable 'v' is read before any ASSIGN_VARIABLE");
}

TEST(ResourceVariablesTest, BadResourceTensorsAreRefusedAtPrepare) {
  {  // A float resource input.
    ModelBuilder b;
    const int f = b.AddTensor("f", DType::kFloat32, {});
    const int out = b.AddTensor("out", DType::kFloat32, {});
    b.AddOperator(BuiltinOp::kReadVariable, {f}, {out});
    b.SetInputs({f});
    b.SetOutputs({out});
    EXPECT_HAS(InvokeError(b.Build()),
               "resource tensor 'f' has dtype float32, expected resource or int32");
  }
  {  // Two ids in one resource tensor.
    ModelBuilder b;
    const int ids = b.AddTensor("ids", DType::kInt32, {2});
    const int c = b.AddConstant("c", DType::kFloat32, {}, std::vector<float>{1});
    b.AddOperator(BuiltinOp::kAssignVariable, {ids, c}, {});
    b.SetInputs({ids});
    b.SetOutputs({ids});
    EXPECT_HAS(InvokeError(b.Build()), "resource 'ids' must hold one id, has shape [2]");
  }
  {  // A VAR_HANDLE whose output holds two values.
    ModelBuilder b;
    const int h = b.AddTensor("h", DType::kResource, {2});
    b.AddOperator(BuiltinOp::kVarHandle, {}, {h}, Named("v"));
    b.SetInputs({});
    b.SetOutputs({h});
    EXPECT_HAS(InvokeError(b.Build()), "output 'h' must hold one id, has shape [2]");
  }
  {  // ASSIGN_VARIABLE without its value.
    ModelBuilder b;
    const int h = AddHandle(&b, "v");
    b.AddOperator(BuiltinOp::kAssignVariable, {h}, {});
    b.SetInputs({});
    b.SetOutputs({h});
    EXPECT_HAS(InvokeError(b.Build()), "ASSIGN_VARIABLE takes a resource and a value");
  }
}

TEST(ResourceVariablesTest, CallOnceWithABadSubgraphIsRefusedAtPrepare) {
  auto call_once = [](int32_t index, bool init_with_input) {
    ModelBuilder b;
    const int x = b.AddTensor("x", DType::kFloat32, {});
    b.AddOperator(BuiltinOp::kCallOnce, {}, {}, CallOnceOptions{index});
    b.SetInputs({x});
    b.SetOutputs({x});
    b.AddSubgraph("init");
    const int y = b.AddTensor("y", DType::kInt32, {});
    b.SetInputs(init_with_input ? std::vector<int32_t>{y} : std::vector<int32_t>{});
    b.SetOutputs(init_with_input ? std::vector<int32_t>{y} : std::vector<int32_t>{});
    return b.Build();
  };
  EXPECT_HAS(InvokeError(call_once(5, false)), "subgraph index 5 is out of range");
  EXPECT_HAS(InvokeError(call_once(-1, false)), "subgraph index -1 is out of range");
  EXPECT_HAS(InvokeError(call_once(0, false)), "subgraph 0 runs itself");
  EXPECT_HAS(InvokeError(call_once(1, true)), "has 1 inputs, the node gives it 0");
}

TEST(ResourceVariablesTest, OptionsSurviveAWriteAndReadBack) {
  ModelBuilder b;
  const int h = b.AddTensor("h", DType::kResource, {});
  b.AddOperator(BuiltinOp::kVarHandle, {}, {h}, VarHandleOptions{"box", "weights"});
  b.AddOperator(BuiltinOp::kCallOnce, {}, {}, CallOnceOptions{1});
  b.SetInputs({});
  b.SetOutputs({h});
  AddInitSubgraph(&b, {{"weights", 3}});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(b.Build(), {}, &bytes).ok());
  Model reread;
  const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &reread);
  ASSERT_TRUE(s.ok()) << s.message();
  const auto* handle = std::any_cast<VarHandleOptions>(&reread.operators[0].options);
  ASSERT_NE(handle, nullptr);
  EXPECT_EQ(handle->container, "box");
  EXPECT_EQ(handle->shared_name, "weights");
  const auto* once = std::any_cast<CallOnceOptions>(&reread.operators[1].options);
  ASSERT_NE(once, nullptr);
  EXPECT_EQ(once->init_subgraph_index, 1);
}

}  // namespace
}  // namespace qlite
