// The digit demo drawn with Dear ImGui (no SDL, no GL): one full-window
// panel over a DemoApp. The platform mains call DrawDemo between
// ImGui::NewFrame() and ImGui::Render(), after DemoApp::Tick().
#pragma once

#include "gui/app/demo_app.h"

namespace qlite::gui {

// All widgets of one frame.
void DrawDemo(DemoApp& app);

}  // namespace qlite::gui
