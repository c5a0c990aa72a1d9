// OptionsIO::Write: a node's options as the flatbuffer table the converter
// writes. Only the writer (model_writer.cc) needs it, so the split wasm build
// links it into the quantizer's side module, not the runtime.
#include <algorithm>
#include <vector>

#include "core/format/options_fields.h"
#include "core/format/options_io.h"

namespace qlite {

namespace {

using options_fields::Member;
using options_fields::StructOrDefaults;
using options_fields::VtableOffset;

size_t WireSize(FieldType type) {
  return type == FieldType::kInt32 || type == FieldType::kFloat ||
                 type == FieldType::kInt32Vector || type == FieldType::kString ||
                 type == FieldType::kUInt8Vector
             ? 4
             : 1;
}

bool VectorIsWritten(const OptionsField& f, const void* s) {
  return f.presence == OptionsField::kNoPresenceFlag ||
         *reinterpret_cast<const bool*>(static_cast<const uint8_t*>(s) + f.presence);
}

}  // namespace

WrittenOptions OptionsIO::Write(flatbuffers::FlatBufferBuilder& b, const OpOptions& options) const {
  OpOptions defaults_holder;
  const void* s = num_fields > 0 ? StructOrDefaults(*this, options, &defaults_holder) : nullptr;
  // Vectors are built before the table; fields go in as flatc's Create
  // functions add them (largest first, then last declared first), so the
  // bytes equal the converter's.
  std::vector<flatbuffers::uoffset_t> vectors(num_fields, 0);
  std::vector<size_t> order(num_fields);
  for (size_t i = 0; i < num_fields; ++i) {
    order[i] = i;
    const OptionsField& f = fields[i];
    if (f.type == FieldType::kInt32Vector && VectorIsWritten(f, s)) {
      vectors[i] = b.CreateVector(Member<std::vector<int32_t>>(s, f)).o;
    } else if (f.type == FieldType::kString && !Member<std::string>(s, f).empty()) {
      vectors[i] = b.CreateString(Member<std::string>(s, f)).o;
    } else if (f.type == FieldType::kUInt8Vector && !Member<std::vector<uint8_t>>(s, f).empty()) {
      vectors[i] = b.CreateVector(Member<std::vector<uint8_t>>(s, f)).o;
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const size_t sx = WireSize(fields[x].type), sy = WireSize(fields[y].type);
    return sx != sy ? sx > sy : fields[x].id > fields[y].id;
  });
  const flatbuffers::uoffset_t start = b.StartTable();
  for (size_t i : order) {
    const OptionsField& f = fields[i];
    const flatbuffers::voffset_t vo = VtableOffset(f);
    const auto byte_default = static_cast<uint8_t>(f.default_value);
    switch (f.type) {
      case FieldType::kBool:
        b.AddElement<uint8_t>(vo, Member<bool>(s, f) ? 1 : 0, byte_default);
        break;
      case FieldType::kUInt8: b.AddElement<uint8_t>(vo, Member<uint8_t>(s, f), byte_default); break;
      case FieldType::kPadding:
        b.AddElement<int8_t>(vo, static_cast<int8_t>(Member<Padding>(s, f)),
                             static_cast<int8_t>(f.default_value));
        break;
      case FieldType::kActivation:
        b.AddElement<int8_t>(vo, static_cast<int8_t>(Member<Activation>(s, f)),
                             static_cast<int8_t>(f.default_value));
        break;
      case FieldType::kInt32:
        b.AddElement<int32_t>(vo, Member<int32_t>(s, f), static_cast<int32_t>(f.default_value));
        break;
      case FieldType::kFloat: b.AddElement<float>(vo, Member<float>(s, f), f.default_value); break;
      case FieldType::kInt32Vector:
      case FieldType::kString:
      case FieldType::kUInt8Vector:
        if (vectors[i] != 0) b.AddOffset(vo, flatbuffers::Offset<void>(vectors[i]));
        break;
    }
  }
  return {table, flatbuffers::Offset<void>(b.EndTable(start))};
}

}  // namespace qlite
