// Synthetic benchmark models: real-size MobileNet v1 and v2 graphs with
// seeded random weights, built as float models through ModelBuilder, then
// calibrated on seeded random inputs and quantized to full int8 with the
// quantizer, as TFLite's converter would. The weights mean nothing; the
// shapes, op mix and MAC counts are those of the Keras applications.
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"
#include "core/status.h"
#include "quantize/quantizer.h"

namespace qlite::synth {

enum class Arch { kMobileNetV1, kMobileNetV2 };

// "mobilenet_v1" / "mobilenet_v2"; false if unknown.
bool ParseArch(const std::string& text, Arch* arch);
const char* ArchName(Arch arch);

struct MobileNetOptions {
  Arch arch = Arch::kMobileNetV2;
  float alpha = 1.0f;  // width multiplier
  int size = 224;      // input height = width
  int channels = 3;    // 1 (grayscale) or 3
  int classes = 1000;
  uint64_t seed = 1;
  int calibration_samples = 4;  // random inputs for the activation ranges
  IoType io = IoType::kInt8;    // model input/output type of the int8 model
};

// The defaults the issue names: v2 1.0 @ 224 RGB, v1 0.25 @ 96 grayscale.
MobileNetOptions DefaultOptions(Arch arch);

// Channel count for `base` channels at width `alpha`, as Keras does it:
// v1 truncates (int(base * alpha)); v2 rounds to the nearest multiple of 8,
// at least 8, and never more than 10 % below base * alpha.
int ScaledChannels(Arch arch, int base, float alpha);

// The float graph: input [1, size, size, channels] float32 in [-1, 1] (the
// MobileNet preprocessing range), output [1, classes] softmax.
Status BuildFloatMobileNet(const MobileNetOptions& options, Model* model);

// Float graph -> calibration on `calibration_samples` seeded uniform [-1, 1]
// inputs -> full int8 (QuantMode::kInt8) with `io` inputs/outputs.
Status SynthesizeInt8MobileNet(const MobileNetOptions& options, Model* model);

// The float graph with float16 weights and biases, each read through
// DEQUANTIZE (QuantMode::kFloat16), as float16 .tflite files ship.
Status SynthesizeFloat16MobileNet(const MobileNetOptions& options, Model* model);

}  // namespace qlite::synth
