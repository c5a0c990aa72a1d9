// SPLIT's and SPLIT_V's options (tests and the quantizer build them).
#pragma once

#include <cstdint>

namespace qlite {

struct SplitOptions {
  int32_t num_splits = 0;  // number of outputs
};

struct SplitVOptions {
  int32_t num_splits = 0;  // number of outputs (entries of size_splits)
};

}  // namespace qlite
