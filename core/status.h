// Status: the one error type of qlite. Every failure carries a message that
// names what is wrong (tensor, op, node, file); nothing in core aborts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace qlite {

class Status;
namespace str_internal {
template <typename... Pass>
Status BuildError(Pass... args);
}  // namespace str_internal

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
  template <typename... Pass>
  friend Status str_internal::BuildError(Pass... args);

  std::string message_;
  bool failed_ = false;
};

// StrCat pieces, each appended by one out-of-line function (status.cc): a
// call per argument is the least code an error site can cost, and qlite.wasm
// has hundreds of them. Deliberately not iostreams, which would add tens of
// kilobytes for error messages alone.
namespace str_internal {
void AppendText(std::string* out, const char* s);
void AppendText(std::string* out, const std::string& s);
void AppendText(std::string* out, std::string_view s);
void AppendChar(std::string* out, char c);
void AppendSigned(std::string* out, long long value);
void AppendUnsigned(std::string* out, unsigned long long value);
void AppendFloat(std::string* out, double value);  // 6 significant digits, as "%g"

inline void Append(std::string* out, const std::string& s) { AppendText(out, s); }
inline void Append(std::string* out, std::string_view s) { AppendText(out, s); }
inline void Append(std::string* out, char c) { AppendChar(out, c); }
inline void Append(std::string* out, bool b) { AppendText(out, b ? "true" : "false"); }
template <typename T>
void Append(std::string* out, T value) {
  if constexpr (std::is_convertible_v<T, const char*>) {
    AppendText(out, static_cast<const char*>(value));
  } else if constexpr (std::is_enum_v<T>) {
    AppendSigned(out, static_cast<long long>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    AppendFloat(out, static_cast<double>(value));
  } else if constexpr (std::is_signed_v<T>) {
    static_assert(std::is_integral_v<T>, "StrCat takes strings, characters and numbers");
    AppendSigned(out, value);  // int8_t prints as a number
  } else {
    static_assert(std::is_integral_v<T>, "StrCat takes strings, characters and numbers");
    AppendUnsigned(out, value);  // uint8_t prints as a number
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

namespace str_internal {
// How ErrorStatus passes an argument on: numbers widened, strings as
// pointers, so that error sites with similar arguments share one BuildError.
template <typename T>
struct PassAs {
  using type = const T&;
};
template <typename T, size_t N>
struct PassAs<T[N]> {
  using type = const T*;
};
template <typename T>
struct PassAs<T*> {
  using type = T*;
};
#define QLITE_PASS_AS(from, to) \
  template <>                   \
  struct PassAs<from> {         \
    using type = to;            \
  };
QLITE_PASS_AS(bool, bool)
QLITE_PASS_AS(char, char)
QLITE_PASS_AS(signed char, long long)
QLITE_PASS_AS(short, long long)
QLITE_PASS_AS(int, long long)
QLITE_PASS_AS(long, long long)
QLITE_PASS_AS(long long, long long)
QLITE_PASS_AS(unsigned char, unsigned long long)
QLITE_PASS_AS(unsigned short, unsigned long long)
QLITE_PASS_AS(unsigned int, unsigned long long)
QLITE_PASS_AS(unsigned long, unsigned long long)
QLITE_PASS_AS(unsigned long long, unsigned long long)
QLITE_PASS_AS(float, double)
QLITE_PASS_AS(double, double)
#undef QLITE_PASS_AS

template <typename... Pass>
[[gnu::noinline]] Status BuildError(Pass... args);
}  // namespace str_internal

// An error whose message concatenates `args`, built in place by one
// out-of-line function per argument-type list rather than at every site.
template <typename... Args>
Status ErrorStatus(const Args&... args) {
  return str_internal::BuildError<typename str_internal::PassAs<Args>::type...>(args...);
}

template <typename... Pass>
Status str_internal::BuildError(Pass... args) {
  Status status = Status::Error(std::string());
  (Append(&status.message_, args), ...);
  return status;
}

}  // namespace qlite

#define QLITE_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::qlite::Status qlite_status_ = (expr);        \
    if (!qlite_status_.ok()) return qlite_status_; \
  } while (0)

// Fails the enclosing Status-returning function with a message built from
// the remaining arguments when `cond` does not hold.
#define QLITE_ENSURE(cond, ...)                            \
  do {                                                     \
    if (!(cond)) return ::qlite::ErrorStatus(__VA_ARGS__); \
  } while (0)
