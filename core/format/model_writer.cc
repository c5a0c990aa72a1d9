#include "core/format/model_writer.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <tuple>

#include "core/format/options_io.h"
#include "core/format/schema.h"
#include "core/model_check.h"
#include "core/op_table.h"

namespace qlite {

namespace {

constexpr size_t kBufferAlignment = 16;

// Collects buffers, storing identical contents once. Index 0 is the empty sentinel.
class BufferTable {
 public:
  BufferTable() { contents_.push_back({}); }

  uint32_t Add(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::string key(reinterpret_cast<const char*>(data), size);
    auto [it, inserted] = index_.emplace(std::move(key), static_cast<uint32_t>(contents_.size()));
    if (inserted) contents_.push_back({data, size});
    return it->second;
  }

  // A constant with no elements (an empty axis list) still needs a buffer of
  // its own: buffer 0 would make it a tensor that nothing computes.
  uint32_t AddEmptyConstant() {
    if (empty_constant_ == 0) {
      empty_constant_ = static_cast<uint32_t>(contents_.size());
      contents_.push_back({nullptr, 0});
    }
    return empty_constant_;
  }

  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<tfl::Buffer>>> Write(
      flatbuffers::FlatBufferBuilder& b) const {
    std::vector<flatbuffers::Offset<tfl::Buffer>> buffers;
    for (const auto& [data, size] : contents_) {
      if (size == 0) {
        buffers.push_back(tfl::CreateBuffer(b));
        continue;
      }
      b.ForceVectorAlignment(size, 1, kBufferAlignment);
      buffers.push_back(tfl::CreateBuffer(b, b.CreateVector(data, size)));
    }
    return b.CreateVector(buffers);
  }

 private:
  std::vector<std::pair<const uint8_t*, size_t>> contents_;
  std::map<std::string, uint32_t> index_;
  uint32_t empty_constant_ = 0;
};

flatbuffers::Offset<tfl::QuantizationParameters> WriteQuantization(
    flatbuffers::FlatBufferBuilder& b, const Quantization& q) {
  if (q.scale.empty() && q.min.empty() && q.max.empty()) return 0;
  auto vec_or_null = [&](const auto& v) { return v.empty() ? 0 : b.CreateVector(v); };
  // Children are written last argument first, in named steps: C++ leaves the
  // order of argument evaluation open, and GCC and Clang (the wasm build)
  // differ, which would lay the same model out differently.
  const auto zero_point = vec_or_null(q.zero_point);
  const auto scale = vec_or_null(q.scale);
  const auto max = vec_or_null(q.max);
  const auto min = vec_or_null(q.min);
  return tfl::CreateQuantizationParameters(
      b, min, max, scale, zero_point, tfl::QuantizationDetails::NONE, 0, q.quantized_dimension);
}

// One SparseIndexVector in the width the model asks for.
Status WriteSparseIndices(flatbuffers::FlatBufferBuilder& b, const std::vector<int32_t>& v,
                          SparseIndexType type, flatbuffers::Offset<void>* out) {
  const int64_t max = type == SparseIndexType::kUint8    ? 0xff
                      : type == SparseIndexType::kUint16 ? 0xffff
                                                         : INT32_MAX;
  for (int32_t x : v) {
    QLITE_ENSURE(x >= 0 && x <= max, "sparse index ", x, " does not fit its index vector");
  }
  // The schema aligns the narrow vectors to 4 bytes (force_align).
  if (type == SparseIndexType::kInt32) {
    *out = tfl::CreateInt32Vector(b, b.CreateVector(v)).Union();
  } else if (type == SparseIndexType::kUint16) {
    b.ForceVectorAlignment(v.size(), sizeof(uint16_t), 4);
    *out = tfl::CreateUint16Vector(b, b.CreateVector(std::vector<uint16_t>(v.begin(), v.end())))
               .Union();
  } else {
    b.ForceVectorAlignment(v.size(), sizeof(uint8_t), 4);
    *out =
        tfl::CreateUint8Vector(b, b.CreateVector(std::vector<uint8_t>(v.begin(), v.end()))).Union();
  }
  return Status::Ok();
}

Status WriteSparsity(flatbuffers::FlatBufferBuilder& b, const Sparsity& sp,
                     flatbuffers::Offset<tfl::SparsityParameters>* out) {
  if (sp.empty()) return Status::Ok();
  std::vector<flatbuffers::Offset<tfl::DimensionMetadata>> dims;
  for (const SparseDim& d : sp.dims) {
    flatbuffers::Offset<void> segments = 0, indices = 0;
    if (d.csr) {
      QLITE_RETURN_IF_ERROR(WriteSparseIndices(b, d.segments, d.segments_type, &segments));
      QLITE_RETURN_IF_ERROR(WriteSparseIndices(b, d.indices, d.indices_type, &indices));
    }
    const auto type = [&](SparseIndexType t) {
      return d.csr ? static_cast<tfl::SparseIndexVector>(t) : tfl::SparseIndexVector::NONE;
    };
    dims.push_back(tfl::CreateDimensionMetadata(
        b, d.csr ? tfl::DimensionType::SPARSE_CSR : tfl::DimensionType::DENSE, d.dense_size,
        type(d.segments_type), segments, type(d.indices_type), indices));
  }
  const auto dim_metadata = b.CreateVector(dims);
  const auto block_map = b.CreateVector(sp.block_map);
  const auto traversal_order = b.CreateVector(sp.traversal_order);
  *out = tfl::CreateSparsityParameters(b, traversal_order, block_map, dim_metadata);
  return Status::Ok();
}

// Operator codes, one per distinct (op, version, custom code), shared by all subgraphs.
class OperatorCodeTable {
 public:
  uint32_t Add(flatbuffers::FlatBufferBuilder& b, const OperatorDef& op) {
    const auto key = std::make_tuple(static_cast<int32_t>(op.op), op.version, op.custom_code);
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    const int32_t code = static_cast<int32_t>(op.op);
    // Codes past the byte range live only in builtin_code; the old field
    // then holds PLACEHOLDER_FOR_GREATER_OP_CODES (127).
    const int8_t deprecated = static_cast<int8_t>(code < 127 ? code : 127);
    codes_.push_back(tfl::CreateOperatorCode(
        b, deprecated, op.custom_code.empty() ? 0 : b.CreateString(op.custom_code), op.version,
        static_cast<tfl::BuiltinOperator>(code)));
    return index_.emplace(key, static_cast<uint32_t>(codes_.size() - 1)).first->second;
  }
  const std::vector<flatbuffers::Offset<tfl::OperatorCode>>& codes() const { return codes_; }

 private:
  std::map<std::tuple<int32_t, int32_t, std::string>, uint32_t> index_;
  std::vector<flatbuffers::Offset<tfl::OperatorCode>> codes_;
};

// A subgraph's tensor and operator tables; the SubGraph table that lists
// them is written after the metadata, where single-subgraph files always had it.
struct SubgraphTables {
  std::vector<flatbuffers::Offset<tfl::Tensor>> tensors;
  std::vector<flatbuffers::Offset<tfl::Operator>> operators;
};

// One subgraph, given as a model whose main subgraph it is (Model::SubgraphView).
Status WriteSubgraphTables(flatbuffers::FlatBufferBuilder& b, const Model& model,
                           BufferTable* table, OperatorCodeTable* codes, SubgraphTables* out) {
  BufferTable& buffers = *table;
  std::vector<flatbuffers::Offset<tfl::Tensor>>& tensors = out->tensors;
  for (size_t t = 0; t < model.tensors.size(); ++t) {
    const TensorDef& def = model.tensors[t];
    const Buffer& data = model.constant_data(static_cast<int>(t));
    const uint32_t buffer = data.size == 0 && model.is_constant(static_cast<int>(t))
                                ? buffers.AddEmptyConstant()
                                : buffers.Add(data.data, data.size);
    flatbuffers::Offset<tfl::SparsityParameters> sparsity = 0;
    const Status s = WriteSparsity(b, def.sparsity, &sparsity);
    if (!s.ok()) return s.WithContext(StrCat("tensor ", t, " '", def.name, "': "));
    const auto shape_signature =
        def.shape_signature.empty() ? 0 : b.CreateVector(def.shape_signature);
    const auto quantization = WriteQuantization(b, def.quant);
    const auto name = b.CreateString(def.name);
    const auto shape = b.CreateVector(def.shape);
    tensors.push_back(tfl::CreateTensor(b, shape, static_cast<tfl::TensorType>(def.type), buffer,
                                        name, quantization, def.is_variable, sparsity,
                                        shape_signature));
  }
  std::vector<flatbuffers::Offset<tfl::Operator>>& operators = out->operators;
  for (const OperatorDef& op : model.operators) {
    const uint32_t code = codes->Add(b, op);
    const OpRow* row = FindOpRow(op);
    const WrittenOptions written = row != nullptr && row->options != nullptr
                                       ? row->options->Write(b, op.options)
                                       : WrittenOptions{tfl::BuiltinOptions::NONE, 0};
    // Options in the BuiltinOptions2 union (StableHLO ops) go in their own field.
    const tfl::BuiltinOptions2 table2 = row != nullptr && row->options != nullptr
                                            ? row->options->table2
                                            : tfl::BuiltinOptions2::NONE;
    const bool second = table2 != tfl::BuiltinOptions2::NONE;
    const auto intermediates = op.intermediates.empty() ? 0 : b.CreateVector(op.intermediates);
    const auto custom = op.custom_options.empty() ? 0 : b.CreateVector(op.custom_options);
    const auto outputs = b.CreateVector(op.outputs);
    const auto inputs = b.CreateVector(op.inputs);
    operators.push_back(tfl::CreateOperator(b, code, inputs, outputs, written.first,
                                            second ? 0 : written.second, custom,
                                            tfl::CustomOptionsFormat::FLEXBUFFERS, 0, intermediates,
                                            0, 0, table2, second ? written.second : 0));
  }
  return Status::Ok();
}

}  // namespace

Status WriteModel(const Model& model, const WriterOptions& options, std::vector<uint8_t>* bytes) {
  QLITE_RETURN_IF_ERROR(CheckModel(model));
  flatbuffers::FlatBufferBuilder b(1 << 16);
  BufferTable buffers;
  OperatorCodeTable codes;
  std::vector<SubgraphTables> tables(model.num_subgraphs());
  for (int i = 0; i < model.num_subgraphs(); ++i) {
    const Status s =
        i == 0 ? WriteSubgraphTables(b, model, &buffers, &codes, &tables[0])
               : WriteSubgraphTables(b, model.SubgraphView(i), &buffers, &codes, &tables[i]);
    if (!s.ok()) return s.WithContext(StrCat("subgraph ", i, ": "));
  }

  // Metadata: the model's own entries, then the writer's (replacing same names).
  std::vector<std::pair<std::string, uint32_t>> metadata;
  std::vector<std::vector<uint8_t>> metadata_storage;  // keeps bytes alive until Finish
  metadata_storage.reserve(options.metadata.size() + 1);
  auto set_metadata = [&](const std::string& name, std::vector<uint8_t> content) {
    metadata_storage.push_back(std::move(content));
    const auto& stored = metadata_storage.back();
    const uint32_t buffer = buffers.Add(stored.data(), stored.size());
    for (auto& entry : metadata) {
      if (entry.first == name) {
        entry.second = buffer;
        return;
      }
    }
    metadata.emplace_back(name, buffer);
  };
  bool has_min_runtime = false;
  for (const MetadataEntry& m : model.metadata) {
    const Buffer& data = m.buffer < model.buffers.size() ? model.buffers[m.buffer] : Buffer();
    metadata.emplace_back(m.name, buffers.Add(data.data, data.size));
    has_min_runtime = has_min_runtime || m.name == "min_runtime_version";
  }
  if (!has_min_runtime && !options.min_runtime_version.empty()) {
    std::vector<uint8_t> version(options.min_runtime_version.begin(),
                                 options.min_runtime_version.end());
    version.resize(std::max<size_t>(version.size() + 1, 16), 0);  // NUL-padded, as TFLite does
    set_metadata("min_runtime_version", std::move(version));
  }
  for (const auto& [name, text] : options.metadata) {
    set_metadata(name, std::vector<uint8_t>(text.begin(), text.end()));
  }
  std::vector<flatbuffers::Offset<tfl::Metadata>> metadata_tables;
  for (const auto& [name, buffer] : metadata) {
    metadata_tables.push_back(tfl::CreateMetadata(b, b.CreateString(name), buffer));
  }

  std::vector<flatbuffers::Offset<tfl::SignatureDef>> signature_tables;
  for (const SignatureDef& signature : model.signatures) {
    QLITE_ENSURE(signature.subgraph < static_cast<uint32_t>(model.num_subgraphs()), "signature '",
                 signature.key, "' names subgraph ", signature.subgraph, ", but the model has ",
                 model.num_subgraphs());
    auto maps = [&](const std::vector<SignatureTensor>& entries) {
      std::vector<flatbuffers::Offset<tfl::TensorMap>> tables;
      for (const SignatureTensor& e : entries) {
        tables.push_back(
            tfl::CreateTensorMap(b, b.CreateString(e.name), static_cast<uint32_t>(e.tensor)));
      }
      return b.CreateVector(tables);
    };
    const auto inputs = maps(signature.inputs);
    const auto outputs = maps(signature.outputs);
    signature_tables.push_back(tfl::CreateSignatureDef(
        b, inputs, outputs, b.CreateString(signature.key), signature.subgraph));
  }

  std::vector<flatbuffers::Offset<tfl::SubGraph>> subgraphs;
  for (int i = 0; i < model.num_subgraphs(); ++i) {
    const Subgraph* sub = i == 0 ? nullptr : &model.subgraphs[i - 1];
    const std::string& name = sub ? sub->name : model.subgraph_name;
    const auto subgraph_name = b.CreateString(i == 0 && name.empty() ? "main" : name);
    const auto operators = b.CreateVector(tables[i].operators);
    const auto outputs = b.CreateVector(sub ? sub->outputs : model.outputs);
    const auto inputs = b.CreateVector(sub ? sub->inputs : model.inputs);
    const auto tensors = b.CreateVector(tables[i].tensors);
    subgraphs.push_back(tfl::CreateSubGraph(b, tensors, inputs, outputs, operators, subgraph_name));
  }
  const auto buffer_vector = buffers.Write(b);
  const auto signatures = signature_tables.empty() ? 0 : b.CreateVector(signature_tables);
  const auto metadata_vector = b.CreateVector(metadata_tables);
  const auto description = b.CreateString(model.description.empty() ? "qlite" : model.description);
  const auto subgraph_vector = b.CreateVector(subgraphs);
  const auto code_vector = b.CreateVector(codes.codes());
  const auto root = tfl::CreateModel(b, 3, code_vector, subgraph_vector, description, buffer_vector,
                                     0, metadata_vector, signatures);
  tfl::FinishModelBuffer(b, root);
  bytes->assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  return Status::Ok();
}

Status WriteModelFile(const Model& model, const WriterOptions& options, const std::string& path) {
  std::vector<uint8_t> bytes;
  QLITE_RETURN_IF_ERROR(WriteModel(model, options, &bytes));
  // Write to a temporary name first so that a failure never leaves a partial model.
  const std::string temp = path + ".partial";
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  QLITE_ENSURE(f != nullptr, "cannot write '", path, "': ", std::strerror(errno));
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Status::Error(StrCat("cannot write '", path, "': ", std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace qlite
