#include "gui/app/canvas.h"

#include <algorithm>
#include <cmath>

namespace qlite::gui {

namespace {

float Clamp01(float v) { return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v); }

float Clamp(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

// Distance from p to the segment ab.
float DistanceToSegment(float px, float py, const Point& a, const Point& b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float length2 = dx * dx + dy * dy;
  float t = 0.0f;
  if (length2 > 0.0f) t = Clamp(((px - a.x) * dx + (py - a.y) * dy) / length2, 0.0f, 1.0f);
  const float cx = a.x + t * dx - px, cy = a.y + t * dy - py;
  return std::sqrt(cx * cx + cy * cy);
}

}  // namespace

Canvas::Canvas() : pixels_(static_cast<size_t>(kCanvasSize) * kCanvasSize, 0.0f) {}

bool Canvas::empty() const { return strokes_.empty() && background_.empty(); }

void Canvas::BeginStroke(float x, float y, float radius, bool erase) {
  if (drawing_) EndStroke();
  Stroke stroke;
  stroke.radius = std::max(radius, 0.5f);
  stroke.erase = erase;
  stroke.points.push_back({x, y});
  strokes_.push_back(stroke);
  drawing_ = true;
  PaintSegment(stroke.points[0], stroke.points[0], stroke.radius, erase);
  ++revision_;
}

void Canvas::ContinueStroke(float x, float y) {
  if (!drawing_) return;
  Stroke& stroke = strokes_.back();
  const Point last = stroke.points.back();
  if (std::fabs(last.x - x) < 0.25f && std::fabs(last.y - y) < 0.25f) return;  // no movement
  stroke.points.push_back({x, y});
  PaintSegment(last, stroke.points.back(), stroke.radius, stroke.erase);
  ++revision_;
}

void Canvas::EndStroke() { drawing_ = false; }

void Canvas::Clear() {
  strokes_.clear();
  background_.clear();
  drawing_ = false;
  std::fill(pixels_.begin(), pixels_.end(), 0.0f);
  ++revision_;
}

void Canvas::Undo() {
  drawing_ = false;
  if (!strokes_.empty()) {
    strokes_.pop_back();
  } else if (!background_.empty()) {
    background_.clear();
  } else {
    return;
  }
  Redraw();
}

void Canvas::SetBackground(const float* pixels, int width, int height) {
  strokes_.clear();
  drawing_ = false;
  background_.assign(static_cast<size_t>(kCanvasSize) * kCanvasSize, 0.0f);
  // Bilinear over pixel centres: canvas pixel centre (x+0.5) maps to source
  // coordinate (x+0.5)*width/kCanvasSize, source pixel centres at i+0.5.
  for (int y = 0; y < kCanvasSize; ++y) {
    const float sy = Clamp((y + 0.5f) * height / kCanvasSize - 0.5f, 0.0f, height - 1.0f);
    const int y0 = static_cast<int>(sy), y1 = std::min(y0 + 1, height - 1);
    const float fy = sy - y0;
    for (int x = 0; x < kCanvasSize; ++x) {
      const float sx = Clamp((x + 0.5f) * width / kCanvasSize - 0.5f, 0.0f, width - 1.0f);
      const int x0 = static_cast<int>(sx), x1 = std::min(x0 + 1, width - 1);
      const float fx = sx - x0;
      const float top = pixels[y0 * width + x0] * (1 - fx) + pixels[y0 * width + x1] * fx;
      const float bottom = pixels[y1 * width + x0] * (1 - fx) + pixels[y1 * width + x1] * fx;
      background_[static_cast<size_t>(y) * kCanvasSize + x] = Clamp01(top * (1 - fy) + bottom * fy);
    }
  }
  Redraw();
}

// A round brush: coverage falls from 1 to 0 across one pixel at the edge
// (radius ± 0.5), which is the anti-aliasing. Drawing keeps the larger value,
// erasing the smaller, so overlapping segments do not accumulate.
void Canvas::PaintSegment(const Point& a, const Point& b, float radius, bool erase) {
  const float reach = radius + 0.5f;
  const int x0 = std::max(0, static_cast<int>(std::floor(std::min(a.x, b.x) - reach)));
  const int x1 = std::min(kCanvasSize - 1, static_cast<int>(std::ceil(std::max(a.x, b.x) + reach)));
  const int y0 = std::max(0, static_cast<int>(std::floor(std::min(a.y, b.y) - reach)));
  const int y1 = std::min(kCanvasSize - 1, static_cast<int>(std::ceil(std::max(a.y, b.y) + reach)));
  for (int y = y0; y <= y1; ++y) {
    float* row = pixels_.data() + static_cast<size_t>(y) * kCanvasSize;
    for (int x = x0; x <= x1; ++x) {
      const float distance = DistanceToSegment(x + 0.5f, y + 0.5f, a, b);
      const float coverage = Clamp01(reach - distance);
      if (coverage <= 0.0f) continue;
      row[x] = erase ? std::min(row[x], 1.0f - coverage) : std::max(row[x], coverage);
    }
  }
}

void Canvas::Redraw() {
  if (background_.empty()) {
    std::fill(pixels_.begin(), pixels_.end(), 0.0f);
  } else {
    pixels_ = background_;
  }
  for (const Stroke& stroke : strokes_) {
    PaintSegment(stroke.points[0], stroke.points[0], stroke.radius, stroke.erase);
    for (size_t i = 1; i < stroke.points.size(); ++i) {
      PaintSegment(stroke.points[i - 1], stroke.points[i], stroke.radius, stroke.erase);
    }
  }
  ++revision_;
}

}  // namespace qlite::gui
