// Canvas: anti-aliased round brush, erase, undo and clear.
#include <gtest/gtest.h>

#include <vector>

#include "gui/app/canvas.h"

namespace qlite::gui {
namespace {

float At(const Canvas& canvas, int x, int y) { return canvas.pixels()[y * kCanvasSize + x]; }

TEST(CanvasTest, StrokeCoversItsWidthWithSoftEdge) {
  // Along y = 100.5: pixel row y has its centre y + 0.5 - 100.5 = y - 100 away.
  Canvas canvas;
  canvas.BeginStroke(50, 100.5f, 10, false);
  canvas.ContinueStroke(200, 100.5f);
  canvas.EndStroke();
  EXPECT_FLOAT_EQ(At(canvas, 120, 100), 1.0f);     // on the line
  EXPECT_FLOAT_EQ(At(canvas, 120, 109), 1.0f);     // 9 px away, inside radius 10 - 0.5
  EXPECT_NEAR(At(canvas, 120, 110), 0.5f, 1e-4f);  // exactly on the edge: half covered
  EXPECT_NEAR(At(canvas, 120, 90), 0.5f, 1e-4f);   // the other edge
  EXPECT_FLOAT_EQ(At(canvas, 120, 111), 0.0f);     // 11 px away
  EXPECT_FLOAT_EQ(At(canvas, 20, 100), 0.0f);      // before the start cap
  EXPECT_FLOAT_EQ(At(canvas, 45, 100), 1.0f);      // inside the round start cap
  ASSERT_EQ(canvas.strokes().size(), 1u);
  EXPECT_EQ(canvas.strokes()[0].points.size(), 2u);
}

TEST(CanvasTest, EraseRemovesInkAndUndoRestoresIt) {
  Canvas canvas;
  canvas.BeginStroke(50, 100, 10, false);
  canvas.ContinueStroke(200, 100);
  canvas.EndStroke();
  const std::vector<float> drawn = canvas.pixels();
  const uint64_t revision = canvas.revision();
  canvas.BeginStroke(120, 60, 12, true);
  canvas.ContinueStroke(120, 140);
  canvas.EndStroke();
  EXPECT_GT(canvas.revision(), revision);
  EXPECT_FLOAT_EQ(At(canvas, 120, 100), 0.0f);
  EXPECT_FLOAT_EQ(At(canvas, 60, 100), 1.0f);  // outside the eraser
  canvas.Undo();
  EXPECT_EQ(canvas.pixels(), drawn);
  EXPECT_EQ(canvas.strokes().size(), 1u);
  canvas.Undo();
  EXPECT_TRUE(canvas.empty());
  for (float v : canvas.pixels()) ASSERT_EQ(v, 0.0f);
  canvas.Undo();  // nothing left: no-op
  EXPECT_TRUE(canvas.empty());
}

TEST(CanvasTest, ClearRemovesStrokesAndBackground) {
  Canvas canvas;
  std::vector<float> digit(28 * 28, 0.0f);
  digit[14 * 28 + 14] = 1.0f;
  canvas.SetBackground(digit.data(), 28, 28);
  EXPECT_TRUE(canvas.has_background());
  EXPECT_GT(At(canvas, 145, 145), 0.9f);  // the middle of source pixel (14,14)
  canvas.BeginStroke(10, 10, 5, false);
  canvas.EndStroke();
  canvas.Clear();
  EXPECT_TRUE(canvas.empty());
  EXPECT_FALSE(canvas.has_background());
  for (float v : canvas.pixels()) ASSERT_EQ(v, 0.0f);
}

TEST(CanvasTest, UndoWithoutStrokesRemovesBackground) {
  Canvas canvas;
  std::vector<float> digit(28 * 28, 1.0f);
  canvas.SetBackground(digit.data(), 28, 28);
  canvas.BeginStroke(10, 10, 5, true);
  canvas.EndStroke();
  EXPECT_LT(At(canvas, 10, 10), 0.01f);
  canvas.Undo();
  EXPECT_FLOAT_EQ(At(canvas, 10, 10), 1.0f);
  canvas.Undo();
  EXPECT_FALSE(canvas.has_background());
}

}  // namespace
}  // namespace qlite::gui
