// Whole real models (the repository's models/ and ../shared/models) run with
// the reference and the SIMD kernels on the same seeded random inputs: every
// output byte must be identical. Complements the per-op differential tests
// with the shapes and quantization parameters real converters produce.
// Native builds only (reads model files; the wasm test build has no files).
#include <gtest/gtest.h>

#include <dirent.h>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/format/model_reader.h"
#include "core/interpreter.h"

#if defined(QLITE_SOURCE_DIR) && defined(QLITE_SHARED_DIR)

namespace qlite {
namespace {

std::vector<std::string> TfliteFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return files;
  while (dirent* entry = readdir(d)) {
    const std::string name = entry->d_name;
    if (name.size() > 7 && name.compare(name.size() - 7, 7, ".tflite") == 0) {
      files.push_back(dir + "/" + name);
    }
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

// Seeded values that are valid for the input's dtype (finite floats).
std::vector<uint8_t> RandomInput(const Tensor& t, std::mt19937* rng) {
  std::vector<uint8_t> bytes(t.bytes);
  if (t.type == DType::kFloat32) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
      const float v = dist(*rng);
      std::memcpy(&bytes[i], &v, 4);
    }
  } else {
    for (uint8_t& b : bytes) b = static_cast<uint8_t>((*rng)() & 0xFF);
  }
  return bytes;
}

struct ModelRun {
  Status status;
  std::vector<std::vector<uint8_t>> outputs;
  int simd_nodes = 0;
};

ModelRun RunWholeModel(const Model& model, KernelSet kernels, uint32_t seed) {
  ModelRun run;
  std::unique_ptr<Interpreter> interpreter;
  InterpreterOptions options;
  options.kernels = kernels;
  run.status = Interpreter::Create(model, options, &interpreter);
  if (!run.status.ok()) return run;
  for (int n = 0; n < interpreter->num_nodes(); ++n) {
    if (std::strstr(interpreter->node_kernel_name(n), "simd") != nullptr) ++run.simd_nodes;
  }
  std::mt19937 rng(seed);
  for (int i = 0; i < interpreter->num_inputs(); ++i) {
    const std::vector<uint8_t> input = RandomInput(*interpreter->input(i), &rng);
    run.status = interpreter->SetInput(i, input.data(), input.size());
    if (!run.status.ok()) return run;
  }
  run.status = interpreter->Invoke();
  if (!run.status.ok()) return run;
  for (int i = 0; i < interpreter->num_outputs(); ++i) {
    const Tensor* out = interpreter->output(i);
    run.outputs.emplace_back(out->data, out->data + out->bytes);
  }
  return run;
}

TEST(ModelDiffTest, RealModelsGiveIdenticalBytesWithSimdKernels) {
  std::vector<std::string> files = TfliteFiles(std::string(QLITE_SOURCE_DIR) + "/models");
  for (const char* sub : {"/models", "/models/seanet"}) {
    for (const std::string& f : TfliteFiles(std::string(QLITE_SHARED_DIR) + sub)) {
      files.push_back(f);
    }
  }
  ASSERT_FALSE(files.empty()) << "no models found";
  int simd_nodes = 0, models_run = 0;
  for (const std::string& file : files) {
    Model model;
    const Status read = ReadModelFile(file, &model);
    if (!read.ok()) continue;  // the reader's own tests cover unreadable files
    for (uint32_t seed = 1; seed <= 3; ++seed) {
      const ModelRun reference = RunWholeModel(model, KernelSet::kReference, seed);
      if (!reference.status.ok()) break;  // a model qlite does not run at all
      const ModelRun simd = RunWholeModel(model, KernelSet::kSimd, seed);
      ASSERT_TRUE(simd.status.ok()) << file << ": " << simd.status.message();
      ASSERT_EQ(simd.outputs.size(), reference.outputs.size()) << file;
      for (size_t o = 0; o < simd.outputs.size(); ++o) {
        EXPECT_TRUE(simd.outputs[o] == reference.outputs[o])
            << file << ": output " << o << " differs with seed " << seed;
      }
      if (seed == 1) {
        simd_nodes += simd.simd_nodes;
        ++models_run;
        std::printf("%s: %d SIMD nodes\n", file.c_str(), simd.simd_nodes);
      }
    }
  }
  // The repository's default models alone are 8 (conv, pooling, fully
  // connected layers in float32 and int8).
  EXPECT_GE(models_run, 8);
  EXPECT_GT(simd_nodes, 0) << "no SIMD kernel ran in any model";
}

}  // namespace
}  // namespace qlite

#endif  // QLITE_SOURCE_DIR && QLITE_SHARED_DIR
