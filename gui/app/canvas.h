// The drawing canvas: strokes (polylines with a brush radius, drawn or
// erasing) rasterized with anti-aliased edges into a kCanvasSize² coverage
// image in [0,1]. Strokes are kept so undo can replay the rest.
#pragma once

#include <cstdint>
#include <vector>

namespace qlite::gui {

constexpr int kCanvasSize = 280;              // canvas pixels per side (10x MNIST's 28)
constexpr float kDefaultBrushRadius = 12.0f;  // ~2.4 MNIST pixels wide for a full-height digit

struct Point {
  float x = 0.0f, y = 0.0f;
};

struct Stroke {
  std::vector<Point> points;
  float radius = kDefaultBrushRadius;
  bool erase = false;
};

class Canvas {
 public:
  Canvas();

  void BeginStroke(float x, float y, float radius, bool erase);
  void ContinueStroke(float x, float y);
  void EndStroke();
  void Clear();
  // Removes the last stroke (the one being drawn, if any); with no strokes
  // left, removes the background image.
  void Undo();

  // A grayscale image (e.g. an MNIST digit) drawn under the strokes, stretched
  // to the whole canvas with bilinear filtering. Replaces strokes.
  void SetBackground(const float* pixels, int width, int height);
  bool has_background() const { return !background_.empty(); }

  const std::vector<Stroke>& strokes() const { return strokes_; }
  bool drawing() const { return drawing_; }
  // Coverage in [0,1], kCanvasSize x kCanvasSize, row-major.
  const std::vector<float>& pixels() const { return pixels_; }
  // Changes on every edit; consumers compare it to know when to recompute.
  uint64_t revision() const { return revision_; }
  bool empty() const;

 private:
  void PaintSegment(const Point& a, const Point& b, float radius, bool erase);
  void Redraw();

  std::vector<Stroke> strokes_;
  std::vector<float> background_;  // kCanvasSize², or empty
  std::vector<float> pixels_;
  bool drawing_ = false;
  uint64_t revision_ = 0;
};

}  // namespace qlite::gui
