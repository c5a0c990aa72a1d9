#include "quantize/model_cut.h"

#include <map>
#include <vector>

namespace qlite {

Status CutNode(const Interpreter& interpreter, int node, Model* out) {
  const Model& model = interpreter.model();
  QLITE_ENSURE(node >= 0 && node < static_cast<int>(model.operators.size()), "node ", node,
               " does not exist: the model has ", model.operators.size(), " nodes");
  const OperatorDef& op = model.operators[node];
  Model cut;
  cut.description = StrCat("node ", node, " (", BuiltinOpName(op.op), ") of a larger model");
  cut.buffers.emplace_back();           // sentinel buffer 0
  std::map<int32_t, int32_t> index_of;  // the model's tensor -> the cut model's
  auto add = [&](int32_t t) {
    auto found = index_of.find(t);
    if (found != index_of.end()) return found->second;
    const Tensor& runtime = interpreter.tensors()[t];
    TensorDef def = model.tensors[t];
    def.shape = runtime.shape;
    def.shape_signature.clear();
    def.buffer = 0;
    if (runtime.is_constant()) {
      def.buffer = static_cast<uint32_t>(cut.buffers.size());
      cut.buffers.push_back(
          Buffer::Owned(std::vector<uint8_t>(runtime.data, runtime.data + runtime.bytes)));
    }
    const int32_t index = static_cast<int32_t>(cut.tensors.size());
    cut.tensors.push_back(std::move(def));
    index_of[t] = index;
    return index;
  };
  OperatorDef cut_op = op;
  for (int32_t& t : cut_op.inputs) {
    if (t < 0) continue;
    const bool constant = interpreter.tensors()[t].is_constant();
    const bool seen = index_of.count(t) > 0;
    t = add(t);
    if (!constant && !seen) cut.inputs.push_back(t);
  }
  for (int32_t& t : cut_op.outputs) {
    t = add(t);
    cut.outputs.push_back(t);
  }
  cut_op.intermediates.clear();
  cut.operators.push_back(std::move(cut_op));
  *out = std::move(cut);
  return Status::Ok();
}

}  // namespace qlite
