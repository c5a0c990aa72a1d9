// Background work of the demo, advanced a time slice per frame (there are no
// threads on the web): an accuracy run of the model pair over the MNIST test
// set, and quantizing a float model in place (calibrate on MNIST in chunks,
// rewrite, write as .tflite bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "data/mnist.h"
#include "gui/app/model_runner.h"
#include "quantize/quantizer.h"

namespace qlite::gui {

// The MNIST image `i` of `set` as model input (pixels / 255).
void MnistToImage(const MnistSet& set, int i, MnistImage* image);

class AccuracyRun {
 public:
  void Start(const MnistSet* test_set, int count);
  void Cancel() { running_ = false; }
  // Classifies test images with both models until `budget_us` has passed.
  Status Step(ModelRunner& float_runner, ModelRunner& quant_runner, double budget_us);

  bool running() const { return running_; }
  bool finished() const { return total_ > 0 && done_ == total_; }
  int done() const { return done_; }
  int total() const { return total_; }
  int float_correct() const { return float_correct_; }
  int quant_correct() const { return quant_correct_; }
  int agree() const { return agree_; }
  float progress() const { return total_ > 0 ? static_cast<float>(done_) / total_ : 0.0f; }

 private:
  const MnistSet* set_ = nullptr;
  bool running_ = false;
  int done_ = 0, total_ = 0;
  int float_correct_ = 0, quant_correct_ = 0, agree_ = 0;
};

struct QuantizeSettings {
  QuantMode mode = QuantMode::kInt8;
  IoType io = IoType::kUInt8;  // used by the full-integer modes (int8, int16x8)
  int calibration_samples = 100;
};

class QuantizeJob {
 public:
  enum class Phase { kIdle, kCalibrating, kQuantizing, kDone, kFailed };

  // Quantizes `float_model` (named `source_name`) calibrating on the first
  // samples of `calibration_set` (the modes without activation ranges skip
  // calibration).
  Status Start(const std::string& source_name, std::shared_ptr<const Model> float_model,
               const QuantizeSettings& settings, const MnistSet* calibration_set);
  Status Step(double budget_us);
  void Reset() { phase_ = Phase::kIdle; }

  Phase phase() const { return phase_; }
  bool running() const { return phase_ == Phase::kCalibrating || phase_ == Phase::kQuantizing; }
  int done() const { return done_; }
  int total() const { return total_; }
  float progress() const;
  std::string Describe() const;  // "calibrating 40/100", "done", "failed: ..."
  const std::string& error() const { return error_; }
  // When Phase::kDone: the quantized model as .tflite bytes, and its name.
  const std::shared_ptr<const std::vector<uint8_t>>& result() const { return result_; }
  const std::string& result_name() const { return result_name_; }
  const QuantizeReport& report() const { return report_; }

 private:
  Status Fail(const Status& status);
  Status Finish();

  Phase phase_ = Phase::kIdle;
  std::string source_name_, result_name_, error_;
  std::shared_ptr<const Model> float_model_;
  QuantizeSettings settings_;
  const MnistSet* set_ = nullptr;
  RangeMap ranges_;
  int done_ = 0, total_ = 0;
  std::shared_ptr<const std::vector<uint8_t>> result_;
  QuantizeReport report_;
};

}  // namespace qlite::gui
