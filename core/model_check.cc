#include "core/model_check.h"

#include <cmath>

#include "core/kernel_api.h"
#include "core/sparsity.h"
#include "core/tensor.h"

namespace qlite {

namespace {

template <typename T>
const T* OptionsOf(const OperatorDef& op) {
  static const T kDefaults{};
  const T* o = std::any_cast<T>(&op.options);
  return o ? o : &kDefaults;
}

std::string TensorLabel(const Model& model, int t) {
  return StrCat("tensor ", t, " '", model.tensors[t].name, "'");
}

Status CheckQuantization(const Model& model, int t) {
  const TensorDef& tensor = model.tensors[t];
  const Quantization& q = tensor.quant;
  if (q.scale.empty() && q.zero_point.empty()) return Status::Ok();
  QLITE_ENSURE(q.scale.size() == q.zero_point.size() || q.zero_point.empty(), TensorLabel(model, t),
               " has ", q.scale.size(), " scales but ", q.zero_point.size(), " zero points");
  QLITE_ENSURE(!q.scale.empty(), TensorLabel(model, t), " has zero points but no scales");
  for (float s : q.scale) {
    QLITE_ENSURE(std::isfinite(s), TensorLabel(model, t), " has a non-finite scale");
  }
  // A per-tensor quantization may carry any quantized_dimension (converters
  // leave it set on 1-D biases); only per-channel parameters must agree with it.
  if (q.scale.size() > 1) {
    const int dim = q.quantized_dimension;
    QLITE_ENSURE(dim >= 0 && dim < static_cast<int>(tensor.shape.size()), TensorLabel(model, t),
                 " has quantized_dimension ", dim, " outside its rank ", tensor.shape.size());
    QLITE_ENSURE(static_cast<int64_t>(q.scale.size()) == tensor.shape[dim], TensorLabel(model, t),
                 " has ", q.scale.size(), " per-channel scales but dimension ", dim, " is ",
                 tensor.shape[dim]);
  }
  return Status::Ok();
}

Status CheckTensor(const Model& model, int t) {
  const TensorDef& tensor = model.tensors[t];
  QLITE_ENSURE(IsValidDType(static_cast<int>(tensor.type)), TensorLabel(model, t),
               " has an invalid dtype ", static_cast<int>(tensor.type));
  for (int32_t d : tensor.shape) {
    QLITE_ENSURE(d >= 0, TensorLabel(model, t), " has a negative dimension in shape ",
                 ShapeToString(tensor.shape));
  }
  QLITE_ENSURE(tensor.buffer < model.buffers.size(), TensorLabel(model, t), " refers to buffer ",
               tensor.buffer, " but the model has ", model.buffers.size(), " buffers");
  const Buffer& buffer = model.constant_data(t);
  if (!tensor.sparsity.empty()) {
    QLITE_ENSURE(tensor.buffer != 0, TensorLabel(model, t), " is sparse but not a constant");
    const Status s = CheckSparsity(tensor, buffer.size);
    if (!s.ok()) return s.WithContext(TensorLabel(model, t) + ": ");
  } else if (buffer.size > 0) {
    size_t expected = 0;
    const Status s = TensorByteSize(tensor.type, tensor.shape, &expected);
    if (!s.ok()) return s.WithContext(TensorLabel(model, t) + ": ");
    QLITE_ENSURE(buffer.size == expected, TensorLabel(model, t), " has ", buffer.size,
                 " bytes of constant data but its shape ", ShapeToString(tensor.shape), " of ",
                 DTypeName(tensor.type), " needs ", expected);
  }
  return CheckQuantization(model, t);
}

// Each signature names a subgraph and tensors of that subgraph.
Status CheckSignatures(const Model& model) {
  for (const SignatureDef& signature : model.signatures) {
    QLITE_ENSURE(signature.subgraph < static_cast<uint32_t>(model.num_subgraphs()), "signature '",
                 signature.key, "' names subgraph ", signature.subgraph, ", but the model has ",
                 model.num_subgraphs());
    const int num_tensors = static_cast<int>(
        signature.subgraph == 0 ? model.tensors.size()
                                : model.subgraphs[signature.subgraph - 1].tensors.size());
    for (const auto* list : {&signature.inputs, &signature.outputs}) {
      for (const SignatureTensor& entry : *list) {
        QLITE_ENSURE(entry.tensor >= 0 && entry.tensor < num_tensors, "signature '", signature.key,
                     "': ", list == &signature.inputs ? "input" : "output", " '", entry.name,
                     "' names tensor ", entry.tensor, ", out of range (", num_tensors, " tensors)");
      }
    }
  }
  return Status::Ok();
}

// The main subgraph's tensors, operators, inputs and outputs.
Status CheckMainSubgraph(const Model& model) {
  const int num_tensors = static_cast<int>(model.tensors.size());
  QLITE_ENSURE(!model.buffers.empty(), "model has no buffers (buffer 0 must exist)");
  for (int t = 0; t < num_tensors; ++t) QLITE_RETURN_IF_ERROR(CheckTensor(model, t));

  // 0 = not produced yet, 1 = graph input, 2 = produced by an op, 3 = variable.
  // Variables hold a value (initial or kept) before any operator runs.
  std::vector<char> available(num_tensors, 0);
  for (int t = 0; t < num_tensors; ++t) available[t] = model.tensors[t].is_variable ? 3 : 0;
  for (int32_t t : model.inputs) {
    QLITE_ENSURE(t >= 0 && t < num_tensors, "model input index ", t, " is out of range (",
                 num_tensors, " tensors)");
    QLITE_ENSURE(!model.is_constant(t), "model input ", TensorLabel(model, t), " is a constant");
    QLITE_ENSURE(!model.tensors[t].is_variable, "model input ", TensorLabel(model, t),
                 " is a variable tensor");
    available[t] = 1;
  }
  for (int32_t t : model.outputs) {
    QLITE_ENSURE(t >= 0 && t < num_tensors, "model output index ", t, " is out of range (",
                 num_tensors, " tensors)");
  }
  for (size_t n = 0; n < model.operators.size(); ++n) {
    const OperatorDef& op = model.operators[n];
    const std::string where = StrCat("node ", n, " (", BuiltinOpName(op.op), "): ");
    for (int32_t t : op.inputs) {
      QLITE_ENSURE(t >= -1 && t < num_tensors, where, "input tensor index ", t,
                   " is out of range (", num_tensors, " tensors)");
      if (t < 0 || model.is_constant(t)) continue;
      QLITE_ENSURE(available[t] != 0, where, "reads ", TensorLabel(model, t),
                   " before any operator writes it");
    }
    for (int32_t t : op.intermediates) {
      QLITE_ENSURE(t >= 0 && t < num_tensors, where, "intermediate tensor index ", t,
                   " is out of range");
    }
    for (int32_t t : op.outputs) {
      QLITE_ENSURE(t >= 0 && t < num_tensors, where, "output tensor index ", t,
                   " is out of range (", num_tensors, " tensors)");
      QLITE_ENSURE(!model.is_constant(t), where, "writes constant ", TensorLabel(model, t));
      QLITE_ENSURE(available[t] != 3, where, "writes variable ", TensorLabel(model, t),
                   " as an output (variables are updated in place by the ops that read them)");
      QLITE_ENSURE(available[t] == 0, where, "writes ", TensorLabel(model, t),
                   available[t] == 1 ? ", which is a model input"
                                     : ", which an earlier operator already wrote");
      available[t] = 2;
    }
  }
  for (int32_t t : model.outputs) {
    QLITE_ENSURE(available[t] != 0 || model.is_constant(t), "model output ", TensorLabel(model, t),
                 " is never written");
  }
  return Status::Ok();
}

Status CheckCalledSubgraphs(const std::vector<OperatorDef>& operators, int num_subgraphs) {
  for (size_t n = 0; n < operators.size(); ++n) {
    for (int32_t called : CalledSubgraphs(operators[n])) {
      QLITE_ENSURE(called >= 0 && called < num_subgraphs, "node ", n, " (",
                   BuiltinOpName(operators[n].op), "): subgraph index ", called,
                   " is out of range (the model has ", num_subgraphs, " subgraphs)");
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<int32_t> CalledSubgraphs(const OperatorDef& op) {
  switch (op.op) {
    case BuiltinOp::kCall: return {OptionsOf<CallOptions>(op)->subgraph};
    case BuiltinOp::kCallOnce: return {OptionsOf<CallOnceOptions>(op)->init_subgraph_index};
    case BuiltinOp::kIf: {
      const IfOptions* o = OptionsOf<IfOptions>(op);
      return {o->then_subgraph_index, o->else_subgraph_index};
    }
    case BuiltinOp::kWhile: {
      const WhileOptions* o = OptionsOf<WhileOptions>(op);
      return {o->cond_subgraph_index, o->body_subgraph_index};
    }
    case BuiltinOp::kStablehloComposite:
      return {OptionsOf<StableHloCompositeOptions>(op)->decomposition_subgraph_index};
    default: return {};
  }
}

Status CheckModel(const Model& model) {
  QLITE_RETURN_IF_ERROR(CheckMainSubgraph(model));
  QLITE_RETURN_IF_ERROR(CheckCalledSubgraphs(model.operators, model.num_subgraphs()));
  for (int i = 1; i < model.num_subgraphs(); ++i) {
    const std::string where = StrCat("subgraph ", i, " '", model.subgraphs[i - 1].name, "': ");
    Status s = CheckMainSubgraph(model.SubgraphView(i));
    if (s.ok()) s = CheckCalledSubgraphs(model.subgraphs[i - 1].operators, model.num_subgraphs());
    if (!s.ok()) return s.WithContext(where);
  }
  return CheckSignatures(model);
}

}  // namespace qlite
