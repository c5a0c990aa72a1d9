// MNIST-style preprocessing: ink bounding box -> 20x20 keeping aspect ->
// centred by centre of mass in 28x28, anti-aliased, values in [0,1].
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gui/app/canvas.h"
#include "gui/app/preprocess.h"

namespace qlite::gui {
namespace {

struct Box {
  int x0 = kMnistSide, y0 = kMnistSide, x1 = -1, y1 = -1;
  int width() const { return x1 - x0 + 1; }
  int height() const { return y1 - y0 + 1; }
};

Box InkBox(const MnistImage& image) {
  Box box;
  for (int y = 0; y < kMnistSide; ++y) {
    for (int x = 0; x < kMnistSide; ++x) {
      if (image[y * kMnistSide + x] > 0.0f) {
        box.x0 = std::min(box.x0, x);
        box.y0 = std::min(box.y0, y);
        box.x1 = std::max(box.x1, x);
        box.y1 = std::max(box.y1, y);
      }
    }
  }
  return box;
}

// A filled rectangle drawn off-centre, in the top-left corner of the canvas.
TEST(PreprocessTest, RectangleIsScaledTo20AndCentredByMass) {
  std::vector<float> canvas(kCanvasSize * kCanvasSize, 0.0f);
  for (int y = 10; y < 110; ++y) {
    for (int x = 20; x < 70; ++x) canvas[y * kCanvasSize + x] = 1.0f;
  }
  MnistImage out;
  const PreprocessInfo info = PreprocessMnist(canvas.data(), kCanvasSize, kCanvasSize, &out);
  ASSERT_FALSE(info.empty);
  EXPECT_EQ(info.box_x0, 20);
  EXPECT_EQ(info.box_y0, 10);
  EXPECT_EQ(info.box_x1, 70);
  EXPECT_EQ(info.box_y1, 110);
  const Box box = InkBox(out);
  EXPECT_EQ(box.height(), 20);  // the long side fills the 20-pixel box
  EXPECT_EQ(box.width(), 10);   // aspect 1:2 kept
  float cx = 0, cy = 0;
  CenterOfMass(out.data(), kMnistSide, kMnistSide, &cx, &cy);
  EXPECT_NEAR(cx, 14.0f, 0.5f);
  EXPECT_NEAR(cy, 14.0f, 0.5f);
  for (float v : out) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f);
  }
  // A solid area stays solid inside (the filter only softens edges).
  EXPECT_FLOAT_EQ(out[14 * kMnistSide + 14], 1.0f);
}

// An "L": most mass in the vertical bar, so the centre of mass, not the box
// centre, goes to (14,14): the box is shifted right of centre.
TEST(PreprocessTest, CentreOfMassNotBoxCentre) {
  Canvas canvas;
  canvas.BeginStroke(60, 40, 10, false);
  canvas.ContinueStroke(60, 240);
  canvas.ContinueStroke(200, 240);
  canvas.EndStroke();
  MnistImage out;
  const PreprocessInfo info =
      PreprocessMnist(canvas.pixels().data(), kCanvasSize, kCanvasSize, &out);
  ASSERT_FALSE(info.empty);
  const Box box = InkBox(out);
  EXPECT_LE(box.width(), 20);
  EXPECT_LE(box.height(), 20);
  EXPECT_EQ(std::max(box.width(), box.height()), 20);
  float cx = 0, cy = 0;
  CenterOfMass(out.data(), kMnistSide, kMnistSide, &cx, &cy);
  EXPECT_NEAR(cx, 14.0f, 0.5f);
  EXPECT_NEAR(cy, 14.0f, 0.5f);
  // Box centre is right of and above the centre of mass for an L.
  EXPECT_GT((box.x0 + box.x1) * 0.5f, cx + 1.0f);
  EXPECT_LT((box.y0 + box.y1) * 0.5f, cy - 1.0f);
}

TEST(PreprocessTest, StrokeEdgesAreAntiAliased) {
  Canvas canvas;
  canvas.BeginStroke(140, 40, 12, false);
  canvas.ContinueStroke(100, 240);
  canvas.EndStroke();
  MnistImage out;
  PreprocessMnist(canvas.pixels().data(), kCanvasSize, kCanvasSize, &out);
  int partial = 0, full = 0;
  for (float v : out) {
    if (v > 0.05f && v < 0.95f) ++partial;
    if (v >= 0.95f) ++full;
  }
  EXPECT_GT(partial, 10);  // grey edge pixels, as in MNIST
  EXPECT_GT(full, 5);      // and a solid core
}

TEST(PreprocessTest, EmptyCanvasGivesZeros) {
  std::vector<float> canvas(kCanvasSize * kCanvasSize, 0.0f);
  canvas[5] = 0.01f;  // below the ink threshold: anti-aliasing dust
  MnistImage out;
  out.fill(0.5f);
  EXPECT_TRUE(PreprocessMnist(canvas.data(), kCanvasSize, kCanvasSize, &out).empty);
  for (float v : out) EXPECT_EQ(v, 0.0f);
}

// RGBA pictures: a 40x60 rectangle of `ink` on `paper` at (10,20) in 100x100.
std::vector<uint8_t> Picture(uint8_t paper, uint8_t ink) {
  std::vector<uint8_t> rgba(100 * 100 * 4, 255);
  for (int i = 0; i < 100 * 100; ++i) {
    const int x = i % 100, y = i / 100;
    const uint8_t v = x >= 10 && x < 50 && y >= 20 && y < 80 ? ink : paper;
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = v;
  }
  return rgba;
}

TEST(PreprocessPictureTest, DarkInkOnPaperAndLightInkOnBlackGiveTheSameInput) {
  MnistImage on_paper, on_black;
  const PreprocessInfo a = PreprocessPicture(Picture(240, 40).data(), 100, 100, &on_paper);
  const PreprocessInfo b = PreprocessPicture(Picture(0, 200).data(), 100, 100, &on_black);
  ASSERT_FALSE(a.empty);
  ASSERT_FALSE(b.empty);
  EXPECT_EQ(a.box_x0, 10);  // the ink, not the paper, is the digit
  EXPECT_EQ(a.box_y0, 20);
  EXPECT_EQ(a.box_x1, 50);
  EXPECT_EQ(a.box_y1, 80);
  EXPECT_EQ(on_paper, on_black);  // both stretched to full-strength ink
  EXPECT_FLOAT_EQ(on_paper[14 * kMnistSide + 14], 1.0f);
  const Box box = InkBox(on_paper);
  EXPECT_EQ(box.height(), 20);  // 60 tall: the long side fills the 20-pixel box
}

TEST(PreprocessPictureTest, ColourIsWeightedAsLuminance) {
  // Pure blue ink (luma 0.114) on white: clearly darker than the paper.
  std::vector<uint8_t> rgba = Picture(255, 255);
  for (int i = 0; i < 100 * 100; ++i) {
    const int x = i % 100, y = i / 100;
    if (x >= 10 && x < 50 && y >= 20 && y < 80) rgba[4 * i] = rgba[4 * i + 1] = 0;
  }
  MnistImage out;
  ASSERT_FALSE(PreprocessPicture(rgba.data(), 100, 100, &out).empty);
  EXPECT_FLOAT_EQ(out[14 * kMnistSide + 14], 1.0f);
}

TEST(PreprocessPictureTest, FlatOrMissingPicturesAreEmpty) {
  MnistImage out;
  out.fill(0.5f);
  // 20 levels of contrast (0.078) are below the 0.1 that counts as ink.
  EXPECT_TRUE(PreprocessPicture(Picture(120, 100).data(), 100, 100, &out).empty);
  for (float v : out) EXPECT_EQ(v, 0.0f);
  EXPECT_TRUE(PreprocessPicture(nullptr, 100, 100, &out).empty);
  const uint8_t one_pixel[4] = {0, 0, 0, 255};
  EXPECT_TRUE(PreprocessPicture(one_pixel, 0, 1, &out).empty);
}

}  // namespace
}  // namespace qlite::gui
