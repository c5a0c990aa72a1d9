#include "quantize/measured_quantize.h"

#include "core/format/model_reader.h"

namespace qlite {

namespace {

// A denylist-nodes pattern matching exactly `name`.
std::string EscapeNamePattern(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

Status QuantizeAndReadBack(const Model& float_model, const RangeMap& ranges,
                           const QuantizeOptions& options, const WriterOptions& writer,
                           MeasuredQuantization* result) {
  result->report = QuantizeReport();
  Model quantized;
  QLITE_RETURN_IF_ERROR(QuantizeModel(float_model, ranges, options, &quantized, &result->report));
  result->bytes.clear();
  QLITE_RETURN_IF_ERROR(WriteModel(quantized, writer, &result->bytes));
  result->written = Model();
  return ReadModelFromBytes(result->bytes.data(), result->bytes.size(), &result->written)
      .WithContext("the written model: ");
}

}  // namespace

WriterOptions QuantizerWriterOptions(const QuantizeOptions& options) {
  WriterOptions writer;
  writer.metadata.push_back(
      {"qlite", StrCat("mode=", QuantModeName(options.mode), " io=", IoTypeName(options.io))});
  return writer;
}

Status QuantizeMeasured(const Model& float_model, const RangeMap& ranges, QuantizeOptions options,
                        const WriterOptions& writer, RepresentativeDataset* measure_on,
                        int auto_denylist, MeasuredQuantization* result) {
  QLITE_RETURN_IF_ERROR(QuantizeAndReadBack(float_model, ranges, options, writer, result));
  result->layers.clear();
  result->kept_float.clear();
  if (measure_on == nullptr) return Status::Ok();
  QLITE_RETURN_IF_ERROR(CompareLayers(float_model, result->written, *measure_on, &result->layers));
  if (auto_denylist <= 0) return Status::Ok();
  result->kept_float = WorstLayers(result->layers, auto_denylist);
  for (const std::string& name : result->kept_float) {
    options.denylist_nodes.push_back(EscapeNamePattern(name));
  }
  QLITE_RETURN_IF_ERROR(QuantizeAndReadBack(float_model, ranges, options, writer, result)
                            .WithContext("--auto-denylist: "));
  return CompareLayers(float_model, result->written, *measure_on, &result->layers);
}

}  // namespace qlite
