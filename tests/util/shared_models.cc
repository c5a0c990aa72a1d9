#include "tests/util/shared_models.h"

#include <sys/stat.h>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace qlite::testing {

std::string SharedModelsDir() {
  const char* env = std::getenv("QLITE_SHARED_DIR");
  const std::string shared = env && *env ? env : QLITE_SHARED_DIR;
  const std::string dir = shared + "/models";
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return "";
  return dir;
}

bool RunningInCI() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::vector<uint8_t> ReadFileOrFail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace qlite::testing
