// The SIMD kernels' entry point: registers each as the override of its op's
// reference kernel (core/op_table.h), so that interpreters created with
// KernelSet::kSimd use them. Call once before creating such an interpreter;
// later calls do nothing.
#pragma once

namespace qlite {

void RegisterSimdKernels();

}  // namespace qlite
