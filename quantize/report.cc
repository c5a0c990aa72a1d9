// The quantizer's per-op report: recorded by every rewrite, printed by the
// CLI as a table per op type, returned as JSON by the npm package.
#include <algorithm>
#include <map>
#include <tuple>

#include "core/op_table.h"
#include "quantize/graph_edit.h"

namespace qlite {

namespace {

const char* KindName(OpOutcome::Kind kind) {
  switch (kind) {
    case OpOutcome::Kind::kQuantized: return "quantized";
    case OpOutcome::Kind::kFloat: return "float";
    case OpOutcome::Kind::kFolded: return "folded";
  }
  return "invalid";
}

struct Group {
  std::string op;
  OpOutcome::Kind kind;
  std::string result;
  int count;
};

// Ops with the same type, outcome and result, in order of first appearance.
std::vector<Group> GroupOutcomes(const QuantizeReport& report) {
  std::vector<Group> groups;
  std::map<std::tuple<std::string, int, std::string>, size_t> index;
  for (const OpOutcome& o : report.ops) {
    const auto key = std::make_tuple(o.op, static_cast<int>(o.kind), o.result);
    auto it = index.find(key);
    if (it == index.end()) {
      index.emplace(key, groups.size());
      groups.push_back({o.op, o.kind, o.result, 1});
    } else {
      ++groups[it->second].count;
    }
  }
  return groups;
}

}  // namespace

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      // No snprintf here: in the wasm package it would pull printf into qlite.wasm.
      const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[(c >> 4) & 0xf];
      out += hex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string NodeLabel(const std::vector<int>& source_node, int n, BuiltinOp op) {
  const int id = n >= 0 && static_cast<size_t>(n) < source_node.size() ? source_node[n] : n;
  return StrCat("node ", id, " (", BuiltinOpName(op), ")");
}

void RecordOutcome(const std::vector<int>& source_node, int n, BuiltinOp op, OpOutcome::Kind kind,
                   std::string result, QuantizeReport* report) {
  const int id = n >= 0 && static_cast<size_t>(n) < source_node.size() ? source_node[n] : n;
  report->ops.push_back({id, BuiltinOpName(op), kind, std::move(result)});
  if (kind == OpOutcome::Kind::kQuantized) ++report->quantized_ops;
  if (kind == OpOutcome::Kind::kFloat) ++report->float_ops;
}

std::string FormatReportTable(const QuantizeReport& report) {
  std::string table = StrCat("op type                    count  outcome\n");
  for (const Group& g : GroupOutcomes(report)) {
    const std::string count = StrCat(g.count);
    std::string line = g.op;
    line.resize(std::max<size_t>(line.size(), 26), ' ');
    line += std::string(count.size() < 6 ? 6 - count.size() : 1, ' ') + count;
    table += StrCat(line, "  ", KindName(g.kind), ": ", g.result, "\n");
  }
  table += StrCat(report.quantized_ops, " op(s) quantized, ", report.float_ops, " float");
  if (report.folded_float16 > 0) {
    table += StrCat(", ", report.folded_float16, " float16 constant(s) folded");
  }
  return table + "\n";
}

std::string ReportJson(const QuantizeReport& report) {
  std::string json =
      StrCat("{\"quantizedOps\":", report.quantized_ops, ",\"floatOps\":", report.float_ops,
             ",\"foldedFloat16\":", report.folded_float16, ",\"ops\":[");
  const std::vector<Group> groups = GroupOutcomes(report);
  for (size_t i = 0; i < groups.size(); ++i) {
    const Group& g = groups[i];
    json += StrCat(i ? "," : "", "{\"op\":", JsonString(g.op), ",\"count\":", g.count,
                   ",\"status\":\"", KindName(g.kind), "\",\"result\":", JsonString(g.result), "}");
  }
  json += "],\"warnings\":[";
  for (size_t i = 0; i < report.warnings.size(); ++i) {
    json += StrCat(i ? "," : "", JsonString(report.warnings[i]));
  }
  return json + "]}";
}

// A mode that did less than it promises fails naming what stayed float, or
// with allow_float records that as warnings.
Status CheckCoverage(const QuantizeOptions& options, QuantizeReport* report) {
  const bool full_integer = options.mode == QuantMode::kInt8 || options.mode == QuantMode::kInt16x8;
  std::string problem;
  const int unasked_float = report->float_ops - report->denylisted_ops;
  if (report->quantized_ops == 0) {
    problem = StrCat("--mode ", QuantModeName(options.mode), " quantized nothing");
  } else if (full_integer && unasked_float > 0) {
    problem =
        StrCat("--mode ", QuantModeName(options.mode), " left ", unasked_float, " op(s) float");
  }
  if (problem.empty()) return Status::Ok();
  std::string stayed;
  for (const OpOutcome& o : report->ops) {
    if (o.kind == OpOutcome::Kind::kFloat) {
      stayed += StrCat("\n  node ", o.node, " (", o.op, "): ", o.result);
    }
  }
  if (options.allow_float) {
    report->warnings.push_back(StrCat(problem, "; float:", stayed));
    return Status::Ok();
  }
  return Status::Error(StrCat(problem, "; float:", stayed,
                              "\n(--allow-float / allowFloat: true writes the model anyway)"));
}

}  // namespace qlite
