// qlite quantize IN.tflite -o OUT.tflite --mode M [--repr SPEC] [--io T]:
// post-training quantization as TFLite's converter does it.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "data/dataset.h"
#include "quantize/layer_metrics.h"
#include "quantize/measured_quantize.h"
#include "quantize/quantizer.h"
#include "tools/commands.h"
#include "tools/lib/args.h"
#include "tools/lib/image_dataset.h"
#include "tools/lib/tensor_io.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite quantize IN.tflite -o OUT.tflite --mode MODE [--repr SPEC ...]\n"
    "                      [--io float|int8|uint8|int16] [--allow-float] [--verbose]\n"
    "                      [--per-tensor] [--denylist-ops OP,OP] [--denylist-nodes PATTERN]\n"
    "                      [--bias-int32] [--input-type NAME=T] [--output-type NAME=T]\n"
    "                      [--report FILE.md|FILE.json] [--auto-denylist N]\n"
    "                      [--model-explorer FILE.json]\n"
    "                      [--color rgb|bgr|gray] [--mean A,B,C --std A,B,C | --range LO,HI]\n"
    "MODE: float16        float16 weights, DEQUANTIZE in front (no dataset needed)\n"
    "      dynamic        int8 weights (per channel), float activations, hybrid ops\n"
    "      int8-fallback  int8 where possible, float elsewhere; float I/O\n"
    "      int8           full integer; fails listing every op it cannot quantize\n"
    "      int16x8        int16 activations, int8 weights, int64 bias\n"
    "SPEC (one --repr per model input; needed by the integer modes):\n"
    "      mnist:train:100 | mnist:test:N   MNIST images scaled to [0, 1]\n"
    "      FILE.npy                         float32/float64 array [N, ...]\n"
    "      FILE                             raw float32 samples back to back\n"
    "      FOLDER | 'GLOB' | IMAGE.png      PNG/JPEG/BMP images for an image input [1,H,W,C]\n"
    "      random:N                         N seeded random images (smoke tests)\n"
    "Images are resized to H x W (bilinear), read as --color (default rgb for 3\n"
    "channels, gray for 1) and normalised: pixel p in [0, 255] -> (p - mean) / std\n"
    "per channel, or lo + p * (hi - lo) / 255 with --range (default 0,1).\n"
    "--io  I/O type of the integer modes (default float; uint8 as the converter's\n"
    "      inference_input_type = tf.uint8). Nothing is written on failure.\n"
    "float16 constants read through DEQUANTIZE (float16-weight models) are folded\n"
    "into float32 first. A run that quantizes nothing, or leaves an op float in\n"
    "int8 / int16x8, fails listing what stayed float; --allow-float writes the\n"
    "model anyway with a warning. The per-op-type report is always printed.\n"
    "Converter options (integer modes; --per-tensor and the denylists also dynamic):\n"
    "--per-tensor        one scale per CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED\n"
    "                    weight tensor instead of one per output channel\n"
    "--denylist-ops      op types kept float, e.g. CONV_2D,ADD (repeatable)\n"
    "--denylist-nodes    nodes kept float by name (the node's first output tensor)\n"
    "                    or by a regex matching the whole name (repeatable); kept\n"
    "                    nodes get QUANTIZE / DEQUANTIZE around them and do not\n"
    "                    fail --mode int8 / int16x8\n"
    "--bias-int32        int16x8: int32 CONV_2D bias (default int64, as TFLite;\n"
    "                    DEPTHWISE_CONV_2D and FULLY_CONNECTED keep int64)\n"
    "--input-type, --output-type  NAME=float|int8|uint8|int16 for one model\n"
    "                    input / output, overriding --io (repeatable)\n"
    "Per-layer error (integer modes; as TFLite's QuantizationDebugger: each quantized\n"
    "layer's output against the float op run on its dequantized inputs, averaged\n"
    "over the --repr samples; see `qlite compare`):\n"
    "--report FILE.md|FILE.json   the per-op-type report and the per-layer metrics\n"
    "--auto-denylist N   quantize, measure, keep the N layers with the largest\n"
    "                    rmse/scale float (as --denylist-nodes) and quantize again\n"
    "--model-explorer FILE.json   rmse/scale per node as Model Explorer custom node data\n";

void PrintProgress(int done, int total) {
  constexpr int kWidth = 30;
  const int filled = total > 0 ? done * kWidth / total : kWidth;
  const int before = total > 0 ? (done - 1) * kWidth / total : kWidth;
  if (done != 1 && done != total && filled == before) return;  // redraw only on change
  std::string bar(filled, '#');
  bar.append(kWidth - filled, '.');
  std::fprintf(stderr, "\rcalibrating [%s] %d/%d", bar.c_str(), done, total);
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool ParseNonNegative(const std::string& text, int* value) {
  if (text.empty() || text.size() > 6) return false;
  int v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *value = v;
  return true;
}

Status QuantizeCommand(const Args& args) {
  const std::string in_path = args.positional[0];
  const std::string out_path = args.get("output");
  QLITE_ENSURE(!out_path.empty(), "missing -o OUT.tflite");
  QuantizeOptions options;
  options.allow_float = args.has("allow-float");
  QLITE_ENSURE(args.has("mode"), "missing --mode (float16, dynamic, int8-fallback, int8, int16x8)");
  QLITE_ENSURE(ParseQuantMode(args.get("mode"), &options.mode), "unknown --mode '",
               args.get("mode"), "' (float16, dynamic, int8-fallback, int8, int16x8)");
  if (args.has("io")) {
    QLITE_ENSURE(ParseIoType(args.get("io"), &options.io), "unknown --io '", args.get("io"),
                 "' (float, int8, uint8, int16)");
  }
  for (const char* flag : {"per-tensor", "bias-int32"}) {
    if (args.has(flag)) QLITE_RETURN_IF_ERROR(SetQuantizeOption(flag, "", &options));
  }
  for (const char* flag : {"denylist-ops", "denylist-nodes", "input-type", "output-type"}) {
    for (const std::string& value : args.all(flag)) {
      QLITE_RETURN_IF_ERROR(
          SetQuantizeOption(flag, value, &options).WithContext(StrCat("--", flag, ": ")));
    }
  }
  const bool integer_mode = options.mode == QuantMode::kInt8 ||
                            options.mode == QuantMode::kInt8Fallback ||
                            options.mode == QuantMode::kInt16x8;
  QLITE_ENSURE(integer_mode || options.io == IoType::kFloat32, "--io applies to the integer ",
               "modes only; ", QuantModeName(options.mode), " models keep float I/O");
  QLITE_ENSURE(options.mode != QuantMode::kInt8Fallback || options.io == IoType::kFloat32,
               "int8-fallback models keep float I/O (use --mode int8 for --io ",
               IoTypeName(options.io), ")");

  std::vector<uint8_t> in_bytes;
  QLITE_RETURN_IF_ERROR(ReadFileBytes(in_path, &in_bytes));
  Model model;
  QLITE_RETURN_IF_ERROR(
      ReadModelFromBytes(in_bytes.data(), in_bytes.size(), &model).WithContext(in_path + ": "));

  int auto_denylist = 0;
  if (args.has("auto-denylist")) {
    QLITE_ENSURE(ParseNonNegative(args.get("auto-denylist"), &auto_denylist),
                 "--auto-denylist takes a layer count, got '", args.get("auto-denylist"), "'");
  }
  const std::string report_path = args.get("report");
  const std::string explorer_path = args.get("model-explorer");
  QLITE_ENSURE(
      report_path.empty() || EndsWith(report_path, ".md") || EndsWith(report_path, ".json"),
      "--report '", report_path, "': the file must end in .md or .json");
  QLITE_ENSURE(integer_mode || (auto_denylist == 0 && explorer_path.empty()),
               "--auto-denylist and --model-explorer measure quantized activations: they need ",
               "an integer mode, not ", QuantModeName(options.mode));

  RangeMap ranges;
  std::unique_ptr<RepresentativeDataset> dataset;
  if (integer_mode) {
    QLITE_ENSURE(!args.all("repr").empty(), "--mode ", QuantModeName(options.mode),
                 " needs a representative dataset (--repr FOLDER, mnist:train:100, FILE.npy, ",
                 "FILE or random:N)");
    ImageNormalization normalization;
    QLITE_RETURN_IF_ERROR(ParseImageNormalization(
        args.get("color"), args.get("mean"), args.get("std"), args.get("range"), &normalization));
    QLITE_RETURN_IF_ERROR(OpenCliDataset(args.all("repr"), model, normalization, &dataset));
    QLITE_RETURN_IF_ERROR(Calibrate(model, *dataset, &ranges, PrintProgress));
  } else if (!args.all("repr").empty()) {
    std::fprintf(stderr, "qlite quantize: note: --mode %s does not use --repr\n",
                 QuantModeName(options.mode));
  }

  const bool measure =
      integer_mode && (!report_path.empty() || !explorer_path.empty() || auto_denylist > 0);
  const WriterOptions writer = QuantizerWriterOptions(options);
  MeasuredQuantization result;
  QLITE_RETURN_IF_ERROR(QuantizeMeasured(
      model, ranges, options, writer, measure ? dataset.get() : nullptr, auto_denylist, &result));
  const QuantizeReport& report = result.report;
  const std::vector<uint8_t>& out_bytes = result.bytes;
  const std::vector<LayerReport>& layers = result.layers;
  const std::vector<std::string>& kept_float = result.kept_float;
  std::unique_ptr<Interpreter> interpreter;
  const Status runnable = Interpreter::Create(result.written, InterpreterOptions(), &interpreter);

  QLITE_RETURN_IF_ERROR(WriteFileBytes(out_path, out_bytes.data(), out_bytes.size()));
  if (!report_path.empty()) {
    const std::string text = EndsWith(report_path, ".json")
                                 ? LayerReportJson(&report, layers, kept_float) + "\n"
                                 : LayerReportMarkdown(report, layers, kept_float);
    QLITE_RETURN_IF_ERROR(WriteFileBytes(report_path, text.data(), text.size()));
  }
  if (!explorer_path.empty()) {
    const std::string text = ModelExplorerNodeData(layers) + "\n";
    QLITE_RETURN_IF_ERROR(WriteFileBytes(explorer_path, text.data(), text.size()));
  }

  std::printf("quantized %s -> %s (mode %s, io %s)\n", in_path.c_str(), out_path.c_str(),
              QuantModeName(options.mode), IoTypeName(options.io));
  std::fputs(FormatReportTable(report).c_str(), stdout);
  if (args.has("verbose")) std::fputs(report.summary.c_str(), stdout);
  for (const std::string& line : report.unquantizable) {
    std::printf("kept float: %s\n", line.c_str());
  }
  for (const std::string& name : kept_float) {
    std::printf("kept float by --auto-denylist: %s\n", name.c_str());
  }
  for (const std::string& warning : report.warnings) {
    std::fprintf(stderr, "qlite quantize: warning: %s\n", warning.c_str());
  }
  std::printf("\n%-16s %12s %8s\n", "model", "bytes", "shrink");
  std::printf("%-16s %12zu %7.2fx\n",
              report.folded_float16 > 0 ? "float16 (input)" : "float32 (input)", in_bytes.size(),
              1.0);
  const double ratio =
      out_bytes.empty() ? 0.0 : static_cast<double>(in_bytes.size()) / out_bytes.size();
  std::printf("%-16s %12zu %7.2fx\n", QuantModeName(options.mode), out_bytes.size(), ratio);
  if (!runnable.ok()) {
    std::fprintf(stderr, "qlite quantize: note: qlite cannot run the result yet: %s\n",
                 runnable.message().c_str());
  }
  return Status::Ok();
}

}  // namespace

int Quantize(int argc, char** argv) {
  // `-o FILE` is the short form of `--output FILE`.
  std::vector<std::string> storage(argv, argv + argc);
  for (std::string& a : storage) {
    if (a == "-o") a = "--output";
  }
  std::vector<char*> rewritten;
  for (std::string& a : storage) rewritten.push_back(a.data());
  Args args;
  Status s = ParseArgs(
      static_cast<int>(rewritten.size()), rewritten.data(),
      {"output", "mode", "repr", "io", "denylist-ops", "denylist-nodes", "input-type",
       "output-type", "color", "mean", "std", "range", "report", "auto-denylist", "model-explorer"},
      {"help", "verbose", "allow-float", "per-tensor", "bias-int32"}, &args);
  if (!s.ok() || args.has("help") || args.positional.size() != 1) {
    if (!s.ok()) std::fprintf(stderr, "qlite quantize: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  s = QuantizeCommand(args);
  if (!s.ok()) {
    std::fprintf(stderr, "qlite quantize: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
