#include "core/format/model_reader.h"

#include <cstring>
#include <iterator>

#include "core/format/options_io.h"
#include "core/format/schema.h"
#include "core/model_check.h"
#include "core/op_table.h"

namespace qlite {

namespace {

constexpr uint32_t kSchemaVersion = 3;

// Copies the bytes: the verifier checks a vector's alignment to 4 bytes only,
// so the elements of an int64 vector may sit misaligned for a typed read.
template <typename T>
std::vector<T> ToVector(const flatbuffers::Vector<T>* v) {
  std::vector<T> out(v ? v->size() : 0);
  if (!out.empty()) std::memcpy(out.data(), v->Data(), out.size() * sizeof(T));
  return out;
}

std::string ToString(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

Status ReadBuffers(const tfl::Model& fb, const std::shared_ptr<const std::vector<uint8_t>>& bytes,
                   Model* model) {
  const auto* buffers = fb.buffers();
  if (buffers == nullptr || buffers->size() == 0) {
    model->buffers.emplace_back();  // a model with no constants still has the sentinel
    return Status::Ok();
  }
  const uint64_t file_size = bytes->size();
  model->buffers.resize(buffers->size());
  for (flatbuffers::uoffset_t i = 0; i < buffers->size(); ++i) {
    const tfl::Buffer* fb_buffer = buffers->Get(i);
    Buffer& buffer = model->buffers[i];
    buffer.storage = bytes;
    if (fb_buffer == nullptr) continue;
    if (fb_buffer->data() != nullptr && fb_buffer->data()->size() > 0) {
      buffer.data = fb_buffer->data()->data();
      buffer.size = fb_buffer->data()->size();
    } else if (fb_buffer->offset() > 1 && fb_buffer->size() > 0) {
      // Data stored after the flatbuffer (models over 2 GB use this layout).
      const uint64_t offset = fb_buffer->offset(), size = fb_buffer->size();
      QLITE_ENSURE(offset <= file_size && size <= file_size - offset, "buffer ", i,
                   " points at bytes [", offset, ", ", offset + size,
                   ") past the end of the file (", file_size, " bytes)");
      buffer.data = bytes->data() + offset;
      buffer.size = static_cast<size_t>(size);
    }
  }
  return Status::Ok();
}

Status ReadQuantization(const tfl::QuantizationParameters* q, TensorDef* tensor) {
  if (q == nullptr) return Status::Ok();
  QLITE_ENSURE(q->details_type() == tfl::QuantizationDetails::NONE,
               "custom quantization is not supported");
  tensor->quant.scale = ToVector(q->scale());
  tensor->quant.zero_point = ToVector(q->zero_point());
  tensor->quant.min = ToVector(q->min());
  tensor->quant.max = ToVector(q->max());
  tensor->quant.quantized_dimension = q->quantized_dimension();
  return Status::Ok();
}

// A SparseIndexVector union as int32 values, keeping the width it was stored with.
Status ReadSparseIndices(tfl::SparseIndexVector type, const void* table, const char* what,
                         std::vector<int32_t>* out, SparseIndexType* out_type) {
  QLITE_ENSURE(table != nullptr, "a SPARSE_CSR dim has no ", what);
  switch (type) {
    case tfl::SparseIndexVector::Int32Vector: {
      *out = ToVector(static_cast<const tfl::Int32Vector*>(table)->values());
      break;
    }
    case tfl::SparseIndexVector::Uint16Vector: {
      const auto* v = static_cast<const tfl::Uint16Vector*>(table)->values();
      if (v != nullptr) out->assign(v->begin(), v->end());
      break;
    }
    case tfl::SparseIndexVector::Uint8Vector: {
      const auto* v = static_cast<const tfl::Uint8Vector*>(table)->values();
      if (v != nullptr) out->assign(v->begin(), v->end());
      break;
    }
    default: return Status::Error(StrCat("a SPARSE_CSR dim has no ", what));
  }
  *out_type = static_cast<SparseIndexType>(type);
  return Status::Ok();
}

// The metadata only; CheckModel checks it against the shape and the values.
Status ReadSparsity(const tfl::SparsityParameters* fb, TensorDef* tensor) {
  if (fb == nullptr) return Status::Ok();
  Sparsity& sp = tensor->sparsity;
  sp.traversal_order = ToVector(fb->traversal_order());
  sp.block_map = ToVector(fb->block_map());
  QLITE_ENSURE(!sp.traversal_order.empty(), "sparsity has no traversal_order");
  const auto* dims = fb->dim_metadata();
  QLITE_ENSURE(dims != nullptr, "sparsity has no dim_metadata");
  for (const tfl::DimensionMetadata* fb_dim : *dims) {
    QLITE_ENSURE(fb_dim != nullptr, "sparsity has a missing dim_metadata entry");
    SparseDim dim;
    dim.csr = fb_dim->format() == tfl::DimensionType::SPARSE_CSR;
    QLITE_ENSURE(dim.csr || fb_dim->format() == tfl::DimensionType::DENSE,
                 "dim_metadata has an unknown format ", static_cast<int>(fb_dim->format()));
    dim.dense_size = fb_dim->dense_size();
    if (dim.csr) {
      QLITE_RETURN_IF_ERROR(ReadSparseIndices(fb_dim->array_segments_type(),
                                              fb_dim->array_segments(), "array_segments",
                                              &dim.segments, &dim.segments_type));
      QLITE_RETURN_IF_ERROR(ReadSparseIndices(fb_dim->array_indices_type(), fb_dim->array_indices(),
                                              "array_indices", &dim.indices, &dim.indices_type));
    }
    sp.dims.push_back(std::move(dim));
  }
  return Status::Ok();
}

std::vector<SignatureTensor> ReadTensorMaps(
    const flatbuffers::Vector<flatbuffers::Offset<tfl::TensorMap>>* maps) {
  std::vector<SignatureTensor> tensors;
  if (maps == nullptr) return tensors;
  for (const tfl::TensorMap* map : *maps) {
    if (map == nullptr) continue;
    const uint32_t index = map->tensor_index();
    // An index past int32 cannot name a tensor; CheckModel rejects the -1.
    tensors.push_back(
        {ToString(map->name()), index > INT32_MAX ? -1 : static_cast<int32_t>(index)});
  }
  return tensors;
}

Status ReadSignatures(const tfl::Model& fb, Model* model) {
  const auto* defs = fb.signature_defs();
  if (defs == nullptr) return Status::Ok();
  for (const tfl::SignatureDef* def : *defs) {
    QLITE_ENSURE(def != nullptr, "a signature def is missing");
    model->signatures.push_back({ToString(def->signature_key()), def->subgraph_index(),
                                 ReadTensorMaps(def->inputs()), ReadTensorMaps(def->outputs())});
  }
  return Status::Ok();
}

Status ReadTensors(const tfl::SubGraph& subgraph, std::vector<TensorDef>* out) {
  const auto* tensors = subgraph.tensors();
  if (tensors == nullptr) return Status::Ok();
  out->resize(tensors->size());
  for (flatbuffers::uoffset_t i = 0; i < tensors->size(); ++i) {
    const tfl::Tensor* fb = tensors->Get(i);
    TensorDef& tensor = (*out)[i];
    QLITE_ENSURE(fb != nullptr, "tensor ", i, " is missing");
    tensor.name = ToString(fb->name());
    const std::string label = StrCat("tensor ", i, " '", tensor.name, "': ");
    const int type = static_cast<int>(fb->type());
    QLITE_ENSURE(IsValidDType(type), label, "invalid dtype ", type);
    tensor.type = static_cast<DType>(type);
    tensor.shape = ToVector(fb->shape());
    tensor.shape_signature = ToVector(fb->shape_signature());
    tensor.buffer = fb->buffer();
    tensor.is_variable = fb->is_variable();
    Status s = ReadQuantization(fb->quantization(), &tensor);
    if (s.ok()) s = ReadSparsity(fb->sparsity(), &tensor);
    if (!s.ok()) return s.WithContext(label);
  }
  return Status::Ok();
}

Status ReadOperators(const tfl::Model& fb_model, const tfl::SubGraph& subgraph,
                     std::vector<OperatorDef>* out) {
  std::vector<std::pair<BuiltinOp, int32_t>> codes;  // (op, version)
  std::vector<std::string> custom_codes;
  if (const auto* op_codes = fb_model.operator_codes()) {
    for (flatbuffers::uoffset_t i = 0; i < op_codes->size(); ++i) {
      const tfl::OperatorCode* code = op_codes->Get(i);
      QLITE_ENSURE(code != nullptr, "operator code ", i, " is missing");
      // Older files only fill the byte-sized field, newer ones both.
      const int32_t builtin = std::max<int32_t>(code->deprecated_builtin_code(),
                                                static_cast<int32_t>(code->builtin_code()));
      codes.emplace_back(static_cast<BuiltinOp>(builtin), code->version());
      custom_codes.push_back(ToString(code->custom_code()));
    }
  }
  const auto* operators = subgraph.operators();
  if (operators == nullptr) return Status::Ok();
  out->resize(operators->size());
  for (flatbuffers::uoffset_t n = 0; n < operators->size(); ++n) {
    const tfl::Operator* fb = operators->Get(n);
    QLITE_ENSURE(fb != nullptr, "node ", n, " is missing");
    QLITE_ENSURE(fb->opcode_index() < codes.size(), "node ", n, ": opcode index ",
                 fb->opcode_index(), " is out of range (", codes.size(), " operator codes)");
    OperatorDef& op = (*out)[n];
    op.op = codes[fb->opcode_index()].first;
    op.version = codes[fb->opcode_index()].second;
    op.custom_code = custom_codes[fb->opcode_index()];
    op.inputs = ToVector(fb->inputs());
    op.outputs = ToVector(fb->outputs());
    op.intermediates = ToVector(fb->intermediates());
    if (const auto* custom = fb->custom_options()) {
      op.custom_options.assign(custom->begin(), custom->end());
    }
    // Ops qlite does not know keep no options; the interpreter names them.
    const OpRow* row = FindOpRow(op);
    if (row == nullptr || row->options == nullptr) continue;
    const Status s = row->options->Read(*fb, &op.options);
    if (!s.ok()) return s.WithContext(StrCat("node ", n, " (", BuiltinOpName(op.op), "): "));
  }
  return Status::Ok();
}

Status ReadSubgraph(const tfl::Model& fb_model, int index, Subgraph* out) {
  const tfl::SubGraph* subgraph = fb_model.subgraphs()->Get(index);
  QLITE_ENSURE(subgraph != nullptr, "subgraph ", index, " is missing");
  out->name = ToString(subgraph->name());
  QLITE_RETURN_IF_ERROR(ReadTensors(*subgraph, &out->tensors));
  QLITE_RETURN_IF_ERROR(ReadOperators(fb_model, *subgraph, &out->operators));
  out->inputs = ToVector(subgraph->inputs());
  out->outputs = ToVector(subgraph->outputs());
  return Status::Ok();
}

}  // namespace

Status ReadModel(std::shared_ptr<const std::vector<uint8_t>> bytes, Model* model) {
  *model = Model();
  QLITE_ENSURE(bytes != nullptr, "no model bytes");
  const size_t size = bytes->size();
  QLITE_ENSURE(size >= 8, "model is too small to be a .tflite file (", size, " bytes)");
  QLITE_ENSURE(size < (size_t{1} << 31), "model is larger than 2 GiB");
  const uint8_t* data = bytes->data();
  if (!tfl::ModelBufferHasIdentifier(data)) {
    std::string id(reinterpret_cast<const char*>(data) + 4, 4);
    for (char& c : id) {
      if (c < 32 || c > 126) c = '?';
    }
    return Status::Error(
        StrCat("not a TFLite model: file identifier is '", id, "', expected 'TFL3'"));
  }
  flatbuffers::Verifier verifier(data, size, /*max_depth=*/64, /*max_tables=*/1000000);
  QLITE_ENSURE(tfl::VerifyModelBuffer(verifier),
               "model failed flatbuffer verification (truncated or corrupt file)");

  const tfl::Model* fb = tfl::GetModel(data);
  QLITE_ENSURE(fb->version() == kSchemaVersion, "schema version ", fb->version(),
               " is not supported (expected ", kSchemaVersion, ")");
  QLITE_ENSURE(fb->subgraphs() != nullptr && fb->subgraphs()->size() > 0, "model has no subgraph");

  model->version = fb->version();
  model->description = ToString(fb->description());
  QLITE_RETURN_IF_ERROR(ReadBuffers(*fb, bytes, model));
  Subgraph main;
  QLITE_RETURN_IF_ERROR(ReadSubgraph(*fb, 0, &main));
  model->subgraph_name = std::move(main.name);
  model->tensors = std::move(main.tensors);
  model->operators = std::move(main.operators);
  model->inputs = std::move(main.inputs);
  model->outputs = std::move(main.outputs);
  model->subgraphs.resize(fb->subgraphs()->size() - 1);
  for (size_t i = 0; i < model->subgraphs.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    const Status s = ReadSubgraph(*fb, index, &model->subgraphs[i]);
    if (!s.ok()) return s.WithContext(StrCat("subgraph ", index, ": "));
  }
  if (const auto* metadata = fb->metadata()) {
    for (const tfl::Metadata* m : *metadata) {
      if (m != nullptr) model->metadata.push_back({ToString(m->name()), m->buffer()});
    }
  }
  QLITE_RETURN_IF_ERROR(ReadSignatures(*fb, model));
  return CheckModel(*model);
}

Status ReadModelFromBytes(const uint8_t* data, size_t size, Model* model) {
  auto bytes = std::make_shared<std::vector<uint8_t>>(data, data + size);
  return ReadModel(std::move(bytes), model);
}

}  // namespace qlite
