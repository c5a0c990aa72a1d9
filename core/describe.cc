#include "core/describe.h"

#include <algorithm>
#include <string>

#include "core/status.h"
#include "core/tensor.h"

namespace qlite {

namespace {
const char* PaddingName(Padding p) { return p == Padding::kSame ? "SAME" : "VALID"; }

struct OptionsPrinter {
  std::string& out;
  void operator()(const std::monostate&) {}
  void operator()(const Conv2DOptions& o) {
    out += StrCat("padding=", PaddingName(o.padding), " stride=", o.stride_h, "x", o.stride_w,
                  " dilation=", o.dilation_h, "x", o.dilation_w,
                  " activation=", ActivationName(o.activation));
  }
  void operator()(const DepthwiseConv2DOptions& o) {
    out += StrCat("padding=", PaddingName(o.padding), " stride=", o.stride_h, "x", o.stride_w,
                  " dilation=", o.dilation_h, "x", o.dilation_w,
                  " depth_multiplier=", o.depth_multiplier,
                  " activation=", ActivationName(o.activation));
  }
  void operator()(const Pool2DOptions& o) {
    out += StrCat("padding=", PaddingName(o.padding), " filter=", o.filter_h, "x", o.filter_w,
                  " stride=", o.stride_h, "x", o.stride_w,
                  " activation=", ActivationName(o.activation));
  }
  void operator()(const FullyConnectedOptions& o) {
    out += StrCat("activation=", ActivationName(o.activation),
                  " keep_num_dims=", (o.keep_num_dims ? "true" : "false"));
    if (o.asymmetric_quantize_inputs) out += " asymmetric_quantize_inputs=true";
    if (o.weights_format != 0) out += StrCat(" weights_format=", int(o.weights_format));
  }
  void operator()(const SoftmaxOptions& o) { out += StrCat("beta=", o.beta); }
  void operator()(const ElementwiseOptions& o) {
    out += StrCat("activation=", ActivationName(o.activation));
  }
  void operator()(const ReshapeOptions& o) {
    if (o.has_new_shape) out += StrCat("new_shape=", ShapeToString(o.new_shape));
  }
  void operator()(const ConcatenationOptions& o) {
    out += StrCat("axis=", o.axis, " activation=", ActivationName(o.activation));
  }
  void operator()(const ReducerOptions& o) {
    out += StrCat("keep_dims=", (o.keep_dims ? "true" : "false"));
  }
  void operator()(const SqueezeOptions& o) {
    out += StrCat("squeeze_dims=", ShapeToString(o.squeeze_dims));
  }
  void operator()(const StridedSliceOptions& o) {
    out += StrCat("begin_mask=", o.begin_mask, " end_mask=", o.end_mask,
                  " ellipsis_mask=", o.ellipsis_mask, " new_axis_mask=", o.new_axis_mask,
                  " shrink_axis_mask=", o.shrink_axis_mask);
    if (o.offset) out += " offset=true";
  }
  void operator()(const TransposeConvOptions& o) {
    out += StrCat("padding=", PaddingName(o.padding), " stride=", o.stride_h, "x", o.stride_w,
                  " activation=", ActivationName(o.activation));
  }
  void operator()(const LeakyReluOptions& o) { out += StrCat("alpha=", o.alpha); }
};
}  // namespace

std::string DescribeOptions(const OpOptions& options) {
  std::string out;
  std::visit(OptionsPrinter{out}, options);
  return out;
}

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
