// STRIDED_SLICE with TFLite's semantics (kernels/strided_slice.cc and
// internal/strided_slice_logic.h), any dtype (elements are moved by size).
// begin/end/strides are int32 1-D tensors; when any is computed at run time
// the output is dynamic and the slice is resolved at each eval. Masks are resolved the
// way TFLite does it: ellipsis_mask expands to full ranges, new_axis_mask
// inserts size-1 axes, begin_mask/end_mask take the whole range in the
// stride's direction, shrink_axis_mask keeps one element and drops the axis,
// offset=true makes end relative to begin. Per axis, a negative index counts
// from the end, then begin and end are clamped to [0, size] (stride > 0) or
// [-1, size - 1] (stride < 0), and the output size is ceil((end-begin)/stride).
// Slices TFLite would leave partly unwritten (shrinking an empty or reversed
// axis, an offset slice running past the input) are rejected.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// One axis of the "effective" input: the input with new axes inserted.
struct SliceAxis {
  int32_t size = 1;
  int32_t begin = 0, end = 0, stride = 1;
  bool begin_mask = false, end_mask = false, shrink = false;
};

struct StridedSliceData : OpData {
  std::vector<int32_t> starts, counts, strides;  // per effective axis
  std::vector<int64_t> in_strides;               // element strides of the effective input
  int64_t out_count = 0;
  size_t element_size = 0;
};

// TFLite's BuildStridedSliceParams: maps the (possibly shorter) begin/end/
// strides spec onto every effective axis, expanding the ellipsis and the new
// axes.
Status EffectiveAxes(const Tensor& input, const StridedSliceOptions& o,
                     const std::vector<int32_t>& begin, const std::vector<int32_t>& end,
                     const std::vector<int32_t>& strides, std::vector<SliceAxis>* axes) {
  const int spec_count = static_cast<int>(begin.size());
  const int input_rank = input.rank();
  const auto bit = [](int32_t mask, int i) { return i < 31 && ((mask >> i) & 1) != 0; };
  int num_new_axes = 0;
  for (int i = 0; i < spec_count; ++i) {
    if (!bit(o.ellipsis_mask, i) && bit(o.new_axis_mask, i)) ++num_new_axes;
  }
  const int effective_rank = input_rank + num_new_axes;
  QLITE_ENSURE(effective_rank <= 8, "slice would have rank ", effective_rank, " (at most 8)");

  std::vector<bool> is_ellipsis(effective_rank, false), is_new_axis(effective_rank, false);
  int ellipsis_start = effective_rank, expanded_ellipsis = 0;
  for (int i = 0; i < effective_rank;) {
    if (bit(o.ellipsis_mask, i)) {
      ellipsis_start = i;
      const int ellipsis_end =
          std::max(i + 1, std::min(i + 1 + num_new_axes + input_rank - spec_count, effective_rank));
      expanded_ellipsis = ellipsis_end - ellipsis_start - 1;
      for (; i < ellipsis_end; ++i) is_ellipsis[i] = true;
      continue;
    }
    if (bit(o.new_axis_mask, i - expanded_ellipsis)) is_new_axis[i] = true;
    ++i;
  }

  axes->assign(effective_rank, SliceAxis());
  int added_ellipsis = 0, added_axes = 0;
  for (int i = 0; i < effective_rank; ++i) {
    SliceAxis& a = (*axes)[i];
    if (is_new_axis[i] && !is_ellipsis[i]) {
      a.size = 1;
      a.begin = 0;
      a.end = 1;
      ++added_axes;
      continue;
    }
    const int input_dim = i - added_axes;
    QLITE_ENSURE(input_dim >= 0 && input_dim < input_rank, "ellipsis/new-axis masks (",
                 o.ellipsis_mask, ", ", o.new_axis_mask, ") do not fit input of rank ", input_rank);
    a.size = input.dim(input_dim);
    if (is_ellipsis[i]) {
      added_ellipsis = std::max(0, i - ellipsis_start);
      a.begin_mask = a.end_mask = true;
    } else if (i >= spec_count + expanded_ellipsis) {
      a.begin_mask = a.end_mask = true;  // past the spec: the whole axis
    } else {
      const int spec = i - added_ellipsis;
      QLITE_ENSURE(spec >= 0 && spec < spec_count, "slice spec index ", spec, " out of range");
      a.begin = begin[spec];
      a.end = end[spec];
      a.stride = strides[spec];
      a.begin_mask = bit(o.begin_mask, spec);
      a.end_mask = bit(o.end_mask, spec);
      a.shrink = bit(o.shrink_axis_mask, spec);
    }
  }
  return Status::Ok();
}

// StridedSliceStartForAxis.
int64_t StartForAxis(const SliceAxis& a) {
  int64_t start = a.begin;
  if (start < 0) start += a.size;
  start = a.stride > 0 ? std::clamp<int64_t>(start, 0, a.size)
                       : std::clamp<int64_t>(start, -1, int64_t{a.size} - 1);
  if (a.begin_mask) start = a.stride > 0 ? 0 : int64_t{a.size} - 1;
  return start;
}

// StridedSliceEndForAxis (shrunk axes are handled by the caller).
int64_t EndForAxis(const SliceAxis& a, int64_t start, bool offset) {
  int64_t end = a.end;
  if (offset) end += start;
  if (end < 0) end += a.size;
  end = a.stride > 0 ? std::clamp<int64_t>(end, 0, a.size)
                     : std::clamp<int64_t>(end, -1, int64_t{a.size} - 1);
  if (a.end_mask) end = a.stride > 0 ? a.size : -1;
  return end;
}

// How many indices start, start+stride, ... lie before end.
int64_t StepCount(int64_t start, int64_t end, int64_t stride) {
  if (stride > 0) return end > start ? (end - start - 1) / stride + 1 : 0;
  return start > end ? (start - end - 1) / -stride + 1 : 0;
}

// TFLite's output size of one axis: ceil(extent / stride) computed in float.
int64_t TfliteAxisSize(int64_t extent, int32_t stride) {
  const float size = std::ceil(static_cast<float>(extent) / static_cast<float>(stride));
  return size < 0.0f ? 0 : static_cast<int64_t>(size);
}

template <typename T>
void SliceElements(const StridedSliceData& d, const T* input, T* output) {
  const int rank = static_cast<int>(d.counts.size());
  if (d.out_count <= 0) return;
  std::vector<int32_t> index(rank, 0);
  int64_t in_offset = 0;
  for (int dim = 0; dim < rank; ++dim) in_offset += int64_t{d.starts[dim]} * d.in_strides[dim];
  for (int64_t o = 0; o < d.out_count; ++o) {
    output[o] = input[in_offset];
    for (int dim = rank - 1; dim >= 0; --dim) {
      const int64_t step = int64_t{d.strides[dim]} * d.in_strides[dim];
      if (++index[dim] < d.counts[dim]) {
        in_offset += step;
        break;
      }
      in_offset -= step * (d.counts[dim] - 1);
      index[dim] = 0;
    }
  }
}

Status Slice(OpContext& ctx) {
  const auto& d = *ctx.op_data<StridedSliceData>();
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = ctx.output(0)->data;
  switch (d.element_size) {
    case 1: SliceElements(d, in, out); break;
    case 2:
      SliceElements(d, reinterpret_cast<const uint16_t*>(in), reinterpret_cast<uint16_t*>(out));
      break;
    case 4:
      SliceElements(d, reinterpret_cast<const uint32_t*>(in), reinterpret_cast<uint32_t*>(out));
      break;
    case 8:
      SliceElements(d, reinterpret_cast<const uint64_t*>(in), reinterpret_cast<uint64_t*>(out));
      break;
    default:
      return Status::Error(StrCat("STRIDED_SLICE: unsupported element size ", d.element_size));
  }
  return Status::Ok();
}

constexpr const char* kSpecRoles[] = {"begin", "end", "strides"};

// begin, end and strides (inputs 1-3) must be 1-D int32 tensors; true if
// their values are known at prepare.
Status CheckSpecs(const OpContext& ctx, bool* known) {
  *known = true;
  for (int i = 1; i <= 3; ++i) {
    const Tensor* t = nullptr;
    QLITE_RETURN_IF_ERROR(RequireInput(ctx, i, &t));
    QLITE_RETURN_IF_ERROR(CheckType(*t, {DType::kInt32}, kSpecRoles[i - 1]));
    QLITE_ENSURE(t->rank() == 1, kSpecRoles[i - 1], " tensor '", t->name(),
                 "' must be 1-D, has shape ", ShapeToString(t->shape));
    *known &= ValuesKnownAtPrepare(*t);
  }
  return Status::Ok();
}

// Resolves this node's slice from the current begin/end/strides values into
// `data` and the output shape.
Status PlanSlice(const OpContext& ctx, StridedSliceData* data, Shape* out_shape) {
  const Tensor* input = ctx.input(0);
  std::vector<int32_t> begin, end, strides;
  QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(1), "begin", &begin));
  QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(2), "end", &end));
  QLITE_RETURN_IF_ERROR(ReadInt32s(*ctx.input(3), "strides", &strides));
  QLITE_ENSURE(begin.size() == end.size() && begin.size() == strides.size(),
               "begin, end and "
               "strides must have the same length, have ",
               begin.size(), ", ", end.size(), " and ", strides.size());

  const auto& o = ctx.options<StridedSliceOptions>();
  // TFLite reads end[i] for the output size of an offset slice without
  // mapping i through the ellipsis or new axes; only the plain form is defined.
  QLITE_ENSURE(!o.offset || (o.ellipsis_mask == 0 && o.new_axis_mask == 0 &&
                             static_cast<int>(begin.size()) == input->rank()),
               "offset slices need one begin/end/stride per input dimension and no "
               "ellipsis or new-axis mask");
  std::vector<SliceAxis> axes;
  QLITE_RETURN_IF_ERROR(EffectiveAxes(*input, o, begin, end, strides, &axes));

  const int rank = static_cast<int>(axes.size());
  data->in_strides.assign(rank, 1);
  data->starts.clear();
  data->counts.clear();
  data->strides.clear();
  for (int dim = rank - 2; dim >= 0; --dim) {
    data->in_strides[dim] = data->in_strides[dim + 1] * axes[dim + 1].size;
  }
  out_shape->clear();
  data->out_count = 1;
  for (int dim = 0; dim < rank; ++dim) {
    const SliceAxis& a = axes[dim];
    QLITE_ENSURE(a.stride != 0, "stride of axis ", dim, " is 0");
    const int64_t start = StartForAxis(a);
    int64_t count = 0;
    if (a.shrink) {
      // TFLite steps from start to start + 1; with a negative stride, an empty
      // axis or a start past the end that writes nothing.
      QLITE_ENSURE(a.stride > 0, "shrink axis ", dim, " needs a positive stride, has ", a.stride);
      QLITE_ENSURE(start >= 0 && start < a.size, "shrink axis ", dim, " index ", a.begin,
                   " is out of range for size ", a.size);
      count = 1;
    } else {
      const int64_t stop = EndForAxis(a, start, o.offset);
      count = StepCount(start, stop, a.stride);
      const int64_t size = TfliteAxisSize(o.offset ? a.end : stop - start, a.stride);
      QLITE_ENSURE(size == count, "slice of axis ", dim, " (begin ", a.begin, ", end ", a.end,
                   ", stride ", a.stride, ") would cover ", count, " elements but its size is ",
                   size);
      out_shape->push_back(static_cast<int32_t>(count));
    }
    data->starts.push_back(static_cast<int32_t>(start));
    data->counts.push_back(static_cast<int32_t>(count));
    data->strides.push_back(a.stride);
    data->out_count *= count;
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status StridedSlicePrepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 4, 4, 1));
  const Tensor* input = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {input->type}, "output"));
  const size_t element_size = DTypeSize(input->type);
  QLITE_ENSURE(element_size == 1 || element_size == 2 || element_size == 4 || element_size == 8,
               "STRIDED_SLICE does not support dtype ", DTypeName(input->type));
  bool known = false;
  QLITE_RETURN_IF_ERROR(CheckSpecs(ctx, &known));
  auto* data = ctx.NewOpData<StridedSliceData>();
  data->element_size = element_size;
  if (!known) return ctx.MarkOutputDynamic(0);
  Shape out_shape;
  QLITE_RETURN_IF_ERROR(PlanSlice(ctx, data, &out_shape));
  return ctx.SetOutputShape(0, std::move(out_shape));
}

Status StridedSliceEval(OpContext& ctx) {
  if (ctx.output(0)->is_dynamic()) {
    Shape out_shape;
    QLITE_RETURN_IF_ERROR(PlanSlice(ctx, ctx.op_data<StridedSliceData>(), &out_shape));
    QLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, std::move(out_shape)));
  }
  return Slice(ctx);
}

}  // namespace

namespace ref {
const KernelRegistration* StridedSlice() {
  static const KernelRegistration kRegistration = {"strided_slice_reference", StridedSlicePrepare,
                                                   StridedSliceEval};
  return &kRegistration;
}
}  // namespace ref

constexpr OptionsField kStridedSliceFields[] = {
    {"begin_mask", 0, FieldType::kInt32, offsetof(StridedSliceOptions, begin_mask)},
    {"end_mask", 1, FieldType::kInt32, offsetof(StridedSliceOptions, end_mask)},
    {"ellipsis_mask", 2, FieldType::kInt32, offsetof(StridedSliceOptions, ellipsis_mask)},
    {"new_axis_mask", 3, FieldType::kInt32, offsetof(StridedSliceOptions, new_axis_mask)},
    {"shrink_axis_mask", 4, FieldType::kInt32, offsetof(StridedSliceOptions, shrink_axis_mask)},
    {"offset", 5, FieldType::kBool, offsetof(StridedSliceOptions, offset)},
};
extern const OptionsIO kStridedSliceOptionsIO;
const OptionsIO kStridedSliceOptionsIO = OptionsIOFor<StridedSliceOptions>(
    tfl::BuiltinOptions::StridedSliceOptions, kStridedSliceFields);

}  // namespace qlite
