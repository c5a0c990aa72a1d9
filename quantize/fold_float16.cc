// float16-weight models (MediaPipe's, most web models): each weight is a
// float16 constant read through DEQUANTIZE (or CAST) into float32. Folding
// those into float32 constants turns the model into the float32 model every
// mode already quantizes.
#include <cstring>

#include "core/float16.h"
#include "core/op_table.h"
#include "core/tensor.h"
#include "quantize/graph_edit.h"

namespace qlite {

namespace {

bool IsFloat16Constant(const Model& model, int t) {
  if (t < 0 || static_cast<size_t>(t) >= model.tensors.size() || !model.is_constant(t)) {
    return false;
  }
  return model.tensors[t].type == DType::kFloat16;
}

bool IsModelOutput(const Model& model, int t) {
  for (int32_t o : model.outputs) {
    if (o == t) return true;
  }
  return false;
}

// Why node n, reading float16 constant input `t`, cannot be folded; "" if it can.
std::string WhyNotFoldable(const Model& model, const OperatorDef& op, int t) {
  const TensorDef& def = model.tensors[t];
  if (op.op != BuiltinOp::kDequantize && op.op != BuiltinOp::kCast) {
    return "only DEQUANTIZE and CAST of float16 constants are folded";
  }
  if (op.inputs.size() != 1 || op.outputs.size() != 1 || op.outputs[0] < 0 ||
      static_cast<size_t>(op.outputs[0]) >= model.tensors.size()) {
    return "the op does not have one input and one output";
  }
  const TensorDef& out = model.tensors[op.outputs[0]];
  if (out.type != DType::kFloat32) return StrCat("its output is ", DTypeName(out.type));
  if (!def.sparsity.empty()) return "the constant is stored sparse";
  const int64_t count = ShapeElementCount(def.shape);
  if (count < 0 || model.constant_data(t).size != static_cast<size_t>(count) * 2 ||
      ShapeElementCount(out.shape) != count) {
    return "its buffer or output does not hold the constant's element count";
  }
  if (out.is_variable || out.buffer != 0) return "its output is a variable or has data";
  if (IsModelOutput(model, op.outputs[0])) return "its output is a model output";
  return "";
}

}  // namespace

Status FoldFloat16Constants(const Model& in, Model* out, std::vector<int>* source_node,
                            std::vector<bool>* folded, QuantizeReport* report) {
  *out = in;
  out->operators.clear();
  source_node->clear();
  folded->assign(in.tensors.size(), false);
  for (size_t n = 0; n < in.operators.size(); ++n) {
    const OperatorDef& op = in.operators[n];
    int half = -1;
    for (int32_t t : op.inputs) {
      if (IsFloat16Constant(in, t)) half = t;
    }
    if (half < 0) {
      out->operators.push_back(op);
      source_node->push_back(static_cast<int>(n));
      continue;
    }
    const std::string why = WhyNotFoldable(in, op, half);
    QLITE_ENSURE(why.empty(), "float16 constant '", in.tensors[half].name, "' read by node ", n,
                 " (", BuiltinOpName(op.op), "): ", why,
                 "; the quantizer takes float16 weights only as DEQUANTIZE or CAST to float32");
    // The op's output becomes the constant, keeping its tensor index (the
    // calibration ranges are by index); the float16 tensor is compacted away.
    const int dense = op.outputs[0];
    const size_t count = in.constant_data(half).size / 2;
    const uint8_t* halves = in.constant_data(half).data;
    std::vector<uint8_t> bytes(count * sizeof(float));
    for (size_t i = 0; i < count; ++i) {
      uint16_t h;
      std::memcpy(&h, halves + 2 * i, 2);
      const float f = HalfToFloat(h);
      std::memcpy(bytes.data() + 4 * i, &f, 4);
    }
    out->buffers.push_back(Buffer::Owned(std::move(bytes)));
    out->tensors[dense].buffer = static_cast<uint32_t>(out->buffers.size() - 1);
    out->tensors[dense].quant = {};
    (*folded)[dense] = true;
    ++report->folded_float16;
    report->ops.push_back({static_cast<int>(n), BuiltinOpName(op.op), OpOutcome::Kind::kFolded,
                           "float16 constant folded into a float32 constant"});
    report->summary +=
        StrCat("node ", n, " (", BuiltinOpName(op.op), "): float16 constant '",
               in.tensors[half].name, "' folded into float32 '", in.tensors[dense].name, "'\n");
  }
  return Status::Ok();
}

}  // namespace qlite
