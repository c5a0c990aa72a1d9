#include "data/parse_number.h"

#include <cerrno>
#include <cstdlib>

namespace qlite {

Status ParseInt(const std::string& text, long lo, long hi, const char* what, long* value) {
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  QLITE_ENSURE(!text.empty() && *end == '\0' && errno == 0 && v >= lo && v <= hi, what,
               " must be a whole number from ", lo, " to ", hi, ", got '", text, "'");
  *value = v;
  return Status::Ok();
}

}  // namespace qlite
