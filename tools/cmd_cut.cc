// qlite cut MODEL: one-node models of a model's nodes, to run or compare a
// node alone (tests/bench/compare_nodes.mjs compares every node with LiteRT.js).
#include <cstdio>
#include <memory>
#include <string>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"
#include "quantize/model_cut.h"
#include "tools/commands.h"
#include "tools/lib/args.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite cut MODEL.tflite (--node N --out NODE.tflite | --all --out DIR)\n"
    "Writes the one-node model of node N (or of every node, as DIR/node007_CONV_2D.tflite):\n"
    "the node's operator and tensors, constant inputs with their bytes (also constants\n"
    "computed at load, such as dequantized float16 weights), every other input a model\n"
    "input, and the shapes qlite prepared. DIR must exist.\n";

std::string NodeFileName(const Model& model, int node) {
  char number[16];
  std::snprintf(number, sizeof(number), "node%03d_", node);
  return number + BuiltinOpName(model.operators[node].op) + ".tflite";
}

}  // namespace

int Cut(int argc, char** argv) {
  Args args;
  Status s = ParseArgs(argc, argv, {"node", "out"}, {"all", "help"}, &args);
  const bool usage_ok = s.ok() && args.positional.size() == 1 && args.has("out") &&
                        (args.has("all") != args.has("node"));
  if (!usage_ok || args.has("help")) {
    if (!s.ok()) std::fprintf(stderr, "qlite cut: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  auto model = std::make_shared<Model>();
  s = ReadModelFile(args.positional[0], model.get());
  std::unique_ptr<Interpreter> interpreter;
  if (s.ok()) s = Interpreter::Create(model, InterpreterOptions{}, &interpreter);
  int first = 0, last = static_cast<int>(model->operators.size()) - 1;
  if (s.ok() && args.has("node")) {
    long node = 0;
    s = ParseInt(args.get("node"), 0, last, "--node", &node);
    first = last = static_cast<int>(node);
  }
  for (int n = first; s.ok() && n <= last; ++n) {
    Model cut;
    s = CutNode(*interpreter, n, &cut);
    const std::string path =
        args.has("all") ? args.get("out") + "/" + NodeFileName(*model, n) : args.get("out");
    if (s.ok()) s = WriteModelFile(cut, WriterOptions{}, path);
    if (s.ok()) std::printf("%s\n", path.c_str());
  }
  if (!s.ok()) {
    std::fprintf(stderr, "qlite cut: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
