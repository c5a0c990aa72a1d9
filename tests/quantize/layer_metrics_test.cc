// The per-layer quantization error (quantize/layer_metrics.h): the
// QuantizationDebugger's metrics on hand-checked diffs, a one-op model
// compared end to end, `qlite compare` and `qlite quantize --report /
// --auto-denylist / --model-explorer`, and their errors.
#include "quantize/layer_metrics.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/model_builder.h"
#include "tests/quantize/quantize_test_util.h"
#include "tests/util/command.h"

namespace qlite {
namespace {

using testing::CommandResult;
using testing::RunCli;

TEST(LayerErrorTest, DebuggerMetricsOfHandCheckedDiffs) {
  // diffs = {0.5, 0, -1, 0.5}: mean 0, np.std sqrt(1.5 / 4), mse 1.5 / 4.
  const float reference[] = {2, -2, 4, 0};
  const float dequantized[] = {2.5f, -2, 3, 0.5f};
  const LayerErrorMetrics m = MeasureLayerError(dequantized, reference, 4);
  EXPECT_EQ(m.num_elements, 4);
  EXPECT_NEAR(m.mean_error, 0.0, 1e-12);
  EXPECT_NEAR(m.stddev, 0.6123724357, 1e-9);
  EXPECT_NEAR(m.max_abs_error, 1.0, 1e-12);
  EXPECT_NEAR(m.mean_squared_error, 0.375, 1e-12);
  // SNR: 10 log10(24 / 1.5) = 10 log10(16); cosine 21 / sqrt(24 * 19.5).
  EXPECT_NEAR(m.snr_db, 12.0411998266, 1e-8);
  EXPECT_NEAR(m.cosine, 0.9707253433, 1e-9);
}

TEST(LayerErrorTest, BiasedDiffsHaveMeanAndSpread) {
  // diffs = {0, 1, 2, 3}: mean 1.5, np.std sqrt(1.25), mse 3.5.
  const float reference[] = {1, 1, 1, 1};
  const float dequantized[] = {1, 2, 3, 4};
  const LayerErrorMetrics m = MeasureLayerError(dequantized, reference, 4);
  EXPECT_NEAR(m.mean_error, 1.5, 1e-12);
  EXPECT_NEAR(m.stddev, 1.1180339887, 1e-9);
  EXPECT_NEAR(m.max_abs_error, 3.0, 1e-12);
  EXPECT_NEAR(m.mean_squared_error, 3.5, 1e-12);
  EXPECT_NEAR(m.snr_db, 10 * std::log10(4.0 / 14.0), 1e-9);
  EXPECT_NEAR(m.cosine, 10 / std::sqrt(120.0), 1e-9);
}

TEST(LayerErrorTest, ExactZeroAndEmptyOutputs) {
  const float zeros[] = {0, 0};
  const float values[] = {1, -1};
  LayerErrorMetrics m = MeasureLayerError(values, values, 2);
  EXPECT_TRUE(std::isinf(m.snr_db) && m.snr_db > 0);
  EXPECT_EQ(m.mean_squared_error, 0);
  EXPECT_NEAR(m.cosine, 1.0, 1e-12);
  m = MeasureLayerError(zeros, zeros, 2);
  EXPECT_EQ(m.cosine, 1.0);
  EXPECT_TRUE(std::isinf(m.snr_db));
  m = MeasureLayerError(zeros, values, 2);  // all lost: cosine 0, SNR 0 dB
  EXPECT_EQ(m.cosine, 0.0);
  EXPECT_NEAR(m.snr_db, 0.0, 1e-12);
  m = MeasureLayerError(values, values, 0);
  EXPECT_EQ(m.num_elements, 0);
  EXPECT_TRUE(std::isnan(m.mean_squared_error));
}

TEST(LayerErrorTest, NanSampleIsSkippedByTheAverage) {
  const float reference[] = {0, 0};
  const float one[] = {1, -1};                                // mse 1
  const float three[] = {std::sqrt(3.0f), -std::sqrt(3.0f)};  // mse 3
  const float nan[] = {NAN, 0};
  LayerErrorAverage average;
  average.Add(MeasureLayerError(one, reference, 2));
  const LayerErrorMetrics with_nan = MeasureLayerError(nan, reference, 2);
  EXPECT_TRUE(std::isnan(with_nan.max_abs_error));
  EXPECT_EQ(with_nan.num_elements, 2);
  average.Add(with_nan);
  average.Add(MeasureLayerError(three, reference, 2));
  const LayerErrorMetrics mean = average.Mean();
  EXPECT_NEAR(mean.mean_squared_error, 2.0, 1e-6);  // np.nanmean of {1, nan, 3}
  EXPECT_EQ(mean.num_elements, 2);
  EXPECT_TRUE(std::isnan(LayerErrorAverage().Mean().stddev));
}

// x [1,4] -> RELU -> y, and its int8 form: x scale 0.1, y scale 0.5.
void ReluModels(Model* float_model, Model* quantized) {
  ModelBuilder f;
  const int x = f.AddTensor("x", DType::kFloat32, {1, 4});
  const int y = f.AddTensor("y", DType::kFloat32, {1, 4});
  f.AddOperator(BuiltinOp::kRelu, {x}, {y});
  f.SetInputs({x});
  f.SetOutputs({y});
  *float_model = f.Build();
  ModelBuilder q;
  const int qx = q.AddTensor("x", DType::kInt8, {1, 4}, PerTensor(0.1f, 0));
  const int qy = q.AddTensor("y", DType::kInt8, {1, 4}, PerTensor(0.5f, 0));
  q.AddOperator(BuiltinOp::kRelu, {qx}, {qy});
  q.SetInputs({qx});
  q.SetOutputs({qy});
  *quantized = q.Build();
}

TEST(CompareLayersTest, ReluAgainstFloatReluOfItsDequantizedInput) {
  Model float_model, quantized;
  ReluModels(&float_model, &quantized);
  // x = {0.3, -1, 1.2, 2} -> int8 {3, -10, 12, 20}; float RELU of that
  // {0.3, 0, 1.2, 2}. int8 RELU requantizes by 0.1 / 0.5 = 0.8 * 2^-2 as
  // TFLite does, rounding twice: 12 -> round(9.6) = 10 -> 10 / 4 = 2.5 -> 3,
  // so {1, 0, 3, 4} = {0.5, 0, 1.5, 2}: diffs {0.2, 0, 0.3, 0}.
  VectorDataset dataset({{{0.3f, -1.0f, 1.2f, 2.0f}}});
  std::vector<LayerReport> layers;
  ASSERT_TRUE(CompareLayers(float_model, quantized, dataset, &layers).ok());
  ASSERT_EQ(layers.size(), 1u);
  const LayerReport& l = layers[0];
  EXPECT_EQ(l.name, "y");
  EXPECT_EQ(l.op, "RELU");
  EXPECT_EQ(l.node, 0);
  EXPECT_EQ(l.metrics.num_elements, 4);
  EXPECT_NEAR(l.metrics.mean_error, 0.125, 1e-6);
  EXPECT_NEAR(l.metrics.max_abs_error, 0.3, 1e-6);
  EXPECT_NEAR(l.metrics.mean_squared_error, 0.13 / 4, 1e-6);
  // deviations from the mean {0.075, -0.125, 0.175, -0.125}
  EXPECT_NEAR(l.metrics.stddev, std::sqrt(0.0675 / 4), 1e-6);
  EXPECT_NEAR(l.rmse_over_scale(), std::sqrt(0.0325) / 0.5, 1e-5);
  // SNR: 10 log10((0.09 + 1.44 + 4) / 0.13).
  EXPECT_NEAR(l.metrics.snr_db, 10 * std::log10(5.53 / 0.13), 1e-4);
  const std::string json = LayerReportJson(nullptr, layers, {});
  EXPECT_NE(json.find("\"name\":\"y\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"maxAbsError\":0.3"), std::string::npos) << json;
  EXPECT_NE(ModelExplorerNodeData(layers).find("{\"results\":{\"y\":{\"value\":0.36055"),
            std::string::npos)
      << ModelExplorerNodeData(layers);
  EXPECT_NE(FormatLayerTable(layers).find("1 quantized layer(s) compared"), std::string::npos);
}

TEST(CompareLayersTest, MismatchedModelsFailNamingWhy) {
  Model float_model, quantized;
  ReluModels(&float_model, &quantized);
  VectorDataset wrong_size({{{1.0f, 2.0f}}});
  std::vector<LayerReport> layers;
  Status s = CompareLayers(float_model, quantized, wrong_size, &layers);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("needs 4"), std::string::npos) << s.message();
  VectorDataset empty({});
  EXPECT_FALSE(CompareLayers(float_model, quantized, empty, &layers).ok());
}

TEST(CompareLayersTest, WorstLayersRankByRmseOverScale) {
  std::vector<LayerReport> layers(3);
  layers[0].name = "a";
  layers[0].scale = 1;
  layers[0].metrics.mean_squared_error = 0.25;  // 0.5
  layers[1].name = "b";
  layers[1].scale = 0.1f;
  layers[1].metrics.mean_squared_error = 0.01;  // 1.0
  layers[2].name = "c";
  layers[2].scale = 0;  // no scale: NaN, last
  EXPECT_EQ(WorstLayers(layers, 2), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(WorstLayers(layers, 5), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_TRUE(WorstLayers(layers, 0).empty());
}

#ifdef QLITE_CLI_PATH
class LayerReportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/qlite_layers_XXXXXX";
    dir_ = mkdtemp(pattern);
    float_path_ = dir_ + "/cnn.tflite";
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(WriteModel(testing::BuildMnistCnn(), WriterOptions(), &bytes).ok());
    std::ofstream(float_path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string dir_, float_path_;
};

TEST_F(LayerReportCliTest, CompareAndReportPrintTheSameLayers) {
  const std::string out = dir_ + "/int8.tflite";
  CommandResult r =
      RunCli("quantize " + float_path_ + " -o " + out + " --mode int8 --repr random:3 --report " +
             dir_ + "/r.json --model-explorer " + dir_ + "/me.json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string json = Slurp(dir_ + "/r.json");
  EXPECT_NE(json.find("\"quantize\":{\"quantizedOps\""), std::string::npos) << json;
  for (const char* name : {"conv/relu", "pool", "flatten", "logits"}) {
    EXPECT_NE(json.find(std::string("\"name\":\"") + name + "\""), std::string::npos) << name;
  }
  EXPECT_NE(Slurp(dir_ + "/me.json").find("\"results\":{\"conv/relu\":{\"value\":"),
            std::string::npos);
  r = RunCli("quantize " + float_path_ + " -o " + out + " --mode int8 --repr random:3 --report " +
             dir_ + "/r.md");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(Slurp(dir_ + "/r.md").find("| 1 | CONV_2D | 8112 |"), std::string::npos)
      << Slurp(dir_ + "/r.md");
  r = RunCli("compare " + float_path_ + " " + out + " --repr random:3 --json " + dir_ + "/c.json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("4 quantized layer(s) compared"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("FULLY_CONNECTED"), std::string::npos) << r.output;
  // The same samples give the same numbers in both.
  const std::string compared = Slurp(dir_ + "/c.json");
  const size_t layers_at = compared.find("\"layers\":");
  ASSERT_NE(layers_at, std::string::npos);
  EXPECT_NE(Slurp(dir_ + "/r.json").find(compared.substr(layers_at, 200)), std::string::npos);
}

TEST_F(LayerReportCliTest, IntegerIoOutputsAreMeasuredBehindTheirQuantize) {
  // --io uint8: the int8 FULLY_CONNECTED output reaches "logits" through a
  // QUANTIZE to uint8, the input comes in through a QUANTIZE from uint8.
  const std::string out = dir_ + "/uint8.tflite";
  CommandResult r =
      RunCli("quantize " + float_path_ + " -o " + out + " --mode int8 --io uint8 --repr random:2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunCli("compare " + float_path_ + " " + out + " --repr random:2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("FULLY_CONNECTED"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("4 quantized layer(s) compared"), std::string::npos) << r.output;
}

TEST_F(LayerReportCliTest, AutoDenylistKeepsTheWorstLayersFloat) {
  const std::string out = dir_ + "/auto.tflite";
  const CommandResult r = RunCli("quantize " + float_path_ + " -o " + out +
                                 " --mode int8 --repr random:3 --auto-denylist 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string marker = "kept float by --auto-denylist: ";
  const size_t at = r.output.find(marker);
  ASSERT_NE(at, std::string::npos) << r.output;
  const std::string kept =
      r.output.substr(at + marker.size(), r.output.find('\n', at) - at - marker.size());
  Model model;
  const std::string bytes = Slurp(out);
  ASSERT_TRUE(
      ReadModelFromBytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &model)
          .ok());
  int float_layers = 0, int8_layers = 0;
  for (const OperatorDef& op : model.operators) {
    if (op.op == BuiltinOp::kQuantize || op.op == BuiltinOp::kDequantize) continue;
    const TensorDef& t = model.tensors[op.outputs[0]];
    if (t.name == kept) {
      EXPECT_EQ(t.type, DType::kFloat32) << t.name;
      ++float_layers;
    } else {
      EXPECT_EQ(t.type, DType::kInt8) << t.name;
      ++int8_layers;
    }
  }
  EXPECT_EQ(float_layers, 1) << kept;
  EXPECT_EQ(int8_layers, 3);
}

TEST_F(LayerReportCliTest, BadInputExitsWithUsageOrError) {
  const std::string out = dir_ + "/x.tflite";
  EXPECT_EQ(RunCli("compare " + float_path_).exit_code, 2);
  EXPECT_EQ(RunCli("compare --nope a b").exit_code, 2);
  EXPECT_EQ(RunCli("compare --help").exit_code, 0);
  CommandResult r =
      RunCli("compare " + float_path_ + " " + dir_ + "/missing.tflite --repr random:1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("missing.tflite"), std::string::npos) << r.output;
  r = RunCli("compare " + float_path_ + " " + float_path_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("missing --repr"), std::string::npos) << r.output;
  r = RunCli("quantize " + float_path_ + " -o " + out + " --mode int8 --repr random:1 --report " +
             dir_ + "/r.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(".md or .json"), std::string::npos) << r.output;
  r = RunCli("quantize " + float_path_ + " -o " + out +
             " --mode int8 --repr random:1 --auto-denylist two");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("layer count"), std::string::npos) << r.output;
  r = RunCli("quantize " + float_path_ + " -o " + out + " --mode float16 --auto-denylist 1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("integer mode"), std::string::npos) << r.output;
}
#endif  // QLITE_CLI_PATH

}  // namespace
}  // namespace qlite
