// A small command-line parser: positionals, `--name value` options (which may
// repeat) and `--flag` switches. Unknown options are errors.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/op_table.h"  // KernelSet
#include "core/status.h"
#include "data/parse_number.h"  // ParseInt, for the commands' numbers

namespace qlite {

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;
  std::set<std::string> flags;

  bool has(const std::string& name) const { return values.count(name) || flags.count(name); }
  // Last value given for `name`, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& all(const std::string& name) const;
};

// `value_options` take one argument (`--input F` or `--input=F`); `flag_options` none.
Status ParseArgs(int argc, char** argv, const std::set<std::string>& value_options,
                 const std::set<std::string>& flag_options, Args* args);

// `--kernels simd|reference`: the SIMD kernels unless the reference kernels
// are asked for (they give the same bytes, many times slower).
Status ParseKernelSet(const Args& args, KernelSet* set);

// `--arithmetic tflite|xnnpack` (InterpreterOptions::arithmetic): TFLite's
// unless XNNPACK's is asked for.
Status ParseArithmeticOption(const Args& args, Arithmetic* arithmetic);

// `--threads N` (InterpreterOptions::threads, 1 to kMaxThreadsOption): 1
// unless given. Any count gives the same output bytes.
constexpr long kMaxThreadsOption = 64;
Status ParseThreadsOption(const Args& args, int* threads);

}  // namespace qlite
