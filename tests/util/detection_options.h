// TFLite_Detection_PostProcess's custom options as the converter writes
// them: a flexbuffer map, built with flatbuffers' own builder. Shared by the
// kernel tests and the cross-runtime models (header only: the model generator
// links qlite_core alone).
#pragma once

#include <flatbuffers/flexbuffers.h>

#include <cstdint>
#include <vector>

namespace qlite::testing {

struct DetectionOptions {
  int max_detections = 3, max_classes_per_detection = 1, detections_per_class = 100;
  bool use_regular_nms = false;
  float score_threshold = 0.25f, iou_threshold = 0.5f;
  int num_classes = 2;
  float y_scale = 10, x_scale = 10, h_scale = 5, w_scale = 5;
};

inline std::vector<uint8_t> DetectionOptionBytes(const DetectionOptions& o) {
  flexbuffers::Builder fbb;
  fbb.Map([&] {
    fbb.Int("max_detections", o.max_detections);
    fbb.Int("max_classes_per_detection", o.max_classes_per_detection);
    fbb.Int("detections_per_class", o.detections_per_class);
    fbb.Bool("use_regular_nms", o.use_regular_nms);
    fbb.Float("nms_score_threshold", o.score_threshold);
    fbb.Float("nms_iou_threshold", o.iou_threshold);
    fbb.Int("num_classes", o.num_classes);
    fbb.Float("y_scale", o.y_scale);
    fbb.Float("x_scale", o.x_scale);
    fbb.Float("h_scale", o.h_scale);
    fbb.Float("w_scale", o.w_scale);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

}  // namespace qlite::testing
