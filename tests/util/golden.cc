#include "tests/util/golden.h"

#include <dirent.h>
#include <sys/stat.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace qlite::testing {

namespace {

bool FileExists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

template <typename T>
std::vector<double> Decode(const std::vector<uint8_t>& bytes) {
  std::vector<double> values(bytes.size() / sizeof(T));
  for (size_t i = 0; i < values.size(); ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    values[i] = static_cast<double>(v);
  }
  return values;
}

std::vector<double> DecodeAny(DType type, const std::vector<uint8_t>& bytes) {
  switch (type) {
    case DType::kFloat32: return Decode<float>(bytes);
    case DType::kInt8: return Decode<int8_t>(bytes);
    case DType::kUInt8: return Decode<uint8_t>(bytes);
    case DType::kInt16: return Decode<int16_t>(bytes);
    case DType::kInt32: return Decode<int32_t>(bytes);
    default: return {};
  }
}

}  // namespace

std::vector<std::string> ListModels(const std::string& models_dir) {
  std::vector<std::string> models;
  if (DIR* dir = opendir(models_dir.c_str())) {
    while (dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name.size() > 7 && name.compare(name.size() - 7, 7, ".tflite") == 0) {
        models.push_back(models_dir + "/" + name);
      }
    }
    closedir(dir);
  }
  std::sort(models.begin(), models.end());
  return models;
}

std::vector<GoldenCase> DiscoverGoldenCases(const std::string& models_dir) {
  std::vector<GoldenCase> cases;
  for (const std::string& model : ListModels(models_dir)) {
    const std::string stem = model.substr(0, model.size() - 7);
    for (int k = 1; k < 100; ++k) {
      GoldenCase c;
      c.model_path = model;
      const std::string prefix = stem + ".s" + std::to_string(k);
      c.label = prefix.substr(prefix.rfind('/') + 1);
      for (int i = 0; FileExists(prefix + ".input" + std::to_string(i) + ".bin"); ++i) {
        c.input_paths.push_back(prefix + ".input" + std::to_string(i) + ".bin");
      }
      for (int i = 0; FileExists(prefix + ".output" + std::to_string(i) + ".bin"); ++i) {
        c.output_paths.push_back(prefix + ".output" + std::to_string(i) + ".bin");
      }
      if (c.input_paths.empty() || c.output_paths.empty()) break;
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

std::string CompareWithGolden(DType type, const std::vector<uint8_t>& actual,
                              const std::vector<uint8_t>& golden) {
  std::ostringstream why;
  if (actual.size() != golden.size()) {
    why << "size " << actual.size() << " bytes, golden " << golden.size();
    return why.str();
  }
  const std::vector<double> a = DecodeAny(type, actual), g = DecodeAny(type, golden);
  if (a.size() != g.size() || (a.empty() && !actual.empty())) return "unsupported dtype";
  for (size_t i = 0; i < a.size(); ++i) {
    const double diff = std::fabs(a[i] - g[i]);
    const bool ok =
        type == DType::kFloat32 ? diff <= 1e-5 * std::max(std::fabs(g[i]), 1e-6) : diff <= 1.0;
    if (!ok) {
      why << "element " << i << ": " << a[i] << " vs golden " << g[i];
      return why.str();
    }
  }
  if (!a.empty()) {
    const auto argmax_a = std::max_element(a.begin(), a.end()) - a.begin();
    const auto argmax_g = std::max_element(g.begin(), g.end()) - g.begin();
    if (argmax_a != argmax_g && a[argmax_a] != a[argmax_g]) {
      why << "arg-max " << argmax_a << " vs golden " << argmax_g;
      return why.str();
    }
  }
  return "";
}

}  // namespace qlite::testing
