// int16x8 layer models from ../shared/models/seanet, run through `qlite run`
// with CSV inputs: the output must equal TFLite's reference golden exactly.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>

#include "tests/util/op_runner.h"
#include "tests/util/shared_models.h"
#include "tools/lib/tensor_io.h"

namespace qlite {
namespace {

// Every stem listed in shared/models/README.md; each is its own test.
const char* const kStems[] = {"conv0",          "conv1",     "conv2",          "add0",
                              "add1",           "sub0",      "pad0",           "leaky_relu0",
                              "strided_slice0", "quantize0", "transpose_conv0"};

bool Exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

// Input K of a stem is STEM_input{K}_{dtype}.csv; returns "" when there is none.
std::string InputFile(const std::string& dir, const std::string& stem, int k) {
  for (const char* dtype : {"int16", "int32", "int8", "float32"}) {
    const std::string path = dir + "/" + stem + "_input" + std::to_string(k) + "_" + dtype + ".csv";
    if (Exists(path)) return path;
  }
  return "";
}

class Seanet : public ::testing::TestWithParam<const char*> {};

TEST_P(Seanet, MatchesReferenceGoldenBitExactly) {
  QLITE_REQUIRE_SHARED_MODELS(models);
  const std::string dir = models + "/seanet", stem = GetParam();
  std::string command = std::string(QLITE_CLI_PATH) + " run " + dir + "/" + stem + ".tflite";
  for (int k = 0; !InputFile(dir, stem, k).empty(); ++k)
    command += " --input " + InputFile(dir, stem, k);
  char out_dir[] = "/tmp/qlite_seanet_XXXXXX";
  ASSERT_NE(mkdtemp(out_dir), nullptr);
  command += std::string(" --output-dir ") + out_dir + " > " + out_dir + "/log.txt 2>&1";
  const int status = std::system(command.c_str());
  const std::vector<uint8_t> log = testing::ReadFileOrFail(std::string(out_dir) + "/log.txt");
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << "\n"
                                                             << std::string(log.begin(), log.end());

  const auto golden_text = testing::ReadFileOrFail(dir + "/" + stem + "_golden_int16.csv");
  std::vector<uint8_t> golden_bytes;
  const Status s = ParseCsvValues(std::string(golden_text.begin(), golden_text.end()),
                                  DType::kInt16, &golden_bytes);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string produced = std::string(out_dir) + "/output0.bin";
  const auto golden = testing::FromBytes<int16_t>(golden_bytes);
  const auto actual = testing::FromBytes<int16_t>(testing::ReadFileOrFail(produced));
  ASSERT_EQ(actual.size(), golden.size());
  int mismatches = 0;
  for (size_t i = 0; i < golden.size(); ++i) {
    if (actual[i] != golden[i] && ++mismatches <= 5) {
      ADD_FAILURE() << "element " << i << ": " << actual[i] << " vs golden " << golden[i];
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << golden.size() << " elements";
  std::remove(produced.c_str());
  std::remove((std::string(out_dir) + "/log.txt").c_str());
  rmdir(out_dir);
}

INSTANTIATE_TEST_SUITE_P(Int16x8, Seanet, ::testing::ValuesIn(kStems),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace qlite
