// Every quantization mode on the MNIST tutorial's CNN shape (random weights):
// the result runs in qlite, agrees with the float model on 200 MNIST test
// images and is the expected size.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "tests/quantize/quantize_test_util.h"

namespace qlite {
namespace {

using testing::ArgMax;
using testing::BuildMnistCnn;
using testing::CnnOptions;
using testing::LoadThroughFile;
using testing::MnistDataset;
using testing::MnistTest200;
using testing::RunImage;

struct Agreement {
  double argmax_rate = 0.0;
  float max_abs_diff = 0.0f;  // over all outputs
  float max_abs_float = 0.0f;
};

// The float model's outputs on the 200 test images, computed once per model.
const std::vector<std::vector<float>>& FloatOutputs(uint32_t seed, Interpreter& reference) {
  static std::map<uint32_t, std::vector<std::vector<float>>> cache;
  auto it = cache.find(seed);
  if (it == cache.end()) {
    const MnistSet& set = MnistTest200();
    std::vector<std::vector<float>> outputs;
    for (int i = 0; i < set.count; ++i) {
      outputs.push_back(RunImage(reference, set.image(i), set.pixels()));
    }
    it = cache.emplace(seed, std::move(outputs)).first;
  }
  return it->second;
}

Agreement Compare(const std::vector<std::vector<float>>& reference, Interpreter& quantized) {
  const MnistSet& set = MnistTest200();
  Agreement a;
  int same = 0;
  for (int i = 0; i < set.count; ++i) {
    const std::vector<float>& f = reference[i];
    const std::vector<float> q = RunImage(quantized, set.image(i), set.pixels());
    if (f.size() != q.size()) {
      ADD_FAILURE() << "output sizes differ";
      return a;
    }
    same += ArgMax(f) == ArgMax(q);
    for (size_t k = 0; k < f.size(); ++k) {
      a.max_abs_diff = std::max(a.max_abs_diff, std::fabs(f[k] - q[k]));
      a.max_abs_float = std::max(a.max_abs_float, std::fabs(f[k]));
    }
  }
  a.argmax_rate = set.count ? static_cast<double>(same) / set.count : 0.0;
  return a;
}

class QuantizeModes : public ::testing::Test {
 protected:
  void SetUp() override { UseModel({}); }

  void UseModel(const CnnOptions& options) {
    seed_ = options.seed;
    float_model_ = BuildMnistCnn(options);
    reference_ = LoadThroughFile(float_model_, &float_bytes_);
    ASSERT_NE(reference_, nullptr);
  }

  Agreement CompareWithFloat(Interpreter& quantized) {
    return Compare(FloatOutputs(seed_, *reference_), quantized);
  }

  // Calibration ranges on 100 training images, computed once per model.
  const RangeMap& Ranges() {
    static std::map<uint32_t, RangeMap> cache;
    auto it = cache.find(seed_);
    if (it != cache.end()) return it->second;
    MnistDataset data(MnistSplit::kTrain, 100);
    int last = 0;
    RangeMap ranges;
    const Status s = Calibrate(float_model_, data, &ranges, [&](int done, int total) {
      EXPECT_EQ(done, last + 1);
      EXPECT_EQ(total, 100);
      last = done;
    });
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(last, 100);
    return cache.emplace(seed_, std::move(ranges)).first->second;
  }

  Model Quantize(QuantMode mode, IoType io = IoType::kFloat32, QuantizeReport* report = nullptr) {
    const bool integer = mode != QuantMode::kFloat16 && mode != QuantMode::kDynamic;
    QuantizeOptions options;
    options.mode = mode;
    options.io = io;
    Model out;
    const Status s =
        QuantizeModel(float_model_, integer ? Ranges() : RangeMap(), options, &out, report);
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }

  uint32_t seed_ = 1;
  Model float_model_;
  size_t float_bytes_ = 0;
  std::unique_ptr<Interpreter> reference_;
};

const TensorDef* FindTensor(const Model& m, const std::string& name) {
  for (const TensorDef& t : m.tensors) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

TEST_F(QuantizeModes, Float16HalvesTheSizeAndStaysClose) {
  const Model q = Quantize(QuantMode::kFloat16);
  size_t bytes = 0;
  auto interpreter = LoadThroughFile(q, &bytes);
  ASSERT_NE(interpreter, nullptr);
  const double shrink = static_cast<double>(float_bytes_) / bytes;
  EXPECT_GT(shrink, 1.8);
  EXPECT_LT(shrink, 2.1);
  const TensorDef* w = FindTensor(q, "dense/weights");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->type, DType::kFloat16);
  int dequantize = 0;
  for (const OperatorDef& op : q.operators) dequantize += op.op == BuiltinOp::kDequantize;
  EXPECT_EQ(dequantize, 4);  // conv weights/bias, dense weights/bias
  const Agreement a = CompareWithFloat(*interpreter);
  EXPECT_EQ(a.argmax_rate, 1.0);
  EXPECT_LT(a.max_abs_diff, 0.01f * a.max_abs_float);
}

TEST_F(QuantizeModes, DynamicQuantizesLargeWeightsOnly) {
  QuantizeReport report;
  const Model q = Quantize(QuantMode::kDynamic, IoType::kFloat32, &report);
  size_t bytes = 0;
  auto interpreter = LoadThroughFile(q, &bytes);
  ASSERT_NE(interpreter, nullptr);
  EXPECT_GT(static_cast<double>(float_bytes_) / bytes, 3.5);
  // 12x3x3 conv weights are below TFLite's 1024-element threshold: float.
  EXPECT_EQ(FindTensor(q, "conv/weights")->type, DType::kFloat32);
  const TensorDef* w = FindTensor(q, "dense/weights");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->type, DType::kInt8);
  EXPECT_EQ(w->quant.scale.size(), 10u);
  EXPECT_EQ(report.quantized_ops, 1);
  const Agreement a = CompareWithFloat(*interpreter);
  EXPECT_GE(a.argmax_rate, 0.98);
  EXPECT_LT(a.max_abs_diff, 0.05f * a.max_abs_float);
}

TEST_F(QuantizeModes, Int8FloatIoAgreesAndShrinks4x) {
  QuantizeReport report;
  const Model q = Quantize(QuantMode::kInt8, IoType::kFloat32, &report);
  EXPECT_EQ(report.quantized_ops, 4);
  EXPECT_EQ(report.float_ops, 0);
  EXPECT_TRUE(report.unquantizable.empty());
  size_t bytes = 0;
  auto interpreter = LoadThroughFile(q, &bytes);
  ASSERT_NE(interpreter, nullptr);
  EXPECT_GT(static_cast<double>(float_bytes_) / bytes, 3.5);
  EXPECT_EQ(interpreter->input(0)->type, DType::kFloat32);
  EXPECT_EQ(interpreter->output(0)->type, DType::kFloat32);
  ASSERT_EQ(q.operators.size(), 6u);
  EXPECT_EQ(q.operators.front().op, BuiltinOp::kQuantize);
  EXPECT_EQ(q.operators.back().op, BuiltinOp::kDequantize);
  const Agreement a = CompareWithFloat(*interpreter);
  EXPECT_GE(a.argmax_rate, 0.95);
}

TEST_F(QuantizeModes, Int8IntegerIoTakesInt8) {
  const Model q = Quantize(QuantMode::kInt8, IoType::kInt8);
  auto interpreter = LoadThroughFile(q, nullptr);
  ASSERT_NE(interpreter, nullptr);
  EXPECT_EQ(interpreter->input(0)->type, DType::kInt8);
  EXPECT_EQ(interpreter->output(0)->type, DType::kInt8);
  for (const OperatorDef& op : q.operators) {
    EXPECT_NE(op.op, BuiltinOp::kQuantize);
    EXPECT_NE(op.op, BuiltinOp::kDequantize);
  }
  // Input range [0, 1] -> scale 1/255, zero point -128.
  EXPECT_FLOAT_EQ(interpreter->input(0)->scale(), 1.0f / 255.0f);
  EXPECT_EQ(interpreter->input(0)->zero_point(), -128);
  EXPECT_GE(CompareWithFloat(*interpreter).argmax_rate, 0.95);
}

TEST_F(QuantizeModes, Int8Uint8IoTakesUint8WithQuantizeAtTheEdges) {
  const Model q = Quantize(QuantMode::kInt8, IoType::kUInt8);
  auto interpreter = LoadThroughFile(q, nullptr);
  ASSERT_NE(interpreter, nullptr);
  const Tensor* in = interpreter->input(0);
  EXPECT_EQ(in->type, DType::kUInt8);
  EXPECT_EQ(in->name(), "input");
  EXPECT_FLOAT_EQ(in->scale(), 1.0f / 255.0f);
  EXPECT_EQ(in->zero_point(), 0);  // int8 zero point -128 shifted by 128
  EXPECT_EQ(interpreter->output(0)->type, DType::kUInt8);
  EXPECT_EQ(q.operators.front().op, BuiltinOp::kQuantize);
  EXPECT_EQ(q.tensors[q.operators.front().outputs[0]].type, DType::kInt8);
  EXPECT_EQ(q.operators.back().op, BuiltinOp::kQuantize);
  EXPECT_EQ(q.tensors[q.operators.back().inputs[0]].type, DType::kInt8);
  EXPECT_GE(CompareWithFloat(*interpreter).argmax_rate, 0.95);
}

// The dense filter as a float16 model stores it (DEQUANTIZE of a float16
// constant): folded into float32 first, so full int8 covers every op and the
// filter becomes int8 per channel. (Ops left float: QuantizeFailure tests.)
TEST_F(QuantizeModes, Int8FoldsFloat16WeightsAndQuantizesEveryOp) {
  UseModel({/*seed=*/2, /*softmax=*/true, /*runtime_fc_filter=*/true});
  for (QuantMode mode : {QuantMode::kInt8, QuantMode::kInt8Fallback}) {
    SCOPED_TRACE(QuantModeName(mode));
    QuantizeReport report;
    const Model q = Quantize(mode, IoType::kFloat32, &report);
    EXPECT_TRUE(report.unquantizable.empty());
    EXPECT_EQ(report.folded_float16, 1);
    EXPECT_EQ(report.quantized_ops, 5);  // conv, pool, reshape, dense, softmax
    EXPECT_EQ(report.float_ops, 0);
    ASSERT_EQ(report.ops.size(), 6u);
    EXPECT_EQ(report.ops[3].node, 3);
    EXPECT_EQ(report.ops[3].op, "DEQUANTIZE");
    EXPECT_EQ(report.ops[3].kind, OpOutcome::Kind::kFolded);
    EXPECT_EQ(report.ops[4].node, 4);
    EXPECT_EQ(report.ops[4].op, "FULLY_CONNECTED");
    EXPECT_EQ(report.ops[4].kind, OpOutcome::Kind::kQuantized);
    const TensorDef* w = FindTensor(q, "dense/weights");
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->type, DType::kInt8);
    EXPECT_EQ(w->quant.scale.size(), 10u);
    for (const TensorDef& t : q.tensors) EXPECT_NE(t.type, DType::kFloat16) << t.name;
    // Only the model's edges convert: QUANTIZE in, DEQUANTIZE out.
    ASSERT_EQ(q.operators.size(), 7u);
    EXPECT_EQ(q.operators.front().op, BuiltinOp::kQuantize);
    EXPECT_EQ(q.operators.back().op, BuiltinOp::kDequantize);
    auto interpreter = LoadThroughFile(q, nullptr);
    ASSERT_NE(interpreter, nullptr);
    EXPECT_GE(CompareWithFloat(*interpreter).argmax_rate, 0.95);
  }
}

TEST_F(QuantizeModes, Int16x8UsesInt16ActivationsAndInt64Bias) {
  const Model q = Quantize(QuantMode::kInt16x8);
  const TensorDef* bias = FindTensor(q, "dense/bias");
  ASSERT_NE(bias, nullptr);
  EXPECT_EQ(bias->type, DType::kInt64);
  EXPECT_EQ(FindTensor(q, "dense/weights")->type, DType::kInt8);
  for (const TensorDef& t : q.tensors) {
    if (t.name == "conv/relu" || t.name == "pool" || t.name == "flatten") {
      EXPECT_EQ(t.type, DType::kInt16) << t.name;
      EXPECT_EQ(t.quant.zero_point[0], 0) << t.name;
    }
  }
  // Whether qlite runs it depends on the int16x8 kernels (CONV_2D); check
  // agreement when it does.
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(WriteModel(q, WriterOptions(), &bytes).ok());
  Model back;
  ASSERT_TRUE(ReadModelFromBytes(bytes.data(), bytes.size(), &back).ok());
  std::unique_ptr<Interpreter> interpreter;
  const Status s = Interpreter::Create(back, InterpreterOptions(), &interpreter);
  if (!s.ok()) GTEST_SKIP() << "qlite cannot run int16x8 CONV_2D yet: " << s.message();
  EXPECT_GE(CompareWithFloat(*interpreter).argmax_rate, 0.95);
}

// Every mode keeps the float model's signature, pointing at the new model's
// input and output (the rewrite renumbers tensors; uint8 I/O adds new ones).
TEST_F(QuantizeModes, KeepsTheSignature) {
  float_model_.signatures.push_back({"serving_default",
                                     0,
                                     {{"image", float_model_.inputs[0]}},
                                     {{"probs", float_model_.outputs[0]}}});
  for (QuantMode mode : {QuantMode::kFloat16, QuantMode::kDynamic, QuantMode::kInt8}) {
    const Model q = Quantize(mode, mode == QuantMode::kInt8 ? IoType::kUInt8 : IoType::kFloat32);
    ASSERT_EQ(q.signatures.size(), 1u) << QuantModeName(mode);
    const SignatureDef& s = q.signatures[0];
    EXPECT_EQ(s.key, "serving_default");
    ASSERT_EQ(s.inputs.size(), 1u);
    EXPECT_EQ(s.inputs[0].name, "image");
    EXPECT_EQ(s.inputs[0].tensor, q.inputs[0]) << QuantModeName(mode);
    ASSERT_EQ(s.outputs.size(), 1u);
    EXPECT_EQ(s.outputs[0].tensor, q.outputs[0]) << QuantModeName(mode);
    if (mode == QuantMode::kInt8) {
      EXPECT_EQ(q.tensors[s.inputs[0].tensor].type, DType::kUInt8);
    }
  }
  float_model_.signatures[0].inputs[0].tensor = float_model_.operators[0].outputs[0];
  QuantizeOptions float16;
  float16.mode = QuantMode::kFloat16;
  Model out;
  const Status s = QuantizeModel(float_model_, RangeMap(), float16, &out);
  EXPECT_NE(s.message().find("'image' is not a model input or output"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace qlite
