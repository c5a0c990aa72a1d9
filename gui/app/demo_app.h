// The digit demo's state and logic, without ImGui, SDL or GL: the canvas, the
// MNIST preprocessing, the float/quantized model pair and its predictions,
// the model picker, quantizing a user's float model in place, random test
// digits, the accuracy run and the per-layer error. The view (demo_view.h)
// draws it; the platform mains call Tick() once per frame.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/mnist.h"
#include "gui/app/canvas.h"
#include "gui/app/jobs.h"
#include "gui/app/layer_error.h"
#include "gui/app/model_probe.h"
#include "gui/app/model_runner.h"
#include "gui/app/preprocess.h"
#include "quantize/layer_metrics.h"

namespace qlite::gui {

struct ModelFile {
  std::string name;
  std::string path;
};

struct DemoConfig {
  std::vector<ModelFile> models;  // the picker's defaults
  // IDX files: t10k-* (test set) required for random digits and the accuracy
  // run; train-* optional (calibration falls back to the test set).
  std::string mnist_dir;
  std::string float_model, quant_model;  // names of the initial pair
  int calibration_limit = 1000;          // training images loaded for calibration
  // Set where MNIST and the non-initial models arrive after start (the web
  // demo downloads them on first use): Init then leaves MNIST unloaded, the
  // first feature that needs it calls fetch_assets once, and
  // DemoApp::AssetsArrived() finishes what waited.
  std::function<void()> fetch_assets;
};

// The shipped default models (models/*.tflite under `models_dir`) and the
// initial pair: tutorial float vs tutorial int8 with uint8 I/O.
DemoConfig DefaultDemoConfig(const std::string& models_dir, const std::string& mnist_dir);

// One entry of the model picker: a shipped file (read on first use) or a
// model the user loaded or the app quantized (bytes held in memory).
struct ModelEntry {
  std::string name;
  std::string path;  // "" for in-memory models
  std::shared_ptr<const std::vector<uint8_t>> bytes;
  bool user = false;
};

struct ScreenRect {
  float x = 0, y = 0, w = 0, h = 0;
};

class DemoApp {
 public:
  // Loads MNIST (if mnist_dir is set) and the initial model pair.
  Status Init(const DemoConfig& config);

  // ---- canvas input, in canvas pixels (0..kCanvasSize) ----
  void BeginStroke(float x, float y);
  void ContinueStroke(float x, float y);
  void EndStroke();
  void Clear();
  void Undo();
  void SetBrush(float radius) { brush_radius_ = radius; }
  void SetErase(bool erase) { erase_ = erase; }
  float brush() const { return brush_radius_; }
  bool erase() const { return erase_; }
  const Canvas& canvas() const { return canvas_; }

  // ---- models ----
  // Loads a .tflite the user picked or dropped. A float model becomes the
  // float side and is quantized in place with quantize_settings(); a
  // quantized model becomes the quantized side. Any other model qlite can
  // run (a detector, a landmark model) is run once and shown as
  // other_model(), leaving the comparison as it was.
  Status LoadUserModel(const std::string& name, std::vector<uint8_t> bytes);
  // Reads `path` (desktop path box, dropped files) and calls LoadUserModel.
  Status LoadUserModelFile(const std::string& path);
  const std::vector<ModelEntry>& models() const { return models_; }
  int float_index() const { return float_index_; }
  int quant_index() const { return quant_index_; }
  Status SelectFloatModel(int index);
  Status SelectQuantModel(int index);
  // nullptr until a model is loaded on that side.
  const ModelRunner* float_runner() const { return float_runner_.get(); }
  const ModelRunner* quant_runner() const { return quant_runner_.get(); }
  // How the quantized side requantizes (InterpreterOptions::arithmetic):
  // switching reloads it. TFLite's by default; XNNPACK's gives the bytes of
  // LiteRT.js and of TFLite on Android.
  Arithmetic arithmetic() const { return arithmetic_; }
  Status SetArithmetic(Arithmetic arithmetic);
  // Threads both sides' interpreters split large nodes over (1 to
  // max_threads(): the cores, at most 8; 1 in the web demo): switching
  // reloads them. The outputs are the same bytes for every count.
  int threads() const { return threads_; }
  Status SetThreads(int threads);
  static int max_threads();
  // The last loaded model that is not a digit classifier; nullptr if none.
  const ProbedModel* other_model() const { return other_model_.get(); }

  // ---- quantize in place: the current float model -> the quantized side ----
  QuantizeSettings& quantize_settings() { return quantize_settings_; }
  // Calibrates on the pictures the user dropped if there are any (each made
  // MNIST-style by PreprocessPicture), else on the MNIST train subset.
  Status StartQuantize();
  // A dropped picture (RGBA) joins the calibration images; an error if no
  // digit stands out from its background.
  Status AddCalibrationPicture(const std::string& name, const uint8_t* rgba, int width, int height);
  void ClearCalibrationPictures();
  int calibration_pictures() const { return dropped_set_.count; }
  const QuantizeJob& quantize_job() const { return quantize_job_; }

  // ---- QuantizationDebugger metrics (quantize/layer_metrics.h, the code of
  // `qlite compare` and qlite.compareModels) of the model pair, over the
  // current drawing and the first `count` MNIST test images ----
  Status MeasureDebuggerMetrics(int count);
  const std::vector<LayerReport>& debugger_layers() const { return debugger_layers_; }
  int debugger_samples() const { return debugger_samples_; }
  const std::string& debugger_pair() const { return debugger_pair_; }  // "float vs quant"

  // ---- MNIST ----
  bool has_mnist() const { return test_set_.count > 0; }
  // MNIST is loaded or can be fetched on demand (the buttons that need it).
  bool mnist_reachable() const { return has_mnist() || assets_ == Assets::kNotFetched; }
  // fetch_assets's files are in place: loads MNIST, then runs the actions
  // that waited for them (a picked model, a random digit, a quantization).
  Status AssetsArrived();
  // Shows MNIST test image `index` on the canvas (the exact 28x28 pixels are
  // the model input until the user draws on it).
  Status ShowTestDigit(int index);
  Status RandomTestDigit();
  int test_digit_index() const { return test_digit_index_; }
  int test_digit_label() const;
  void StartAccuracyRun(int count);
  void CancelAccuracyRun() { accuracy_.Cancel(); }
  const AccuracyRun& accuracy() const { return accuracy_; }

  // Advances the app by one frame: re-runs the models if the drawing or a
  // model changed, then gives the background jobs a time slice.
  void Tick();
  double job_budget_us() const { return job_budget_us_; }
  void set_job_budget_us(double us) { job_budget_us_ = us; }

  // ---- results of the current input ----
  const MnistImage& input_image() const { return input_; }
  const PreprocessInfo& preprocess_info() const { return preprocess_info_; }
  bool has_input() const { return has_input_; }
  bool agree() const;
  float max_abs_diff() const { return max_abs_diff_; }
  const std::vector<LayerError>& layers() const { return layers_; }
  // Last error or notice for the user ("" if none).
  const std::string& message() const { return message_; }
  std::string Busy() const;  // what the background jobs are doing, "" if idle

  // The view records where it drew the canvas (screen pixels) for tests.
  void SetCanvasScreenRect(float x, float y, float w, float h) { canvas_rect_ = {x, y, w, h}; }
  const ScreenRect& canvas_rect() const { return canvas_rect_; }

  // {"float":{"model":..,"top1":..,"confidence":..,"probs":[10],"us":..},
  //  "quant":{...}, "agree":true, "max_abs_diff":.., "strokes":N,
  //  "canvas":{"x":..,"y":..,"w":..,"h":..}, "busy":"...", ...}
  std::string StateJson() const;

 private:
  Status LoadEntry(int index, std::unique_ptr<ModelRunner>* runner);
  int FindModel(const std::string& name) const;
  int AddModel(ModelEntry entry);
  void Recompute();
  void ReportError(const Status& status);
  // True if the deferred assets are not here yet: fetches them (once) and
  // queues `retry` for AssetsArrived(); false if the caller can go on.
  bool WaitForAssets(std::function<Status()> retry);
  bool EntryWaitsForAssets(int index) const;
  Status LoadMnistSets();

  DemoConfig config_;
  Canvas canvas_;
  float brush_radius_ = kDefaultBrushRadius;
  bool erase_ = false;

  std::vector<ModelEntry> models_;
  int float_index_ = -1, quant_index_ = -1;
  std::unique_ptr<ModelRunner> float_runner_, quant_runner_;
  std::unique_ptr<ProbedModel> other_model_;
  Arithmetic arithmetic_ = Arithmetic::kTflite;
  int threads_ = 1;

  enum class Assets { kHere, kNotFetched, kFetching };
  Assets assets_ = Assets::kHere;
  std::vector<std::function<Status()>> waiting_for_assets_;
  MnistSet test_set_, calibration_set_;
  MnistSet dropped_set_;  // AddCalibrationPicture's images (labels unused)
  int test_digit_index_ = -1;
  std::mt19937 random_{20261122u};

  QuantizeSettings quantize_settings_;
  QuantizeJob quantize_job_;
  AccuracyRun accuracy_;
  double job_budget_us_ = 6000.0;

  bool dirty_ = true;
  uint64_t seen_revision_ = ~uint64_t{0};
  MnistImage input_{};
  PreprocessInfo preprocess_info_;
  bool has_input_ = false;
  float max_abs_diff_ = 0.0f;
  std::vector<LayerError> layers_;
  std::vector<LayerReport> debugger_layers_;
  int debugger_samples_ = 0;
  std::string debugger_pair_;
  std::string message_;
  ScreenRect canvas_rect_;
};

}  // namespace qlite::gui
