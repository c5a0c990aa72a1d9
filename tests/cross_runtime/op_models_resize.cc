// One-op models of RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR for every
// dtype TFLite has a kernel for (float32, uint8, int8, int16), each option,
// upsampling and downsampling to odd sizes, batches and channels, and the
// special shapes TFLite's kernels treat apart (exact 2x and 8x upsampling, a
// width whose nearest 8-bit fixed-point index differs from the float one).
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/resize.h"
#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

constexpr DType kResizeTypes[] = {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16};

// The op version TFLite's converter writes (op_version.cc).
int ResizeVersion(BuiltinOp op, DType type, ResizeOptions o) {
  if (type == DType::kInt16) return 4;
  const bool v3 =
      o.half_pixel_centers || (op == BuiltinOp::kResizeNearestNeighbor && o.align_corners);
  if (v3) return 3;
  return type == DType::kInt8 ? 2 : 1;
}

// An input named "ties..." gets values from a small range (the page's rule),
// so that many outputs fall halfway between two integers.
Model Resize(BuiltinOp op, DType type, std::vector<int32_t> shape, int32_t height, int32_t width,
             ResizeOptions o, const char* input_name) {
  ModelBuilder b;
  const int in = b.AddTensor(input_name, type, shape, MovedQuant(type));
  const int size = b.AddConstant("size", DType::kInt32, {2}, std::vector<int32_t>{height, width});
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(op, {in, size}, {out}, o, ResizeVersion(op, type, o));
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

struct Variant {
  const char* name;
  std::vector<int32_t> shape;
  int32_t height, width;
  ResizeOptions options;
  const char* input_name = "x";
};

}  // namespace

void AddResizeModels(OpModels* models_out) {
  OpModels& models = *models_out;
  const ResizeOptions none{false, false}, align{true, false}, half{false, true};
  const std::vector<Variant> variants = {
      {"up_odd", {1, 3, 5, 3}, 7, 9, none},
      {"up_odd_align_corners", {1, 3, 5, 3}, 7, 9, align},
      {"up_odd_half_pixel", {1, 3, 5, 3}, 7, 9, half},
      {"down_odd", {1, 7, 9, 1}, 3, 4, none},
      {"down_odd_align_corners", {1, 7, 9, 1}, 3, 4, align},
      {"down_odd_half_pixel", {2, 7, 9, 1}, 3, 4, half},
      {"batch2_1x1_input", {2, 1, 1, 3}, 3, 2, none},
      {"up_2x", {1, 4, 3, 2}, 8, 6, none},                      // float bilinear's 2x kernel
      {"up_8x_half_pixel_depth8", {1, 2, 2, 8}, 16, 16, half},  // uint8 bilinear's 8x kernel
      {"width_26_to_22", {1, 2, 26, 1}, 3, 22, none},           // nearest 8-bit fixed point
      // int8 images of under 8 channels run 8 values of a row at a time. A
      // width's scale exact in 10 bits: TFLite's integer positions add up the
      // scale's rounding along an axis (9 -> 25 ends 2 apart from XNNPACK's).
      {"mask_up_2x_half_pixel", {1, 4, 20, 1}, 8, 40, half},
      {"depth3_up_4x_wide", {1, 3, 8, 3}, 7, 32, none},
      {"ties_up_align_corners", {1, 3, 4, 2}, 5, 7, align, "ties"},
      {"ties_up_half_pixel", {2, 3, 4, 1}, 8, 6, half, "ties"},
  };
  for (BuiltinOp op : {BuiltinOp::kResizeBilinear, BuiltinOp::kResizeNearestNeighbor}) {
    const std::string prefix =
        op == BuiltinOp::kResizeBilinear ? "resize_bilinear_" : "resize_nearest_";
    for (DType type : kResizeTypes) {
      for (const Variant& v : variants) {
        // No float32 bilinear model gets infinities: where a sample falls
        // exactly on a pixel, TFLite's kernel takes that pixel as both
        // neighbours, LiteRT.js (XNNPACK) the next pixel with weight 0, so an
        // inf there makes LiteRT.js's output NaN (inf * 0) where TFLite's is
        // finite. tests/kernels/resize_test.cc checks TFLite's behaviour.
        const bool ties = std::string(v.input_name) == "ties";
        if (ties && op == BuiltinOp::kResizeBilinear && type == DType::kFloat32) continue;
        models.push_back({prefix + DTypeName(type) + "_" + v.name, [=] {
                            return Resize(op, type, v.shape, v.height, v.width, v.options,
                                          v.input_name);
                          }});
      }
    }
    if (op == BuiltinOp::kResizeNearestNeighbor) {
      models.push_back({"resize_nearest_int8_align_corners_half_pixel", [] {
                          return Resize(BuiltinOp::kResizeNearestNeighbor, DType::kInt8,
                                        {1, 3, 5, 2}, 7, 4, ResizeOptions{true, true}, "x");
                        }});
    }
  }
}

}  // namespace qlite
