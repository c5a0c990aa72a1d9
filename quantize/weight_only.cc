// The weight-only modes: float16 (float32 constants -> float16 + DEQUANTIZE at
// the top of the graph) and dynamic range (large conv/depthwise/FC weights ->
// per-channel int8, run by hybrid kernels).
#include <cstring>
#include <map>

#include "core/tensor.h"
#include "quantize/graph_edit.h"
#include "quantize/op_rules.h"
#include "quantize/weights.h"

namespace qlite {

namespace {
// TFLite quantizes weights in dynamic-range mode only from this size on.
constexpr int64_t kDynamicMinWeightElements = 1024;
}  // namespace

Status RewriteFloat16(const Model& in, Model* out, QuantizeReport* report) {
  *out = in;
  std::vector<OperatorDef> dequantize_ops;
  std::map<int, int> dequantized;  // float constant -> DEQUANTIZE output
  for (OperatorDef& op : out->operators) {
    for (int32_t& t : op.inputs) {
      if (!IsFloatConstant(in, t)) continue;
      auto it = dequantized.find(t);
      if (it == dequantized.end()) {
        const TensorDef& def = in.tensors[t];
        const size_t count = in.constant_data(t).size / sizeof(float);
        const int half = AddConstant(out, def, def.name, DType::kFloat16,
                                     ToFloat16Bytes(FloatData(in, t), count), {});
        const int dense = AddActivation(out, def, def.name + "/dequantize", DType::kFloat32, {});
        dequantize_ops.push_back(ConversionOp(BuiltinOp::kDequantize, half, dense, 3));
        it = dequantized.emplace(t, dense).first;
        report->summary +=
            StrCat("tensor ", t, " '", def.name, "': float16 (", count, " values) + DEQUANTIZE\n");
      }
      t = it->second;
    }
  }
  report->float_ops = static_cast<int>(out->operators.size());
  out->operators.insert(out->operators.begin(), dequantize_ops.begin(), dequantize_ops.end());
  Compact(out);
  return Status::Ok();
}

Status RewriteDynamic(const Model& in, Model* out, QuantizeReport* report) {
  *out = in;
  for (size_t n = 0; n < out->operators.size(); ++n) {
    OperatorDef& op = out->operators[n];
    const bool weighted = op.op == BuiltinOp::kConv2D || op.op == BuiltinOp::kDepthwiseConv2D ||
                          op.op == BuiltinOp::kFullyConnected;
    if (!weighted || op.inputs.size() < 2 || !IsFloatConstant(in, op.inputs[1])) {
      ++report->float_ops;
      continue;
    }
    const int w = op.inputs[1];
    const TensorDef& def = in.tensors[w];
    if (ShapeElementCount(def.shape) < kDynamicMinWeightElements) {
      report->summary +=
          StrCat("node ", n, " (", BuiltinOpName(op.op), "): float (weights have ",
                 ShapeElementCount(def.shape), " < ", kDynamicMinWeightElements, " elements)\n");
      ++report->float_ops;
      continue;
    }
    const QuantRule rule = QuantRuleFor(op);
    std::vector<int8_t> q;
    Quantization quant;
    QLITE_RETURN_IF_ERROR(
        QuantizeWeightsPerChannel(FloatData(in, w), def.shape, rule.weights_channel_dim, &q, &quant)
            .WithContext(
                StrCat("node ", n, " (", BuiltinOpName(op.op), ") weights '", def.name, "': ")));
    std::vector<uint8_t> bytes(q.size());
    std::memcpy(bytes.data(), q.data(), q.size());
    const size_t channels = quant.scale.size();
    op.inputs[1] =
        AddConstant(out, def, def.name, DType::kInt8, std::move(bytes), std::move(quant));
    if (auto* fc = std::any_cast<FullyConnectedOptions>(&op.options)) {
      fc->asymmetric_quantize_inputs = true;  // as the converter's hybrid FC
      // TFLite: hybrid FC is version 9, or 12 with per-channel weight scales.
      op.version = channels > 1 ? 12 : 9;
    } else {
      op.version = op.op == BuiltinOp::kConv2D ? 5 : 6;
    }
    ++report->quantized_ops;
    report->summary += StrCat("node ", n, " (", BuiltinOpName(op.op),
                              "): hybrid, int8 weights per-channel x", channels, "\n");
  }
  Compact(out);
  return Status::Ok();
}

}  // namespace qlite
