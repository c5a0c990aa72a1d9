// libFuzzer target: read a model, then prepare and invoke it with the
// reference and the SIMD kernels, node fusion on and off, 1-3 threads, both
// arithmetics, relaxed SIMD's dot product in its exact behaviours, on seeded
// inputs.
// Beyond "no crash, no hang, no out-of-bounds access": every configuration
// that runs must give the reference kernels' output bytes (float32 NaNs may
// differ in sign and payload: which NaN of several inputs propagates depends
// on the order of operations), and wrong input sizes must be refused (the
// checks the JS bindings rely on); resizing input 0 and back must give the
// same bytes again.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "core/threading.h"
#include "kernels_wasm/register_kernels.h"
#include "kernels_wasm/relaxed_dot.h"

namespace {

// Small enough that one input runs in milliseconds.
constexpr size_t kMaxTensorBytes = size_t{4} << 20;
constexpr int64_t kMaxWhileIterations = 10000;

// Deterministic input bytes; float32 inputs get finite values in [-4, 4), so
// that NaN payloads (which SIMD min/max may order differently) stay out of
// the byte-for-byte comparison.
void FillInput(qlite::Tensor* t, uint32_t seed) {
  uint32_t s = seed * 2654435761u + 1;
  const auto next = [&s] { return s = s * 1664525u + 1013904223u; };
  if (t->type == qlite::DType::kFloat32) {
    float* v = t->data_as<float>();
    for (size_t i = 0; i < t->bytes / sizeof(float); ++i) v[i] = (next() >> 8) / 2097152.0f - 4.0f;
  } else {
    for (size_t i = 0; i < t->bytes; ++i) t->data[i] = static_cast<uint8_t>(next() >> 24);
  }
}

// The same bytes, or for float32 both NaN at every position where they differ.
bool SameOutput(const qlite::Tensor& t, const std::vector<uint8_t>& a,
                const std::vector<uint8_t>& b) {
  if (a == b) return true;
  if (t.type != qlite::DType::kFloat32 || a.size() != b.size()) return false;
  for (size_t i = 0; i + 4 <= a.size(); i += 4) {
    float x, y;
    std::memcpy(&x, &a[i], 4);
    std::memcpy(&y, &b[i], 4);
    if (std::memcmp(&a[i], &b[i], 4) != 0 && !(std::isnan(x) && std::isnan(y))) return false;
  }
  return true;
}

// Fills every input with its seeded bytes and invokes; false if Invoke fails.
bool RunWithSeededInputs(qlite::Interpreter* interpreter,
                         std::vector<std::vector<uint8_t>>* outputs) {
  for (int i = 0; i < interpreter->num_inputs(); ++i) {
    FillInput(interpreter->input(i), static_cast<uint32_t>(i));
  }
  outputs->clear();
  if (!interpreter->Invoke().ok()) return false;
  for (int o = 0; o < interpreter->num_outputs(); ++o) {
    const qlite::Tensor* out = interpreter->output(o);
    outputs->emplace_back(out->data, out->data + out->bytes);
  }
  return true;
}

// ResizeInput (the package's resizeInput): input 0 at twice its first
// dimension may be refused or run, never crash; back at its own shape the
// model must prepare again and, from its initial state, give the same bytes
// as before. (A refused resize, or one to the shape it has, keeps the state
// of variable tensors, as TFLite does: they are reset before the rerun.)
void CheckResizeRoundTrip(qlite::Interpreter* interpreter,
                          const std::vector<std::vector<uint8_t>>& before) {
  if (interpreter->num_inputs() == 0 || interpreter->input(0)->shape.empty()) return;
  const std::vector<int32_t> shape = interpreter->input(0)->shape;
  if (shape[0] > (1 << 20)) return;
  std::vector<int32_t> doubled = shape;
  doubled[0] *= 2;
  std::vector<std::vector<uint8_t>> after;
  if (interpreter->ResizeInput(0, doubled).ok()) RunWithSeededInputs(interpreter, &after);
  const qlite::Status s = interpreter->ResizeInput(0, shape);
  if (!s.ok()) {
    std::fprintf(stderr, "resizing input 0 back to its own shape failed: %s\n",
                 s.message().c_str());
    std::abort();
  }
  if (!interpreter->ResetVariables().ok() || !RunWithSeededInputs(interpreter, &after) ||
      after != before) {
    std::fprintf(stderr, "after resizing input 0 there and back, the outputs changed\n");
    std::abort();
  }
}

// One way to run a model. Configurations of one arithmetic must agree byte
// for byte; the two arithmetics may differ (they round ties differently).
struct RunConfig {
  qlite::KernelSet kernels;
  bool fuse_nodes;
  qlite::Arithmetic arithmetic;
  int threads;
  // Relaxed SIMD's int8 dot product as an engine would run it (emulated
  // natively): the GEMM quad panels and depthwise column quads take it.
  qlite::simd::EmulatedRelaxedDot relaxed_dot;
  const char* name;
};

constexpr qlite::simd::EmulatedRelaxedDot kNoDot = qlite::simd::EmulatedRelaxedDot::kNone;

constexpr RunConfig kConfigs[] = {
    {qlite::KernelSet::kReference, true, qlite::Arithmetic::kTflite, 1, kNoDot, "reference, fused"},
    {qlite::KernelSet::kSimd, true, qlite::Arithmetic::kTflite, 1, kNoDot, "simd, fused"},
    {qlite::KernelSet::kReference, false, qlite::Arithmetic::kTflite, 1, kNoDot,
     "reference, unfused"},
    {qlite::KernelSet::kSimd, false, qlite::Arithmetic::kTflite, 1, kNoDot, "simd, unfused"},
    // Every node with more than one item splits (LLVMFuzzerInitialize), so
    // the per-thread ranges of small models are exercised too.
    {qlite::KernelSet::kSimd, true, qlite::Arithmetic::kTflite, 3, kNoDot, "simd, 3 threads"},
    {qlite::KernelSet::kSimd, true, qlite::Arithmetic::kTflite, 1,
     qlite::simd::EmulatedRelaxedDot::kUnsigned, "simd, relaxed dot as uint8 x int8"},
    {qlite::KernelSet::kSimd, true, qlite::Arithmetic::kTflite, 2,
     qlite::simd::EmulatedRelaxedDot::kSigned, "simd, relaxed dot as int8 x int8, 2 threads"},
    {qlite::KernelSet::kReference, true, qlite::Arithmetic::kXnnpack, 1, kNoDot,
     "reference, xnnpack"},
    {qlite::KernelSet::kSimd, true, qlite::Arithmetic::kXnnpack, 1, kNoDot, "simd, xnnpack"},
    {qlite::KernelSet::kSimd, true, qlite::Arithmetic::kXnnpack, 2, kNoDot,
     "simd, xnnpack, 2 threads"},
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  qlite::RegisterSimdKernels();
  qlite::SetMinWorkPerTaskForTesting(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto model = std::make_shared<qlite::Model>();
  if (!qlite::ReadModelFromBytes(data, size, model.get()).ok()) return 0;
  // Outputs of the first configuration of each arithmetic that ran.
  std::vector<std::vector<uint8_t>> expected[2];
  bool checked_resize = false;
  for (const RunConfig& config : kConfigs) {
    qlite::InterpreterOptions options;
    options.kernels = config.kernels;
    options.fuse_nodes = config.fuse_nodes;
    options.arithmetic = config.arithmetic;
    options.threads = config.threads;
    options.max_tensor_bytes = kMaxTensorBytes;
    // Repeated work (WHILE bodies, the quadratic hybrid bidirectional RNN)
    // small enough that one input runs in well under the 25 s timeout.
    options.max_while_iterations = kMaxWhileIterations;
    // Weights are packed for the relaxed dot product at prepare.
    qlite::simd::EmulateRelaxedDotForTesting(config.relaxed_dot);
    qlite::simd::UseRelaxedDot(config.relaxed_dot != kNoDot);
    std::unique_ptr<qlite::Interpreter> interpreter;
    if (!qlite::Interpreter::Create(model, options, &interpreter).ok()) continue;
    for (int i = 0; i < interpreter->num_inputs(); ++i) {
      const size_t bytes = interpreter->input(i)->bytes;
      if (interpreter->SetInput(i, nullptr, bytes + 1).ok()) {
        std::fprintf(stderr, "input %d accepted %zu bytes for a %zu-byte tensor\n", i, bytes + 1,
                     bytes);
        std::abort();
      }
    }
    std::vector<std::vector<uint8_t>> outputs;
    if (!RunWithSeededInputs(interpreter.get(), &outputs)) continue;
    if (!checked_resize) {
      CheckResizeRoundTrip(interpreter.get(), outputs);
      checked_resize = true;
    }
    std::vector<std::vector<uint8_t>>& want =
        expected[config.arithmetic == qlite::Arithmetic::kXnnpack ? 1 : 0];
    bool same = true;
    for (size_t o = 0; o < want.size(); ++o) {
      same = same && SameOutput(*interpreter->output(static_cast<int>(o)), outputs[o], want[o]);
    }
    if (want.empty()) {
      want = std::move(outputs);
    } else if (!same) {
      std::fprintf(stderr, "configuration '%s' changed the output bytes\n", config.name);
      std::abort();
    }
  }
  return 0;
}
