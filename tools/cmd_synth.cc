// qlite synth ARCH [--alpha A] [--size S] [--channels C] [--seed N]
//             [--calibration N] [--io int8|uint8|float] [--float16|--float32] -o OUT.tflite:
// a real-size benchmark model with random weights, full int8 or float.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/format/model_writer.h"
#include "tools/commands.h"
#include "tools/lib/args.h"
#include "tools/lib/synth/synth.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite synth ARCH -o OUT.tflite [--alpha A] [--size S] [--channels 1|3]\n"
    "                   [--seed N] [--calibration N] [--io int8|uint8|float]\n"
    "                   [--float16 | --float32]\n"
    "ARCH: mobilenet_v1, mobilenet_v2 (Keras applications' layers and channel rounding),\n"
    "blazeface (BlazeFace-style detector, 5x5 depthwise, 128), landmark (landmark\n"
    "regressor, 224), segmentation (encoder + RESIZE_BILINEAR decoder, 256).\n"
    "Writes the graph with seeded random weights, calibrated on N random inputs in\n"
    "[-1, 1] (default 4) and quantized to full int8. Defaults: mobilenet_v2 --alpha 1.0\n"
    "--size 224 --channels 3; mobilenet_v1 --alpha 0.25 --size 96 --channels 1; the\n"
    "others RGB at the size above. --io: model I/O type (default int8).\n"
    "--float16: write the float model instead, its weights float16 read through\n"
    "DEQUANTIZE (the input of `qlite quantize`); --float32: the float32 model.\n"
    "Inputs are in [-1, 1].\n";

Status SynthCommand(const Args& args) {
  synth::Arch arch;
  QLITE_ENSURE(synth::ParseArch(args.positional[0], &arch), "unknown model '", args.positional[0],
               "' (mobilenet_v1, mobilenet_v2, blazeface, landmark, segmentation)");
  synth::SynthOptions options = synth::DefaultOptions(arch);
  const std::string out_path = args.get("output");
  QLITE_ENSURE(!out_path.empty(), "missing -o OUT.tflite");
  if (args.has("alpha")) {
    const std::string text = args.get("alpha");
    char* end = nullptr;
    options.alpha = std::strtof(text.c_str(), &end);
    QLITE_ENSURE(!text.empty() && *end == '\0', "--alpha must be a number, got '", text, "'");
  }
  long value = 0;
  if (args.has("size")) {
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("size"), 32, 1024, "--size", &value));
    options.size = static_cast<int>(value);
  }
  if (args.has("channels")) {
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("channels"), 1, 3, "--channels", &value));
    options.channels = static_cast<int>(value);
  }
  if (args.has("seed")) {
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("seed"), 0, 2147483647, "--seed", &value));
    options.seed = static_cast<uint64_t>(value);
  }
  if (args.has("calibration")) {
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("calibration"), 1, 1000, "--calibration", &value));
    options.calibration_samples = static_cast<int>(value);
  }
  if (args.has("io")) {
    QLITE_ENSURE(ParseIoType(args.get("io"), &options.io) && options.io != IoType::kInt16,
                 "unknown --io '", args.get("io"), "' (int8, uint8, float)");
  }

  Model model;
  const bool float16 = args.has("float16"), float32 = args.has("float32");
  QLITE_ENSURE(!(float16 && float32), "--float16 and --float32 exclude each other");
  if (float16 || float32) {
    QLITE_ENSURE(!args.has("io") && !args.has("calibration"), float16 ? "--float16" : "--float32",
                 " writes a float model; --io and --calibration apply to the int8 one");
    QLITE_RETURN_IF_ERROR(float16 ? synth::SynthesizeFloat16(options, &model)
                                  : synth::BuildFloatNet(options, &model));
  } else {
    QLITE_RETURN_IF_ERROR(synth::SynthesizeInt8(options, &model));
  }
  WriterOptions writer;
  writer.metadata.push_back({"qlite", model.description});
  QLITE_RETURN_IF_ERROR(WriteModelFile(model, writer, out_path));
  std::printf("%s: %s, %zu ops, %zu tensors\n", out_path.c_str(), model.description.c_str(),
              model.operators.size(), model.tensors.size());
  return Status::Ok();
}

}  // namespace

int Synth(int argc, char** argv) {
  std::vector<std::string> storage(argv, argv + argc);
  for (std::string& a : storage) {
    if (a == "-o") a = "--output";  // short form
  }
  std::vector<char*> rewritten;
  for (std::string& a : storage) rewritten.push_back(a.data());
  Args args;
  Status s = ParseArgs(static_cast<int>(rewritten.size()), rewritten.data(),
                       {"output", "alpha", "size", "channels", "seed", "calibration", "io"},
                       {"help", "float16", "float32"}, &args);
  if (!s.ok() || args.has("help") || args.positional.size() != 1) {
    if (!s.ok()) std::fprintf(stderr, "qlite synth: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  s = SynthCommand(args);
  if (!s.ok()) {
    std::fprintf(stderr, "qlite synth: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
