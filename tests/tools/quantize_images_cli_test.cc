// `qlite quantize` calibrating from a folder of PNG images written here: a
// float16-weight MobileNet (qlite synth --float16) shrinks by at least 1.8x
// against its float16 file in the dynamic, int8 and int16x8 modes, the report
// counts every layer, and bad image input fails naming the file. With
// QLITE_IMAGE_MODELS_OUT set, the models stay in that folder for the LiteRT.js
// comparison (web/test/quantize-images-litert.test.mjs).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/format/model_reader.h"
#include "core/model.h"
#include "tests/tools/test_images.h"
#include "tests/util/command.h"

namespace qlite {
namespace {

using testing::CommandResult;
using testing::RunCli;

size_t FileSize(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
}

// The report table's count per op type ("CONV_2D   14  quantized: int8").
std::map<std::string, int> ReportCounts(const std::string& output) {
  std::map<std::string, int> counts;
  std::istringstream lines(output);
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.rfind("op type", 0) == 0) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    std::istringstream fields(line);
    std::string op;
    int count = 0;
    if (!(fields >> op >> count)) break;  // the summary line ends the table
    counts[op] += count;
  }
  return counts;
}

class QuantizeImagesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* keep = std::getenv("QLITE_IMAGE_MODELS_OUT");
    if (keep != nullptr && *keep != '\0') {
      dir_ = keep;
      std::system(("mkdir -p " + dir_).c_str());
    } else {
      char pattern[] = "/tmp/qlite_quantize_images_XXXXXX";
      const char* dir = mkdtemp(pattern);
      ASSERT_NE(dir, nullptr);
      dir_ = dir;
      remove_ = true;
    }
    images_ = dir_ + "/images";
    std::system(("rm -rf " + images_ + " && mkdir -p " + images_).c_str());
    // Eight pictures of other sizes than the model's 32x32 input (resized on
    // the way), and a file that is not an image (skipped).
    const int sizes[][2] = {{80, 60}, {50, 50}, {64, 64},   {120, 90},
                            {33, 47}, {64, 32}, {100, 100}, {40, 70}};
    for (int i = 0; i < 8; ++i) {
      const auto [w, h] = sizes[i];
      ASSERT_TRUE(testing::WritePng(images_ + "/picture" + std::to_string(i) + ".png", w, h, 3,
                                    testing::TestPicture(w, h, 11 + i)));
    }
    std::ofstream(images_ + "/LICENSE.txt") << "test pictures\n";
    float16_ = dir_ + "/mobilenet_float16.tflite";
    const CommandResult r = RunCli("synth mobilenet_v1 --alpha 1.0 --size 32 --channels 3 " +
                                   std::string("--float16 -o ") + float16_);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  void TearDown() override {
    if (remove_) std::system(("rm -rf " + dir_).c_str());
  }

  std::string dir_, images_, float16_;
  bool remove_ = false;
};

TEST_F(QuantizeImagesCli, EveryModeShrinksTheFloat16ModelAndReportsEveryLayer) {
  Model half;
  ASSERT_TRUE(ReadModelFile(float16_, &half).ok());
  std::map<std::string, int> layers;
  for (const OperatorDef& op : half.operators) ++layers[BuiltinOpName(op.op)];
  ASSERT_GT(layers["DEQUANTIZE"], 20);  // every weight and bias float16
  ASSERT_GT(layers["CONV_2D"], 10);
  const size_t half_bytes = FileSize(float16_);
  for (const std::string mode : {"dynamic", "int8", "int16x8"}) {
    const std::string out = dir_ + "/mobilenet_" + mode + ".tflite";
    const std::string repr = mode == "dynamic" ? "" : " --repr " + images_ + " --range -1,1";
    const CommandResult r =
        RunCli("quantize " + float16_ + " -o " + out + " --mode " + mode + repr);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    if (mode != "dynamic") {
      EXPECT_NE(r.output.find("calibrating [##############################] 8/8"),
                std::string::npos)
          << r.output;
    }
    EXPECT_EQ(ReportCounts(r.output), layers) << r.output;
    const size_t bytes = FileSize(out);
    ASSERT_GT(bytes, 0u);
    const double shrink = static_cast<double>(half_bytes) / bytes;
    EXPECT_GE(shrink, 1.8) << mode << ": " << half_bytes << " -> " << bytes;
    std::printf("%s: %zu -> %zu bytes (%.2fx)\n", mode.c_str(), half_bytes, bytes, shrink);
  }
}

TEST_F(QuantizeImagesCli, BadImageInputFailsNamingTheFile) {
  const std::string out = dir_ + "/never.tflite";
  auto run = [&](const std::string& flags) {
    return RunCli("quantize " + float16_ + " -o " + out + " --mode int8 " + flags);
  };
  CommandResult r = run("--repr " + dir_ + "/no_such_folder");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("cannot open '" + dir_ + "/no_such_folder'"), std::string::npos)
      << r.output;
  r = run("--repr " + dir_ + "/missing.jpg");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("missing.jpg': no such file or folder"), std::string::npos) << r.output;
  std::ofstream(images_ + "/broken.png") << "not a png";
  r = run("--repr " + images_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(images_ + "/broken.png: not a PNG, JPEG or BMP image"), std::string::npos)
      << r.output;
  r = run("--repr '" + images_ + "/picture*.png' --color gray");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--color gray gives 1 channel(s) but input 0"), std::string::npos)
      << r.output;
  r = run("--repr random:2 --range 1,-1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--range must be lo,hi with lo < hi"), std::string::npos) << r.output;
  EXPECT_EQ(FileSize(out), 0u);  // nothing written on failure
  // random:N calibrates without any data (a smoke test).
  r = run("--repr random:2 --mean 127.5 --std 127.5");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace qlite
