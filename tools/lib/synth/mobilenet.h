// Keras's MobileNet v1 and v2 as synthetic float graphs (synth.h builds,
// calibrates and quantizes them).
#pragma once

#include "tools/lib/synth/float_graph.h"
#include "tools/lib/synth/synth.h"

namespace qlite::synth {

// Channel count for `base` channels at width `alpha`, as Keras does it:
// v1 truncates (int(base * alpha)); v2 rounds to the nearest multiple of 8,
// at least 8, and never more than 10 % below base * alpha.
int ScaledChannels(Arch arch, int base, float alpha);

// Each builds on `input` and sets the graph's output: [1, classes] softmax.
void BuildMobileNetV1(const SynthOptions& o, FloatGraph* g, int input);
void BuildMobileNetV2(const SynthOptions& o, FloatGraph* g, int input);

}  // namespace qlite::synth
