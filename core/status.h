// Status: the one error type of qlite. Every failure carries a message that
// names what is wrong (tensor, op, node, file); nothing in core aborts.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace qlite {

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message), true); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

  // Prepends context ("node 3 (CONV_2D): ") to an error; ok stays ok.
  Status WithContext(const std::string& context) const {
    return ok() ? *this : Error(context + message_);
  }

 private:
  Status(std::string message, bool failed) : message_(std::move(message)), failed_(failed) {}
  std::string message_;
  bool failed_ = false;
};

// StrCat pieces. Deliberately not iostreams: streams and locales would add
// tens of kilobytes to qlite.wasm for error messages alone.
namespace str_internal {
inline void Append(std::string* out, const std::string& s) { out->append(s); }
inline void Append(std::string* out, const char* s) { out->append(s != nullptr ? s : "(null)"); }
inline void Append(std::string* out, std::string_view s) { out->append(s.data(), s.size()); }
inline void Append(std::string* out, char c) { out->push_back(c); }
inline void Append(std::string* out, bool b) { out->append(b ? "true" : "false"); }
template <typename T>
void Append(std::string* out, T value) {
  if constexpr (std::is_convertible_v<T, const char*>) {
    Append(out, static_cast<const char*>(value));
  } else if constexpr (std::is_enum_v<T>) {
    out->append(std::to_string(static_cast<std::underlying_type_t<T>>(value)));
  } else if constexpr (std::is_floating_point_v<T>) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g", static_cast<double>(value));  // 6 significant digits
    out->append(text);
  } else {
    static_assert(std::is_integral_v<T>, "StrCat takes strings, characters and numbers");
    out->append(std::to_string(value));  // int8_t/uint8_t print as numbers
  }
}
}  // namespace str_internal

// Concatenates strings and numbers into one string.
template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  (str_internal::Append(&out, args), ...);
  return out;
}

}  // namespace qlite

#define QLITE_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::qlite::Status qlite_status_ = (expr);        \
    if (!qlite_status_.ok()) return qlite_status_; \
  } while (0)

// Fails the enclosing Status-returning function with a message built from
// the remaining arguments when `cond` does not hold.
#define QLITE_ENSURE(cond, ...)                                               \
  do {                                                                        \
    if (!(cond)) return ::qlite::Status::Error(::qlite::StrCat(__VA_ARGS__)); \
  } while (0)
