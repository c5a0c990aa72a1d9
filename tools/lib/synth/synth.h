// Synthetic benchmark models: real-size graphs with seeded random weights,
// built as float models (float_graph.h), then either calibrated on seeded
// random inputs and quantized to full int8 with the quantizer, as TFLite's
// converter would, or written with float16 weights. The weights mean
// nothing; the shapes, op mix and MAC counts are those of the originals:
// Keras's MobileNet v1 and v2 (mobilenet.h) and the browser vision models of
// vision_nets.h.
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"
#include "core/status.h"
#include "quantize/quantizer.h"

namespace qlite::synth {

enum class Arch { kMobileNetV1, kMobileNetV2, kBlazeFace, kLandmark, kSegmentation };

// "mobilenet_v1", "mobilenet_v2", "blazeface", "landmark", "segmentation";
// false if unknown.
bool ParseArch(const std::string& text, Arch* arch);
const char* ArchName(Arch arch);

struct SynthOptions {
  Arch arch = Arch::kMobileNetV2;
  float alpha = 1.0f;  // width multiplier (MobileNets only)
  int size = 224;      // input height = width
  int channels = 3;    // 1 (grayscale) or 3
  int classes = 1000;  // MobileNets' classifier
  uint64_t seed = 1;
  int calibration_samples = 4;  // random inputs for the activation ranges
  IoType io = IoType::kInt8;    // model input/output type of the int8 model
};

// v2 1.0 @ 224 RGB, v1 0.25 @ 96 grayscale; BlazeFace 128, landmark 224,
// segmentation 256, RGB.
SynthOptions DefaultOptions(Arch arch);

// The float graph: input [1, size, size, channels] float32 in [-1, 1].
Status BuildFloatNet(const SynthOptions& options, Model* model);

// Float graph -> calibration on `calibration_samples` seeded uniform [-1, 1]
// inputs -> full int8 (QuantMode::kInt8) with `io` inputs/outputs.
Status SynthesizeInt8(const SynthOptions& options, Model* model);

// The float graph with float16 weights and biases, each read through
// DEQUANTIZE (QuantMode::kFloat16), as float16 .tflite files ship.
Status SynthesizeFloat16(const SynthOptions& options, Model* model);

}  // namespace qlite::synth
