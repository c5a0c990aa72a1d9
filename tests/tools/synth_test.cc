// qlite synth: the synthetic MobileNets have the Keras applications' layer
// structure and channel counts, quantize to full int8, survive write -> read,
// run, and are deterministic per seed. Plus `qlite synth` / `qlite bench` end
// to end on a tiny variant (exit codes and output, never speed).
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "kernels_wasm/register_kernels.h"
#include "tests/util/command.h"
#include "tools/lib/synth/mobilenet.h"
#include "tools/lib/synth/vision_nets.h"

namespace qlite {
namespace {

using synth::Arch;

std::map<BuiltinOp, int> CountOps(const Model& model) {
  std::map<BuiltinOp, int> counts;
  for (const OperatorDef& op : model.operators) ++counts[op.op];
  return counts;
}

std::vector<uint8_t> Synthesize(const synth::SynthOptions& options) {
  Model model;
  const Status s = synth::SynthesizeInt8(options, &model);
  EXPECT_TRUE(s.ok()) << s.message();
  std::vector<uint8_t> bytes;
  const Status w = WriteModel(model, WriterOptions(), &bytes);
  EXPECT_TRUE(w.ok()) << w.message();
  return bytes;
}

// Reads `bytes` back, runs it on a constant input and returns the output
// probabilities (dequantized).
std::vector<float> ReadAndRun(const std::vector<uint8_t>& bytes, Model* model) {
  const Status r = ReadModelFromBytes(bytes.data(), bytes.size(), model);
  EXPECT_TRUE(r.ok()) << r.message();
  std::unique_ptr<Interpreter> interpreter;
  const Status c = Interpreter::Create(*model, InterpreterOptions(), &interpreter);
  EXPECT_TRUE(c.ok()) << c.message();
  if (!c.ok()) return {};
  Tensor* in = interpreter->input(0);
  std::vector<int8_t> image(in->bytes);
  for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<int8_t>(i * 37 % 256 - 128);
  EXPECT_TRUE(interpreter->SetInput(0, image.data(), image.size()).ok());
  const Status inv = interpreter->Invoke();
  EXPECT_TRUE(inv.ok()) << inv.message();
  const Tensor* out = interpreter->output(0);
  const auto& q = model->tensors[model->outputs[0]].quant;
  std::vector<float> probs;
  for (size_t i = 0; i < out->bytes; ++i) {
    const int8_t v = static_cast<int8_t>(out->data[i]);
    probs.push_back(q.scale[0] * static_cast<float>(v - q.zero_point[0]));
  }
  return probs;
}

TEST(SynthTest, ChannelRoundingFollowsKeras) {
  // MobileNetV2: nearest multiple of 8, at least 8, never 10 % below.
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV2, 32, 1.0f), 32);
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV2, 32, 0.35f), 16);  // 11.2 -> 8 < 10.08 -> 16
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV2, 32, 1.4f), 48);   // 44.8 -> 48
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV2, 16, 0.5f), 8);
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV2, 1280, 1.4f), 1792);
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV2, 24, 0.75f), 24);  // 18 -> 16 < 16.2 -> 24
  // MobileNet (v1): int(base * alpha).
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV1, 32, 0.25f), 8);
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV1, 1024, 0.25f), 256);
  EXPECT_EQ(synth::ScaledChannels(Arch::kMobileNetV1, 64, 0.75f), 48);
}

TEST(SynthTest, DefaultsAreTheBenchmarkModels) {
  const auto v1 = synth::DefaultOptions(Arch::kMobileNetV1);
  EXPECT_FLOAT_EQ(v1.alpha, 0.25f);
  EXPECT_EQ(v1.size, 96);
  EXPECT_EQ(v1.channels, 1);
  const auto v2 = synth::DefaultOptions(Arch::kMobileNetV2);
  EXPECT_FLOAT_EQ(v2.alpha, 1.0f);
  EXPECT_EQ(v2.size, 224);
  EXPECT_EQ(v2.channels, 3);
}

TEST(SynthTest, MobileNetV1TinyIsFullInt8AndRuns) {
  synth::SynthOptions o = synth::DefaultOptions(Arch::kMobileNetV1);
  o.size = 32;
  o.classes = 10;
  Model model;
  const std::vector<float> probs = ReadAndRun(Synthesize(o), &model);
  auto ops = CountOps(model);
  EXPECT_EQ(ops[BuiltinOp::kConv2D], 1 + 13 + 1);  // stem, 13 pointwise, classifier
  EXPECT_EQ(ops[BuiltinOp::kDepthwiseConv2D], 13);
  EXPECT_EQ(ops[BuiltinOp::kAveragePool2D], 1);
  EXPECT_EQ(ops[BuiltinOp::kReshape], 1);
  EXPECT_EQ(ops[BuiltinOp::kSoftmax], 1);
  EXPECT_EQ(model.operators.size(), 31u);  // nothing else: full int8 I/O, no QUANTIZE ops
  const TensorDef& in = model.tensors[model.inputs[0]];
  EXPECT_EQ(in.type, DType::kInt8);
  EXPECT_EQ(in.shape, (std::vector<int32_t>{1, 32, 32, 1}));
  const TensorDef& out = model.tensors[model.outputs[0]];
  EXPECT_EQ(out.type, DType::kInt8);
  EXPECT_EQ(out.shape, (std::vector<int32_t>{1, 10}));
  // Every stride-2 layer halves the map (SAME padding): 32 -> 1 after five.
  const OperatorDef& pool = model.operators[model.operators.size() - 4];
  ASSERT_EQ(pool.op, BuiltinOp::kAveragePool2D);
  EXPECT_EQ(model.tensors[pool.inputs[0]].shape, (std::vector<int32_t>{1, 1, 1, 256}));
  // Weights are int8 per channel; the stem has alpha * 32 = 8 filters.
  const OperatorDef& stem = model.operators[0];
  const TensorDef& w = model.tensors[stem.inputs[1]];
  EXPECT_EQ(w.type, DType::kInt8);
  EXPECT_EQ(w.shape, (std::vector<int32_t>{8, 3, 3, 1}));
  EXPECT_EQ(w.quant.scale.size(), 8u);
  float sum = 0;
  for (float p : probs) sum += p;
  EXPECT_NEAR(sum, 1.0f, 0.05f);
}

TEST(SynthTest, MobileNetV2TinyHasInvertedResidualsAndRuns) {
  synth::SynthOptions o = synth::DefaultOptions(Arch::kMobileNetV2);
  o.alpha = 0.35f;
  o.size = 32;
  o.classes = 10;
  Model model;
  const std::vector<float> probs = ReadAndRun(Synthesize(o), &model);
  auto ops = CountOps(model);
  // Stem + 16 expansions + 17 projections + Conv_1; 17 depthwise; 10 ADDs.
  EXPECT_EQ(ops[BuiltinOp::kConv2D], 1 + 16 + 17 + 1);
  EXPECT_EQ(ops[BuiltinOp::kDepthwiseConv2D], 17);
  EXPECT_EQ(ops[BuiltinOp::kAdd], 10);
  EXPECT_EQ(ops[BuiltinOp::kFullyConnected], 1);
  EXPECT_EQ(ops[BuiltinOp::kSoftmax], 1);
  EXPECT_EQ(model.operators.size(), 66u);
  EXPECT_EQ(model.tensors[model.inputs[0]].shape, (std::vector<int32_t>{1, 32, 32, 3}));
  EXPECT_EQ(model.tensors[model.outputs[0]].shape, (std::vector<int32_t>{1, 10}));
  // Expansion 6 on block 1: 16 channels (0.35 rounded up) -> 96, ReLU6 fused.
  const OperatorDef& expand = model.operators[3];
  ASSERT_EQ(expand.op, BuiltinOp::kConv2D);
  EXPECT_EQ(model.tensors[expand.outputs[0]].shape[3], 8 * 6);  // block_0 projects to 8
  EXPECT_EQ(std::any_cast<const Conv2DOptions&>(expand.options).activation, Activation::kRelu6);
  // The last conv has 1280 channels whatever alpha (<= 1).
  for (const OperatorDef& op : model.operators) {
    if (op.op == BuiltinOp::kFullyConnected) {
      EXPECT_EQ(model.tensors[op.inputs[1]].shape, (std::vector<int32_t>{10, 1280}));
    }
  }
  float sum = 0;
  for (float p : probs) sum += p;
  EXPECT_NEAR(sum, 1.0f, 0.05f);
}

TEST(SynthTest, SameSeedSameBytesOtherSeedOtherWeights) {
  synth::SynthOptions o = synth::DefaultOptions(Arch::kMobileNetV1);
  o.size = 32;
  o.classes = 10;
  const auto a = Synthesize(o);
  EXPECT_EQ(a, Synthesize(o));
  o.seed = 2;
  const auto b = Synthesize(o);
  EXPECT_EQ(a.size(), b.size());
  EXPECT_NE(a, b);
}

TEST(SynthTest, RejectsBadOptions) {
  Model model;
  synth::SynthOptions o;
  o.channels = 2;
  EXPECT_NE(synth::BuildFloatNet(o, &model).message().find("channels"), std::string::npos);
  o = synth::SynthOptions();
  o.alpha = 0.0f;
  EXPECT_NE(synth::BuildFloatNet(o, &model).message().find("alpha"), std::string::npos);
}

// Runs `model` on a seeded input with `kernels`; every output's bytes.
std::vector<std::vector<uint8_t>> RunOutputs(const Model& model, KernelSet kernels) {
  RegisterSimdKernels();
  InterpreterOptions options;
  options.kernels = kernels;
  std::unique_ptr<Interpreter> interpreter;
  const Status c = Interpreter::Create(model, options, &interpreter);
  EXPECT_TRUE(c.ok()) << c.message();
  if (!c.ok()) return {};
  Tensor* in = interpreter->input(0);
  std::vector<uint8_t> input(in->bytes);
  if (in->type == DType::kFloat32) {
    std::vector<float> image(in->bytes / 4);
    for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<float>(i * 37 % 256) / 128 - 1;
    std::memcpy(input.data(), image.data(), input.size());
  } else {
    for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<uint8_t>(i * 37 % 256);
  }
  EXPECT_TRUE(interpreter->SetInput(0, input.data(), input.size()).ok());
  const Status inv = interpreter->Invoke();
  EXPECT_TRUE(inv.ok()) << inv.message();
  std::vector<std::vector<uint8_t>> outputs;
  for (size_t i = 0; i < model.outputs.size(); ++i) {
    const Tensor* out = interpreter->output(static_cast<int>(i));
    outputs.emplace_back(out->data, out->data + out->bytes);
  }
  return outputs;
}

struct VisionCase {
  Arch arch;
  int size;
  std::vector<std::vector<int32_t>> output_shapes;
  std::map<BuiltinOp, int> ops;  // op counts the graph must have
};

// Small sizes keep the test fast; the structure is the full-size one.
TEST(SynthTest, VisionNetsHaveTheirOpsRunAndQuantizeFully) {
  const VisionCase cases[] = {
      // 64x64: 8x8 cells x 2 anchors + 4x4 x 6 = 224 boxes of 16 values.
      {Arch::kBlazeFace,
       64,
       {{1, 224, 16}, {1, 224, 1}},
       {{BuiltinOp::kDepthwiseConv2D, 16},
        {BuiltinOp::kMaxPool2D, 3},
        {BuiltinOp::kPad, 11},
        {BuiltinOp::kAdd, 16},
        {BuiltinOp::kConcatenation, 2}}},
      {Arch::kLandmark,
       64,
       {{1, 63}, {1, 1}},
       {{BuiltinOp::kDepthwiseConv2D, 12},
        {BuiltinOp::kFullyConnected, 2},
        {BuiltinOp::kLogistic, 1},
        {BuiltinOp::kAveragePool2D, 1}}},
      {Arch::kSegmentation,
       64,
       {{1, 64, 64, 1}},
       {{BuiltinOp::kResizeBilinear, 5}, {BuiltinOp::kLogistic, 1}, {BuiltinOp::kAdd, 8}}},
  };
  for (const VisionCase& c : cases) {
    SCOPED_TRACE(synth::ArchName(c.arch));
    synth::SynthOptions o = synth::DefaultOptions(c.arch);
    o.size = c.size;
    Model float_model;
    ASSERT_TRUE(synth::BuildFloatNet(o, &float_model).ok());
    std::map<BuiltinOp, int> counts = CountOps(float_model);
    for (const auto& [op, n] : c.ops) EXPECT_EQ(counts[op], n) << BuiltinOpName(op);
    ASSERT_EQ(float_model.outputs.size(), c.output_shapes.size());
    for (size_t i = 0; i < c.output_shapes.size(); ++i) {
      EXPECT_EQ(float_model.tensors[float_model.outputs[i]].shape, c.output_shapes[i]);
    }
    Model int8_model;
    const std::vector<uint8_t> bytes = Synthesize(o);
    ASSERT_TRUE(ReadModelFromBytes(bytes.data(), bytes.size(), &int8_model).ok());
    // Full int8: every activation between the int8 input and outputs is int8.
    for (const OperatorDef& op : int8_model.operators) {
      for (int32_t t : op.outputs) {
        EXPECT_EQ(int8_model.tensors[t].type, DType::kInt8)
            << BuiltinOpName(op.op) << " " << int8_model.tensors[t].name;
      }
    }
    for (const Model* m : {&float_model, &int8_model}) {
      const auto reference = RunOutputs(*m, KernelSet::kReference);
      EXPECT_EQ(reference, RunOutputs(*m, KernelSet::kSimd));
    }
  }
  synth::SynthOptions o = synth::DefaultOptions(Arch::kBlazeFace);
  Model model;
  o.size = 100;
  EXPECT_NE(synth::BuildFloatNet(o, &model).message().find("divisible by 32"), std::string::npos);
  o = synth::DefaultOptions(Arch::kSegmentation);
  o.alpha = 0.5f;
  EXPECT_NE(synth::BuildFloatNet(o, &model).message().find("MobileNets only"), std::string::npos);
}

TEST(SynthTest, SynthAndBenchCommandsEndToEnd) {
  char pattern[] = "/tmp/qlite_synth_XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::string path = std::string(pattern) + "/v1.tflite";
  testing::CommandResult r = testing::RunCli("synth mobilenet_v1 --size 32 --seed 3 -o " + path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = testing::RunCli("bench " + path + " --kernels both --runs 1 --warmup 0");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("DEPTHWISE_CONV_2D"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("whole model"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("outputs identical (reference vs simd): yes"), std::string::npos)
      << r.output;

  // --threads: the same output bytes as one thread (the reference run).
  r = testing::RunCli("bench " + path + " --kernels both --runs 1 --warmup 0 --threads 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(", 3 threads ("), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("outputs identical (reference vs simd): yes"), std::string::npos)
      << r.output;
  r = testing::RunCli("bench " + path + " --threads 0");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--threads must be a whole number from 1 to 64"), std::string::npos)
      << r.output;

  r = testing::RunCli("synth mobilenet_v3 -o " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("unknown model 'mobilenet_v3'"), std::string::npos) << r.output;
  r = testing::RunCli("synth mobilenet_v2 --channels 2 -o " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("channels must be 1 or 3, got 2"), std::string::npos) << r.output;
  r = testing::RunCli("bench " + path + " --kernels fast");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--kernels must be"), std::string::npos) << r.output;
  r = testing::RunCli("bench /nonexistent.tflite");
  EXPECT_EQ(r.exit_code, 1);
  r = testing::RunCli("synth mobilenet_v1 --float16 --io uint8 -o " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--float16 writes a float model"), std::string::npos) << r.output;
  std::remove(path.c_str());
  rmdir(pattern);
}

}  // namespace
}  // namespace qlite
