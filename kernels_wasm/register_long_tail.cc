#include "kernels_wasm/register_kernels.h"

#include "core/op_table.h"

namespace qlite {

namespace simd {
const KernelRegistration* ResizeBilinear();  // resize.cc (int8, float32)
const KernelRegistration* DepthToSpace();    // depth_to_space.cc (every dtype)
const KernelRegistration* BatchMatMul();     // batch_matmul.cc (float32, int8, int16x8)
const KernelRegistration* Mean();            // mean.cc (float32)
}  // namespace simd

void RegisterLongTailSimdKernels() {
  static const bool kRegistered = [] {
    RegisterKernelOverride(BuiltinOp::kResizeBilinear, simd::ResizeBilinear());
    RegisterKernelOverride(BuiltinOp::kDepthToSpace, simd::DepthToSpace());
    RegisterKernelOverride(BuiltinOp::kBatchMatmul, simd::BatchMatMul());
    RegisterKernelOverride(BuiltinOp::kMean, simd::Mean());
    return true;
  }();
  (void)kRegistered;
}

}  // namespace qlite
