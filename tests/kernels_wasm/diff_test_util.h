// Differential testing of the SIMD kernels (kernels_wasm/) against the
// reference kernels: the same one-op model runs with both kernel sets and the
// output bytes must be identical. The SIMD run also reports which kernel each
// node got, so a test can insist that the SIMD kernel really ran (a node it
// declines silently falls back to the reference kernel). The SIMD kernels
// also run at 2, 3 and 4 threads, with every node split (see
// ScopedSplitEveryNode), and must give the same bytes again.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/interpreter.h"
#include "core/model_builder.h"
#include "kernels_wasm/relaxed_dot.h"
#include "tests/util/op_runner.h"

namespace qlite::testing {

struct KernelRun {
  Status status;
  std::vector<uint8_t> output;            // model output 0
  std::vector<std::string> node_kernels;  // kernel name per node
};

inline KernelRun RunWithKernels(const Model& model, const std::vector<std::vector<uint8_t>>& inputs,
                                KernelSet kernels, Arithmetic arithmetic = Arithmetic::kTflite,
                                int threads = 1) {
  KernelRun run;
  std::unique_ptr<Interpreter> interpreter;
  InterpreterOptions options;
  options.kernels = kernels;
  options.arithmetic = arithmetic;
  options.threads = threads;
  run.status = Interpreter::Create(model, options, &interpreter);
  if (!run.status.ok()) return run;
  for (int n = 0; n < interpreter->num_nodes(); ++n) {
    run.node_kernels.push_back(interpreter->node_kernel_name(n));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    run.status = interpreter->SetInput(static_cast<int>(i), inputs[i].data(), inputs[i].size());
    if (!run.status.ok()) return run;
  }
  run.status = interpreter->Invoke();
  if (!run.status.ok()) return run;
  const Tensor* out = interpreter->output(0);
  run.output.assign(out->data, out->data + out->bytes);
  return run;
}

// While alive, every node with more than one item of work splits over the
// interpreter's threads (core/threading.h), however small the test model.
class ScopedSplitEveryNode {
 public:
  ScopedSplitEveryNode() { SetMinWorkPerTaskForTesting(1); }
  ~ScopedSplitEveryNode() { SetMinWorkPerTaskForTesting(kMinWorkPerTask); }
  ScopedSplitEveryNode(const ScopedSplitEveryNode&) = delete;
  ScopedSplitEveryNode& operator=(const ScopedSplitEveryNode&) = delete;
};

// Expects `run` to have the bytes of `expected` (what: the case; label: the run).
inline bool ExpectSameBytes(const KernelRun& run, const std::vector<uint8_t>& expected,
                            const std::string& what, const std::string& label) {
  EXPECT_TRUE(run.status.ok()) << what << " (" << label << "): " << run.status.message();
  if (!run.status.ok()) return false;
  EXPECT_EQ(run.output.size(), expected.size()) << what << " (" << label << ")";
  if (run.output.size() != expected.size()) return false;
  for (size_t i = 0; i < run.output.size(); ++i) {
    if (run.output[i] != expected[i]) {
      ADD_FAILURE() << what << " (" << label << "): first differing output byte " << i << " of "
                    << run.output.size() << ": " << int{run.output[i]} << ", reference "
                    << int{expected[i]};
      return false;
    }
  }
  return true;
}

// Runs `model` (one operator) with the reference and the SIMD kernels and
// expects byte-identical outputs and that node 0 ran `simd_kernel`. `what`
// describes the case in failure messages. Returns false on a mismatch so
// that loops can stop after the first failing case. `output`, if given,
// receives the output bytes (for checks that the cases are not degenerate).
// Both run with `arithmetic` (InterpreterOptions::arithmetic).
inline bool ExpectSimdMatchesReference(const Model& model,
                                       const std::vector<std::vector<uint8_t>>& inputs,
                                       const std::string& simd_kernel, const std::string& what,
                                       std::vector<uint8_t>* output = nullptr,
                                       Arithmetic arithmetic = Arithmetic::kTflite) {
  const KernelRun reference = RunWithKernels(model, inputs, KernelSet::kReference, arithmetic);
  const KernelRun simd = RunWithKernels(model, inputs, KernelSet::kSimd, arithmetic);
  EXPECT_TRUE(reference.status.ok()) << what << ": " << reference.status.message();
  if (!reference.status.ok()) return false;
  EXPECT_FALSE(reference.output.empty()) << what;
  if (output != nullptr) *output = reference.output;
  if (!ExpectSameBytes(simd, reference.output, what, "simd")) return false;
  EXPECT_EQ(simd.node_kernels.at(0), simd_kernel) << what;
  if (simd.node_kernels.at(0) != simd_kernel) return false;
  ScopedSplitEveryNode split;
  for (int threads = 2; threads <= 4; ++threads) {
    const KernelRun threaded = RunWithKernels(model, inputs, KernelSet::kSimd, arithmetic, threads);
    if (!ExpectSameBytes(threaded, reference.output, what, StrCat("simd, ", threads, " threads"))) {
      return false;
    }
  }
  return true;
}

// Uniform random int8 bytes.
inline std::vector<uint8_t> RandomInt8Bytes(int64_t count, std::mt19937* rng) {
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<uint8_t> bytes(count);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(static_cast<int8_t>(dist(*rng)));
  return bytes;
}

// Counts of each int8 output value over many cases: a differential test whose
// outputs are nearly all clamped to -128/127 would compare little.
struct Int8OutputStats {
  int64_t counts[256] = {};
  int64_t total = 0;

  void Add(const std::vector<uint8_t>& bytes) {
    for (uint8_t b : bytes) ++counts[b];
    total += static_cast<int64_t>(bytes.size());
  }
  int DistinctValues() const {
    int distinct = 0;
    for (int64_t c : counts) distinct += c > 0 ? 1 : 0;
    return distinct;
  }
  // Fraction of outputs at -128 or 127.
  double SaturatedFraction() const {
    return total == 0 ? 1.0 : static_cast<double>(counts[0x80] + counts[0x7F]) / total;
  }
};

#if !defined(__EMSCRIPTEN__)
// While alive, the SIMD GEMM packs int8 quads for an emulated relaxed dot
// product with `behaviour` (kernels_wasm/relaxed_dot.h); then back to none.
class ScopedEmulatedRelaxedDot {
 public:
  explicit ScopedEmulatedRelaxedDot(simd::EmulatedRelaxedDot behaviour) {
    simd::EmulateRelaxedDotForTesting(behaviour);
    mode_ = simd::UseRelaxedDot(true);
  }
  ~ScopedEmulatedRelaxedDot() {
    simd::UseRelaxedDot(false);
    simd::EmulateRelaxedDotForTesting(simd::EmulatedRelaxedDot::kNone);
  }
  ScopedEmulatedRelaxedDot(const ScopedEmulatedRelaxedDot&) = delete;
  ScopedEmulatedRelaxedDot& operator=(const ScopedEmulatedRelaxedDot&) = delete;
  simd::RelaxedDot mode() const { return mode_; }

 private:
  simd::RelaxedDot mode_;
};

// The two exact behaviours, with the mode the probe must find for each.
inline const std::vector<std::pair<simd::EmulatedRelaxedDot, simd::RelaxedDot>>&
ExactRelaxedDots() {
  static const std::vector<std::pair<simd::EmulatedRelaxedDot, simd::RelaxedDot>> kModes = {
      {simd::EmulatedRelaxedDot::kUnsigned, simd::RelaxedDot::kUnsigned},
      {simd::EmulatedRelaxedDot::kSigned, simd::RelaxedDot::kSigned}};
  return kModes;
}
#endif

inline int RandomInt(int lo, int hi, std::mt19937* rng) {
  return std::uniform_int_distribution<int>(lo, hi)(*rng);
}

// Values in [-8, 8), one in `special_every` a special value (zeros of both
// signs, infinities, subnormals, the float range's ends; NaNs if `nans`),
// and with `nans` sometimes one NaN with payload bits, which ops must pass.
inline std::vector<uint8_t> RandomSpecialFloatBytes(int64_t count, int special_every, bool nans,
                                                    std::mt19937* rng) {
  static const float kSpecial[] = {std::numeric_limits<float>::quiet_NaN(),
                                   -std::numeric_limits<float>::quiet_NaN(),
                                   0.0f,
                                   -0.0f,
                                   std::numeric_limits<float>::infinity(),
                                   -std::numeric_limits<float>::infinity(),
                                   std::numeric_limits<float>::denorm_min(),
                                   -std::numeric_limits<float>::denorm_min(),
                                   1e-39f,
                                   -3e-39f,
                                   std::numeric_limits<float>::max(),
                                   std::numeric_limits<float>::lowest(),
                                   6.0f,
                                   -1.0f,
                                   1.0f,
                                   1e30f};
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  std::vector<float> values(count);
  for (float& v : values) {
    v = dist(*rng);
    if (RandomInt(0, special_every - 1, rng) == 0) v = kSpecial[RandomInt(nans ? 0 : 2, 15, rng)];
  }
  if (nans && count > 2 && RandomInt(0, 1, rng) == 0) {
    const uint32_t payloads[] = {0x7FC01234u, 0xFFC00042u};
    std::memcpy(&values[RandomInt(0, static_cast<int>(count) - 1, rng)],
                &payloads[RandomInt(0, 1, rng)], 4);
  }
  return ToBytes(values);
}

// Inputs of the float reductions' tests (depthwise, MEAN): special values
// (infinities, whose sums may give the default NaN, subnormals, signed
// zeros, the float range's ends; one in `special_every`), or in a third of
// the cases no other specials and one NaN (payload bits included), which
// must pass with its bits. Two different NaNs never meet in one sum: IEEE 754
// leaves open whose bits come out (kernels_wasm/README.md).
inline std::vector<uint8_t> SpecialsOrOneNanFloatBytes(int64_t count, int special_every,
                                                       std::mt19937* rng) {
  if (RandomInt(0, 2, rng) > 0) {
    return RandomSpecialFloatBytes(count, RandomInt(0, 1, rng) == 0 ? special_every : 1000,
                                   /*nans=*/false, rng);
  }
  std::vector<float> values(count);
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  for (float& v : values) v = dist(*rng);
  const uint32_t nans[] = {0x7FC00000u, 0xFFC00000u, 0x7FC01234u, 0xFFC00042u};
  std::memcpy(&values[RandomInt(0, static_cast<int>(count) - 1, rng)], &nans[RandomInt(0, 3, rng)],
              4);
  return ToBytes(values);
}

// An output shape of rank 1..6 (1..4 without `broadcast`) and, for each of
// two inputs, either the same shape or with `broadcast` a broadcast one (dims
// set to 1 at random, leading dims dropped at random).
inline void RandomBinaryShapes(bool broadcast, std::mt19937* rng, Shape* shape1, Shape* shape2) {
  const int rank = RandomInt(1, broadcast ? 6 : 4, rng);
  Shape out_shape(rank);
  int64_t elements = 1;
  for (int32_t& d : out_shape) {
    d = RandomInt(1, elements > 200 ? 2 : (rank <= 2 ? 70 : 9), rng);
    elements *= d;
  }
  *shape1 = *shape2 = out_shape;
  if (!broadcast) return;
  for (Shape* shape : {shape1, shape2}) {
    for (int32_t& d : *shape) {
      if (RandomInt(0, 2, rng) == 0) d = 1;
    }
    const int dropped = RandomInt(0, rank, rng);
    if (RandomInt(0, 1, rng) == 0) shape->erase(shape->begin(), shape->begin() + dropped);
  }
}

inline Activation RandomActivation(std::mt19937* rng) {
  static const Activation kActivations[] = {Activation::kNone, Activation::kRelu,
                                            Activation::kReluN1To1, Activation::kRelu6};
  return kActivations[RandomInt(0, 3, rng)];
}

}  // namespace qlite::testing
