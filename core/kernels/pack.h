// PACK's and UNPACK's options (tests and the quantizer build them).
#pragma once

#include <cstdint>

namespace qlite {

struct PackOptions {
  int32_t values_count = 0;  // number of inputs
  int32_t axis = 0;          // the new dimension's place in the output
};

struct UnpackOptions {
  int32_t num = 0;   // number of outputs: the size of dimension `axis`
  int32_t axis = 0;  // the input dimension taken apart
};

}  // namespace qlite
