#include "kernels_wasm/register_kernels.h"

#include "core/op_table.h"

namespace qlite {

// Each defined in its kernel file; each declines (KernelRegistration::accepts)
// the dtypes and shapes it does not cover.
namespace simd {
const KernelRegistration* Conv2D();           // conv.cc (int8, float32)
const KernelRegistration* DepthwiseConv2D();  // depthwise_conv.cc (int8, float32)
const KernelRegistration* FullyConnected();   // fully_connected.cc (int8, float32)
const KernelRegistration* MaxPool2D();        // pooling.cc
const KernelRegistration* AveragePool2D();    // pooling.cc
const KernelRegistration* Add();              // elementwise_float.cc (float32; int8 by add.cc)
const KernelRegistration* Sub();              // elementwise_float.cc (float32)
const KernelRegistration* Mul();              // elementwise_float.cc (float32)
const KernelRegistration* Relu();             // activations_float.cc (float32)
const KernelRegistration* Relu6();            // activations_float.cc (float32)
const KernelRegistration* ReluN1To1();        // activations_float.cc (float32)
const KernelRegistration* Relu0To1();         // activations_float.cc (float32)
const KernelRegistration* LeakyRelu();        // activations_float.cc (float32)
const KernelRegistration* Quantize();         // quantize.cc (8-bit -> 8-bit)
}  // namespace simd

void RegisterSimdKernels() {
  static const bool kRegistered = [] {
    RegisterKernelOverride(BuiltinOp::kConv2D, simd::Conv2D());
    RegisterKernelOverride(BuiltinOp::kDepthwiseConv2D, simd::DepthwiseConv2D());
    RegisterKernelOverride(BuiltinOp::kFullyConnected, simd::FullyConnected());
    RegisterKernelOverride(BuiltinOp::kMaxPool2D, simd::MaxPool2D());
    RegisterKernelOverride(BuiltinOp::kAveragePool2D, simd::AveragePool2D());
    RegisterKernelOverride(BuiltinOp::kAdd, simd::Add());
    RegisterKernelOverride(BuiltinOp::kSub, simd::Sub());
    RegisterKernelOverride(BuiltinOp::kMul, simd::Mul());
    RegisterKernelOverride(BuiltinOp::kRelu, simd::Relu());
    RegisterKernelOverride(BuiltinOp::kRelu6, simd::Relu6());
    RegisterKernelOverride(BuiltinOp::kReluN1To1, simd::ReluN1To1());
    RegisterKernelOverride(BuiltinOp::kRelu0To1, simd::Relu0To1());
    RegisterKernelOverride(BuiltinOp::kLeakyRelu, simd::LeakyRelu());
    RegisterKernelOverride(BuiltinOp::kQuantize, simd::Quantize());
#ifndef QLITE_OPS_SPLIT
    RegisterLongTailSimdKernels();
#endif
    return true;
  }();
  (void)kRegistered;
}

}  // namespace qlite
