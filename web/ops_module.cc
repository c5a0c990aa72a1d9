// qlite-ops.wasm, the side module of the split wasm build: the long tail of
// the op table (core/op_table_long_tail.cc and its kernel files). The package
// calls qlite_ops_register() once after loading it into a main module; the
// main module then finds these rows after its own (RegisterModuleOpRows).
#include "core/op_rows.h"

extern "C" __attribute__((visibility("default"))) int qlite_ops_register() {
  return static_cast<int>(qlite::RegisterLongTailOpRows());
}
