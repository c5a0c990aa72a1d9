// Control flow over the model's subgraphs: WHILE (float32, int8), IF
// (float32, int8) and a WHILE whose body holds an IF. The page feeds seeded
// values, so loops run a varying number of times (the counter input i starts
// anywhere in [-10, 10) for float32, [-3, 3] for int8) and IF takes both
// branches over the seeds (see IfBranches). Output 0 carries the loop's or branch's values.
//
// Left out: CALL (main calling a subgraph that halves x), which LiteRT.js
// (@litertjs/core) refuses to load: "LiteRT.js: ERROR:
// [third_party/odml/litert/litert/js/packages/core/src/cpp/litert_web.cc:245]
// └ ERROR: [./third_party/odml/litert/litert/cc/internal/
// litert_compiled_model_next.h:70]" (TFLite registers no builtin kernel for
// CALL); and STABLEHLO_COMPOSITE (an "odml.group_norm" whose decomposition
// is RESHAPE, MEAN, SQUARED_DIFFERENCE, MEAN, ADD, RSQRT, SUB, MUL, RESHAPE),
// which LiteRT.js refuses with the same two lines. tests/kernels/
// control_flow_test.cc checks both by hand.
#include <cstdint>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

const std::vector<int32_t> kValues = {2, 3};

struct Types {
  DType type;
  Quantization values, counter;  // of x and of the counter i
  int version;                   // of ADD, MUL, SUB and LESS at this dtype
};

Types TypesFor(DType type) {
  if (type == DType::kInt8) return {type, PerTensor(0.1f, 2), PerTensor(0.5f, 0), 2};
  return {type, {}, {}, 1};
}

// A constant of `t`: float `v`, or its int8 value in quantization `q`.
int AddScalar(ModelBuilder* b, const char* name, const Types& t, const Quantization& q, float v) {
  if (t.type == DType::kInt8) {
    const auto stored = static_cast<int8_t>(v / q.scale[0] + static_cast<float>(q.zero_point[0]));
    return b->AddConstant(name, t.type, {}, std::vector<int8_t>{stored}, q);
  }
  return b->AddConstant(name, t.type, {}, std::vector<float>{v});
}

// Subgraph: (x, i) -> i < 3.
void AddCountCondition(ModelBuilder* b, const Types& t) {
  b->AddSubgraph("cond");
  const int x = b->AddTensor("x", t.type, kValues, t.values);
  const int i = b->AddTensor("i", t.type, {}, t.counter);
  const int three = AddScalar(b, "three", t, t.counter, 3);
  const int more = b->AddTensor("more", DType::kBool, {});
  b->AddOperator(BuiltinOp::kLess, {i, three}, {more}, {}, t.version);
  b->SetInputs({x, i});
  b->SetOutputs({more});
}

// Subgraph: x -> op(x, c) with a constant scalar c.
void AddScalarOpSubgraph(ModelBuilder* b, const char* name, const Types& t, BuiltinOp op, float c) {
  b->AddSubgraph(name);
  const int x = b->AddTensor("x", t.type, kValues, t.values);
  const int k = AddScalar(b, "c", t, t.values, c);
  const int out = b->AddTensor("out", t.type, kValues, t.values);
  b->AddOperator(op, {x, k}, {out}, {}, t.version);
  b->SetInputs({x});
  b->SetOutputs({out});
}

// while (i < 3) { x = x + x (float: x * 0.75 + 1); i = i + 1 } -> x.
Model CountingWhile(DType type) {
  const Types t = TypesFor(type);
  ModelBuilder b;
  const int x0 = b.AddTensor("x0", type, kValues, t.values);
  const int i0 = b.AddTensor("i0", type, {}, t.counter);
  const int x = b.AddTensor("x", type, kValues, t.values);
  const int i = b.AddTensor("i", type, {}, t.counter);
  b.AddOperator(BuiltinOp::kWhile, {x0, i0}, {x, i}, WhileOptions{1, 2});
  b.SetInputs({x0, i0});
  b.SetOutputs({x, i});
  AddCountCondition(&b, t);
  b.AddSubgraph("body");
  {
    const int bx = b.AddTensor("x", type, kValues, t.values);
    const int bi = b.AddTensor("i", type, {}, t.counter);
    const int one = AddScalar(&b, "one", t, t.counter, 1);
    const int next_i = b.AddTensor("next_i", type, {}, t.counter);
    const int next_x = b.AddTensor("next_x", type, kValues, t.values);
    if (type == DType::kInt8) {
      b.AddOperator(BuiltinOp::kAdd, {bx, bx}, {next_x}, {}, t.version);  // saturates
    } else {
      const int scale = b.AddConstant("scale", type, {}, std::vector<float>{0.75f});
      const int scaled = b.AddTensor("scaled", type, kValues);
      b.AddOperator(BuiltinOp::kMul, {bx, scale}, {scaled});
      b.AddOperator(BuiltinOp::kAdd, {scaled, one}, {next_x});
    }
    b.AddOperator(BuiltinOp::kAdd, {bi, one}, {next_i}, {}, t.version);
    b.SetInputs({bx, bi});
    b.SetOutputs({next_x, next_i});
  }
  return b.Build();
}

// if (sum(x) < 0) a + b else a - b (float: a * b). The condition comes from
// the float input x (input 0): the page's first value of each input is nearly
// the same for every seed, so a bool input would pick one branch only; the
// sums of x are -15.3, -10.8 and 13.8 for seeds 1, 2, 3.
Model IfBranches(DType type) {
  const Types t = TypesFor(type);
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, kValues);
  const int a = b.AddTensor("a", type, kValues, t.values);
  const int c = b.AddTensor("b", type, kValues, t.values);
  const int axes = b.AddConstant("axes", DType::kInt32, {2}, std::vector<int32_t>{0, 1});
  const int zero = b.AddConstant("zero", DType::kFloat32, {}, std::vector<float>{0});
  const int sum = b.AddTensor("sum", DType::kFloat32, {});
  const int cond = b.AddTensor("cond", DType::kBool, {});
  const int out = b.AddTensor("out", type, kValues, t.values);
  b.AddOperator(BuiltinOp::kSum, {x, axes}, {sum});
  b.AddOperator(BuiltinOp::kLess, {sum, zero}, {cond});
  b.AddOperator(BuiltinOp::kIf, {cond, a, c}, {out}, IfOptions{1, 2});
  b.SetInputs({x, a, c});
  b.SetOutputs({out});
  const BuiltinOp other = type == DType::kInt8 ? BuiltinOp::kSub : BuiltinOp::kMul;
  for (BuiltinOp op : {BuiltinOp::kAdd, other}) {
    b.AddSubgraph(op == BuiltinOp::kAdd ? "then" : "else");
    const int p = b.AddTensor("p", type, kValues, t.values);
    const int q = b.AddTensor("q", type, kValues, t.values);
    const int r = b.AddTensor("r", type, kValues, t.values);
    b.AddOperator(op, {p, q}, {r}, {}, t.version);
    b.SetInputs({p, q});
    b.SetOutputs({r});
  }
  return b.Build();
}

// while (i < 3) { x = i < 0 ? x * 0.5 : x - 1; i = i + 1 }: an IF in a WHILE body.
Model WhileWithIf() {
  const Types t = TypesFor(DType::kFloat32);
  const DType f = DType::kFloat32;
  ModelBuilder b;
  const int x0 = b.AddTensor("x0", f, kValues);
  const int i0 = b.AddTensor("i0", f, {});
  const int x = b.AddTensor("x", f, kValues);
  const int i = b.AddTensor("i", f, {});
  b.AddOperator(BuiltinOp::kWhile, {x0, i0}, {x, i}, WhileOptions{1, 2});
  b.SetInputs({x0, i0});
  b.SetOutputs({x, i});
  AddCountCondition(&b, t);
  b.AddSubgraph("body");
  {
    const int bx = b.AddTensor("x", f, kValues);
    const int bi = b.AddTensor("i", f, {});
    const int zero = b.AddConstant("zero", f, {}, std::vector<float>{0});
    const int one = b.AddConstant("one", f, {}, std::vector<float>{1});
    const int negative = b.AddTensor("negative", DType::kBool, {});
    const int next_x = b.AddTensor("next_x", f, kValues);
    const int next_i = b.AddTensor("next_i", f, {});
    b.AddOperator(BuiltinOp::kLess, {bi, zero}, {negative});
    b.AddOperator(BuiltinOp::kIf, {negative, bx}, {next_x}, IfOptions{3, 4});
    b.AddOperator(BuiltinOp::kAdd, {bi, one}, {next_i});
    b.SetInputs({bx, bi});
    b.SetOutputs({next_x, next_i});
  }
  AddScalarOpSubgraph(&b, "halve", t, BuiltinOp::kMul, 0.5f);
  AddScalarOpSubgraph(&b, "minus_one", t, BuiltinOp::kSub, 1);
  return b.Build();
}

}  // namespace

void AddControlFlowModels(OpModels* models) {
  for (DType type : {DType::kFloat32, DType::kInt8}) {
    const std::string suffix = type == DType::kInt8 ? "_int8" : "_float32";
    models->push_back({"while_count" + suffix, [type] { return CountingWhile(type); }});
    models->push_back({"if_branches" + suffix, [type] { return IfBranches(type); }});
  }
  models->push_back({"while_with_if_float32", [] { return WhileWithIf(); }});
}

}  // namespace qlite
