// Runs a shell command for CLI tests and captures what it printed.
#pragma once

#include <string>

namespace qlite::testing {

struct CommandResult {
  int exit_code = -1;  // -1: could not start, or killed by a signal
  std::string output;  // stdout and stderr together
};

CommandResult RunCommand(const std::string& command);

// `qlite ARGS` with the binary the tests were built against (QLITE_CLI_PATH,
// defined for qlite_tests only).
#ifdef QLITE_CLI_PATH
inline CommandResult RunCli(const std::string& args) {
  return RunCommand(std::string(QLITE_CLI_PATH) + " " + args);
}
#endif

}  // namespace qlite::testing
