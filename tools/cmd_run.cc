// qlite run MODEL --input F0 [--input F1 ...] --output-dir D: one inference,
// or --steps N inferences on one interpreter (variable tensors carry over).
#include <sys/stat.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "tools/commands.h"
#include "tools/lib/args.h"
#include "tools/lib/tensor_io.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite run MODEL.tflite --input FILE [--input FILE ...] [--output-dir DIR]\n"
    "                 [--steps N] [--reset] [--kernels simd|reference] [--profile]\n"
    "                 [--arithmetic tflite|xnnpack] [--threads N] [--denormals]\n"
    "Inputs are given in the model's input order: raw little-endian bytes in the\n"
    "tensor's dtype, or numbers separated by commas/whitespace in a .csv file.\n"
    "Outputs are written to DIR/output0.bin, DIR/output1.bin, ... as raw bytes.\n"
    "--steps N runs N inferences on one interpreter: give each step's inputs in\n"
    "turn (step 0's inputs, then step 1's ...); outputs go to\n"
    "DIR/step<k>.output<i>.bin. Variable tensors (the state of SVDF, RNN ...)\n"
    "start from the model's initial values and carry over from step to step;\n"
    "--reset gives them their initial values again before every step.\n"
    "--arithmetic xnnpack requantizes the int8/uint8 ops XNNPACK runs as XNNPACK\n"
    "does (the bytes of TFLite with XNNPACK, LiteRT.js, Android); the default,\n"
    "tflite, as TFLite's builtin kernels and TFLite-Micro do.\n"
    "--threads N splits large convolutions over N threads (default 1); the\n"
    "outputs are the same bytes for every N.\n"
    "--denormals counts subnormal float32 values in every node's outputs (nodes\n"
    "not fused, so that every tensor is written) and in the constant tensors,\n"
    "printed as 'denormals ...' lines.\n";

// Subnormal float32 values of a tensor: in wasm, which has no flush-to-zero,
// each one can take a slow microcode path on x86.
int64_t CountDenormals(const Tensor& t) {
  if (t.type != DType::kFloat32 || t.data == nullptr) return 0;
  int64_t count = 0;
  for (size_t i = 0; i + sizeof(float) <= t.bytes; i += sizeof(float)) {
    float v;
    std::memcpy(&v, t.data + i, sizeof(float));
    count += std::fpclassify(v) == FP_SUBNORMAL;
  }
  return count;
}

void PrintDenormals(const Interpreter& interpreter, const std::vector<int64_t>& per_node) {
  const Model& model = interpreter.model();
  int64_t total = 0, outputs = 0, with_any = 0, constant = 0, constant_values = 0;
  for (int n = 0; n < interpreter.num_nodes(); ++n) {
    for (int32_t t : model.operators[n].outputs) {
      if (t < 0 || interpreter.tensors()[t].type != DType::kFloat32) continue;
      ++outputs;
    }
    if (per_node[n] == 0) continue;
    ++with_any;
    total += per_node[n];
    int32_t first = 0;
    for (int32_t t : model.operators[n].outputs) {
      if (t >= 0 && interpreter.tensors()[t].type == DType::kFloat32) {
        first = t;
        break;
      }
    }
    const Tensor& out = interpreter.tensors()[first];
    std::printf("denormals node %d %s '%s': %lld of %lld\n", n,
                BuiltinOpName(model.operators[n].op).c_str(), out.name().c_str(),
                static_cast<long long>(per_node[n]), static_cast<long long>(out.num_elements()));
  }
  for (const Tensor& t : interpreter.tensors()) {
    if (!t.is_constant() || t.type != DType::kFloat32) continue;
    constant += CountDenormals(t);
    constant_values += t.bytes / sizeof(float);
  }
  std::printf(
      "denormals total %lld in %lld of %lld nodes with float32 outputs; constants %lld of %lld\n",
      static_cast<long long>(total), static_cast<long long>(with_any),
      static_cast<long long>(outputs), static_cast<long long>(constant),
      static_cast<long long>(constant_values));
}

Status RunModelCommand(const Args& args) {
  const std::string path = args.positional[0];
  auto model = std::make_shared<Model>();
  QLITE_RETURN_IF_ERROR(ReadModelFile(path, model.get()));

  InterpreterOptions options;
  QLITE_RETURN_IF_ERROR(ParseKernelSet(args, &options.kernels));
  QLITE_RETURN_IF_ERROR(ParseArithmeticOption(args, &options.arithmetic));
  QLITE_RETURN_IF_ERROR(ParseThreadsOption(args, &options.threads));
  options.profile = args.has("profile");
  const bool denormals = args.has("denormals");
  if (denormals) options.fuse_nodes = false;
  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(model, options, &interpreter));

  long steps = 1;
  if (args.has("steps")) {
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("steps"), 1, 1 << 20, "--steps", &steps));
  }
  const auto& inputs = args.all("input");
  const int num_inputs = interpreter->num_inputs();
  QLITE_ENSURE(static_cast<long>(inputs.size()) == num_inputs * steps, "the model has ", num_inputs,
               " inputs", steps > 1 ? StrCat(", times ", steps, " steps,") : "", " but ",
               inputs.size(), " --input files were given");
  const std::string dir = args.get("output-dir");
  if (!dir.empty()) {
    struct stat st {};
    QLITE_ENSURE(stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode), "output directory '", dir,
                 "' does not exist");
  }
  for (long step = 0; step < steps; ++step) {
    if (args.has("reset")) QLITE_RETURN_IF_ERROR(interpreter->ResetVariables());
    const std::string where = steps > 1 ? StrCat("step ", step, ": ") : "";
    for (int i = 0; i < num_inputs; ++i) {
      const Tensor* in = interpreter->input(i);
      std::vector<uint8_t> bytes;
      const Status s = ReadTensorFile(inputs[step * num_inputs + i], in->type, in->bytes, &bytes);
      if (!s.ok()) {
        return s.WithContext(StrCat(where, "input ", i, " '", in->name(), "' (",
                                    DTypeName(in->type), " ", ShapeToString(in->shape), "): "));
      }
      QLITE_RETURN_IF_ERROR(interpreter->SetInput(i, bytes.data(), bytes.size()));
    }
    std::vector<int64_t> node_denormals(interpreter->num_nodes(), 0);
    const Status s = !denormals ? interpreter->Invoke() : interpreter->Invoke([&](int node) {
      for (int32_t t : model->operators[node].outputs) {
        if (t >= 0) node_denormals[node] += CountDenormals(interpreter->tensors()[t]);
      }
    });
    if (!s.ok()) return s.WithContext(where);
    if (denormals) PrintDenormals(*interpreter, node_denormals);
    for (int i = 0; i < interpreter->num_outputs(); ++i) {
      const Tensor* out = interpreter->output(i);
      std::printf("%soutput %d '%s' %s %s: %s\n", where.c_str(), i, out->name().c_str(),
                  DTypeName(out->type), ShapeToString(out->shape).c_str(),
                  FormatValues(*out, 16).c_str());
      if (dir.empty()) continue;
      const std::string file = steps > 1 ? StrCat(dir, "/step", step, ".output", i, ".bin")
                                         : StrCat(dir, "/output", i, ".bin");
      QLITE_RETURN_IF_ERROR(WriteFileBytes(file, out->data, out->bytes));
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
  Status s =
      ParseArgs(argc, argv, {"input", "output-dir", "kernels", "steps", "arithmetic", "threads"},
                {"profile", "reset", "denormals", "help"}, &args);
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
