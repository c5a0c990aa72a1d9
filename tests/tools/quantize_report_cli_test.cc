// `qlite quantize` on a float16-weight model and on a model with nothing to
// quantize: exit codes, the printed per-op-type report, --allow-float.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/quantize/quantize_test_util.h"
#include "tests/util/command.h"

namespace qlite {
namespace {

using testing::CommandResult;
using testing::RunCli;

bool Exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

class QuantizeReportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/qlite_quantize_report_XXXXXX";
    const char* dir = mkdtemp(pattern);
    ASSERT_NE(dir, nullptr);
    dir_ = dir;
    block_ = dir_ + "/block_fp16.tflite";
    ASSERT_TRUE(WriteModelFile(testing::BuildFloat16Block(), WriterOptions(), block_).ok());
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  std::string dir_, block_;
};

TEST_F(QuantizeReportCli, DynamicOnAFloat16ModelPrintsTheReportPerOpType) {
  const std::string out = dir_ + "/dynamic.tflite";
  const CommandResult r = RunCli("quantize " + block_ + " -o " + out + " --mode dynamic");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Exists(out));
  for (const char* line :
       {"DEQUANTIZE                     8  folded: float16 constant folded into a float32 "
        "constant",
        "CONV_2D                        2  quantized: hybrid, int8 weights per channel",
        "DEPTHWISE_CONV_2D              1  float: weights have fewer than 1024 elements",
        "ADD                            1  float: not a weight op",
        "MEAN                           1  float: not a weight op",
        "FULLY_CONNECTED                1  quantized: hybrid",
        "3 op(s) quantized, 3 float, 8 float16 constant(s) folded", "float16 (input)"}) {
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
  }
}

TEST_F(QuantizeReportCli, NothingQuantizedFailsUnlessFloatIsAllowed) {
  // float16 mode on a model whose constants are all float16 already.
  const std::string out = dir_ + "/float16.tflite";
  CommandResult r = RunCli("quantize " + block_ + " -o " + out + " --mode float16");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("qlite quantize: --mode float16 quantized nothing; float:"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("node 2 (CONV_2D): its constants were float16 already"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("--allow-float"), std::string::npos) << r.output;
  EXPECT_FALSE(Exists(out));

  r = RunCli("quantize " + block_ + " -o " + out + " --mode float16 --allow-float");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("qlite quantize: warning: --mode float16 quantized nothing"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("0 op(s) quantized, 6 float, 8 float16 constant(s) folded"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(Exists(out));
}

}  // namespace
}  // namespace qlite
