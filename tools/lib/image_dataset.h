// Representative data from images for `qlite quantize --repr`: a folder, a
// glob or one PNG / JPEG / BMP file, decoded with stb_image, resized to the
// model input's H x W (bilinear), converted to the input's channels and
// normalised ([1, H, W] inputs read as gray); `random:N` gives N seeded random images (smoke
// tests). Other specs (mnist:..., .npy, raw float32) go to data/dataset.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "data/dataset.h"

namespace qlite {

enum class ImageColor { kAuto, kRgb, kBgr, kGray };

// Pixel p in [0, 255] of channel c becomes (p - mean[c]) / std[c] when mean /
// std are set (one value or one per channel, in the input's channel order, as
// TFLite metadata's NormalizationOptions), else lo + p * (hi - lo) / 255.
struct ImageNormalization {
  ImageColor color = ImageColor::kAuto;  // auto: rgb for 3 channels, gray for 1
  std::vector<float> mean, std;
  float lo = 0.0f, hi = 1.0f;
};

// --color rgb|bgr|gray, --mean a,b,c, --std a,b,c, --range lo,hi (text values;
// empty = not given).
Status ParseImageNormalization(const std::string& color, const std::string& mean,
                               const std::string& std, const std::string& range,
                               ImageNormalization* out);

// True for the specs this file reads: random:N, a directory, a glob (* ? [)
// or a .png / .jpg / .jpeg / .bmp file.
bool IsImageSpec(const std::string& spec);

// One spec per model input, image specs and data/dataset.h specs mixed; every
// image is checked (found, decodable header) before calibration starts.
Status OpenCliDataset(const std::vector<std::string>& specs, const Model& model,
                      const ImageNormalization& normalization,
                      std::unique_ptr<RepresentativeDataset>* dataset);

// Decodes a PNG / JPEG / BMP file to 8-bit RGBA (the digit GUI's dropped
// calibration pictures); the error names the file and stb's reason.
Status DecodeImageRgba(const std::string& path, std::vector<uint8_t>* rgba, int* width,
                       int* height);

// Bilinear resize of 8-bit interleaved pixels (h x w x channels) to
// out_h x out_w, half-pixel centres (TF2's resize, PIL), values kept in [0, 255]
// as floats.
void ResizeBilinear(const uint8_t* pixels, int h, int w, int channels, int out_h, int out_w,
                    float* out);

}  // namespace qlite
