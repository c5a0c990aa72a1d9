// qlite.quantizeModel's and compareModels' native side: post-training
// quantization of a float .tflite held in wasm memory, and the per-layer
// error of a quantized model against it. In the split wasm build this file, the
// quantizer and the writer are the side module qlite-quantize.wasm, which the
// package links into qlite.wasm on the first quantizeModel() (the reader,
// interpreter and kernels are qlite.wasm's own); a static build links it
// into qlite.wasm directly. A plain C entry point, not embind: a side module
// cannot register embind bindings with the main module's glue.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/status.h"
#include "core/tensor.h"
#include "data/dataset.h"
#include "quantize/layer_metrics.h"
#include "quantize/measured_quantize.h"
#include "quantize/quantizer.h"

namespace qlite {
namespace {

// The representative samples as one flat float array (every input of one
// sample, in input order, then the next sample), read in place.
class FlatSamples : public RepresentativeDataset {
 public:
  FlatSamples(const float* values, std::vector<size_t> counts, size_t per_sample, int samples)
      : values_(values), counts_(std::move(counts)), per_sample_(per_sample), size_(samples) {}
  int size() const override { return size_; }
  Status Sample(int i, std::vector<std::vector<float>>* inputs) override {
    QLITE_ENSURE(i >= 0 && i < size_, "sample ", i, " out of range");
    inputs->clear();
    const float* at = values_ + static_cast<size_t>(i) * per_sample_;
    for (size_t count : counts_) {
      inputs->emplace_back(at, at + count);
      at += count;
    }
    return Status::Ok();
  }

 private:
  const float* values_;
  std::vector<size_t> counts_;
  size_t per_sample_;
  int size_;
};

// The per-input element counts of `model` and their sum, checking that
// `sample_values` floats are a whole number of samples.
Status SampleLayout(const Model& model, size_t sample_values, std::vector<size_t>* counts,
                    size_t* per_sample) {
  *per_sample = 0;
  for (int t : model.inputs) {
    const int64_t n = ShapeElementCount(model.tensors[t].shape);
    QLITE_ENSURE(n >= 0, "input '", model.tensors[t].name, "' has no static shape");
    counts->push_back(static_cast<size_t>(n));
    *per_sample += static_cast<size_t>(n);
  }
  QLITE_ENSURE(*per_sample > 0 && sample_values % *per_sample == 0, "representative data holds ",
               sample_values, " values, not a whole number of samples of ", *per_sample,
               " values (every input of one sample, in order)");
  return Status::Ok();
}

Status CompareBytes(const uint8_t* float_bytes, size_t float_size, const uint8_t* quant_bytes,
                    size_t quant_size, const float* samples, size_t sample_values,
                    std::vector<LayerReport>* layers) {
  Model float_model, quantized;
  QLITE_RETURN_IF_ERROR(
      ReadModel(std::make_shared<const std::vector<uint8_t>>(float_bytes, float_bytes + float_size),
                &float_model)
          .WithContext("the float model: "));
  QLITE_RETURN_IF_ERROR(
      ReadModel(std::make_shared<const std::vector<uint8_t>>(quant_bytes, quant_bytes + quant_size),
                &quantized)
          .WithContext("the quantized model: "));
  std::vector<size_t> counts;
  size_t per_sample = 0;
  QLITE_RETURN_IF_ERROR(SampleLayout(float_model, sample_values, &counts, &per_sample));
  FlatSamples dataset(samples, std::move(counts), per_sample,
                      static_cast<int>(sample_values / per_sample));
  return CompareLayers(float_model, quantized, dataset, layers);
}

// The per-layer report files `qlite quantize --report / --model-explorer`
// writes (quantize/layer_metrics.h) and the layers --auto-denylist kept float.
struct LayerFiles {
  std::string markdown, json, explorer, kept_float;  // kept_float: one name a line
};

Status QuantizeBytes(const uint8_t* model_bytes, size_t model_size, const std::string& mode_name,
                     const std::string& io_name, bool allow_float, const std::string& extra,
                     const float* samples, size_t sample_values, std::vector<uint8_t>* out,
                     QuantizeReport* report, LayerFiles* files) {
  QuantizeOptions options;
  options.allow_float = allow_float;
  bool layer_report = false;
  int auto_denylist = 0;
  // One converter option per line: "key" or "key=value" (web/src/quantize-options.js);
  // "layer-report" and "auto-denylist=N" ask for the per-layer measurement.
  size_t start = 0;
  while (start < extra.size()) {
    const size_t end = std::min(extra.find('\n', start), extra.size());
    const std::string line = extra.substr(start, end - start);
    const size_t equals = line.find('=');
    const std::string key = line.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : line.substr(equals + 1);
    start = end + 1;
    if (key == "layer-report") {
      layer_report = true;
    } else if (key == "auto-denylist") {
      auto_denylist = std::atoi(value.c_str());
      QLITE_ENSURE(auto_denylist >= 0 && auto_denylist <= 999999,
                   "auto-denylist must be a layer count, got '", value, "'");
    } else {
      QLITE_RETURN_IF_ERROR(SetQuantizeOption(key, value, &options).WithContext(key + ": "));
    }
  }
  QLITE_ENSURE(ParseQuantMode(mode_name, &options.mode),
               "mode must be float16, dynamic, int8-fallback, int8 or int16x8, got '", mode_name,
               "'");
  QLITE_ENSURE(ParseIoType(io_name, &options.io), "io must be float32, int8, uint8 or int16, got '",
               io_name, "'");
  Model float_model;
  auto storage =
      std::make_shared<const std::vector<uint8_t>>(model_bytes, model_bytes + model_size);
  QLITE_RETURN_IF_ERROR(ReadModel(storage, &float_model));

  std::vector<size_t> counts;
  size_t per_sample = 0;
  QLITE_RETURN_IF_ERROR(SampleLayout(float_model, sample_values, &counts, &per_sample));
  const bool integer_mode = options.mode == QuantMode::kInt8 ||
                            options.mode == QuantMode::kInt8Fallback ||
                            options.mode == QuantMode::kInt16x8;
  QLITE_ENSURE(integer_mode || auto_denylist == 0, "auto-denylist measures quantized ",
               "activations: it needs an integer mode, not ", mode_name);
  // Without an integer mode the report holds the per-op-type table alone.
  const bool measure = integer_mode && (layer_report || auto_denylist > 0);
  QLITE_ENSURE(!integer_mode || sample_values > 0, "mode ", mode_name,
               " needs representative samples");
  FlatSamples dataset(samples, std::move(counts), per_sample,
                      static_cast<int>(sample_values / per_sample));
  RangeMap ranges;
  if (integer_mode) QLITE_RETURN_IF_ERROR(Calibrate(float_model, dataset, &ranges));
  MeasuredQuantization result;
  QLITE_RETURN_IF_ERROR(QuantizeMeasured(float_model, ranges, options,
                                         QuantizerWriterOptions(options),
                                         measure ? &dataset : nullptr, auto_denylist, &result));
  *out = std::move(result.bytes);
  *report = std::move(result.report);
  if (!layer_report && auto_denylist == 0) return Status::Ok();
  const std::vector<LayerReport>& layers = result.layers;
  const std::vector<std::string>& kept_float = result.kept_float;
  for (const std::string& name : kept_float) files->kept_float += name + "\n";
  files->markdown = LayerReportMarkdown(*report, layers, kept_float);
  files->json = LayerReportJson(report, layers, kept_float) + "\n";
  files->explorer = ModelExplorerNodeData(layers) + "\n";
  return Status::Ok();
}

}  // namespace
}  // namespace qlite

// Quantizes the model at `model` (`model_size` bytes) in mode `mode` with
// model I/O type `io` (NUL-terminated names, as qlite quantize takes them),
// calibrated on `sample_values` floats at `samples`; `allow_float` != 0 is
// QuantizeOptions::allow_float; `options` holds the converter options, one
// "key" or "key=value" line each (SetQuantizeOption's keys, plus "layer-report"
// and "auto-denylist=N" for the per-layer measurement). Returns a malloc'd block
// the caller frees: 7 u32 (status 0: ok, 1: error; the byte counts of the new
// .tflite or the error message, of the report as JSON (qlite::ReportJson), of
// the --report FILE.md and FILE.json texts, of the --model-explorer text and of
// the layers --auto-denylist kept float, one name a line), then those parts in
// that order (none NUL-terminated; the last four empty without a measurement).
extern "C" __attribute__((visibility("default"))) uint8_t* qlite_quantize_model(
    const uint8_t* model, size_t model_size, const char* mode, const char* io, int allow_float,
    const char* options, const float* samples, size_t sample_values) {
  std::vector<uint8_t> out;
  qlite::QuantizeReport report;
  qlite::LayerFiles files;
  const qlite::Status s =
      qlite::QuantizeBytes(model, model_size, mode, io, allow_float != 0, options, samples,
                           sample_values, &out, &report, &files);
  const std::string& message = s.message();
  const std::string json = qlite::ReportJson(report);
  if (!s.ok()) files = qlite::LayerFiles();
  const uint8_t* payload = s.ok() ? out.data() : reinterpret_cast<const uint8_t*>(message.data());
  const size_t payload_size = s.ok() ? out.size() : message.size();
  const std::string* texts[] = {&json, &files.markdown, &files.json, &files.explorer,
                                &files.kept_float};
  uint32_t header[7] = {s.ok() ? 0u : 1u, static_cast<uint32_t>(payload_size)};
  size_t total = sizeof(header) + payload_size;
  for (int i = 0; i < 5; ++i) {
    header[2 + i] = static_cast<uint32_t>(texts[i]->size());
    total += texts[i]->size();
  }
  auto* block = static_cast<uint8_t*>(std::malloc(total));
  if (block == nullptr) return nullptr;
  std::memcpy(block, header, sizeof(header));
  uint8_t* at = block + sizeof(header);
  if (payload_size > 0) std::memcpy(at, payload, payload_size);
  at += payload_size;
  for (const std::string* text : texts) {
    if (!text->empty()) std::memcpy(at, text->data(), text->size());
    at += text->size();
  }
  return block;
}

// Compares the quantized model at `quant` with the float model at `model`
// (qlite::CompareLayers) over `sample_values` floats at `samples` (laid out as
// qlite_quantize_model's). Returns a malloc'd block the caller frees: u32
// status (0: ok, 1: error), u32 JSON byte count, u32 table byte count, then
// the layers as JSON (qlite::LayerReportJson) or the error message, then the
// table `qlite compare` prints (neither NUL-terminated).
extern "C" __attribute__((visibility("default"))) uint8_t* qlite_compare_models(
    const uint8_t* model, size_t model_size, const uint8_t* quant, size_t quant_size,
    const float* samples, size_t sample_values) {
  std::vector<qlite::LayerReport> layers;
  const qlite::Status s =
      qlite::CompareBytes(model, model_size, quant, quant_size, samples, sample_values, &layers);
  const std::string json = s.ok() ? qlite::LayerReportJson(nullptr, layers, {}) : s.message();
  const std::string table = s.ok() ? qlite::FormatLayerTable(layers) : std::string();
  const uint32_t header[3] = {s.ok() ? 0u : 1u, static_cast<uint32_t>(json.size()),
                              static_cast<uint32_t>(table.size())};
  auto* block = static_cast<uint8_t*>(std::malloc(sizeof(header) + json.size() + table.size()));
  if (block == nullptr) return nullptr;
  std::memcpy(block, header, sizeof(header));
  std::memcpy(block + sizeof(header), json.data(), json.size());
  std::memcpy(block + sizeof(header) + json.size(), table.data(), table.size());
  return block;
}
