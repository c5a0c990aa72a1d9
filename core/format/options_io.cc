#include "core/format/options_io.h"

#include <algorithm>
#include <vector>

#include "core/format/options_fields.h"
#include "core/tensor.h"

namespace qlite {

namespace {

using options_fields::Member;
using options_fields::StructOrDefaults;
using options_fields::VtableOffset;

Status ReadField(const flatbuffers::Table& t, const OptionsField& f, void* s) {
  const flatbuffers::voffset_t vo = VtableOffset(f);
  const auto byte_default = static_cast<uint8_t>(f.default_value);
  switch (f.type) {
    case FieldType::kBool: Member<bool>(s, f) = t.GetField<uint8_t>(vo, byte_default) != 0; break;
    case FieldType::kUInt8: Member<uint8_t>(s, f) = t.GetField<uint8_t>(vo, byte_default); break;
    case FieldType::kInt32:
      Member<int32_t>(s, f) = t.GetField<int32_t>(vo, static_cast<int32_t>(f.default_value));
      break;
    case FieldType::kFloat: Member<float>(s, f) = t.GetField<float>(vo, f.default_value); break;
    case FieldType::kPadding: {
      const int v = t.GetField<int8_t>(vo, static_cast<int8_t>(f.default_value));
      QLITE_ENSURE(v == 0 || v == 1, "invalid padding value ", v);
      Member<Padding>(s, f) = static_cast<Padding>(v);
      break;
    }
    case FieldType::kActivation: {
      const int v = t.GetField<int8_t>(vo, static_cast<int8_t>(f.default_value));
      QLITE_ENSURE(v >= 0 && v <= 5, "invalid fused activation value ", v);
      Member<Activation>(s, f) = static_cast<Activation>(v);
      break;
    }
    case FieldType::kInt32Vector: {
      const auto* v = t.GetPointer<const flatbuffers::Vector<int32_t>*>(vo);
      Member<std::vector<int32_t>>(s, f) =
          v ? std::vector<int32_t>(v->begin(), v->end()) : std::vector<int32_t>{};
      if (f.presence != OptionsField::kNoPresenceFlag) {
        *reinterpret_cast<bool*>(static_cast<uint8_t*>(s) + f.presence) = v != nullptr;
      }
      break;
    }
    case FieldType::kString: {
      const auto* v = t.GetPointer<const flatbuffers::String*>(vo);
      Member<std::string>(s, f) = v ? v->str() : std::string();
      break;
    }
    case FieldType::kUInt8Vector: {
      const auto* v = t.GetPointer<const flatbuffers::Vector<uint8_t>*>(vo);
      Member<std::vector<uint8_t>>(s, f) =
          v ? std::vector<uint8_t>(v->begin(), v->end()) : std::vector<uint8_t>{};
      break;
    }
  }
  return Status::Ok();
}

}  // namespace

Status OptionsIO::Read(const tfl::Operator& fb, OpOptions* out) const {
  if (num_fields == 0) {
    out->reset();
    return Status::Ok();
  }
  void* s = emplace(out);
  const bool second = table2 != tfl::BuiltinOptions2::NONE;
  const int type = second ? static_cast<int>(fb.builtin_options_2_type())
                          : static_cast<int>(fb.builtin_options_type());
  if (type == 0) return Status::Ok();  // NONE: the defaults
  if (type != (second ? static_cast<int>(table2) : static_cast<int>(table))) {
    const char* name = second
                           ? tfl::EnumNameBuiltinOptions2(static_cast<tfl::BuiltinOptions2>(type))
                           : tfl::EnumNameBuiltinOptions(static_cast<tfl::BuiltinOptions>(type));
    return Status::Error(StrCat("options table ",
                                (name != nullptr && *name) ? name : std::to_string(type),
                                " does not belong to this operator"));
  }
  // The verifier has checked the table: its type is one the schema knows.
  const auto* t = static_cast<const flatbuffers::Table*>(second ? fb.builtin_options_2()
                                                                : fb.builtin_options());
  if (t == nullptr) return Status::Ok();
  for (size_t i = 0; i < num_fields; ++i) QLITE_RETURN_IF_ERROR(ReadField(*t, fields[i], s));
  return Status::Ok();
}

std::string OptionsIO::Describe(const OpOptions& options) const {
  if (num_fields == 0) return "";
  OpOptions defaults_holder;
  const void* s = StructOrDefaults(*this, options, &defaults_holder);
  std::string out;
  for (size_t i = 0; i < num_fields; ++i) {
    const OptionsField& f = fields[i];
    if (!out.empty()) out += ' ';
    out += f.name;
    out += '=';
    switch (f.type) {
      case FieldType::kBool: out += Member<bool>(s, f) ? "true" : "false"; break;
      case FieldType::kUInt8: out += std::to_string(Member<uint8_t>(s, f)); break;
      case FieldType::kInt32: out += std::to_string(Member<int32_t>(s, f)); break;
      case FieldType::kFloat: out += StrCat(Member<float>(s, f)); break;
      case FieldType::kPadding:
        out += Member<Padding>(s, f) == Padding::kSame ? "SAME" : "VALID";
        break;
      case FieldType::kActivation: out += ActivationName(Member<Activation>(s, f)); break;
      case FieldType::kInt32Vector: out += ShapeToString(Member<std::vector<int32_t>>(s, f)); break;
      case FieldType::kString: out += "'" + Member<std::string>(s, f) + "'"; break;
      case FieldType::kUInt8Vector:
        out += StrCat(Member<std::vector<uint8_t>>(s, f).size(), " bytes");
        break;
    }
  }
  return out;
}

Activation OptionsIO::FusedActivation(const OpOptions& options) const {
  const void* s = num_fields > 0 ? get(options) : nullptr;
  for (size_t i = 0; s != nullptr && i < num_fields; ++i) {
    if (fields[i].type == FieldType::kActivation) return Member<Activation>(s, fields[i]);
  }
  return Activation::kNone;
}

}  // namespace qlite
