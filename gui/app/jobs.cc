#include "gui/app/jobs.h"

#include <algorithm>
#include <chrono>

#include "core/format/model_writer.h"

namespace qlite::gui {

namespace {

using Clock = std::chrono::steady_clock;

double MicrosecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// `count` MNIST images from `first` on, as calibration samples of a model
// whose one input takes 784 values.
class MnistSliceDataset : public RepresentativeDataset {
 public:
  MnistSliceDataset(const MnistSet& set, int first, int count)
      : set_(set), first_(first), count_(count) {}
  int size() const override { return count_; }
  Status Sample(int i, std::vector<std::vector<float>>* inputs) override {
    MnistImage image;
    MnistToImage(set_, first_ + i, &image);
    inputs->assign(1, std::vector<float>(image.begin(), image.end()));
    return Status::Ok();
  }

 private:
  const MnistSet& set_;
  int first_, count_;
};

bool NeedsRanges(QuantMode mode) {
  return mode != QuantMode::kFloat16 && mode != QuantMode::kDynamic;
}

}  // namespace

void MnistToImage(const MnistSet& set, int i, MnistImage* image) {
  const uint8_t* pixels = set.image(i);
  for (int p = 0; p < kMnistPixels; ++p) (*image)[p] = pixels[p] / 255.0f;
}

void AccuracyRun::Start(const MnistSet* test_set, int count) {
  set_ = test_set;
  total_ = std::min(count, test_set->count);
  done_ = float_correct_ = quant_correct_ = agree_ = 0;
  running_ = total_ > 0;
}

Status AccuracyRun::Step(ModelRunner& float_runner, ModelRunner& quant_runner, double budget_us) {
  if (!running_) return Status::Ok();
  const Clock::time_point start = Clock::now();
  MnistImage image;
  ClassScores float_probs, quant_probs;
  while (done_ < total_) {
    MnistToImage(*set_, done_, &image);
    Status s = float_runner.Classify(image, &float_probs);
    if (s.ok()) s = quant_runner.Classify(image, &quant_probs);
    if (!s.ok()) {
      running_ = false;
      return s.WithContext(StrCat("accuracy run, test image ", done_, ": "));
    }
    const int label = set_->labels[done_];
    const int float_top1 = ArgMax(float_probs), quant_top1 = ArgMax(quant_probs);
    float_correct_ += float_top1 == label;
    quant_correct_ += quant_top1 == label;
    agree_ += float_top1 == quant_top1;
    ++done_;
    if (MicrosecondsSince(start) >= budget_us) break;
  }
  if (done_ == total_) running_ = false;
  return Status::Ok();
}

Status QuantizeJob::Start(const std::string& source_name, std::shared_ptr<const Model> float_model,
                          const QuantizeSettings& settings, const MnistSet* calibration_set) {
  QLITE_ENSURE(float_model != nullptr, "quantize: no float model");
  settings_ = settings;
  source_name_ = source_name;
  float_model_ = std::move(float_model);
  set_ = calibration_set;
  ranges_.clear();
  result_.reset();
  report_ = QuantizeReport();
  error_.clear();
  done_ = 0;
  total_ = 0;
  result_name_ = StrCat(source_name, " -> ", QuantModeName(settings.mode), " (in-app)");
  if (NeedsRanges(settings.mode)) {
    if (set_ == nullptr || set_->count == 0) {
      return Fail(Status::Error("quantize: no MNIST images to calibrate on (MNIST not loaded)"));
    }
    total_ = std::min(std::max(settings.calibration_samples, 1), set_->count);
    phase_ = Phase::kCalibrating;
  } else {
    phase_ = Phase::kQuantizing;
  }
  return Status::Ok();
}

float QuantizeJob::progress() const {
  switch (phase_) {
    case Phase::kCalibrating: return total_ > 0 ? 0.9f * done_ / total_ : 0.0f;
    case Phase::kQuantizing: return 0.9f;
    case Phase::kDone: return 1.0f;
    default: return 0.0f;
  }
}

std::string QuantizeJob::Describe() const {
  switch (phase_) {
    case Phase::kIdle: return "";
    case Phase::kCalibrating: return StrCat("calibrating ", done_, "/", total_);
    case Phase::kQuantizing: return StrCat("quantizing (", QuantModeName(settings_.mode), ")");
    case Phase::kDone: return StrCat("done: ", result_name_);
    case Phase::kFailed: return "failed: " + error_;
  }
  return "";
}

Status QuantizeJob::Fail(const Status& status) {
  phase_ = Phase::kFailed;
  error_ = status.message();
  return status;
}

Status QuantizeJob::Step(double budget_us) {
  const Clock::time_point start = Clock::now();
  // Calibration in chunks: min/max ranges merge exactly, so calibrating chunk
  // by chunk equals one pass over all samples.
  while (phase_ == Phase::kCalibrating) {
    const int chunk = std::min(4, total_ - done_);
    MnistSliceDataset dataset(*set_, done_, chunk);
    RangeMap chunk_ranges;
    const int before = done_;
    Status s = Calibrate(*float_model_, dataset, &chunk_ranges,
                         [&](int done, int) { done_ = before + done; });
    if (!s.ok()) return Fail(s.WithContext("quantize: "));
    for (const auto& [tensor, range] : chunk_ranges) {
      auto it = ranges_.find(tensor);
      if (it == ranges_.end()) {
        ranges_[tensor] = range;
      } else {
        it->second.min = std::min(it->second.min, range.min);
        it->second.max = std::max(it->second.max, range.max);
      }
    }
    if (done_ >= total_) phase_ = Phase::kQuantizing;
    if (MicrosecondsSince(start) >= budget_us) return Status::Ok();
  }
  if (phase_ == Phase::kQuantizing) return Finish();
  return Status::Ok();
}

// Rewrite and write in one slice: for MNIST-sized models it takes a few ms.
Status QuantizeJob::Finish() {
  QuantizeOptions options;
  options.mode = settings_.mode;
  options.io = IoType::kFloat32;  // the mixed and weight-only modes keep float I/O
  if (settings_.mode == QuantMode::kInt8 && settings_.io != IoType::kInt16)
    options.io = settings_.io;
  if (settings_.mode == QuantMode::kInt16x8 && settings_.io == IoType::kInt16)
    options.io = settings_.io;
  Model quantized;
  Status s = QuantizeModel(*float_model_, ranges_, options, &quantized, &report_);
  if (!s.ok()) return Fail(s.WithContext(StrCat("quantize ", QuantModeName(settings_.mode), ": ")));
  WriterOptions writer;
  writer.metadata.push_back(
      {"qlite", StrCat("mode=", QuantModeName(settings_.mode), " source=demo")});
  auto bytes = std::make_shared<std::vector<uint8_t>>();
  s = WriteModel(quantized, writer, bytes.get());
  if (!s.ok()) return Fail(s.WithContext("quantize: writing the model: "));
  result_ = std::move(bytes);
  phase_ = Phase::kDone;
  return Status::Ok();
}

}  // namespace qlite::gui
