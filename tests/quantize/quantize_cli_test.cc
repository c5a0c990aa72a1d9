// Representative datasets (.npy, raw float32, MNIST specs and their errors),
// `qlite quantize` end to end, and the converter's hello_world model.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "data/dataset.h"
#include "tests/quantize/quantize_test_util.h"
#include "tests/util/command.h"
#include "tests/util/lstm_models.h"
#include "tests/util/shared_models.h"

namespace qlite {
namespace {

using testing::CommandResult;
using testing::RunCli;

std::string TempDir() {
  char pattern[] = "/tmp/qlite_quantize_XXXXXX";
  const char* dir = mkdtemp(pattern);
  return dir ? dir : "";
}

void WriteBytes(const std::string& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

// A .npy v1 file of float32 with the given shape.
void WriteNpy(const std::string& path, const std::vector<int>& shape,
              const std::vector<float>& values) {
  std::string dims;
  for (int d : shape) dims += std::to_string(d) + ", ";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  WriteBytes(path, bytes.data(), bytes.size());
}

bool Exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

// A [1, 2] -> FULLY_CONNECTED 1 model for dataset shape checks.
Model TwoInputFeatures() {
  ModelBuilder b;
  const int in = b.AddTensor("features", DType::kFloat32, {1, 2});
  const int w = b.AddConstant("w", DType::kFloat32, {1, 2}, std::vector<float>{1.0f, -1.0f});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 1});
  b.AddOperator(BuiltinOp::kFullyConnected, {in, w, -1}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Build();
}

TEST(RepresentativeDataset, NpyAndRawFloatFiles) {
  const std::string dir = TempDir();
  const Model model = TwoInputFeatures();
  std::unique_ptr<RepresentativeDataset> data;
  std::vector<std::vector<float>> sample;

  WriteNpy(dir + "/three.npy", {3, 2}, {1, 2, 3, 4, 5, 6});
  Status s = OpenRepresentativeDataset({dir + "/three.npy"}, model, &data);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(data->size(), 3);
  ASSERT_TRUE(data->Sample(2, &sample).ok());
  EXPECT_EQ(sample, (std::vector<std::vector<float>>{{5, 6}}));

  const std::vector<float> raw = {0.5f, -0.5f, 1.5f, 2.5f};
  WriteBytes(dir + "/two.bin", raw.data(), raw.size() * sizeof(float));
  s = OpenRepresentativeDataset({dir + "/two.bin"}, model, &data);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(data->size(), 2);
  ASSERT_TRUE(data->Sample(1, &sample).ok());
  EXPECT_EQ(sample, (std::vector<std::vector<float>>{{1.5f, 2.5f}}));
}

TEST(RepresentativeDataset, BrokenPathsAndShapesFailClearly) {
  const std::string dir = TempDir();
  const Model model = TwoInputFeatures();
  std::unique_ptr<RepresentativeDataset> data;

  Status s = OpenRepresentativeDataset({dir + "/missing.bin"}, model, &data);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing.bin"), std::string::npos) << s.message();

  const float three[3] = {1, 2, 3};  // 12 bytes: not a whole number of 8-byte samples
  WriteBytes(dir + "/odd.bin", three, sizeof(three));
  s = OpenRepresentativeDataset({dir + "/odd.bin"}, model, &data);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a whole number"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("'features'"), std::string::npos) << s.message();

  WriteNpy(dir + "/wrong.npy", {2, 3}, {1, 2, 3, 4, 5, 6});
  s = OpenRepresentativeDataset({dir + "/wrong.npy"}, model, &data);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("[1,2]"), std::string::npos) << s.message();

  WriteBytes(dir + "/fake.npy", "\x93NUMPY", 6);
  EXPECT_FALSE(OpenRepresentativeDataset({dir + "/fake.npy"}, model, &data).ok());

  s = OpenRepresentativeDataset({"mnist:train:10"}, model, &data);  // 784 pixels vs 2
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("784"), std::string::npos) << s.message();
  EXPECT_FALSE(OpenRepresentativeDataset({"mnist:validation:10"}, model, &data).ok());
  EXPECT_FALSE(OpenRepresentativeDataset({"mnist:train:0"}, model, &data).ok());
  EXPECT_FALSE(OpenRepresentativeDataset({}, model, &data).ok());
  EXPECT_FALSE(OpenRepresentativeDataset({"a", "b"}, model, &data).ok());
}

TEST(RepresentativeDataset, MnistSpec) {
  const Model model = testing::BuildMnistCnn();
  std::unique_ptr<RepresentativeDataset> data;
  const Status s = OpenRepresentativeDataset({"mnist:test:5"}, model, &data);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(data->size(), 5);
  std::vector<std::vector<float>> sample;
  ASSERT_TRUE(data->Sample(0, &sample).ok());
  ASSERT_EQ(sample[0].size(), 784u);
  float lo = 1, hi = 0;
  for (float v : sample[0]) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_LE(hi, 1.0f);
  EXPECT_GT(hi, 0.9f);
}

class QuantizeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    float_path_ = dir_ + "/cnn.tflite";
    ASSERT_TRUE(
        WriteModelFile(testing::BuildMnistCnn({4, true, false}), WriterOptions(), float_path_)
            .ok());
  }
  std::string dir_, float_path_;
};

TEST_F(QuantizeCli, Int8Uint8WritesModelMetadataAndSizeTable) {
  const std::string out = dir_ + "/int8.tflite";
  const CommandResult r = RunCli("quantize " + float_path_ + " -o " + out +
                                 " --mode int8 --io uint8 --repr mnist:train:20");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("calibrating ["), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("20/20"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("float32 (input)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("shrink"), std::string::npos) << r.output;
  Model model;
  ASSERT_TRUE(ReadModelFile(out, &model).ok());
  EXPECT_EQ(model.tensors[model.inputs[0]].type, DType::kUInt8);
  bool found = false;
  for (const MetadataEntry& m : model.metadata) {
    if (m.name != "qlite") continue;
    const Buffer& b = model.buffers[m.buffer];
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(b.data), b.size), "mode=int8 io=uint8");
    found = true;
  }
  EXPECT_TRUE(found);
  const CommandResult inspect = RunCli("inspect " + out);
  EXPECT_EQ(inspect.exit_code, 0) << inspect.output;
  EXPECT_NE(inspect.output.find("per-channel(dim 0) x12"), std::string::npos) << inspect.output;
}

TEST_F(QuantizeCli, FailuresWriteNothing) {
  const std::string out = dir_ + "/never.tflite";
  CommandResult r = RunCli("quantize " + float_path_ + " -o " + out + " --mode int8 --repr " +
                           dir_ + "/missing.npy");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("missing.npy"), std::string::npos) << r.output;
  r = RunCli("quantize " + float_path_ + " -o " + out + " --mode int8");  // no --repr
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--repr"), std::string::npos) << r.output;
  r = RunCli("quantize " + float_path_ + " -o " + out + " --mode int7");
  EXPECT_EQ(r.exit_code, 1);
  r = RunCli("quantize " + float_path_ + " -o " + out + " --mode dynamic --io int8");
  EXPECT_EQ(r.exit_code, 1);

  // A float16-weight model: its DEQUANTIZE is folded and full int8 covers it.
  const std::string fp16_model = dir_ + "/fp16_dense.tflite";
  ASSERT_TRUE(
      WriteModelFile(testing::BuildMnistCnn({4, true, true}), WriterOptions(), fp16_model).ok());
  const std::string fp16_out = dir_ + "/fp16_dense_int8.tflite";
  r = RunCli("quantize " + fp16_model + " -o " + fp16_out + " --mode int8 --repr mnist:train:5");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("float16 (input)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("5 op(s) quantized, 0 float, 1 float16 constant(s) folded"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(Exists(fp16_out));
  EXPECT_FALSE(Exists(out));
}

// TFLite's int8 LSTM needs an int16 cell state and intermediate tensors'
// scales that the quantizer does not make: int8 and int16x8 refuse naming
// the op and its node (its output) and write nothing, exit 1; int8-fallback
// would keep it float, quantizing nothing, so it fails too unless float is
// allowed; --allow-float keeps it float with a warning; dynamic makes it
// hybrid.
TEST(QuantizeStatefulOps, FullIntegerRefusesTheLstmOp) {
  const std::string dir = TempDir();
  testing::LstmCellSpec cell;
  cell.n_input = cell.n_cell = cell.n_output = 32;
  const testing::LstmFill fill = [](int slot, int64_t count) {
    return testing::SeededValues(count, 60 + slot);
  };
  const std::string model = dir + "/lstm.tflite", out = dir + "/lstm_q.tflite";
  ASSERT_TRUE(WriteModelFile(testing::LstmModel(BuiltinOp::kUnidirectionalSequenceLstm, cell,
                                                {1, 2, 32}, 1, LstmOptions{}, fill),
                             WriterOptions(), model)
                  .ok());
  const std::vector<float> samples = testing::SeededValues(2 * 2 * 32, 7);  // two inputs
  WriteBytes(dir + "/x.bin", samples.data(), samples.size() * sizeof(float));
  const std::string repr = " --repr " + dir + "/x.bin";
  const std::string refusal =
      "UNIDIRECTIONAL_SEQUENCE_LSTM 'y': full-integer quantization not supported; use --mode "
      "dynamic or --allow-float";
  for (const char* mode : {"int8", "int16x8"}) {
    CommandResult r = RunCli("quantize " + model + " -o " + out + " --mode " + mode + repr);
    EXPECT_EQ(r.exit_code, 1) << mode;
    EXPECT_NE(r.output.find(refusal), std::string::npos) << r.output;
    EXPECT_FALSE(Exists(out));
  }
  CommandResult r = RunCli("quantize " + model + " -o " + out + " --mode int8-fallback" + repr);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("quantized nothing"), std::string::npos) << r.output;
  EXPECT_FALSE(Exists(out));
  r = RunCli("quantize " + model + " -o " + out + " --mode int8 --allow-float" + repr);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("node 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): full-integer quantization not "
                          "supported"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(Exists(out));
  Model kept;
  ASSERT_TRUE(ReadModelFile(out, &kept).ok());
  ASSERT_EQ(kept.operators.size(), 1u);
  EXPECT_EQ(kept.tensors[kept.operators[0].inputs[2]].type, DType::kFloat32);

  const std::string hybrid = dir + "/lstm_dynamic.tflite";
  r = RunCli("quantize " + model + " -o " + hybrid + " --mode dynamic");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  Model q;
  ASSERT_TRUE(ReadModelFile(hybrid, &q).ok());
  ASSERT_EQ(q.operators.size(), 1u);
  EXPECT_EQ(q.operators[0].version, 3);
  EXPECT_EQ(q.tensors[q.operators[0].inputs[2]].type, DType::kInt8);
}

// RNN and SVDF: the same refusal, each node named.
TEST(QuantizeStatefulOps, FullIntegerRefusesEverySequenceOp) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 4});
  const int w = b.AddConstant("w", DType::kFloat32, {4, 4}, testing::SeededValues(16, 1));
  const int r = b.AddConstant("r", DType::kFloat32, {4, 4}, testing::SeededValues(16, 2));
  const int bias = b.AddConstant("bias", DType::kFloat32, {4}, testing::SeededValues(4, 3));
  const int hidden = b.AddVariable("hidden", DType::kFloat32, {1, 4});
  const int h = b.AddTensor("rnn_out", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kRnn, {x, w, r, bias, hidden}, {h}, RnnOptions{}, 1);
  const int wt = b.AddConstant("wt", DType::kFloat32, {4, 2}, testing::SeededValues(8, 4));
  const int state = b.AddVariable("state", DType::kFloat32, {1, 8});
  const int y = b.AddTensor("svdf_out", DType::kFloat32, {1, 4});
  SvdfOptions svdf;
  svdf.rank = 1;
  b.AddOperator(BuiltinOp::kSvdf, {h, w, wt, bias, state}, {y}, svdf, 1);
  b.SetInputs({x});
  b.SetOutputs({y});
  RangeMap ranges;
  for (int t : {x, h, y}) ranges[t] = {-1.0f, 1.0f};
  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  Model q;
  const Status s = QuantizeModel(b.Build(), ranges, options, &q, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("RNN 'rnn_out': full-integer quantization not supported; use --mode "
                             "dynamic or --allow-float\nSVDF 'svdf_out': full-integer"),
            std::string::npos)
      << s.message();
}

// The converter's hello_world (sine) model, calibrated with a raw float file.
TEST(QuantizeSharedModels, HelloWorldInt8StaysCloseToFloat) {
  QLITE_REQUIRE_SHARED_MODELS(models);
  Model float_model;
  ASSERT_TRUE(ReadModelFile(models + "/hello_world_float.tflite", &float_model).ok());
  const std::string dir = TempDir();
  std::vector<float> xs;
  for (int i = 0; i < 200; ++i) xs.push_back(2.0f * 3.14159265f * i / 199.0f);
  WriteBytes(dir + "/repr.bin", xs.data(), xs.size() * sizeof(float));
  std::unique_ptr<RepresentativeDataset> data;
  Status s = OpenRepresentativeDataset({dir + "/repr.bin"}, float_model, &data);
  ASSERT_TRUE(s.ok()) << s.message();
  RangeMap ranges;
  ASSERT_TRUE(Calibrate(float_model, *data, &ranges).ok());

  std::unique_ptr<Interpreter> reference;
  ASSERT_TRUE(Interpreter::Create(float_model, InterpreterOptions(), &reference).ok());
  for (QuantMode mode : {QuantMode::kInt8, QuantMode::kInt16x8, QuantMode::kFloat16}) {
    SCOPED_TRACE(QuantModeName(mode));
    QuantizeOptions options;
    options.mode = mode;
    Model q;
    s = QuantizeModel(float_model, ranges, options, &q);
    ASSERT_TRUE(s.ok()) << s.message();
    auto interpreter = testing::LoadThroughFile(q, nullptr);
    ASSERT_NE(interpreter, nullptr);
    // int16x8 keeps int8 weights, so its error is about int8's (outputs span [-1, 1]).
    const float tolerance = mode == QuantMode::kFloat16 ? 0.01f : 0.05f;
    for (float x = 0.05f; x < 6.2f; x += 0.37f) {
      ASSERT_TRUE(reference->SetInput(0, &x, sizeof(x)).ok());
      ASSERT_TRUE(interpreter->SetInput(0, &x, sizeof(x)).ok());
      ASSERT_TRUE(reference->Invoke().ok());
      ASSERT_TRUE(interpreter->Invoke().ok());
      const float want = reference->output(0)->data_as<float>()[0];
      const float got = interpreter->output(0)->data_as<float>()[0];
      EXPECT_NEAR(got, want, tolerance) << "x = " << x;
    }
  }
}

}  // namespace
}  // namespace qlite
