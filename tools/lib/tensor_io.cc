#include "tools/lib/tensor_io.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/format/model_reader.h"

namespace qlite {

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

template <typename T>
void Append(std::vector<uint8_t>* bytes, T value) {
  const size_t at = bytes->size();
  bytes->resize(at + sizeof(T));
  std::memcpy(bytes->data() + at, &value, sizeof(T));
}

template <typename T>
Status AppendInteger(const std::string& token, std::vector<uint8_t>* bytes) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(token.c_str(), &end, 10);
  QLITE_ENSURE(end != token.c_str() && *end == '\0' && errno == 0, "'", token,
               "' is not an integer");
  QLITE_ENSURE(v >= static_cast<long long>(std::numeric_limits<T>::min()) &&
                   v <= static_cast<long long>(std::numeric_limits<T>::max()),
               token, " is out of range for this dtype");
  Append<T>(bytes, static_cast<T>(v));
  return Status::Ok();
}

}  // namespace

Status ParseCsvValues(const std::string& text, DType type, std::vector<uint8_t>* bytes) {
  bytes->clear();
  std::string token;
  size_t index = 0;
  auto flush = [&]() -> Status {
    if (token.empty()) return Status::Ok();
    Status s;
    switch (type) {
      case DType::kFloat32: {
        char* end = nullptr;
        const float v = std::strtof(token.c_str(), &end);
        QLITE_ENSURE(end != token.c_str() && *end == '\0', "value ", index, ": '", token,
                     "' is not a number");
        Append<float>(bytes, v);
        break;
      }
      case DType::kInt8: s = AppendInteger<int8_t>(token, bytes); break;
      case DType::kUInt8: s = AppendInteger<uint8_t>(token, bytes); break;
      case DType::kInt16: s = AppendInteger<int16_t>(token, bytes); break;
      case DType::kInt32: s = AppendInteger<int32_t>(token, bytes); break;
      case DType::kInt64: s = AppendInteger<int64_t>(token, bytes); break;
      default:
        return Status::Error(StrCat("CSV input is not supported for dtype ", DTypeName(type)));
    }
    if (!s.ok()) return s.WithContext(StrCat("value ", index, ": "));
    token.clear();
    ++index;
    return Status::Ok();
  };
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ';') {
      QLITE_RETURN_IF_ERROR(flush());
    } else {
      token.push_back(c);
    }
  }
  return flush();
}

Status ReadTensorFile(const std::string& path, DType type, size_t expected_bytes,
                      std::vector<uint8_t>* bytes) {
  std::vector<uint8_t> raw;
  QLITE_RETURN_IF_ERROR(ReadFileBytes(path, &raw));
  if (EndsWith(path, ".csv") || EndsWith(path, ".txt")) {
    const Status s = ParseCsvValues(std::string(raw.begin(), raw.end()), type, bytes);
    if (!s.ok()) return s.WithContext(path + ": ");
    const size_t element = DTypeSize(type);
    QLITE_ENSURE(bytes->size() == expected_bytes, path, ": has ", bytes->size() / element,
                 " values, the tensor needs ", expected_bytes / element);
    return Status::Ok();
  }
  QLITE_ENSURE(raw.size() == expected_bytes, path, ": has ", raw.size(),
               " bytes, the tensor needs ", expected_bytes, " (", DTypeName(type), ")");
  *bytes = std::move(raw);
  return Status::Ok();
}

Status WriteFileBytes(const std::string& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  QLITE_ENSURE(out.good(), "cannot write '", path, "': ", std::strerror(errno));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  QLITE_ENSURE(out.good(), "error while writing '", path, "'");
  return Status::Ok();
}

std::string FormatValues(const Tensor& t, size_t max_values) {
  std::ostringstream out;
  out.precision(6);
  const size_t n = std::min<size_t>(t.num_elements() < 0 ? 0 : t.num_elements(), max_values);
  for (size_t i = 0; i < n; ++i) {
    if (i) out << ", ";
    switch (t.type) {
      case DType::kFloat32: out << t.data_as<float>()[i]; break;
      case DType::kInt8: out << int(t.data_as<int8_t>()[i]); break;
      case DType::kUInt8: out << int(t.data_as<uint8_t>()[i]); break;
      case DType::kInt16: out << t.data_as<int16_t>()[i]; break;
      case DType::kInt32: out << t.data_as<int32_t>()[i]; break;
      case DType::kInt64: out << t.data_as<int64_t>()[i]; break;
      default: out << "?"; break;
    }
  }
  if (static_cast<int64_t>(n) < t.num_elements()) out << ", ...";
  return out.str();
}

}  // namespace qlite
