// qlite compare FLOAT.tflite QUANT.tflite --repr SPEC: the per-layer error of a
// quantized model against its float model, as TFLite's QuantizationDebugger
// measures it (quantize/layer_metrics.h).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "quantize/layer_metrics.h"
#include "tools/commands.h"
#include "tools/lib/args.h"
#include "tools/lib/image_dataset.h"
#include "tools/lib/tensor_io.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite compare FLOAT.tflite QUANT.tflite --repr SPEC ... [--json FILE]\n"
    "                     [--color rgb|bgr|gray] [--mean A,B,C --std A,B,C | --range LO,HI]\n"
    "Runs QUANT over the --repr samples (the forms `qlite quantize` takes: FOLDER,\n"
    "'GLOB', IMAGE.png, FILE.npy, FILE, mnist:train:N, random:N) and prints, per\n"
    "quantized layer that FLOAT computes too (same op, same output tensor name), the\n"
    "error of its dequantized output against the float op run on the layer's own\n"
    "dequantized inputs, as TFLite's QuantizationDebugger: num_elements, stddev,\n"
    "mean_error, max_abs_error, mean_squared_error, plus rmse/scale, SNR (dB) and\n"
    "cosine similarity, each the mean over the samples.\n"
    "--json FILE   also write the metrics as JSON\n";

Status CompareCommand(const Args& args) {
  Model float_model, quantized;
  QLITE_RETURN_IF_ERROR(ReadModelFile(args.positional[0], &float_model));
  QLITE_RETURN_IF_ERROR(ReadModelFile(args.positional[1], &quantized));
  QLITE_ENSURE(!args.all("repr").empty(),
               "missing --repr (FOLDER, 'GLOB', FILE.npy, FILE, mnist:train:N or random:N)");
  ImageNormalization normalization;
  QLITE_RETURN_IF_ERROR(ParseImageNormalization(
      args.get("color"), args.get("mean"), args.get("std"), args.get("range"), &normalization));
  std::unique_ptr<RepresentativeDataset> dataset;
  QLITE_RETURN_IF_ERROR(OpenCliDataset(args.all("repr"), float_model, normalization, &dataset));
  std::vector<LayerReport> layers;
  QLITE_RETURN_IF_ERROR(CompareLayers(float_model, quantized, *dataset, &layers));
  if (args.has("json")) {
    const std::string json = LayerReportJson(nullptr, layers, {}) + "\n";
    QLITE_RETURN_IF_ERROR(WriteFileBytes(args.get("json"), json.data(), json.size()));
  }
  std::fputs(FormatLayerTable(layers).c_str(), stdout);
  return Status::Ok();
}

}  // namespace

int Compare(int argc, char** argv) {
  Args args;
  Status s =
      ParseArgs(argc, argv, {"repr", "json", "color", "mean", "std", "range"}, {"help"}, &args);
  if (!s.ok() || args.has("help") || args.positional.size() != 2) {
    if (!s.ok()) std::fprintf(stderr, "qlite compare: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  s = CompareCommand(args);
  if (!s.ok()) {
    std::fprintf(stderr, "qlite compare: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
