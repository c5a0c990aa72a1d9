// GATHER's options (tests and the cross-runtime models build them).
#pragma once

#include <cstdint>

namespace qlite {

struct GatherOptions {
  int32_t axis = 0;        // the params dimension indexed; negative counts from the end
  int32_t batch_dims = 0;  // leading dimensions params and indices share; negative counts
                           // from the end of indices
};

}  // namespace qlite
