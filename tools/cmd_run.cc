// qlite run MODEL --input F0 [--input F1 ...] --output-dir D: one inference.
#include <sys/stat.h>
#include <cstdio>
#include <memory>

#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "tools/commands.h"
#include "tools/lib/args.h"
#include "tools/lib/tensor_io.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite run MODEL.tflite --input FILE [--input FILE ...] [--output-dir DIR]\n"
    "                 [--kernels simd|reference] [--profile]\n"
    "Inputs are given in the model's input order: raw little-endian bytes in the\n"
    "tensor's dtype, or numbers separated by commas/whitespace in a .csv file.\n"
    "Outputs are written to DIR/output0.bin, DIR/output1.bin, ... as raw bytes.\n";

Status RunModelCommand(const Args& args) {
  const std::string path = args.positional[0];
  auto model = std::make_shared<Model>();
  QLITE_RETURN_IF_ERROR(ReadModelFile(path, model.get()));

  InterpreterOptions options;
  QLITE_RETURN_IF_ERROR(ParseKernelSet(args, &options.kernels));
  options.profile = args.has("profile");
  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(model, options, &interpreter));

  const auto& inputs = args.all("input");
  QLITE_ENSURE(static_cast<int>(inputs.size()) == interpreter->num_inputs(), "the model has ",
               interpreter->num_inputs(), " inputs but ", inputs.size(),
               " --input files were given");
  for (int i = 0; i < interpreter->num_inputs(); ++i) {
    const Tensor* in = interpreter->input(i);
    std::vector<uint8_t> bytes;
    const Status s = ReadTensorFile(inputs[i], in->type, in->bytes, &bytes);
    if (!s.ok()) {
      return s.WithContext(StrCat("input ", i, " '", in->name(), "' (", DTypeName(in->type), " ",
                                  ShapeToString(in->shape), "): "));
    }
    QLITE_RETURN_IF_ERROR(interpreter->SetInput(i, bytes.data(), bytes.size()));
  }
  QLITE_RETURN_IF_ERROR(interpreter->Invoke());

  const std::string dir = args.get("output-dir");
  if (!dir.empty()) {
    struct stat st {};
    QLITE_ENSURE(stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode), "output directory '", dir,
                 "' does not exist");
  }
  for (int i = 0; i < interpreter->num_outputs(); ++i) {
    const Tensor* out = interpreter->output(i);
    std::printf("output %d '%s' %s %s: %s\n", i, out->name().c_str(), DTypeName(out->type),
                ShapeToString(out->shape).c_str(), FormatValues(*out, 16).c_str());
    if (!dir.empty()) {
      QLITE_RETURN_IF_ERROR(
          WriteFileBytes(StrCat(dir, "/output", i, ".bin"), out->data, out->bytes));
    }
  }
  if (args.has("profile")) {
    double total = 0;
    std::printf("\n%5s  %-18s %-24s %10s\n", "node", "op", "kernel", "us");
    for (int n = 0; n < interpreter->num_nodes(); ++n) {
      const double us = interpreter->node_microseconds()[n];
      total += us;
      std::printf("%5d  %-18s %-24s %10.1f\n", n, BuiltinOpName(model->operators[n].op).c_str(),
                  interpreter->node_kernel_name(n), us);
    }
    std::printf("total %.1f us, arena %zu bytes\n", total, interpreter->arena_bytes());
  }
  return Status::Ok();
}

}  // namespace

int Run(int argc, char** argv) {
  Args args;
  Status s = ParseArgs(argc, argv, {"input", "output-dir", "kernels"}, {"profile", "help"}, &args);
  if (!s.ok() || args.has("help") || args.positional.size() != 1) {
    if (!s.ok()) std::fprintf(stderr, "qlite run: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  s = RunModelCommand(args);
  if (!s.ok()) {
    std::fprintf(stderr, "qlite run: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
