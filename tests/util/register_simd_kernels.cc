// Test binaries that compare kernel sets register the SIMD kernels before
// any test runs, as the CLI, the npm package and the GUI do at start.
#include "kernels_wasm/register_kernels.h"

namespace {
const bool kSimdKernelsRegistered = [] {
  qlite::RegisterSimdKernels();
  return true;
}();
}  // namespace
