// QuantizeModel: the graph rewrite shared by every mode. float16 and dynamic
// are in weight_only.cc; the integer modes are here: each op is quantized
// when the rule table (op_rules.h) allows it; every activation tensor lives in
// one "home" representation (quantized if its producer is quantized) and
// QUANTIZE / DEQUANTIZE ops convert it for consumers and model I/O that need
// the other one.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <tuple>
#include <variant>

#include "core/interpreter.h"
#include "core/op_table.h"
#include "core/tensor.h"
#include "quantize/graph_edit.h"
#include "quantize/op_rules.h"
#include "quantize/quantizer.h"
#include "quantize/weights.h"

namespace qlite {

namespace {

// TFLite's QUANTIZE versions: 2 when the output is int16, else 1 (per-tensor).
int QuantizeVersion(DType output) { return output == DType::kInt16 ? 2 : 1; }

// TFLite's DEQUANTIZE versions: int16 input 3, int8 input 2 (per-tensor).
int DequantizeVersion(DType input) { return input == DType::kInt16 ? 3 : 2; }

class IntegerRewriter {
 public:
  IntegerRewriter(const Model& in, const std::vector<int>& source_node, const RangeMap& ranges,
                  const QuantizeOptions& options)
      : in_(in),
        source_node_(source_node),
        ranges_(ranges),
        options_(options),
        int16_(options.mode == QuantMode::kInt16x8),
        qtype_(int16_ ? DType::kInt16 : DType::kInt8) {}

  Status Run(Model* out, QuantizeReport* report);

 private:
  // Why op `n` cannot be quantized, or "" if it can.
  std::string WhyNotQuantizable(int n);
  // Parameters of activation tensor t's quantized form.
  Status ParamsOf(int t, Quantization* q);
  Quantization ParamsFromRange(int t, bool* ok);
  // The id of t (an original activation) as the consumer needs it.
  Status AsQuantized(int t, const Quantization* required, int* id);
  int AsFloat(int t);
  Status RewriteOp(int n);
  // Names each SVDF / RNN / LSTM node the full-integer modes leave float.
  Status RefuseStatefulSequenceOps() const;
  Status QuantizeConstantInput(int n, int input, const Quantization* like, int* id);

  const Model& in_;
  const std::vector<int>& source_node_;
  const RangeMap& ranges_;
  const QuantizeOptions& options_;
  const bool int16_;
  const DType qtype_;

  Denylist denylist_;
  Model out_;
  std::vector<bool> quantized_op_;
  std::vector<std::string> why_float_;  // per op: why it stays float, "" if quantized
  std::vector<int> producer_;           // original tensor -> producing op, -1
  std::vector<bool> home_quantized_;    // original tensor stored quantized in out_
  std::map<int, Quantization> params_;
  std::map<int, int> float_copy_;                      // DEQUANTIZE outputs
  std::map<std::pair<int, std::string>, int> q_copy_;  // QUANTIZE outputs by params
  std::vector<OperatorDef> ops_;
  QuantizeReport* report_ = nullptr;
};

Quantization IntegerRewriter::ParamsFromRange(int t, bool* ok) {
  auto it = ranges_.find(t);
  *ok = it != ranges_.end() && std::isfinite(it->second.min) && std::isfinite(it->second.max);
  if (!*ok) return {};
  return int16_ ? SymmetricInt16Params(it->second) : AsymmetricInt8Params(it->second);
}

Status IntegerRewriter::ParamsOf(int t, Quantization* q) {
  auto cached = params_.find(t);
  if (cached != params_.end()) {
    *q = cached->second;
    return Status::Ok();
  }
  const int n = producer_[t];
  Quantization result;
  if (n >= 0 && quantized_op_[n]) {
    const OperatorDef& op = in_.operators[n];
    const QuantRule rule = QuantRuleFor(op);
    if (rule.output == QuantRule::Output::kSameAsInput) {
      QLITE_RETURN_IF_ERROR(ParamsOf(op.inputs[0], &result));
    } else if (rule.output == QuantRule::Output::kFixed) {
      float scale;
      int64_t zp;
      FixedOutputParams(op.op, int16_, &scale, &zp);
      result.scale = {scale};
      result.zero_point = {zp};
    }
  }
  if (result.empty()) {
    bool ok = false;
    result = ParamsFromRange(t, &ok);
    QLITE_ENSURE(ok, "tensor ", t, " ('", in_.tensors[t].name, "') has no calibration range");
  }
  params_[t] = result;
  *q = result;
  return Status::Ok();
}

Status IntegerRewriter::RefuseStatefulSequenceOps() const {
  std::string refused;
  for (size_t n = 0; n < in_.operators.size(); ++n) {
    const OperatorDef& op = in_.operators[n];
    if (!IsStatefulSequenceOp(op.op) || quantized_op_[n] || !denylist_.Reason(in_, op).empty()) {
      continue;
    }
    // A node is named by its first output, as converters name them.
    const int out = op.outputs.empty() ? -1 : op.outputs[0];
    const int id = n < source_node_.size() ? source_node_[n] : static_cast<int>(n);
    const std::string name =
        out >= 0 && !in_.tensors[out].name.empty() ? in_.tensors[out].name : StrCat("node ", id);
    refused += StrCat(refused.empty() ? "" : "\n", BuiltinOpName(op.op), " '", name,
                      "': full-integer quantization not supported; use --mode dynamic or "
                      "--allow-float");
  }
  return refused.empty() ? Status::Ok() : Status::Error(refused);
}

std::string IntegerRewriter::WhyNotQuantizable(int n) {
  const OperatorDef& op = in_.operators[n];
  const QuantRule rule = QuantRuleFor(op);
  if (IsStatefulSequenceOp(op.op)) return "full-integer quantization not supported";
  if (!(int16_ ? rule.int16 : rule.int8)) {
    return StrCat("no ", int16_ ? "int16x8" : "int8", " kernel for this op in qlite");
  }
  if (FindKernel(op, KernelSet::kReference) == nullptr) return "no qlite kernel";
  if (op.inputs.empty() || op.inputs[0] < 0 || op.outputs.empty() || op.outputs[0] < 0) {
    return "needs input 0 and output 0";
  }
  if (rule.output == QuantRule::Output::kSameAsInput && in_.is_constant(op.inputs[0])) {
    return "its output would share the parameters of a constant input";
  }
  const Activation act = FusedActivation(op);
  if (act != Activation::kNone && act != Activation::kRelu && act != Activation::kRelu6 &&
      act != Activation::kReluN1To1) {
    return StrCat("fused activation ", ActivationName(act), " has no integer form");
  }
  const int activations =
      rule.activation_inputs < 0 ? static_cast<int>(op.inputs.size()) : rule.activation_inputs;
  for (int i = 0; i < static_cast<int>(op.inputs.size()); ++i) {
    const int t = op.inputs[i];
    if (t < 0) continue;
    const TensorDef& def = in_.tensors[t];
    const bool role_weight = i == rule.weights_input || i == rule.bias_input;
    if (role_weight) {
      if (!IsFloatConstant(in_, t)) {
        const bool quantized = in_.is_constant(t) && !def.quant.empty();
        return StrCat(i == rule.weights_input ? "weights" : "bias", " tensor '", def.name,
                      "' is not a float32 constant",
                      quantized ? StrCat(" (", DTypeName(def.type),
                                         " already: a dynamic-range op; quantize the float model)")
                                : "");
      }
      continue;
    }
    if (i >= activations &&
        !(rule.output == QuantRule::Output::kSameAsInput && def.type == DType::kFloat32)) {
      continue;  // shapes, paddings: kept as they are
    }
    if (def.type != DType::kFloat32) {
      return StrCat("input ", i, " ('", def.name, "') is ", DTypeName(def.type), ", not float32");
    }
    if (!in_.is_constant(t) && !ranges_.count(t) && producer_[t] < 0) {
      return StrCat("input ", i, " ('", def.name, "') has no calibration range");
    }
  }
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    const int32_t t = op.outputs[i];
    if (t < 0 || (i > 0 && rule.keeps_integer_outputs && in_.tensors[t].type != DType::kFloat32)) {
      continue;
    }
    if (in_.tensors[t].type != DType::kFloat32) {
      return StrCat("output '", in_.tensors[t].name, "' is ", DTypeName(in_.tensors[t].type));
    }
    if (rule.output == QuantRule::Output::kOwnRange && !ranges_.count(t)) {
      return StrCat("output '", in_.tensors[t].name, "' has no calibration range");
    }
  }
  return "";
}

Status IntegerRewriter::AsQuantized(int t, const Quantization* required, int* id) {
  Quantization params;
  if (required != nullptr) {
    params = *required;
  } else {
    QLITE_RETURN_IF_ERROR(ParamsOf(t, &params));
  }
  if (home_quantized_[t]) {
    const Quantization& have = out_.tensors[t].quant;
    if (have.scale == params.scale && have.zero_point == params.zero_point) {
      *id = t;
      return Status::Ok();
    }
  }
  const std::string key = StrCat(params.scale[0], "/", params.zero_point[0]);
  auto it = q_copy_.find({t, key});
  if (it != q_copy_.end()) {
    *id = it->second;
    return Status::Ok();
  }
  // QUANTIZE from the float home, or requantize from the quantized home.
  const int from = t;
  const int to = AddActivation(
      &out_, in_.tensors[t],
      in_.tensors[t].name + (home_quantized_[t] ? "/requantize" : "/quantize"), qtype_, params);
  ops_.push_back(ConversionOp(BuiltinOp::kQuantize, from, to, QuantizeVersion(qtype_)));
  q_copy_[{t, key}] = to;
  *id = to;
  return Status::Ok();
}

int IntegerRewriter::AsFloat(int t) {
  if (!home_quantized_[t]) return t;
  auto it = float_copy_.find(t);
  if (it != float_copy_.end()) return it->second;
  const int to = AddActivation(&out_, in_.tensors[t], in_.tensors[t].name + "/dequantize",
                               DType::kFloat32, {});
  ops_.push_back(ConversionOp(BuiltinOp::kDequantize, t, to, DequantizeVersion(qtype_)));
  float_copy_[t] = to;
  return to;
}

Status IntegerRewriter::QuantizeConstantInput(int n, int input, const Quantization* like, int* id) {
  const int t = in_.operators[n].inputs[input];
  const TensorDef& def = in_.tensors[t];
  const size_t count = in_.constant_data(t).size / sizeof(float);
  const float* values = FloatData(in_, t);
  std::vector<uint8_t> bytes;
  Quantization quant;
  if (like == nullptr) {
    QuantizeConstantPerTensor(values, count, qtype_, &bytes, &quant);
  } else {  // same parameters as the op's input 0 (PADV2's padding value)
    quant = *like;
    const float qmin = int16_ ? -32768.0f : -128.0f, qmax = int16_ ? 32767.0f : 127.0f;
    std::vector<float> q(count);
    for (size_t i = 0; i < count; ++i) {
      const float v =
          std::round(values[i] / quant.scale[0]) + static_cast<float>(quant.zero_point[0]);
      q[i] = std::min(qmax, std::max(qmin, std::isfinite(v) ? v : 0.0f));
    }
    const size_t size = int16_ ? 2 : 1;
    bytes.resize(count * size);
    for (size_t i = 0; i < count; ++i) {
      if (int16_) {
        const int16_t v = static_cast<int16_t>(q[i]);
        std::memcpy(bytes.data() + 2 * i, &v, 2);
      } else {
        bytes[i] = static_cast<uint8_t>(static_cast<int8_t>(q[i]));
      }
    }
  }
  *id =
      AddConstant(&out_, def, def.name + "/quantized", qtype_, std::move(bytes), std::move(quant));
  return Status::Ok();
}

Status IntegerRewriter::RewriteOp(int n) {
  const OperatorDef& src = in_.operators[n];
  OperatorDef op = src;
  if (!quantized_op_[n]) {
    for (int32_t& t : op.inputs) {
      if (t >= 0 && !in_.is_constant(t)) t = AsFloat(t);
    }
    ops_.push_back(std::move(op));
    return Status::Ok();
  }
  const QuantRule rule = QuantRuleFor(src);
  const std::string where = NodeLabel(source_node_, n, src.op) + ": ";
  Quantization out_params;
  QLITE_RETURN_IF_ERROR(ParamsOf(src.outputs[0], &out_params).WithContext(where));
  const int activations =
      rule.activation_inputs < 0 ? static_cast<int>(src.inputs.size()) : rule.activation_inputs;

  std::vector<float> weight_scales;
  std::string detail;
  for (int i = 0; i < static_cast<int>(src.inputs.size()); ++i) {
    const int t = src.inputs[i];
    if (t < 0 || i == rule.bias_input) continue;
    const TensorDef& def = in_.tensors[t];
    if (i == rule.weights_input) {
      std::vector<int8_t> q;
      Quantization quant;
      QLITE_RETURN_IF_ERROR(QuantizeWeights(FloatData(in_, t), def.shape, rule.weights_channel_dim,
                                            options_.per_channel, &q, &quant)
                                .WithContext(StrCat(where, "weights '", def.name, "': ")));
      weight_scales = quant.scale;
      detail += StrCat(" weights int8 ", options_.per_channel ? "per-channel" : "per-tensor", " x",
                       quant.scale.size(), ";");
      std::vector<uint8_t> bytes(q.size());
      std::memcpy(bytes.data(), q.data(), q.size());
      op.inputs[i] =
          AddConstant(&out_, def, def.name, DType::kInt8, std::move(bytes), std::move(quant));
      continue;
    }
    const bool shares_input_params = rule.output == QuantRule::Output::kSameAsInput && i > 0;
    if (def.type != DType::kFloat32 || (i >= activations && !shares_input_params)) continue;
    const Quantization* required = rule.inputs_share_output_params ? &out_params : nullptr;
    Quantization input0;
    if (shares_input_params) {
      QLITE_RETURN_IF_ERROR(ParamsOf(src.inputs[0], &input0).WithContext(where));
      required = &input0;
    }
    if (in_.is_constant(t)) {
      QLITE_RETURN_IF_ERROR(QuantizeConstantInput(n, i, required, &op.inputs[i]));
    } else {
      QLITE_RETURN_IF_ERROR(AsQuantized(t, required, &op.inputs[i]).WithContext(where));
    }
  }
  if (rule.bias_input >= 0 && rule.bias_input < static_cast<int>(src.inputs.size()) &&
      src.inputs[rule.bias_input] >= 0) {
    const int t = src.inputs[rule.bias_input];
    const TensorDef& def = in_.tensors[t];
    const float input_scale = out_.tensors[op.inputs[0]].quant.scale[0];
    // int16x8: TFLite's CONV_2D takes an int32 or int64 bias, the other
    // weighted ops int64 only.
    const DType bias_type = !int16_                        ? DType::kInt32
                            : src.op == BuiltinOp::kConv2D ? options_.bias_16x8
                                                           : DType::kInt64;
    std::vector<uint8_t> bytes;
    Quantization quant;
    QLITE_RETURN_IF_ERROR(QuantizeBias(FloatData(in_, t), in_.constant_data(t).size / sizeof(float),
                                       input_scale, weight_scales, bias_type, &bytes, &quant)
                              .WithContext(StrCat(where, "bias '", def.name, "': ")));
    detail += StrCat(" bias ", DTypeName(bias_type), ";");
    op.inputs[rule.bias_input] =
        AddConstant(&out_, def, def.name, bias_type, std::move(bytes), std::move(quant));
  }
  for (int32_t t : src.outputs) {
    if (t < 0 || in_.tensors[t].type != DType::kFloat32) continue;  // kept integer outputs
    Quantization params;
    QLITE_RETURN_IF_ERROR(ParamsOf(t, &params).WithContext(where));
    out_.tensors[t].type = qtype_;
    out_.tensors[t].quant = params;
    home_quantized_[t] = true;
  }
  op.version = std::max(src.version, int16_ ? rule.int16_version : rule.int8_version);
  if (int16_ && src.op == BuiltinOp::kConv2D && options_.bias_16x8 == DType::kInt32) {
    // As the converter marks a 16x8 CONV_2D's int32 bias: the options'
    // quantized_bias_type (TensorType INT32) and CONV_2D version 8.
    if (!op.options.has_value()) op.options = Conv2DOptions{};
    if (auto* conv = std::any_cast<Conv2DOptions>(&op.options)) {
      constexpr uint8_t kTensorTypeInt32 = 2;
      conv->quantized_bias_type = kTensorTypeInt32;
      op.version = std::max(op.version, 8);
    }
  }
  if (int16_ && (src.op == BuiltinOp::kAdd || src.op == BuiltinOp::kSub)) {
    // Calibrated scales are not powers of two: the general int16 path, as the
    // converter writes 16x8 ADD/SUB (options made explicit so the file says so).
    if (!op.options.has_value()) op.options = ElementwiseOptions{};
    if (auto* elementwise = std::any_cast<ElementwiseOptions>(&op.options)) {
      elementwise->pot_scale_int16 = false;
    }
  }
  if (!int16_ && src.op == BuiltinOp::kMul && op.inputs.size() == 2) {
    const auto scale = [this](int t) -> double {
      return t >= 0 && !out_.tensors[t].quant.scale.empty() ? out_.tensors[t].quant.scale[0] : 0.0;
    };
    // TFLite's int8 MUL with input1 * input2 / output scale >= 1 is version 3.
    if (scale(op.inputs[0]) * scale(op.inputs[1]) >= out_params.scale[0]) {
      op.version = std::max(op.version, 3);
    }
  }
  ops_.push_back(std::move(op));
  RecordOutcome(source_node_, n, src.op, OpOutcome::Kind::kQuantized, DTypeName(qtype_), report_);
  report_->summary += StrCat(where, DTypeName(qtype_), ", output scale ", out_params.scale[0],
                             " zp ", out_params.zero_point[0], ";", detail, "\n");
  return Status::Ok();
}

Status IntegerRewriter::Run(Model* out, QuantizeReport* report) {
  report_ = report;
  // int16x8 and int8 promise every op integer; allow_float lets them keep some float.
  const bool allow_fallback = options_.mode == QuantMode::kInt8Fallback || options_.allow_float;
  QLITE_RETURN_IF_ERROR(Denylist::Build(options_, &denylist_));

  const size_t tensor_count = in_.tensors.size();
  producer_.assign(tensor_count, -1);
  for (size_t n = 0; n < in_.operators.size(); ++n) {
    for (int32_t t : in_.operators[n].outputs) {
      QLITE_ENSURE(t >= 0 && static_cast<size_t>(t) < tensor_count, "node ", n,
                   " has an invalid output tensor index ", t);
      producer_[t] = static_cast<int>(n);
    }
    for (int32_t t : in_.operators[n].inputs) {
      QLITE_ENSURE(t >= -1 && static_cast<int64_t>(t) < static_cast<int64_t>(tensor_count), "node ",
                   n, " has an invalid input tensor index ", t);
    }
  }
  for (int32_t t : in_.inputs) {
    QLITE_ENSURE(t >= 0 && static_cast<size_t>(t) < tensor_count, "invalid model input ", t);
    QLITE_ENSURE(in_.tensors[t].type == DType::kFloat32, "model input '", in_.tensors[t].name,
                 "' is ", DTypeName(in_.tensors[t].type), "; the quantizer takes float32 models");
  }
  for (int32_t t : in_.outputs) {
    QLITE_ENSURE(t >= 0 && static_cast<size_t>(t) < tensor_count, "invalid model output ", t);
  }
  QLITE_RETURN_IF_ERROR(CheckIoTypes(in_, options_));

  // 1. Which ops are quantized.
  quantized_op_.assign(in_.operators.size(), false);
  why_float_.assign(in_.operators.size(), "");
  for (size_t n = 0; n < in_.operators.size(); ++n) {
    why_float_[n] = denylist_.Reason(in_, in_.operators[n]);
    if (!why_float_[n].empty()) {
      ++report->denylisted_ops;  // asked for: not a failure of the full-integer modes
      continue;
    }
    why_float_[n] = WhyNotQuantizable(static_cast<int>(n));
    if (why_float_[n].empty()) {
      quantized_op_[n] = true;
    } else {
      report->unquantizable.push_back(StrCat(
          NodeLabel(source_node_, static_cast<int>(n), in_.operators[n].op), ": ", why_float_[n]));
    }
  }
  if (!allow_fallback) QLITE_RETURN_IF_ERROR(RefuseStatefulSequenceOps());
  if (!allow_fallback && !report->unquantizable.empty()) {
    std::string list;
    for (const std::string& line : report->unquantizable) list += "\n  " + line;
    return Status::Error(StrCat("full-integer ", QuantModeName(options_.mode), " quantization ",
                                "cannot cover ", report->unquantizable.size(), " op(s):", list,
                                "\n(",
                                options_.mode == QuantMode::kInt8 ? "--mode int8-fallback or " : "",
                                "--allow-float / allowFloat: true keeps them in float)"));
  }

  // 2. Model inputs: quantized home when the I/O type is the integer type.
  out_ = in_;
  out_.operators.clear();
  home_quantized_.assign(tensor_count, false);
  std::vector<int32_t> new_inputs;
  for (int32_t t : in_.inputs) {
    const IoType io = IoTypeOf(in_, options_, t, /*input=*/true);
    if (io == IoType::kFloat32) {
      new_inputs.push_back(t);
      continue;
    }
    Quantization params;
    QLITE_RETURN_IF_ERROR(ParamsOf(t, &params).WithContext("model input: "));
    out_.tensors[t].type = qtype_;
    out_.tensors[t].quant = params;
    home_quantized_[t] = true;
    if (io == IoType::kUInt8) {  // uint8 outside, QUANTIZE to int8 inside
      Quantization u8 = params;
      u8.zero_point[0] += 128;
      const int outer =
          AddActivation(&out_, in_.tensors[t], in_.tensors[t].name, DType::kUInt8, u8);
      out_.tensors[t].name += "/int8";
      ops_.push_back(ConversionOp(BuiltinOp::kQuantize, outer, t, QuantizeVersion(DType::kInt8)));
      new_inputs.push_back(outer);
    } else {
      new_inputs.push_back(t);
    }
  }

  // 3. Every op in order, conversions in front of the consumer that needs them.
  for (size_t n = 0; n < in_.operators.size(); ++n) {
    QLITE_RETURN_IF_ERROR(RewriteOp(static_cast<int>(n)));
    if (!quantized_op_[n]) {
      RecordOutcome(source_node_, static_cast<int>(n), in_.operators[n].op, OpOutcome::Kind::kFloat,
                    why_float_[n], report);
    }
  }

  // 4. Model outputs in the requested I/O type.
  std::vector<int32_t> new_outputs;
  for (int32_t t : in_.outputs) {
    const std::string name = in_.tensors[t].name;
    if (in_.tensors[t].type != DType::kFloat32) {  // TOPK_V2's indices: kept as they are
      new_outputs.push_back(t);
      continue;
    }
    const IoType io = IoTypeOf(in_, options_, t, /*input=*/false);
    if (io == IoType::kFloat32) {
      if (!home_quantized_[t]) {
        new_outputs.push_back(t);
        continue;
      }
      out_.tensors[t].name += int16_ ? "/int16" : "/int8";
      const int outer = AddActivation(&out_, in_.tensors[t], name, DType::kFloat32, {});
      ops_.push_back(ConversionOp(BuiltinOp::kDequantize, t, outer, DequantizeVersion(qtype_)));
      new_outputs.push_back(outer);
      continue;
    }
    int q = t;
    if (!home_quantized_[t]) QLITE_RETURN_IF_ERROR(AsQuantized(t, nullptr, &q));
    if (io == IoType::kUInt8) {
      Quantization u8 = out_.tensors[q].quant;
      u8.zero_point[0] += 128;
      out_.tensors[q].name += "/int8";
      const int outer = AddActivation(&out_, in_.tensors[t], name, DType::kUInt8, u8);
      ops_.push_back(ConversionOp(BuiltinOp::kQuantize, q, outer, QuantizeVersion(DType::kUInt8)));
      q = outer;
    }
    new_outputs.push_back(q);
  }
  out_.operators = std::move(ops_);
  out_.inputs = std::move(new_inputs);
  out_.outputs = std::move(new_outputs);
  Compact(&out_);
  *out = std::move(out_);
  return Status::Ok();
}

}  // namespace

Status RewriteInteger(const Model& in, const std::vector<int>& source_node, const RangeMap& ranges,
                      const QuantizeOptions& options, Model* out, QuantizeReport* report) {
  IntegerRewriter rewriter(in, source_node, ranges, options);
  return rewriter.Run(out, report);
}

Status QuantizeModel(const Model& float_model, const RangeMap& ranges,
                     const QuantizeOptions& options, Model* quantized, QuantizeReport* report) {
  QuantizeReport local;
  QuantizeReport* r = report != nullptr ? report : &local;
  *r = QuantizeReport();
  QLITE_RETURN_IF_ERROR(CheckModeOptions(options));
  // The rewrites edit the main subgraph only: the values crossing into a
  // WHILE body or an IF branch would change dtype on one side alone.
  QLITE_ENSURE(float_model.subgraphs.empty(), "the model has ", float_model.num_subgraphs(),
               " subgraphs (control flow: CALL, IF, WHILE...); qlite's quantizer handles "
               "single-subgraph models only");
  Model folded;
  std::vector<int> source_node;
  std::vector<bool> folded_tensor;
  QLITE_RETURN_IF_ERROR(
      FoldFloat16Constants(float_model, &folded, &source_node, &folded_tensor, r));
  Model result;
  switch (options.mode) {
    case QuantMode::kFloat16:
      QLITE_RETURN_IF_ERROR(RewriteFloat16(folded, source_node, folded_tensor, &result, r));
      break;
    case QuantMode::kDynamic:
      QLITE_RETURN_IF_ERROR(RewriteDynamic(folded, source_node, options, &result, r));
      break;
    case QuantMode::kInt8Fallback:
    case QuantMode::kInt8:
    case QuantMode::kInt16x8: {
      QLITE_RETURN_IF_ERROR(RewriteInteger(folded, source_node, ranges, options, &result, r));
      break;
    }
  }
  std::sort(r->ops.begin(), r->ops.end(),
            [](const OpOutcome& a, const OpOutcome& b) { return a.node < b.node; });
  QLITE_RETURN_IF_ERROR(CheckCoverage(options, r));
  QLITE_RETURN_IF_ERROR(KeepSignatures(float_model, &result));
  // When qlite runs the float model, a quantized model it cannot prepare is
  // a failed run, not a file to write: e.g. an int16 SOFTMAX whose calibrated
  // input range is too wide for its fixed-point arithmetic. (Float models
  // with ops qlite lacks are still quantized around those ops.)
  std::unique_ptr<Interpreter> check;
  if (Interpreter::Create(float_model, InterpreterOptions{}, &check).ok()) {
    const Status runnable = Interpreter::Create(result, InterpreterOptions{}, &check);
    if (!runnable.ok()) {
      return runnable.WithContext(
          StrCat("the ", QuantModeName(options.mode), " model would not run: "));
    }
  }
  *quantized = std::move(result);
  return Status::Ok();
}

}  // namespace qlite
