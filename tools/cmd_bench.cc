// qlite bench MODEL [--kernels reference|simd|both] [--runs N] [--warmup N]
//                   [--seed N]: per-op and whole-model latency (median of runs),
// with reference and SIMD kernels side by side on the same random inputs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <time.h>

#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "tools/commands.h"
#include "tools/lib/args.h"
#include "train/random.h"

namespace qlite::cli {

namespace {

const char* kUsage =
    "usage: qlite bench MODEL.tflite [--kernels reference|simd|both] [--runs N] [--warmup N]\n"
    "                   [--seed N] [--arithmetic tflite|xnnpack] [--threads N]\n"
    "Runs the model on seeded random inputs (the same for every kernel set) and prints\n"
    "the median wall time of each node and of the whole Invoke(), in microseconds.\n"
    "With --kernels both (the default) the columns are reference, simd and their ratio\n"
    "(reference / simd: how many times faster SIMD is), and the outputs are compared.\n"
    "--threads N splits large convolutions over N threads (same output bytes).\n"
    "Defaults: --runs 10 --warmup 2 --threads 1. This machine's load shows in the numbers.\n";

struct Timings {
  KernelSet set;
  std::vector<std::string> kernel_names;  // per node
  std::vector<double> node_us;            // per node, median
  double total_us = 0;                    // whole Invoke(), median wall time
  double cpu_us = 0;                      // whole Invoke(), median process CPU time
  std::vector<std::vector<uint8_t>> outputs;
};

// CPU time of this process (every --threads worker included): unlike wall
// time, not inflated while other processes hold the cores (this machine is
// shared).
double ProcessCpuMicroseconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

// Seeded random input bytes: float inputs uniform in [-1, 1], integer inputs
// uniform over their whole range (random bytes), other types zero.
std::vector<std::vector<uint8_t>> RandomInputs(Interpreter& interpreter, uint64_t seed) {
  train::Rng rng(seed);
  std::vector<std::vector<uint8_t>> inputs;
  for (int i = 0; i < interpreter.num_inputs(); ++i) {
    const Tensor* in = interpreter.input(i);
    std::vector<uint8_t> bytes(in->bytes);
    if (in->type == DType::kFloat32) {
      for (size_t k = 0; k + 4 <= bytes.size(); k += 4) {
        const float v = rng.Uniform(-1.0f, 1.0f);
        std::memcpy(&bytes[k], &v, 4);
      }
    } else if (in->type != DType::kBool) {
      for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng.Next() >> 56);
    }
    inputs.push_back(std::move(bytes));
  }
  return inputs;
}

Status Measure(std::shared_ptr<const Model> model, KernelSet set, Arithmetic arithmetic,
               int threads, int runs, int warmup, uint64_t seed, Timings* t) {
  InterpreterOptions options;
  options.kernels = set;
  options.arithmetic = arithmetic;
  options.threads = threads;
  options.profile = true;  // per-node medians; two clock reads per node natively cost ~50 ns
  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(model, options, &interpreter)
                            .WithContext(StrCat(KernelSetName(set), " kernels: ")));
  const auto inputs = RandomInputs(*interpreter, seed);
  for (int i = 0; i < interpreter->num_inputs(); ++i) {
    QLITE_RETURN_IF_ERROR(interpreter->SetInput(i, inputs[i].data(), inputs[i].size()));
  }
  const int nodes = interpreter->num_nodes();
  std::vector<std::vector<double>> node_runs(nodes);
  std::vector<double> totals, cpu;
  for (int r = 0; r < warmup + runs; ++r) {
    const double cpu_start = ProcessCpuMicroseconds();
    const auto start = std::chrono::steady_clock::now();
    QLITE_RETURN_IF_ERROR(interpreter->Invoke());
    const auto end = std::chrono::steady_clock::now();
    const double cpu_end = ProcessCpuMicroseconds();
    if (r < warmup) continue;
    totals.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    cpu.push_back(cpu_end - cpu_start);
    for (int n = 0; n < nodes; ++n) node_runs[n].push_back(interpreter->node_microseconds()[n]);
  }
  t->set = set;
  t->total_us = Median(totals);
  t->cpu_us = Median(cpu);
  for (int n = 0; n < nodes; ++n) {
    t->node_us.push_back(Median(node_runs[n]));
    t->kernel_names.push_back(interpreter->node_kernel_name(n));
  }
  for (int i = 0; i < interpreter->num_outputs(); ++i) {
    const Tensor* out = interpreter->output(i);
    const uint8_t* data = static_cast<const uint8_t*>(out->data);
    t->outputs.emplace_back(data, data + out->bytes);
  }
  return Status::Ok();
}

// "int8,int8,int32->int8": input dtypes (weights and bias included), then outputs.
std::string NodeDtypes(const Model& model, int node) {
  const OperatorDef& op = model.operators[node];
  std::string text;
  for (int32_t t : op.inputs) {
    if (t < 0) continue;
    if (!text.empty()) text += ",";
    text += DTypeName(model.tensors[t].type);
  }
  text += "->";
  for (size_t k = 0; k < op.outputs.size(); ++k) {
    if (k) text += ",";
    text += DTypeName(model.tensors[op.outputs[k]].type);
  }
  return text;
}

int64_t Elements(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

// Multiply-accumulates of one node (convolutions and fully-connected only;
// 0 for other ops), from the static tensor shapes.
int64_t NodeMacs(const Model& model, int node) {
  const OperatorDef& op = model.operators[node];
  const auto shape = [&](size_t input) -> const std::vector<int32_t>& {
    static const std::vector<int32_t> kNone;
    return input < op.inputs.size() && op.inputs[input] >= 0 ? model.tensors[op.inputs[input]].shape
                                                             : kNone;
  };
  const std::vector<int32_t>& out = model.tensors[op.outputs[0]].shape;
  switch (op.op) {
    case BuiltinOp::kConv2D:  // filter [O, kh, kw, I]: each output value sums kh*kw*I products
      return shape(1).size() == 4 ? Elements(out) * shape(1)[1] * shape(1)[2] * shape(1)[3] : 0;
    case BuiltinOp::kDepthwiseConv2D:  // filter [1, kh, kw, C]
      return shape(1).size() == 4 ? Elements(out) * shape(1)[1] * shape(1)[2] : 0;
    case BuiltinOp::kFullyConnected:  // weights [units, depth]
      return shape(1).size() == 2 ? Elements(out) * shape(1)[1] : 0;
    case BuiltinOp::kTransposeConv:  // every input value meets every filter tap
      return shape(1).size() == 4 ? Elements(shape(2)) * shape(1)[0] * shape(1)[1] * shape(1)[2]
                                  : 0;
    default: return 0;
  }
}

void PrintTables(const Model& model, const std::vector<Timings>& sets) {
  const bool both = sets.size() == 2;
  const std::string rate_header = std::string(KernelSetName(sets.back().set)) + " GMAC/s";
  std::printf("%5s  %-18s %-24s %-26s %8s", "node", "op", "dtypes", "kernel", "MMAC");
  for (const Timings& t : sets)
    std::printf(" %12s", (std::string(KernelSetName(t.set)) + " us").c_str());
  if (both) std::printf(" %8s", "ref/simd");
  std::printf(" %12s\n", rate_header.c_str());
  // GMAC/s = MAC / (us * 1e3).
  const auto rate = [](int64_t macs, double us) { return us > 0 ? macs / (us * 1e3) : 0.0; };
  int64_t total_macs = 0;
  // Per op name: summed medians, to see where the time goes.
  std::map<std::string, std::vector<double>> by_op;
  std::map<std::string, int> op_counts;
  std::map<std::string, int64_t> op_macs;
  for (size_t n = 0; n < model.operators.size(); ++n) {
    const std::string op = BuiltinOpName(model.operators[n].op);
    std::string kernel = sets.back().kernel_names[n];
    const int64_t macs = NodeMacs(model, static_cast<int>(n));
    total_macs += macs;
    op_macs[op] += macs;
    std::printf("%5zu  %-18s %-24s %-26s %8.2f", n, op.c_str(), NodeDtypes(model, n).c_str(),
                kernel.c_str(), macs / 1e6);
    auto& sums = by_op[op];
    sums.resize(sets.size());
    ++op_counts[op];
    for (size_t s = 0; s < sets.size(); ++s) {
      std::printf(" %12.1f", sets[s].node_us[n]);
      sums[s] += sets[s].node_us[n];
    }
    if (both) std::printf(" %7.2fx", sets[0].node_us[n] / std::max(sets[1].node_us[n], 1e-3));
    if (macs > 0) std::printf(" %12.2f", rate(macs, sets.back().node_us[n]));
    std::printf("\n");
  }
  std::printf("\nper op type (sum of node medians):\n%-18s %5s %8s", "op", "nodes", "MMAC");
  for (const Timings& t : sets)
    std::printf(" %12s", (std::string(KernelSetName(t.set)) + " us").c_str());
  if (both) std::printf(" %8s", "ref/simd");
  std::printf(" %12s\n", rate_header.c_str());
  for (const auto& [op, sums] : by_op) {
    std::printf("%-18s %5d %8.2f", op.c_str(), op_counts[op], op_macs[op] / 1e6);
    for (double us : sums) std::printf(" %12.1f", us);
    if (both) std::printf(" %7.2fx", sums[0] / std::max(sums[1], 1e-3));
    if (op_macs[op] > 0) std::printf(" %12.2f", rate(op_macs[op], sums.back()));
    std::printf("\n");
  }
  std::printf("\n%.2f M multiply-accumulates per inference (convolutions and fully-connected)",
              total_macs / 1e6);
  std::printf("\n%-28s", "whole model, median wall");
  for (const Timings& t : sets) std::printf(" %s %.1f us", KernelSetName(t.set), t.total_us);
  if (both) std::printf("  ref/simd %.2fx", sets[0].total_us / std::max(sets[1].total_us, 1e-3));
  std::printf("\n%-28s", "whole model, median CPU");
  for (const Timings& t : sets) std::printf(" %s %.1f us", KernelSetName(t.set), t.cpu_us);
  if (both) std::printf("  ref/simd %.2fx", sets[0].cpu_us / std::max(sets[1].cpu_us, 1e-3));
  std::printf("\n");
  if (both) {
    std::printf("outputs identical (reference vs simd): %s\n",
                sets[0].outputs == sets[1].outputs ? "yes" : "NO");
  }
}

Status BenchCommand(const Args& args) {
  const std::string path = args.positional[0];
  auto model = std::make_shared<Model>();
  QLITE_RETURN_IF_ERROR(ReadModelFile(path, model.get()));
  const std::string kernels = args.get("kernels", "both");
  QLITE_ENSURE(kernels == "reference" || kernels == "simd" || kernels == "both",
               "--kernels must be reference, simd or both, got '", kernels, "'");
  Arithmetic arithmetic = Arithmetic::kTflite;
  QLITE_RETURN_IF_ERROR(ParseArithmeticOption(args, &arithmetic));
  int threads = 1;
  QLITE_RETURN_IF_ERROR(ParseThreadsOption(args, &threads));
  long runs = 10, warmup = 2, seed = 1;
  if (args.has("runs"))
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("runs"), 1, 100000, "--runs", &runs));
  if (args.has("warmup")) {
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("warmup"), 0, 100000, "--warmup", &warmup));
  }
  if (args.has("seed"))
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("seed"), 0, 2147483647, "--seed", &seed));

  std::vector<KernelSet> sets;
  if (kernels != "simd") sets.push_back(KernelSet::kReference);
  if (kernels != "reference") sets.push_back(KernelSet::kSimd);
  std::vector<Timings> timings(sets.size());
  for (size_t s = 0; s < sets.size(); ++s) {
    QLITE_RETURN_IF_ERROR(Measure(model, sets[s], arithmetic, threads, static_cast<int>(runs),
                                  static_cast<int>(warmup), static_cast<uint64_t>(seed),
                                  &timings[s]));
  }
  std::printf("%s: %zu nodes, %ld runs after %ld warm-up, %d thread%s (native build%s)\n\n",
              path.c_str(), model->operators.size(), runs, warmup, threads, threads == 1 ? "" : "s",
#if defined(__wasm_simd128__)
              ", wasm SIMD128"
#else
              "; SIMD kernels run through SIMDe here, not a wasm speed"
#endif
  );
  PrintTables(*model, timings);
  return Status::Ok();
}

}  // namespace

int Bench(int argc, char** argv) {
  Args args;
  Status s = ParseArgs(argc, argv, {"kernels", "runs", "warmup", "seed", "arithmetic", "threads"},
                       {"help"}, &args);
  if (!s.ok() || args.has("help") || args.positional.size() != 1) {
    if (!s.ok()) std::fprintf(stderr, "qlite bench: %s\n", s.message().c_str());
    std::fputs(kUsage, args.has("help") ? stdout : stderr);
    return args.has("help") && s.ok() ? 0 : 2;
  }
  s = BenchCommand(args);
  if (!s.ok()) {
    std::fprintf(stderr, "qlite bench: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace qlite::cli
