#include "core/kernels/registry.h"

namespace qlite {

namespace {
const KernelRegistration* FindReference(BuiltinOp op) {
  switch (op) {
    case BuiltinOp::kConv2D: return ref::Conv2D();
    case BuiltinOp::kDepthwiseConv2D: return ref::DepthwiseConv2D();
    case BuiltinOp::kTransposeConv: return ref::TransposeConv();
    case BuiltinOp::kFullyConnected: return ref::FullyConnected();
    case BuiltinOp::kMaxPool2D: return ref::MaxPool2D();
    case BuiltinOp::kAveragePool2D: return ref::AveragePool2D();
    case BuiltinOp::kReshape: return ref::Reshape();
    case BuiltinOp::kSoftmax: return ref::Softmax();
    case BuiltinOp::kAdd: return ref::Add();
    case BuiltinOp::kSub: return ref::Sub();
    case BuiltinOp::kMul: return ref::Mul();
    case BuiltinOp::kMaximum: return ref::Maximum();
    case BuiltinOp::kMinimum: return ref::Minimum();
    case BuiltinOp::kQuantize: return ref::Quantize();
    case BuiltinOp::kDequantize: return ref::Dequantize();
    case BuiltinOp::kConcatenation: return ref::Concatenation();
    case BuiltinOp::kPad: return ref::Pad();
    case BuiltinOp::kPadV2: return ref::Pad();
    case BuiltinOp::kTranspose: return ref::Transpose();
    case BuiltinOp::kSqueeze: return ref::Squeeze();
    case BuiltinOp::kStridedSlice: return ref::StridedSlice();
    case BuiltinOp::kMean: return ref::Mean();
    case BuiltinOp::kRelu: return ref::Relu();
    case BuiltinOp::kRelu6: return ref::Relu6();
    case BuiltinOp::kReluN1To1: return ref::ReluN1To1();
    case BuiltinOp::kLeakyRelu: return ref::LeakyRelu();
    case BuiltinOp::kHardSwish: return ref::HardSwish();
    case BuiltinOp::kLogistic: return ref::Logistic();
    case BuiltinOp::kTanh: return ref::Tanh();
    default: return nullptr;
  }
}

// SIMD kernels (kernels_wasm/) for the hot paths; nullptr: none for this op.
const KernelRegistration* FindSimd(BuiltinOp op) {
  switch (op) {
    case BuiltinOp::kConv2D: return simd::Conv2D();
    case BuiltinOp::kFullyConnected: return simd::FullyConnected();
    case BuiltinOp::kMaxPool2D: return simd::MaxPool2D();
    case BuiltinOp::kAveragePool2D: return simd::AveragePool2D();
    case BuiltinOp::kAdd: return simd::Add();
    case BuiltinOp::kDepthwiseConv2D: return simd::DepthwiseConv2D();
    case BuiltinOp::kQuantize: return simd::Quantize();
    default: return nullptr;
  }
}
}  // namespace

const KernelRegistration* FindKernel(BuiltinOp op, KernelSet set) {
  if (set == KernelSet::kSimd) {
    if (const KernelRegistration* k = FindSimd(op)) return k;
  }
  return FindReference(op);
}

const char* KernelSetName(KernelSet set) {
  return set == KernelSet::kSimd ? "simd" : "reference";
}

}  // namespace qlite
