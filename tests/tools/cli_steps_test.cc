// `qlite run --steps N`: one interpreter runs N steps of input files, a
// stateful model's variable tensors carry over between steps, and --reset
// starts every step from the initial state.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <string>
#include <vector>

#include "core/format/model_writer.h"
#include "tests/util/command.h"
#include "tests/util/op_runner.h"
#include "tests/util/shared_models.h"
#include "tests/util/step_runner.h"

namespace qlite {
namespace {

using testing::CommandResult;
using testing::FromBytes;
using testing::RunCli;

class CliSteps : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/qlite_cli_steps_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    model_ = dir_ + "/accumulator.tflite";
    ASSERT_TRUE(WriteModelFile(testing::RnnAccumulatorModel(), WriterOptions{}, model_).ok());
    for (int step = 0; step < 3; ++step) {
      const std::string path = dir_ + "/x" + std::to_string(step) + ".csv";
      FILE* f = std::fopen(path.c_str(), "w");
      ASSERT_NE(f, nullptr);
      std::fprintf(f, "%d\n", step + 1);
      std::fclose(f);
    }
  }
  void TearDown() override {
    for (const char* name : {"accumulator.tflite", "x0.csv", "x1.csv", "x2.csv",
                             "step0.output0.bin", "step1.output0.bin", "step2.output0.bin"}) {
      std::remove((dir_ + "/" + name).c_str());
    }
    rmdir(dir_.c_str());
  }
  std::string Run(const std::string& options) const {
    return "run " + model_ + " --input " + dir_ + "/x0.csv --input " + dir_ + "/x1.csv --input " +
           dir_ + "/x2.csv --output-dir " + dir_ + " " + options;
  }
  float Output(int step) const {
    const std::vector<float> v = FromBytes<float>(
        testing::ReadFileOrFail(dir_ + "/step" + std::to_string(step) + ".output0.bin"));
    return v.empty() ? -1.0f : v[0];
  }
  std::string dir_, model_;
};

TEST_F(CliSteps, StateCarriesOverSteps) {
  const CommandResult r = RunCli(Run("--steps 3"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Output(0), 1.0f);
  EXPECT_EQ(Output(1), 3.0f);
  EXPECT_EQ(Output(2), 6.0f);
  EXPECT_NE(r.output.find("step 2: output 0 'out'"), std::string::npos) << r.output;
}

TEST_F(CliSteps, ResetStartsEveryStepFromTheInitialState) {
  const CommandResult r = RunCli(Run("--steps 3 --reset"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Output(0), 1.0f);
  EXPECT_EQ(Output(1), 2.0f);
  EXPECT_EQ(Output(2), 3.0f);
}

TEST_F(CliSteps, InputCountMustMatchTheSteps) {
  CommandResult r = RunCli(Run("--steps 2"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("1 inputs, times 2 steps, but 3 --input files"), std::string::npos)
      << r.output;
  r = RunCli(Run("--steps 0"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--steps"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace qlite
