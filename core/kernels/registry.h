// The one place that decides which kernel implementation an op gets.
#pragma once

#include "core/kernel_api.h"
#include "core/model.h"

namespace qlite {

enum class KernelSet { kReference, kSimd };

// The kernel for `op` from `set`, falling back to the reference kernel when
// the set has no implementation of its own; nullptr if qlite has none.
const KernelRegistration* FindKernel(BuiltinOp op, KernelSet set);

const char* KernelSetName(KernelSet set);

// Reference kernels, one per op family file in core/kernels/.
namespace ref {
const KernelRegistration* Conv2D();           // conv.cc
const KernelRegistration* DepthwiseConv2D();  // depthwise_conv.cc
const KernelRegistration* TransposeConv();    // transpose_conv.cc
const KernelRegistration* FullyConnected();   // fully_connected.cc
const KernelRegistration* MaxPool2D();        // pooling.cc
const KernelRegistration* AveragePool2D();    // pooling.cc
const KernelRegistration* Reshape();          // reshape.cc
const KernelRegistration* Softmax();          // softmax.cc
const KernelRegistration* Add();              // add_sub.cc
const KernelRegistration* Sub();              // add_sub.cc
const KernelRegistration* Mul();              // mul.cc
const KernelRegistration* Maximum();          // maximum_minimum.cc
const KernelRegistration* Minimum();          // maximum_minimum.cc
const KernelRegistration* Quantize();         // quantize.cc
const KernelRegistration* Dequantize();       // quantize.cc
const KernelRegistration* Concatenation();    // concatenation.cc
const KernelRegistration* Pad();              // pad.cc (PAD and PADV2)
const KernelRegistration* Transpose();        // transpose.cc
const KernelRegistration* Squeeze();          // squeeze.cc
const KernelRegistration* StridedSlice();     // strided_slice.cc
const KernelRegistration* Mean();             // mean.cc
const KernelRegistration* Relu();             // activations.cc
const KernelRegistration* Relu6();            // activations.cc
const KernelRegistration* ReluN1To1();        // activations.cc
const KernelRegistration* LeakyRelu();        // activations.cc
const KernelRegistration* HardSwish();        // activations.cc
const KernelRegistration* Logistic();         // logistic_tanh.cc
const KernelRegistration* Tanh();             // logistic_tanh.cc
}  // namespace ref

// SIMD kernels (kernels_wasm/, wasm_simd128.h; natively through SIMDe). Each
// declines (KernelRegistration::accepts) the dtypes it does not cover.
namespace simd {
const KernelRegistration* Conv2D();           // conv.cc (int8, float32)
const KernelRegistration* FullyConnected();   // fully_connected.cc (int8, float32)
const KernelRegistration* MaxPool2D();        // pooling.cc (int8)
const KernelRegistration* AveragePool2D();    // pooling.cc (int8)
const KernelRegistration* Add();              // add.cc (int8)
const KernelRegistration* DepthwiseConv2D();  // depthwise_conv.cc (int8, float32)
const KernelRegistration* Quantize();         // quantize.cc (8-bit -> 8-bit)
}  // namespace simd

}  // namespace qlite
