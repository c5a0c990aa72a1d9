// qlite-gui --selftest: draws a "1", clears, draws a "7" through the view's
// canvas with scripted mouse input, checks both models' top-1 and reports the
// frame times while drawing.
#pragma once

#include <functional>

#include "gui/app/demo_app.h"

namespace qlite::gui {

// Mouse input the desktop loop hands to ImGui instead of the pointer's.
struct ScriptedMouse {
  float x = 0.0f, y = 0.0f;  // window px
  bool down = false;
};

// How long one frame took: wall-clock; CPU time of the whole process (with
// the GL driver's threads: under Xvfb that is llvmpipe rasterizing, i.e. the
// GPU's work done by the CPU); CPU time of the main thread (app, ImGui and GL
// command submission: the frame loop's own cost). On a shared machine wall
// time also counts other programs' turns on the CPU; CPU times do not.
struct FrameTime {
  double wall_ms = 0, process_ms = 0, thread_ms = 0;
};

// Runs one frame of the desktop loop with `mouse` and returns its duration.
using FrameRunner = std::function<FrameTime(const ScriptedMouse& mouse)>;

// Returns the process exit code: 0 when both digits are recognized by both
// models and the main thread's mean CPU time per frame while drawing is within
// the 16 ms budget (all three times are printed).
int RunSelftest(DemoApp& app, const FrameRunner& run_frame);

}  // namespace qlite::gui
