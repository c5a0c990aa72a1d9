// The weight-only modes: float16 (float32 constants -> float16 + DEQUANTIZE at
// the top of the graph) and dynamic range (large conv/depthwise/FC weights ->
// per-channel int8; SVDF, RNN and LSTM family weights -> per-tensor int8;
// run by hybrid kernels).
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "core/op_options.h"
#include "core/tensor.h"
#include "quantize/graph_edit.h"
#include "quantize/op_rules.h"
#include "quantize/weights.h"

namespace qlite {

namespace {
// TFLite quantizes weights in dynamic-range mode only from this size on.
constexpr int64_t kDynamicMinWeightElements = 1024;

// Why dynamic-range mode leaves op's weights float, or "" to quantize them.
std::string WhyNoDynamicWeights(const Model& in, const OperatorDef& op) {
  const bool weighted = op.op == BuiltinOp::kConv2D || op.op == BuiltinOp::kDepthwiseConv2D ||
                        op.op == BuiltinOp::kFullyConnected;
  if (!weighted) {
    return "not a weight op (dynamic range quantizes conv/depthwise/FC, SVDF, RNN and LSTM "
           "weights)";
  }
  if (op.inputs.size() < 2 || op.inputs[1] < 0 ||
      static_cast<size_t>(op.inputs[1]) >= in.tensors.size()) {
    return "no weights input";
  }
  const TensorDef& def = in.tensors[op.inputs[1]];
  if (!in.is_constant(op.inputs[1])) return "weights are computed at run time, not a constant";
  if (def.type == DType::kInt8) return "weights are int8 already (a dynamic-range op), kept";
  if (!IsFloatConstant(in, op.inputs[1])) {
    return StrCat("weights are a ", DTypeName(def.type), " constant, not float32");
  }
  if (ShapeElementCount(def.shape) < kDynamicMinWeightElements) {
    return StrCat("weights have fewer than ", kDynamicMinWeightElements,
                  " elements (TFLite's threshold)");
  }
  return "";
}

// Sequence ops whose weights TFLite's converter quantizes per tensor in
// dynamic-range mode (its quantizable operand indices; absent optional ones
// are skipped), with asymmetric input quantization, and the op version it
// then writes. BIDIRECTIONAL_SEQUENCE_RNN's list in TFLite also names the
// hidden states and the auxiliary input, which are never constants.
struct SequenceWeights {
  BuiltinOp op;
  std::vector<int> inputs;
  int version;
};
const SequenceWeights* SequenceWeightsFor(BuiltinOp op) {
  // Input, recurrent and peephole weights (1-11), projection weights (16).
  static const std::vector<int> kLstm = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16};
  static const SequenceWeights kOps[] = {
      {BuiltinOp::kSvdf, {1, 2}, 4},                       // weights_feature, weights_time
      {BuiltinOp::kRnn, {1, 2}, 3},                        // weights, recurrent weights
      {BuiltinOp::kUnidirectionalSequenceRnn, {1, 2}, 3},  // weights, recurrent weights
      // fw and bw weights and recurrent weights, fw and bw auxiliary weights.
      {BuiltinOp::kBidirectionalSequenceRnn, {1, 2, 5, 6, 10, 11}, 3},
      {BuiltinOp::kLstm, kLstm, 4},
      {BuiltinOp::kUnidirectionalSequenceLstm, kLstm, 3},
      // Forward cell (1-11, 16), backward cell (18-28, 33), auxiliary weights (40-47).
      {BuiltinOp::kBidirectionalSequenceLstm,
       {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 16, 18, 19, 20, 21,
        22, 23, 24, 25, 26, 27, 28, 33, 40, 41, 42, 43, 44, 45, 46, 47},
       3},
  };
  for (const SequenceWeights& s : kOps) {
    if (s.op == op) return &s;
  }
  return nullptr;
}

// Whether the op lists weight `i` (an optional one may be absent).
bool HasSequenceWeight(const OperatorDef& op, int i) {
  return static_cast<size_t>(i) < op.inputs.size() && op.inputs[i] >= 0;
}

// Why a sequence op's weights stay float, or "". All or none: the hybrid
// kernels read every listed weight as int8 once the first one is (TFLite
// then keeps the op float too, behind DEQUANTIZEs of the weights it did
// quantize; qlite leaves all of them float).
std::string WhyNoSequenceWeights(const Model& in, const OperatorDef& op, const SequenceWeights& s) {
  if (const auto* lstm = std::any_cast<LstmOptions>(&op.options)) {
    if (op.op == BuiltinOp::kLstm && lstm->kernel_type != 0) {
      return "LSTM kernel_type BASIC has no hybrid kernel (TFLite's converter keeps it float)";
    }
    if (lstm->diagonal_recurrent_tensors) {
      return "diagonal recurrent tensors have no hybrid kernel";
    }
  }
  int present = 0;
  for (int i : s.inputs) {
    if (!HasSequenceWeight(op, i)) continue;
    ++present;
    const int t = op.inputs[i];
    if (static_cast<size_t>(t) >= in.tensors.size() || !IsFloatConstant(in, t)) {
      return StrCat("input ", i,
                    " is not a float32 constant (the hybrid kernel needs all "
                    "its weights int8)");
    }
    if (ShapeElementCount(in.tensors[t].shape) < kDynamicMinWeightElements) {
      return StrCat("input ", i, " has fewer than ", kDynamicMinWeightElements,
                    " elements (TFLite's threshold; the hybrid kernel needs all its weights int8)");
    }
  }
  return present > 0 ? "" : "no weights input";
}

// Per-tensor symmetric int8 weights for a sequence op, asymmetric inputs.
Status RewriteSequenceWeights(const Model& in, const SequenceWeights& s, OperatorDef* op,
                              Model* out) {
  for (int i : s.inputs) {
    if (!HasSequenceWeight(*op, i)) continue;
    const int w = op->inputs[i];
    const TensorDef& def = in.tensors[w];
    std::vector<int8_t> q;
    Quantization quant;
    const int64_t count = ShapeElementCount(def.shape);
    QLITE_ENSURE(count <= INT32_MAX, "weights '", def.name, "' have too many values");
    QLITE_RETURN_IF_ERROR(QuantizeWeightsPerChannel(
        FloatData(in, w), {1, static_cast<int32_t>(count)}, 0, &q, &quant));
    std::vector<uint8_t> bytes(q.size());
    std::memcpy(bytes.data(), q.data(), q.size());
    op->inputs[i] =
        AddConstant(out, def, def.name, DType::kInt8, std::move(bytes), std::move(quant));
  }
  if (auto* svdf = std::any_cast<SvdfOptions>(&op->options))
    svdf->asymmetric_quantize_inputs = true;
  if (auto* rnn = std::any_cast<RnnOptions>(&op->options)) rnn->asymmetric_quantize_inputs = true;
  if (auto* bidi = std::any_cast<BidirectionalSequenceRnnOptions>(&op->options))
    bidi->asymmetric_quantize_inputs = true;
  if (auto* lstm = std::any_cast<LstmOptions>(&op->options))
    lstm->asymmetric_quantize_inputs = true;
  op->version = s.version;
  return Status::Ok();
}
}  // namespace

Status RewriteFloat16(const Model& in, const std::vector<int>& source_node,
                      const std::vector<bool>& folded, Model* out, QuantizeReport* report) {
  *out = in;
  std::vector<OperatorDef> dequantize_ops;
  std::map<int, int> dequantized;  // float constant -> DEQUANTIZE output
  for (size_t n = 0; n < out->operators.size(); ++n) {
    OperatorDef& op = out->operators[n];
    int converted = 0, kept_float16 = 0;
    for (int32_t& t : op.inputs) {
      if (!IsFloatConstant(in, t)) continue;
      const bool was_float16 = static_cast<size_t>(t) < folded.size() && folded[t];
      (was_float16 ? kept_float16 : converted) += 1;
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
    if (converted > 0) {
      RecordOutcome(source_node, n, op.op, OpOutcome::Kind::kQuantized,
                    "float16 constants + DEQUANTIZE", report);
    } else {
      RecordOutcome(
          source_node, n, op.op, OpOutcome::Kind::kFloat,
          kept_float16 > 0 ? "its constants were float16 already" : "no float32 constant input",
          report);
    }
  }
  out->operators.insert(out->operators.begin(), dequantize_ops.begin(), dequantize_ops.end());
  Compact(out);
  return Status::Ok();
}

Status RewriteDynamic(const Model& in, const std::vector<int>& source_node,
                      const QuantizeOptions& options, Model* out, QuantizeReport* report) {
  Denylist denylist;
  QLITE_RETURN_IF_ERROR(Denylist::Build(options, &denylist));
  *out = in;
  for (size_t n = 0; n < out->operators.size(); ++n) {
    OperatorDef& op = out->operators[n];
    const std::string denied = denylist.Reason(in, op);
    const SequenceWeights* sequence = denied.empty() ? SequenceWeightsFor(op.op) : nullptr;
    if (sequence != nullptr) {
      const std::string why = WhyNoSequenceWeights(in, op, *sequence);
      if (!why.empty()) {
        RecordOutcome(source_node, n, op.op, OpOutcome::Kind::kFloat, why, report);
        continue;
      }
      QLITE_RETURN_IF_ERROR(RewriteSequenceWeights(in, *sequence, &op, out)
                                .WithContext(StrCat(NodeLabel(source_node, n, op.op), ": ")));
      RecordOutcome(source_node, n, op.op, OpOutcome::Kind::kQuantized,
                    "hybrid, int8 weights per tensor", report);
      report->summary +=
          StrCat(NodeLabel(source_node, n, op.op), ": hybrid, int8 weights per tensor\n");
      continue;
    }
    const std::string why = denied.empty() ? WhyNoDynamicWeights(in, op) : denied;
    if (!why.empty()) {
      RecordOutcome(source_node, n, op.op, OpOutcome::Kind::kFloat, why, report);
      if (!denied.empty()) ++report->denylisted_ops;
      continue;
    }
    const int w = op.inputs[1];
    const TensorDef& def = in.tensors[w];
    const QuantRule rule = QuantRuleFor(op);
    std::vector<int8_t> q;
    Quantization quant;
    QLITE_RETURN_IF_ERROR(
        QuantizeWeights(FloatData(in, w), def.shape, rule.weights_channel_dim, options.per_channel,
                        &q, &quant)
            .WithContext(StrCat(NodeLabel(source_node, n, op.op), " weights '", def.name, "': ")));
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
    const char* form = options.per_channel ? "per channel" : "per tensor";
    RecordOutcome(source_node, n, op.op, OpOutcome::Kind::kQuantized,
                  StrCat("hybrid, int8 weights ", form), report);
    report->summary += StrCat(NodeLabel(source_node, n, op.op), ": hybrid, int8 weights ", form,
                              " x", channels, "\n");
  }
  Compact(out);
  return Status::Ok();
}

}  // namespace qlite
