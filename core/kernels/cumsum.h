// CUMSUM's options (tests and the quantizer build them).
#pragma once

namespace qlite {

struct CumsumOptions {
  bool exclusive = false;  // output[i] sums the elements before i
  bool reverse = false;    // sum from the end of the axis
};

}  // namespace qlite
