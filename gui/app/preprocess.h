// MNIST-style preprocessing of a drawing, as the MNIST set was made: the
// bounding box of the ink is scaled (keeping its aspect ratio, area-averaged
// so edges stay anti-aliased) to fit a 20x20 box, which is then placed in a
// 28x28 image so that its centre of mass lands on pixel (14, 14).
#pragma once

#include <array>
#include <cstdint>

namespace qlite::gui {

constexpr int kMnistSide = 28;
constexpr int kMnistPixels = kMnistSide * kMnistSide;
constexpr int kMnistBox = 20;  // the long side of every digit's bounding box

using MnistImage = std::array<float, kMnistPixels>;  // row-major, values in [0,1]

struct PreprocessInfo {
  bool empty = true;  // no ink: the output is all zeros
  // Ink bounding box in source pixels (x0,y0 inclusive; x1,y1 exclusive).
  int box_x0 = 0, box_y0 = 0, box_x1 = 0, box_y1 = 0;
  // Where the 20x20 box went in the 28x28 image (top-left, may be negative).
  int offset_x = 0, offset_y = 0;
};

// Pixels above this count as ink when finding the bounding box; fainter ones
// are anti-aliasing fringes.
constexpr float kInkThreshold = 0.05f;

// `pixels`: width x height coverage in [0,1].
PreprocessInfo PreprocessMnist(const float* pixels, int width, int height, MnistImage* out);

// A picture of a digit (a photo, a scan, a PNG; RGBA, width x height) as
// MNIST input: luminance; the background is the median of the border pixels,
// so dark ink on paper and light ink on black both become light-on-black
// coverage, stretched from the background level to the strongest ink; then
// PreprocessMnist. `empty` in the result: nothing stands out from the
// background.
PreprocessInfo PreprocessPicture(const uint8_t* rgba, int width, int height, MnistImage* out);

// Centre of mass of an image, in pixel indices (x, y).
void CenterOfMass(const float* pixels, int width, int height, float* cx, float* cy);

}  // namespace qlite::gui
