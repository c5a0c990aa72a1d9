// The root map of a FlexBuffer, as custom operators store their options
// (TFLite_Detection_PostProcess and friends): keys with scalar values (int,
// uint, float, bool, inline or indirect). Every read is bounds-checked, so
// hostile bytes give an error, never a read outside the buffer; values of
// other types (strings, vectors, nested maps) are kept as "present, not a
// scalar" and read as 0, like flexbuffers' As...() on them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace qlite {

class FlexbufferMap {
 public:
  // Parses `size` bytes whose root is a map; an empty buffer is an empty map
  // (a custom op written without options).
  static Status Parse(const uint8_t* data, size_t size, FlexbufferMap* out);

  bool Has(const std::string& key) const { return Find(key) != nullptr; }
  // flexbuffers' conversions: a float read as an int is truncated toward zero
  // (saturating; NaN reads 0), an int64 read as int32 keeps its low 32 bits.
  // An absent key reads `fallback`.
  int32_t Int32(const std::string& key, int32_t fallback = 0) const;
  float Float(const std::string& key, float fallback = 0.0f) const;
  bool Bool(const std::string& key, bool fallback = false) const;

  size_t size() const { return entries_.size(); }

 private:
  enum class Kind : uint8_t { kInt, kUInt, kFloat, kBool, kOther };
  struct Entry {
    std::string key;
    Kind kind = Kind::kOther;
    int64_t i = 0;
    uint64_t u = 0;
    double f = 0.0;
  };
  const Entry* Find(const std::string& key) const;
  static int64_t AsInt64(const Entry& e);

  std::vector<Entry> entries_;
};

}  // namespace qlite
