// NON_MAX_SUPPRESSION_V4 (boxes, scores, max_output_size, iou_threshold,
// score_threshold -> selected indices, their count) and V5 (+ soft_nms_sigma
// -> indices, scores, count), float32, as TFLite's kernel: boxes [n, 4] of
// any two opposite corners, candidates above score_threshold taken from a
// max-heap (std::priority_queue's push_heap / pop_heap as libc++ does them,
// so equal scores resolve as in LiteRT.js on every platform: tie_order.h),
// hard suppression at IoU >= iou_threshold, Gaussian soft suppression with
// sigma > 0. Outputs are sized max_output_size, which must be a constant
// (TFLite's static case); unused slots hold zeros.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/format/options_io.h"
#include "core/kernels/kernel_util.h"
#include "core/kernels/tie_order.h"

namespace qlite {
namespace {

// Outputs past this many selections are refused: real models ask for at most
// a few thousand.
constexpr int32_t kMaxOutputSize = 1 << 20;

struct Candidate {
  int index;
  float score;
  int suppress_begin;
};
bool LowerScore(const Candidate& a, const Candidate& b) { return a.score < b.score; }

struct NmsData : OpData {
  bool soft = false;
  int32_t max_output_size = 0;
};

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  const bool soft = ctx.num_inputs() == 6;  // TFLite tells V5 by its sixth input
  QLITE_RETURN_IF_ERROR(CheckArity(ctx, 5, 6, soft ? 3 : 2));
  const Tensor* in[6] = {};
  const char* const kRoles[] = {"boxes",         "scores",          "max_output_size",
                                "iou_threshold", "score_threshold", "soft_nms_sigma"};
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    QLITE_RETURN_IF_ERROR(RequireInput(ctx, i, &in[i]));
    QLITE_RETURN_IF_ERROR(CheckType(*in[i], {i == 2 ? DType::kInt32 : DType::kFloat32}, kRoles[i]));
    QLITE_RETURN_IF_ERROR(CheckRank(*in[i], i == 0 ? 2 : i == 1 ? 1 : 0, kRoles[i]));
  }
  QLITE_ENSURE(in[0]->dim(1) == 4 && in[1]->dim(0) == in[0]->dim(0), "boxes ",
               ShapeToString(in[0]->shape), " and scores ", ShapeToString(in[1]->shape),
               " are not [n, 4] and [n]");
  QLITE_ENSURE(in[2]->is_constant(),
               "max_output_size must be a constant tensor (outputs are sized by it)");
  auto* d = ctx.NewOpData<NmsData>();
  d->soft = soft;
  d->max_output_size = *in[2]->data_as<int32_t>();
  QLITE_ENSURE(d->max_output_size >= 0 && d->max_output_size <= kMaxOutputSize, "max_output_size ",
               d->max_output_size, " is not in [0, ", kMaxOutputSize, "]");
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(0), {DType::kInt32}, "selected indices"));
  QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(soft ? 2 : 1), {DType::kInt32}, "count"));
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(0, {d->max_output_size}));
  if (soft) {
    QLITE_RETURN_IF_ERROR(CheckType(*ctx.output(1), {DType::kFloat32}, "selected scores"));
    QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(1, {d->max_output_size}));
  }
  QLITE_RETURN_IF_ERROR(ctx.SetOutputShape(soft ? 2 : 1, {}));
  // The candidates' heap: at most one entry per box.
  int heap = 0;
  return ctx.RequestScratch(sizeof(Candidate) * std::max(in[0]->dim(0), 1), &heap);
}

float Iou(const float* boxes, int i, int j) {
  const float* a = boxes + 4 * int64_t{i};
  const float* b = boxes + 4 * int64_t{j};
  const float a_ymin = std::min(a[0], a[2]), a_ymax = std::max(a[0], a[2]);
  const float a_xmin = std::min(a[1], a[3]), a_xmax = std::max(a[1], a[3]);
  const float b_ymin = std::min(b[0], b[2]), b_ymax = std::max(b[0], b[2]);
  const float b_xmin = std::min(b[1], b[3]), b_xmax = std::max(b[1], b[3]);
  const float area_a = (a_ymax - a_ymin) * (a_xmax - a_xmin);
  const float area_b = (b_ymax - b_ymin) * (b_xmax - b_xmin);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float intersection = std::max(std::min(a_ymax, b_ymax) - std::max(a_ymin, b_ymin), 0.0f) *
                             std::max(std::min(a_xmax, b_xmax) - std::max(a_xmin, b_xmin), 0.0f);
  const float union_area = area_a + area_b - intersection;
  return union_area == 0.0f ? 0.0f : intersection / union_area;
}

Status Eval(OpContext& ctx) {
  auto* d = ctx.op_data<NmsData>();
  const float* boxes = ctx.input(0)->data_as<float>();
  const float* scores = ctx.input(1)->data_as<float>();
  const int num_boxes = ctx.input(1)->dim(0);
  const float iou_threshold = *ctx.input(3)->data_as<float>();
  const float score_threshold = *ctx.input(4)->data_as<float>();
  const float sigma = d->soft ? *ctx.input(5)->data_as<float>() : 0.0f;
  QLITE_ENSURE(!(sigma < 0.0f), "NON_MAX_SUPPRESSION_V5: soft_nms_sigma ", sigma, " is negative");
  int32_t* selected = ctx.output(0)->data_as<int32_t>();
  float* selected_scores = d->soft ? ctx.output(1)->data_as<float>() : nullptr;

  auto* heap = static_cast<Candidate*>(ctx.scratch(0));
  int size = 0;
  for (int i = 0; i < num_boxes; ++i) {
    if (scores[i] > score_threshold) {
      heap[size++] = {i, scores[i], 0};
      libcxx_order::PushHeap(heap, size, LowerScore);
    }
  }
  const int wanted = std::min(size, d->max_output_size);
  const float scale = sigma > 0.0f ? -0.5f / sigma : 0.0f;
  int count = 0;
  while (count < wanted && size > 0) {
    libcxx_order::PopHeap(heap, size, LowerScore);
    Candidate next = heap[--size];
    const float original_score = next.score;
    bool hard_suppressed = false;
    for (int j = count - 1; j >= next.suppress_begin; --j) {
      const float iou = Iou(boxes, next.index, selected[j]);
      if (iou >= iou_threshold) {
        hard_suppressed = true;
        break;
      }
      if (sigma > 0.0f) next.score *= std::exp(scale * iou * iou);
      if (next.score <= score_threshold) break;
    }
    next.suppress_begin = count;
    if (hard_suppressed) continue;
    if (next.score == original_score) {
      selected[count] = next.index;
      if (selected_scores != nullptr) selected_scores[count] = next.score;
      ++count;
    }
    if (next.score > score_threshold) {
      // Still a candidate after soft suppression: back into the heap.
      heap[size++] = next;
      libcxx_order::PushHeap(heap, size, LowerScore);
    }
  }
  std::fill(selected + count, selected + d->max_output_size, 0);
  if (selected_scores != nullptr) {
    std::fill(selected_scores + count, selected_scores + d->max_output_size, 0.0f);
  }
  *ctx.output(d->soft ? 2 : 1)->data_as<int32_t>() = count;
  return Status::Ok();
}

}  // namespace

extern const OptionsIO kNonMaxSuppressionV4OptionsIO, kNonMaxSuppressionV5OptionsIO;
const OptionsIO kNonMaxSuppressionV4OptionsIO =
    EmptyOptionsIO(tfl::BuiltinOptions::NonMaxSuppressionV4Options);
const OptionsIO kNonMaxSuppressionV5OptionsIO =
    EmptyOptionsIO(tfl::BuiltinOptions::NonMaxSuppressionV5Options);

namespace ref {
const KernelRegistration* NonMaxSuppression() {
  static const KernelRegistration r = {"non_max_suppression_reference", Prepare, Eval};
  return &r;
}
}  // namespace ref

}  // namespace qlite
