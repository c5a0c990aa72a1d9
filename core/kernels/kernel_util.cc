#include "core/kernels/kernel_util.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/quant_math.h"

namespace qlite {

Status CheckArity(const OpContext& ctx, int min_inputs, int max_inputs, int outputs) {
  const int n = ctx.num_inputs();
  if (min_inputs == max_inputs) {
    QLITE_ENSURE(n == min_inputs, "expects ", min_inputs, " inputs, got ", n);
  } else {
    QLITE_ENSURE(n >= min_inputs && n <= max_inputs, "expects ", min_inputs, " to ", max_inputs,
                 " inputs, got ", n);
  }
  QLITE_ENSURE(ctx.num_outputs() == outputs, "expects ", outputs, " outputs, got ",
               ctx.num_outputs());
  for (int i = 0; i < outputs; ++i) {
    QLITE_ENSURE(ctx.output(i) != nullptr, "output ", i, " is missing");
  }
  return Status::Ok();
}

Status RequireInput(const OpContext& ctx, int i, const Tensor** tensor) {
  *tensor = ctx.input(i);
  QLITE_ENSURE(*tensor != nullptr, "input ", i, " is required but missing");
  return Status::Ok();
}

Status CheckType(const Tensor& t, std::initializer_list<DType> types, const char* role) {
  for (DType type : types) {
    if (t.type == type) return Status::Ok();
  }
  std::string expected;
  for (DType type : types) {
    if (!expected.empty()) expected += " or ";
    expected += DTypeName(type);
  }
  return Status::Error(StrCat(role, " tensor '", t.name(), "' has dtype ", DTypeName(t.type),
                              ", expected ", expected));
}

Status CheckRank(const Tensor& t, int rank, const char* role) {
  QLITE_ENSURE(t.rank() == rank, role, " tensor '", t.name(), "' must have rank ", rank,
               ", has shape ", ShapeToString(t.shape));
  return Status::Ok();
}

Status CheckConstant(const Tensor& t, const char* role) {
  QLITE_ENSURE(t.is_constant(), role, " tensor '", t.name(),
               "' must be constant (non-constant weights are not supported)");
  return Status::Ok();
}

bool ValuesKnownAtPrepare(const Tensor& t) {
  // An empty tensor has no buffer, so it never counts as constant: its
  // (absent) values are known all the same.
  return t.is_constant() || t.num_elements() == 0;
}

Status ReadConstantInt32s(const Tensor& t, const char* role, std::vector<int32_t>* values) {
  QLITE_RETURN_IF_ERROR(CheckType(t, {DType::kInt32, DType::kInt64}, role));
  QLITE_ENSURE(ValuesKnownAtPrepare(t), role, " tensor '", t.name(),
               "' must be constant (qlite fixes this op's shapes at prepare time)");
  return ReadInt32s(t, role, values);
}

Status ReadInt32s(const Tensor& t, const char* role, std::vector<int32_t>* values) {
  QLITE_RETURN_IF_ERROR(CheckType(t, {DType::kInt32, DType::kInt64}, role));
  values->clear();
  if (t.num_elements() == 0) return Status::Ok();
  const int64_t count = t.num_elements();
  QLITE_ENSURE(count >= 0 && static_cast<uint64_t>(count) * DTypeSize(t.type) <= t.bytes, role,
               " tensor '", t.name(), "' holds fewer values than its shape ",
               ShapeToString(t.shape), " says");
  values->resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    // memcpy: a constant buffer need not be aligned for its dtype.
    if (t.type == DType::kInt32) {
      std::memcpy(&(*values)[i], t.data + i * sizeof(int32_t), sizeof(int32_t));
    } else {
      int64_t v = 0;
      std::memcpy(&v, t.data + i * sizeof(int64_t), sizeof(int64_t));
      QLITE_ENSURE(v >= INT32_MIN && v <= INT32_MAX, role, " tensor '", t.name(), "' value ", v,
                   " does not fit in int32");
      (*values)[i] = static_cast<int32_t>(v);
    }
  }
  return Status::Ok();
}

Status CheckSameQuantization(const Tensor& input, const Tensor& output) {
  if (!input.has_quant() || !output.has_quant()) return Status::Ok();
  QLITE_ENSURE(input.scale() == output.scale() && input.zero_point() == output.zero_point(),
               "input '", input.name(), "' (scale ", input.scale(), ", zero point ",
               input.zero_point(), ") and output '", output.name(), "' (scale ", output.scale(),
               ", zero point ", output.zero_point(),
               ") must share quantization parameters: values are copied, not requantized");
  return Status::Ok();
}

Status CheckCopiedInput(const OpContext& ctx, const Tensor& input,
                        std::initializer_list<DType> types) {
  if (types.size() > 0) QLITE_RETURN_IF_ERROR(CheckType(input, types, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input.type}, "output"));
  return CheckSameQuantization(input, *ctx.output(0));
}

Status ZeroPointBytes(const Tensor& output, uint8_t* bytes) {
  const int32_t zero_point = output.has_quant() ? output.zero_point() : 0;
  int32_t qmin = 0, qmax = 0;
  QuantizedTypeRange(output.type, &qmin, &qmax);
  QLITE_ENSURE(zero_point >= qmin && zero_point <= qmax, "output tensor '", output.name(),
               "' has zero point ", zero_point, " outside the ", DTypeName(output.type), " range");
  const uint32_t bits = static_cast<uint32_t>(zero_point);
  for (size_t b = 0; b < DTypeSize(output.type); ++b) bytes[b] = (bits >> (8 * b)) & 0xFF;
  return Status::Ok();
}

namespace {
Status OutputSize(Padding padding, int in, int filter, int stride, int dilation, int* out) {
  const int64_t effective_filter = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  int64_t size = 0;
  if (padding == Padding::kSame) {
    size = (static_cast<int64_t>(in) + stride - 1) / stride;
  } else {
    size = (static_cast<int64_t>(in) + stride - effective_filter) / stride;
  }
  QLITE_ENSURE(size > 0, "window of ", effective_filter, " (filter ", filter, ", dilation ",
               dilation, ") does not fit an input of ", in, " with VALID padding");
  *out = static_cast<int>(size);
  return Status::Ok();
}

void PaddingBefore(int stride, int dilation, int in, int filter, int out, int* before,
                   int* offset) {
  const int64_t effective_filter = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  int64_t total = (static_cast<int64_t>(out) - 1) * stride + effective_filter - in;
  if (total < 0) total = 0;
  *offset = static_cast<int>(total % 2);
  *before = static_cast<int>(total / 2);
}
}  // namespace

Status ComputeWindowGeometry(Padding padding, int in_height, int in_width, int filter_height,
                             int filter_width, int stride_height, int stride_width,
                             int dilation_height, int dilation_width, WindowGeometry* g) {
  constexpr int kMax = 1 << 16;  // far above any real image or filter
  QLITE_ENSURE(padding == Padding::kSame || padding == Padding::kValid, "unknown padding ",
               static_cast<int>(padding));
  QLITE_ENSURE(
      stride_height >= 1 && stride_width >= 1 && stride_height <= kMax && stride_width <= kMax,
      "strides must be >= 1, got ", stride_height, "x", stride_width);
  QLITE_ENSURE(dilation_height >= 1 && dilation_width >= 1 && dilation_height <= kMax &&
                   dilation_width <= kMax,
               "dilations must be >= 1, got ", dilation_height, "x", dilation_width);
  QLITE_ENSURE(
      filter_height >= 1 && filter_width >= 1 && filter_height <= kMax && filter_width <= kMax,
      "filter size must be >= 1, got ", filter_height, "x", filter_width);
  QLITE_ENSURE(in_height >= 1 && in_width >= 1, "input spatial size must be >= 1, got ", in_height,
               "x", in_width);
  QLITE_RETURN_IF_ERROR(OutputSize(padding, in_height, filter_height, stride_height,
                                   dilation_height, &g->out_height));
  QLITE_RETURN_IF_ERROR(
      OutputSize(padding, in_width, filter_width, stride_width, dilation_width, &g->out_width));
  PaddingBefore(stride_height, dilation_height, in_height, filter_height, g->out_height,
                &g->pad_height, &g->pad_height_offset);
  PaddingBefore(stride_width, dilation_width, in_width, filter_width, g->out_width, &g->pad_width,
                &g->pad_width_offset);
  return Status::Ok();
}

void LookupTable8(const uint8_t table[256], int64_t size, const uint8_t* in, uint8_t* out) {
  for (int64_t i = 0; i < size; ++i) out[i] = table[in[i]];
}

}  // namespace qlite
