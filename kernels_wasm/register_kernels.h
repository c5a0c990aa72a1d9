// The SIMD kernels' entry point: registers each as the override of its op's
// reference kernel (core/op_table.h), so that interpreters created with
// KernelSet::kSimd use them. Call once before creating such an interpreter;
// later calls do nothing.
#pragma once

namespace qlite {

void RegisterSimdKernels();

// The SIMD kernels of long-tail ops (RESIZE_BILINEAR, DEPTH_TO_SPACE): part of
// RegisterSimdKernels(), except in the split wasm build, where they live in
// qlite-ops.wasm beside their reference kernels and it registers them.
void RegisterLongTailSimdKernels();

}  // namespace qlite
