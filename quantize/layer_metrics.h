// Per-layer quantization error as TFLite's QuantizationDebugger measures it:
// each quantized layer's dequantized output against the float op run on the
// layer's own dequantized inputs (the NumericVerify reference, so an error is
// the layer's own, not inherited), averaged over a representative dataset.
// Shared by `qlite quantize --report / --auto-denylist / --model-explorer`
// and `qlite compare`.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "data/dataset.h"
#include "quantize/quantizer.h"

namespace qlite {

// The debugger's default layer metrics of diffs = dequantized - reference
// (num_elements, stddev as np.std, mean_error, max_abs_error,
// mean_squared_error) plus the SNR in dB, 10 log10(sum ref^2 / sum diffs^2)
// (+inf when the diffs are all 0), and the cosine similarity of the two
// (1 when both are all 0, 0 when only one is).
struct LayerErrorMetrics {
  double num_elements = 0;
  double stddev = 0;
  double mean_error = 0;
  double max_abs_error = 0;
  double mean_squared_error = 0;
  double snr_db = 0;
  double cosine = 0;
};

// One sample's metrics. A NaN in either input makes every metric but
// num_elements NaN (as numpy's), which the average over samples skips.
LayerErrorMetrics MeasureLayerError(const float* dequantized, const float* reference,
                                    int64_t count);

// The running np.nanmean of each metric over samples.
class LayerErrorAverage {
 public:
  void Add(const LayerErrorMetrics& sample);
  LayerErrorMetrics Mean() const;  // NaN for a metric no sample gave a number

 private:
  double sums_[7] = {};
  int counts_[7] = {};
};

struct LayerReport {
  int node = -1;     // in the quantized model
  std::string name;  // the node's first output tensor (the debugger's node name)
  std::string op;    // "CONV_2D"
  float scale = 0;   // of that output
  int32_t zero_point = 0;
  LayerErrorMetrics metrics;  // averaged over the samples
  // sqrt(mean_squared_error) / scale: the quantity the debugger's guide ranks
  // layers by when picking the ones to keep float (> 0.7 suspect).
  double rmse_over_scale() const;
};

// Runs `quantized` over every sample (float samples quantized for integer
// model inputs as the debugger does: round(x / scale) + zero_point, clamped)
// and measures every node whose first output is an int8 / int16 quantized
// tensor that `float_model` also computes (same op, same output name) against
// that float node run on the quantized node's dequantized inputs.
Status CompareLayers(const Model& float_model, const Model& quantized,
                     RepresentativeDataset& dataset, std::vector<LayerReport>* layers,
                     const ProgressFn& progress = nullptr);

// Names of the `count` layers with the largest rmse/scale, worst first (NaN
// last); ties keep model order.
std::vector<std::string> WorstLayers(const std::vector<LayerReport>& layers, int count);

// The per-layer table of `qlite compare` (and `npx qlite compare`).
std::string FormatLayerTable(const std::vector<LayerReport>& layers);
// The quantize report as Markdown: the per-op-type table, `kept_float` (the
// layers --auto-denylist kept float) and the per-layer table.
std::string LayerReportMarkdown(const QuantizeReport& report,
                                const std::vector<LayerReport>& layers,
                                const std::vector<std::string>& kept_float);
// {"quantize": ReportJson, "keptFloat": [..], "layers": [{"node":..,"name":..,
// "op":..,"scale":..,"zeroPoint":..,"numElements":..,"stddev":..,"meanError":..,
// "maxAbsError":..,"meanSquaredError":..,"rmseOverScale":..,"snrDb":..,
// "cosine":..}]}; a non-finite metric is null. `report` may be null (compare).
std::string LayerReportJson(const QuantizeReport* report, const std::vector<LayerReport>& layers,
                            const std::vector<std::string>& kept_float);
// Model Explorer's custom node data (one graph's GraphNodeData): results keyed
// by each layer's output tensor name, value = rmse/scale, a green-to-red
// gradient.
std::string ModelExplorerNodeData(const std::vector<LayerReport>& layers);

}  // namespace qlite
