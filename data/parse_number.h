// Whole numbers from text (command lines, dataset specs, file headers).
#pragma once

#include <string>

#include "core/status.h"

namespace qlite {

// Parses a whole decimal number into [lo, hi]; the message names `what`.
Status ParseInt(const std::string& text, long lo, long hi, const char* what, long* value);

}  // namespace qlite
