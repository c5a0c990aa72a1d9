// qlite inspect MODEL: tensors, operators and the arena plan of a model.
#include <cstdio>
#include <memory>

#include "core/describe.h"
#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "tools/commands.h"
#include "tools/lib/args.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite inspect MODEL.tflite [--kernels simd|reference]\n"
    "Prints the tensor table (index, name, dtype, storage, bytes, shape, quantization),\n"
    "the operators with their options (then the same for each further subgraph),\n"
    "and the arena size. Exits 1 if the model\n"
    "cannot be run by qlite (the reason is printed).\n";

}  // namespace

int Inspect(int argc, char** argv) {
  Args args;
  KernelSet kernels = KernelSet::kSimd;
  Status s = ParseArgs(argc, argv, {"kernels"}, {"help"}, &args);
  if (s.ok()) s = ParseKernelSet(args, &kernels);
  if (!s.ok() || args.has("help") || args.positional.size() != 1) {
    if (!s.ok()) std::fprintf(stderr, "qlite inspect: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  const std::string path = args.positional[0];
  auto model = std::make_shared<Model>();
  s = ReadModelFile(path, model.get());
  if (!s.ok()) {
    std::fprintf(stderr, "qlite inspect: %s\n", s.message().c_str());
    return 1;
  }
  InterpreterOptions options;
  options.kernels = kernels;
  std::unique_ptr<Interpreter> interpreter;
  const Status runnable = Interpreter::Create(model, options, &interpreter);

  std::printf("model: %s\n", path.c_str());
  std::fputs(DescribeModel(*model, runnable.ok() ? interpreter.get() : nullptr, runnable).c_str(),
             stdout);
  if (!runnable.ok()) {
    std::fprintf(stderr, "qlite inspect: %s\n", runnable.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
