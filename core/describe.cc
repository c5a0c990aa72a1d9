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

}  // namespace qlite
