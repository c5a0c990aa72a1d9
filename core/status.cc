#include "core/status.h"

#include <cstdio>

namespace qlite::str_internal {

void AppendText(std::string* out, const char* s) { out->append(s != nullptr ? s : "(null)"); }
void AppendText(std::string* out, const std::string& s) { out->append(s); }
void AppendText(std::string* out, std::string_view s) { out->append(s.data(), s.size()); }
void AppendChar(std::string* out, char c) { out->push_back(c); }

void AppendSigned(std::string* out, long long value) { out->append(std::to_string(value)); }
void AppendUnsigned(std::string* out, unsigned long long value) {
  out->append(std::to_string(value));
}

void AppendFloat(std::string* out, double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  out->append(text);
}

}  // namespace qlite::str_internal
