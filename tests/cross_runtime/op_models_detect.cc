// One-op models of TFLite_Detection_PostProcess (fast and regular NMS,
// float32 and uint8 inputs) and NON_MAX_SUPPRESSION_V4 / V5 (float32). The
// page compares output 0, so each op is written once per output, that output
// listed first. Seeded inputs are floats in [-10, 10) (uint8: wrapped
// integers); options make every output slot a detection, since TFLite leaves
// the fast variant's unused slots unwritten. The "ties" models take constant
// scores of three levels, equal across anchors and across one anchor's
// classes: which of equal candidates comes first follows LiteRT.js (libc++'s
// partial_sort of a box's classes and NMS heap, see tie_order.h; the
// regular variant's stable merge of the classes).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"
#include "tests/util/detection_options.h"

namespace qlite {
namespace {

constexpr int kAnchors = 24;

struct DetectCase {
  const char* name;
  DType type;
  bool regular;
  int max_detections, max_classes_per_detection, num_classes;
  float score_threshold = -5.0f;
  bool tied_scores = false;
};

// 0.25, 0.5 or 0.75: on even anchors every class scores alike.
float TiedScore(int anchor, int cls) {
  return 0.25f * static_cast<float>(1 + (anchor / 3 + cls * (anchor % 2)) % 3);
}

std::vector<float> TiedDetectScores(int num_classes) {
  std::vector<float> scores;
  for (int a = 0; a < kAnchors; ++a) {
    scores.push_back(0.0f);  // background
    for (int c = 0; c < num_classes; ++c) scores.push_back(TiedScore(a, c));
  }
  return scores;
}

std::vector<uint8_t> DetectOptions(const DetectCase& c) {
  testing::DetectionOptions o;
  o.max_detections = c.max_detections;
  o.max_classes_per_detection = c.max_classes_per_detection;
  o.detections_per_class = 3;
  o.use_regular_nms = c.regular;
  o.score_threshold = c.score_threshold;
  o.num_classes = c.num_classes;
  return testing::DetectionOptionBytes(o);
}

// Anchors (y, x, h, w) on a 4 x 6 grid, 0.25 apart, 0.2-0.45 in size.
std::vector<uint8_t> AnchorBytes(DType type) {
  std::vector<float> anchors;
  for (int i = 0; i < kAnchors; ++i) {
    anchors.insert(anchors.end(), {0.125f + 0.25f * (i / 6), 0.125f + 0.25f * (i % 6),
                                   0.2f + 0.05f * (i % 6), 0.45f - 0.05f * (i % 4)});
  }
  std::vector<uint8_t> bytes;
  for (float a : anchors) {
    if (type == DType::kUInt8) {
      // Scale 1/200, zero point 0: anchors past 1.275 saturate, as a converter clamps them.
      bytes.push_back(static_cast<uint8_t>(std::min(a * 200.0f + 0.5f, 255.0f)));
    } else {
      const auto* p = reinterpret_cast<const uint8_t*>(&a);
      bytes.insert(bytes.end(), p, p + sizeof(a));
    }
  }
  return bytes;
}

Model Detect(const DetectCase& c, int first_output) {
  ModelBuilder b;
  const bool q = c.type == DType::kUInt8;
  const int boxes =
      b.AddTensor("boxes", c.type, {1, kAnchors, 4}, q ? PerTensor(0.05f, 128) : Quantization{});
  const std::vector<int32_t> scores_shape = {1, kAnchors, c.num_classes + 1};
  const int scores = c.tied_scores ? b.AddConstant("scores", DType::kFloat32, scores_shape,
                                                   TiedDetectScores(c.num_classes))
                                   : b.AddTensor("scores", c.type, scores_shape,
                                                 q ? PerTensor(1.0f / 256, 0) : Quantization{});
  const int anchors = b.AddConstantBytes("anchors", c.type, {kAnchors, 4}, AnchorBytes(c.type),
                                         q ? PerTensor(1.0f / 200, 0) : Quantization{});
  const int slots = c.max_detections * c.max_classes_per_detection;
  std::vector<int32_t> outs = {b.AddTensor("detection_boxes", DType::kFloat32, {1, slots, 4}),
                               b.AddTensor("detection_classes", DType::kFloat32, {1, slots}),
                               b.AddTensor("detection_scores", DType::kFloat32, {1, slots}),
                               b.AddTensor("num_detections", DType::kFloat32, {1})};
  b.AddOperator(BuiltinOp::kCustom, {boxes, scores, anchors}, outs);
  b.model().operators.back().custom_code = "TFLite_Detection_PostProcess";
  b.model().operators.back().custom_options = DetectOptions(c);
  if (c.tied_scores) {
    b.SetInputs({boxes});
  } else {
    b.SetInputs({boxes, scores});
  }
  std::swap(outs[0], outs[first_output]);
  b.SetOutputs(outs);
  return b.Build();
}

// NON_MAX_SUPPRESSION_V4 (sigma < 0) or V5 over 20 random boxes; tied: the
// scores are constants of three levels.
Model Nms(float sigma, float score_threshold, int max_output, int first_output, bool tied = false) {
  ModelBuilder b;
  const int boxes = b.AddTensor("boxes", DType::kFloat32, {20, 4});
  std::vector<float> tied_scores;
  for (int i = 0; i < 20; ++i) tied_scores.push_back(TiedScore(i, 1));
  const int scores = tied ? b.AddConstant("scores", DType::kFloat32, {20}, tied_scores)
                          : b.AddTensor("scores", DType::kFloat32, {20});
  std::vector<int32_t> ins = {
      boxes, scores,
      b.AddConstant("max_output_size", DType::kInt32, {}, std::vector<int32_t>{max_output}),
      b.AddConstant("iou_threshold", DType::kFloat32, {}, std::vector<float>{0.4f}),
      b.AddConstant("score_threshold", DType::kFloat32, {}, std::vector<float>{score_threshold})};
  std::vector<int32_t> outs = {b.AddTensor("selected_indices", DType::kInt32, {max_output})};
  const bool soft = sigma >= 0;
  if (soft) {
    ins.push_back(b.AddConstant("soft_nms_sigma", DType::kFloat32, {}, std::vector<float>{sigma}));
    outs.push_back(b.AddTensor("selected_scores", DType::kFloat32, {max_output}));
  }
  outs.push_back(b.AddTensor("num_selected", DType::kInt32, {}));
  b.AddOperator(soft ? BuiltinOp::kNonMaxSuppressionV5 : BuiltinOp::kNonMaxSuppressionV4, ins,
                outs);
  if (tied) {
    b.SetInputs({boxes});
  } else {
    b.SetInputs({boxes, scores});
  }
  std::swap(outs[0], outs[first_output]);
  b.SetOutputs(outs);
  return b.Build();
}

}  // namespace

void AddDetectionModels(OpModels* models_out) {
  OpModels& models = *models_out;
  static const char* const kOutputs[] = {"boxes", "classes", "scores", "count"};
  // 24 anchors and a score threshold most scores pass: every slot is a
  // detection. "padded": a threshold 1-3 scores pass, the regular variant's
  // other slots are zeros (TFLite leaves the fast variant's unwritten).
  for (const DetectCase& c :
       {DetectCase{"fast_float32", DType::kFloat32, false, 4, 2, 3},
        DetectCase{"regular_float32", DType::kFloat32, true, 5, 1, 3},
        DetectCase{"regular_float32_padded", DType::kFloat32, true, 8, 1, 2, 9.0f},
        DetectCase{"fast_uint8", DType::kUInt8, false, 3, 1, 4, 0.0f},
        DetectCase{"regular_uint8", DType::kUInt8, true, 4, 1, 2, 0.0f},
        // All three classes of each box ranked (a full partial_sort of equal
        // scores); six of many equal class picks kept.
        DetectCase{"fast_float32_ties", DType::kFloat32, false, 4, 3, 3, 0.0f, true},
        DetectCase{"regular_float32_ties", DType::kFloat32, true, 6, 1, 3, 0.0f, true}}) {
    for (int out = 0; out < 4; ++out) {
      models.push_back({std::string("detection_postprocess_") + c.name + "_" + kOutputs[out],
                        [=] { return Detect(c, out); }});
    }
  }
  // 6 wanted: all found; "padded": 12 wanted, 2-5 scores above 6.
  for (int out = 0; out < 2; ++out) {
    const std::string output = out ? "count" : "indices";
    models.push_back(
        {"non_max_suppression_v4_float32_" + output, [=] { return Nms(-1, 0.0f, 6, out); }});
    models.push_back({"non_max_suppression_v4_float32_padded_" + output,
                      [=] { return Nms(-1, 6.0f, 12, out); }});
  }
  models.push_back(
      {"non_max_suppression_v4_float32_ties_indices", [] { return Nms(-1, 0.0f, 12, 0, true); }});
  static const char* const kV5Outputs[] = {"indices", "scores", "count"};
  for (int out = 0; out < 3; ++out) {
    models.push_back({std::string("non_max_suppression_v5_float32_soft_") + kV5Outputs[out],
                      [=] { return Nms(0.5f, -3.0f, 6, out); }});
    models.push_back({std::string("non_max_suppression_v5_float32_soft_padded_") + kV5Outputs[out],
                      [=] { return Nms(0.5f, 6.0f, 12, out); }});
    models.push_back({std::string("non_max_suppression_v5_float32_sigma0_") + kV5Outputs[out],
                      [=] { return Nms(0.0f, 2.0f, 6, out); }});
    models.push_back({std::string("non_max_suppression_v5_float32_soft_ties_") + kV5Outputs[out],
                      [=] { return Nms(0.5f, 0.0f, 12, out, true); }});
  }
}

}  // namespace qlite
