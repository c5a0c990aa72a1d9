#include "core/describe.h"

#include <algorithm>
#include <string>

#include "core/interpreter.h"
#include "core/op_table.h"
#include "core/signature.h"
#include "core/status.h"
#include "core/tensor.h"

namespace qlite {

namespace {

// StrCat for this file alone. Internal, so the side module qlite-quantize.wasm,
// which carries this file, defines each use itself: StrCat's instantiations
// would be imported from qlite.wasm, which has no room to export them.
template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  (str_internal::Append(&out, pieces), ...);
  return out;
}

// printf's "%-Ns" / "%Ns", without pulling printf into the wasm modules.
std::string PadRight(std::string s, size_t width) {
  while (s.size() < width) s.push_back(' ');
  return s;
}

std::string PadLeft(const std::string& s, size_t width) {
  std::string out;
  while (out.size() + s.size() < width) out.push_back(' ');
  return out + s;
}

std::string IdList(const std::vector<int32_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) s += Cat(i ? "," : "", ids[i]);
  return s;
}

std::string NameList(const std::vector<SignatureTensor>& entries) {
  std::string names;
  for (const SignatureTensor& e : entries) names += (names.empty() ? "" : ", ") + e.name;
  return names;
}

// TensorByteSize's size, 0 where it fails (an unknown dtype, a rank over 8, a
// dynamic or over-1-GiB shape). Not a call to it: qlite.wasm does not export it.
size_t TableBytes(DType type, const Shape& shape) {
  const int64_t count = ShapeElementCount(shape);
  const int64_t bytes = count * static_cast<int64_t>(DTypeSize(type));
  return shape.size() <= 8 && count >= 0 && bytes <= (int64_t{1} << 30) ? bytes : 0;
}

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

// The tensor table of `model`'s main subgraph; shapes as `interpreter` prepared them, if given.
std::string TensorTable(const Model& model, const Interpreter* interpreter) {
  std::string out = Cat("\nTensors\n", PadLeft("index", 5), "  ", PadRight("name", 36), " ",
                        PadRight("dtype", 8), " ", PadRight("storage", 7), " ",
                        PadLeft("bytes", 10), "  ", PadRight("shape", 18), " quantization\n");
  for (size_t t = 0; t < model.tensors.size(); ++t) {
    const TensorDef& def = model.tensors[t];
    const Tensor* rt = interpreter ? &interpreter->tensors()[t] : nullptr;
    const Shape& shape = rt ? rt->shape : def.shape;
    const size_t bytes = TableBytes(def.type, shape);
    std::string name = def.name;
    if (name.size() > 36) name = std::string("...").append(name.data() + name.size() - 33, 33);
    out += Cat(PadLeft(Cat(t), 5), "  ", PadRight(name, 36), " ", PadRight(DTypeName(def.type), 8),
               " ", PadRight(StorageLabel(model, rt, static_cast<int>(t)), 7), " ",
               PadLeft(Cat(bytes), 10), "  ", PadRight(ShapeToString(shape), 18), " ",
               DescribeQuantization(def.quant), "\n");
  }
  return out;
}

std::string OperatorTable(const Model& model) {
  std::string out = Cat("\nOperators\n", PadLeft("node", 5), "  ", PadRight("op", 18), " ",
                        PadRight("version", 7), " ", PadRight("inputs", 14), " ",
                        PadRight("outputs", 10), " options\n");
  for (size_t n = 0; n < model.operators.size(); ++n) {
    const OperatorDef& op = model.operators[n];
    std::string name = BuiltinOpName(op.op);
    if (op.op == BuiltinOp::kCustom) name += "(" + op.custom_code + ")";
    out += Cat(PadLeft(Cat(n), 5), "  ", PadRight(name, 18), " ", PadRight(Cat(op.version), 7), " ",
               PadRight(IdList(op.inputs), 14), " ", PadRight(IdList(op.outputs), 10), " ",
               DescribeOptions(op), "\n");
  }
  return out;
}

}  // namespace

std::string DescribeQuantization(const Quantization& q) {
  if (q.scale.empty()) return "-";
  if (q.scale.size() == 1) {
    return Cat("scale=", q.scale[0], " zp=", (q.zero_point.empty() ? 0 : q.zero_point[0]));
  }
  const auto [lo, hi] = std::minmax_element(q.scale.begin(), q.scale.end());
  return Cat("per-channel(dim ", q.quantized_dimension, ") x", q.scale.size(), " scale=[", *lo,
             "..", *hi, "]");
}

std::string DescribeSubgraph(const Model& model, int index) {
  const bool main = index == 0;
  const Subgraph* sub = main ? nullptr : &model.subgraphs[static_cast<size_t>(index - 1)];
  return Cat("subgraph ", index, " '", main ? model.subgraph_name : sub->name,
             "': ", main ? model.tensors.size() : sub->tensors.size(), " tensors, ",
             main ? model.operators.size() : sub->operators.size(), " operators, inputs [",
             IdList(main ? model.inputs : sub->inputs), "] outputs [",
             IdList(main ? model.outputs : sub->outputs), "]");
}

// Declared in core/signature.h; here so that it shares Cat.
std::string DescribeSignatures(const Model& model) {
  std::string text;
  for (const SignatureDef& s : model.signatures) {
    text +=
        Cat("signature '", s.key, "'", s.subgraph != 0 ? Cat(" (subgraph ", s.subgraph, ")") : "",
            ": (", NameList(s.inputs), ") -> (", NameList(s.outputs), ")\n");
  }
  return text;
}

std::string DescribeModel(const Model& model, const Interpreter* interpreter,
                          const Status& runnable) {
  std::string out = Cat("schema version ", model.version, ", ", model.tensors.size(), " tensors, ",
                        model.operators.size(), " operators, ", model.buffers.size(), " buffers");
  if (model.num_subgraphs() > 1) out += Cat(", ", model.num_subgraphs(), " subgraphs");
  if (!model.description.empty()) out += Cat(", description \"", model.description, "\"");
  out += Cat("\ninputs [", IdList(model.inputs), "]  outputs [", IdList(model.outputs), "]\n");
  for (const MetadataEntry& m : model.metadata) {
    out += Cat("metadata '", m.name, "' (buffer ", m.buffer, ")\n");
  }
  out += DescribeSignatures(model);
  out += TensorTable(model, interpreter) + OperatorTable(model);
  for (int i = 1; i < model.num_subgraphs(); ++i) {
    const Model view = model.SubgraphView(i);
    out += Cat("\n", DescribeSubgraph(model, i), "\n", TensorTable(view, nullptr),
               OperatorTable(view));
  }
  if (!runnable.ok() || interpreter == nullptr) {
    return out += Cat("\ncannot run with qlite: ", runnable.message(), "\n");
  }
  // KernelSetName's words: qlite.wasm does not export it.
  const bool simd = interpreter->kernel_set() == KernelSet::kSimd;
  return out +=
         Cat("\nkernels: ", simd ? "simd" : "reference", "\narena: ", interpreter->arena_bytes(),
             " bytes (", interpreter->unplanned_bytes(),
             " bytes if every intermediate had its own buffer)\n");
}

}  // namespace qlite
