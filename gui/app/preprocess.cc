#include "gui/app/preprocess.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace qlite::gui {

namespace {

// Summed-area table with one row/column of zeros in front, in double so that
// differences of large sums stay exact enough.
class SummedArea {
 public:
  SummedArea(const float* pixels, int width, int height)
      : width_(width), height_(height), sums_(static_cast<size_t>(width + 1) * (height + 1), 0.0) {
    for (int y = 0; y < height; ++y) {
      double row = 0.0;
      for (int x = 0; x < width; ++x) {
        row += pixels[static_cast<size_t>(y) * width + x];
        at(x + 1, y + 1) = at(x + 1, y) + row;
      }
    }
  }

  // Integral of the piecewise-constant image over [x0,x1) x [y0,y1), any
  // real coordinates (outside the image counts as zero).
  double Integral(double x0, double y0, double x1, double y1) const {
    return Cumulative(x1, y1) - Cumulative(x0, y1) - Cumulative(x1, y0) + Cumulative(x0, y0);
  }

 private:
  double& at(int x, int y) { return sums_[static_cast<size_t>(y) * (width_ + 1) + x]; }
  double get(int x, int y) const { return sums_[static_cast<size_t>(y) * (width_ + 1) + x]; }

  // Integral over [0,x) x [0,y): bilinear between the table's integer corners
  // is exact for a piecewise-constant image.
  double Cumulative(double x, double y) const {
    x = std::clamp(x, 0.0, static_cast<double>(width_));
    y = std::clamp(y, 0.0, static_cast<double>(height_));
    const int ix = std::min(static_cast<int>(x), width_ - 1);
    const int iy = std::min(static_cast<int>(y), height_ - 1);
    const double fx = x - ix, fy = y - iy;
    const double top = get(ix, iy) * (1 - fx) + get(ix + 1, iy) * fx;
    const double bottom = get(ix, iy + 1) * (1 - fx) + get(ix + 1, iy + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  }

  int width_, height_;
  std::vector<double> sums_;
};

}  // namespace

void CenterOfMass(const float* pixels, int width, int height, float* cx, float* cy) {
  double mass = 0.0, sx = 0.0, sy = 0.0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double v = pixels[static_cast<size_t>(y) * width + x];
      mass += v;
      sx += v * x;
      sy += v * y;
    }
  }
  *cx = mass > 0.0 ? static_cast<float>(sx / mass) : (width - 1) * 0.5f;
  *cy = mass > 0.0 ? static_cast<float>(sy / mass) : (height - 1) * 0.5f;
}

PreprocessInfo PreprocessMnist(const float* pixels, int width, int height, MnistImage* out) {
  out->fill(0.0f);
  PreprocessInfo info;
  int x0 = width, y0 = height, x1 = 0, y1 = 0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if (pixels[static_cast<size_t>(y) * width + x] > kInkThreshold) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x + 1);
        y1 = std::max(y1, y + 1);
      }
    }
  }
  if (x0 >= x1 || y0 >= y1) return info;
  info.empty = false;
  info.box_x0 = x0;
  info.box_y0 = y0;
  info.box_x1 = x1;
  info.box_y1 = y1;

  // 1. The long side of the box becomes 20 pixels; the short side is centred
  //    in the 20x20 square. Each output pixel is the mean of the source area
  //    it covers (box filter), which anti-aliases like MNIST's resampling.
  const SummedArea area(pixels, width, height);
  const double side = std::max(x1 - x0, y1 - y0);
  const double origin_x = (x0 + x1) * 0.5 - side * 0.5;
  const double origin_y = (y0 + y1) * 0.5 - side * 0.5;
  const double step = side / kMnistBox;
  float box[kMnistBox * kMnistBox];
  for (int by = 0; by < kMnistBox; ++by) {
    for (int bx = 0; bx < kMnistBox; ++bx) {
      const double sx = origin_x + bx * step, sy = origin_y + by * step;
      const double mean = area.Integral(sx, sy, sx + step, sy + step) / (step * step);
      box[by * kMnistBox + bx] = static_cast<float>(std::clamp(mean, 0.0, 1.0));
    }
  }

  // 2. Whole-pixel shift so the centre of mass sits on pixel (14, 14), as in
  //    MNIST (its test set averages 14.0 in both axes).
  float cx = 0.0f, cy = 0.0f;
  CenterOfMass(box, kMnistBox, kMnistBox, &cx, &cy);
  const int target = kMnistSide / 2;
  info.offset_x = static_cast<int>(std::lround(target - cx));
  info.offset_y = static_cast<int>(std::lround(target - cy));
  for (int by = 0; by < kMnistBox; ++by) {
    const int oy = by + info.offset_y;
    if (oy < 0 || oy >= kMnistSide) continue;
    for (int bx = 0; bx < kMnistBox; ++bx) {
      const int ox = bx + info.offset_x;
      if (ox < 0 || ox >= kMnistSide) continue;
      (*out)[oy * kMnistSide + ox] = box[by * kMnistBox + bx];
    }
  }
  return info;
}

PreprocessInfo PreprocessPicture(const uint8_t* rgba, int width, int height, MnistImage* out) {
  if (rgba == nullptr || width <= 0 || height <= 0) {
    out->fill(0.0f);
    return PreprocessInfo();
  }
  const size_t count = static_cast<size_t>(width) * height;
  std::vector<float> luma(count);
  for (size_t i = 0; i < count; ++i) {  // Rec. 601 weights, as most decoders' gray
    const uint8_t* p = rgba + 4 * i;
    luma[i] = (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 255.0f;
  }
  std::vector<float> border;
  for (int x = 0; x < width; ++x) {
    border.push_back(luma[x]);
    border.push_back(luma[static_cast<size_t>(height - 1) * width + x]);
  }
  for (int y = 0; y < height; ++y) {
    border.push_back(luma[static_cast<size_t>(y) * width]);
    border.push_back(luma[static_cast<size_t>(y) * width + width - 1]);
  }
  std::nth_element(border.begin(), border.begin() + border.size() / 2, border.end());
  const float background = border[border.size() / 2];
  const bool dark_ink = background > 0.5f;  // paper: the ink is what is darker
  float strongest = 0.0f;
  for (float& v : luma) {
    v = dark_ink ? background - v : v - background;
    strongest = std::max(strongest, v);
  }
  // Below this contrast the picture has no ink, only noise around the background.
  constexpr float kMinContrast = 0.1f;
  if (strongest < kMinContrast) {
    out->fill(0.0f);
    return PreprocessInfo();
  }
  for (float& v : luma) v = std::clamp(v / strongest, 0.0f, 1.0f);
  return PreprocessMnist(luma.data(), width, height, out);
}

}  // namespace qlite::gui
