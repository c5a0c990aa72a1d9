// TFLite_Detection_PostProcess (custom op): decodes SSD box encodings against
// center-size anchors, then keeps the best non-overlapping boxes, either
// "fast" (each anchor ranked by its best class, top max_classes_per_detection
// classes reported per box) or "regular" (NMS per class, the best
// max_detections over all classes). As TFLite's kernel: the same double-
// precision decoding, stable score order in single-class NMS and in the
// regular variant's merge of the classes (TFLite's std::inplace_merge: equal
// scores keep class order), first-maximum argmax, and libc++'s
// std::partial_sort where the fast variant ranks a box's classes (so equal
// scores resolve as in LiteRT.js on every platform: tie_order.h), uint8 box
// encodings, anchors and class predictions dequantized to float. Output slots
// past the detections hold zeros.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "core/format/flexbuffer_map.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/tie_order.h"
#include "core/quant_math.h"

namespace qlite {
namespace {

constexpr int kCoords = 4;
// Outputs past this many boxes are refused: real models ask for 10-100.
constexpr int64_t kMaxDetectedBoxes = int64_t{1} << 20;

struct Box {
  float ymin, xmin, ymax, xmax;
};

// The node's working memory: one scratch buffer of 4-byte words, cut into
// these parts (sized at prepare, so eval does not allocate).
enum Part {
  kDecoded,          // Box per anchor
  kScores,           // dequantized class predictions (uint8 input only)
  kCandidateScores,  // per anchor: the score single-class NMS ranks
  kKeepScores,       // candidates at or above the score threshold ...
  kKeepIndices,      // ... and their anchors
  kOrder,            // their ranking
  kActive,           // not yet suppressed
  kSelected,         // single-class NMS result
  kClassIndices,     // fast: each anchor's classes, best first
  kMerged,           // regular: best (anchor, class) pairs so far ...
  kMergedScores,     // ... their scores
  kSortedIndices,    // ... and their ranking
  kSortedValues,
  kNumParts
};

struct DetectionData : OpData {
  int32_t max_detections = 0, max_classes_per_detection = 0, detections_per_class = 100;
  int32_t num_classes = 0;
  bool use_regular_nms = false;
  float score_threshold = 0, iou_threshold = 0;
  float y_scale = 0, x_scale = 0, h_scale = 0, w_scale = 0;
  int num_boxes = 0, encoding_size = 0, classes_with_background = 0, label_offset = 0;
  int64_t offsets[kNumParts] = {};  // in words
};

// Pointers into the scratch buffer.
struct Work {
  Box* decoded;
  float *scores, *candidate_scores, *keep_scores, *merged_scores, *sorted_values;
  int *keep_indices, *order, *active, *selected, *class_indices, *merged, *sorted_indices;
};

QLITE_PREPARE_TIME Status ReadOptions(const OperatorDef& op, DetectionData* d) {
  FlexbufferMap m;
  QLITE_RETURN_IF_ERROR(
      FlexbufferMap::Parse(op.custom_options.data(), op.custom_options.size(), &m));
  d->max_detections = m.Int32("max_detections");
  d->max_classes_per_detection = m.Int32("max_classes_per_detection");
  d->detections_per_class = m.Int32("detections_per_class", 100);
  d->use_regular_nms = m.Bool("use_regular_nms");
  d->score_threshold = m.Float("nms_score_threshold");
  d->iou_threshold = m.Float("nms_iou_threshold");
  d->num_classes = m.Int32("num_classes");
  d->y_scale = m.Float("y_scale");
  d->x_scale = m.Float("x_scale");
  d->h_scale = m.Float("h_scale");
  d->w_scale = m.Float("w_scale");
  QLITE_ENSURE(d->max_detections >= 0, "max_detections is ", d->max_detections);
  QLITE_ENSURE(d->max_classes_per_detection > 0, "max_classes_per_detection is ",
               d->max_classes_per_detection);
  QLITE_ENSURE(!d->use_regular_nms || d->detections_per_class > 0, "detections_per_class is ",
               d->detections_per_class);
  QLITE_ENSURE(d->num_classes > 0, "num_classes is ", d->num_classes);
  QLITE_ENSURE(d->iou_threshold > 0.0f && d->iou_threshold <= 1.0f, "nms_iou_threshold ",
               d->iou_threshold, " is not in (0, 1]");
  return Status::Ok();
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 4));
  const Tensor *boxes = nullptr, *classes = nullptr, *anchors = nullptr;
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, &boxes));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, &classes));
  QLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, &anchors));
  auto* d = ctx.NewOpData<DetectionData>();
  QLITE_RETURN_IF_ERROR(ReadOptions(ctx.op(), d));
  QLITE_RETURN_IF_ERROR(CheckType(*boxes, {DType::kFloat32, DType::kUInt8}, "box encodings"));
  QLITE_RETURN_IF_ERROR(CheckType(*classes, {DType::kFloat32, DType::kUInt8}, "class predictions"));
  // TFLite reads the anchors in the box encodings' dtype.
  QLITE_RETURN_IF_ERROR(CheckType(*anchors, {boxes->type}, "anchors"));
  if (boxes->type == DType::kUInt8) {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*boxes, "box encodings"));
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*anchors, "anchors"));
  }
  if (classes->type == DType::kUInt8) {
    QLITE_RETURN_IF_ERROR(CheckPerTensorQuant(*classes, "class predictions"));
  }
  QLITE_RETURN_IF_ERROR(CheckRank(*boxes, 3, "box encodings"));
  QLITE_RETURN_IF_ERROR(CheckRank(*classes, 3, "class predictions"));
  QLITE_RETURN_IF_ERROR(CheckRank(*anchors, 2, "anchors"));
  d->num_boxes = boxes->dim(1);
  d->encoding_size = boxes->dim(2);
  d->classes_with_background = classes->dim(2);
  d->label_offset = d->classes_with_background - d->num_classes;
  QLITE_ENSURE(boxes->dim(0) == 1 && classes->dim(0) == 1, "batch must be 1: box encodings ",
               ShapeToString(boxes->shape), ", class predictions ", ShapeToString(classes->shape));
  QLITE_ENSURE(d->encoding_size >= kCoords, "box encodings ", ShapeToString(boxes->shape),
               " hold fewer than 4 values per box");
  QLITE_ENSURE(classes->dim(1) == d->num_boxes, "class predictions ", ShapeToString(classes->shape),
               " do not match ", d->num_boxes, " boxes");
  QLITE_ENSURE(anchors->dim(0) >= d->num_boxes && anchors->dim(1) == kCoords, "anchors ",
               ShapeToString(anchors->shape), " are not [", d->num_boxes, ", 4]");
  QLITE_ENSURE(d->label_offset == 0 || d->label_offset == 1, "class predictions have ",
               d->classes_with_background, " classes for num_classes ", d->num_classes);
  const int64_t detected = int64_t{d->max_detections} * d->max_classes_per_detection;
  QLITE_ENSURE(detected <= kMaxDetectedBoxes, "max_detections ", d->max_detections,
               " x max_classes_per_detection ", d->max_classes_per_detection, " = ", detected,
               " boxes is more than ", kMaxDetectedBoxes);
  const int32_t slots = static_cast<int32_t>(detected);
  const Shape shapes[] = {{1, slots, kCoords}, {1, slots}, {1, slots}, {1}};
  for (int i = 0; i < 4; ++i) {
    QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(i), {DType::kFloat32}, "output"));
    QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(i, shapes[i]));
  }
  const int64_t n = d->num_boxes, regular = d->use_regular_nms ? 1 : 0;
  const int64_t words[kNumParts] = {
      n * kCoords,
      classes->type == DType::kUInt8 ? n * d->classes_with_background : 0,
      n,
      n,
      n,
      n,
      n,
      n,
      (1 - regular) * n * d->num_classes,
      regular * (n + d->max_detections),
      regular * (n + d->max_detections),
      regular * (n + d->max_detections),
      regular * d->max_detections};
  int64_t total = 0;
  for (int p = 0; p < kNumParts; ++p) {
    d->offsets[p] = total;
    total += words[p];
  }
  int scratch = 0;
  return ctx.RequestScratch(static_cast<size_t>(std::max<int64_t>(total, 1)) * 4, &scratch);
}

// TFLite's center-size decoding, in double as its kernel computes it.
Box DecodeBox(const float* e, const float* a, const DetectionData& d) {
  const double ycenter = double{e[0]} / d.y_scale * a[2] + a[0];
  const double xcenter = double{e[1]} / d.x_scale * a[3] + a[1];
  const float half_h = static_cast<float>(0.5 * std::exp(double{e[2]} / d.h_scale) * a[2]);
  const float half_w = static_cast<float>(0.5 * std::exp(double{e[3]} / d.w_scale) * a[3]);
  const float yc = static_cast<float>(ycenter), xc = static_cast<float>(xcenter);
  return {yc - half_h, xc - half_w, yc + half_h, xc + half_w};
}

Status DecodeBoxes(const Tensor& boxes, const Tensor& anchors, const DetectionData& d,
                   Box* decoded) {
  for (int i = 0; i < d.num_boxes; ++i) {
    float e[kCoords], a[kCoords];
    if (boxes.type == DType::kUInt8) {
      const uint8_t* eq = boxes.data_as<uint8_t>() + int64_t{i} * d.encoding_size;
      const uint8_t* aq = anchors.data_as<uint8_t>() + int64_t{i} * kCoords;
      for (int c = 0; c < kCoords; ++c) {
        e[c] = (static_cast<float>(eq[c]) - static_cast<float>(boxes.zero_point())) * boxes.scale();
        a[c] = (static_cast<float>(aq[c]) - static_cast<float>(anchors.zero_point())) *
               anchors.scale();
      }
    } else {
      std::copy_n(boxes.data_as<float>() + int64_t{i} * d.encoding_size, kCoords, e);
      std::copy_n(anchors.data_as<float>() + int64_t{i} * kCoords, kCoords, a);
    }
    const Box b = DecodeBox(e, a, d);
    // TFLite refuses inverted boxes (NaN passes).
    QLITE_ENSURE(!(b.ymin > b.ymax) && !(b.xmin > b.xmax), "TFLite_Detection_PostProcess: box ", i,
                 " decodes with its min corner past its max corner");
    decoded[i] = b;
  }
  return Status::Ok();
}

float IntersectionOverUnion(const Box& a, const Box& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float h = std::max(std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin), 0.0f);
  const float w = std::max(std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin), 0.0f);
  const float intersection = h * w;
  return intersection / (area_a + area_b - intersection);
}

// Orders indices by decreasing value; with `by_index`, equal values by
// increasing index (a total order: what a stable sort of 0..n-1 gives).
struct Decreasing {
  const float* values;
  bool by_index;
  bool operator()(int i, int j) const {
    return values[i] > values[j] || (by_index && values[i] == values[j] && i < j);
  }
};

// TFLite's DecreasingPartialArgSort: the first maximum for one, else
// libc++'s std::partial_sort of 0..count-1 by decreasing value. by_index:
// TFLite's stable DecreasingArgSort of all `count` (a total order, so any
// correct sort gives it).
void ArgSortDecreasing(const float* values, int count, int to_sort, int* indices, bool by_index) {
  if (to_sort == 1 && !by_index) {
    int best = 0;
    for (int i = 1; i < count; ++i) {
      if (values[i] > values[best]) best = i;
    }
    indices[0] = best;
    return;
  }
  std::iota(indices, indices + count, 0);
  libcxx_order::PartialSort(indices, to_sort, count, Decreasing{values, by_index});
}

// Single-class NMS over w.candidate_scores into w.selected, best first.
int SelectSingleClass(const DetectionData& d, const Work& w, int max_detections) {
  int kept = 0;
  for (int i = 0; i < d.num_boxes; ++i) {
    if (w.candidate_scores[i] >= d.score_threshold) {
      w.keep_scores[kept] = w.candidate_scores[i];
      w.keep_indices[kept++] = i;
    }
  }
  ArgSortDecreasing(w.keep_scores, kept, kept, w.order, /*by_index=*/true);
  const int output_size = std::min(kept, max_detections);
  std::fill_n(w.active, kept, 1);
  int active = kept, selected = 0;
  for (int i = 0; i < kept && active > 0 && selected < output_size; ++i) {
    if (w.active[i] == 0) continue;
    const int box = w.keep_indices[w.order[i]];
    w.selected[selected++] = box;
    w.active[i] = 0;
    --active;
    for (int j = i + 1; j < kept; ++j) {
      if (w.active[j] != 0 &&
          IntersectionOverUnion(w.decoded[box], w.decoded[w.keep_indices[w.order[j]]]) >
              d.iou_threshold) {
        w.active[j] = 0;
        --active;
      }
    }
  }
  return selected;
}

struct Outputs {
  Box* boxes;
  float *classes, *scores;
};

int FastNms(const float* scores, const DetectionData& d, const Work& w, Outputs out) {
  const int per_anchor = std::min(d.max_classes_per_detection, d.num_classes);
  for (int row = 0; row < d.num_boxes; ++row) {
    const float* row_scores = scores + int64_t{row} * d.classes_with_background + d.label_offset;
    int* indices = w.class_indices + int64_t{row} * d.num_classes;
    ArgSortDecreasing(row_scores, d.num_classes, per_anchor, indices, false);
    w.candidate_scores[row] = row_scores[indices[0]];
  }
  const int selected = SelectSingleClass(d, w, d.max_detections);
  for (int k = 0; k < selected; ++k) {
    const int box = w.selected[k];
    const float* row_scores = scores + int64_t{box} * d.classes_with_background + d.label_offset;
    const int* indices = w.class_indices + int64_t{box} * d.num_classes;
    for (int c = 0; c < per_anchor; ++c) {
      const int slot = d.max_classes_per_detection * k + c;
      out.boxes[slot] = w.decoded[box];
      out.classes[slot] = static_cast<float>(indices[c]);
      out.scores[slot] = row_scores[indices[c]];
    }
  }
  return selected;
}

int RegularNms(const float* scores, const DetectionData& d, const Work& w, Outputs out) {
  const int stride = d.classes_with_background;
  int sorted = 0;
  for (int cls = 0; cls < d.num_classes; ++cls) {
    for (int row = 0; row < d.num_boxes; ++row) {
      w.candidate_scores[row] = scores[int64_t{row} * stride + cls + d.label_offset];
    }
    const int selected = SelectSingleClass(d, w, d.detections_per_class);
    int count = sorted;
    for (int k = 0; k < selected; ++k, ++count) {
      w.merged[count] = w.selected[k] * stride + cls + d.label_offset;
      w.merged_scores[count] = w.candidate_scores[w.selected[k]];
    }
    // Keep the best max_detections of the previous ones and this class's:
    // both runs are in score order, so a stable sort is TFLite's stable merge.
    const int to_sort = std::min(count, d.max_detections);
    ArgSortDecreasing(w.merged_scores, count, to_sort, w.sorted_indices, /*by_index=*/true);
    for (int k = 0; k < to_sort; ++k) {
      const int from = w.sorted_indices[k];
      w.sorted_indices[k] = w.merged[from];
      w.sorted_values[k] = w.merged_scores[from];
    }
    std::copy_n(w.sorted_indices, to_sort, w.merged);
    std::copy_n(w.sorted_values, to_sort, w.merged_scores);
    sorted = to_sort;
  }
  for (int k = 0; k < sorted; ++k) {
    const int anchor = w.merged[k] / stride;
    out.boxes[k] = w.decoded[anchor];
    out.classes[k] = static_cast<float>(w.merged[k] - anchor * stride - d.label_offset);
    out.scores[k] = w.merged_scores[k];
  }
  return sorted;
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<DetectionData>();
  auto* words = static_cast<float*>(ctx.scratch(0));
  const auto f = [&](Part p) { return words + d.offsets[p]; };
  const auto i = [&](Part p) { return reinterpret_cast<int*>(words + d.offsets[p]); };
  const Work w = {reinterpret_cast<Box*>(f(kDecoded)),
                  f(kScores),
                  f(kCandidateScores),
                  f(kKeepScores),
                  f(kMergedScores),
                  f(kSortedValues),
                  i(kKeepIndices),
                  i(kOrder),
                  i(kActive),
                  i(kSelected),
                  i(kClassIndices),
                  i(kMerged),
                  i(kSortedIndices)};
  const Tensor& classes = *ctx.input(1);
  QLITE_RETURN_IF_ERROR(DecodeBoxes(*ctx.input(0), *ctx.input(2), d, w.decoded));
  const float* scores = classes.data_as<float>();
  if (classes.type == DType::kUInt8) {
    // TFLite's Dequantize: the product in double, rounded once.
    const double scale = classes.scale();
    const int32_t zero_point = classes.zero_point();
    const int64_t count = int64_t{d.num_boxes} * d.classes_with_background;
    for (int64_t k = 0; k < count; ++k) {
      w.scores[k] = static_cast<float>(scale * (classes.data_as<uint8_t>()[k] - zero_point));
    }
    scores = w.scores;
  }
  for (int k = 0; k < 4; ++k) std::fill_n(ctx.output(k)->data, ctx.output(k)->bytes, 0);
  const Outputs out = {ctx.output(0)->data_as<Box>(), ctx.output(1)->data_as<float>(),
                       ctx.output(2)->data_as<float>()};
  const int found = d.use_regular_nms ? RegularNms(scores, d, w, out) : FastNms(scores, d, w, out);
  *ctx.output(3)->data_as<float>() = static_cast<float>(found);
  return Status::Ok();
}

}  // namespace

namespace ref {
const KernelRegistration* DetectionPostprocess() {
  static const KernelRegistration r = {"detection_postprocess_reference", Prepare, Eval};
  return &r;
}
}  // namespace ref

}  // namespace qlite
