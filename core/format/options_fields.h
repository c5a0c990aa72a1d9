// Field access shared by OptionsIO's reader and describer (options_io.cc)
// and its writer (options_write.cc, which the split wasm build links into
// the quantizer's side module rather than the runtime).
#pragma once

#include <cstdint>

#include "core/format/options_io.h"

namespace qlite {
namespace options_fields {

// Field i's slot in the table's vtable.
inline flatbuffers::voffset_t VtableOffset(const OptionsField& f) {
  return static_cast<flatbuffers::voffset_t>(4 + 2 * f.id);
}

template <typename T>
T& Member(void* s, const OptionsField& f) {
  return *reinterpret_cast<T*>(static_cast<uint8_t*>(s) + f.offset);
}
template <typename T>
const T& Member(const void* s, const OptionsField& f) {
  return *reinterpret_cast<const T*>(static_cast<const uint8_t*>(s) + f.offset);
}

// The options struct `options` holds, or the defaults (kept in *holder) when
// it holds none, as for a node built without options.
inline const void* StructOrDefaults(const OptionsIO& io, const OpOptions& options,
                                    OpOptions* holder) {
  if (const void* s = io.get(options)) return s;
  *holder = io.defaults();
  return io.get(*holder);
}

}  // namespace options_fields
}  // namespace qlite
