#include "tools/lib/synth/mobilenet.h"

#include <algorithm>
#include <string>

namespace qlite::synth {

// Keras MobileNet (v1): conv 3x3/2, 13 depthwise-separable blocks, global
// average pool, 1x1 conv classifier, reshape, softmax.
void BuildMobileNetV1(const SynthOptions& o, FloatGraph* g, int x) {
  const auto ch = [&](int base) { return ScaledChannels(Arch::kMobileNetV1, base, o.alpha); };
  x = g->Conv("conv1", x, ch(32), 3, 2, Activation::kRelu6);
  struct Block {
    int filters, stride;
  };
  const Block blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},  {512, 2}, {512, 1},
                          {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  int id = 1;
  for (const Block& b : blocks) {
    const std::string name = StrCat("block", id++);
    x = g->Depthwise(name + "/conv_dw", x, 3, b.stride, Activation::kRelu6);
    x = g->Conv(name + "/conv_pw", x, ch(b.filters), 1, 1, Activation::kRelu6);
  }
  x = g->GlobalAveragePool("global_average_pooling2d", x);
  x = g->Conv("conv_preds", x, o.classes, 1, 1, Activation::kNone);
  x = g->Reshape("reshape", x, {1, o.classes});
  x = g->Softmax("predictions", x);
  g->builder().SetOutputs({x});
}

// Keras MobileNetV2: conv 3x3/2, 17 inverted residual blocks (expansion 6
// except the first, ReLU6, linear bottleneck, ADD when shapes allow), 1x1
// conv to 1280, global average pool, dense classifier, softmax.
void BuildMobileNetV2(const SynthOptions& o, FloatGraph* g, int x) {
  const auto ch = [&](int base) { return ScaledChannels(Arch::kMobileNetV2, base, o.alpha); };
  x = g->Conv("Conv1", x, ch(32), 3, 2, Activation::kRelu6);
  struct Block {
    int filters, stride, expansion;
  };
  const Block blocks[] = {{16, 1, 1}, {24, 2, 6},  {24, 1, 6},  {32, 2, 6},  {32, 1, 6}, {32, 1, 6},
                          {64, 2, 6}, {64, 1, 6},  {64, 1, 6},  {64, 1, 6},  {96, 1, 6}, {96, 1, 6},
                          {96, 1, 6}, {160, 2, 6}, {160, 1, 6}, {160, 1, 6}, {320, 1, 6}};
  int id = 0;
  for (const Block& b : blocks) {
    const std::string name = StrCat("block_", id++);
    const int in_c = g->shape(x)[3];
    // Keras truncates filters * alpha before rounding here (not for the stem).
    const int out_c =
        ScaledChannels(Arch::kMobileNetV2, static_cast<int>(b.filters * o.alpha), 1.0f);
    int y = x;
    if (b.expansion != 1)
      y = g->Conv(name + "_expand", y, in_c * b.expansion, 1, 1, Activation::kRelu6);
    y = g->Depthwise(name + "_depthwise", y, 3, b.stride, Activation::kRelu6);
    y = g->Conv(name + "_project", y, out_c, 1, 1, Activation::kNone);
    if (b.stride == 1 && in_c == out_c) y = g->Add(name + "_add", x, y);
    x = y;
  }
  const int last = o.alpha > 1.0f ? ScaledChannels(Arch::kMobileNetV2, 1280, o.alpha) : 1280;
  x = g->Conv("Conv_1", x, last, 1, 1, Activation::kRelu6);
  x = g->GlobalAveragePool("global_average_pooling2d", x);
  x = g->Reshape("flatten", x, {1, last});
  x = g->FullyConnected("predictions", x, o.classes);
  x = g->Softmax("predictions/Softmax", x);
  g->builder().SetOutputs({x});
}

int ScaledChannels(Arch arch, int base, float alpha) {
  const double v = static_cast<double>(base) * alpha;
  if (arch == Arch::kMobileNetV1) return std::max(1, static_cast<int>(v));
  constexpr int kDivisor = 8;
  int rounded = std::max(kDivisor, static_cast<int>(v + kDivisor / 2.0) / kDivisor * kDivisor);
  if (rounded < 0.9 * v) rounded += kDivisor;
  return rounded;
}

}  // namespace qlite::synth
