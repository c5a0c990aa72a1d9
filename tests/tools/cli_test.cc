// The qlite CLI end to end: run every shared golden case through `qlite run`,
// and check that errors give a message and a non-zero exit code.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/format/model_reader.h"
#include "tests/util/command.h"
#include "tests/util/golden.h"
#include "tests/util/shared_models.h"

namespace qlite {
namespace {

using testing::CommandResult;
using testing::RunCli;

std::string MakeTempDir() {
  char pattern[] = "/tmp/qlite_cli_XXXXXX";
  const char* dir = mkdtemp(pattern);
  return dir ? dir : "";
}

TEST(Cli, RunMatchesGoldenOutputsForEverySharedModel) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  const auto cases = testing::DiscoverGoldenCases(dir);
  ASSERT_GE(cases.size(), 12u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string out_dir = MakeTempDir();
    std::string args = "run " + c.model_path;
    for (const auto& in : c.input_paths) args += " --input " + in;
    args += " --output-dir " + out_dir;
    const CommandResult r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    Model model;
    ASSERT_TRUE(ReadModelFile(c.model_path, &model).ok());
    for (size_t o = 0; o < c.output_paths.size(); ++o) {
      const std::string produced = out_dir + "/output" + std::to_string(o) + ".bin";
      const DType type = model.tensors[model.outputs[o]].type;
      EXPECT_EQ(testing::CompareWithGolden(type, testing::ReadFileOrFail(produced),
                                           testing::ReadFileOrFail(c.output_paths[o])),
                "");
      std::remove(produced.c_str());
    }
    rmdir(out_dir.c_str());
  }
}

TEST(Cli, InspectPrintsTensorsOperatorsAndArena) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  const CommandResult r = RunCli("inspect " + dir + "/micro_speech_quantized.tflite");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* expected : {"Tensors", "Operators", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED",
                               "SOFTMAX", "RESHAPE", "int8", "arena:", "scale="}) {
    EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n" << r.output;
  }
}

TEST(Cli, SimdKernelsAreTheDefaultAndReferenceOnRequest) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  const std::string model = dir + "/micro_speech_quantized.tflite";
  CommandResult r = RunCli("inspect " + model);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("kernels: simd"), std::string::npos) << r.output;
  r = RunCli("inspect " + model + " --kernels reference");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("kernels: reference"), std::string::npos) << r.output;
  for (const char* command : {"inspect ", "run "}) {
    r = RunCli(command + model + " --kernels gpu");
    EXPECT_EQ(r.exit_code, std::string(command) == "inspect " ? 2 : 1) << r.output;
    EXPECT_NE(r.output.find("--kernels must be simd or reference, got 'gpu'"), std::string::npos)
        << r.output;
  }
}

TEST(Cli, ErrorsExitNonZeroWithAMessage) {
  CommandResult r = RunCli("run /nonexistent.tflite --input /dev/null");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("/nonexistent.tflite"), std::string::npos) << r.output;

  r = RunCli("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("unknown command"), std::string::npos) << r.output;

  r = RunCli("run");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("usage"), std::string::npos) << r.output;

  const std::string not_a_model = MakeTempDir() + "/notes.tflite";
  FILE* f = std::fopen(not_a_model.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("these are plain text notes, long enough to look like a file\n", f);
  std::fclose(f);
  r = RunCli("inspect " + not_a_model);
  std::remove(not_a_model.c_str());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("not a TFLite model"), std::string::npos) << r.output;
}

TEST(Cli, WrongInputSizeOrCountIsReported) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  const std::string model = dir + "/simple_add_model.tflite";
  const std::string one = dir + "/simple_add_model.s1.input0.bin";
  CommandResult r = RunCli("run " + model + " --input " + one);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("2 inputs but 1"), std::string::npos) << r.output;

  const std::string small = dir + "/hello_world_int8.s1.input0.bin";
  r = RunCli("run " + model + " --input " + one + " --input " + small);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("needs 16384"), std::string::npos) << r.output;
}

// --denormals: one summary line that tests/bench/bench_denormals.mjs parses;
// a float32 model's node outputs and constants are counted, an int8 model has none.
TEST(Cli, RunDenormalsPrintsOneSummaryLine) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  CommandResult r = RunCli("run " + dir + "/hello_world_float.tflite --input " + dir +
                           "/hello_world_float.s1.input0.bin --denormals");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(
      r.output.find("denormals total 0 in 0 of 3 nodes with float32 outputs; constants 0 of "),
      std::string::npos)
      << r.output;
  r = RunCli("run " + dir + "/simple_add_model.tflite --input " + dir +
             "/simple_add_model.s1.input0.bin --input " + dir +
             "/simple_add_model.s1.input1.bin --denormals");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(
      r.output.find("denormals total 0 in 0 of 0 nodes with float32 outputs; constants 0 of 0"),
      std::string::npos)
      << r.output;
  // Subnormal inputs pass through the tutorial CNN's first node, a RESHAPE.
  const std::string tmp = MakeTempDir();
  const std::string tiny = tmp + "/tiny.csv";
  std::string csv;
  for (int i = 0; i < 28 * 28; ++i) csv += "2e-39\n";
  FILE* f = std::fopen(tiny.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(csv.c_str(), f);
  std::fclose(f);
  r = RunCli("run " + std::string(QLITE_SOURCE_DIR) + "/models/tutorial_float.tflite --input " +
             tiny + " --denormals");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("denormals node 0 RESHAPE 'sequential/reshape/Reshape': 784 of 784"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("denormals total 784 in 1 of 5 nodes"), std::string::npos) << r.output;
  std::remove(tiny.c_str());
  rmdir(tmp.c_str());
}

}  // namespace
}  // namespace qlite
