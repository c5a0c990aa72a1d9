// VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE and CALL_ONCE: state kept from
// one Invoke to the next in the interpreter's resource variables
// (core/resource_variables.h), as TFLite's kernels of the same names.
// VAR_HANDLE writes the id of the variable named by its options; a resource
// input (dtype resource or int32, one element) names the variable by that
// id. ASSIGN_VARIABLE stores a copy of its value; the first one fixes the
// variable's dtype and shape (TFLite lets a later one change them; qlite
// refuses it so that READ_VARIABLE's readers keep their shapes). READ_VARIABLE
// writes the value to an output whose shape is known at run time. CALL_ONCE
// runs its init subgraph (no inputs, no outputs) on the first Invoke only,
// and again after ResetVariables.
#include <cstring>
#include <memory>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/resource_variables.h"
#include "core/subgraph.h"

namespace qlite {
namespace {

QLITE_PREPARE_TIME Status RequireResources(const OpContext& ctx) {
  QLITE_ENSURE(ctx.interpreter() != nullptr && ctx.interpreter()->resources() != nullptr,
               "no interpreter to keep resource variables in");
  return Status::Ok();
}

QLITE_PREPARE_TIME Status CheckResourceInput(const OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(RequireResources(ctx));
  const Tensor* resource = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &resource));
  QLITE_RETURN_IF_ERROR(CheckType(*resource, {DType::kResource, DType::kInt32}, "resource"));
  QLITE_ENSURE(resource->num_elements() == 1, "resource '", resource->name(),
               "' must hold one id, has shape ", ShapeToString(resource->shape));
  return Status::Ok();
}

// The variable input 0 names; an error for an id no VAR_HANDLE gave.
Status FindVariable(const OpContext& ctx, ResourceVariable** variable) {
  const Tensor& resource = *ctx.input(0);
  QLITE_ENSURE(resource.bytes >= sizeof(int32_t) && resource.data != nullptr, "resource '",
               resource.name(), "' holds no id");
  int32_t id = 0;
  std::memcpy(&id, resource.data, sizeof(id));
  ResourceVariables* resources = ctx.interpreter()->resources();
  *variable = resources->Find(id);
  QLITE_ENSURE(*variable != nullptr, "resource '", resource.name(), "' holds id ", id,
               ", which no VAR_HANDLE gave (the model has ", resources->size(),
               " resource variables)");
  return Status::Ok();
}

std::string VariableLabel(const ResourceVariable& v) {
  return StrCat("resource variable '", v.container, v.container.empty() ? "" : "/", v.shared_name,
                "'");
}

// ---- VAR_HANDLE ----

struct VarHandleData : OpData {
  int32_t id = 0;
};

QLITE_PREPARE_TIME Status VarHandlePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(RequireResources(ctx));
  QLITE_ENSURE(ctx.num_outputs() == 1 && ctx.output(0) != nullptr,
               "VAR_HANDLE needs one output, has ", ctx.num_outputs());
  Tensor& out = *ctx.output(0);
  QLITE_RETURN_IF_ERROR(CheckType(out, {DType::kResource, DType::kInt32}, "output"));
  QLITE_ENSURE(ShapeElementCount(out.shape) == 1, "output '", out.name(),
               "' must hold one id, has shape ", ShapeToString(out.shape));
  const VarHandleOptions& options = ctx.options<VarHandleOptions>();
  ctx.NewOpData<VarHandleData>()->id =
      ctx.interpreter()->resources()->IdFor(options.container, options.shared_name);
  return ctx.SetOutputShape(0, out.shape);
}

Status VarHandleEval(OpContext& ctx) {
  const int32_t id = ctx.op_data<VarHandleData>()->id;
  std::memcpy(ctx.output(0)->data, &id, sizeof(id));
  return Status::Ok();
}

// ---- ASSIGN_VARIABLE ----

QLITE_PREPARE_TIME Status AssignVariablePrepare(OpContext& ctx) {
  QLITE_ENSURE(ctx.num_inputs() == 2 && ctx.num_outputs() == 0,
               "ASSIGN_VARIABLE takes a resource and a value and has no outputs; it has ",
               ctx.num_inputs(), " inputs and ", ctx.num_outputs(), " outputs");
  QLITE_RETURN_IF_ERROR(CheckResourceInput(ctx));
  const Tensor* value = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &value));
  QLITE_ENSURE(value->type != DType::kResource && value->type != DType::kInt4, "value '",
               value->name(), "' is ", DTypeName(value->type),
               ": a variable cannot hold that dtype");
  return Status::Ok();
}

Status AssignVariableEval(OpContext& ctx) {
  ResourceVariable* variable = nullptr;
  QLITE_RETURN_IF_ERROR(FindVariable(ctx, &variable));
  const Tensor& value = *ctx.input(1);
  if (!variable->assigned) {
    variable->type = value.type;
    variable->shape = value.shape;
    variable->value.resize(value.bytes);
    variable->assigned = true;
  }
  QLITE_ENSURE(variable->type == value.type && variable->shape == value.shape &&
                   variable->value.size() == value.bytes,
               "value '", value.name(), "' is ", DTypeName(value.type), " ",
               ShapeToString(value.shape), " but ", VariableLabel(*variable),
               " was first assigned ", DTypeName(variable->type), " ",
               ShapeToString(variable->shape), ": a variable keeps its dtype and shape");
  if (value.bytes > 0) std::memcpy(variable->value.data(), value.data, value.bytes);
  return Status::Ok();
}

// ---- READ_VARIABLE ----

QLITE_PREPARE_TIME Status ReadVariablePrepare(OpContext& ctx) {
  QLITE_ENSURE(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
               "READ_VARIABLE takes a resource and has one output; it has ", ctx.num_inputs(),
               " inputs and ", ctx.num_outputs(), " outputs");
  QLITE_RETURN_IF_ERROR(CheckResourceInput(ctx));
  // The value's shape is the one of the last assignment, known at run time.
  return ctx.MarkOutputDynamic(0);
}

Status ReadVariableEval(OpContext& ctx) {
  ResourceVariable* variable = nullptr;
  QLITE_RETURN_IF_ERROR(FindVariable(ctx, &variable));
  QLITE_ENSURE(variable->assigned, VariableLabel(*variable),
               " is read before any ASSIGN_VARIABLE gave it a value");
  Tensor& out = *ctx.output(0);
  QLITE_ENSURE(out.type == variable->type, "output '", out.name(), "' is ", DTypeName(out.type),
               " but ", VariableLabel(*variable), " holds ", DTypeName(variable->type));
  QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, variable->shape));
  QLITE_ENSURE(out.bytes == variable->value.size(), "output '", out.name(), "' has ", out.bytes,
               " bytes, ", VariableLabel(*variable), " ", variable->value.size());
  if (out.bytes > 0) std::memcpy(out.data, variable->value.data(), out.bytes);
  return Status::Ok();
}

// ---- CALL_ONCE ----

struct CallOnceData : OpData {
  std::unique_ptr<Interpreter> init;
};

QLITE_PREPARE_TIME Status CallOncePrepare(OpContext& ctx) {
  QLITE_ENSURE(ctx.num_inputs() == 0 && ctx.num_outputs() == 0,
               "CALL_ONCE has no inputs and no outputs; it has ", ctx.num_inputs(), " inputs and ",
               ctx.num_outputs(), " outputs");
  QLITE_RETURN_IF_ERROR(RequireResources(ctx));
  auto* data = ctx.NewOpData<CallOnceData>();
  QLITE_RETURN_IF_ERROR(CreateSubgraphInterpreter(
      *ctx.interpreter(), ctx.options<CallOnceOptions>().init_subgraph_index, {}, &data->init));
  QLITE_ENSURE(data->init->num_outputs() == 0, SubgraphLabel(*data->init),
               " (the init subgraph) has ", data->init->num_outputs(), " outputs, expected none");
  return Status::Ok();
}

Status CallOnceEval(OpContext& ctx) {
  ResourceVariables* resources = ctx.interpreter()->resources();
  const int index = ctx.options<CallOnceOptions>().init_subgraph_index;
  if (resources->initialized(index)) return Status::Ok();
  Interpreter* init = ctx.op_data<CallOnceData>()->init.get();
  const Status s = init->Invoke();
  if (!s.ok()) return s.WithContext(SubgraphLabel(*init) + ": ");
  resources->MarkInitialized(index);
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* VarHandle() {
  static const KernelRegistration kRegistration = {"var_handle_reference", VarHandlePrepare,
                                                   VarHandleEval};
  return &kRegistration;
}
const KernelRegistration* AssignVariable() {
  static const KernelRegistration kRegistration = {"assign_variable_reference",
                                                   AssignVariablePrepare, AssignVariableEval};
  return &kRegistration;
}
const KernelRegistration* ReadVariable() {
  static const KernelRegistration kRegistration = {"read_variable_reference", ReadVariablePrepare,
                                                   ReadVariableEval};
  return &kRegistration;
}
const KernelRegistration* CallOnce() {
  static const KernelRegistration kRegistration = {"call_once_reference", CallOncePrepare,
                                                   CallOnceEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kVarHandleFields[] = {
    {"container", 0, FieldType::kString, offsetof(VarHandleOptions, container)},
    {"shared_name", 1, FieldType::kString, offsetof(VarHandleOptions, shared_name)}};
constexpr OptionsField kCallOnceFields[] = {
    {"init_subgraph_index", 0, FieldType::kInt32, offsetof(CallOnceOptions, init_subgraph_index)}};
extern const OptionsIO kVarHandleOptionsIO, kCallOnceOptionsIO, kReadVariableOptionsIO,
    kAssignVariableOptionsIO;
const OptionsIO kVarHandleOptionsIO =
    OptionsIOFor<VarHandleOptions>(tfl::BuiltinOptions::VarHandleOptions, kVarHandleFields);
const OptionsIO kCallOnceOptionsIO =
    OptionsIOFor<CallOnceOptions>(tfl::BuiltinOptions::CallOnceOptions, kCallOnceFields);
const OptionsIO kReadVariableOptionsIO = EmptyOptionsIO(tfl::BuiltinOptions::ReadVariableOptions);
const OptionsIO kAssignVariableOptionsIO =
    EmptyOptionsIO(tfl::BuiltinOptions::AssignVariableOptions);

}  // namespace qlite
