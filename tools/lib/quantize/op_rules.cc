#include "tools/lib/quantize/op_rules.h"

#include <type_traits>
#include <variant>

namespace qlite {

QuantOpRule QuantRuleFor(BuiltinOp op) {
  QuantOpRule r;
  auto both = [&r] { r.int8 = r.int16 = true; };
  switch (op) {
    case BuiltinOp::kConv2D:
      both();
      r.weights_input = 1;
      r.weights_channel_dim = 0;  // [out, h, w, in]
      r.bias_input = 2;
      r.int8_version = 3;
      r.int16_version = 4;
      break;
    case BuiltinOp::kDepthwiseConv2D:
      both();
      r.weights_input = 1;
      r.weights_channel_dim = 3;  // [1, h, w, in * multiplier]
      r.bias_input = 2;
      r.int8_version = 3;
      r.int16_version = 5;
      break;
    case BuiltinOp::kFullyConnected:
      both();
      r.weights_input = 1;
      r.weights_channel_dim = 0;  // [units, depth]
      r.bias_input = 2;
      r.int8_version = 4;
      r.int16_version = 7;
      break;
    case BuiltinOp::kMaxPool2D:
    case BuiltinOp::kAveragePool2D:
    case BuiltinOp::kReshape:
    case BuiltinOp::kSqueeze:
    case BuiltinOp::kTranspose:
    case BuiltinOp::kStridedSlice:
    case BuiltinOp::kPad:
    case BuiltinOp::kPadV2:
      both();
      r.output = OutputParams::kSameAsInput;
      break;
    case BuiltinOp::kSoftmax:
    case BuiltinOp::kLogistic:
    case BuiltinOp::kTanh:
      both();
      r.output = OutputParams::kFixed;
      break;
    case BuiltinOp::kAdd:
    case BuiltinOp::kSub:
    case BuiltinOp::kMul:
      both();
      r.activation_inputs = 2;
      break;
    case BuiltinOp::kMaximum:
    case BuiltinOp::kMinimum:
      both();
      r.activation_inputs = 2;
      r.inputs_share_output_params = true;
      break;
    case BuiltinOp::kConcatenation:
      both();
      r.activation_inputs = -1;
      r.inputs_share_output_params = true;
      break;
    case BuiltinOp::kMean:
    case BuiltinOp::kRelu:
    case BuiltinOp::kRelu6:
    case BuiltinOp::kReluN1To1:
    case BuiltinOp::kLeakyRelu:
      both();
      break;
    case BuiltinOp::kHardSwish:
      r.int8 = true;  // TFLite has no int16 HARD_SWISH
      break;
    default:
      break;
  }
  // Operator versions where they differ from the common int8 = 2, int16 = 3
  // (TFLite's op_version rules; a runtime rejects versions it does not register,
  // e.g. LiteRT has RESHAPE version 1 only).
  switch (op) {
    case BuiltinOp::kReshape:
    case BuiltinOp::kSqueeze:
    case BuiltinOp::kReluN1To1:
    case BuiltinOp::kHardSwish:
      r.int8_version = r.int16_version = 1;  // one version for every type
      break;
    case BuiltinOp::kStridedSlice:
      r.int16_version = 1;  // int16 has no version of its own
      break;
    case BuiltinOp::kLeakyRelu:
      r.int8_version = 1;
      r.int16_version = 2;
      break;
    case BuiltinOp::kMul:
    case BuiltinOp::kMaximum:
    case BuiltinOp::kMinimum:
      r.int16_version = 4;
      break;
    case BuiltinOp::kSub:
    case BuiltinOp::kTranspose:
      r.int16_version = 5;  // SUB: general int16 scales (pot_scale_int16 = false)
      break;
    default:
      break;
  }
  return r;
}

void FixedOutputParams(BuiltinOp op, bool int16, float* scale, int64_t* zero_point) {
  if (int16) {
    *scale = 1.0f / 32768.0f;
    *zero_point = 0;
  } else if (op == BuiltinOp::kTanh) {
    *scale = 1.0f / 128.0f;
    *zero_point = 0;
  } else {  // SOFTMAX, LOGISTIC: [0, 1)
    *scale = 1.0f / 256.0f;
    *zero_point = -128;
  }
}

Activation FusedActivation(const OpOptions& options) {
  return std::visit(
      [](const auto& o) -> Activation {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, Conv2DOptions> ||
                      std::is_same_v<T, DepthwiseConv2DOptions> ||
                      std::is_same_v<T, Pool2DOptions> ||
                      std::is_same_v<T, FullyConnectedOptions> ||
                      std::is_same_v<T, ElementwiseOptions> ||
                      std::is_same_v<T, ConcatenationOptions> ||
                      std::is_same_v<T, TransposeConvOptions>) {
          return o.activation;
        } else {
          return Activation::kNone;
        }
      },
      options);
}

}  // namespace qlite
