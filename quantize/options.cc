// The converter-style options of QuantizeOptions: parsing them as the CLI and
// the npm package spell them, and the denylists the rewrites consult.
#include <algorithm>
#include <tuple>
#include <utility>

#include "quantize/graph_edit.h"

namespace qlite {

namespace {

// TFLite's builtin op names are the schema's enum names ("CONV_2D").
bool IsBuiltinOpName(const std::string& name) {
  for (int code = 0; code < 256; ++code) {
    if (BuiltinOpName(static_cast<BuiltinOp>(code)) == name) return true;
  }
  return false;
}

Status SetIoByName(const std::string& value, std::map<std::string, IoType>* io_by_name) {
  const size_t equals = value.rfind('=');
  QLITE_ENSURE(equals != std::string::npos && equals > 0, "expected NAME=TYPE, got '", value, "'");
  IoType io;
  const std::string type = value.substr(equals + 1);
  QLITE_ENSURE(ParseIoType(type, &io), "'", value, "': unknown type '", type,
               "' (float32, int8, uint8, int16)");
  (*io_by_name)[value.substr(0, equals)] = io;
  return Status::Ok();
}

}  // namespace

Status SetQuantizeOption(const std::string& key, const std::string& value,
                         QuantizeOptions* options) {
  if (key == "per-tensor") {
    options->per_channel = false;
  } else if (key == "bias-int32") {
    options->bias_16x8 = DType::kInt32;
  } else if (key == "denylist-ops") {
    size_t start = 0;
    while (start <= value.size()) {
      const size_t comma = std::min(value.find(',', start), value.size());
      const std::string op = value.substr(start, comma - start);
      QLITE_ENSURE(IsBuiltinOpName(op), "'", op,
                   "' is not a TFLite builtin op name (e.g. CONV_2D)");
      options->denylist_ops.push_back(op);
      start = comma + 1;
    }
  } else if (key == "denylist-nodes") {
    NamePattern check;
    QLITE_RETURN_IF_ERROR(NamePattern::Compile(value, &check));
    options->denylist_nodes.push_back(value);
  } else if (key == "input-type") {
    return SetIoByName(value, &options->input_io);
  } else if (key == "output-type") {
    return SetIoByName(value, &options->output_io);
  } else {
    return Status::Error(StrCat("unknown quantizer option '", key, "'"));
  }
  return Status::Ok();
}

IoType IoTypeOf(const Model& model, const QuantizeOptions& options, int t, bool input) {
  const std::map<std::string, IoType>& by_name = input ? options.input_io : options.output_io;
  const auto it = by_name.find(model.tensors[t].name);
  return it != by_name.end() ? it->second : options.io;
}

Status CheckIoTypes(const Model& model, const QuantizeOptions& options) {
  const bool int16 = options.mode == QuantMode::kInt16x8;
  for (const auto& [by_name, list, what] :
       {std::make_tuple(&options.input_io, &model.inputs, "input"),
        std::make_tuple(&options.output_io, &model.outputs, "output")}) {
    for (const auto& entry : *by_name) {
      const bool found = std::any_of(list->begin(), list->end(), [&](int32_t t) {
        return model.tensors[t].name == entry.first;
      });
      QLITE_ENSURE(found, "--", what, "-type: the model has no ", what, " named '", entry.first,
                   "'");
    }
    for (int32_t t : *list) {
      const IoType io = IoTypeOf(model, options, t, list == &model.inputs);
      const std::string& name = model.tensors[t].name;
      QLITE_ENSURE(!(int16 && (io == IoType::kInt8 || io == IoType::kUInt8)),
                   "int16x8 models take float32 or int16 I/O, not ",
                   io == IoType::kInt8 ? "int8" : "uint8", " (", what, " '", name, "')");
      QLITE_ENSURE(int16 || io != IoType::kInt16, "int16 I/O needs --mode int16x8 (", what, " '",
                   name, "')");
      QLITE_ENSURE(options.mode != QuantMode::kInt8Fallback || io == IoType::kFloat32,
                   "int8-fallback models keep float I/O (", what, " '", name,
                   "'; use --mode int8 for integer I/O)");
    }
  }
  return Status::Ok();
}

// The converter-style options each mode takes.
Status CheckModeOptions(const QuantizeOptions& options) {
  const char* mode = QuantModeName(options.mode);
  const bool integer = options.mode == QuantMode::kInt8 ||
                       options.mode == QuantMode::kInt8Fallback ||
                       options.mode == QuantMode::kInt16x8;
  QLITE_ENSURE(
      options.mode != QuantMode::kFloat16 ||
          (options.per_channel && options.denylist_ops.empty() && options.denylist_nodes.empty()),
      "per-tensor weights and denylists apply to the integer and dynamic modes, not ", mode);
  QLITE_ENSURE(options.bias_16x8 == DType::kInt64 || options.mode == QuantMode::kInt16x8,
               "an int32 bias applies to --mode int16x8 only (", mode,
               " has int32 or float biases already)");
  QLITE_ENSURE(options.bias_16x8 == DType::kInt64 || options.bias_16x8 == DType::kInt32,
               "the int16x8 bias is int64 or int32, not ", DTypeName(options.bias_16x8));
  QLITE_ENSURE(integer || (options.input_io.empty() && options.output_io.empty()),
               "input / output types apply to the integer modes only; ", mode,
               " models keep float I/O");
  return Status::Ok();
}

Status Denylist::Build(const QuantizeOptions& options, Denylist* out) {
  out->ops_ = options.denylist_ops;
  out->node_patterns_.clear();
  for (const std::string& text : options.denylist_nodes) {
    NamePattern pattern;
    QLITE_RETURN_IF_ERROR(NamePattern::Compile(text, &pattern));
    out->node_patterns_.emplace_back(text, std::move(pattern));
  }
  return Status::Ok();
}

std::string Denylist::Reason(const Model& model, const OperatorDef& op) const {
  const std::string type = BuiltinOpName(op.op);
  for (const std::string& denied : ops_) {
    if (denied == type) return StrCat("denylisted: op type ", type);
  }
  if (op.outputs.empty() || op.outputs[0] < 0 ||
      static_cast<size_t>(op.outputs[0]) >= model.tensors.size()) {
    return "";
  }
  const std::string& name = model.tensors[op.outputs[0]].name;
  for (const auto& [text, pattern] : node_patterns_) {
    if (name == text || pattern.Matches(name)) {
      return StrCat("denylisted: node '", name, "'",
                    name == text ? "" : StrCat(" matches '", text, "'"));
    }
  }
  return "";
}

}  // namespace qlite
