// Resource variables: CALL_ONCE runs an init subgraph that assigns a
// variable (VAR_HANDLE, ASSIGN_VARIABLE), then every run adds its input to
// it (READ_VARIABLE, ADD, ASSIGN_VARIABLE) and outputs the sum (float32),
// or keeps the running MAXIMUM (int32: qlite's ADD has no int32 kernel); and
// a WHILE whose body adds the input to the variable three times (float32).
// The ops-litert page runs each model on three seeds in a row, so LiteRT.js
// and qlite carry the variable over three runs;
// web/test/stateful-tfjs.test.mjs (`qlite_op_models --stateful`) runs the
// float32 ones ten steps in tfjs-tflite and again after resetVariables().
#include <cstdint>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

const std::vector<int32_t> kShape = {1, 4};

int AddHandle(ModelBuilder* b) {
  const int h = b->AddTensor("acc_handle", DType::kResource, {});
  b->AddOperator(BuiltinOp::kVarHandle, {}, {h}, VarHandleOptions{"", "acc"});
  return h;
}

// The init subgraph (appended last): acc = its initial values.
void AddInit(ModelBuilder* b, DType type) {
  b->AddSubgraph("init");
  const int h = AddHandle(b);
  const int c = type == DType::kInt32
                    ? b->AddConstant("initial", type, kShape, std::vector<int32_t>{5, -7, 100, 0})
                    : b->AddConstant("initial", type, kShape, std::vector<float>{0.5f, -1, 2, 3});
  b->AddOperator(BuiltinOp::kAssignVariable, {h, c}, {});
  b->SetInputs({});
  b->SetOutputs({});
}

// In the current subgraph: acc = op(acc, x); returns the new value.
int AddAccumulate(ModelBuilder* b, DType type, int x, BuiltinOp op = BuiltinOp::kAdd) {
  const int h = AddHandle(b);
  const int value = b->AddTensor("acc", type, kShape);
  b->AddOperator(BuiltinOp::kReadVariable, {h}, {value});
  const int sum = b->AddTensor("sum", type, kShape);
  b->AddOperator(op, {value, x}, {sum});
  b->AddOperator(BuiltinOp::kAssignVariable, {h, sum}, {});
  return sum;
}

Model Accumulate(DType type, BuiltinOp op) {
  ModelBuilder b;
  const int x = b.AddTensor("x", type, kShape);
  b.AddOperator(BuiltinOp::kCallOnce, {}, {}, CallOnceOptions{1});
  const int sum = AddAccumulate(&b, type, x, op);
  b.SetInputs({x});
  b.SetOutputs({sum});
  AddInit(&b, type);
  return b.Build();
}

// Loop values (x, i), i from a constant 0: while (i < 3) { acc += x; i += 1 };
// then the output reads acc.
Model AccumulateInWhile() {
  const DType type = DType::kFloat32;
  ModelBuilder b;
  const int x = b.AddTensor("x", type, kShape);
  const int i0 = b.AddConstant("i0", DType::kFloat32, {}, std::vector<float>{0});
  const int x_out = b.AddTensor("x_out", type, kShape);
  const int i_out = b.AddTensor("i_out", DType::kFloat32, {});
  b.AddOperator(BuiltinOp::kCallOnce, {}, {}, CallOnceOptions{3});
  b.AddOperator(BuiltinOp::kWhile, {x, i0}, {x_out, i_out}, WhileOptions{1, 2});
  const int h = AddHandle(&b);
  const int acc = b.AddTensor("acc", type, kShape);
  b.AddOperator(BuiltinOp::kReadVariable, {h}, {acc});
  b.SetInputs({x});
  b.SetOutputs({acc});

  b.AddSubgraph("cond");
  {
    const int bx = b.AddTensor("x", type, kShape);
    const int i = b.AddTensor("i", DType::kFloat32, {});
    const int three = b.AddConstant("three", DType::kFloat32, {}, std::vector<float>{3});
    const int more = b.AddTensor("more", DType::kBool, {});
    b.AddOperator(BuiltinOp::kLess, {i, three}, {more});
    b.SetInputs({bx, i});
    b.SetOutputs({more});
  }
  b.AddSubgraph("body");
  {
    const int bx = b.AddTensor("x", type, kShape);
    const int i = b.AddTensor("i", DType::kFloat32, {});
    AddAccumulate(&b, type, bx);
    const int one = b.AddConstant("one", DType::kFloat32, {}, std::vector<float>{1});
    const int next = b.AddTensor("next_i", DType::kFloat32, {});
    b.AddOperator(BuiltinOp::kAdd, {i, one}, {next});
    b.SetInputs({bx, i});
    b.SetOutputs({bx, next});
  }
  AddInit(&b, type);
  return b.Build();
}

}  // namespace

void AddResourceVariableModels(OpModels* models, bool stateful) {
  models->push_back(
      {"resource_accumulate_float32", [] { return Accumulate(DType::kFloat32, BuiltinOp::kAdd); }});
  models->push_back({"resource_accumulate_in_while_float32", [] { return AccumulateInWhile(); }});
  // The tfjs-tflite page feeds float32 and int8 inputs only.
  if (!stateful) {
    models->push_back({"resource_running_max_int32",
                       [] { return Accumulate(DType::kInt32, BuiltinOp::kMaximum); }});
  }
}

}  // namespace qlite
