// The ImGui view without a window: frames rendered headlessly (no backend),
// mouse input fed through ImGuiIO, checking that drags on the canvas become
// strokes and the canvas rect reaches the app.
#include <gtest/gtest.h>

#include <cstdio>

#include "gui/app/demo_app.h"
#include "gui/app/test_strokes.h"
#include "gui/view/demo_view.h"
#include "imgui.h"

namespace qlite::gui {
namespace {

const std::string kModelsDir = QLITE_SOURCE_DIR "/models";

class DemoViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // a headless "upload"
    DemoConfig config = DefaultDemoConfig(kModelsDir, "");
    Status s = app_.Init(config);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  void TearDown() override { ImGui::DestroyContext(); }

  void Frame(float mouse_x, float mouse_y, bool down) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    io.MousePos = ImVec2(mouse_x, mouse_y);
    io.MouseDown[0] = down;
    app_.Tick();
    ImGui::NewFrame();
    DrawDemo(app_);
    ImGui::Render();
    ASSERT_NE(ImGui::GetDrawData(), nullptr);
  }

  DemoApp app_;
};

TEST_F(DemoViewTest, MouseDragOnTheCanvasDrawsADigit) {
  Frame(-1, -1, false);
  Frame(-1, -1, false);  // the second frame has the layout of the first
  const ScreenRect rect = app_.canvas_rect();
  ASSERT_GT(rect.w, 100.0f);
  ASSERT_EQ(rect.w, rect.h);
  const float scale = rect.w / kCanvasSize;
  for (const Polyline& line : TestDigitStrokes(7)) {
    Frame(rect.x + line[0].x * scale, rect.y + line[0].y * scale, false);
    for (const Point& p : line) Frame(rect.x + p.x * scale, rect.y + p.y * scale, true);
    Frame(rect.x + line.back().x * scale, rect.y + line.back().y * scale, false);
  }
  Frame(-1, -1, false);
  ASSERT_EQ(app_.canvas().strokes().size(), 1u);
  EXPECT_GT(app_.canvas().strokes()[0].points.size(), 20u);
  EXPECT_EQ(app_.float_runner()->prediction().top1, 7);
  EXPECT_EQ(app_.quant_runner()->prediction().top1, 7);
  EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000);
  EXPECT_LT(ImGui::GetDrawData()->TotalVtxCount, 65536);  // WebGL2 has 16-bit indices
}

// A long scribble must stay within one draw list's 16-bit indices (WebGL2
// has no vertex offsets), and still look like strokes.
TEST_F(DemoViewTest, LongScribbleStaysUnder65536Vertices) {
  for (int s = 0; s < 20; ++s) {
    app_.BeginStroke(20.0f, 20.0f + s * 12.0f);
    for (int i = 1; i < 150; ++i) {
      // A zigzag: a sharp turn (a round join) every 10 points.
      app_.ContinueStroke(20.0f + i * 1.6f, 20.0f + s * 12.0f + ((i / 10) % 2 ? 8.0f : 0.0f));
    }
    app_.EndStroke();
  }
  ASSERT_GT(app_.canvas().strokes().size(), 19u);
  Frame(-1, -1, false);
  const ImDrawData* data = ImGui::GetDrawData();
  for (int i = 0; i < data->CmdListsCount; ++i) {
    EXPECT_LT(data->CmdLists[i]->VtxBuffer.Size, 65536) << "draw list " << i;
  }
}

}  // namespace
}  // namespace qlite::gui
