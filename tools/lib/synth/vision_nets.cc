#include "tools/lib/synth/vision_nets.h"

#include <string>
#include <vector>

#include "core/status.h"

namespace qlite::synth {

namespace {

// BlazeFace's BlazeBlock: depthwise 5x5 (strided in reduction blocks), 1x1
// projection, and a skip through 2x2 max pooling (strided) and zero channel
// padding (wider output), added with ReLU.
int BlazeBlock(FloatGraph* g, const std::string& name, int x, int out_c, int stride) {
  const int in_c = g->shape(x)[3];
  int y = g->Depthwise(name + "/depthwise", x, 5, stride, Activation::kNone);
  y = g->Conv(name + "/project", y, out_c, 1, 1, Activation::kNone);
  int skip = stride == 2 ? g->MaxPool2x2(name + "/skip_pool", x) : x;
  if (out_c > in_c) skip = g->PadChannels(name + "/skip_pad", skip, out_c);
  return g->Add(name + "/add", y, skip, Activation::kRelu);
}

// MobileNet v2's inverted residual: 1x1 expansion (ReLU6), k x k depthwise
// (ReLU6), linear 1x1 projection, ADD when the shapes allow.
int InvertedResidual(FloatGraph* g, const std::string& name, int x, int out_c, int k, int stride,
                     int expansion) {
  const int in_c = g->shape(x)[3];
  int y = x;
  if (expansion != 1) {
    y = g->Conv(name + "/expand", y, in_c * expansion, 1, 1, Activation::kRelu6);
  }
  y = g->Depthwise(name + "/depthwise", y, k, stride, Activation::kRelu6);
  y = g->Conv(name + "/project", y, out_c, 1, 1, Activation::kNone);
  return stride == 1 && in_c == out_c ? g->Add(name + "/add", x, y) : y;
}

// One anchor head: 1x1 conv to anchors * values per anchor, as [1, H*W*anchors, values].
int AnchorHead(FloatGraph* g, const std::string& name, int x, int anchors, int values) {
  const std::vector<int32_t> s = g->shape(x);
  const int y = g->Conv(name, x, anchors * values, 1, 1, Activation::kNone);
  return g->Reshape(name + "/reshape", y, {1, s[1] * s[2] * anchors, values});
}

}  // namespace

void BuildBlazeFace(FloatGraph* g, int x) {
  x = g->Conv("conv0", x, 24, 5, 2, Activation::kRelu);
  struct Block {
    int out_c, stride;
  };
  const Block single[] = {{24, 1}, {28, 1}, {32, 2}, {36, 1}, {42, 1}, {48, 2},
                          {56, 1}, {64, 1}, {72, 1}, {80, 1}, {88, 1}};
  int id = 0;
  for (const Block& b : single) x = BlazeBlock(g, StrCat("blaze", id++), x, b.out_c, b.stride);
  const int fine = x;  // 16x16 at 128x128: two anchors per cell
  const Block coarse_blocks[] = {{96, 2}, {96, 1}, {96, 1}, {96, 1}, {96, 1}};
  for (const Block& b : coarse_blocks)
    x = BlazeBlock(g, StrCat("blaze", id++), x, b.out_c, b.stride);
  const int coarse = x;  // 8x8: six anchors per cell
  const int scores = g->Concatenate(
      "classificators",
      {AnchorHead(g, "classifier_16", fine, 2, 1), AnchorHead(g, "classifier_8", coarse, 6, 1)}, 1);
  const int boxes = g->Concatenate(
      "regressors",
      {AnchorHead(g, "regressor_16", fine, 2, 16), AnchorHead(g, "regressor_8", coarse, 6, 16)}, 1);
  g->builder().SetOutputs({boxes, scores});
}

void BuildLandmark(FloatGraph* g, int x) {
  x = g->Conv("conv0", x, 24, 3, 2, Activation::kRelu6);
  struct Block {
    int out_c, k, stride;
  };
  const Block blocks[] = {{24, 3, 1},  {32, 5, 2},  {32, 3, 1},  {48, 5, 2},
                          {48, 3, 1},  {96, 5, 2},  {96, 3, 1},  {96, 3, 1},
                          {128, 3, 1}, {192, 5, 2}, {192, 3, 1}, {192, 3, 1}};
  int id = 0;
  for (const Block& b : blocks) {
    const int expansion = id == 0 ? 1 : 4;  // the first block works at the stem's width
    x = InvertedResidual(g, StrCat("block", id++), x, b.out_c, b.k, b.stride, expansion);
  }
  x = g->Conv("conv_last", x, 576, 1, 1, Activation::kRelu6);
  x = g->GlobalAveragePool("pool", x);
  x = g->Reshape("flatten", x, {1, 576});
  const int landmarks = g->FullyConnected("landmarks", x, 63);  // 21 points x (x, y, z)
  const int presence = g->Logistic("presence", g->FullyConnected("presence_logit", x, 1));
  g->builder().SetOutputs({landmarks, presence});
}

void BuildSegmentation(FloatGraph* g, int x) {
  const std::vector<int32_t> in = g->shape(x);
  x = g->Conv("conv0", x, 16, 3, 2, Activation::kRelu6);
  struct Block {
    int out_c, stride;
  };
  const Block encoder[] = {{24, 2}, {24, 1}, {32, 2}, {32, 1}, {64, 2}, {64, 1}, {96, 2}, {96, 1}};
  std::vector<int> skips;  // the last tensor of each resolution, for the decoder
  int id = 0;
  for (const Block& b : encoder) {
    if (b.stride == 2) skips.push_back(x);
    x = InvertedResidual(g, StrCat("encoder", id++), x, b.out_c, 3, b.stride, 4);
  }
  // Decoder: upsample 2x, match the skip's channels, add, refine; up to 1/2 size.
  for (int level = static_cast<int>(skips.size()) - 1; level >= 0; --level) {
    const int skip = skips[level];
    const std::vector<int32_t> s = g->shape(skip);
    const std::string name = StrCat("decoder", level);
    x = g->ResizeBilinear(name + "/upsample", x, s[1], s[2]);
    x = g->Conv(name + "/match", x, s[3], 1, 1, Activation::kNone);
    x = g->Add(name + "/add", x, skip, Activation::kRelu);
    x = g->Depthwise(name + "/refine_dw", x, 3, 1, Activation::kRelu);
    x = g->Conv(name + "/refine_pw", x, s[3], 1, 1, Activation::kRelu);
  }
  x = g->Conv("mask_logits_half", x, 1, 3, 1, Activation::kNone);
  x = g->ResizeBilinear("mask_logits", x, in[1], in[2]);
  g->builder().SetOutputs({g->Logistic("mask", x)});
}

}  // namespace qlite::synth
