#include "gui/app/demo_app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <thread>

#include "core/format/model_reader.h"
#include "core/threading.h"
#include "data/dataset.h"
#include "gui/app/state_json.h"

namespace qlite::gui {

namespace {
std::string Milliseconds(double us) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f ms", us / 1000.0);
  return text;
}
bool FileExists(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file != nullptr) std::fclose(file);
  return file != nullptr;
}

}  // namespace

DemoConfig DefaultDemoConfig(const std::string& models_dir, const std::string& mnist_dir) {
  DemoConfig config;
  const std::string dir = models_dir.empty() ? "models" : models_dir;
  config.models = {
      {"tutorial float", dir + "/tutorial_float.tflite"},
      {"tutorial float16", dir + "/tutorial_float16.tflite"},
      {"tutorial dynamic range", dir + "/tutorial_dynamic.tflite"},
      {"tutorial int8 (float fallback)", dir + "/tutorial_int8_fallback.tflite"},
      {"tutorial int8 (uint8 I/O)", dir + "/tutorial_int8_uint8io.tflite"},
      {"tutorial QAT int8", dir + "/tutorial_qat_int8.tflite"},
      {"LeNet-5 float", dir + "/lenet5_float.tflite"},
      {"LeNet-5 int8", dir + "/lenet5_int8.tflite"},
  };
  config.mnist_dir = mnist_dir;
  config.float_model = "tutorial float";
  config.quant_model = "tutorial int8 (uint8 I/O)";
  return config;
}

Status DemoApp::Init(const DemoConfig& config) {
  config_ = config;
  models_.clear();
  for (const ModelFile& file : config.models) AddModel({file.name, file.path, nullptr, false});
  QLITE_ENSURE(!models_.empty(), "the demo needs at least one model file");
  assets_ = config.fetch_assets ? Assets::kNotFetched : Assets::kHere;
  if (assets_ == Assets::kHere) QLITE_RETURN_IF_ERROR(LoadMnistSets());
  const int float_index = config.float_model.empty() ? 0 : FindModel(config.float_model);
  const int quant_index = config.quant_model.empty() ? static_cast<int>(models_.size()) - 1
                                                     : FindModel(config.quant_model);
  QLITE_ENSURE(float_index >= 0, "the initial float model '", config.float_model,
               "' is not among the demo's models");
  QLITE_ENSURE(quant_index >= 0, "the initial quantized model '", config.quant_model,
               "' is not among the demo's models");
  QLITE_RETURN_IF_ERROR(SelectFloatModel(float_index));
  QLITE_RETURN_IF_ERROR(SelectQuantModel(quant_index));
  message_.clear();
  return Status::Ok();
}

Status DemoApp::LoadMnistSets() {
  if (config_.mnist_dir.empty()) return Status::Ok();
  QLITE_RETURN_IF_ERROR(LoadMnist(config_.mnist_dir, MnistSplit::kTest, 0, &test_set_));
  // Training images are optional (the web build may ship a subset or none).
  if (!LoadMnist(config_.mnist_dir, MnistSplit::kTrain, config_.calibration_limit,
                 &calibration_set_)
           .ok()) {
    calibration_set_ = MnistSet();
  }
  return Status::Ok();
}

bool DemoApp::WaitForAssets(std::function<Status()> retry) {
  if (assets_ == Assets::kHere) return false;
  waiting_for_assets_.push_back(std::move(retry));
  if (assets_ == Assets::kNotFetched) {
    assets_ = Assets::kFetching;
    config_.fetch_assets();
  }
  return true;
}

Status DemoApp::AssetsArrived() {
  if (assets_ == Assets::kHere) return Status::Ok();
  assets_ = Assets::kHere;
  Status s = LoadMnistSets();
  if (!s.ok()) {
    waiting_for_assets_.clear();
    ReportError(s.WithContext("MNIST: "));
    return s;
  }
  std::vector<std::function<Status()>> waiting;
  waiting.swap(waiting_for_assets_);
  for (const std::function<Status()>& action : waiting) {
    s = action();  // each reports its own errors
  }
  return s;
}

// ---- canvas ----
void DemoApp::BeginStroke(float x, float y) { canvas_.BeginStroke(x, y, brush_radius_, erase_); }
void DemoApp::ContinueStroke(float x, float y) { canvas_.ContinueStroke(x, y); }
void DemoApp::EndStroke() { canvas_.EndStroke(); }
void DemoApp::Undo() { canvas_.Undo(); }
void DemoApp::Clear() { canvas_.Clear(); }

// ---- models ----
int DemoApp::FindModel(const std::string& name) const {
  for (size_t i = 0; i < models_.size(); ++i) {
    if (models_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int DemoApp::AddModel(ModelEntry entry) {
  const int existing = FindModel(entry.name);
  if (existing >= 0) {
    models_[existing] = std::move(entry);  // a reloaded file replaces the old bytes
    return existing;
  }
  models_.push_back(std::move(entry));
  return static_cast<int>(models_.size()) - 1;
}

Status DemoApp::LoadEntry(int index, std::unique_ptr<ModelRunner>* runner) {
  QLITE_ENSURE(index >= 0 && index < static_cast<int>(models_.size()), "no model number ", index);
  ModelEntry& entry = models_[index];
  if (entry.bytes == nullptr) {
    auto bytes = std::make_shared<std::vector<uint8_t>>();
    QLITE_RETURN_IF_ERROR(
        ReadFileBytes(entry.path, bytes.get()).WithContext(StrCat("model '", entry.name, "': ")));
    entry.bytes = std::move(bytes);
  }
  return ModelRunner::Create(entry.name, entry.bytes, runner, arithmetic_, threads_);
}

Status DemoApp::SetArithmetic(Arithmetic arithmetic) {
  if (arithmetic == arithmetic_) return Status::Ok();
  arithmetic_ = arithmetic;
  if (float_index_ >= 0) QLITE_RETURN_IF_ERROR(SelectFloatModel(float_index_));
  return quant_index_ >= 0 ? SelectQuantModel(quant_index_) : Status::Ok();
}

Status DemoApp::SetThreads(int threads) {
  threads = std::max(1, std::min(threads, max_threads()));
  if (threads == threads_) return Status::Ok();
  threads_ = threads;
  if (float_index_ >= 0) QLITE_RETURN_IF_ERROR(SelectFloatModel(float_index_));
  return quant_index_ >= 0 ? SelectQuantModel(quant_index_) : Status::Ok();
}

int DemoApp::max_threads() {
#if QLITE_NO_THREADS
  return 1;  // the web demo's wasm has no threads
#else
  return static_cast<int>(std::max(1u, std::min(std::thread::hardware_concurrency(), 8u)));
#endif
}

// A shipped model that is not among the initial pair arrives with the assets.
bool DemoApp::EntryWaitsForAssets(int index) const {
  return assets_ != Assets::kHere && index >= 0 && index < static_cast<int>(models_.size()) &&
         models_[index].bytes == nullptr && !FileExists(models_[index].path);
}

Status DemoApp::SelectFloatModel(int index) {
  if (EntryWaitsForAssets(index) &&
      WaitForAssets([this, index] { return SelectFloatModel(index); })) {
    return Status::Ok();
  }
  std::unique_ptr<ModelRunner> runner;
  Status s = LoadEntry(index, &runner);
  if (!s.ok()) {
    ReportError(s);
    return s;
  }
  float_runner_ = std::move(runner);
  float_index_ = index;
  accuracy_.Cancel();  // its counts would mix two models
  dirty_ = true;
  return Status::Ok();
}

Status DemoApp::SelectQuantModel(int index) {
  if (EntryWaitsForAssets(index) &&
      WaitForAssets([this, index] { return SelectQuantModel(index); })) {
    return Status::Ok();
  }
  std::unique_ptr<ModelRunner> runner;
  Status s = LoadEntry(index, &runner);
  if (!s.ok()) {
    ReportError(s);
    return s;
  }
  quant_runner_ = std::move(runner);
  quant_index_ = index;
  accuracy_.Cancel();
  dirty_ = true;
  return Status::Ok();
}

Status DemoApp::LoadUserModel(const std::string& name, std::vector<uint8_t> bytes) {
  auto shared = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  ProbedModel probe;
  Status s = ProbeModel(name, shared, &probe);
  if (!s.ok()) {
    ReportError(s);
    return s;
  }
  if (!probe.digit_mismatch.empty()) {
    message_ =
        StrCat("'", name, "' runs in qlite (", probe.card.num_ops, " ops, ", Milliseconds(probe.us),
               " on a zero input), but it is not a digit classifier: it ", probe.digit_mismatch);
    other_model_ = std::make_unique<ProbedModel>(std::move(probe));
    return Status::Ok();
  }
  std::unique_ptr<ModelRunner> runner;
  s = ModelRunner::Create(name, shared, &runner, arithmetic_, threads_);
  if (!s.ok()) {
    ReportError(s);
    return s;
  }
  const bool is_float = runner->card().float_model;
  const int index = AddModel({name, "", shared, true});
  if (is_float) {
    float_runner_ = std::move(runner);
    float_index_ = index;
    accuracy_.Cancel();
    dirty_ = true;
    s = StartQuantize();
    if (!s.ok()) return s;
    message_ = StrCat("loaded float model '", name, "'; quantizing it (",
                      QuantModeName(quantize_settings_.mode), ", calibrated on ",
                      dropped_set_.count > 0 ? StrCat(dropped_set_.count, " dropped pictures")
                                             : std::string("MNIST"),
                      ")");
  } else {
    quant_runner_ = std::move(runner);
    quant_index_ = index;
    accuracy_.Cancel();
    dirty_ = true;
    message_ = StrCat("loaded quantized model '", name, "'");
  }
  return Status::Ok();
}

Status DemoApp::LoadUserModelFile(const std::string& path) {
  std::vector<uint8_t> bytes;
  Status s = ReadFileBytes(path, &bytes);
  if (!s.ok()) {
    ReportError(s);
    return s;
  }
  const size_t slash = path.find_last_of("/\\");
  return LoadUserModel(slash == std::string::npos ? path : path.substr(slash + 1),
                       std::move(bytes));
}

Status DemoApp::StartQuantize() {
  Status s;
  if (float_runner_ == nullptr) {
    s = Status::Error("quantize: no float model selected");
  } else if (!float_runner_->card().float_model) {
    s = Status::Error(StrCat("quantize: '", float_runner_->name(),
                             "' is not a float32 model (only float models can be quantized)"));
  } else if (dropped_set_.count > 0) {
    auto model = std::make_shared<const Model>(float_runner_->model());
    s = quantize_job_.Start(float_runner_->name(), model, quantize_settings_, &dropped_set_);
  } else if (WaitForAssets([this] { return StartQuantize(); })) {
    return Status::Ok();  // calibration waits for the MNIST images
  } else {
    const MnistSet* set = calibration_set_.count > 0 ? &calibration_set_ : &test_set_;
    auto model = std::make_shared<const Model>(float_runner_->model());
    s = quantize_job_.Start(float_runner_->name(), model, quantize_settings_, set);
  }
  if (!s.ok()) ReportError(s);
  return s;
}

Status DemoApp::AddCalibrationPicture(const std::string& name, const uint8_t* rgba, int width,
                                      int height) {
  if (quantize_job_.running()) {  // the job reads the set being calibrated on
    Status s = Status::Error(StrCat("picture '", name, "': wait for the quantization to finish"));
    ReportError(s);
    return s;
  }
  MnistImage image;
  const PreprocessInfo info = PreprocessPicture(rgba, width, height, &image);
  if (info.empty) {
    Status s = Status::Error(StrCat("picture '", name, "' (", width, "x", height,
                                    "): no digit stands out from its background"));
    ReportError(s);
    return s;
  }
  dropped_set_.rows = dropped_set_.cols = kMnistSide;
  for (float v : image)
    dropped_set_.images.push_back(static_cast<uint8_t>(std::lround(v * 255.0f)));
  dropped_set_.labels.push_back(0);
  ++dropped_set_.count;
  message_ = StrCat("picture '", name, "' added: ", dropped_set_.count,
                    " dropped pictures calibrate the next quantization");
  return Status::Ok();
}

void DemoApp::ClearCalibrationPictures() {
  if (!quantize_job_.running()) dropped_set_ = MnistSet();
}

Status DemoApp::MeasureDebuggerMetrics(int count) {
  Status s;
  if (float_runner_ == nullptr || quant_runner_ == nullptr) {
    s = Status::Error("debugger metrics: select a float and a quantized model");
  } else if (WaitForAssets([this, count] { return MeasureDebuggerMetrics(count); })) {
    return Status::Ok();
  } else {
    std::vector<std::vector<std::vector<float>>> samples;
    if (has_input_) samples.push_back({std::vector<float>(input_.begin(), input_.end())});
    MnistImage image;
    for (int i = 0; i < std::min(count, test_set_.count); ++i) {
      MnistToImage(test_set_, i, &image);
      samples.push_back({std::vector<float>(image.begin(), image.end())});
    }
    VectorDataset dataset(std::move(samples));
    std::vector<LayerReport> layers;
    s = dataset.size() == 0 ? Status::Error("debugger metrics: draw a digit or load MNIST first")
                            : qlite::CompareLayers(float_runner_->model(), quant_runner_->model(),
                                                   dataset, &layers);
    if (s.ok()) {
      debugger_layers_ = std::move(layers);
      debugger_samples_ = dataset.size();
      debugger_pair_ = StrCat(float_runner_->name(), " vs ", quant_runner_->name());
      message_ = StrCat("debugger metrics: ", debugger_layers_.size(), " layers over ",
                        debugger_samples_, " images");
    }
  }
  if (!s.ok()) ReportError(s);
  return s;
}

// ---- MNIST ----
int DemoApp::test_digit_label() const {
  return test_digit_index_ >= 0 ? test_set_.labels[test_digit_index_] : -1;
}

Status DemoApp::ShowTestDigit(int index) {
  QLITE_ENSURE(has_mnist(), "no MNIST test set loaded");
  QLITE_ENSURE(index >= 0 && index < test_set_.count, "test digit ", index, " is out of range (0..",
               test_set_.count - 1, ")");
  MnistImage image;
  MnistToImage(test_set_, index, &image);
  canvas_.SetBackground(image.data(), kMnistSide, kMnistSide);
  test_digit_index_ = index;
  dirty_ = true;
  return Status::Ok();
}

Status DemoApp::RandomTestDigit() {
  if (WaitForAssets([this] { return RandomTestDigit(); })) return Status::Ok();
  QLITE_ENSURE(has_mnist(), "no MNIST test set loaded");
  std::uniform_int_distribution<int> pick(0, test_set_.count - 1);
  return ShowTestDigit(pick(random_));
}

void DemoApp::StartAccuracyRun(int count) {
  if (WaitForAssets([this, count] {
        StartAccuracyRun(count);
        return Status::Ok();
      })) {
    return;
  }
  if (!has_mnist()) {
    ReportError(Status::Error("accuracy run: no MNIST test set loaded"));
    return;
  }
  accuracy_.Start(&test_set_, count);
}

// ---- per frame ----
void DemoApp::ReportError(const Status& status) {
  message_ = status.message();
  std::fprintf(stderr, "qlite demo: %s\n", status.message().c_str());
}

void DemoApp::Recompute() {
  seen_revision_ = canvas_.revision();
  dirty_ = false;
  if (!canvas_.has_background()) test_digit_index_ = -1;
  if (test_digit_index_ >= 0 && canvas_.strokes().empty()) {
    MnistToImage(test_set_, test_digit_index_, &input_);  // the exact MNIST pixels
    preprocess_info_ = PreprocessInfo();
    preprocess_info_.empty = false;
    has_input_ = true;
  } else {
    preprocess_info_ = PreprocessMnist(canvas_.pixels().data(), kCanvasSize, kCanvasSize, &input_);
    has_input_ = !preprocess_info_.empty;
  }
  layers_.clear();
  max_abs_diff_ = 0.0f;
  if (!has_input_) return;
  for (ModelRunner* runner : {float_runner_.get(), quant_runner_.get()}) {
    if (runner == nullptr) continue;
    Status s = runner->Run(input_);
    if (!s.ok()) ReportError(s);
  }
  if (float_runner_ == nullptr || quant_runner_ == nullptr) return;
  const Prediction& f = float_runner_->prediction();
  const Prediction& q = quant_runner_->prediction();
  for (int i = 0; i < kNumClasses; ++i) {
    max_abs_diff_ = std::max(max_abs_diff_, std::fabs(f.outputs[i] - q.outputs[i]));
  }
  Status s = CompareLayers(*float_runner_, *quant_runner_, input_, &layers_);
  if (!s.ok()) ReportError(s.WithContext("per-layer error: "));
}

void DemoApp::Tick() {
  if (dirty_ || canvas_.revision() != seen_revision_) Recompute();
  if (quantize_job_.running()) {
    Status s = quantize_job_.Step(job_budget_us_);
    if (!s.ok()) ReportError(s);
    if (quantize_job_.phase() == QuantizeJob::Phase::kDone) {
      const int index = AddModel({quantize_job_.result_name(), "", quantize_job_.result(), true});
      if (SelectQuantModel(index).ok()) message_ = "quantized: " + quantize_job_.result_name();
    }
  } else if (accuracy_.running() && float_runner_ != nullptr && quant_runner_ != nullptr) {
    Status s = accuracy_.Step(*float_runner_, *quant_runner_, job_budget_us_);
    if (!s.ok()) ReportError(s);
  }
}

bool DemoApp::agree() const {
  if (!has_input_ || float_runner_ == nullptr || quant_runner_ == nullptr) return false;
  return float_runner_->prediction().top1 == quant_runner_->prediction().top1;
}

std::string DemoApp::Busy() const {
  if (assets_ == Assets::kFetching) return "downloading MNIST and the other models";
  if (quantize_job_.running()) return "quantize: " + quantize_job_.Describe();
  if (accuracy_.running()) return StrCat("accuracy: ", accuracy_.done(), "/", accuracy_.total());
  return "";
}

std::string DemoApp::StateJson() const { return BuildStateJson(*this); }

}  // namespace qlite::gui
