// qlite eval MODEL... [--limit N]: MNIST test accuracy, size and latency of
// each model, as one table.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "data/mnist.h"
#include "tools/commands.h"
#include "tools/lib/args.h"
#include "train/progress_bar.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite eval MODEL.tflite... [--limit N] [--kernels simd|reference]\n"
    "                  [--arithmetic tflite|xnnpack] [--threads N]\n"
    "Runs each model on the MNIST test set (the first N images with --limit) and\n"
    "prints model | mode | bytes | accuracy | delta vs the first float model |\n"
    "mean microseconds per inference. Inputs are the [0,1]-scaled image (float\n"
    "models) or its quantization with the input tensor's scale and zero point.\n";

struct EvalRow {
  std::string path, mode;
  size_t bytes = 0;
  double accuracy = 0, microseconds = 0;
};

// The "mode=..." word of the model's "qlite" metadata, or "" if none.
std::string ModeFromMetadata(const Model& model) {
  for (const MetadataEntry& entry : model.metadata) {
    if (entry.name != "qlite" || entry.buffer >= model.buffers.size()) continue;
    const Buffer& b = model.buffers[entry.buffer];
    const std::string text(reinterpret_cast<const char*>(b.data), b.size);
    const size_t at = text.find("mode=");
    if (at == std::string::npos) continue;
    const size_t begin = at + 5;
    const size_t end = text.find_first_of(" ;,\n", begin);
    return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  }
  return "";
}

// Guesses the quantization mode from tensor types (models from other tools).
std::string ModeFromTypes(const Model& model) {
  bool int8_activation = false, int16_activation = false, int8_constant = false,
       f16_constant = false;
  for (size_t t = 0; t < model.tensors.size(); ++t) {
    const DType type = model.tensors[t].type;
    const bool constant = model.is_constant(static_cast<int>(t));
    if (type == DType::kInt8 || type == DType::kUInt8)
      (constant ? int8_constant : int8_activation) = true;
    if (type == DType::kInt16 && !constant) int16_activation = true;
    if (type == DType::kFloat16 && constant) f16_constant = true;
  }
  const DType input = model.inputs.empty() ? DType::kFloat32 : model.tensors[model.inputs[0]].type;
  if (int16_activation) return "int16x8";
  if (input != DType::kFloat32) return "int8";
  if (int8_activation) return "int8-fallback";
  if (int8_constant) return "dynamic";
  if (f16_constant) return "float16";
  return "float";
}

// Writes image `pixels` (0..255) into the model's input as it expects them.
Status FillInput(const uint8_t* pixels, int count, Tensor* input) {
  switch (input->type) {
    case DType::kFloat32: {
      float* out = input->data_as<float>();
      for (int i = 0; i < count; ++i) out[i] = static_cast<float>(pixels[i]) / 255.0f;
      return Status::Ok();
    }
    case DType::kInt8:
    case DType::kUInt8: {
      QLITE_ENSURE(input->has_quant(), "input '", input->name(),
                   "' has no quantization parameters");
      const float scale = input->scale();
      const int32_t zero_point = input->zero_point();
      const int lo = input->type == DType::kInt8 ? -128 : 0,
                hi = input->type == DType::kInt8 ? 127 : 255;
      for (int i = 0; i < count; ++i) {
        const float x = static_cast<float>(pixels[i]) / 255.0f;
        const int q =
            std::min(hi, std::max(lo, static_cast<int>(std::round(x / scale)) + zero_point));
        if (input->type == DType::kInt8) {
          input->data_as<int8_t>()[i] = static_cast<int8_t>(q);
        } else {
          input->data_as<uint8_t>()[i] = static_cast<uint8_t>(q);
        }
      }
      return Status::Ok();
    }
    default:
      return Status::Error(StrCat("input '", input->name(), "' is ", DTypeName(input->type),
                                  "; eval handles float32, int8 and uint8 inputs"));
  }
}

// Index of the largest output value (class scores of any dtype; scales are
// positive, so the raw order is the real order).
Status ArgMax(const Tensor& out, int* best) {
  const int64_t n = out.num_elements();
  QLITE_ENSURE(n > 0, "output '", out.name(), "' is empty");
  auto value = [&](int64_t i) -> double {
    switch (out.type) {
      case DType::kFloat32: return out.data_as<float>()[i];
      case DType::kInt8: return out.data_as<int8_t>()[i];
      case DType::kUInt8: return out.data_as<uint8_t>()[i];
      case DType::kInt16: return out.data_as<int16_t>()[i];
      default: return 0.0;
    }
  };
  QLITE_ENSURE(out.type == DType::kFloat32 || out.type == DType::kInt8 ||
                   out.type == DType::kUInt8 || out.type == DType::kInt16,
               "output '", out.name(), "' is ", DTypeName(out.type), "; eval needs class scores");
  int64_t arg = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (value(i) > value(arg)) arg = i;
  }
  *best = static_cast<int>(arg);
  return Status::Ok();
}

Status EvalModel(const std::string& path, const MnistSet& test, const InterpreterOptions& options,
                 EvalRow* row) {
  std::vector<uint8_t> bytes;
  QLITE_RETURN_IF_ERROR(ReadFileBytes(path, &bytes));
  row->path = path;
  row->bytes = bytes.size();
  auto model = std::make_shared<Model>();
  QLITE_RETURN_IF_ERROR(ReadModelFromBytes(bytes.data(), bytes.size(), model.get()));
  row->mode = ModeFromMetadata(*model);
  if (row->mode.empty()) row->mode = ModeFromTypes(*model);

  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(model, options, &interpreter));
  QLITE_ENSURE(interpreter->num_inputs() == 1 && interpreter->num_outputs() == 1,
               "an MNIST model has one input and one output; this one has ",
               interpreter->num_inputs(), " and ", interpreter->num_outputs());
  Tensor* input = interpreter->input(0);
  QLITE_ENSURE(input->num_elements() == test.pixels(), "input '", input->name(), "' ",
               ShapeToString(input->shape), " does not hold one ", test.rows, "x", test.cols,
               " image");

  train::ProgressBar bar(path, test.count);
  int correct = 0;
  double total_us = 0;
  for (int i = 0; i < test.count; ++i) {
    QLITE_RETURN_IF_ERROR(FillInput(test.image(i), test.pixels(), input));
    const auto start = std::chrono::steady_clock::now();
    QLITE_RETURN_IF_ERROR(interpreter->Invoke());
    total_us +=
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    int predicted = 0;
    QLITE_RETURN_IF_ERROR(ArgMax(*interpreter->output(0), &predicted));
    if (predicted == test.labels[i]) ++correct;
    if ((i & 127) == 0) bar.Update(i + 1, StrCat("acc ", 100.0 * correct / (i + 1), "%"));
  }
  row->accuracy = static_cast<double>(correct) / test.count;
  row->microseconds = total_us / test.count;
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, "acc %.2f%%", row->accuracy * 100);
  bar.Finish(test.count, suffix);
  return Status::Ok();
}

void PrintTable(const std::vector<EvalRow>& rows, int images) {
  const EvalRow* baseline = nullptr;
  for (const EvalRow& r : rows) {
    if (r.mode == "float") {
      baseline = &r;
      break;
    }
  }
  size_t width = 5;
  for (const EvalRow& r : rows) width = std::max(width, r.path.size());
  std::printf("%-*s | %-13s | %9s | %8s | %10s | %12s\n", static_cast<int>(width), "model", "mode",
              "bytes", "accuracy", "Δ vs float", "µs/inference");
  std::printf("%s\n", std::string(width + 70, '-').c_str());
  for (const EvalRow& r : rows) {
    char delta[32] = "-";
    if (baseline != nullptr) {
      std::snprintf(delta, sizeof delta, "%+.2f pp", (r.accuracy - baseline->accuracy) * 100);
    }
    std::printf("%-*s | %-13s | %9zu | %7.2f%% | %10s | %12.1f\n", static_cast<int>(width),
                r.path.c_str(), r.mode.c_str(), r.bytes, r.accuracy * 100, delta, r.microseconds);
  }
  std::printf("(%d test images%s)\n", images,
              baseline ? StrCat("; Δ against ", baseline->path).c_str() : "");
}

Status RunEval(const Args& args) {
  long limit = 0;
  if (args.has("limit"))
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("limit"), 1, 10000, "--limit", &limit));
  InterpreterOptions options;
  QLITE_RETURN_IF_ERROR(ParseKernelSet(args, &options.kernels));
  QLITE_RETURN_IF_ERROR(ParseArithmeticOption(args, &options.arithmetic));
  QLITE_RETURN_IF_ERROR(ParseThreadsOption(args, &options.threads));
  MnistSet test;
  QLITE_RETURN_IF_ERROR(
      LoadMnist(DefaultMnistDir(), MnistSplit::kTest, static_cast<int>(limit), &test));
  std::vector<EvalRow> rows;
  for (const std::string& path : args.positional) {
    EvalRow row;
    const Status s = EvalModel(path, test, options, &row);
    if (!s.ok()) return s.WithContext(path + ": ");
    rows.push_back(row);
  }
  PrintTable(rows, test.count);
  return Status::Ok();
}

}  // namespace

int Eval(int argc, char** argv) {
  Args args;
  Status s = ParseArgs(argc, argv, {"limit", "kernels", "arithmetic", "threads"}, {"help"}, &args);
  if (!s.ok() || args.has("help") || args.positional.empty()) {
    if (!s.ok()) std::fprintf(stderr, "qlite eval: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  s = RunEval(args);
  if (!s.ok()) {
    std::fprintf(stderr, "qlite eval: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
