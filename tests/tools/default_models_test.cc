// The shipped default models (models/) are what scripts/make_models.sh makes:
// every post-training-quantized model is re-made here from the shipped float
// model with the script's exact command and must come out byte for byte the
// same. (The training steps are covered by the trainer's determinism tests;
// re-training here would take minutes under the sanitizers.) Each default
// model also has to keep its recorded accuracy on the first 1,000 MNIST test
// images within a small margin, through both kernel sets.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/util/command.h"

namespace qlite {
namespace {

using testing::CommandResult;
using testing::RunCli;

const std::string kModels = std::string(QLITE_SOURCE_DIR) + "/models/";
const char* const kRepr = " --repr mnist:train:100";

std::vector<char> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}

std::string TempDir() {
  char pattern[] = "/tmp/qlite_defaults_XXXXXX";
  const char* dir = mkdtemp(pattern);
  return dir ? dir : "";
}

struct Remade {
  const char* file;    // in models/
  const char* source;  // the float model it is made from
  std::string options;
};

TEST(DefaultModels, QuantizedDefaultsAreWhatMakeModelsWrites) {
  const std::vector<Remade> cases = {
      {"tutorial_float16.tflite", "tutorial_float.tflite", "--mode float16"},
      {"tutorial_dynamic.tflite", "tutorial_float.tflite", "--mode dynamic"},
      {"tutorial_int8_fallback.tflite", "tutorial_float.tflite",
       std::string("--mode int8-fallback") + kRepr},
      {"tutorial_int8_uint8io.tflite", "tutorial_float.tflite",
       std::string("--mode int8") + kRepr + " --io uint8"},
      {"lenet5_int8.tflite", "lenet5_float.tflite", std::string("--mode int8") + kRepr},
  };
  const std::string dir = TempDir();
  ASSERT_FALSE(dir.empty());
  for (const Remade& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string out = dir + "/" + c.file;
    const CommandResult r =
        RunCli("quantize " + kModels + c.source + " -o " + out + " " + c.options);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::vector<char> shipped = ReadAll(kModels + c.file);
    ASSERT_FALSE(shipped.empty()) << "models/" << c.file << " is missing";
    EXPECT_TRUE(ReadAll(out) == shipped)
        << "models/" << c.file << " differs from what scripts/make_models.sh makes now; "
        << "re-run scripts/make_models.sh and commit models/";
    std::remove(out.c_str());
  }
  rmdir(dir.c_str());
}

TEST(DefaultModels, KeepTheirAccuracyWithBothKernelSets) {
  std::string models;
  for (const char* file :
       {"tutorial_float", "tutorial_float16", "tutorial_dynamic", "tutorial_int8_fallback",
        "tutorial_int8_uint8io", "tutorial_qat_int8", "lenet5_float", "lenet5_int8"}) {
    models += " " + kModels + file + ".tflite";
  }
  for (const char* kernels : {"reference", "simd"}) {
    SCOPED_TRACE(kernels);
    const CommandResult r = RunCli("eval" + models + " --limit 1000 --kernels " + kernels);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // One table row per model: "path | mode | bytes | accuracy% | ...".
    int rows = 0;
    size_t at = 0;
    while ((at = r.output.find(kModels, at)) != std::string::npos) {
      const size_t line_end = r.output.find('\n', at);
      const std::string line = r.output.substr(at, line_end - at);
      at = line_end;
      if (line.find(" | ") == std::string::npos) continue;  // a progress line
      ++rows;
      const size_t percent = line.find('%');
      ASSERT_NE(percent, std::string::npos) << line;
      const size_t start = line.rfind('|', percent) + 1;
      const double accuracy = std::stod(line.substr(start, percent - start));
      // Tutorial CNN: 97.6-98.2 % on these 1,000 images; LeNet-5 higher.
      EXPECT_GE(accuracy, 97.0) << line;
    }
    EXPECT_EQ(rows, 8) << r.output;
  }
}

}  // namespace
}  // namespace qlite
