// CALL, STABLEHLO_COMPOSITE, IF and WHILE: nodes that run other subgraphs of
// the model, each
// through a child interpreter made at prepare (core/subgraph.h). As TFLite's
// kernels: a subgraph's inputs take the node's input shapes; CALL and
// STABLEHLO_COMPOSITE run one subgraph (a composite its decomposition) on
// their inputs; IF reads a bool
// condition of one element (input 0) and runs the then or else subgraph on
// the other inputs; WHILE keeps its loop values in its outputs, runs the
// cond subgraph (one bool of one element) on them and, while it is true, the
// body subgraph. Shapes that change at run time are refused at prepare (IF
// branches whose outputs differ, a WHILE body that changes a shape).
#include <memory>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/subgraph.h"

namespace qlite {
namespace {

struct SubgraphData : OpData {
  std::vector<std::unique_ptr<Interpreter>> children;
};

std::vector<const Tensor*> NodeInputs(const OpContext& ctx, int first) {
  std::vector<const Tensor*> inputs;
  for (int i = first; i < ctx.num_inputs(); ++i) inputs.push_back(ctx.input(i));
  return inputs;
}

QLITE_PREPARE_TIME Status AddChild(OpContext& ctx, SubgraphData* data, int index,
                                   const std::vector<const Tensor*>& inputs) {
  QLITE_ENSURE(ctx.interpreter() != nullptr, "no interpreter to run subgraph ", index);
  std::unique_ptr<Interpreter> child;
  QLITE_RETURN_IF_ERROR(CreateSubgraphInterpreter(*ctx.interpreter(), index, inputs, &child));
  data->children.push_back(std::move(child));
  return Status::Ok();
}

// The node's outputs take the child's output dtypes and shapes.
QLITE_PREPARE_TIME Status SetOutputsFrom(OpContext& ctx, const Interpreter& child) {
  QLITE_ENSURE(child.num_outputs() == ctx.num_outputs(), SubgraphLabel(child), " has ",
               child.num_outputs(), " outputs, the node ", ctx.num_outputs());
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    const Tensor& from = *child.output(i);
    QLITE_ENSURE(ctx.output(i)->type == from.type, "output ", i, " '", ctx.output(i)->name(),
                 "' is ", DTypeName(ctx.output(i)->type), " but ", SubgraphLabel(child), " gives ",
                 DTypeName(from.type));
    QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(i, from.shape));
  }
  return Status::Ok();
}

Status RunChild(Interpreter* child, const std::vector<const Tensor*>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    QLITE_RETURN_IF_ERROR(CopyTensorValue(*inputs[i], child->input(static_cast<int>(i))));
  }
  const Status s = child->Invoke();
  return s.ok() ? s : s.WithContext(SubgraphLabel(*child) + ": ");
}

Status CopyOutputsFrom(const Interpreter& child, OpContext& ctx) {
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    QLITE_RETURN_IF_ERROR(CopyTensorValue(*child.output(i), ctx.output(i)));
  }
  return Status::Ok();
}

// ---- CALL ----

QLITE_PREPARE_TIME Status CallSubgraph(OpContext& ctx, int index) {
  auto* data = ctx.NewOpData<SubgraphData>();
  QLITE_RETURN_IF_ERROR(AddChild(ctx, data, index, NodeInputs(ctx, 0)));
  return SetOutputsFrom(ctx, *data->children[0]);
}

QLITE_PREPARE_TIME Status CallPrepare(OpContext& ctx) {
  return CallSubgraph(ctx, ctx.options<CallOptions>().subgraph);
}

QLITE_PREPARE_TIME Status CompositePrepare(OpContext& ctx) {
  return CallSubgraph(ctx, ctx.options<StableHloCompositeOptions>().decomposition_subgraph_index);
}

Status CallEval(OpContext& ctx) {
  Interpreter* child = ctx.op_data<SubgraphData>()->children[0].get();
  QLITE_RETURN_IF_ERROR(RunChild(child, NodeInputs(ctx, 0)));
  return CopyOutputsFrom(*child, ctx);
}

// ---- IF ----

QLITE_PREPARE_TIME Status CheckCondition(const Tensor& cond, const char* role) {
  QLITE_RETURN_IF_ERROR(CheckType(cond, {DType::kBool}, role));
  QLITE_ENSURE(cond.num_elements() == 1, role, " '", cond.name(),
               "' must hold one value, has shape ", ShapeToString(cond.shape));
  return Status::Ok();
}

QLITE_PREPARE_TIME Status IfPrepare(OpContext& ctx) {
  QLITE_ENSURE(ctx.num_inputs() >= 1, "IF needs a condition input");
  const Tensor* cond = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &cond));
  QLITE_RETURN_IF_ERROR(CheckCondition(*cond, "condition"));
  const IfOptions& options = ctx.options<IfOptions>();
  auto* data = ctx.NewOpData<SubgraphData>();
  const std::vector<const Tensor*> inputs = NodeInputs(ctx, 1);
  QLITE_RETURN_IF_ERROR(AddChild(ctx, data, options.then_subgraph_index, inputs));
  QLITE_RETURN_IF_ERROR(AddChild(ctx, data, options.else_subgraph_index, inputs));
  const Interpreter& then_branch = *data->children[0];
  const Interpreter& else_branch = *data->children[1];
  QLITE_RETURN_IF_ERROR(SetOutputsFrom(ctx, then_branch));
  QLITE_RETURN_IF_ERROR(SetOutputsFrom(ctx, else_branch));
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    QLITE_ENSURE(then_branch.output(i)->shape == else_branch.output(i)->shape, "output ", i,
                 " has shape ", ShapeToString(then_branch.output(i)->shape), " in ",
                 SubgraphLabel(then_branch), " but ", ShapeToString(else_branch.output(i)->shape),
                 " in ", SubgraphLabel(else_branch),
                 ": outputs whose shape depends on the condition are not supported");
  }
  return Status::Ok();
}

Status IfEval(OpContext& ctx) {
  const bool cond = ctx.input(0)->data_as<uint8_t>()[0] != 0;
  Interpreter* branch = ctx.op_data<SubgraphData>()->children[cond ? 0 : 1].get();
  QLITE_RETURN_IF_ERROR(RunChild(branch, NodeInputs(ctx, 1)));
  return CopyOutputsFrom(*branch, ctx);
}

// ---- WHILE ----

QLITE_PREPARE_TIME Status WhilePrepare(OpContext& ctx) {
  QLITE_ENSURE(ctx.num_inputs() == ctx.num_outputs(), "WHILE has ", ctx.num_inputs(),
               " inputs but ", ctx.num_outputs(), " outputs; they must be the same loop values");
  const WhileOptions& options = ctx.options<WhileOptions>();
  auto* data = ctx.NewOpData<SubgraphData>();
  const std::vector<const Tensor*> inputs = NodeInputs(ctx, 0);
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    QLITE_ENSURE(inputs[i] != nullptr, "input ", i, " is missing");
    QLITE_ENSURE(ctx.output(i)->type == inputs[i]->type, "output ", i, " '", ctx.output(i)->name(),
                 "' is ", DTypeName(ctx.output(i)->type), " but input ", i, " is ",
                 DTypeName(inputs[i]->type));
    QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(i, inputs[i]->shape));
  }
  QLITE_RETURN_IF_ERROR(AddChild(ctx, data, options.cond_subgraph_index, inputs));
  QLITE_RETURN_IF_ERROR(AddChild(ctx, data, options.body_subgraph_index, inputs));
  const Interpreter& cond = *data->children[0];
  const Interpreter& body = *data->children[1];
  QLITE_ENSURE(cond.num_outputs() == 1, SubgraphLabel(cond), " (the condition) has ",
               cond.num_outputs(), " outputs, expected 1");
  QLITE_RETURN_IF_ERROR(CheckCondition(*cond.output(0), "the condition subgraph's output"));
  QLITE_ENSURE(body.num_outputs() == ctx.num_outputs(), SubgraphLabel(body), " (the body) has ",
               body.num_outputs(), " outputs, the loop ", ctx.num_outputs(), " values");
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    const Tensor& out = *body.output(i);
    QLITE_ENSURE(out.type == inputs[i]->type && out.shape == inputs[i]->shape, "loop value ", i,
                 " enters ", SubgraphLabel(body), " as ", DTypeName(inputs[i]->type), " ",
                 ShapeToString(inputs[i]->shape), " and leaves it as ", DTypeName(out.type), " ",
                 ShapeToString(out.shape),
                 ": loop values whose shape changes at run time are not supported");
  }
  return Status::Ok();
}

Status WhileEval(OpContext& ctx) {
  auto& children = ctx.op_data<SubgraphData>()->children;
  Interpreter* cond = children[0].get();
  Interpreter* body = children[1].get();
  const int n = ctx.num_outputs();
  std::vector<const Tensor*> values(n);
  for (int i = 0; i < n; ++i) {
    QLITE_RETURN_IF_ERROR(CopyTensorValue(*ctx.input(i), ctx.output(i)));
    values[i] = ctx.output(i);
  }
  const int64_t limit = ctx.interpreter()->options().max_while_iterations;
  for (int64_t iteration = 0;; ++iteration) {
    QLITE_RETURN_IF_ERROR(RunChild(cond, values));
    if (cond->output(0)->data_as<uint8_t>()[0] == 0) break;
    QLITE_ENSURE(
        iteration < limit, "the loop ran its body max_while_iterations (", limit,
        ") times and its condition, ", SubgraphLabel(*cond),
        ", still holds; raise InterpreterOptions::max_while_iterations (maxWhileIterations "
        "in JS) if the loop is meant to run longer");
    QLITE_RETURN_IF_ERROR(RunChild(body, values));
    QLITE_RETURN_IF_ERROR(CopyOutputsFrom(*body, ctx));
  }
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* Call() {
  static const KernelRegistration kRegistration = {"call_reference", CallPrepare, CallEval};
  return &kRegistration;
}
const KernelRegistration* StablehloComposite() {
  static const KernelRegistration kRegistration = {"stablehlo_composite_reference",
                                                   CompositePrepare, CallEval};
  return &kRegistration;
}
const KernelRegistration* If() {
  static const KernelRegistration kRegistration = {"if_reference", IfPrepare, IfEval};
  return &kRegistration;
}
const KernelRegistration* While() {
  static const KernelRegistration kRegistration = {"while_reference", WhilePrepare, WhileEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kCallFields[] = {
    {"subgraph", 0, FieldType::kInt32, offsetof(CallOptions, subgraph)}};
constexpr OptionsField kIfFields[] = {
    {"then_subgraph_index", 0, FieldType::kInt32, offsetof(IfOptions, then_subgraph_index)},
    {"else_subgraph_index", 1, FieldType::kInt32, offsetof(IfOptions, else_subgraph_index)}};
constexpr OptionsField kWhileFields[] = {
    {"cond_subgraph_index", 0, FieldType::kInt32, offsetof(WhileOptions, cond_subgraph_index)},
    {"body_subgraph_index", 1, FieldType::kInt32, offsetof(WhileOptions, body_subgraph_index)}};
constexpr OptionsField kStableHloCompositeFields[] = {
    {"name", 0, FieldType::kString, offsetof(StableHloCompositeOptions, name)},
    {"decomposition_subgraph_index", 1, FieldType::kInt32,
     offsetof(StableHloCompositeOptions, decomposition_subgraph_index)},
    {"composite_attributes", 2, FieldType::kUInt8Vector,
     offsetof(StableHloCompositeOptions, composite_attributes)},
    {"composite_attributes_format", 3, FieldType::kUInt8,
     offsetof(StableHloCompositeOptions, composite_attributes_format)},
    {"version", 4, FieldType::kInt32, offsetof(StableHloCompositeOptions, version)}};
extern const OptionsIO kCallOptionsIO, kIfOptionsIO, kWhileOptionsIO, kStableHloCompositeOptionsIO;
const OptionsIO kCallOptionsIO =
    OptionsIOFor<CallOptions>(tfl::BuiltinOptions::CallOptions, kCallFields);
const OptionsIO kIfOptionsIO = OptionsIOFor<IfOptions>(tfl::BuiltinOptions::IfOptions, kIfFields);
const OptionsIO kWhileOptionsIO =
    OptionsIOFor<WhileOptions>(tfl::BuiltinOptions::WhileOptions, kWhileFields);
const OptionsIO kStableHloCompositeOptionsIO = OptionsIO2For<StableHloCompositeOptions>(
    tfl::BuiltinOptions2::StableHLOCompositeOptions, kStableHloCompositeFields);

}  // namespace qlite
