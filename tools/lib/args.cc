#include "tools/lib/args.h"

#include <cerrno>
#include <cstdlib>

namespace qlite {

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& Args::all(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = values.find(name);
  return it == values.end() ? kNone : it->second;
}

Status ParseArgs(int argc, char** argv, const std::set<std::string>& value_options,
                 const std::set<std::string>& flag_options, Args* args) {
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      args->positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (flag_options.count(name)) {
      QLITE_ENSURE(!inline_value, "option --", name, " takes no value");
      args->flags.insert(name);
    } else if (value_options.count(name)) {
      if (!inline_value) {
        QLITE_ENSURE(i + 1 < argc, "option --", name, " needs a value");
        value = argv[++i];
      }
      args->values[name].push_back(value);
    } else {
      return Status::Error(StrCat("unknown option --", name));
    }
  }
  return Status::Ok();
}

Status ParseKernelSet(const Args& args, KernelSet* set) {
  const std::string kernels = args.get("kernels", "simd");
  QLITE_ENSURE(kernels == "simd" || kernels == "reference",
               "--kernels must be simd or reference, got '", kernels, "'");
  *set = kernels == "simd" ? KernelSet::kSimd : KernelSet::kReference;
  return Status::Ok();
}

Status ParseThreadsOption(const Args& args, int* threads) {
  long value = 1;
  if (args.has("threads")) {
    QLITE_RETURN_IF_ERROR(ParseInt(args.get("threads"), 1, kMaxThreadsOption, "--threads", &value));
  }
  *threads = static_cast<int>(value);
  return Status::Ok();
}

Status ParseArithmeticOption(const Args& args, Arithmetic* arithmetic) {
  const std::string name = args.get("arithmetic", "tflite");
  QLITE_ENSURE(ParseArithmetic(name.c_str(), arithmetic),
               "--arithmetic must be tflite or xnnpack, got '", name, "'");
  return Status::Ok();
}

}  // namespace qlite
