// The split wasm build leaves the op table's long tail out of qlite_core (the
// package ships it as qlite-ops.wasm). This static test executable links the
// long tail's sources instead and registers its rows before any test runs,
// as the package does when it links the op module.
#include "core/op_rows.h"
#include "kernels_wasm/register_kernels.h"

namespace {

const bool kLongTailRegistered = [] {
  qlite::RegisterLongTailSimdKernels();
  return qlite::RegisterLongTailOpRows() > 0;
}();

}  // namespace
