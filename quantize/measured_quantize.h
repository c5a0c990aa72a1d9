// Quantization with the per-layer measurement behind `qlite quantize --report /
// --auto-denylist / --model-explorer` (tools/cmd_quantize.cc) and quantizeModel's
// layerReport / autoDenylist (web/quantize_module.cc): one implementation for both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/format/model_writer.h"
#include "core/model.h"
#include "core/status.h"
#include "data/dataset.h"
#include "quantize/layer_metrics.h"
#include "quantize/quantizer.h"

namespace qlite {

struct MeasuredQuantization {
  QuantizeReport report;
  std::vector<uint8_t> bytes;           // the written model
  Model written;                        // `bytes` read back: what gets measured
  std::vector<LayerReport> layers;      // empty without a dataset to measure on
  std::vector<std::string> kept_float;  // the layers auto-denylisting kept float
};

// How every quantizer front end writes its model: a `qlite` metadata entry
// "mode=<mode> io=<io>", so the C++ CLI, the JS CLI and quantizeModel give the
// same bytes.
WriterOptions QuantizerWriterOptions(const QuantizeOptions& options);

// Quantizes `float_model` with `ranges` and `options`, writes it with `writer`
// and reads it back. With `measure_on`, measures every layer of the written
// model over it (CompareLayers); with `auto_denylist` > 0 as well, adds the
// `auto_denylist` worst layers to options.denylist_nodes, quantizes again and
// measures the result.
Status QuantizeMeasured(const Model& float_model, const RangeMap& ranges, QuantizeOptions options,
                        const WriterOptions& writer, RepresentativeDataset* measure_on,
                        int auto_denylist, MeasuredQuantization* result);

}  // namespace qlite
