// BATCH_MATMUL reference kernel: products worked out by hand for every
// adj_x/adj_y combination, broadcast batch dims, ranks 2 to 5, empty and
// zero-depth tensors, NaN/inf, int8 zero points, rounding ties, saturation
// and int32 wrap-around, int16x8 rounding, constant rhs (also folded),
// and the errors it reports.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/kernels/batch_matmul.h"
#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct Operand {
  DType type;
  std::vector<int32_t> shape;
  std::vector<uint8_t> bytes;
  Quantization quant = {};
};

template <typename T>
Operand Op(DType type, std::vector<int32_t> shape, const std::vector<T>& values,
           Quantization quant = {}) {
  return {type, std::move(shape), ToBytes(values), std::move(quant)};
}

struct MatMulCase {
  bool adj_x = false, adj_y = false;
  bool constant_lhs = false, constant_rhs = false;
  DType out_type = DType::kFloat32;
  Quantization out_quant = {};
};

RunResult RunBatchMatMul(const Operand& lhs, const Operand& rhs, const MatMulCase& r = {}) {
  ModelBuilder b;
  std::vector<int32_t> inputs;
  std::vector<std::vector<uint8_t>> data;
  const auto add = [&](const char* name, const Operand& o, bool constant) {
    if (constant) return b.AddConstantBytes(name, o.type, o.shape, o.bytes, o.quant);
    const int t = b.AddTensor(name, o.type, o.shape, o.quant);
    inputs.push_back(t);
    data.push_back(o.bytes);
    return t;
  };
  const int l = add("lhs", lhs, r.constant_lhs);
  const int rh = add("rhs", rhs, r.constant_rhs);
  if (inputs.empty()) {  // folded: the model still needs an input
    inputs.push_back(b.AddTensor("unused", DType::kFloat32, {1}));
    data.push_back(ToBytes(std::vector<float>{0}));
  }
  const int out = b.AddTensor("out", r.out_type, {}, r.out_quant);
  b.AddOperator(BuiltinOp::kBatchMatmul, {l, rh}, {out}, BatchMatMulOptions{r.adj_x, r.adj_y});
  b.SetInputs(inputs);
  b.SetOutputs({out});
  return RunModel(b.Build(), data);
}

void ExpectError(const RunResult& r, const std::string& part) {
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(part), std::string::npos) << r.status.message();
}

// [[1, 2, 3], [4, 5, 6]] x [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]].
TEST(BatchMatMulTest, EveryAdjointCombinationGivesTheSameProduct) {
  const Operand lhs = Op<float>(DType::kFloat32, {2, 3}, {1, 2, 3, 4, 5, 6});
  const Operand lhs_t = Op<float>(DType::kFloat32, {3, 2}, {1, 4, 2, 5, 3, 6});
  const Operand rhs = Op<float>(DType::kFloat32, {3, 2}, {7, 8, 9, 10, 11, 12});
  const Operand rhs_t = Op<float>(DType::kFloat32, {2, 3}, {7, 9, 11, 8, 10, 12});
  for (int flags = 0; flags < 8; ++flags) {
    MatMulCase r;
    r.adj_x = (flags & 1) != 0;
    r.adj_y = (flags & 2) != 0;
    r.constant_rhs = (flags & 4) != 0;
    SCOPED_TRACE(::testing::Message() << "adj_x=" << r.adj_x << " adj_y=" << r.adj_y
                                      << " constant rhs=" << r.constant_rhs);
    const RunResult res = RunBatchMatMul(r.adj_x ? lhs_t : lhs, r.adj_y ? rhs_t : rhs, r);
    ASSERT_TRUE(res.status.ok()) << res.status.message();
    EXPECT_EQ(res.shapes[0], (Shape{2, 2}));
    EXPECT_EQ(FromBytes<float>(res.outputs[0]), (std::vector<float>{58, 64, 139, 154}));
  }
}

TEST(BatchMatMulTest, BatchDimsBroadcastAcrossRanks) {
  // lhs [2, 1, 2, 2]: I and 2I. rhs [3, 2, 2]. out[a][b] = (a + 1) * rhs[b].
  const Operand lhs = Op<float>(DType::kFloat32, {2, 1, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2});
  const Operand rhs = Op<float>(DType::kFloat32, {3, 2, 2}, {1, 2, 3, 4, 0, 1, 1, 0, 5, 0, 0, 5});
  const std::vector<float> expected = {1, 2, 3, 4, 0, 1, 1, 0, 5,  0, 0, 5,
                                       2, 4, 6, 8, 0, 2, 2, 0, 10, 0, 0, 10};
  for (bool constant_rhs : {false, true}) {
    MatMulCase r;
    r.constant_rhs = constant_rhs;
    const RunResult res = RunBatchMatMul(lhs, rhs, r);
    ASSERT_TRUE(res.status.ok()) << res.status.message();
    EXPECT_EQ(res.shapes[0], (Shape{2, 3, 2, 2}));
    EXPECT_EQ(FromBytes<float>(res.outputs[0]), expected);
  }
  // A rank-2 lhs [1, 2] = [1, 1] against rank-5 rhs [2, 1, 1, 2, 1]: column sums.
  const RunResult res = RunBatchMatMul(Op<float>(DType::kFloat32, {1, 2}, {1, 1}),
                                       Op<float>(DType::kFloat32, {2, 1, 1, 2, 1}, {1, 2, 30, 40}));
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(res.shapes[0], (Shape{2, 1, 1, 1, 1}));
  EXPECT_EQ(FromBytes<float>(res.outputs[0]), (std::vector<float>{3, 70}));
}

TEST(BatchMatMulTest, EmptyAndZeroDepthTensors) {
  // Model inputs cannot be empty: the empty operands are constants.
  MatMulCase c;
  c.constant_lhs = true;
  RunResult r = RunBatchMatMul(Op<float>(DType::kFloat32, {0, 2, 3}, {}),
                               Op<float>(DType::kFloat32, {3, 4}, std::vector<float>(12, 1)), c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0, 2, 4}));
  EXPECT_TRUE(r.outputs[0].empty());
  // Depth 0: every output is an empty sum.
  c.constant_rhs = true;
  r = RunBatchMatMul(Op<float>(DType::kFloat32, {2, 0}, {}), Op<float>(DType::kFloat32, {0, 3}, {}),
                     c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<float>(r.outputs[0]), std::vector<float>(6, 0.0f));
  // int8 depth 0: the sum 0 maps to the output zero point.
  c.out_type = DType::kInt8;
  c.out_quant = PerTensor(1.0f, -7);
  r = RunBatchMatMul(Op<int8_t>(DType::kInt8, {1, 0}, {}, PerTensor(1.0f, 3)),
                     Op<int8_t>(DType::kInt8, {0, 2}, {}, PerTensor(1.0f, 3)), c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int8_t>(r.outputs[0]), (std::vector<int8_t>{-7, -7}));
}

TEST(BatchMatMulTest, FloatNanAndInfinity) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Rows [1, NaN], [inf, 1], [-inf, -inf] times columns [1, 1], [1, -1], [0, 1].
  const RunResult r =
      RunBatchMatMul(Op<float>(DType::kFloat32, {3, 2}, {1, nan, inf, 1, -inf, -inf}),
                     Op<float>(DType::kFloat32, {2, 3}, {1, 1, 0, 1, -1, 1}));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const std::vector<float> out = FromBytes<float>(r.outputs[0]);
  for (int j = 0; j < 3; ++j) EXPECT_TRUE(std::isnan(out[j])) << j;
  EXPECT_EQ(out[3], inf);
  EXPECT_EQ(out[4], inf);
  EXPECT_TRUE(std::isnan(out[5]));  // inf * 0
  EXPECT_EQ(out[6], -inf);
  EXPECT_TRUE(std::isnan(out[7]));  // -inf + inf
  EXPECT_TRUE(std::isnan(out[8]));
}

TEST(BatchMatMulTest, Int8ZeroPointsOnAllThreeTensors) {
  // Real lhs [[1, 2], [3, 4]] (scale 0.5, zp 1), rhs [[2, 0], [-1, 4]]
  // (scale 0.25, zp -2): product [[0, 8], [2, 16]], output scale 1, zp 3.
  MatMulCase r;
  r.out_type = DType::kInt8;
  r.out_quant = PerTensor(1.0f, 3);
  for (bool adj_y : {false, true}) {
    r.adj_y = adj_y;
    const std::vector<int8_t> rhs =
        adj_y ? std::vector<int8_t>{6, -6, -2, 14} : std::vector<int8_t>{6, -2, -6, 14};
    const RunResult res =
        RunBatchMatMul(Op<int8_t>(DType::kInt8, {2, 2}, {3, 5, 7, 9}, PerTensor(0.5f, 1)),
                       Op<int8_t>(DType::kInt8, {2, 2}, rhs, PerTensor(0.25f, -2)), r);
    ASSERT_TRUE(res.status.ok()) << res.status.message();
    EXPECT_EQ(FromBytes<int8_t>(res.outputs[0]), (std::vector<int8_t>{3, 11, 5, 19}));
  }
}

TEST(BatchMatMulTest, Int8RoundsTwiceAsTfLiteAndSaturates) {
  // Multiplier 0.125 = 2^30 * 2^-2 / 2^31: the doubling high multiply halves
  // and rounds, the shift by 2 rounds again (half away from zero). Sums 4,
  // -4, 3, -3, 12: 4 -> 2 -> 1; -4 -> -2 -> -1; 3 -> 2 (1.5 up) -> 1;
  // -3 -> -1 -> 0; 12 -> 6 -> 2.
  MatMulCase r;
  r.out_type = DType::kInt8;
  r.out_quant = PerTensor(1.0f, 0);
  RunResult res = RunBatchMatMul(
      Op<int8_t>(DType::kInt8, {1, 2}, {1, 1}, PerTensor(1.0f, 0)),
      Op<int8_t>(DType::kInt8, {2, 5}, {2, -2, 3, -3, 12, 2, -2, 0, 0, 0}, PerTensor(0.125f, 0)),
      r);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(FromBytes<int8_t>(res.outputs[0]), (std::vector<int8_t>{1, -1, 1, 0, 2}));
  // Multiplier 1: 127 * 127 * 2 saturates high, 127 * -128 * 2 low.
  res = RunBatchMatMul(Op<int8_t>(DType::kInt8, {1, 2}, {127, 127}, PerTensor(1.0f, 0)),
                       Op<int8_t>(DType::kInt8, {2, 2}, {127, -128, 127, -128}, PerTensor(1.0f, 0)),
                       r);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(FromBytes<int8_t>(res.outputs[0]), (std::vector<int8_t>{127, -128}));
}

TEST(BatchMatMulTest, Int8AccumulatorWrapsLikeTfLitesInt32) {
  // 33100 products of (-128 - 127)^2 = 65025 sum to 2152327500, past
  // INT32_MAX: TFLite's int32 accumulator wraps to -2142639796, which the
  // multiplier 0.5 (no left shift) maps to -128 instead of 127.
  const int32_t depth = 33100;
  MatMulCase r;
  r.out_type = DType::kInt8;
  r.out_quant = PerTensor(2.0f, 0);
  const RunResult res = RunBatchMatMul(
      Op<int8_t>(DType::kInt8, {1, depth}, std::vector<int8_t>(depth, -128), PerTensor(1.0f, 127)),
      Op<int8_t>(DType::kInt8, {depth, 1}, std::vector<int8_t>(depth, -128), PerTensor(1.0f, 127)),
      r);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(FromBytes<int8_t>(res.outputs[0]), (std::vector<int8_t>{-128}));
}

TEST(BatchMatMulTest, Int16Requantization) {
  MatMulCase r;
  r.out_type = DType::kInt16;
  r.out_quant = PerTensor(1024.0f, 0);
  // lhs [[1, 1], [1000, 2000], [32767, 32767]] x rhs columns.
  const RunResult res = RunBatchMatMul(
      Op<int16_t>(DType::kInt16, {3, 2}, {1, 1, 1000, 2000, 32767, 32767}, PerTensor(1.0f, 0)),
      Op<int16_t>(DType::kInt16, {2, 3}, {256, -256, 3000, 256, -256, 4000}, PerTensor(1.0f, 0)),
      r);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  // Row 0: 512 -> 1, -512 -> 0, 7000 -> 6.84 -> 7.
  // Row 1: 768000 -> 750, -768000 -> -750, 11000000 -> 10742.19 -> 10742.
  // Row 2: 16776704 -> 16383.5 -> 16384, -16776704 -> -16383.5 -> -16383,
  //        229369000 -> saturates at 32767.
  EXPECT_EQ(FromBytes<int16_t>(res.outputs[0]),
            (std::vector<int16_t>{1, 0, 7, 750, -750, 10742, 16384, -16383, 32767}));
}

TEST(BatchMatMulTest, ConstantInputsFoldAtPrepare) {
  MatMulCase r;
  r.constant_lhs = r.constant_rhs = true;
  r.adj_x = true;
  const RunResult res =
      RunBatchMatMul(Op<float>(DType::kFloat32, {3, 2}, {1, 4, 2, 5, 3, 6}),
                     Op<float>(DType::kFloat32, {3, 2}, {7, 8, 9, 10, 11, 12}), r);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(FromBytes<float>(res.outputs[0]), (std::vector<float>{58, 64, 139, 154}));
}

TEST(BatchMatMulTest, ErrorsNameWhatIsWrong) {
  const Operand f23 = Op<float>(DType::kFloat32, {2, 3}, std::vector<float>(6, 1));
  ExpectError(RunBatchMatMul(f23, f23), "lhs depth 3 differs from rhs depth 2");
  ExpectError(RunBatchMatMul(Op<float>(DType::kFloat32, {2, 2, 3}, std::vector<float>(12, 1)),
                             Op<float>(DType::kFloat32, {3, 3, 2}, std::vector<float>(18, 1))),
              "lhs batch dim 2 does not broadcast with rhs batch dim 3");
  ExpectError(RunBatchMatMul(Op<float>(DType::kFloat32, {3}, std::vector<float>(3, 1)),
                             Op<float>(DType::kFloat32, {3, 1}, std::vector<float>(3, 1))),
              "ranks must be 2 to 5");
  ExpectError(
      RunBatchMatMul(Op<float>(DType::kFloat32, {1, 1, 1, 1, 2, 3}, std::vector<float>(6, 1)),
                     Op<float>(DType::kFloat32, {3, 1}, std::vector<float>(3, 1))),
      "ranks must be 2 to 5");
  ExpectError(RunBatchMatMul(Op<int32_t>(DType::kInt32, {1, 1}, {1}),
                             Op<int32_t>(DType::kInt32, {1, 1}, {1}),
                             MatMulCase{false, false, false, false, DType::kInt32}),
              "need one dtype: float32, int8 or int16");
  // Hybrid (float lhs, int8 rhs) is not implemented.
  ExpectError(RunBatchMatMul(Op<float>(DType::kFloat32, {1, 1}, {1}),
                             Op<int8_t>(DType::kInt8, {1, 1}, {1}, PerTensor(1.0f, 0)),
                             {false, false, false, true}),
              "need one dtype: float32, int8 or int16");
  MatMulCase i16;
  i16.out_type = DType::kInt16;
  i16.out_quant = PerTensor(1.0f, 0);
  ExpectError(RunBatchMatMul(Op<int16_t>(DType::kInt16, {1, 1}, {1}, PerTensor(1.0f, 5)),
                             Op<int16_t>(DType::kInt16, {1, 1}, {1}, PerTensor(1.0f, 0)), i16),
              "with zero points 0 for int16");
  // A multiplier of 2^9 is past the int64 requantization's left shift of 7.
  i16.out_quant = PerTensor(1.0f / 512, 0);
  ExpectError(RunBatchMatMul(Op<int16_t>(DType::kInt16, {1, 1}, {1}, PerTensor(1.0f, 0)),
                             Op<int16_t>(DType::kInt16, {1, 1}, {1}, PerTensor(1.0f, 0)), i16),
              "too large");
  MatMulCase i8;
  i8.out_type = DType::kInt8;
  i8.out_quant = PerTensor(1.0f, 0);
  ExpectError(RunBatchMatMul(Op<int8_t>(DType::kInt8, {1, 1}, {1}, PerTensor(1.0f, 200)),
                             Op<int8_t>(DType::kInt8, {1, 1}, {1}, PerTensor(1.0f, 0)), i8),
              "zero point 200 outside the int8 range");
  ExpectError(RunBatchMatMul(Op<int8_t>(DType::kInt8, {1, 1}, {1}),
                             Op<int8_t>(DType::kInt8, {1, 1}, {1}, PerTensor(1.0f, 0)), i8),
              "no quantization parameters");
  ExpectError(RunBatchMatMul(
                  Op<int8_t>(DType::kInt8, {1, 2}, {1, 1}, PerTensor(1.0f, 0)),
                  Op<int8_t>(DType::kInt8, {2, 2}, {1, 1, 1, 1}, PerChannel({1.0f, 2.0f}, 1)), i8),
              "needs per-tensor quantization");
}

}  // namespace
}  // namespace qlite
