// qlite: a TensorFlow Lite-compatible runtime and quantization toolkit.
#include <cstdio>
#include <cstring>
#include <string>

#include "kernels_wasm/register_kernels.h"
#include "tools/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

const Command kCommands[] = {
    {"inspect", qlite::cli::Inspect, "print a model's tensors, operators and arena size"},
    {"run", qlite::cli::Run, "run one inference on input files and write the outputs"},
    {"quantize", qlite::cli::Quantize,
     "post-training quantization (float16, dynamic, int8, int16x8)"},
    {"compare", qlite::cli::Compare,
     "per-layer error of a quantized model against its float model"},
    {"train", qlite::cli::Train, "train an MNIST CNN (tutorial, lenet5), optionally with QAT"},
    {"eval", qlite::cli::Eval, "MNIST test accuracy, size and latency of models, as a table"},
    {"synth", qlite::cli::Synth, "write a synthetic int8 MobileNet v1/v2 benchmark model"},
    {"bench", qlite::cli::Bench, "per-op and whole-model latency, reference vs SIMD kernels"},
    {"cut", qlite::cli::Cut, "write one-node models of a model's nodes, to run or compare alone"},
};

void PrintUsage(FILE* out) {
  std::fprintf(out, "usage: qlite <command> [options]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(out, "\n'qlite <command> --help' describes a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  qlite::RegisterSimdKernels();  // --kernels simd
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (name == c.name) return c.run(argc - 2, argv + 2);
  }
  std::fprintf(stderr, "qlite: unknown command '%s'\n\n", name.c_str());
  PrintUsage(stderr);
  return 2;
}
