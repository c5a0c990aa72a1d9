#include "core/format/flexbuffer_map.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace qlite {

namespace {

// FlexBuffer value types (flexbuffers::Type) this reader tells apart.
enum : uint8_t {
  kTypeNull = 0,
  kTypeInt = 1,
  kTypeUInt = 2,
  kTypeFloat = 3,
  kTypeIndirectInt = 6,
  kTypeIndirectUInt = 7,
  kTypeIndirectFloat = 8,
  kTypeMap = 9,
  kTypeBool = 26,
};

bool ValidWidth(uint64_t width) { return width == 1 || width == 2 || width == 4 || width == 8; }

// Bounds-checked little-endian reads of `width` bytes at `pos`.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool Fits(size_t pos, size_t width) const { return pos <= size_ && width <= size_ - pos; }

  Status UInt(size_t pos, size_t width, uint64_t* out) const {
    QLITE_ENSURE(Fits(pos, width), "flexbuffer: ", width, "-byte read at ", pos,
                 " is past its end (", size_, " bytes)");
    uint64_t v = 0;
    for (size_t b = 0; b < width; ++b) v |= uint64_t{data_[pos + b]} << (8 * b);
    *out = v;
    return Status::Ok();
  }

  Status Int(size_t pos, size_t width, int64_t* out) const {
    uint64_t u = 0;
    QLITE_RETURN_IF_ERROR(UInt(pos, width, &u));
    const int unused_bits = static_cast<int>(64 - 8 * width);
    // Sign-extend from `width` bytes.
    *out = unused_bits == 0 ? static_cast<int64_t>(u)
                            : static_cast<int64_t>(u << unused_bits) >> unused_bits;
    return Status::Ok();
  }

  Status Float(size_t pos, size_t width, double* out) const {
    QLITE_ENSURE(width == 4 || width == 8, "flexbuffer: a float of ", width, " bytes");
    uint64_t u = 0;
    QLITE_RETURN_IF_ERROR(UInt(pos, width, &u));
    if (width == 4) {
      const auto bits = static_cast<uint32_t>(u);
      float f;
      std::memcpy(&f, &bits, sizeof(f));
      *out = f;
    } else {
      std::memcpy(out, &u, sizeof(*out));
    }
    return Status::Ok();
  }

  // Offsets point backward: the target is `pos - offset`, inside the buffer.
  Status Follow(size_t pos, size_t width, size_t* target) const {
    uint64_t offset = 0;
    QLITE_RETURN_IF_ERROR(UInt(pos, width, &offset));
    QLITE_ENSURE(offset <= pos, "flexbuffer: offset ", offset, " at ", pos,
                 " points before the buffer");
    *target = pos - static_cast<size_t>(offset);
    return Status::Ok();
  }

  Status CString(size_t pos, std::string* out) const {
    QLITE_ENSURE(pos < size_, "flexbuffer: key at ", pos, " is past its end");
    const void* end = std::memchr(data_ + pos, 0, size_ - pos);
    QLITE_ENSURE(end != nullptr, "flexbuffer: key at ", pos, " has no terminating zero");
    out->assign(reinterpret_cast<const char*>(data_ + pos),
                static_cast<const uint8_t*>(end) - (data_ + pos));
    return Status::Ok();
  }

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_;
  size_t size_;
};

}  // namespace

Status FlexbufferMap::Parse(const uint8_t* data, size_t size, FlexbufferMap* out) {
  out->entries_.clear();
  if (size == 0) return Status::Ok();
  QLITE_ENSURE(data != nullptr && size >= 3, "flexbuffer of ", size, " bytes is too short");
  const Bytes bytes(data, size);
  // The buffer ends with the root: its value, its packed type, its width.
  const size_t root_width = data[size - 1];
  const uint8_t root_type = data[size - 2];
  QLITE_ENSURE(ValidWidth(root_width), "flexbuffer: root width ", root_width);
  QLITE_ENSURE(size >= 2 + root_width, "flexbuffer: root of ", root_width,
               " bytes does not fit in ", size);
  QLITE_ENSURE((root_type >> 2) == kTypeMap, "flexbuffer: root is of type ", root_type >> 2,
               ", not a map");
  size_t map = 0;
  QLITE_RETURN_IF_ERROR(bytes.Follow(size - 2 - root_width, root_width, &map));
  const size_t width = size_t{1} << (root_type & 3);
  // A map's values are preceded by its keys vector's offset and width and
  // its length; one packed type byte per value follows the values.
  QLITE_ENSURE(map >= 3 * width, "flexbuffer: map at ", map, " has no room for its header");
  uint64_t length = 0, keys_width = 0;
  size_t keys = 0;
  QLITE_RETURN_IF_ERROR(bytes.UInt(map - width, width, &length));
  QLITE_RETURN_IF_ERROR(bytes.UInt(map - 2 * width, width, &keys_width));
  QLITE_RETURN_IF_ERROR(bytes.Follow(map - 3 * width, width, &keys));
  QLITE_ENSURE(ValidWidth(keys_width), "flexbuffer: map keys of width ", keys_width);
  QLITE_ENSURE(length <= (size - map) / (width + 1), "flexbuffer: map of ", length,
               " entries does not fit in ", size, " bytes");
  QLITE_ENSURE(keys >= keys_width, "flexbuffer: keys at ", keys, " have no length");
  uint64_t keys_length = 0;
  QLITE_RETURN_IF_ERROR(bytes.UInt(keys - keys_width, keys_width, &keys_length));
  QLITE_ENSURE(keys_length == length, "flexbuffer: ", keys_length, " keys for ", length, " values");
  QLITE_ENSURE(bytes.Fits(keys, length * keys_width), "flexbuffer: keys past its end");
  const size_t types = map + length * width;
  out->entries_.reserve(length);
  for (size_t i = 0; i < length; ++i) {
    Entry e;
    size_t key = 0;
    QLITE_RETURN_IF_ERROR(bytes.Follow(keys + i * keys_width, keys_width, &key));
    QLITE_RETURN_IF_ERROR(bytes.CString(key, &e.key));
    const uint8_t packed = data[types + i];
    const uint8_t type = packed >> 2;
    size_t pos = map + i * width, value_width = width;
    if (type == kTypeIndirectInt || type == kTypeIndirectUInt || type == kTypeIndirectFloat) {
      QLITE_RETURN_IF_ERROR(bytes.Follow(pos, width, &pos));
      value_width = size_t{1} << (packed & 3);
    }
    switch (type) {
      case kTypeNull: continue;  // flexbuffers reads null as absent
      case kTypeInt:
      case kTypeIndirectInt:
        e.kind = Kind::kInt;
        QLITE_RETURN_IF_ERROR(bytes.Int(pos, value_width, &e.i));
        break;
      case kTypeUInt:
      case kTypeIndirectUInt:
        e.kind = Kind::kUInt;
        QLITE_RETURN_IF_ERROR(bytes.UInt(pos, value_width, &e.u));
        break;
      case kTypeFloat:
      case kTypeIndirectFloat:
        e.kind = Kind::kFloat;
        QLITE_RETURN_IF_ERROR(bytes.Float(pos, value_width, &e.f));
        break;
      case kTypeBool:
        e.kind = Kind::kBool;
        QLITE_RETURN_IF_ERROR(bytes.UInt(pos, value_width, &e.u));
        break;
      default: break;  // present, not a scalar
    }
    out->entries_.push_back(std::move(e));
  }
  return Status::Ok();
}

const FlexbufferMap::Entry* FlexbufferMap::Find(const std::string& key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

int64_t FlexbufferMap::AsInt64(const Entry& e) {
  switch (e.kind) {
    case Kind::kInt: return e.i;
    case Kind::kUInt:
    case Kind::kBool: return static_cast<int64_t>(e.u);
    case Kind::kFloat: {
      // Saturate where a plain cast would be undefined.
      if (std::isnan(e.f)) return 0;
      if (e.f >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
      if (e.f <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
      return static_cast<int64_t>(e.f);
    }
    case Kind::kOther: break;
  }
  return 0;
}

int32_t FlexbufferMap::Int32(const std::string& key, int32_t fallback) const {
  const Entry* e = Find(key);
  return e == nullptr ? fallback : static_cast<int32_t>(static_cast<uint32_t>(AsInt64(*e)));
}

float FlexbufferMap::Float(const std::string& key, float fallback) const {
  const Entry* e = Find(key);
  if (e == nullptr) return fallback;
  switch (e->kind) {
    case Kind::kFloat:
      // Finite doubles past float's range read as infinities (a plain cast is undefined).
      if (std::fabs(e->f) > std::numeric_limits<float>::max() && std::isfinite(e->f)) {
        return e->f > 0 ? std::numeric_limits<float>::infinity()
                        : -std::numeric_limits<float>::infinity();
      }
      return static_cast<float>(e->f);
    case Kind::kInt: return static_cast<float>(e->i);
    case Kind::kUInt:
    case Kind::kBool: return static_cast<float>(e->u);
    case Kind::kOther: break;
  }
  return 0.0f;
}

bool FlexbufferMap::Bool(const std::string& key, bool fallback) const {
  const Entry* e = Find(key);
  if (e == nullptr) return fallback;
  return AsInt64(*e) != 0;  // a float truncated toward zero first, as flexbuffers does
}

}  // namespace qlite
