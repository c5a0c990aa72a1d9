#include "gui/app/test_strokes.h"

#include <algorithm>
#include <cmath>

#include "gui/app/demo_app.h"

namespace qlite::gui {

namespace {

constexpr float kPointSpacing = 4.0f;  // canvas pixels between mouse samples
constexpr float kPi = 3.14159265f;

// A polyline through `corners` (given for a 280-pixel canvas), resampled every
// kPointSpacing pixels and scaled to `canvas_size`.
Polyline Path(std::initializer_list<Point> corners, float canvas_size) {
  const float s = canvas_size / 280.0f;
  Polyline out;
  const Point* previous = nullptr;
  for (const Point& corner : corners) {
    if (previous != nullptr) {
      const float dx = corner.x - previous->x, dy = corner.y - previous->y;
      const int steps = std::max(1, static_cast<int>(std::hypot(dx, dy) / kPointSpacing));
      for (int i = 1; i <= steps; ++i) {
        const float t = static_cast<float>(i) / steps;
        out.push_back({(previous->x + t * dx) * s, (previous->y + t * dy) * s});
      }
    } else {
      out.push_back({corner.x * s, corner.y * s});
    }
    previous = &corner;
  }
  return out;
}

// An ellipse started at the top and drawn counter-clockwise, as most people
// write a 0, overlapping its start a little.
Polyline Ellipse(float cx, float cy, float rx, float ry, float canvas_size) {
  const float s = canvas_size / 280.0f;
  Polyline out;
  const float circumference = 2 * kPi * std::sqrt((rx * rx + ry * ry) / 2);
  const int steps = static_cast<int>(circumference * 1.05f / kPointSpacing);
  for (int i = 0; i <= steps; ++i) {
    const float a = -kPi / 2 - 2 * kPi * 1.05f * i / steps;
    out.push_back({(cx + rx * std::cos(a)) * s, (cy + ry * std::sin(a)) * s});
  }
  return out;
}

}  // namespace

std::vector<Polyline> TestDigitStrokes(int digit, float canvas_size) {
  switch (digit) {
    case 0: return {Ellipse(140, 140, 58, 88, canvas_size)};
    // One stroke, leaning slightly right like most handwritten ones.
    case 1: return {Path({{152, 48}, {134, 232}}, canvas_size)};
    // An open 4: down-left, across, then the long vertical.
    case 4:
      return {Path({{104, 50}, {84, 160}, {206, 158}}, canvas_size),
              Path({{176, 66}, {170, 236}}, canvas_size)};
    // Top bar, then the diagonal down to the left, in one stroke.
    case 7: return {Path({{80, 60}, {200, 58}, {122, 232}}, canvas_size)};
    default: return {};
  }
}

void DrawStrokes(DemoApp& app, const std::vector<Polyline>& strokes) {
  for (const Polyline& line : strokes) {
    if (line.empty()) continue;
    app.BeginStroke(line[0].x, line[0].y);
    for (size_t i = 1; i < line.size(); ++i) app.ContinueStroke(line[i].x, line[i].y);
    app.EndStroke();
  }
}

}  // namespace qlite::gui
