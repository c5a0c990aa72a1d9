// Whole synthetic MobileNets (tools/lib/synth) with the SIMD kernels at 1, 2,
// 3 and 4 threads: every output byte must equal the one-thread run's, both
// with the default work threshold (only large nodes split) and with every
// node split; the one-thread SIMD run equals the reference kernels'.
// Native builds only (the wasm test build has no synthesizer).
#if !defined(__EMSCRIPTEN__)

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/interpreter.h"
#include "tests/kernels_wasm/diff_test_util.h"
#include "tools/lib/synth/synth.h"

namespace qlite {
namespace {

using testing::ExpectSameBytes;
using testing::KernelRun;
using testing::RunWithKernels;
using testing::ScopedSplitEveryNode;

// A seeded input for input 0 of `model` (int8 bytes, or floats in [-1, 1)).
std::vector<uint8_t> SeededInput(const Model& model) {
  const TensorDef& in = model.tensors[model.inputs[0]];
  const int64_t count = ShapeElementCount(in.shape);
  std::vector<uint8_t> bytes(count * DTypeSize(in.type));
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  if (in.type == DType::kFloat32) {
    for (int64_t i = 0; i < count; ++i) {
      const float v = static_cast<float>(next() % 2000) / 1000.0f - 1.0f;
      std::memcpy(&bytes[i * 4], &v, 4);
    }
  } else {
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(next());
  }
  return bytes;
}

void ExpectSameBytesAtEveryThreadCount(const Model& model, const std::string& what) {
  const std::vector<std::vector<uint8_t>> inputs = {SeededInput(model)};
  const KernelRun reference = RunWithKernels(model, inputs, KernelSet::kReference);
  ASSERT_TRUE(reference.status.ok()) << what << ": " << reference.status.message();
  ASSERT_FALSE(reference.output.empty());
  for (bool split_every_node : {false, true}) {
    std::unique_ptr<ScopedSplitEveryNode> split;
    if (split_every_node) split = std::make_unique<ScopedSplitEveryNode>();
    for (int threads = 1; threads <= 4; ++threads) {
      const KernelRun run =
          RunWithKernels(model, inputs, KernelSet::kSimd, Arithmetic::kTflite, threads);
      const std::string label = StrCat(threads, " threads", split ? ", every node split" : "");
      EXPECT_TRUE(ExpectSameBytes(run, reference.output, what, label));
    }
  }
}

// An int8 MobileNet synthesized with `o` (one calibration input).
void ExpectInt8MobileNetSameBytes(synth::SynthOptions o, const std::string& what) {
  o.calibration_samples = 1;
  Model model;
  const Status s = synth::SynthesizeInt8(o, &model);
  ASSERT_TRUE(s.ok()) << s.message();
  ExpectSameBytesAtEveryThreadCount(model, what);
}

TEST(ThreadsModelTest, Int8MobileNetV1SameBytesAtOneToFourThreads) {
  ExpectInt8MobileNetSameBytes(synth::DefaultOptions(synth::Arch::kMobileNetV1),
                               "int8 MobileNet v1 0.25 @ 96");
}

TEST(ThreadsModelTest, Int8MobileNetV2SameBytesAtOneToFourThreads) {
  synth::SynthOptions o = synth::DefaultOptions(synth::Arch::kMobileNetV2);
  o.alpha = 0.35f;
  o.size = 96;
  ExpectInt8MobileNetSameBytes(o, "int8 MobileNet v2 0.35 @ 96");
}

// Two interpreters on one shared pool of 4 (the wasm bindings' way), one
// limited to 2 threads: the bytes of one thread, and the pool's own threads
// ran ranges of both.
TEST(ThreadsModelTest, InterpretersShareOnePool) {
  synth::SynthOptions o = synth::DefaultOptions(synth::Arch::kMobileNetV2);
  o.alpha = 0.35f;
  o.size = 96;
  o.calibration_samples = 1;
  Model model;
  ASSERT_TRUE(synth::SynthesizeInt8(o, &model).ok());
  const std::vector<uint8_t> input = SeededInput(model);
  const KernelRun reference = RunWithKernels(model, {input}, KernelSet::kSimd);
  ASSERT_TRUE(reference.status.ok()) << reference.status.message();
  auto pool = std::make_shared<ThreadPool>(4);
  ASSERT_EQ(pool->threads(), 4);
  ScopedSplitEveryNode split;
  int64_t ranges = 0;
  for (int threads : {4, 2}) {
    InterpreterOptions options;
    options.kernels = KernelSet::kSimd;
    options.threads = threads;
    options.thread_pool = pool;
    std::unique_ptr<Interpreter> interpreter;
    ASSERT_TRUE(Interpreter::Create(model, options, &interpreter).ok());
    ASSERT_TRUE(interpreter->SetInput(0, input.data(), input.size()).ok());
    ASSERT_TRUE(interpreter->Invoke().ok());
    const Tensor* out = interpreter->output(0);
    EXPECT_EQ(std::vector<uint8_t>(out->data, out->data + out->bytes), reference.output)
        << threads << " threads of the shared pool";
    EXPECT_GT(pool->worker_ranges(), ranges)
        << threads << " threads: no range on the pool's threads";
    ranges = pool->worker_ranges();
  }
}

TEST(ThreadsModelTest, Float32MobileNetV2SameBytesAtOneToFourThreads) {
  synth::SynthOptions o = synth::DefaultOptions(synth::Arch::kMobileNetV2);
  o.alpha = 0.35f;
  o.size = 96;
  Model model;
  const Status s = synth::BuildFloatNet(o, &model);
  ASSERT_TRUE(s.ok()) << s.message();
  ExpectSameBytesAtEveryThreadCount(model, "float32 MobileNet v2 0.35 @ 96");
}

}  // namespace
}  // namespace qlite

#endif  // !defined(__EMSCRIPTEN__)
