// The contract between the interpreter and a kernel. A kernel is a pair:
//   prepare(ctx): validate dtypes/shapes/options, compute output shapes and
//                 every data-independent value (multipliers, packed weights)
//                 into its OpData, request scratch memory. Runs once.
//   eval(ctx):    compute outputs from inputs. Never allocates.
// Reference kernels (core/kernels) and registered overrides share it.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/op_options.h"
#include "core/status.h"
#include "core/tensor.h"
#include "core/threading.h"

namespace qlite {

// Marks prepare-time code (Prepare and its helpers) in the kernel files the
// wasm build compiles for speed: it runs once per model load, so there it is
// optimized for size instead (clang's minsize); natively it changes nothing.
#if defined(__EMSCRIPTEN__)
#define QLITE_PREPARE_TIME __attribute__((minsize))
#else
#define QLITE_PREPARE_TIME
#endif

// Per-node state a kernel computes at prepare time.
struct OpData {
  virtual ~OpData() = default;
};

class OpContext;
class DynamicTensors;
class Interpreter;
using PrepareFn = Status (*)(OpContext&);
using EvalFn = Status (*)(OpContext&);

// Whether a kernel handles this node's dtypes/options. SIMD kernels cover the
// hot paths only (e.g. int8 and float32 conv, not int16x8 or hybrid); the
// interpreter gives every node they decline the reference kernel instead.
using AcceptsFn = bool (*)(const OpContext&);

// Optional: lets a node take over the next one, which reads this node's
// output and is its only reader (e.g. int8 CONV_2D max-pooling its int32
// accumulators, so that only the pooled values are requantized). Called once
// both are prepared; true means this node's eval now writes `next`'s outputs,
// its own output is left unwritten, and `next` no longer runs.
using FuseNextFn = bool (*)(OpContext& self, const OpContext& next);

struct KernelRegistration {
  const char* name;  // e.g. "conv2d_reference"
  PrepareFn prepare;
  EvalFn eval;
  AcceptsFn accepts = nullptr;  // nullptr: every node of the op
  FuseNextFn fuse_next = nullptr;
};

struct Node {
  int index = 0;
  const OperatorDef* def = nullptr;
  const KernelRegistration* kernel = nullptr;
  std::unique_ptr<OpData> data;
  std::vector<int> scratch_ids;  // indices into the interpreter's scratch list
  int fused_into = -1;           // the node whose eval computes this node's outputs (FuseNextFn)
};

// Temporary memory a kernel asked for; lives in the arena for one node.
struct ScratchBuffer {
  size_t bytes = 0;
  int node = 0;
  uint8_t* data = nullptr;
};

class OpContext {
 public:
  // `interpreter`: the one running the node (kernels that run subgraphs
  // need it); `dynamic`: where ResizeOutput gets memory, nullptr in a model
  // that has no dynamic tensors.
  OpContext(std::vector<Tensor>* tensors, std::vector<ScratchBuffer>* scratch, Node* node,
            const Interpreter* interpreter = nullptr, DynamicTensors* dynamic = nullptr)
      : tensors_(tensors),
        scratch_(scratch),
        node_(node),
        interpreter_(interpreter),
        dynamic_(dynamic) {}

  const OperatorDef& op() const { return *node_->def; }
  int node_index() const { return node_->index; }
  // The node's prepared state, for a FuseNextFn looking at the next node.
  const OpData* op_data_base() const { return node_->data.get(); }
  // The interpreter running the node (its model, options and subgraph
  // scope), for kernels that run other subgraphs; see core/subgraph.h.
  const Interpreter* interpreter() const { return interpreter_; }
  // The interpreter's InterpreterOptions::arithmetic (kTflite without one).
  Arithmetic arithmetic() const;
  // The interpreter's InterpreterOptions::max_tensor_bytes (no limit without
  // one): SetOutputShape refuses an output larger than all tensor memory, so
  // that no kernel builds tables for an output that can never exist.
  size_t max_tensor_bytes() const;
  // The interpreter's thread count (InterpreterOptions::threads; 1 without
  // an interpreter). Prepare sizes per-worker scratch with it.
  int threads() const;
  // fn(begin, end, worker) over contiguous ranges of [0, items), on up to
  // threads() threads when items * work_per_item is large enough
  // (TasksFor), else fn(0, items, 0) on this thread. Tasks must write
  // disjoint outputs; `worker` < threads() picks per-worker scratch.
#if QLITE_NO_THREADS
  // Code built without pthreads runs every range here: the single-threaded
  // wasm build, and the wasm side modules, which the threaded build links
  // on the calling thread only (its workers never load them).
  void ParallelFor(int64_t items, int64_t, const RangeFn& fn) const {
    if (items > 0) fn(0, items, 0);
  }
#else
  void ParallelFor(int64_t items, int64_t work_per_item, const RangeFn& fn) const;
#endif

  int num_inputs() const { return static_cast<int>(node_->def->inputs.size()); }
  int num_outputs() const { return static_cast<int>(node_->def->outputs.size()); }

  // nullptr for an optional input left out (-1) or i past the end.
  const Tensor* input(int i) const { return tensor_at(node_->def->inputs, i); }
  Tensor* mutable_input(int i) const { return tensor_at(node_->def->inputs, i); }
  Tensor* output(int i) const { return tensor_at(node_->def->outputs, i); }
  // The node's i-th intermediate tensor (TFLite's node intermediates: the
  // integer LSTM reads their quantization), nullptr if absent.
  const Tensor* intermediate(int i) const { return tensor_at(node_->def->intermediates, i); }

  // The op's options (its row's options struct; defaults if the node has none).
  template <typename T>
  const T& options() const {
    static const T kDefaults{};
    const T* o = std::any_cast<T>(&node_->def->options);
    return o ? *o : kDefaults;
  }

  // Creates the node's OpData (prepare) / returns it (eval).
  template <typename T>
  T* NewOpData() {
    node_->data = std::make_unique<T>();
    return static_cast<T*>(node_->data.get());
  }
  template <typename T>
  T* op_data() const {
    return static_cast<T*>(node_->data.get());
  }

  // Sets an output's shape; byte size follows from shape and dtype.
  Status SetOutputShape(int i, Shape shape);

  // Prepare: output i's shape needs values known only at run time (a shape
  // input that is not constant). It gets no arena memory; eval must call
  // ResizeOutput before writing it. Nodes that read it are prepared again
  // at each Invoke.
  Status MarkOutputDynamic(int i);
  // Eval: gives dynamic output i its shape for this run and memory for it.
  Status ResizeOutput(int i, Shape shape);

  // Asks for `bytes` of scratch memory valid during this node's eval.
  Status RequestScratch(size_t bytes, int* scratch_index);
  void* scratch(int scratch_index) const {
    return (*scratch_)[node_->scratch_ids[scratch_index]].data;
  }

 private:
  Tensor* tensor_at(const std::vector<int32_t>& ids, int i) const {
    if (i < 0 || i >= static_cast<int>(ids.size()) || ids[i] < 0) return nullptr;
    return &(*tensors_)[ids[i]];
  }

  std::vector<Tensor>* tensors_;
  std::vector<ScratchBuffer>* scratch_;
  Node* node_;
  const Interpreter* interpreter_;
  DynamicTensors* dynamic_;
};

// Byte size of `count` elements of `type`, with overflow and limit checks.
Status TensorByteSize(DType type, const Shape& shape, size_t* bytes);

}  // namespace qlite
