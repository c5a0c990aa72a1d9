#include "tools/lib/synth/synth.h"

#include <utility>
#include <vector>

#include "data/dataset.h"
#include "tools/lib/synth/float_graph.h"
#include "tools/lib/synth/mobilenet.h"
#include "tools/lib/synth/vision_nets.h"
#include "train/random.h"

namespace qlite::synth {

namespace {

struct ArchEntry {
  Arch arch;
  const char* name;
  int size;  // default input side
};
constexpr ArchEntry kArchs[] = {
    {Arch::kMobileNetV1, "mobilenet_v1", 96},   {Arch::kMobileNetV2, "mobilenet_v2", 224},
    {Arch::kBlazeFace, "blazeface", 128},       {Arch::kLandmark, "landmark", 224},
    {Arch::kSegmentation, "segmentation", 256},
};

bool IsMobileNet(Arch arch) { return arch == Arch::kMobileNetV1 || arch == Arch::kMobileNetV2; }

std::string Describe(const SynthOptions& o) {
  return IsMobileNet(o.arch)
             ? StrCat("qlite synth ", ArchName(o.arch), " --alpha ", o.alpha, " --size ", o.size,
                      " --channels ", o.channels, " --seed ", o.seed, " (random weights)")
             : StrCat("qlite synth ", ArchName(o.arch), " --size ", o.size, " --channels ",
                      o.channels, " --seed ", o.seed, " (random weights)");
}

}  // namespace

bool ParseArch(const std::string& text, Arch* arch) {
  for (const ArchEntry& e : kArchs) {
    if (text == e.name) {
      *arch = e.arch;
      return true;
    }
  }
  return false;
}

const char* ArchName(Arch arch) {
  for (const ArchEntry& e : kArchs) {
    if (e.arch == arch) return e.name;
  }
  return "?";
}

SynthOptions DefaultOptions(Arch arch) {
  SynthOptions o;
  o.arch = arch;
  for (const ArchEntry& e : kArchs) {
    if (e.arch == arch) o.size = e.size;
  }
  if (arch == Arch::kMobileNetV1) {
    o.alpha = 0.25f;
    o.channels = 1;
  }
  return o;
}

Status BuildFloatNet(const SynthOptions& o, Model* model) {
  QLITE_ENSURE(o.alpha > 0.0f && o.alpha <= 4.0f, "alpha must be in (0, 4], got ", o.alpha);
  QLITE_ENSURE(IsMobileNet(o.arch) || o.alpha == 1.0f, "--alpha applies to the MobileNets only");
  QLITE_ENSURE(o.size >= 32 && o.size <= 1024, "size must be in [32, 1024], got ", o.size);
  // The detector's anchors and the decoder's skips need a side divisible by 32.
  QLITE_ENSURE(IsMobileNet(o.arch) || o.size % 32 == 0, ArchName(o.arch),
               " needs a size divisible by 32, got ", o.size);
  QLITE_ENSURE(o.channels == 1 || o.channels == 3, "channels must be 1 or 3, got ", o.channels);
  QLITE_ENSURE(o.classes >= 1, "classes must be at least 1, got ", o.classes);
  FloatGraph g(o.seed);
  const int input = g.Input("input", {1, o.size, o.size, o.channels});
  switch (o.arch) {
    case Arch::kMobileNetV1: BuildMobileNetV1(o, &g, input); break;
    case Arch::kMobileNetV2: BuildMobileNetV2(o, &g, input); break;
    case Arch::kBlazeFace: BuildBlazeFace(&g, input); break;
    case Arch::kLandmark: BuildLandmark(&g, input); break;
    case Arch::kSegmentation: BuildSegmentation(&g, input); break;
  }
  g.builder().model().description = Describe(o);
  *model = g.builder().Build();
  return Status::Ok();
}

Status SynthesizeInt8(const SynthOptions& o, Model* model) {
  QLITE_ENSURE(o.calibration_samples >= 1, "calibration needs at least one sample");
  Model float_model;
  QLITE_RETURN_IF_ERROR(BuildFloatNet(o, &float_model));

  // Calibration inputs come from their own stream, so they do not depend on
  // how many weights the graph drew.
  train::Rng rng(train::HashKeys(o.seed, 0xCA11B4A7ull));
  const size_t input_size = static_cast<size_t>(o.size) * o.size * o.channels;
  std::vector<std::vector<std::vector<float>>> samples(o.calibration_samples);
  for (auto& sample : samples) {
    std::vector<float> image(input_size);
    for (float& v : image) v = rng.Uniform(-1.0f, 1.0f);
    sample.push_back(std::move(image));
  }
  VectorDataset dataset(std::move(samples));
  RangeMap ranges;
  QLITE_RETURN_IF_ERROR(Calibrate(float_model, dataset, &ranges).WithContext("calibration: "));

  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  options.io = o.io;
  Model quantized;
  QLITE_RETURN_IF_ERROR(QuantizeModel(float_model, ranges, options, &quantized));
  quantized.description = float_model.description;
  *model = std::move(quantized);
  return Status::Ok();
}

Status SynthesizeFloat16(const SynthOptions& o, Model* model) {
  Model float_model;
  QLITE_RETURN_IF_ERROR(BuildFloatNet(o, &float_model));
  QuantizeOptions options;
  options.mode = QuantMode::kFloat16;
  Model half;
  QLITE_RETURN_IF_ERROR(QuantizeModel(float_model, RangeMap(), options, &half));
  half.description = StrCat(float_model.description, ", float16 weights");
  *model = std::move(half);
  return Status::Ok();
}

}  // namespace qlite::synth
