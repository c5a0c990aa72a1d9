// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR: resize the height and width of
// an NHWC image to the int32 size [new_height, new_width] (input 1), as
// TFLite's builtin kernels do it: float32, uint8, int8 and int16. A size
// known only at run time makes the output dynamic, sized in eval.
//
// The arithmetic follows the kernel TFLite's builtin resolver runs per dtype:
// - bilinear float32 and uint8: float source coordinates and corner weights;
//   uint8 adds 0.5 and truncates. (TFLite's exact-2x float path averages pairs
//   instead of weighting them: the same values up to float rounding. Its 8x
//   half-pixel uint8 path gives the same values: there every weight is a
//   multiple of 1/256 and the float sums are exact.)
// - bilinear int8 and int16: fixed point with 10 fraction bits
//   (ResizeBilinearInteger), the sum rounded half away from zero.
// - nearest: float source coordinates, except that 8-bit types without
//   align_corners and half_pixel_centers use a 16.16 fixed-point scale (+1).
// - bilinear int8 and uint8 under Arithmetic::kXnnpack: XNNPACK's, whose
//   weights have 11 fraction bits (the float fraction times 2^11, rounded to
//   even) and whose sum rounds half up (ResizeBilinearXnnpack).
#include "core/kernels/resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"

namespace qlite {
namespace {

// [N, new_height, new_width, C] for the values of `size`.
Status ResizedShape(const Tensor& input, const Tensor& size, bool bilinear, Shape* shape) {
  std::vector<int32_t> hw;
  QLITE_RETURN_IF_ERROR(ReadInt32s(size, "size", &hw));
  QLITE_ENSURE(hw.size() == 2, "size must hold 2 values (height, width), has ", hw.size());
  // TFLite's bilinear kernel requires sizes > 0; nearest accepts an empty output.
  const int32_t min_size = bilinear ? 1 : 0;
  QLITE_ENSURE(hw[0] >= min_size && hw[1] >= min_size, "size ", hw[0], "x", hw[1],
               " must be >= ", min_size);
  // Per step, so that the product cannot overflow: N * C fits in int32.
  const int64_t count = int64_t{hw[0]} * hw[1];
  QLITE_ENSURE(count <= INT32_MAX && count * input.dim(0) * input.dim(3) <= INT32_MAX, "resizing '",
               input.name(), "' to ", hw[0], "x", hw[1], " gives too many elements");
  *shape = {input.dim(0), hw[0], hw[1], input.dim(3)};
  return Status::Ok();
}

QLITE_PREPARE_TIME Status ResizePrepare(OpContext& ctx, bool bilinear) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor *input = nullptr, *size = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &input));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &size));
  QLITE_RETURN_IF_ERROR(
      CheckCopiedInput(ctx, *input, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16}));
  QLITE_RETURN_IF_ERROR(CheckRank(*input, 4, "input"));
  QLITE_RETURN_IF_ERROR(CheckType(*size, {DType::kInt32}, "size"));
  QLITE_RETURN_IF_ERROR(CheckRank(*size, 1, "size"));
  QLITE_ENSURE(input->dim(1) > 0 && input->dim(2) > 0, "input '", input->name(), "' of shape ",
               ShapeToString(input->shape), " has no pixels to resize");
  const auto& o = ctx.options<ResizeOptions>();
  QLITE_ENSURE(!bilinear || !(o.align_corners && o.half_pixel_centers),
               "half_pixel_centers requires align_corners = false");
  if (!ValuesKnownAtPrepare(*size)) return ctx.MarkOutputDynamic(0);
  Shape shape;
  QLITE_RETURN_IF_ERROR(ResizedShape(*input, *size, bilinear, &shape));
  return ctx.SetOutputShape(0, std::move(shape));
}

// A dynamic output's shape, from this run's size values.
Status ResizeDynamicOutput(OpContext& ctx, bool bilinear) {
  if (!ctx.output(0)->is_dynamic()) return Status::Ok();
  Shape shape;
  QLITE_RETURN_IF_ERROR(ResizedShape(*ctx.input(0), *ctx.input(1), bilinear, &shape));
  return ctx.ResizeOutput(0, std::move(shape));
}

// One bilinear kernel for every dtype: int8 and int16 sample in fixed point
// (P = int64_t), float32 and uint8 in float.
template <typename T>
void ResizeBilinear(const Tensor& input, Tensor& output, const ResizeOptions& o) {
  constexpr bool kFixed = std::is_same_v<T, int8_t> || std::is_same_v<T, int16_t>;
  using P = std::conditional_t<kFixed, int64_t, float>;
  const int32_t depth = input.dim(3), out_h = output.dim(1), out_w = output.dim(2);
  const resize::Axis ah = resize::MakeAxis(input.dim(1), out_h, o.align_corners);
  const resize::Axis aw = resize::MakeAxis(input.dim(2), out_w, o.align_corners);
  const int64_t row = int64_t{input.dim(2)} * depth;
  T* out = output.data_as<T>();
  for (int32_t b = 0; b < input.dim(0); ++b) {
    const T* image = input.data_as<T>() + int64_t{b} * input.dim(1) * row;
    for (int32_t y = 0; y < out_h; ++y) {
      const resize::Source<P> sy = resize::SourceOf<P>(y, ah, o.half_pixel_centers);
      for (int32_t x = 0; x < out_w; ++x) {
        const resize::Source<P> sx = resize::SourceOf<P>(x, aw, o.half_pixel_centers);
        const T* p00 = image + sy.lo * row + sx.lo * depth;
        const T* p01 = image + sy.lo * row + sx.hi * depth;
        const T* p10 = image + sy.hi * row + sx.lo * depth;
        const T* p11 = image + sy.hi * row + sx.hi * depth;
        const P dy = sy.fraction(), dx = sx.fraction();
        const P one = resize::Source<P>::kOne;
        // TFLite's weights and summation order (top-left, top-right,
        // bottom-left, bottom-right), so float results match its generic
        // kernel bit for bit.
        const P w00 = (one - dy) * (one - dx), w01 = (one - dy) * dx;
        const P w10 = dy * (one - dx), w11 = dy * dx;
        for (int32_t c = 0; c < depth; ++c) {
          const P v = p00[c] * w00 + p01[c] * w01 + p10[c] * w10 + p11[c] * w11;
          if constexpr (kFixed) {
            // 20 fraction bits, rounded half away from zero (TFLite's
            // default, double-rounding build).
            *out++ = static_cast<T>((v + (v > 0 ? 1 << 19 : -(1 << 19))) / (1 << 20));
          } else if constexpr (std::is_same_v<T, float>) {
            *out++ = v;
          } else {
            // uint8: + 0.5, then truncation (through int32, so that no
            // out-of-range float reaches the uint8 conversion).
            *out++ = static_cast<T>(static_cast<int32_t>(v + 0.5f));
          }
        }
      }
    }
  }
}

// XNNPACK's source pixels and 11-bit weight of output index i along one
// axis: a float scale (in - 1) / (out - 1) with align_corners, else in / out;
// positions i * scale (align_corners, or neither option: TensorFlow's legacy
// mode) or i * scale + (scale / 2 - 1/2) clamped to [0, in - 1].
struct XnnpackTap {
  int32_t lo, hi, weight;
};

XnnpackTap XnnpackTapOf(int32_t i, int32_t in, int32_t out, const ResizeOptions& o) {
  const int32_t adjust = o.align_corners && out != 1 ? 1 : 0;
  const float scale = static_cast<float>(in - adjust) / static_cast<float>(out - adjust);
  const int32_t last = in - 1;
  float position = static_cast<float>(i) * scale;
  if (o.half_pixel_centers && !o.align_corners) {
    const float offset = 0.5f * scale - 0.5f;
    position = std::min(std::max(position + offset, 0.0f), static_cast<float>(last));
  }
  const int32_t lo = std::min(static_cast<int32_t>(position), last);
  const float alpha = position - static_cast<float>(lo);
  return {lo, std::min(lo + 1, last), static_cast<int32_t>(std::lrint(alpha * 2048.0f))};
}

// XNNPACK's int8 / uint8 bilinear kernel: horizontal then vertical
// interpolation in 11-bit fixed point, (sum + 2^21) >> 22.
template <typename T>
void ResizeBilinearXnnpack(const Tensor& input, Tensor& output, const ResizeOptions& o) {
  const int32_t in_h = input.dim(1), in_w = input.dim(2), depth = input.dim(3);
  const int32_t out_h = output.dim(1), out_w = output.dim(2);
  std::vector<XnnpackTap> columns(out_w);
  for (int32_t x = 0; x < out_w; ++x) columns[x] = XnnpackTapOf(x, in_w, out_w, o);
  const int64_t row = int64_t{in_w} * depth;
  T* out = output.data_as<T>();
  for (int32_t b = 0; b < input.dim(0); ++b) {
    const T* image = input.data_as<T>() + int64_t{b} * in_h * row;
    for (int32_t y = 0; y < out_h; ++y) {
      const XnnpackTap ty = XnnpackTapOf(y, in_h, out_h, o);
      for (const XnnpackTap& tx : columns) {
        const T* top = image + ty.lo * row;
        const T* bottom = image + ty.hi * row;
        for (int32_t c = 0; c < depth; ++c) {
          const int32_t tl = top[tx.lo * depth + c], tr = top[tx.hi * depth + c];
          const int32_t bl = bottom[tx.lo * depth + c], br = bottom[tx.hi * depth + c];
          const int32_t t = tl * 2048 + (tr - tl) * tx.weight;
          const int32_t v = bl * 2048 + (br - bl) * tx.weight;
          // |t|, |v| < 2^19: the sum stays inside int32.
          const int32_t sum = t * 2048 + (v - t) * ty.weight;
          *out++ = static_cast<T>((sum + (1 << 21)) >> 22);
        }
      }
    }
  }
}

// The input index output index i copies (TFLite's GetNearestNeighbor, or its
// fixed-point variant for 8-bit types without options).
int32_t NearestSource(int32_t i, int32_t in_size, int32_t out_size, const ResizeOptions& o,
                      bool fixed_point) {
  if (fixed_point) {
    const int64_t scale_16 = (int64_t{in_size} << 16) / out_size + 1;
    return static_cast<int32_t>(std::min<int64_t>((i * scale_16) >> 16, in_size - 1));
  }
  const float pos = (static_cast<float>(i) + (o.half_pixel_centers ? 0.5f : 0.0f)) *
                    resize::FloatScale(in_size, out_size, o.align_corners);
  const float rounded = o.align_corners ? std::round(pos) : std::floor(pos);
  return std::max(std::min(static_cast<int32_t>(rounded), in_size - 1), 0);
}

Status NearestEval(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(ResizeDynamicOutput(ctx, false));
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  if (output.num_elements() == 0) return Status::Ok();
  const auto& o = ctx.options<ResizeOptions>();
  const size_t element = DTypeSize(input.type);
  const bool fixed_point = element == 1 && !o.align_corners && !o.half_pixel_centers;
  const int32_t in_h = input.dim(1), in_w = input.dim(2);
  const int32_t out_h = output.dim(1), out_w = output.dim(2);
  const size_t pixel = static_cast<size_t>(input.dim(3)) * element;
  uint8_t* out = output.data;
  for (int32_t b = 0; b < input.dim(0); ++b) {
    for (int32_t y = 0; y < out_h; ++y) {
      const int64_t in_y = int64_t{b} * in_h + NearestSource(y, in_h, out_h, o, fixed_point);
      const uint8_t* row = input.data + in_y * in_w * pixel;
      for (int32_t x = 0; x < out_w; ++x, out += pixel) {
        std::memcpy(out, row + NearestSource(x, in_w, out_w, o, fixed_point) * pixel, pixel);
      }
    }
  }
  return Status::Ok();
}

Status BilinearEval(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(ResizeDynamicOutput(ctx, true));
  const Tensor& input = *ctx.input(0);
  Tensor& output = *ctx.output(0);
  if (output.num_elements() == 0) return Status::Ok();
  const auto& o = ctx.options<ResizeOptions>();
  if (ctx.arithmetic() == Arithmetic::kXnnpack && input.type == DType::kInt8) {
    ResizeBilinearXnnpack<int8_t>(input, output, o);
    return Status::Ok();
  }
  if (ctx.arithmetic() == Arithmetic::kXnnpack && input.type == DType::kUInt8) {
    ResizeBilinearXnnpack<uint8_t>(input, output, o);
    return Status::Ok();
  }
  switch (input.type) {
    case DType::kFloat32: ResizeBilinear<float>(input, output, o); break;
    case DType::kUInt8: ResizeBilinear<uint8_t>(input, output, o); break;
    case DType::kInt8: ResizeBilinear<int8_t>(input, output, o); break;
    default: ResizeBilinear<int16_t>(input, output, o); break;
  }
  return Status::Ok();
}

QLITE_PREPARE_TIME Status BilinearPrepare(OpContext& ctx) { return ResizePrepare(ctx, true); }
QLITE_PREPARE_TIME Status NearestPrepare(OpContext& ctx) { return ResizePrepare(ctx, false); }

}  // namespace

namespace ref {
const KernelRegistration* ResizeBilinear() {
  static const KernelRegistration kRegistration = {"resize_bilinear_reference", BilinearPrepare,
                                                   BilinearEval};
  return &kRegistration;
}
const KernelRegistration* ResizeNearestNeighbor() {
  static const KernelRegistration kRegistration = {"resize_nearest_neighbor_reference",
                                                   NearestPrepare, NearestEval};
  return &kRegistration;
}
}  // namespace ref

// The bilinear table keeps two deprecated fields (new_height, new_width) first.
constexpr OptionsField kResizeBilinearFields[] = {
    {"align_corners", 2, FieldType::kBool, offsetof(ResizeOptions, align_corners)},
    {"half_pixel_centers", 3, FieldType::kBool, offsetof(ResizeOptions, half_pixel_centers)},
};
constexpr OptionsField kResizeNearestNeighborFields[] = {
    {"align_corners", 0, FieldType::kBool, offsetof(ResizeOptions, align_corners)},
    {"half_pixel_centers", 1, FieldType::kBool, offsetof(ResizeOptions, half_pixel_centers)},
};
extern const OptionsIO kResizeBilinearOptionsIO, kResizeNearestNeighborOptionsIO;
const OptionsIO kResizeBilinearOptionsIO =
    OptionsIOFor<ResizeOptions>(tfl::BuiltinOptions::ResizeBilinearOptions, kResizeBilinearFields);
const OptionsIO kResizeNearestNeighborOptionsIO = OptionsIOFor<ResizeOptions>(
    tfl::BuiltinOptions::ResizeNearestNeighborOptions, kResizeNearestNeighborFields);

}  // namespace qlite
