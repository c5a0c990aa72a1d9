// PAD / PADV2 reference kernel: fill values (0, output zero point, input 2),
// int32/int64 paddings, ranks 1 to 5 (random shapes against the definition),
// and the errors prepare must report.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct PadCase {
  DType type = DType::kFloat32;
  Shape shape;
  std::vector<int32_t> paddings;  // [rank, 2], row-major
  Quantization in_quant, out_quant;
  DType paddings_type = DType::kInt32;
  bool paddings_constant = true;
};

// PAD, or PADV2 when `value` is given (a constant one-element tensor).
template <typename T>
RunResult RunPad(const PadCase& c, const std::vector<T>& input,
                 const std::vector<T>* value = nullptr, Quantization value_quant = {}) {
  ModelBuilder b;
  const int in = b.AddTensor("in", c.type, c.shape, c.in_quant);
  const Shape paddings_shape = {static_cast<int32_t>(c.paddings.size() / 2), 2};
  int paddings = 0;
  if (!c.paddings_constant) {
    paddings = b.AddTensor("paddings", c.paddings_type, paddings_shape);
  } else if (c.paddings_type == DType::kInt64) {
    const std::vector<int64_t> wide(c.paddings.begin(), c.paddings.end());
    paddings = b.AddConstant("paddings", DType::kInt64, paddings_shape, wide);
  } else {
    paddings = b.AddConstant("paddings", c.paddings_type, paddings_shape, c.paddings);
  }
  std::vector<int32_t> inputs = {in, paddings};
  BuiltinOp op = BuiltinOp::kPad;
  if (value != nullptr) {
    op = BuiltinOp::kPadV2;
    inputs.push_back(
        b.AddConstant("value", c.type, {static_cast<int32_t>(value->size())}, *value, value_quant));
  }
  const int out = b.AddTensor("out", c.type, {}, c.out_quant);
  b.AddOperator(op, inputs, {out});
  std::vector<int32_t> model_inputs = {in};
  std::vector<std::vector<uint8_t>> bytes = {ToBytes(input)};
  if (!c.paddings_constant) {
    model_inputs.push_back(paddings);
    bytes.push_back(ToBytes(c.paddings));
  }
  b.SetInputs(model_inputs);
  b.SetOutputs({out});
  return RunModel(b.Build(), bytes);
}

TEST(PadTest, Float2DWithZeros) {
  // [[1,2],[3,4]] with one row before and two columns after.
  PadCase c;
  c.shape = {2, 2};
  c.paddings = {1, 0, 0, 2};
  const RunResult r = RunPad<float>(c, {1, 2, 3, 4});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3, 4}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]),
            (std::vector<float>{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
}

TEST(PadTest, Int8FillsWithOutputZeroPoint) {
  // Zero point -5 stands for 0.0, so the padding holds -5.
  PadCase c;
  c.type = DType::kInt8;
  c.shape = {2};
  c.paddings = {2, 1};
  c.in_quant = c.out_quant = PerTensor(0.5f, -5);
  const RunResult r = RunPad<int8_t>(c, {7, 8});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-5, -5, 7, 8, -5}));
}

TEST(PadTest, Uint8ImageStyleWithInt64Paddings) {
  // NHWC [1,1,2,1] padded by one pixel on each side of H and W, zero point 128.
  PadCase c;
  c.type = DType::kUInt8;
  c.shape = {1, 1, 2, 1};
  c.paddings = {0, 0, 1, 1, 1, 1, 0, 0};
  c.paddings_type = DType::kInt64;
  c.in_quant = c.out_quant = PerTensor(0.1f, 128);
  const RunResult r = RunPad<uint8_t>(c, {3, 250});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 3, 4, 1}));
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]),
            (std::vector<uint8_t>{128, 128, 128, 128, 128, 3, 250, 128, 128, 128, 128, 128}));
}

TEST(PadTest, Int16ThreeDims) {
  // [2,1,2] -> [2,2,3]: one element after dim 1 and one before dim 2.
  PadCase c;
  c.type = DType::kInt16;
  c.shape = {2, 1, 2};
  c.paddings = {0, 0, 0, 1, 1, 0};
  c.in_quant = c.out_quant = PerTensor(0.001f, 0);
  const RunResult r = RunPad<int16_t>(c, {-32768, 1, 2, 32767});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 2, 3}));
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]),
            (std::vector<int16_t>{0, -32768, 1, 0, 0, 0, 0, 2, 32767, 0, 0, 0}));
}

TEST(PadTest, UnquantizedInt8FillsWithZero) {
  PadCase c;
  c.type = DType::kInt8;
  c.shape = {1};
  c.paddings = {1, 1};
  c.out_quant = PerTensor(1.0f, 9);  // ignored: the input carries no quantization
  const RunResult r = RunPad<int8_t>(c, {4});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{0, 4, 0}));
}

TEST(PadTest, PadV2TakesValueFromInput2) {
  PadCase c;
  c.shape = {1, 2};
  c.paddings = {0, 1, 1, 0};
  const std::vector<float> value = {9.5f};
  RunResult r = RunPad<float>(c, {1, 2}, &value);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), (std::vector<float>{9.5f, 1, 2, 9.5f, 9.5f, 9.5f}));

  // Quantized: the value is taken as is, and must share the output's parameters.
  c.type = DType::kInt8;
  c.in_quant = c.out_quant = PerTensor(0.5f, 3);
  const std::vector<int8_t> q_value = {-100};
  r = RunPad<int8_t>(c, {1, 2}, &q_value, PerTensor(0.5f, 3));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-100, 1, 2, -100, -100, -100}));
}

TEST(PadTest, RejectsBadModels) {
  PadCase c;
  c.shape = {2};
  c.paddings = {-1, 0};
  RunResult r = RunPad<float>(c, {1, 2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(">= 0"), std::string::npos) << r.status.message();

  c.paddings = {1, 0, 0, 0};  // [2,2] paddings for a rank-1 input
  r = RunPad<float>(c, {1, 2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must have shape [1,2]"), std::string::npos);

  // Run-time paddings are checked when the model runs.
  c.paddings = {0, -2};
  c.paddings_constant = false;
  r = RunPad<float>(c, {1, 2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("paddings of dimension 0 are (0,-2); they must be >= 0"),
            std::string::npos)
      << r.status.message();
  c.paddings = {1, 1};

  c.paddings_constant = true;
  c.paddings_type = DType::kFloat32;
  EXPECT_FALSE(RunPad<float>(c, {1, 2}).status.ok());

  // PADV2 value: two elements; other quantization than the output's.
  c.paddings_type = DType::kInt32;
  const std::vector<float> two = {1, 2};
  EXPECT_FALSE(RunPad<float>(c, {1, 2}, &two).status.ok());
  c.type = DType::kInt8;
  c.in_quant = c.out_quant = PerTensor(0.5f, 3);
  const std::vector<int8_t> value = {0};
  r = RunPad<int8_t>(c, {1, 2}, &value, PerTensor(0.25f, 3));
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("scale and zero point"), std::string::npos);

  // Unsupported dtype.
  c.type = DType::kBool;
  c.in_quant = c.out_quant = {};
  EXPECT_FALSE(RunPad<uint8_t>(c, {1, 0}).status.ok());
}

// Every output element from its definition: the input element its index
// lands on after subtracting `before`, or the fill. Random ranks 1-5, sizes
// 1-4 and paddings 0-2 (unpadded dimensions next to padded ones), int16
// values so that a misplaced byte shows.
TEST(PadTest, RandomShapesMatchTheDefinition) {
  std::mt19937 rng(7);
  auto random_int = [&rng](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 200; ++trial) {
    PadCase c;
    c.type = DType::kInt16;
    const int rank = random_int(1, 5);
    Shape out_shape;
    for (int d = 0; d < rank; ++d) {
      c.shape.push_back(random_int(1, 4));
      const bool padded = random_int(0, 1) == 1;
      c.paddings.push_back(padded ? random_int(0, 2) : 0);
      c.paddings.push_back(padded ? random_int(0, 2) : 0);
      out_shape.push_back(c.shape[d] + c.paddings[2 * d] + c.paddings[2 * d + 1]);
    }
    std::vector<int16_t> input(static_cast<size_t>(ShapeElementCount(c.shape)));
    for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<int16_t>(i + 1);
    const int16_t fill = -5;
    const std::vector<int16_t> value = {fill};
    const RunResult r = RunPad<int16_t>(c, input, &value);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    ASSERT_EQ(r.shapes[0], out_shape);
    const std::vector<int16_t> got = FromBytes<int16_t>(r.outputs[0]);
    ASSERT_EQ(static_cast<int64_t>(got.size()), ShapeElementCount(out_shape));
    for (int64_t o = 0; o < static_cast<int64_t>(got.size()); ++o) {
      int64_t rest = o, in_index = 0, in_stride = 1;
      bool inside = true;
      for (int d = rank - 1; d >= 0; --d) {
        const int64_t at = rest % out_shape[d] - c.paddings[2 * d];
        rest /= out_shape[d];
        inside = inside && at >= 0 && at < c.shape[d];
        in_index += at * in_stride;
        in_stride *= c.shape[d];
      }
      ASSERT_EQ(got[o], inside ? input[in_index] : fill)
          << "output element " << o << " of shape " << ShapeToString(out_shape) << ", input "
          << ShapeToString(c.shape);
    }
  }
}

}  // namespace
}  // namespace qlite
