// Scripted handwriting for tests: the strokes a person would draw with the
// mouse for a digit, as polylines in canvas pixels (points a few pixels
// apart, like mouse-move events). The googletest end-to-end test, the
// desktop --selftest and the Playwright test all draw these.
#pragma once

#include <vector>

#include "gui/app/canvas.h"

namespace qlite::gui {

class DemoApp;

using Polyline = std::vector<Point>;

// Digits with a script: 0, 1, 4 and 7 (others return no strokes). Drawn in
// typical handwriting proportions (about 65% of the canvas tall), for a canvas
// of `canvas_size` pixels (the shapes scale with it).
std::vector<Polyline> TestDigitStrokes(int digit, float canvas_size = kCanvasSize);

// Draws `strokes` into the app as Begin/Continue/EndStroke calls.
void DrawStrokes(DemoApp& app, const std::vector<Polyline>& strokes);

}  // namespace qlite::gui
