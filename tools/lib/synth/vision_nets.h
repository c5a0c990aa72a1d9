// Float graphs shaped like the vision models people run in browsers, for
// benchmarks (random weights; the shapes, op mix and MAC counts are what
// matter): a BlazeFace-style detector (5x5 depthwise BlazeBlocks, max-pooled
// and channel-padded skips, two anchor heads), a landmark regressor
// (inverted residual blocks to 7x7, landmark and presence heads) and a
// small segmentation net (encoder, RESIZE_BILINEAR decoder with skips,
// per-pixel LOGISTIC mask).
#pragma once

#include "tools/lib/synth/float_graph.h"

namespace qlite::synth {

// Each builds on `input` ([1, H, W, C] float32) and sets the graph's outputs.
void BuildBlazeFace(FloatGraph* g, int input);
void BuildLandmark(FloatGraph* g, int input);
void BuildSegmentation(FloatGraph* g, int input);

}  // namespace qlite::synth
