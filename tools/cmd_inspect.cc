// qlite inspect MODEL: tensors, operators and the arena plan of a model.
#include <cstdio>
#include <memory>

#include "core/describe.h"
#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "core/signature.h"
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

std::string StorageLabel(const Model& model, const Tensor* runtime, int t) {
  for (int32_t i : model.inputs)
    if (i == t) return "input";
  for (int32_t o : model.outputs)
    if (o == t) return "output";
  if (!model.tensors[t].sparsity.empty()) return "sparse";  // a constant densified at prepare
  if (model.is_constant(t)) return "const";
  if (runtime != nullptr && runtime->data == nullptr) return "unused";
  return "arena";
}

std::string IndexList(const std::vector<int32_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s;
}

// The tensor table of `model`'s main subgraph; shapes as `interpreter` prepared them, if given.
void PrintTensors(const Model& model, const Interpreter* interpreter) {
  std::printf("\nTensors\n%5s  %-36s %-8s %-7s %10s  %-18s %s\n", "index", "name", "dtype",
              "storage", "bytes", "shape", "quantization");
  for (size_t t = 0; t < model.tensors.size(); ++t) {
    const TensorDef& def = model.tensors[t];
    const Tensor* rt = interpreter ? &interpreter->tensors()[t] : nullptr;
    const Shape& shape = rt ? rt->shape : def.shape;
    size_t bytes = 0;
    if (!TensorByteSize(def.type, shape, &bytes).ok()) bytes = 0;
    std::string name =
        def.name.size() > 36 ? "..." + def.name.substr(def.name.size() - 33) : def.name;
    std::printf("%5zu  %-36s %-8s %-7s %10zu  %-18s %s\n", t, name.c_str(), DTypeName(def.type),
                StorageLabel(model, rt, static_cast<int>(t)).c_str(), bytes,
                ShapeToString(shape).c_str(), DescribeQuantization(def.quant).c_str());
  }
}

void PrintOperators(const Model& model) {
  std::printf("\nOperators\n%5s  %-18s %-7s %-14s %-10s %s\n", "node", "op", "version", "inputs",
              "outputs", "options");
  for (size_t n = 0; n < model.operators.size(); ++n) {
    const OperatorDef& op = model.operators[n];
    std::string name = BuiltinOpName(op.op);
    if (op.op == BuiltinOp::kCustom) name += "(" + op.custom_code + ")";
    std::printf("%5zu  %-18s %-7d %-14s %-10s %s\n", n, name.c_str(), op.version,
                IndexList(op.inputs).c_str(), IndexList(op.outputs).c_str(),
                DescribeOptions(op).c_str());
  }
}

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
  std::printf("schema version %u, %zu tensors, %zu operators, %zu buffers", model->version,
              model->tensors.size(), model->operators.size(), model->buffers.size());
  if (model->num_subgraphs() > 1) std::printf(", %d subgraphs", model->num_subgraphs());
  if (!model->description.empty()) std::printf(", description \"%s\"", model->description.c_str());
  std::printf("\ninputs [%s]  outputs [%s]\n", IndexList(model->inputs).c_str(),
              IndexList(model->outputs).c_str());
  for (const MetadataEntry& m : model->metadata) {
    std::printf("metadata '%s' (buffer %u)\n", m.name.c_str(), m.buffer);
  }
  std::fputs(DescribeSignatures(*model).c_str(), stdout);

  PrintTensors(*model, interpreter.get());
  PrintOperators(*model);
  for (int i = 1; i < model->num_subgraphs(); ++i) {
    const Model view = model->SubgraphView(i);
    std::printf("\n%s\n", DescribeSubgraph(*model, i).c_str());
    PrintTensors(view, nullptr);
    PrintOperators(view);
  }

  if (!runnable.ok()) {
    std::printf("\ncannot run with qlite: %s\n", runnable.message().c_str());
    std::fprintf(stderr, "qlite inspect: %s\n", runnable.message().c_str());
    return 1;
  }
  std::printf("\nkernels: %s\n", KernelSetName(interpreter->kernel_set()));
  std::printf("arena: %zu bytes (%zu bytes if every intermediate had its own buffer)\n",
              interpreter->arena_bytes(), interpreter->unplanned_bytes());
  return 0;
}

}  // namespace qlite::cli
