// STRIDED_SLICE reference kernel against hand-worked TFLite semantics:
// positive and negative strides, negative indices and clamping, begin/end/
// shrink/ellipsis/new-axis masks, offset, and the errors prepare must report.
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

struct SliceSpec {
  std::vector<int32_t> begin, end, strides;
  StridedSliceOptions options;
  bool spec_constant = true;
};

template <typename T>
RunResult RunSlice(DType type, Shape shape, const std::vector<T>& input, const SliceSpec& s) {
  ModelBuilder b;
  const int in = b.AddTensor("in", type, shape);
  std::vector<int32_t> ids = {in};
  const char* names[] = {"begin", "end", "strides"};
  const std::vector<int32_t>* values[] = {&s.begin, &s.end, &s.strides};
  for (int i = 0; i < 3; ++i) {
    const Shape spec_shape = {static_cast<int32_t>(values[i]->size())};
    ids.push_back(s.spec_constant ? b.AddConstant(names[i], DType::kInt32, spec_shape, *values[i])
                                  : b.AddTensor(names[i], DType::kInt32, spec_shape));
  }
  const int out = b.AddTensor("out", type, {});
  b.AddOperator(BuiltinOp::kStridedSlice, ids, {out}, s.options);
  std::vector<int32_t> model_inputs = {in};
  std::vector<std::vector<uint8_t>> bytes = {ToBytes(input)};
  if (!s.spec_constant) {
    for (int i = 0; i < 3; ++i) {
      model_inputs.push_back(ids[i + 1]);
      bytes.push_back(ToBytes(*values[i]));
    }
  }
  b.SetInputs(model_inputs);
  b.SetOutputs({out});
  return RunModel(b.Build(), bytes);
}

std::vector<int32_t> Iota(int n) {
  std::vector<int32_t> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

// 1-D slice of 0..9.
RunResult Slice1D(int32_t begin, int32_t end, int32_t stride, int32_t begin_mask = 0,
                  int32_t end_mask = 0) {
  SliceSpec s{{begin}, {end}, {stride}, {}};
  s.options.begin_mask = begin_mask;
  s.options.end_mask = end_mask;
  return RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s);
}

#define EXPECT_SLICE(result, shape, values)                                    \
  do {                                                                         \
    const RunResult& r_ = (result);                                            \
    ASSERT_TRUE(r_.status.ok()) << r_.status.message();                        \
    EXPECT_EQ(r_.shapes[0], Shape shape);                                      \
    EXPECT_EQ(FromBytes<int32_t>(r_.outputs[0]), std::vector<int32_t> values); \
  } while (0)

TEST(StridedSliceTest, PositiveStrides) {
  EXPECT_SLICE(Slice1D(1, 8, 3), ({3}), ({1, 4, 7}));  // ceil(7 / 3) = 3
  EXPECT_SLICE(Slice1D(2, 4, 1), ({2}), ({2, 3}));
}

TEST(StridedSliceTest, NegativeStrides) {
  // begin -1 -> 9; end 0 stays 0 (clamped to [-1, 9]); 9,7,5,3,1.
  EXPECT_SLICE(Slice1D(-1, 0, -2), ({5}), ({9, 7, 5, 3, 1}));
  // Both masks with a negative stride: start 9, end -1 -> the whole reversal.
  EXPECT_SLICE(Slice1D(0, 0, -1, 1, 1), ({10}), ({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  // begin 100 clamps to 9, end -100 -> -90 clamps to -1: every third from 9.
  EXPECT_SLICE(Slice1D(100, -100, -3), ({4}), ({9, 6, 3, 0}));
  // begin < end with a negative stride is empty.
  EXPECT_SLICE(Slice1D(2, 5, -1), ({0}), ({}));
}

TEST(StridedSliceTest, NegativeIndicesAndClamping) {
  EXPECT_SLICE(Slice1D(-3, -1, 1), ({2}), ({7, 8}));
  EXPECT_SLICE(Slice1D(-100, 100, 1), ({10}), ({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_SLICE(Slice1D(100, 200, 1), ({0}), ({}));  // start clamps to 10
  // begin_mask overrides begin, end_mask overrides end.
  EXPECT_SLICE(Slice1D(7, 2, 4, 1, 0), ({1}), ({0}));
  EXPECT_SLICE(Slice1D(7, 2, 1, 0, 1), ({3}), ({7, 8, 9}));
}

TEST(StridedSliceTest, ExtremeIndicesAndStrides) {
  constexpr int32_t kMin = INT32_MIN, kMax = INT32_MAX;
  // begin clamps to 9, end to -1; one step of -2^31 leaves only index 9.
  EXPECT_SLICE(Slice1D(kMax, kMin, kMin), ({1}), ({9}));
  // begin clamps to -1, end to 9: a negative stride from -1 never reaches 9.
  EXPECT_SLICE(Slice1D(kMin, kMax, kMin), ({0}), ({}));
  EXPECT_SLICE(Slice1D(kMin, kMax, kMax), ({1}), ({0}));
}

TEST(StridedSliceTest, ShrinkAxis) {
  // x[1, 1:3] of a 3x4 of 0..11 -> [5, 6].
  SliceSpec s{{1, 1}, {2, 3}, {1, 1}, {}};
  s.options.shrink_axis_mask = 1;
  EXPECT_SLICE(RunSlice<int32_t>(DType::kInt32, {3, 4}, Iota(12), s), ({2}), ({5, 6}));

  // x[-1, :]: begin -1 is the last row; the end value is ignored for a shrunk axis.
  s = {{-1, 0}, {0, 0}, {1, 1}, {}};
  s.options.shrink_axis_mask = 1;
  s.options.end_mask = 2;
  EXPECT_SLICE(RunSlice<int32_t>(DType::kInt32, {3, 4}, Iota(12), s), ({4}), ({8, 9, 10, 11}));

  // Both axes shrunk: x[2, -2] = 10, a scalar.
  s = {{2, -2}, {3, -1}, {1, 1}, {}};
  s.options.shrink_axis_mask = 3;
  EXPECT_SLICE(RunSlice<int32_t>(DType::kInt32, {3, 4}, Iota(12), s), ({}), ({10}));
}

TEST(StridedSliceTest, EllipsisMask) {
  // x[..., 1] of a [2,3,4] of 0..23: the ellipsis covers the first two axes.
  SliceSpec s{{0, 1}, {0, 2}, {1, 1}, {}};
  s.options.ellipsis_mask = 1;
  s.options.shrink_axis_mask = 2;
  EXPECT_SLICE(RunSlice<int32_t>(DType::kInt32, {2, 3, 4}, Iota(24), s), ({2, 3}),
               ({1, 5, 9, 13, 17, 21}));

  // x[1, ...]: the ellipsis after the first index covers the last two axes.
  s = {{1, 0}, {2, 0}, {1, 1}, {}};
  s.options.ellipsis_mask = 2;
  EXPECT_SLICE(RunSlice<int32_t>(DType::kInt32, {2, 2, 2}, Iota(8), s), ({1, 2, 2}),
               ({4, 5, 6, 7}));
}

TEST(StridedSliceTest, NewAxisMask) {
  // x[newaxis, :, ::-1] of a [2,3]: a leading 1 and reversed rows.
  SliceSpec s{{0, 0, 0}, {0, 0, 0}, {1, 1, -1}, {}};
  s.options.new_axis_mask = 1;
  s.options.begin_mask = 6;
  s.options.end_mask = 6;
  EXPECT_SLICE(RunSlice<int32_t>(DType::kInt32, {2, 3}, Iota(6), s), ({1, 2, 3}),
               ({2, 1, 0, 5, 4, 3}));
}

TEST(StridedSliceTest, Offset) {
  // offset: end is a length: 3 elements from 1.
  SliceSpec s{{1}, {3}, {1}, {}};
  s.options.offset = true;
  EXPECT_SLICE(RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s), ({3}), ({1, 2, 3}));
  // A length running past the input would leave output unwritten in TFLite.
  s = {{8}, {5}, {1}, {}};
  s.options.offset = true;
  EXPECT_FALSE(RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s).status.ok());
}

TEST(StridedSliceTest, OtherDtypesMoveBits) {
  SliceSpec s{{0, 1}, {2, 3}, {1, 1}, {}};
  const std::vector<int16_t> in16 = {-32768, 1, 2, 3, 4, 32767};
  RunResult r = RunSlice<int16_t>(DType::kInt16, {2, 3}, in16, s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(FromBytes<int16_t>(r.outputs[0]), (std::vector<int16_t>{1, 2, 4, 32767}));

  const std::vector<uint8_t> in8 = {0, 1, 2, 253, 254, 255};
  s = {{1, 2}, {-3, -4}, {-1, -1}, {}};  // x[1::-1, 2::-1] reverses both axes
  r = RunSlice<uint8_t>(DType::kUInt8, {2, 3}, in8, s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{2, 3}));
  EXPECT_EQ(FromBytes<uint8_t>(r.outputs[0]), (std::vector<uint8_t>{255, 254, 253, 2, 1, 0}));

  const std::vector<float> inf = {0.5f, 1.5f, 2.5f, 3.5f};
  s = {{1}, {4}, {2}, {}};
  const RunResult rf = RunSlice<float>(DType::kFloat32, {4}, inf, s);
  ASSERT_TRUE(rf.status.ok()) << rf.status.message();
  EXPECT_EQ(FromBytes<float>(rf.outputs[0]), (std::vector<float>{1.5f, 3.5f}));
}

TEST(StridedSliceTest, RejectsBadModels) {
  RunResult r = Slice1D(0, 5, 0);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("stride"), std::string::npos);

  // Shrinking an index past the end, or with a negative stride.
  SliceSpec s{{10}, {11}, {1}, {}};
  s.options.shrink_axis_mask = 1;
  r = RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("out of range"), std::string::npos);
  s = {{3}, {2}, {-1}, {}};
  s.options.shrink_axis_mask = 1;
  EXPECT_FALSE(RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s).status.ok());

  // Spec lengths differ, also when the spec is only known at run time.
  s = {{0, 0}, {1}, {1}, {}};
  EXPECT_FALSE(RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s).status.ok());
  s = {{0, 0}, {1}, {1}, {}, false};
  r = RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("must have the same length"), std::string::npos)
      << r.status.message();
  s = {{0}, {3}, {0}, {}, false};
  r = RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("stride of axis 0 is 0"), std::string::npos)
      << r.status.message();
}

// begin/end/strides as model inputs: the slice is resolved at each invoke.
TEST(StridedSliceTest, SpecKnownOnlyAtRunTime) {
  SliceSpec s = {{1}, {8}, {3}, {}, false};
  RunResult r = RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{3}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{1, 4, 7}));
  s = {{-1, 0}, {0, 3}, {-1, 2}, {}, false};  // rows backwards, every other column
  r = RunSlice<int32_t>(DType::kInt32, {2, 3}, Iota(6), s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{1, 2}));
  EXPECT_EQ(FromBytes<int32_t>(r.outputs[0]), (std::vector<int32_t>{3, 5}));
  s = {{5}, {2}, {1}, {}, false};  // empty
  r = RunSlice<int32_t>(DType::kInt32, {10}, Iota(10), s);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shapes[0], (Shape{0}));
}

}  // namespace
}  // namespace qlite
