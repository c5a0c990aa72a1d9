// Hostile files: every truncation of each shared model and >= 10,000 seeded
// random mutations must give a clean error or a clean run, never a crash.
// The test command also runs this binary built with ASan + UBSan, which turns
// any out-of-bounds access, leak or undefined behaviour into a failure.
#include <gtest/gtest.h>

#include <random>

#include "core/format/model_reader.h"
#include "core/interpreter.h"
#include "tests/util/golden.h"
#include "tests/util/shared_models.h"

namespace qlite {
namespace {

constexpr size_t kMaxArenaToInvoke = 64u << 20;  // keeps the run bounded in time

enum class Outcome { kReadError, kCreateError, kInvokeError, kRan };

// Read, build, and (if small enough) run once on zero-filled inputs.
Outcome Exercise(const std::vector<uint8_t>& bytes) {
  Model model;
  Status s = ReadModelFromBytes(bytes.data(), bytes.size(), &model);
  if (!s.ok()) {
    EXPECT_FALSE(s.message().empty());
    return Outcome::kReadError;
  }
  std::unique_ptr<Interpreter> interpreter;
  s = Interpreter::Create(model, {}, &interpreter);
  if (!s.ok()) {
    EXPECT_FALSE(s.message().empty());
    return Outcome::kCreateError;
  }
  if (interpreter->arena_bytes() > kMaxArenaToInvoke) return Outcome::kRan;
  for (int i = 0; i < interpreter->num_inputs(); ++i) {
    std::vector<uint8_t> zeros(interpreter->input(i)->bytes, 0);
    EXPECT_TRUE(interpreter->SetInput(i, zeros.data(), zeros.size()).ok());
  }
  return interpreter->Invoke().ok() ? Outcome::kRan : Outcome::kInvokeError;
}

std::vector<std::vector<uint8_t>> LoadSharedModels(const std::string& dir) {
  std::vector<std::vector<uint8_t>> models;
  for (const std::string& path : testing::ListModels(dir)) {
    models.push_back(testing::ReadFileOrFail(path));
  }
  return models;
}

TEST(Robustness, EveryTruncationFailsCleanly) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  const auto models = LoadSharedModels(dir);
  ASSERT_GE(models.size(), 4u);
  for (const auto& bytes : models) {
    ASSERT_EQ(Exercise(bytes), Outcome::kRan) << "the untouched model must run";
    for (size_t length = 0; length < bytes.size(); ++length) {
      const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + length);
      // A prefix may still parse when the cut only drops trailing padding;
      // all that matters is that nothing crashes.
      Exercise(prefix);
    }
  }
}

TEST(Robustness, TenThousandSeededMutations) {
  QLITE_REQUIRE_SHARED_MODELS(dir);
  const auto models = LoadSharedModels(dir);
  ASSERT_GE(models.size(), 4u);
  std::mt19937 rng(20261122);
  int counts[4] = {0, 0, 0, 0};
  constexpr int kMutations = 10000;
  for (int m = 0; m < kMutations; ++m) {
    std::vector<uint8_t> bytes = models[m % models.size()];
    // 1-4 edits: a random byte, a flipped bit, or an interesting value
    // (0, 0xff, 0x7f, 0x80) — the last two hit sizes, counts and offsets.
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 3) {
        case 0: bytes[at] = static_cast<uint8_t>(rng()); break;
        case 1: bytes[at] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
        default: {
          static const uint8_t kInteresting[] = {0x00, 0xff, 0x7f, 0x80};
          bytes[at] = kInteresting[rng() % 4];
          break;
        }
      }
    }
    ++counts[static_cast<int>(Exercise(bytes))];
    if (::testing::Test::HasFailure()) FAIL() << "mutation " << m;
  }
  // Some mutations must get through the verifier, or the kernels are untested.
  EXPECT_GT(
      counts[static_cast<int>(Outcome::kRan)] + counts[static_cast<int>(Outcome::kCreateError)],
      kMutations / 10);
  std::printf("mutations: %d read errors, %d create errors, %d invoke errors, %d ran\n", counts[0],
              counts[1], counts[2], counts[3]);
}

}  // namespace
}  // namespace qlite
