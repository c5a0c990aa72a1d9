// TFLite_Detection_PostProcess: hand-checked fast and regular NMS on four
// anchors (two overlapping), score thresholds, ties, fewer boxes than
// max_detections, uint8 inputs, hostile options and option bytes, and the
// writer keeping a custom op's flexbuffer options.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/model_builder.h"
#include "tests/util/detection_options.h"
#include "tests/util/op_runner.h"

namespace qlite {
namespace {

using testing::FromBytes;
using testing::RunModel;
using testing::RunResult;
using testing::ToBytes;

using DetectOptions = testing::DetectionOptions;

std::vector<uint8_t> OptionBytes(const DetectOptions& o) {
  return testing::DetectionOptionBytes(o);
}

// Anchors (y, x, h, w) whose zero encodings decode to the boxes
// A [0, 0, 1, 1], B [0, 0.1, 1, 1.1] (IoU with A 0.818), C [0, 10, 1, 11],
// D [0, 20, 1, 21].
const std::vector<float> kAnchors = {0.5f, 0.5f,  1, 1, 0.5f, 0.6f,  1, 1,
                                     0.5f, 10.5f, 1, 1, 0.5f, 20.5f, 1, 1};
// Per anchor: background, class 0, class 1.
const std::vector<float> kScores = {0, 0.9f, 0.8f, 0, 0.75f, 0.72f, 0, 0.93f, 0.95f, 0, 0.3f, 0.2f};
constexpr float kA[] = {0, 0, 1, 1}, kC[] = {0, 10, 1, 11}, kD[] = {0, 20, 1, 21};

struct Detections {
  Status status;
  std::vector<float> boxes, classes, scores;
  float count = -1;
};

struct DetectInputs {
  DType type = DType::kFloat32;
  std::vector<uint8_t> encodings, scores, anchors;
  Quantization encodings_quant, scores_quant, anchors_quant;
};

DetectInputs FloatInputs(const std::vector<float>& scores = kScores) {
  DetectInputs in;
  in.encodings = ToBytes(std::vector<float>(16, 0.0f));
  in.scores = ToBytes(scores);
  in.anchors = ToBytes(kAnchors);
  return in;
}

Detections Detect(const std::vector<uint8_t>& options, const DetectInputs& in) {
  ModelBuilder b;
  const int boxes = b.AddTensor("boxes", in.type, {1, 4, 4}, in.encodings_quant);
  const int scores = b.AddTensor("scores", in.type, {1, 4, 3}, in.scores_quant);
  const int anchors = b.AddConstantBytes("anchors", in.type, {4, 4}, in.anchors, in.anchors_quant);
  std::vector<int32_t> outs;
  for (const char* name : {"det_boxes", "det_classes", "det_scores", "num"}) {
    outs.push_back(b.AddTensor(name, DType::kFloat32, {}));
  }
  b.AddOperator(BuiltinOp::kCustom, {boxes, scores, anchors}, outs);
  b.model().operators.back().custom_code = "TFLite_Detection_PostProcess";
  b.model().operators.back().custom_options = options;
  b.SetInputs({boxes, scores});
  b.SetOutputs(outs);
  const RunResult r = RunModel(b.Build(), {in.encodings, in.scores});
  Detections d;
  d.status = r.status;
  if (!r.status.ok()) return d;
  d.boxes = FromBytes<float>(r.outputs[0]);
  d.classes = FromBytes<float>(r.outputs[1]);
  d.scores = FromBytes<float>(r.outputs[2]);
  d.count = FromBytes<float>(r.outputs[3])[0];
  return d;
}

void ExpectBoxes(const std::vector<float>& actual, std::vector<const float*> expected) {
  ASSERT_EQ(actual.size(), 4 * expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    for (int c = 0; c < 4; ++c) {
      EXPECT_NEAR(actual[4 * i + c], expected[i] ? expected[i][c] : 0.0f, 1e-5) << i << "," << c;
    }
  }
}

TEST(DetectionPostprocessTest, FastNmsSuppressesTheOverlappingBox) {
  const Detections d = Detect(OptionBytes({}), FloatInputs());
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  // Ranked by best class: C .95, A .9, B .75 (IoU 0.818 with A: gone), D .3.
  ExpectBoxes(d.boxes, {kC, kA, kD});
  EXPECT_EQ(d.classes, (std::vector<float>{1, 0, 0}));
  EXPECT_EQ(d.scores, (std::vector<float>{0.95f, 0.9f, 0.3f}));
  EXPECT_EQ(d.count, 3);
}

TEST(DetectionPostprocessTest, FastNmsTwoClassesPerDetection) {
  DetectOptions o;
  o.max_classes_per_detection = 2;
  const Detections d = Detect(OptionBytes(o), FloatInputs());
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  // The second class is reported even below the score threshold (D's 0.2).
  ExpectBoxes(d.boxes, {kC, kC, kA, kA, kD, kD});
  EXPECT_EQ(d.classes, (std::vector<float>{1, 0, 0, 1, 0, 1}));
  EXPECT_EQ(d.scores, (std::vector<float>{0.95f, 0.93f, 0.9f, 0.8f, 0.3f, 0.2f}));
  EXPECT_EQ(d.count, 3);
}

TEST(DetectionPostprocessTest, FewerBoxesThanMaxDetectionsAndScoreThreshold) {
  DetectOptions o;
  o.max_detections = 5;
  Detections d = Detect(OptionBytes(o), FloatInputs());
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ExpectBoxes(d.boxes, {kC, kA, kD, nullptr, nullptr});
  EXPECT_EQ(d.classes, (std::vector<float>{1, 0, 0, 0, 0}));
  EXPECT_EQ(d.scores, (std::vector<float>{0.95f, 0.9f, 0.3f, 0, 0}));
  EXPECT_EQ(d.count, 3);
  o.score_threshold = 0.92f;  // only C's 0.95 passes (a score equal to it would too)
  d = Detect(OptionBytes(o), FloatInputs());
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.scores, (std::vector<float>{0.95f, 0, 0, 0, 0}));
  EXPECT_EQ(d.count, 1);
  o.score_threshold = 0.95f;
  EXPECT_EQ(Detect(OptionBytes(o), FloatInputs()).count, 1);
  o.score_threshold = 0.96f;
  EXPECT_EQ(Detect(OptionBytes(o), FloatInputs()).count, 0);
}

TEST(DetectionPostprocessTest, RegularNmsPerClassThenBestOverall) {
  DetectOptions o;
  o.use_regular_nms = true;
  o.detections_per_class = 2;
  const Detections d = Detect(OptionBytes(o), FloatInputs());
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  // Class 0 keeps C .93, A .9 (B suppressed, D cut by detections_per_class);
  // class 1 keeps C .95, A .8; the best three overall: C1, C0, A0.
  ExpectBoxes(d.boxes, {kC, kC, kA});
  EXPECT_EQ(d.classes, (std::vector<float>{1, 0, 0}));
  EXPECT_EQ(d.scores, (std::vector<float>{0.95f, 0.93f, 0.9f}));
  EXPECT_EQ(d.count, 3);
}

TEST(DetectionPostprocessTest, EqualScoresKeepAnchorOrderAndFirstClass) {
  // Every class scores 0.5: the stable order lists A, C, D (B overlaps A);
  // the first of equal classes is class 0.
  const std::vector<float> ties = {0, 0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 0.5f, 0.5f};
  const Detections d = Detect(OptionBytes({}), FloatInputs(ties));
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ExpectBoxes(d.boxes, {kA, kC, kD});
  EXPECT_EQ(d.classes, (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(d.count, 3);
}

TEST(DetectionPostprocessTest, RegularNmsCutsEqualScoresInClassOrder) {
  // Every class scores 0.5; each class keeps A, C, D. TFLite merges the
  // classes' picks stably, so of six equal scores the first four are class
  // 0's three and class 1's first (a std::partial_sort would reorder them:
  // libc++'s gives C0, D0, A0, A1).
  const std::vector<float> ties = {0, 0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 0.5f, 0.5f};
  DetectOptions o;
  o.use_regular_nms = true;
  o.max_detections = 4;
  const Detections d = Detect(OptionBytes(o), FloatInputs(ties));
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ExpectBoxes(d.boxes, {kA, kC, kD, kA});
  EXPECT_EQ(d.classes, (std::vector<float>{0, 0, 0, 1}));
  EXPECT_EQ(d.scores, (std::vector<float>(4, 0.5f)));
  EXPECT_EQ(d.count, 4);
}

TEST(DetectionPostprocessTest, FastNmsRanksEqualClassesInLibcxxPartialSortOrder) {
  // Each box's two classes score alike; max_classes_per_detection 2 ranks
  // them with libc++'s std::partial_sort: class 0, then 1 (three equal
  // classes come out 2, 0, 1, see TieOrderTest.PartialSortOfThreeEqualKeys).
  const std::vector<float> ties = {0, 0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 0.5f, 0.5f};
  DetectOptions o;
  o.max_classes_per_detection = 2;
  o.max_detections = 2;
  const Detections d = Detect(OptionBytes(o), FloatInputs(ties));
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ExpectBoxes(d.boxes, {kA, kA, kC, kC});
  EXPECT_EQ(d.classes, (std::vector<float>{0, 1, 0, 1}));
  EXPECT_EQ(d.count, 2);
}

TEST(DetectionPostprocessTest, Uint8InputsAreDequantized) {
  DetectInputs in;
  in.type = DType::kUInt8;
  in.encodings = std::vector<uint8_t>(16, 128);  // zero at zero point 128
  in.encodings_quant = PerTensor(0.1f, 128);
  // Anchors at scale 0.1: A (5, 5, 10, 10) ... D (5, 205, 10, 10).
  in.anchors = {5, 5, 10, 10, 5, 6, 10, 10, 5, 105, 10, 10, 5, 205, 10, 10};
  in.anchors_quant = PerTensor(0.1f, 0);
  in.scores = {0, 90, 80, 0, 75, 72, 0, 93, 95, 0, 30, 20};
  in.scores_quant = PerTensor(0.01f, 0);
  const Detections d = Detect(OptionBytes({}), in);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ExpectBoxes(d.boxes, {kC, kA, kD});
  EXPECT_EQ(d.classes, (std::vector<float>{1, 0, 0}));
  // 30 * 0.01f = 0.29999999329 rounds to the float below 0.3f; 95 and 90
  // times 0.01f round to 0.95f and 0.9f.
  EXPECT_EQ(d.scores, (std::vector<float>{0.95f, 0.9f, 0.29999998f}));
  EXPECT_EQ(d.count, 3);
}

void ExpectError(const std::vector<uint8_t>& options, const std::string& part,
                 const DetectInputs& in = FloatInputs()) {
  const Detections d = Detect(options, in);
  ASSERT_FALSE(d.status.ok());
  EXPECT_NE(d.status.message().find(part), std::string::npos) << d.status.message();
}

TEST(DetectionPostprocessTest, HostileOptionsAreRefused) {
  DetectOptions o;
  o.max_detections = -1;
  ExpectError(OptionBytes(o), "max_detections is -1");
  o = {};
  o.max_classes_per_detection = 0;
  ExpectError(OptionBytes(o), "max_classes_per_detection is 0");
  o = {};
  o.max_detections = 1 << 30;  // bounded memory: refused before any allocation
  ExpectError(OptionBytes(o), "is more than");
  o = {};
  o.num_classes = 5;
  ExpectError(OptionBytes(o), "for num_classes 5");
  o = {};
  o.iou_threshold = 0;
  ExpectError(OptionBytes(o), "nms_iou_threshold");
  o = {};
  o.use_regular_nms = true;
  o.detections_per_class = 0;
  ExpectError(OptionBytes(o), "detections_per_class is 0");
  ExpectError({}, "max_classes_per_detection is 0");  // no options at all
  std::vector<uint8_t> cut = OptionBytes({});
  cut.resize(cut.size() / 2);
  ExpectError(cut, "flexbuffer");
  DetectInputs int8;
  int8.type = DType::kInt8;
  int8.encodings = int8.anchors = std::vector<uint8_t>(16, 1);
  int8.scores = std::vector<uint8_t>(12, 1);
  int8.encodings_quant = int8.scores_quant = int8.anchors_quant = PerTensor(0.1f, 0);
  ExpectError(OptionBytes({}), "box encodings", int8);
}

TEST(DetectionPostprocessTest, WriterKeepsTheCustomOptionsBytes) {
  ModelBuilder b;
  const int in = b.AddTensor("boxes", DType::kFloat32, {1, 4, 4});
  const int out = b.AddTensor("out", DType::kFloat32, {1});
  b.AddOperator(BuiltinOp::kCustom, {in}, {out});
  b.model().operators.back().custom_code = "TFLite_Detection_PostProcess";
  const std::vector<uint8_t> options = OptionBytes({});
  b.model().operators.back().custom_options = options;
  b.SetInputs({in});
  b.SetOutputs({out});
  std::vector<uint8_t> bytes;
  const Status written = WriteModel(b.Build(), {}, &bytes);
  ASSERT_TRUE(written.ok()) << written.message();
  Model read;
  const Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &read);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(read.operators.size(), 1u);
  EXPECT_EQ(read.operators[0].custom_code, "TFLite_Detection_PostProcess");
  EXPECT_EQ(read.operators[0].custom_options, options);
}

}  // namespace
}  // namespace qlite
