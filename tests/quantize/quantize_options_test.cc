// The converter's options: per-tensor weights, denylists by op type and node
// name, the int16x8 bias width, I/O types per tensor; their parsing as
// `qlite quantize` flags; the node-name patterns.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>

#include "quantize/name_pattern.h"
#include "tests/quantize/quantize_test_util.h"
#include "tests/util/command.h"

namespace qlite {
namespace {

using testing::ArgMax;
using testing::BuildMnistCnn;
using testing::LoadThroughFile;
using testing::MnistDataset;
using testing::MnistTest200;
using testing::RunImage;

bool IsConversion(BuiltinOp op) {
  return op == BuiltinOp::kQuantize || op == BuiltinOp::kDequantize;
}

class QuantizeOptionsTest : public ::testing::Test {
 protected:
  // The CNN: conv "conv/relu" -> pool "pool" -> reshape "flatten" ->
  // dense "logits" -> softmax "probabilities".
  void SetUp() override {
    float_model_ = BuildMnistCnn({3, /*softmax=*/true, false});
    static const RangeMap* ranges = [this] {
      MnistDataset data(MnistSplit::kTrain, 50);
      auto* r = new RangeMap();
      const Status s = Calibrate(float_model_, data, r);
      EXPECT_TRUE(s.ok()) << s.message();
      return r;
    }();
    ranges_ = ranges;
  }

  Status Quantize(const QuantizeOptions& options, Model* out, QuantizeReport* report) {
    return QuantizeModel(float_model_, *ranges_, options, out, report);
  }

  // Arg-max agreement with the float model on 200 test images.
  double AgreementWithFloat(const Model& quantized) {
    auto reference = LoadThroughFile(float_model_, nullptr);
    auto model = LoadThroughFile(quantized, nullptr);
    if (reference == nullptr || model == nullptr) return 0.0;
    const MnistSet& set = MnistTest200();
    int same = 0;
    for (int i = 0; i < set.count; ++i) {
      same += ArgMax(RunImage(*reference, set.image(i), set.pixels())) ==
              ArgMax(RunImage(*model, set.image(i), set.pixels()));
    }
    return set.count ? static_cast<double>(same) / set.count : 0.0;
  }

  Model float_model_;
  const RangeMap* ranges_ = nullptr;
};

// The op of `model` whose first output is named `name`.
const OperatorDef* OpNamed(const Model& model, const std::string& name) {
  for (const OperatorDef& op : model.operators) {
    if (!op.outputs.empty() && model.tensors[op.outputs[0]].name == name) return &op;
  }
  return nullptr;
}

TEST_F(QuantizeOptionsTest, DenylistedNodeByNameIsTheOnlyFloatOne) {
  QuantizeOptions options;  // full int8: the denylisted node does not fail it
  options.denylist_nodes = {"pool"};
  Model q;
  QuantizeReport report;
  const Status s = Quantize(options, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.quantized_ops, 4);
  EXPECT_EQ(report.float_ops, 1);
  EXPECT_EQ(report.denylisted_ops, 1);
  ASSERT_EQ(report.ops.size(), 5u);
  EXPECT_EQ(report.ops[1].kind, OpOutcome::Kind::kFloat);
  EXPECT_EQ(report.ops[1].result, "denylisted: node 'pool'");
  EXPECT_NE(FormatReportTable(report).find("MAX_POOL_2D                    1  float: denylisted: "
                                           "node 'pool'"),
            std::string::npos)
      << FormatReportTable(report);

  // MAX_POOL_2D alone is float, between a DEQUANTIZE and a QUANTIZE; every
  // other op reads and writes int8 activations.
  std::vector<BuiltinOp> ops;
  for (const OperatorDef& op : q.operators) ops.push_back(op.op);
  EXPECT_EQ(ops, (std::vector<BuiltinOp>{
                     BuiltinOp::kQuantize, BuiltinOp::kConv2D, BuiltinOp::kDequantize,
                     BuiltinOp::kMaxPool2D, BuiltinOp::kQuantize, BuiltinOp::kReshape,
                     BuiltinOp::kFullyConnected, BuiltinOp::kSoftmax, BuiltinOp::kDequantize}));
  for (const OperatorDef& op : q.operators) {
    if (IsConversion(op.op)) continue;
    const DType want = op.op == BuiltinOp::kMaxPool2D ? DType::kFloat32 : DType::kInt8;
    EXPECT_EQ(q.tensors[op.inputs[0]].type, want) << BuiltinOpName(op.op);
    EXPECT_EQ(q.tensors[op.outputs[0]].type, want) << BuiltinOpName(op.op);
  }
  EXPECT_GE(AgreementWithFloat(q), 0.95);
}

TEST_F(QuantizeOptionsTest, DenylistsByOpTypeAndByPattern) {
  QuantizeOptions options;
  options.mode = QuantMode::kInt16x8;
  ASSERT_TRUE(SetQuantizeOption("denylist-ops", "SOFTMAX", &options).ok());
  ASSERT_TRUE(SetQuantizeOption("denylist-nodes", "conv/.*|flat+en", &options).ok());
  Model q;
  QuantizeReport report;
  const Status s = Quantize(options, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.denylisted_ops, 3);
  EXPECT_EQ(report.quantized_ops, 2);  // pool, dense
  EXPECT_EQ(report.ops[0].result, "denylisted: node 'conv/relu' matches 'conv/.*|flat+en'");
  EXPECT_EQ(report.ops[2].result, "denylisted: node 'flatten' matches 'conv/.*|flat+en'");
  EXPECT_EQ(report.ops[4].result, "denylisted: op type SOFTMAX");
  EXPECT_EQ(q.tensors[OpNamed(q, "conv/relu")->outputs[0]].type, DType::kFloat32);
  EXPECT_EQ(q.tensors[OpNamed(q, "pool")->outputs[0]].type, DType::kInt16);
  EXPECT_GE(AgreementWithFloat(q), 0.95);
}

TEST_F(QuantizeOptionsTest, DenylistingEveryOpQuantizesNothingAndFails) {
  QuantizeOptions options;
  options.denylist_ops = {"CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"};
  Model q;
  QuantizeReport report;
  const Status s = Quantize(options, &q, &report);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--mode int8 quantized nothing; float:\n  node 0 (CONV_2D): "
                             "denylisted: op type CONV_2D"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(q.operators.empty());
}

TEST_F(QuantizeOptionsTest, PerTensorWritesOneScalePerWeightTensor) {
  for (QuantMode mode : {QuantMode::kInt8, QuantMode::kInt16x8, QuantMode::kDynamic}) {
    SCOPED_TRACE(QuantModeName(mode));
    QuantizeOptions options;
    options.mode = mode;
    options.per_channel = false;
    if (mode == QuantMode::kDynamic) options.allow_float = true;  // the conv is under 1024 values
    Model q;
    QuantizeReport report;
    const Status s = Quantize(options, &q, &report);
    ASSERT_TRUE(s.ok()) << s.message();
    int weights = 0;
    for (const OperatorDef& op : q.operators) {
      if (op.op != BuiltinOp::kConv2D && op.op != BuiltinOp::kFullyConnected) continue;
      const TensorDef& w = q.tensors[op.inputs[1]];
      if (w.type != DType::kInt8) continue;
      ++weights;
      EXPECT_EQ(w.quant.scale.size(), 1u) << w.name;
      EXPECT_EQ(w.quant.zero_point, std::vector<int64_t>{0}) << w.name;
      if (mode == QuantMode::kDynamic) continue;
      const TensorDef& b = q.tensors[op.inputs[2]];
      ASSERT_EQ(b.quant.scale.size(), 1u) << b.name;
      EXPECT_EQ(b.quant.scale[0], q.tensors[op.inputs[0]].quant.scale[0] * w.quant.scale[0]);
    }
    EXPECT_EQ(weights, mode == QuantMode::kDynamic ? 1 : 2);
    EXPECT_GE(AgreementWithFloat(q), 0.95);
  }
  // Per channel (the default) keeps one scale per output channel.
  Model q;
  ASSERT_TRUE(Quantize(QuantizeOptions(), &q, nullptr).ok());
  EXPECT_EQ(q.tensors[OpNamed(q, "conv/relu")->inputs[1]].quant.scale.size(), 12u);
}

TEST_F(QuantizeOptionsTest, Int16x8BiasInt32OnConvOnly) {
  QuantizeOptions options;
  options.mode = QuantMode::kInt16x8;
  ASSERT_TRUE(SetQuantizeOption("bias-int32", "", &options).ok());
  Model q;
  ASSERT_TRUE(Quantize(options, &q, nullptr).ok());
  // TFLite's 16x8 CONV_2D takes an int32 bias; FULLY_CONNECTED needs int64.
  EXPECT_EQ(q.tensors[OpNamed(q, "conv/relu")->inputs[2]].type, DType::kInt32);
  EXPECT_EQ(q.tensors[OpNamed(q, "logits")->inputs[2]].type, DType::kInt64);
  // The same bias values in int32: TFLite's int32-bias path requantizes with
  // the 32-bit multiplier, the int64 one with the reduced 16-bit one, so the
  // softmax outputs (scale 1/32768) differ by at most one step.
  QuantizeOptions int64_bias;
  int64_bias.mode = QuantMode::kInt16x8;
  Model reference;
  ASSERT_TRUE(Quantize(int64_bias, &reference, nullptr).ok());
  auto with_int32 = LoadThroughFile(q, nullptr);
  auto with_int64 = LoadThroughFile(reference, nullptr);
  // As the converter marks it, through the written file: Conv2DOptions'
  // quantized_bias_type INT32 (2) and CONV_2D version 8; int64 leaves both.
  const OperatorDef* conv = OpNamed(with_int32->model(), "conv/relu");
  ASSERT_NE(std::any_cast<Conv2DOptions>(&conv->options), nullptr);
  EXPECT_EQ(std::any_cast<Conv2DOptions>(&conv->options)->quantized_bias_type, 2);
  EXPECT_EQ(conv->version, 8);
  const OperatorDef* conv64 = OpNamed(with_int64->model(), "conv/relu");
  ASSERT_NE(std::any_cast<Conv2DOptions>(&conv64->options), nullptr);
  EXPECT_EQ(std::any_cast<Conv2DOptions>(&conv64->options)->quantized_bias_type, 0);
  EXPECT_LT(conv64->version, 8);
  const MnistSet& set = MnistTest200();
  for (int i = 0; i < 20; ++i) {
    const std::vector<float> a = RunImage(*with_int32, set.image(i), set.pixels());
    const std::vector<float> b = RunImage(*with_int64, set.image(i), set.pixels());
    ASSERT_EQ(a.size(), b.size());
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_LE(std::fabs(a[k] - b[k]), 1.0f / 32768.0f + 1e-9f) << "image " << i << " class " << k;
    }
  }

  options.mode = QuantMode::kInt8;
  const Status s = Quantize(options, &q, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("an int32 bias applies to --mode int16x8 only"), std::string::npos)
      << s.message();
}

TEST_F(QuantizeOptionsTest, IoTypePerTensorOverridesTheGlobalOne) {
  QuantizeOptions options;
  options.io = IoType::kInt8;
  ASSERT_TRUE(SetQuantizeOption("input-type", "input=uint8", &options).ok());
  ASSERT_TRUE(SetQuantizeOption("output-type", "probabilities=float32", &options).ok());
  Model q;
  ASSERT_TRUE(Quantize(options, &q, nullptr).ok());
  EXPECT_EQ(q.tensors[q.inputs[0]].type, DType::kUInt8);
  EXPECT_EQ(q.tensors[q.inputs[0]].name, "input");
  EXPECT_EQ(q.tensors[q.outputs[0]].type, DType::kFloat32);
  EXPECT_EQ(q.tensors[q.outputs[0]].name, "probabilities");
  EXPECT_GE(AgreementWithFloat(q), 0.95);

  QuantizeOptions wrong;
  ASSERT_TRUE(SetQuantizeOption("output-type", "logits=int8", &wrong).ok());
  Status s = Quantize(wrong, &q, nullptr);
  EXPECT_NE(s.message().find("--output-type: the model has no output named 'logits'"),
            std::string::npos)
      << s.message();
  wrong = QuantizeOptions();
  wrong.input_io["input"] = IoType::kInt16;
  s = Quantize(wrong, &q, nullptr);
  EXPECT_NE(s.message().find("int16 I/O needs --mode int16x8 (input 'input')"), std::string::npos)
      << s.message();
  wrong.mode = QuantMode::kFloat16;
  s = Quantize(wrong, &q, nullptr);
  EXPECT_NE(s.message().find("input / output types apply to the integer modes only"),
            std::string::npos)
      << s.message();
}

TEST(QuantizeOptionParsing, BadValuesNameWhatIsWrong) {
  QuantizeOptions options;
  Status s = SetQuantizeOption("denylist-ops", "CONV_2D,CONV2D", &options);
  EXPECT_EQ(s.message(), "'CONV2D' is not a TFLite builtin op name (e.g. CONV_2D)");
  s = SetQuantizeOption("denylist-ops", "", &options);
  EXPECT_FALSE(s.ok());
  s = SetQuantizeOption("denylist-nodes", "conv(1", &options);
  EXPECT_EQ(s.message(), "node pattern 'conv(1': missing ')' at offset 6");
  s = SetQuantizeOption("input-type", "input", &options);
  EXPECT_EQ(s.message(), "expected NAME=TYPE, got 'input'");
  s = SetQuantizeOption("input-type", "input=float64", &options);
  EXPECT_EQ(s.message(), "'input=float64': unknown type 'float64' (float32, int8, uint8, int16)");
  s = SetQuantizeOption("per-channel", "", &options);
  EXPECT_EQ(s.message(), "unknown quantizer option 'per-channel'");
  EXPECT_EQ(options.denylist_ops, std::vector<std::string>{"CONV_2D"});
  // A name with '=' in it: the type follows the last '='.
  ASSERT_TRUE(SetQuantizeOption("input-type", "a=b=int8", &options).ok());
  EXPECT_EQ(options.input_io.at("a=b"), IoType::kInt8);
}

bool Matches(const std::string& pattern, const std::string& name) {
  NamePattern p;
  const Status s = NamePattern::Compile(pattern, &p);
  EXPECT_TRUE(s.ok()) << s.message();
  return p.Matches(name);
}

TEST(NamePatternTest, MatchesWholeNames) {
  EXPECT_TRUE(Matches("conv1", "conv1"));
  EXPECT_FALSE(Matches("conv1", "conv10"));  // whole name, not a prefix
  EXPECT_FALSE(Matches("conv1", "xconv1"));
  EXPECT_TRUE(Matches("^conv1$", "conv1"));
  EXPECT_TRUE(Matches("model/conv.*", "model/conv2d_1/Relu"));
  EXPECT_TRUE(Matches(".*Relu", "model/conv2d_1/Relu"));
  EXPECT_FALSE(Matches(".*Relu", "model/conv2d_1/Relu6"));
  EXPECT_TRUE(Matches("a|b|cd", "cd"));
  EXPECT_FALSE(Matches("a|b|cd", "c"));
  EXPECT_TRUE(Matches("x(ab)+y", "xababy"));
  EXPECT_FALSE(Matches("x(ab)+y", "xy"));
  EXPECT_TRUE(Matches("x(?:ab)*y", "xy"));
  EXPECT_TRUE(Matches("dense_\\d+", "dense_12"));
  EXPECT_FALSE(Matches("dense_\\d+", "dense_"));
  EXPECT_TRUE(Matches("[a-c_]{2,3}", "a_c"));
  EXPECT_FALSE(Matches("[a-c_]{2,3}", "a"));
  EXPECT_FALSE(Matches("[a-c_]{2,3}", "abcb"));
  EXPECT_TRUE(Matches("[^/]+", "logits"));
  EXPECT_FALSE(Matches("[^/]+", "dense/logits"));
  EXPECT_TRUE(Matches("a\\.b", "a.b"));
  EXPECT_FALSE(Matches("a\\.b", "axb"));
  EXPECT_TRUE(Matches("\\w+\\s?\\W", "ab_9 /"));
  EXPECT_TRUE(Matches("(a*)*b", "aaaaab"));
  EXPECT_TRUE(Matches("x{0}y", "y"));
  EXPECT_TRUE(Matches("", ""));
  EXPECT_FALSE(Matches("", "a"));
  // Catastrophic backtracking stops at the step budget: no match, no hang.
  EXPECT_FALSE(Matches("(a|a)*(a|a)*(a|a)*(a|a)*c", std::string(40, 'a')));
}

TEST(NamePatternTest, MalformedPatternsFailWithTheOffset) {
  NamePattern p;
  const std::pair<const char*, const char*> cases[] = {
      {"*a", "node pattern '*a': nothing to repeat at offset 0"},
      {"a**", "node pattern 'a**': nothing to repeat at offset 2"},
      {"[a-", "node pattern '[a-': missing ']' at offset 3"},
      {"[z-a]", "node pattern '[z-a]': range out of order at offset 2"},
      {"a)", "node pattern 'a)': unmatched ')' at offset 1"},
      {"(?<n>a)", "node pattern '(?<n>a)': only (?:...) groups are supported at offset 1"},
      {"a\\", "node pattern 'a\\': trailing '\\' at offset 2"},
      {"\\bx", "node pattern '\\bx': unsupported escape '\\b' at offset 1"},
      {"a^b", "node pattern 'a^b': '^' and '$' are only supported at the ends at offset 1"},
      {"a{3,1}", "node pattern 'a{3,1}': {m,n} with n < m at offset 6"},
      {"a{2000}", "node pattern 'a{2000}': repeat count above 1000 at offset 6"},
  };
  for (const auto& [pattern, message] : cases) {
    const Status s = NamePattern::Compile(pattern, &p);
    EXPECT_EQ(s.message(), message) << pattern;
  }
}

class QuantizeOptionsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/qlite_qopts_XXXXXX";
    const char* dir = mkdtemp(pattern);
    ASSERT_NE(dir, nullptr);
    dir_ = dir;
    float_path_ = dir_ + "/cnn.tflite";
    ASSERT_TRUE(WriteModelFile(BuildMnistCnn({4, true, false}), WriterOptions(), float_path_).ok());
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  std::string dir_, float_path_;
};

TEST_F(QuantizeOptionsCli, FlagsReachTheQuantizer) {
  const std::string out = dir_ + "/int8.tflite";
  const testing::CommandResult r = testing::RunCli(
      "quantize " + float_path_ + " -o " + out +
      " --mode int8 --io int8 --repr mnist:train:10 --per-tensor --denylist-nodes 'flat+en'"
      " --denylist-ops SOFTMAX --input-type input=uint8 --output-type probabilities=float");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("RESHAPE                        1  float: denylisted: node 'flatten' "
                          "matches 'flat+en'"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("SOFTMAX                        1  float: denylisted: op type SOFTMAX"),
            std::string::npos)
      << r.output;
  Model model;
  ASSERT_TRUE(ReadModelFile(out, &model).ok());
  EXPECT_EQ(model.tensors[model.inputs[0]].type, DType::kUInt8);
  EXPECT_EQ(model.tensors[model.outputs[0]].type, DType::kFloat32);
  for (const OperatorDef& op : model.operators) {
    if (op.op == BuiltinOp::kConv2D) {
      EXPECT_EQ(model.tensors[op.inputs[1]].quant.scale.size(), 1u);
    }
  }
}

TEST_F(QuantizeOptionsCli, NothingToQuantizeExitsNonZeroWithTheReason) {
  const std::string out = dir_ + "/never.tflite";
  testing::CommandResult r =
      testing::RunCli("quantize " + float_path_ + " -o " + out +
                      " --mode int8 --repr mnist:train:5 --denylist-ops CONV_2D,MAX_POOL_2D,RESHAPE"
                      " --denylist-ops FULLY_CONNECTED,SOFTMAX");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--mode int8 quantized nothing; float:\n  node 0 (CONV_2D): "
                          "denylisted: op type CONV_2D"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("node 4 (SOFTMAX): denylisted: op type SOFTMAX"), std::string::npos)
      << r.output;
  r = testing::RunCli("quantize " + float_path_ + " -o " + out +
                      " --mode int8 --repr mnist:train:5 --denylist-nodes 'conv[1'");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--denylist-nodes: node pattern 'conv[1': missing ']' at offset 6"),
            std::string::npos)
      << r.output;
  r = testing::RunCli("quantize " + float_path_ + " -o " + out + " --mode float16 --per-tensor");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("per-tensor weights and denylists apply to the integer and dynamic "
                          "modes, not float16"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(access(out.c_str(), F_OK), -1);
}

}  // namespace
}  // namespace qlite
