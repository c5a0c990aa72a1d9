// How an op's options travel between its builtin options table and its
// options struct. An op with options declares, in its kernel file, the table's
// union type and one OptionsField per struct member (the schema's field id,
// wire type, default and the member's offset); one generic reader, writer and
// describer serve every op, so the runtime carries a few bytes of data per op
// rather than code:
//
//   constexpr OptionsField kLeakyReluFields[] = {
//       {"alpha", 0, FieldType::kFloat, offsetof(LeakyReluOptions, alpha)}};
//   extern const OptionsIO kLeakyReluOptionsIO;
//   const OptionsIO kLeakyReluOptionsIO =
//       OptionsIOFor<LeakyReluOptions>(tfl::BuiltinOptions::LeakyReluOptions, kLeakyReluFields);
#pragma once

#include <any>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "core/format/schema.h"
#include "core/model.h"
#include "core/op_options.h"
#include "core/status.h"

namespace qlite {

// The wire type of a field and the C++ type of its struct member.
enum class FieldType : uint8_t {
  kBool,         // bool
  kUInt8,        // uint8_t (byte enums read as raw values)
  kInt32,        // int32_t
  kFloat,        // float
  kPadding,      // Padding, checked to be SAME or VALID
  kActivation,   // Activation, checked to be a fused activation TFLite defines
  kInt32Vector,  // std::vector<int32_t>
  kString,       // std::string (absent and empty are the same)
  kUInt8Vector,  // std::vector<uint8_t> (absent and empty are the same)
};

struct OptionsField {
  static constexpr uint16_t kNoPresenceFlag = 0xFFFF;
  const char* name;  // TFLite's field name, for describe
  uint8_t id;        // the field's position in the schema's table
  FieldType type;
  uint16_t offset;                      // offsetof(the struct, the member)
  float default_value = 0;              // the schema's default (absent on the wire)
  uint16_t presence = kNoPresenceFlag;  // kInt32Vector: offset of a bool "was present";
                                        // with one, an absent vector is not written
};

using WrittenOptions = std::pair<tfl::BuiltinOptions, flatbuffers::Offset<void>>;

struct OptionsIO {
  tfl::BuiltinOptions table = tfl::BuiltinOptions::NONE;
  const OptionsField* fields = nullptr;
  size_t num_fields = 0;
  OpOptions (*defaults)() = nullptr;
  const void* (*get)(const OpOptions& options) = nullptr;  // the struct, or nullptr
  void* (*emplace)(OpOptions* options) = nullptr;          // a default struct in place
  // Set for ops whose table is in the BuiltinOptions2 union (StableHLO ops
  // and later ones); `table` is NONE then, and Write's pair says NONE too.
  tfl::BuiltinOptions2 table2 = tfl::BuiltinOptions2::NONE;

  // Fills `*out` from the operator's options table; a missing table gives the
  // defaults, a table of another type is an error (ops whose table has no
  // fields accept any).
  Status Read(const tfl::Operator& fb, OpOptions* out) const;
  WrittenOptions Write(flatbuffers::FlatBufferBuilder& b, const OpOptions& options) const;
  std::string Describe(const OpOptions& options) const;  // "name=value ..."
  Activation FusedActivation(const OpOptions& options) const;
};

template <typename Options>
struct OptionsStorage {
  static OpOptions Defaults() { return Options{}; }
  static const void* Get(const OpOptions& o) { return std::any_cast<Options>(&o); }
  static void* Emplace(OpOptions* o) { return &o->emplace<Options>(); }
};

template <typename Options, size_t N>
constexpr OptionsIO OptionsIOFor(tfl::BuiltinOptions table, const OptionsField (&fields)[N]) {
  return {table,
          fields,
          N,
          OptionsStorage<Options>::Defaults,
          OptionsStorage<Options>::Get,
          OptionsStorage<Options>::Emplace};
}

template <typename Options, size_t N>
constexpr OptionsIO OptionsIO2For(tfl::BuiltinOptions2 table2, const OptionsField (&fields)[N]) {
  return {tfl::BuiltinOptions::NONE,
          fields,
          N,
          OptionsStorage<Options>::Defaults,
          OptionsStorage<Options>::Get,
          OptionsStorage<Options>::Emplace,
          table2};
}

// Ops whose options table has no fields (PadOptions, QuantizeOptions, ...):
// the empty table is written, as the converter does.
constexpr OptionsIO EmptyOptionsIO(tfl::BuiltinOptions table) {
  return {table, nullptr, 0, nullptr, nullptr, nullptr};
}

}  // namespace qlite
