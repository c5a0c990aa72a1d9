#include "core/describe.h"

#include <algorithm>
#include <string>

#include "core/status.h"
#include "core/tensor.h"

namespace qlite {

std::string DescribeQuantization(const Quantization& q) {
  if (q.scale.empty()) return "-";
  if (q.scale.size() == 1) {
    return StrCat("scale=", q.scale[0], " zp=", (q.zero_point.empty() ? 0 : q.zero_point[0]));
  }
  const auto [lo, hi] = std::minmax_element(q.scale.begin(), q.scale.end());
  return StrCat("per-channel(dim ", q.quantized_dimension, ") x", q.scale.size(), " scale=[", *lo,
                "..", *hi, "]");
}

std::string DescribeSubgraph(const Model& model, int index) {
  const bool main = index == 0;
  const Subgraph* sub = main ? nullptr : &model.subgraphs.at(static_cast<size_t>(index - 1));
  const auto list = [](const std::vector<int32_t>& ids) {
    std::string s = "[";
    for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
    return s + "]";
  };
  return StrCat("subgraph ", index, " '", main ? model.subgraph_name : sub->name,
                "': ", main ? model.tensors.size() : sub->tensors.size(), " tensors, ",
                main ? model.operators.size() : sub->operators.size(), " operators, inputs ",
                list(main ? model.inputs : sub->inputs), " outputs ",
                list(main ? model.outputs : sub->outputs));
}

}  // namespace qlite
