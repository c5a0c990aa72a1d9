// qlite-ops.wasm, the side module of the split wasm build: the long tail of
// the op table (core/op_table_long_tail.cc and its kernel files) and their
// SIMD kernels (RESIZE_BILINEAR, DEPTH_TO_SPACE). The package
// calls qlite_ops_register() once after loading it into a main module; the
// main module then finds these rows after its own (RegisterModuleOpRows).
#include "core/op_rows.h"
#include "kernels_wasm/register_kernels.h"

extern "C" __attribute__((visibility("default"))) int qlite_ops_register() {
  qlite::RegisterLongTailSimdKernels();  // used only by interpreters made with SIMD kernels
  return static_cast<int>(qlite::RegisterLongTailOpRows());
}
