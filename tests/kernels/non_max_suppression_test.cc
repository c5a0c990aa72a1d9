// NON_MAX_SUPPRESSION_V4 / V5 reference kernel: TensorFlow's three clusters
// of boxes (hand-checked selections), score thresholds, padding to
// max_output_size, soft-NMS score decay, ties, and the models it refuses.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

// Clusters around x = 0 (boxes 0-2), x = 10 (3, 4) and x = 100 (5); box 2
// has its corners swapped, which TFLite accepts.
const std::vector<float> kBoxes = {0, 0,  1, 1,  0, 0.1f,  1, 1.1f,  1, 0.9f, 0, -0.1f,
                                   0, 10, 1, 11, 0, 10.1f, 1, 11.1f, 0, 100,  1, 101};
const std::vector<float> kScores = {0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f};

struct NmsResult {
  Status status;
  std::vector<int32_t> indices;
  std::vector<float> scores;
  int32_t count = -1;
};

constexpr float kV4 = -1000;  // RunNms's sigma for a V4 node (five inputs)

NmsResult RunNms(int32_t max_output, float iou, float score, float sigma = kV4,
                 const std::vector<float>& scores = kScores, bool constant_max = true) {
  ModelBuilder b;
  const int n = static_cast<int>(scores.size());
  const int boxes = b.AddTensor("boxes", DType::kFloat32, {n, 4});
  const int in_scores = b.AddTensor("scores", DType::kFloat32, {n});
  const int max = constant_max
                      ? b.AddConstant("max", DType::kInt32, {}, std::vector<int32_t>{max_output})
                      : b.AddTensor("max", DType::kInt32, {});
  const int t_iou = b.AddConstant("iou", DType::kFloat32, {}, std::vector<float>{iou});
  const int t_score = b.AddConstant("score", DType::kFloat32, {}, std::vector<float>{score});
  std::vector<int32_t> ins = {boxes, in_scores, max, t_iou, t_score};
  std::vector<int32_t> outs = {b.AddTensor("indices", DType::kInt32, {})};
  const bool soft = sigma != kV4;
  if (soft) {
    ins.push_back(b.AddConstant("sigma", DType::kFloat32, {}, std::vector<float>{sigma}));
    outs.push_back(b.AddTensor("selected_scores", DType::kFloat32, {}));
  }
  outs.push_back(b.AddTensor("count", DType::kInt32, {}));
  b.AddOperator(soft ? BuiltinOp::kNonMaxSuppressionV5 : BuiltinOp::kNonMaxSuppressionV4, ins,
                outs);
  std::vector<std::vector<uint8_t>> feeds = {
      ToBytes(std::vector<float>(kBoxes.begin(), kBoxes.begin() + 4 * n)), ToBytes(scores)};
  if (constant_max) {
    b.SetInputs({boxes, in_scores});
  } else {
    b.SetInputs({boxes, in_scores, max});
    feeds.push_back(ToBytes(std::vector<int32_t>{max_output}));
  }
  b.SetOutputs(outs);
  const RunResult r = RunModel(b.Build(), feeds);
  NmsResult out;
  out.status = r.status;
  if (!r.status.ok()) return out;
  out.indices = FromBytes<int32_t>(r.outputs[0]);
  if (soft) out.scores = FromBytes<float>(r.outputs[1]);
  out.count = FromBytes<int32_t>(r.outputs.back())[0];
  return out;
}

TEST(NonMaxSuppressionTest, V4SelectsOneBoxPerCluster) {
  // 3 (.95) first; 4 overlaps it (IoU 0.82); 0 (.9); 1 and 2 overlap 0; 5.
  NmsResult r = RunNms(3, 0.5f, 0.0f);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.indices, (std::vector<int32_t>{3, 0, 5}));
  EXPECT_EQ(r.count, 3);
  // Padded to max_output_size with zeros.
  r = RunNms(6, 0.5f, 0.0f);
  EXPECT_EQ(r.indices, (std::vector<int32_t>{3, 0, 5, 0, 0, 0}));
  EXPECT_EQ(r.count, 3);
  // Fewer wanted than clusters.
  r = RunNms(2, 0.5f, 0.0f);
  EXPECT_EQ(r.indices, (std::vector<int32_t>{3, 0}));
  EXPECT_EQ(r.count, 2);
  r = RunNms(0, 0.5f, 0.0f);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_TRUE(r.indices.empty());
  EXPECT_EQ(r.count, 0);
}

TEST(NonMaxSuppressionTest, V4ScoreThresholdIsStrict) {
  // Box 5 scores 0.3: only scores above the threshold are candidates.
  NmsResult r = RunNms(3, 0.5f, 0.3f);
  EXPECT_EQ(r.indices, (std::vector<int32_t>{3, 0, 0}));
  EXPECT_EQ(r.count, 2);
  r = RunNms(3, 0.5f, 0.29f);
  EXPECT_EQ(r.count, 3);
  // A high IoU threshold keeps the overlapping boxes: 3, 0, 4 (IoU 0.82 < 0.9).
  r = RunNms(3, 0.9f, 0.0f);
  EXPECT_EQ(r.indices, (std::vector<int32_t>{3, 0, 1}));
}

TEST(NonMaxSuppressionTest, V5SoftNmsDecaysOverlappingScores) {
  // Boxes 0 [0,0,1,1] (.9) and 1 [0,0.1,1,1.1] (.75): IoU 0.9 / 1.1 = 0.81818
  // < 0.95; sigma 0.5: 0.75 * exp(-0.5 / 0.5 * 0.81818^2) = 0.75 * 0.512005.
  NmsResult r = RunNms(3, 0.95f, 0.0f, 0.5f, {0.9f, 0.75f});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.indices, (std::vector<int32_t>{0, 1, 0}));
  ASSERT_EQ(r.scores.size(), 3u);
  EXPECT_FLOAT_EQ(r.scores[0], 0.9f);
  EXPECT_NEAR(r.scores[1], 0.384004f, 2e-6);
  EXPECT_EQ(r.scores[2], 0.0f);
  EXPECT_EQ(r.count, 2);
  // A decayed score at or below the threshold drops the box.
  r = RunNms(3, 0.95f, 0.4f, 0.5f, {0.9f, 0.75f});
  EXPECT_EQ(r.indices, (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(r.count, 1);
  // sigma 0 is plain NMS with selected scores.
  r = RunNms(6, 0.5f, 0.0f, 0.0f);
  EXPECT_EQ(r.indices, (std::vector<int32_t>{3, 0, 5, 0, 0, 0}));
  EXPECT_EQ(r.scores, (std::vector<float>{0.95f, 0.9f, 0.3f, 0, 0, 0}));
}

TEST(NonMaxSuppressionTest, EqualScoresPopInLibcxxHeapOrder) {
  // Only a box suppresses itself (IoU 1): as in TFLite, a selected box goes
  // back into the heap and is dropped when it comes out again. Pushed in
  // index order the heap is [1, 0, 2, 3, 4]; libc++'s pop_heap takes the left
  // of equal children, so after 1 the 0.5s are selected as 0, 4, 3, 2
  // (libstdc++'s: 4, 0, 3, 2).
  const NmsResult r = RunNms(5, 1.0f, 0.0f, kV4, {0.5f, 0.9f, 0.5f, 0.5f, 0.5f});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.indices, (std::vector<int32_t>{1, 0, 4, 3, 2}));
  EXPECT_EQ(r.count, 5);
}

TEST(NonMaxSuppressionTest, NanScoresAreNeverCandidates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const NmsResult r = RunNms(3, 0.5f, -1.0f, kV4, {nan, 0.75f, 0.6f, nan, 0.5f, 0.3f});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.indices, (std::vector<int32_t>{1, 4, 5}));
}

TEST(NonMaxSuppressionTest, RefusesWhatTfliteRefusesAndRunTimeSizes) {
  NmsResult r = RunNms(3, 0.5f, 0.0f, kV4, kScores, /*constant_max=*/false);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("max_output_size must be a constant"), std::string::npos);
  r = RunNms(-1, 0.5f, 0.0f);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("max_output_size -1"), std::string::npos);
  r = RunNms(1 << 30, 0.5f, 0.0f);  // bounded memory
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("max_output_size 1073741824"), std::string::npos);
  r = RunNms(3, 0.5f, 0.0f, -0.25f);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("soft_nms_sigma"), std::string::npos);
}

}  // namespace
}  // namespace qlite
