// embind layer of the npm package: one class, Model, over the reader and the
// interpreter. It never throws across the boundary: calls that can fail return
// the core's message ("" = ok) and web/src/index.js turns it into a JS Error,
// so no wasm stack is abandoned mid-call and nothing leaks on error paths.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/describe.h"
#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "core/signature.h"
#include "kernels_wasm/register_kernels.h"
#include "kernels_wasm/relaxed_dot.h"

namespace qlite::web {

using emscripten::val;

namespace {

val ShapeToArray(const std::vector<int32_t>& shape) {
  val out = val::array();
  for (size_t i = 0; i < shape.size(); ++i) out.set(i, shape[i]);
  return out;
}

// name, dtype, shape, bytes and quantization of one model input or output.
val DescribeTensor(const Tensor& t) {
  val info = val::object();
  info.set("name", t.name());
  info.set("index", t.index);
  info.set("dtype", std::string(DTypeName(t.type)));
  info.set("shape", ShapeToArray(t.shape));
  info.set("bytes", static_cast<double>(t.bytes));
  info.set("dynamic", t.is_dynamic());
  const Quantization& q = t.quant();
  val scales = val::array();
  val zero_points = val::array();
  for (size_t c = 0; c < q.scale.size(); ++c) scales.set(c, q.scale[c]);
  for (size_t c = 0; c < q.zero_point.size(); ++c) {
    zero_points.set(c, static_cast<double>(q.zero_point[c]));
  }
  // TFLite's convention: scale 0 / zero point 0 mean "not quantized".
  info.set("scale", q.scale.empty() ? 0.0f : q.scale[0]);
  info.set("zeroPoint", q.zero_point.empty() ? 0.0 : static_cast<double>(q.zero_point[0]));
  info.set("scales", scales);
  info.set("zeroPoints", zero_points);
  info.set("quantizedDimension", q.quantized_dimension);
  info.set("quantization", DescribeQuantization(q));
  return info;
}

// The one pool every model shares (StartThreads): a browser cannot start a
// thread while its caller waits, so threads are started once, when the
// module loads, not per model.
std::shared_ptr<ThreadPool>& SharedPool() {
  static std::shared_ptr<ThreadPool> pool;
  return pool;
}

}  // namespace

// Starts the shared pool of `threads` threads, the calling one included (the
// first call only; a build without pthreads has one) and returns its size.
int StartThreads(int threads) {
  std::shared_ptr<ThreadPool>& pool = SharedPool();
  if (pool == nullptr) pool = std::make_shared<ThreadPool>(threads);
  return pool->threads();
}

// Ranges the shared pool's workers have run (0 without a pool or threads).
double WorkerRanges() {
  return SharedPool() != nullptr ? static_cast<double>(SharedPool()->worker_ranges()) : 0;
}

class Model {
 public:
  // Reads `bytes` (a Uint8Array) and prepares the interpreter. "" on success.
  // max_tensor_bytes > 0 caps the arena plus folded constants;
  // max_while_iterations > 0 the body runs of one WHILE node per run;
  // arithmetic is "tflite" or "xnnpack" (InterpreterOptions::arithmetic);
  // the model uses up to `threads` threads of the shared pool.
  std::string Load(const val& bytes, const std::string& kernels, bool profile,
                   double max_tensor_bytes, double max_while_iterations,
                   const std::string& arithmetic, int threads) {
    InterpreterOptions options;
    options.profile = profile;
    options.threads = threads;
    options.thread_pool = SharedPool();
    if (!ParseArithmetic(arithmetic.c_str(), &options.arithmetic)) {
      return "arithmetic must be 'tflite' or 'xnnpack', got '" + arithmetic + "'";
    }
    if (max_tensor_bytes > 0) options.max_tensor_bytes = static_cast<size_t>(max_tensor_bytes);
    if (max_while_iterations > 0) {
      options.max_while_iterations = static_cast<int64_t>(max_while_iterations);
    }
    if (kernels == "simd") {
      RegisterSimdKernels();
      options.kernels = KernelSet::kSimd;
    } else if (kernels != "reference") {
      return "kernels must be 'reference' or 'simd', got '" + kernels + "'";
    }
    auto storage = std::make_shared<const std::vector<uint8_t>>(
        emscripten::convertJSArrayToNumberVector<uint8_t>(bytes));
    auto model = std::make_shared<qlite::Model>();
    Status s = ReadModel(storage, model.get());
    if (s.ok()) s = Interpreter::Create(model, options, &interpreter_);
    if (!s.ok()) {
      interpreter_.reset();
      return s.message();
    }
    return "";
  }

  int NumInputs() const { return interpreter_ ? interpreter_->num_inputs() : 0; }
  int NumOutputs() const { return interpreter_ ? interpreter_->num_outputs() : 0; }
  val InputInfo(int i) const { return DescribeTensor(*interpreter_->input(i)); }
  val OutputInfo(int i) const { return DescribeTensor(*interpreter_->output(i)); }

  // The core's message for `bytes` bytes given to input i ("" when they fit);
  // it checks before touching any data.
  std::string InputSizeError(int i, double bytes) const {
    const size_t size = static_cast<size_t>(bytes);
    if (i >= 0 && i < interpreter_->num_inputs() && size == interpreter_->input(i)->bytes)
      return "";
    return interpreter_->SetInput(i, nullptr, size).message();
  }

  // Gives input i the shape `shape` (an array of positive integers) and
  // prepares the graph again; "" on success, else the core's message (the
  // model keeps its old shapes).
  std::string ResizeInput(int i, const val& shape) {
    const std::vector<int32_t> dims = emscripten::convertJSArrayToNumberVector<int32_t>(shape);
    return interpreter_->ResizeInput(i, dims).message();
  }

  // The model's signatures: [{ key, inputs: [{ name, position }], outputs,
  // error }], positions among the model's inputs/outputs; `error` says why a
  // signature cannot run ("" when it can).
  val Signatures() const {
    val list = val::array();
    const qlite::Model& model = interpreter_->model();
    for (size_t s = 0; s < model.signatures.size(); ++s) {
      const SignatureDef& def = model.signatures[s];
      ResolvedSignature resolved;
      const Status status = ResolveSignature(model, def.key, &resolved);
      auto slots = [&](const std::vector<SignatureTensor>& entries,
                       const std::vector<SignatureSlot>& positions) {
        val out = val::array();
        for (size_t i = 0; i < entries.size(); ++i) {
          val slot = val::object();
          slot.set("name", entries[i].name);
          slot.set("position", status.ok() ? positions[i].position : -1);
          out.call<void>("push", slot);
        }
        return out;
      };
      val signature = val::object();
      signature.set("key", def.key);
      signature.set("inputs", slots(def.inputs, resolved.inputs));
      signature.set("outputs", slots(def.outputs, resolved.outputs));
      signature.set("error", status.message());
      list.call<void>("push", signature);
    }
    return list;
  }

  // Gives variable tensors (SVDF/RNN state) their initial values again.
  void ResetVariables() { interpreter_->ResetVariables(); }

  // Where input / output i's bytes are in wasm memory: index.js copies inputs
  // in and outputs out through the module's HEAPU8 itself, which costs a
  // small model less than embind calls with typed-array views. The arena
  // never moves once prepared, so the addresses hold for the model's life.
  double InputAddress(int i) const { return Address(interpreter_->input(i)->data); }
  double OutputAddress(int i) const { return Address(interpreter_->output(i)->data); }

  // Runs the model; on false, LastError() says why. (A bool, not the message:
  // returning a std::string costs a malloc and a UTF-8 decode per run.)
  bool Invoke() {
    last_error_ = interpreter_->Invoke().message();
    return last_error_.empty();
  }
  std::string LastError() const { return last_error_; }

  bool Profiling() const { return interpreter_ && interpreter_->options().profile; }

  // Per node of the last run: op name, kernel, options and wall time in µs.
  val Profile() const {
    val nodes = val::array();
    const qlite::Model& model = interpreter_->model();
    const std::vector<double>& us = interpreter_->node_microseconds();
    for (int n = 0; n < interpreter_->num_nodes(); ++n) {
      val node = val::object();
      node.set("node", n);
      node.set("op", BuiltinOpName(model.operators[n].op));
      node.set("kernel", std::string(interpreter_->node_kernel_name(n)));
      node.set("options", DescribeOptions(model.operators[n]));
      node.set("us", n < static_cast<int>(us.size()) ? us[n] : 0.0);
      nodes.set(n, node);
    }
    return nodes;
  }

  static double Address(const void* data) {
    return static_cast<double>(reinterpret_cast<uintptr_t>(data));
  }

  double ArenaBytes() const { return static_cast<double>(interpreter_->arena_bytes()); }
  std::string KernelSetName() const { return qlite::KernelSetName(interpreter_->kernel_set()); }

 private:
  std::unique_ptr<Interpreter> interpreter_;
  std::string last_error_;
};

// Turns the relaxed dot product on (after probing the engine) or off for
// models loaded from now on; returns the mode in use (RelaxedDotName). Only
// for qlite.relaxed.wasm: in qlite.wasm the probe's first call reaches the
// marker's JS stub, which throws.
std::string UseRelaxedDot(bool on) { return simd::RelaxedDotName(simd::UseRelaxedDot(on)); }

// Bytes currently allocated by malloc (the leak check of the package tests).
double HeapBytesInUse() { return static_cast<double>(mallinfo().uordblks); }

EMSCRIPTEN_BINDINGS(qlite) {
  emscripten::class_<Model>("Model")
      .constructor<>()
      .function("load", &Model::Load)
      .function("numInputs", &Model::NumInputs)
      .function("numOutputs", &Model::NumOutputs)
      .function("inputInfo", &Model::InputInfo)
      .function("outputInfo", &Model::OutputInfo)
      .function("inputSizeError", &Model::InputSizeError)
      .function("resizeInput", &Model::ResizeInput)
      .function("resetVariables", &Model::ResetVariables)
      .function("signatures", &Model::Signatures)
      .function("inputAddress", &Model::InputAddress)
      .function("outputAddress", &Model::OutputAddress)
      .function("invoke", &Model::Invoke)
      .function("lastError", &Model::LastError)
      .function("profiling", &Model::Profiling)
      .function("profile", &Model::Profile)
      .function("arenaBytes", &Model::ArenaBytes)
      .function("kernelSet", &Model::KernelSetName);
  emscripten::function("heapBytesInUse", &HeapBytesInUse);
  emscripten::function("useRelaxedDot", &UseRelaxedDot);
  emscripten::function("startThreads", &StartThreads);
  emscripten::function("workerRanges", &WorkerRanges);
}

}  // namespace qlite::web
