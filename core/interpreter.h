// Runs one model: binds every op to a kernel, prepares it once, plans one
// arena for all intermediate tensors, then invokes without allocating.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel_api.h"
#include "core/model.h"
#include "core/op_table.h"
#include "core/status.h"
#include "core/tensor.h"
#include "core/threading.h"

namespace qlite {

class DynamicTensors;
class ResourceVariables;

struct InterpreterOptions {
  KernelSet kernels = KernelSet::kReference;
  // Time every node of each Invoke (node_microseconds). Off by default: two
  // clock reads per node cost little natively but ~1 us each in a browser,
  // where performance.now() is slow, which small models would feel.
  bool profile = false;
  // Let kernels fuse a node with the next (see FuseNextFn in kernel_api.h):
  // faster, but the fused pair's intermediate tensor is never written, so
  // Invoke(after_node) observers that read every tensor turn this off.
  bool fuse_nodes = true;
  // Most tensor memory the interpreter may allocate: the arena plus the
  // outputs of nodes folded at prepare, variables and the memory of tensors
  // whose shape is known only at run time (core/dynamic_tensors.h). A model that needs more is
  // refused with an error instead of exhausting the page (a wasm tab has 2-4 GiB).
  size_t max_tensor_bytes = size_t{1} << 30;
  // Most times one WHILE node may run its body in one Invoke: a loop whose
  // condition never turns false ends with an error instead of hanging a page.
  // Also caps the time^2 steps of a hybrid time-major
  // BIDIRECTIONAL_SEQUENCE_RNN (TFLite's kernel reruns the sequence per step).
  int64_t max_while_iterations = 1000000;
  // The requantization of the quantized ops XNNPACK would run (see
  // Arithmetic in core/types.h); every other op is TFLite's either way.
  Arithmetic arithmetic = Arithmetic::kTflite;
  // Threads the SIMD kernels split large nodes over (core/threading.h), the
  // calling thread included. Outputs are the same bytes for every count.
  int threads = 1;
  // A pool shared by several interpreters, of which each uses up to
  // `threads` threads (the wasm bindings keep one: a browser cannot start
  // threads while it waits for them). Null: the interpreter makes its own.
  std::shared_ptr<ThreadPool> thread_pool;
};

struct SubgraphScope;  // core/subgraph.h

class Interpreter {
 public:
  // Checks the graph, prepares every node and allocates the arena. On error,
  // `*out` is left empty and the status names the node/tensor at fault.
  static Status Create(std::shared_ptr<const Model> model, const InterpreterOptions& options,
                       std::unique_ptr<Interpreter>* out);
  // Convenience: copies `model`.
  static Status Create(const Model& model, const InterpreterOptions& options,
                       std::unique_ptr<Interpreter>* out);

  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  int num_inputs() const { return static_cast<int>(model_->inputs.size()); }
  int num_outputs() const { return static_cast<int>(model_->outputs.size()); }
  Tensor* input(int i) { return &tensors_[model_->inputs[i]]; }
  // An output whose shape depends on input values (is_dynamic()) has the
  // shape, bytes and data of the last Invoke.
  const Tensor* output(int i) const { return &tensors_[model_->outputs[i]]; }

  // Copies `bytes` into input i; the size must equal the tensor's byte size.
  Status SetInput(int i, const void* data, size_t bytes);

  // Gives input i a new shape (another batch size or image size, typically a
  // dimension the model's shape_signature marks -1), as TFLite's
  // ResizeInputTensor then AllocateTensors do: every node is prepared again
  // for the new shapes and the arena is planned again, so tensor addresses
  // and byte sizes change and input data must be set again. On error (a
  // node that cannot take the shape) the interpreter is left as it was.
  // Variable tensors get their initial values back (as TFLite resets them
  // when it allocates tensors again) and resource variables start
  // unassigned: a resize starts a new sequence.
  Status ResizeInput(int i, const std::vector<int32_t>& shape);

  // Gives every variable tensor (state that SVDF, RNN... keep from one Invoke
  // to the next) its initial value again: its buffer's bytes if the model has
  // them, else zeros (the zero point, for int8, as TFLite's
  // ResetVariableTensor). Create() starts from these values too. Resource
  // variables (VAR_HANDLE) go back to unassigned and CALL_ONCE nodes run
  // their init subgraph again on the next Invoke; TFLite's
  // ResetVariableTensors leaves those two as they are, so that a reset there
  // keeps the values the init subgraph assigned.
  Status ResetVariables();

  Status Invoke();
  // Invoke, calling `after_node(node_index)` once each node has run, while its
  // outputs are still intact in the arena (calibration, per-layer comparison).
  Status Invoke(const std::function<void(int node)>& after_node);

  // Bytes of the one arena holding every non-constant tensor and scratch buffer.
  size_t arena_bytes() const { return arena_bytes_; }
  // Sum of the byte sizes of all arena tensors, as if each had its own buffer.
  size_t unplanned_bytes() const { return unplanned_bytes_; }

  const Model& model() const { return *model_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }
  KernelSet kernel_set() const { return options_.kernels; }
  const InterpreterOptions& options() const { return options_; }
  int num_nodes() const { return static_cast<int>(nodes_.size()); }
  const char* node_kernel_name(int node) const { return nodes_[node].kernel->name; }
  // The pool kernels split work over (options().threads threads; subgraph
  // interpreters share their parent's).
  ThreadPool* thread_pool() const { return thread_pool_.get(); }

  // Wall time of each node in the last Invoke(), in microseconds; zeros unless
  // the interpreter was created with options.profile.
  const std::vector<double>& node_microseconds() const { return node_us_; }

  // Set for an interpreter that runs one of the model's other subgraphs for
  // a CALL, IF, WHILE or STABLEHLO_COMPOSITE node (core/subgraph.h);
  // nullptr for Create()'s.
  const SubgraphScope* subgraph_scope() const { return subgraph_scope_.get(); }

  // The resource variables and CALL_ONCE record of the interpreter Create()
  // made, shared with every child interpreter (core/resource_variables.h).
  // Kernels change it through a const Interpreter: it is state of the run,
  // not of the graph.
  ResourceVariables* resources() const { return resources_.get(); }

 private:
  friend Status CreateSubgraphInterpreter(const Interpreter& parent, int index,
                                          const std::vector<const Tensor*>& inputs,
                                          std::unique_ptr<Interpreter>* out);
  Interpreter();  // out of line: DynamicTensors is incomplete here
  Status Build();
  Interpreter& operator=(Interpreter&&);  // ResizeInput takes a fresh one's state
  Status BindConstant(Tensor* tensor, const Buffer& buffer);
  Status BindVariable(Tensor* tensor);
  Status BindSparseConstant(Tensor* tensor, const Buffer& buffer);
  void ResetVariableTensors();
  bool AllInputsConstant(const Node& node) const;
  Status FoldNode(Node* node);
  bool ReadsDynamicTensor(const Node& node) const;
  Status RunNode(OpContext& ctx, const std::function<void(int node)>& after_node);
  Status InvokeDynamic(const std::function<void(int node)>& after_node);
  Status PlanArena();
  void FuseNodes();

  std::shared_ptr<const Model> model_;
  InterpreterOptions options_;
  std::vector<Tensor> tensors_;
  std::vector<Node> nodes_;
  std::vector<ScratchBuffer> scratch_;
  // Constants the interpreter owns: aligned copies of misaligned file data,
  // and the outputs of nodes folded at prepare time.
  std::vector<std::vector<uint8_t>> owned_constants_;
  size_t folded_bytes_ = 0;  // of owned_constants_, the folded outputs
  // Variable tensors' memory, one block each, never shared with the arena.
  std::vector<std::vector<uint8_t>> variable_storage_;
  size_t variable_bytes_ = 0;
  std::vector<uint8_t> arena_storage_;
  size_t arena_bytes_ = 0;
  size_t unplanned_bytes_ = 0;
  std::vector<double> node_us_;
  std::shared_ptr<const SubgraphScope> subgraph_scope_;
  std::shared_ptr<ResourceVariables> resources_;
  std::shared_ptr<ThreadPool> thread_pool_;
  // Only for a model with tensors whose shape is known only at run time.
  std::unique_ptr<DynamicTensors> dynamic_;
};

}  // namespace qlite
