// How an op's options travel between its builtin options table and its
// options struct. Each op with options defines one OptionsIO in its kernel
// file, from three small typed functions:
//   Status Read(const tfl::XOptions& table, XOptionsStruct* out);
//   flatbuffers::Offset<tfl::XOptions> Write(flatbuffers::FlatBufferBuilder&, const XOptionsStruct&);
//   std::string Describe(const XOptionsStruct&);
// and `TypedOptionsIO<...>::kIO` does the type erasure.
#pragma once

#include <any>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/format/schema.h"
#include "core/model.h"
#include "core/op_options.h"
#include "core/status.h"

// Options code runs once per model load; in the wasm build it is compiled for
// size, like the rest of the reader and writer, even inside a kernel file
// whose kernels are built for speed. Wrap it in these two macros.
#if defined(__clang__)
#define QLITE_LOAD_TIME_CODE_BEGIN \
  _Pragma("clang attribute push(__attribute__((minsize)), apply_to = function)")
#define QLITE_LOAD_TIME_CODE_END _Pragma("clang attribute pop")
#else
#define QLITE_LOAD_TIME_CODE_BEGIN
#define QLITE_LOAD_TIME_CODE_END
#endif

QLITE_LOAD_TIME_CODE_BEGIN
namespace qlite {

using WrittenOptions = std::pair<tfl::BuiltinOptions, flatbuffers::Offset<void>>;

struct OptionsIO {
  // Fills `*out` from the operator's options table; a missing table gives the
  // defaults, a table of another type is an error.
  Status (*read)(const tfl::Operator& fb, OpOptions* out);
  WrittenOptions (*write)(flatbuffers::FlatBufferBuilder& b, const OpOptions& options);
  std::string (*describe)(const OpOptions& options);
  OpOptions (*defaults)();
  Activation (*fused_activation)(const OpOptions& options);
};

// Helpers for the per-op Read/Write/Describe functions.
Status OptionsTableMismatch(const tfl::Operator& fb);
Status ReadPadding(tfl::Padding fb, Padding* out);
Status ReadActivation(tfl::ActivationFunctionType fb, Activation* out);
inline tfl::Padding ToFb(Padding p) { return static_cast<tfl::Padding>(p); }
inline tfl::ActivationFunctionType ToFb(Activation a) {
  return static_cast<tfl::ActivationFunctionType>(a);
}
std::vector<int32_t> ToVector(const flatbuffers::Vector<int32_t>* v);
const char* PaddingName(Padding p);
const char* BoolName(bool b);

template <typename Options, typename = void>
struct HasFusedActivation : std::false_type {};
template <typename Options>
struct HasFusedActivation<Options, std::void_t<decltype(Options::activation)>> : std::true_type {};

template <typename Table, typename Options, Status (*Read)(const Table&, Options*),
          flatbuffers::Offset<Table> (*Write)(flatbuffers::FlatBufferBuilder&, const Options&),
          std::string (*Describe)(const Options&)>
struct TypedOptionsIO {
  static Options Get(const OpOptions& any) {
    const Options* o = std::any_cast<Options>(&any);
    return o != nullptr ? *o : Options{};
  }
  static Status ReadAny(const tfl::Operator& fb, OpOptions* out) {
    Options o;
    if (fb.builtin_options_type() != tfl::BuiltinOptions::NONE) {
      const Table* table = fb.builtin_options_as<Table>();
      if (table == nullptr) return OptionsTableMismatch(fb);
      QLITE_RETURN_IF_ERROR(Read(*table, &o));
    }
    *out = std::move(o);
    return Status::Ok();
  }
  static WrittenOptions WriteAny(flatbuffers::FlatBufferBuilder& b, const OpOptions& options) {
    return {tfl::BuiltinOptionsTraits<Table>::enum_value, Write(b, Get(options)).Union()};
  }
  static std::string DescribeAny(const OpOptions& options) { return Describe(Get(options)); }
  static OpOptions Defaults() { return Options{}; }
  static Activation FusedActivationAny(const OpOptions& options) {
    if constexpr (HasFusedActivation<Options>::value) {
      return Get(options).activation;
    } else {
      return Activation::kNone;
    }
  }
  static constexpr OptionsIO kIO = {ReadAny, WriteAny, DescribeAny, Defaults, FusedActivationAny};
};

// Ops whose options table is empty (PadOptions, QuantizeOptions, ...): any
// table is accepted on reading, and the empty one is written, as the
// converter does.
template <typename Table>
struct EmptyOptionsIO {
  static Status ReadAny(const tfl::Operator&, OpOptions* out) {
    out->reset();
    return Status::Ok();
  }
  static WrittenOptions WriteAny(flatbuffers::FlatBufferBuilder& b, const OpOptions&) {
    typename Table::Builder builder(b);
    return {tfl::BuiltinOptionsTraits<Table>::enum_value, builder.Finish().Union()};
  }
  static std::string DescribeAny(const OpOptions&) { return ""; }
  static OpOptions Defaults() { return {}; }
  static Activation FusedActivationAny(const OpOptions&) { return Activation::kNone; }
  static constexpr OptionsIO kIO = {ReadAny, WriteAny, DescribeAny, Defaults, FusedActivationAny};
};

}  // namespace qlite
QLITE_LOAD_TIME_CODE_END
