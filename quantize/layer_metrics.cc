// Per-layer error of a quantized model against its float model, measured as
// TFLite's QuantizationDebugger does (see layer_metrics.h).
#include "quantize/layer_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "core/interpreter.h"
#include "quantize/graph_edit.h"
#include "quantize/model_cut.h"

namespace qlite {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsQuantizedActivation(const TensorDef& t) {
  return (t.type == DType::kInt8 || t.type == DType::kInt16 || t.type == DType::kUInt8) &&
         !t.quant.scale.empty() && !t.quant.zero_point.empty();
}

// Dequantizes (or, for a tensor of the reference's own type, copies) a
// quantized-model tensor into `out`.
Status ReadAsFloat(const Tensor& t, std::vector<float>* out) {
  const int64_t n = t.num_elements();
  out->resize(static_cast<size_t>(std::max<int64_t>(n, 0)));
  QLITE_ENSURE(n == 0 || t.data != nullptr, "tensor '", t.name(), "' has no data");
  if (t.type == DType::kFloat32) {
    std::copy(t.data_as<float>(), t.data_as<float>() + n, out->begin());
    return Status::Ok();
  }
  QLITE_ENSURE(t.has_quant(), "tensor '", t.name(), "' (", DTypeName(t.type),
               ") has no quantization to dequantize with");
  const double scale = t.scale();
  const int32_t zp = t.zero_point();
  for (int64_t i = 0; i < n; ++i) {
    int32_t q = 0;
    if (t.type == DType::kInt8) {
      q = t.data_as<int8_t>()[i];
    } else if (t.type == DType::kUInt8) {
      q = t.data_as<uint8_t>()[i];
    } else if (t.type == DType::kInt16) {
      q = t.data_as<int16_t>()[i];
    } else {
      return Status::Error(StrCat("tensor '", t.name(), "' is ", DTypeName(t.type),
                                  "; only int8, uint8 and int16 dequantize"));
    }
    (*out)[i] = static_cast<float>((q - zp) * scale);
  }
  return Status::Ok();
}

// Sets quantized-model input i from float values, quantizing them for an
// integer input.
Status SetQuantizedInput(Interpreter* interpreter, int i, const std::vector<float>& values) {
  const Tensor* in = interpreter->input(i);
  if (in->type == DType::kFloat32) {
    return interpreter->SetInput(i, values.data(), values.size() * sizeof(float));
  }
  QLITE_ENSURE(in->has_quant() && in->scale() > 0, "model input ", i, " ('", in->name(), "') is ",
               DTypeName(in->type), " without a quantization to feed float samples through");
  int32_t lo = -128, hi = 127;
  if (in->type == DType::kUInt8) {
    lo = 0;
    hi = 255;
  } else if (in->type == DType::kInt16) {
    lo = -32768;
    hi = 32767;
  } else {
    QLITE_ENSURE(in->type == DType::kInt8, "model input ", i, " ('", in->name(), "') is ",
                 DTypeName(in->type), "; float samples feed float32, int8, uint8 or int16 inputs");
  }
  std::vector<int32_t> q(values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    const double v = std::round(values[k] / in->scale()) + in->zero_point();
    q[k] = static_cast<int32_t>(
        std::clamp(std::isnan(v) ? 0.0 : v, static_cast<double>(lo), static_cast<double>(hi)));
  }
  std::vector<uint8_t> bytes(values.size() * DTypeSize(in->type));
  for (size_t k = 0; k < q.size(); ++k) {
    if (in->type == DType::kInt16) {
      reinterpret_cast<int16_t*>(bytes.data())[k] = static_cast<int16_t>(q[k]);
    } else if (in->type == DType::kUInt8) {
      bytes[k] = static_cast<uint8_t>(q[k]);
    } else {
      reinterpret_cast<int8_t*>(bytes.data())[k] = static_cast<int8_t>(q[k]);
    }
  }
  return interpreter->SetInput(i, bytes.data(), bytes.size());
}

// One measured layer: the float node alone, fed from the quantized node's inputs.
struct TrackedLayer {
  LayerReport report;
  std::unique_ptr<Interpreter> reference;
  std::vector<int32_t> quantized_inputs;  // per reference input: the quantized model's tensor
  LayerErrorAverage average;
};

// The one-node float model of float node `f`, fed by quantized node `q`'s
// tensors; false when the two do not line up (the layer is then not measured).
bool BuildReference(const Interpreter& float_run, int f, const Model& quantized, int q,
                    TrackedLayer* layer) {
  const OperatorDef& float_op = float_run.model().operators[f];
  const OperatorDef& quant_op = quantized.operators[q];
  if (float_op.inputs.size() != quant_op.inputs.size()) return false;
  Model cut;
  if (!CutNode(float_run, f, &cut).ok()) return false;
  // CutNode makes each distinct non-constant input a model input, in order.
  std::set<int32_t> seen;
  for (size_t i = 0; i < float_op.inputs.size(); ++i) {
    const int32_t t = float_op.inputs[i];
    if (t < 0 || float_run.tensors()[t].is_constant() || !seen.insert(t).second) continue;
    const int32_t qt = quant_op.inputs[i];
    if (qt < 0) return false;
    const TensorDef& float_def = float_run.model().tensors[t];
    const TensorDef& quant_def = quantized.tensors[qt];
    const bool dequantizes = float_def.type == DType::kFloat32 && IsQuantizedActivation(quant_def);
    if (!dequantizes && float_def.type != quant_def.type) return false;
    if (float_def.type != DType::kFloat32) return false;  // only float inputs are fed
    layer->quantized_inputs.push_back(qt);
  }
  if (layer->quantized_inputs.size() != cut.inputs.size()) return false;
  InterpreterOptions options;
  options.fuse_nodes = false;
  if (!Interpreter::Create(cut, options, &layer->reference).ok()) return false;
  return layer->reference->output(0)->type == DType::kFloat32;
}

std::string JsonNumber(double v) { return std::isfinite(v) ? StrCat(v) : std::string("null"); }

std::string Pad(std::string text, size_t width, bool right) {
  if (text.size() >= width) return text + " ";
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text + " " : text + fill + " ";
}

}  // namespace

LayerErrorMetrics MeasureLayerError(const float* dequantized, const float* reference,
                                    int64_t count) {
  LayerErrorMetrics m;
  m.num_elements = static_cast<double>(count);
  if (count <= 0) {
    m.stddev = m.mean_error = m.max_abs_error = m.mean_squared_error = m.snr_db = m.cosine = kNaN;
    return m;
  }
  double sum = 0, sum_sq = 0, max_abs = 0, ref_sq = 0, deq_sq = 0, dot = 0;
  bool nan = false;
  for (int64_t i = 0; i < count; ++i) {
    const double q = dequantized[i], r = reference[i];
    const double d = q - r;
    nan = nan || std::isnan(d);
    sum += d;
    sum_sq += d * d;
    max_abs = std::max(max_abs, std::fabs(d));
    ref_sq += r * r;
    deq_sq += q * q;
    dot += q * r;
  }
  if (nan) {
    m.stddev = m.mean_error = m.max_abs_error = m.mean_squared_error = m.snr_db = m.cosine = kNaN;
    return m;
  }
  const double n = static_cast<double>(count);
  m.mean_error = sum / n;
  double spread = 0;  // a second pass, as np.std, for precision
  for (int64_t i = 0; i < count; ++i) {
    const double d = static_cast<double>(dequantized[i]) - reference[i] - m.mean_error;
    spread += d * d;
  }
  m.stddev = std::sqrt(spread / n);
  m.max_abs_error = max_abs;
  m.mean_squared_error = sum_sq / n;
  m.snr_db =
      sum_sq == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(ref_sq / sum_sq);
  if (ref_sq == 0 && deq_sq == 0) {
    m.cosine = 1.0;
  } else if (ref_sq == 0 || deq_sq == 0) {
    m.cosine = 0.0;
  } else {
    m.cosine = dot / std::sqrt(ref_sq * deq_sq);
  }
  return m;
}

void LayerErrorAverage::Add(const LayerErrorMetrics& s) {
  const double values[7] = {s.num_elements,       s.stddev, s.mean_error, s.max_abs_error,
                            s.mean_squared_error, s.snr_db, s.cosine};
  for (int i = 0; i < 7; ++i) {
    if (std::isnan(values[i])) continue;
    sums_[i] += values[i];
    ++counts_[i];
  }
}

LayerErrorMetrics LayerErrorAverage::Mean() const {
  double mean[7];
  for (int i = 0; i < 7; ++i) mean[i] = counts_[i] > 0 ? sums_[i] / counts_[i] : kNaN;
  return {mean[0], mean[1], mean[2], mean[3], mean[4], mean[5], mean[6]};
}

double LayerReport::rmse_over_scale() const {
  return scale > 0 ? std::sqrt(metrics.mean_squared_error) / scale : kNaN;
}

Status CompareLayers(const Model& float_model, const Model& quantized,
                     RepresentativeDataset& dataset, std::vector<LayerReport>* layers,
                     const ProgressFn& progress) {
  QLITE_ENSURE(dataset.size() > 0, "the representative dataset is empty");
  InterpreterOptions options;
  options.fuse_nodes = false;  // every node's output is read
  std::unique_ptr<Interpreter> float_run, quant_run;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(float_model, options, &float_run)
                            .WithContext("the float model cannot run: "));
  QLITE_RETURN_IF_ERROR(Interpreter::Create(quantized, options, &quant_run)
                            .WithContext("the quantized model cannot run: "));
  QLITE_ENSURE(float_run->num_inputs() == quant_run->num_inputs(), "the float model takes ",
               float_run->num_inputs(), " inputs, the quantized model ", quant_run->num_inputs());

  std::map<std::string, int> float_node_by_name;
  const Model& fm = float_run->model();
  for (size_t f = 0; f < fm.operators.size(); ++f) {
    const auto& outs = fm.operators[f].outputs;
    if (!outs.empty() && outs[0] >= 0) float_node_by_name.emplace(fm.tensors[outs[0]].name, f);
  }
  const Model& qm = quant_run->model();
  // A quantized model output is named after the float one only behind the
  // DEQUANTIZE or QUANTIZE (to uint8) that converts it for the model's I/O
  // ("logits/int8" -> DEQUANTIZE -> "logits").
  std::map<int32_t, std::string> dequantized_name;
  for (const OperatorDef& op : qm.operators) {
    const bool converts = op.op == BuiltinOp::kDequantize || op.op == BuiltinOp::kQuantize;
    if (converts && op.inputs.size() == 1 && op.outputs.size() == 1 && op.inputs[0] >= 0 &&
        op.outputs[0] >= 0) {
      dequantized_name.emplace(op.inputs[0], qm.tensors[op.outputs[0]].name);
    }
  }
  std::map<int, TrackedLayer> tracked;  // by quantized node
  for (size_t q = 0; q < qm.operators.size(); ++q) {
    const OperatorDef& op = qm.operators[q];
    if (op.op == BuiltinOp::kQuantize || op.op == BuiltinOp::kDequantize) continue;
    if (op.outputs.empty() || op.outputs[0] < 0) continue;
    const TensorDef& out = qm.tensors[op.outputs[0]];
    if (!IsQuantizedActivation(out)) continue;
    auto f = float_node_by_name.find(out.name);
    const auto alias = dequantized_name.find(op.outputs[0]);
    if (f == float_node_by_name.end() && alias != dequantized_name.end()) {
      f = float_node_by_name.find(alias->second);
    }
    if (f == float_node_by_name.end() || fm.operators[f->second].op != op.op) continue;
    TrackedLayer layer;
    if (!BuildReference(*float_run, f->second, qm, static_cast<int>(q), &layer)) continue;
    layer.report.node = static_cast<int>(q);
    layer.report.name = f->first;  // the float node's name, as --denylist-nodes takes it
    layer.report.op = BuiltinOpName(op.op);
    layer.report.scale = out.quant.scale[0];
    layer.report.zero_point = static_cast<int32_t>(out.quant.zero_point[0]);
    tracked.emplace(static_cast<int>(q), std::move(layer));
  }

  std::vector<std::vector<float>> sample;
  std::vector<float> values, dequantized;
  const std::vector<Tensor>& tensors = quant_run->tensors();
  const int total = dataset.size();
  for (int s = 0; s < total; ++s) {
    sample.clear();
    QLITE_RETURN_IF_ERROR(dataset.Sample(s, &sample));
    QLITE_ENSURE(static_cast<int>(sample.size()) == quant_run->num_inputs(),
                 "representative sample ", s, " has ", sample.size(), " inputs, the model takes ",
                 quant_run->num_inputs());
    for (int i = 0; i < quant_run->num_inputs(); ++i) {
      QLITE_ENSURE(static_cast<int64_t>(sample[i].size()) == quant_run->input(i)->num_elements(),
                   "representative sample ", s, " gives input ", i, " ", sample[i].size(),
                   " values; its shape ", ShapeToString(quant_run->input(i)->shape), " needs ",
                   quant_run->input(i)->num_elements());
      QLITE_RETURN_IF_ERROR(SetQuantizedInput(quant_run.get(), i, sample[i]));
    }
    Status failure = Status::Ok();
    QLITE_RETURN_IF_ERROR(
        quant_run
            ->Invoke([&](int node) {
              auto it = tracked.find(node);
              if (it == tracked.end() || !failure.ok()) return;
              TrackedLayer& layer = it->second;
              Interpreter& ref = *layer.reference;
              for (size_t j = 0; j < layer.quantized_inputs.size() && failure.ok(); ++j) {
                failure = ReadAsFloat(tensors[layer.quantized_inputs[j]], &values);
                if (failure.ok()) {
                  failure = ref.SetInput(static_cast<int>(j), values.data(),
                                         values.size() * sizeof(float));
                }
              }
              if (failure.ok()) failure = ref.Invoke();
              if (failure.ok()) {
                failure = ReadAsFloat(tensors[qm.operators[node].outputs[0]], &dequantized);
              }
              if (!failure.ok()) {
                failure = failure.WithContext(StrCat("layer '", layer.report.name, "': "));
                return;
              }
              const Tensor* reference = ref.output(0);
              if (reference->num_elements() != static_cast<int64_t>(dequantized.size())) {
                failure = Status::Error(StrCat("layer '", layer.report.name,
                                               "': the float op gives ", reference->num_elements(),
                                               " values, the quantized ", dequantized.size()));
                return;
              }
              layer.average.Add(MeasureLayerError(dequantized.data(), reference->data_as<float>(),
                                                  reference->num_elements()));
            })
            .WithContext(StrCat("sample ", s, ": ")));
    QLITE_RETURN_IF_ERROR(failure.WithContext(StrCat("sample ", s, ": ")));
    if (progress) progress(s + 1, total);
  }
  layers->clear();
  for (auto& [node, layer] : tracked) {
    layer.report.metrics = layer.average.Mean();
    layers->push_back(layer.report);
  }
  return Status::Ok();
}

std::vector<std::string> WorstLayers(const std::vector<LayerReport>& layers, int count) {
  std::vector<size_t> order(layers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](size_t i) {
    const double v = layers[i].rmse_over_scale();
    return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) > key(b); });
  std::vector<std::string> names;
  for (size_t i = 0; i < order.size() && static_cast<int>(names.size()) < count; ++i) {
    names.push_back(layers[order[i]].name);
  }
  return names;
}

std::string FormatLayerTable(const std::vector<LayerReport>& layers) {
  std::string table = Pad("node", 5, true) + Pad("op", 18, false) + Pad("elements", 9, true) +
                      Pad("stddev", 11, true) + Pad("mean_err", 11, true) +
                      Pad("max_abs_err", 11, true) + Pad("mse", 11, true) +
                      Pad("rmse/scale", 11, true) + Pad("snr_db", 9, true) +
                      Pad("cosine", 9, true) + "name\n";
  for (const LayerReport& l : layers) {
    const LayerErrorMetrics& m = l.metrics;
    table += Pad(StrCat(l.node), 5, true) + Pad(l.op, 18, false) +
             Pad(StrCat(m.num_elements), 9, true) + Pad(StrCat(m.stddev), 11, true) +
             Pad(StrCat(m.mean_error), 11, true) + Pad(StrCat(m.max_abs_error), 11, true) +
             Pad(StrCat(m.mean_squared_error), 11, true) +
             Pad(StrCat(l.rmse_over_scale()), 11, true) + Pad(StrCat(m.snr_db), 9, true) +
             Pad(StrCat(m.cosine), 9, true) + l.name + "\n";
  }
  return table + StrCat(layers.size(), " quantized layer(s) compared\n");
}

std::string LayerReportMarkdown(const QuantizeReport& report,
                                const std::vector<LayerReport>& layers,
                                const std::vector<std::string>& kept_float) {
  std::string md =
      "# Quantization report\n\n## Ops by type\n\n```\n" + FormatReportTable(report) + "```\n";
  if (!kept_float.empty()) {
    md += "\n## Kept float by --auto-denylist\n\n";
    for (const std::string& name : kept_float) md += "- `" + name + "`\n";
  }
  md +=
      "\n## Per-layer error (dequantized output - float op on the dequantized inputs)\n\n"
      "| node | op | elements | stddev | mean error | max abs error | mse | rmse/scale | "
      "SNR dB | cosine | name |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const LayerReport& l : layers) {
    const LayerErrorMetrics& m = l.metrics;
    md += StrCat("| ", l.node, " | ", l.op, " | ", m.num_elements, " | ", m.stddev, " | ",
                 m.mean_error, " | ", m.max_abs_error, " | ", m.mean_squared_error, " | ",
                 l.rmse_over_scale(), " | ", m.snr_db, " | ", m.cosine, " | `", l.name, "` |\n");
  }
  return md;
}

std::string LayerReportJson(const QuantizeReport* report, const std::vector<LayerReport>& layers,
                            const std::vector<std::string>& kept_float) {
  std::string json = "{";
  if (report != nullptr) json += "\"quantize\":" + ReportJson(*report) + ",";
  json += "\"keptFloat\":[";
  for (size_t i = 0; i < kept_float.size(); ++i) {
    json += StrCat(i ? "," : "", JsonString(kept_float[i]));
  }
  json += "],\"layers\":[";
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerReport& l = layers[i];
    const LayerErrorMetrics& m = l.metrics;
    json +=
        StrCat(i ? "," : "", "{\"node\":", l.node, ",\"name\":", JsonString(l.name),
               ",\"op\":", JsonString(l.op), ",\"scale\":", JsonNumber(l.scale),
               ",\"zeroPoint\":", l.zero_point, ",\"numElements\":", JsonNumber(m.num_elements),
               ",\"stddev\":", JsonNumber(m.stddev), ",\"meanError\":", JsonNumber(m.mean_error),
               ",\"maxAbsError\":", JsonNumber(m.max_abs_error),
               ",\"meanSquaredError\":", JsonNumber(m.mean_squared_error),
               ",\"rmseOverScale\":", JsonNumber(l.rmse_over_scale()),
               ",\"snrDb\":", JsonNumber(m.snr_db), ",\"cosine\":", JsonNumber(m.cosine), "}");
  }
  return json + "]}";
}

std::string ModelExplorerNodeData(const std::vector<LayerReport>& layers) {
  std::string json = "{\"results\":{";
  bool first = true;
  for (const LayerReport& l : layers) {
    const double v = l.rmse_over_scale();
    if (!std::isfinite(v)) continue;  // Model Explorer values are numbers
    json += StrCat(first ? "" : ",", JsonString(l.name), ":{\"value\":", v, "}");
    first = false;
  }
  return json +
         "},\"gradient\":[{\"stop\":0,\"bgColor\":\"#4caf50\"},{\"stop\":0.5,\"bgColor\":"
         "\"#ffeb3b\"},{\"stop\":1,\"bgColor\":\"#f44336\"}]}";
}

}  // namespace qlite
