// Access to ../shared/models (real converter-made models, never committed).
// Absent folder: tests skip with the reason; absent while CI=true: they fail.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace qlite::testing {

// The models folder, or "" if it does not exist.
std::string SharedModelsDir();
// True when the CI environment variable is "true".
bool RunningInCI();
// Whole file as bytes; fails the current test (and returns empty) if unreadable.
std::vector<uint8_t> ReadFileOrFail(const std::string& path);

}  // namespace qlite::testing

// Use at the top of a test that needs the shared models; binds `dir`.
#define QLITE_REQUIRE_SHARED_MODELS(dir)                                       \
  const std::string dir = ::qlite::testing::SharedModelsDir();                 \
  if (dir.empty()) {                                                           \
    if (::qlite::testing::RunningInCI()) {                                     \
      FAIL() << "../shared/models is missing, and CI=true requires it";        \
    }                                                                          \
    GTEST_SKIP() << "../shared/models is not present next to the repository; " \
                    "real-model tests need it";                                \
  }
