// float16-weight models (weights read through DEQUANTIZE, as MediaPipe ships
// them): every mode folds them into float32 first, the result runs close to
// the float16 model and shrinks; a run that quantizes nothing fails unless
// allow_float; the report counts every op.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "core/op_table.h"
#include "tests/quantize/quantize_test_util.h"

namespace qlite {
namespace {

using testing::BuildFloat16Block;
using testing::LoadThroughFile;

constexpr int kInputValues = 8 * 8 * 64;

// Seeded uniform samples in [-1, 1] for the block's one input.
class UniformSamples : public RepresentativeDataset {
 public:
  UniformSamples(int count, uint32_t seed) : count_(count), seed_(seed) {}
  int size() const override { return count_; }
  Status Sample(int i, std::vector<std::vector<float>>* inputs) override {
    std::mt19937 rng(seed_ + static_cast<uint32_t>(i));
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    inputs->assign(1, std::vector<float>(kInputValues));
    for (float& x : (*inputs)[0]) x = dist(rng);
    return Status::Ok();
  }

 private:
  int count_;
  uint32_t seed_;
};

std::vector<float> RunOnce(Interpreter& interpreter, const std::vector<float>& input) {
  EXPECT_TRUE(interpreter.SetInput(0, input.data(), input.size() * sizeof(float)).ok());
  const Status s = interpreter.Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  const Tensor* out = interpreter.output(0);
  EXPECT_EQ(out->type, DType::kFloat32);
  return std::vector<float>(out->data_as<float>(), out->data_as<float>() + out->num_elements());
}

class Float16Block : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = BuildFloat16Block();
    reference_ = LoadThroughFile(model_, &float16_bytes_);
    ASSERT_NE(reference_, nullptr);
    UniformSamples calibration(32, 100);
    const Status s = Calibrate(model_, calibration, &ranges_);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  Status Quantize(QuantMode mode, Model* out, QuantizeReport* report, bool allow_float = false) {
    QuantizeOptions options;
    options.mode = mode;
    options.allow_float = allow_float;
    return QuantizeModel(model_, ranges_, options, out, report);
  }

  // Largest |quantized - float| over 8 unseen inputs, relative to the largest |float|.
  double RelativeError(Interpreter& quantized) {
    UniformSamples probes(8, 900);
    float worst = 0.0f, largest = 0.0f;
    for (int i = 0; i < probes.size(); ++i) {
      std::vector<std::vector<float>> input;
      EXPECT_TRUE(probes.Sample(i, &input).ok());
      const std::vector<float> want = RunOnce(*reference_, input[0]);
      const std::vector<float> got = RunOnce(quantized, input[0]);
      EXPECT_EQ(want.size(), got.size());
      for (size_t k = 0; k < want.size() && k < got.size(); ++k) {
        worst = std::max(worst, std::fabs(want[k] - got[k]));
        largest = std::max(largest, std::fabs(want[k]));
      }
    }
    return largest > 0.0f ? worst / largest : 1.0;
  }

  Model model_;
  RangeMap ranges_;
  size_t float16_bytes_ = 0;
  std::unique_ptr<Interpreter> reference_;
};

int CountOps(const Model& m, BuiltinOp op) {
  int count = 0;
  for (const OperatorDef& def : m.operators) count += def.op == op;
  return count;
}

const OpOutcome* Outcome(const QuantizeReport& report, const std::string& op) {
  for (const OpOutcome& o : report.ops) {
    if (o.op == op) return &o;
  }
  return nullptr;
}

TEST_F(Float16Block, Int8FoldsEveryDequantizeAndQuantizesEveryOp) {
  Model q;
  QuantizeReport report;
  const Status s = Quantize(QuantMode::kInt8, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.folded_float16, 8);  // 4 weights, 4 biases
  EXPECT_EQ(report.quantized_ops, 6);   // 2 conv, depthwise, add, mean, fc
  EXPECT_EQ(report.float_ops, 0);
  EXPECT_TRUE(report.warnings.empty());
  ASSERT_EQ(report.ops.size(), 14u);  // one per op of the input model
  const std::string table = FormatReportTable(report);
  EXPECT_NE(table.find("DEQUANTIZE                     8  folded"), std::string::npos) << table;
  EXPECT_NE(table.find("CONV_2D                        2  quantized: int8"), std::string::npos)
      << table;
  EXPECT_NE(table.find("MEAN                           1  quantized: int8"), std::string::npos)
      << table;
  // QUANTIZE at the input, DEQUANTIZE at the output, nothing float16 left.
  EXPECT_EQ(q.operators.size(), 8u);
  EXPECT_EQ(CountOps(q, BuiltinOp::kDequantize), 1);
  for (const TensorDef& t : q.tensors) EXPECT_NE(t.type, DType::kFloat16) << t.name;
  size_t bytes = 0;
  auto interpreter = LoadThroughFile(q, &bytes);
  ASSERT_NE(interpreter, nullptr);
  // 42560 weight values of 2 bytes -> 1 byte; biases float16 -> int32, and
  // per-channel parameters (a float scale and an int64 zero point each, 416
  // channels) are the rest of the file.
  EXPECT_GT(static_cast<double>(float16_bytes_) / bytes, 1.7) << float16_bytes_ << " -> " << bytes;
  EXPECT_LT(RelativeError(*interpreter), 0.05);
}

TEST_F(Float16Block, Int16x8QuantizesEveryOp) {
  Model q;
  QuantizeReport report;
  const Status s = Quantize(QuantMode::kInt16x8, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.quantized_ops, 6);
  EXPECT_EQ(report.float_ops, 0);
  EXPECT_EQ(report.folded_float16, 8);
  size_t bytes = 0;
  auto interpreter = LoadThroughFile(q, &bytes);
  ASSERT_NE(interpreter, nullptr);
  EXPECT_GT(static_cast<double>(float16_bytes_) / bytes, 1.6) << float16_bytes_ << " -> " << bytes;
  // int8 weights dominate the error, as in int8.
  EXPECT_LT(RelativeError(*interpreter), 0.05);
}

TEST_F(Float16Block, DynamicQuantizesTheLargeWeights) {
  Model q;
  QuantizeReport report;
  const Status s = Quantize(QuantMode::kDynamic, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  // Both convs (36864, 4096 values) and the dense layer (1024); the 576-value
  // depthwise filter is under TFLite's 1024-element threshold.
  EXPECT_EQ(report.quantized_ops, 3);
  EXPECT_EQ(report.float_ops, 3);
  const OpOutcome* depthwise = Outcome(report, "DEPTHWISE_CONV_2D");
  ASSERT_NE(depthwise, nullptr);
  EXPECT_EQ(depthwise->kind, OpOutcome::Kind::kFloat);
  EXPECT_NE(depthwise->result.find("fewer than 1024 elements"), std::string::npos);
  const OpOutcome* add = Outcome(report, "ADD");
  ASSERT_NE(add, nullptr);
  EXPECT_NE(add->result.find("not a weight op"), std::string::npos) << add->result;
  EXPECT_EQ(CountOps(q, BuiltinOp::kDequantize), 0);
  size_t bytes = 0;
  auto interpreter = LoadThroughFile(q, &bytes);
  ASSERT_NE(interpreter, nullptr);
  // 41984 values float16 -> int8; the depthwise filter and biases become float32.
  EXPECT_GT(static_cast<double>(float16_bytes_) / bytes, 1.75) << float16_bytes_ << " -> " << bytes;
  EXPECT_LT(RelativeError(*interpreter), 0.03);
}

TEST_F(Float16Block, Float16ModeOnAFloat16ModelQuantizesNothing) {
  Model q;
  q.description = "untouched";
  QuantizeReport report;
  Status s = Quantize(QuantMode::kFloat16, &q, &report);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--mode float16 quantized nothing"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("node 2 (CONV_2D): its constants were float16 already"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(q.description, "untouched");
  s = Quantize(QuantMode::kFloat16, &q, &report, /*allow_float=*/true);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(report.warnings.size(), 1u);
  size_t bytes = 0;
  auto interpreter = LoadThroughFile(q, &bytes);
  ASSERT_NE(interpreter, nullptr);
  EXPECT_LT(RelativeError(*interpreter), 1e-6);
}

// a, b -> DIV -> out: no constant and no op with an integer or hybrid form.
Model DivideOnly() {
  ModelBuilder b;
  const int a = b.AddTensor("a", DType::kFloat32, {1, 4});
  const int d = b.AddTensor("b", DType::kFloat32, {1, 4});
  const int out = b.AddTensor("out", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kDiv, {a, d}, {out});
  b.SetInputs({a, d});
  b.SetOutputs({out});
  return b.Build();
}

TEST(QuantizeNothing, EveryModeFailsUnlessFloatIsAllowed) {
  const Model m = DivideOnly();
  const RangeMap ranges = {{0, {-1, 1}}, {1, {0.5f, 2}}, {2, {-2, 2}}};
  for (QuantMode mode : {QuantMode::kFloat16, QuantMode::kDynamic, QuantMode::kInt8Fallback,
                         QuantMode::kInt8, QuantMode::kInt16x8}) {
    SCOPED_TRACE(QuantModeName(mode));
    QuantizeOptions options;
    options.mode = mode;
    Model q;
    QuantizeReport report;
    Status s = QuantizeModel(m, ranges, options, &q, &report);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("node 0 (DIV)"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("allow-float"), std::string::npos) << s.message();
    EXPECT_TRUE(q.operators.empty());
    options.allow_float = true;
    s = QuantizeModel(m, ranges, options, &q, &report);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(report.quantized_ops, 0);
    EXPECT_EQ(report.float_ops, 1);
    ASSERT_EQ(report.warnings.size(), 1u);
    EXPECT_NE(report.warnings[0].find("quantized nothing"), std::string::npos)
        << report.warnings[0];
    ASSERT_EQ(q.operators.size(), 1u);
    EXPECT_EQ(q.operators[0].op, BuiltinOp::kDiv);
  }
}

TEST(QuantizeFloat16Inputs, AFloat16ConstantReadDirectlyIsRefusedByName) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 2});
  const int c = b.AddConstant("offset_fp16", DType::kFloat16, {1, 2},
                              std::vector<uint16_t>{FloatToHalf(1.0f), FloatToHalf(2.0f)});
  const int y = b.AddTensor("y", DType::kFloat32, {1, 2});
  b.AddOperator(BuiltinOp::kAdd, {x, c}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  const Model m = b.Build();
  QuantizeOptions options;
  options.mode = QuantMode::kDynamic;
  Model q;
  const Status s = QuantizeModel(m, {}, options, &q);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("float16 constant 'offset_fp16' read by node 0 (ADD)"),
            std::string::npos)
      << s.message();
}

TEST(QuantizeFloat16Inputs, CastOfAFloat16ConstantIsFoldedToo) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 2});
  const int c = b.AddConstant("offset_fp16", DType::kFloat16, {1, 2},
                              std::vector<uint16_t>{FloatToHalf(0.5f), FloatToHalf(-0.25f)});
  const int offset = b.AddTensor("offset", DType::kFloat32, {1, 2});
  b.AddOperator(BuiltinOp::kCast, {c}, {offset});
  const int y = b.AddTensor("y", DType::kFloat32, {1, 2});
  b.AddOperator(BuiltinOp::kAdd, {x, offset}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  const Model m = b.Build();
  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  Model q;
  QuantizeReport report;
  const Status s = QuantizeModel(m, {{x, {-1, 1}}, {y, {-2, 2}}}, options, &q, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.folded_float16, 1);
  EXPECT_EQ(report.quantized_ops, 1);
  EXPECT_EQ(CountOps(q, BuiltinOp::kCast), 0);
}

// A dynamic-range model (int8 FC weights read by a float FULLY_CONNECTED).
Model HybridDense() {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kFloat32, {1, 64});
  Quantization quant;
  quant.scale = {0.01f};
  quant.zero_point = {0};
  const int w = b.AddConstant("dense/weights", DType::kInt8, {32, 64},
                              std::vector<int8_t>(32 * 64, 3), quant);
  const int y = b.AddTensor("y", DType::kFloat32, {1, 32});
  b.AddOperator(BuiltinOp::kFullyConnected, {x, w, -1}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Build();
}

TEST(QuantizePartlyQuantized, DynamicKeepsInt8WeightsAndSaysNothingWasLeft) {
  const Model m = HybridDense();
  QuantizeOptions options;
  options.mode = QuantMode::kDynamic;
  Model q;
  QuantizeReport report;
  const Status s = QuantizeModel(m, {}, options, &q, &report);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 0 (FULLY_CONNECTED): weights are int8 already"),
            std::string::npos)
      << s.message();
}

TEST(QuantizePartlyQuantized, IntegerModesNameTheInt8Weights) {
  const Model m = HybridDense();
  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  Model q;
  const Status s = QuantizeModel(m, {{0, {-1, 1}}, {2, {-1, 1}}}, options, &q);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("weights tensor 'dense/weights' is not a float32 constant (int8 "
                             "already: a dynamic-range op; quantize the float model)"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace qlite
