// For SIMD kernels of long-tail ops (their reference kernels live in
// qlite-ops.wasm, which qlite.wasm cannot link against): the reference
// kernel's prepare, reached through the op table, checks the node and sets
// its output shapes; the SIMD kernel then replaces the node's OpData.
#pragma once

#include "core/op_table.h"
#include "core/status.h"

namespace qlite {

inline Status PrepareAsReference(OpContext& ctx) {
  const KernelRegistration* reference = FindKernel(ctx.op(), KernelSet::kReference);
  QLITE_ENSURE(reference != nullptr && reference->prepare != nullptr,
               "no reference kernel to prepare this node");
  return reference->prepare(ctx);
}

}  // namespace qlite
