#include "gui/app/model_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <type_traits>

#include "core/describe.h"
#include "core/float16.h"
#include "core/format/model_reader.h"
#include "kernels_wasm/register_kernels.h"

namespace qlite::gui {

namespace {

// The op that writes tensor `t`, or -1.
int Producer(const Model& model, int t) {
  for (size_t n = 0; n < model.operators.size(); ++n) {
    for (int32_t out : model.operators[n].outputs) {
      if (out == t) return static_cast<int>(n);
    }
  }
  return -1;
}

void Softmax(const ClassScores& logits, ClassScores* probs) {
  const float top = *std::max_element(logits.begin(), logits.end());
  double sum = 0.0;
  for (int i = 0; i < kNumClasses; ++i) {
    (*probs)[i] = std::exp(logits[i] - top);
    sum += (*probs)[i];
  }
  for (float& p : *probs) p = static_cast<float>(p / sum);
}

}  // namespace

std::string DescribeTensor(const TensorDef& t) {
  std::string shape = "[";
  for (size_t i = 0; i < t.shape.size(); ++i) shape += StrCat(i ? "," : "", t.shape[i]);
  shape += "]";
  std::string text = StrCat(DTypeName(t.type), " ", shape);
  if (!t.quant.empty()) text += " " + DescribeQuantization(t.quant);
  return text;
}

std::string CountList(const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, int>> counts;
  for (const std::string& item : items) {
    auto it =
        std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == item; });
    if (it == counts.end()) {
      counts.push_back({item, 1});
    } else {
      ++it->second;
    }
  }
  std::string out;
  for (const auto& [item, count] : counts) {
    if (!out.empty()) out += ", ";
    out += StrCat(item, " x", count);
  }
  return out.empty() ? "-" : out;
}

int ArgMax(const ClassScores& scores) {
  return static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

bool IsFloatModel(const Model& model) {
  for (const TensorDef& t : model.tensors) {
    if (!t.quant.empty()) return false;
    if (t.type != DType::kFloat32 && t.type != DType::kInt32) return false;
  }
  return true;
}

bool EndsInSoftmax(const Model& model) {
  if (model.outputs.size() != 1) return false;
  int t = model.outputs[0];
  for (int hops = 0; hops < 8; ++hops) {
    const int node = Producer(model, t);
    if (node < 0) return false;
    const OperatorDef& op = model.operators[node];
    if (op.op == BuiltinOp::kSoftmax) return true;
    const bool passes_values = op.op == BuiltinOp::kQuantize || op.op == BuiltinOp::kDequantize ||
                               op.op == BuiltinOp::kReshape || op.op == BuiltinOp::kSqueeze;
    if (!passes_values || op.inputs.empty() || op.inputs[0] < 0) return false;
    t = op.inputs[0];
  }
  return false;
}

int CountSimdNodes(const Interpreter& interpreter) {
  int simd = 0;
  for (int n = 0; n < interpreter.num_nodes(); ++n) {
    simd += std::string(interpreter.node_kernel_name(n)).find("simd") != std::string::npos;
  }
  return simd;
}

std::string DigitClassifierMismatch(const Interpreter& interpreter) {
  if (interpreter.num_inputs() != 1 || interpreter.num_outputs() != 1) {
    return StrCat("has ", interpreter.num_inputs(), " inputs and ", interpreter.num_outputs(),
                  " outputs; the digit demo needs one 28x28 image input and one output of 10 "
                  "classes");
  }
  const Tensor* in = &interpreter.tensors()[interpreter.model().inputs[0]];
  const Tensor* out = interpreter.output(0);
  if (in->num_elements() != kMnistPixels) {
    return StrCat("has input '", in->name(), "' of shape ", ShapeToString(in->shape), " (",
                  in->num_elements(), " values); the digit demo feeds 28x28 = 784 pixels");
  }
  const DType t = in->type;
  if (t != DType::kFloat32 &&
      !((t == DType::kUInt8 || t == DType::kInt8 || t == DType::kInt16) && in->has_quant())) {
    return StrCat("has input '", in->name(), "' of dtype ", DTypeName(t),
                  (in->has_quant() ? "" : " without quantization"),
                  "; the demo feeds float32 or quantized uint8/int8/int16 images");
  }
  if (out->num_elements() != kNumClasses) {
    return StrCat("has output '", out->name(), "' of shape ", ShapeToString(out->shape),
                  "; the digit demo needs 10 class scores");
  }
  return "";
}

ModelCard DescribeModel(const std::string& name, const Model& model, size_t file_bytes,
                        size_t arena_bytes) {
  ModelCard card;
  card.name = name;
  card.file_bytes = file_bytes;
  card.arena_bytes = arena_bytes;
  card.num_tensors = static_cast<int>(model.tensors.size());
  card.num_ops = static_cast<int>(model.operators.size());
  std::vector<std::string> ops, weights, activations;
  for (const OperatorDef& op : model.operators) ops.push_back(BuiltinOpName(op.op));
  for (size_t t = 0; t < model.tensors.size(); ++t) {
    const TensorDef& def = model.tensors[t];
    (model.is_constant(static_cast<int>(t)) ? weights : activations).push_back(DTypeName(def.type));
  }
  card.ops = CountList(ops);
  card.weight_types = CountList(weights);
  card.activation_types = CountList(activations);
  if (!model.inputs.empty()) card.input = DescribeTensor(model.tensors[model.inputs[0]]);
  if (!model.outputs.empty()) card.output = DescribeTensor(model.tensors[model.outputs[0]]);
  card.float_model = IsFloatModel(model);
  card.outputs_probabilities = EndsInSoftmax(model);
  return card;
}

Status DequantizeTensor(const Tensor& tensor, std::vector<float>* values) {
  const int64_t count = tensor.num_elements();
  QLITE_ENSURE(count >= 0 && tensor.data != nullptr, "tensor '", tensor.name(), "' has no data");
  values->resize(static_cast<size_t>(count));
  const bool quantized = tensor.has_quant();
  const float scale = quantized ? tensor.scale() : 1.0f;
  const int32_t zero = quantized ? tensor.zero_point() : 0;
  auto convert = [&](auto* data) {
    for (int64_t i = 0; i < count; ++i) {
      (*values)[i] =
          quantized ? scale * (static_cast<float>(data[i]) - zero) : static_cast<float>(data[i]);
    }
  };
  switch (tensor.type) {
    case DType::kFloat32: convert(tensor.data_as<float>()); break;
    case DType::kInt8: convert(tensor.data_as<int8_t>()); break;
    case DType::kUInt8: convert(tensor.data_as<uint8_t>()); break;
    case DType::kInt16: convert(tensor.data_as<int16_t>()); break;
    case DType::kInt32: convert(tensor.data_as<int32_t>()); break;
    case DType::kFloat16:
      for (int64_t i = 0; i < count; ++i) (*values)[i] = HalfToFloat(tensor.data_as<uint16_t>()[i]);
      break;
    default:
      return Status::Error(StrCat("tensor '", tensor.name(), "' has dtype ", DTypeName(tensor.type),
                                  ", which the demo cannot read as numbers"));
  }
  return Status::Ok();
}

Status ModelRunner::Create(const std::string& name,
                           std::shared_ptr<const std::vector<uint8_t>> bytes,
                           std::unique_ptr<ModelRunner>* out, Arithmetic arithmetic, int threads) {
  QLITE_ENSURE(bytes != nullptr && !bytes->empty(), "model '", name, "': the file is empty");
  auto model = std::make_shared<Model>();
  QLITE_RETURN_IF_ERROR(ReadModel(bytes, model.get()).WithContext(StrCat("model '", name, "': ")));
  std::unique_ptr<ModelRunner> runner(new ModelRunner());
  runner->bytes_ = bytes;
  runner->model_ = model;
  // The SIMD kernels give the reference kernels' bytes, several times faster;
  // nodes they do not cover run the reference kernels.
  RegisterSimdKernels();
  InterpreterOptions options;
  options.kernels = KernelSet::kSimd;
  options.fuse_nodes = false;  // the layer view reads every node's output
  options.arithmetic = arithmetic;
  options.threads = threads;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(runner->model_, options, &runner->interpreter_)
                            .WithContext(StrCat("model '", name, "': ")));
  const std::string mismatch = DigitClassifierMismatch(*runner->interpreter_);
  QLITE_ENSURE(mismatch.empty(), "model '", name, "' ", mismatch);
  const Tensor* in = runner->interpreter_->input(0);
  runner->card_ = DescribeModel(name, *model, bytes->size(), runner->interpreter_->arena_bytes());
  runner->card_.simd_nodes = CountSimdNodes(*runner->interpreter_);
  runner->input_bytes_.resize(in->bytes);
  *out = std::move(runner);
  return Status::Ok();
}

Status ModelRunner::SetImage(const MnistImage& image) {
  Tensor* in = interpreter_->input(0);
  uint8_t* bytes = input_bytes_.data();
  auto quantize = [&](auto* data, int lo, int hi) {
    const float scale = in->scale();
    const int zero = in->zero_point();
    for (int i = 0; i < kMnistPixels; ++i) {
      const long q = std::lround(image[i] / scale) + zero;
      data[i] = static_cast<std::remove_pointer_t<decltype(data)>>(std::clamp<long>(q, lo, hi));
    }
  };
  switch (in->type) {
    case DType::kFloat32:
      std::copy(image.begin(), image.end(), reinterpret_cast<float*>(bytes));
      break;
    case DType::kUInt8: quantize(bytes, 0, 255); break;
    case DType::kInt8: quantize(reinterpret_cast<int8_t*>(bytes), -128, 127); break;
    case DType::kInt16: quantize(reinterpret_cast<int16_t*>(bytes), -32768, 32767); break;
    default: return Status::Error(StrCat("model '", name(), "': unsupported input dtype"));
  }
  return interpreter_->SetInput(0, bytes, input_bytes_.size());
}

Status ModelRunner::ReadScores(ClassScores* outputs, ClassScores* probs) const {
  std::vector<float> values;
  QLITE_RETURN_IF_ERROR(DequantizeTensor(*interpreter_->output(0), &values));
  std::copy(values.begin(), values.begin() + kNumClasses, outputs->begin());
  if (card_.outputs_probabilities) {
    *probs = *outputs;
  } else {
    Softmax(*outputs, probs);
  }
  return Status::Ok();
}

Status ModelRunner::Classify(const MnistImage& image, ClassScores* probs) {
  QLITE_RETURN_IF_ERROR(SetImage(image));
  QLITE_RETURN_IF_ERROR(interpreter_->Invoke().WithContext(StrCat("model '", name(), "': ")));
  ClassScores outputs;
  return ReadScores(&outputs, probs);
}

Status ModelRunner::Run(const MnistImage& image) {
  QLITE_RETURN_IF_ERROR(SetImage(image));
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  QLITE_RETURN_IF_ERROR(interpreter_->Invoke().WithContext(StrCat("model '", name(), "': ")));
  const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  times_us_[num_times_ % kRollingRuns] = us;
  ++num_times_;
  const int n = std::min(num_times_, kRollingRuns);
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += times_us_[i];
  Prediction& p = prediction_;
  QLITE_RETURN_IF_ERROR(ReadScores(&p.outputs, &p.probs));
  p.top1 = ArgMax(p.probs);
  p.confidence = p.probs[p.top1];
  p.last_us = us;
  p.rolling_us = sum / n;
  p.valid = true;
  return Status::Ok();
}

}  // namespace qlite::gui
