#include "tools/lib/image_dataset.h"

#include <glob.h>
#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <system_error>

#include "core/tensor.h"
#include "data/parse_number.h"

namespace qlite {

namespace {

namespace fs = std::filesystem;

bool HasImageExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

// "a,b,c" -> floats; false on anything that is not a finite number.
bool ParseFloatList(const std::string& text, std::vector<float>* values) {
  values->clear();
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    char* stop = nullptr;
    const float v = std::strtof(item.c_str(), &stop);
    if (item.empty() || *stop != '\0' || !std::isfinite(v)) return false;
    values->push_back(v);
    start = end + 1;
  }
  return !values->empty();
}

std::string InputLabel(const Model& model, int i) {
  const TensorDef& def = model.tensors[model.inputs[i]];
  return StrCat("input ", i, " ('", def.name, "', shape ", ShapeToString(def.shape), ")");
}

// Height, width and channels of an image input: [1, H, W, C] or [H, W, C]
// with C = 1 or 3, or [1, H, W] (gray, as MNIST models take it).
struct ImageGeometry {
  int h = 0, w = 0, c = 0;
};

bool ImageGeometryOf(const TensorDef& def, ImageGeometry* g) {
  const std::vector<int32_t>& s = def.shape;
  const size_t r = s.size();
  if (r == 4 && s[0] == 1) {
    *g = {s[1], s[2], s[3]};
  } else if (r == 3 && (s[2] == 1 || s[2] == 3)) {
    *g = {s[0], s[1], s[2]};
  } else if (r == 3 && s[0] == 1) {
    *g = {s[1], s[2], 1};
  } else {
    return false;
  }
  return g->h > 0 && g->w > 0 && (g->c == 1 || g->c == 3);
}

// Per-channel (p - mean) / std for pixels p in [0, 255]; --range becomes the
// mean and std that map 0 -> lo and 255 -> hi.
struct ChannelNormalizer {
  std::vector<float> mean, std;

  float operator()(float pixel, int channel) const {
    return (pixel - mean[channel]) / std[channel];
  }
};

Status MakeNormalizer(const ImageNormalization& n, int channels, const std::string& label,
                      ChannelNormalizer* out) {
  if (n.mean.empty()) {
    const float std = 255.0f / (n.hi - n.lo);
    out->mean.assign(channels, -n.lo * std);
    out->std.assign(channels, std);
    return Status::Ok();
  }
  for (const auto* values : {&n.mean, &n.std}) {
    QLITE_ENSURE(values->size() == 1 || static_cast<int>(values->size()) == channels, "--",
                 values == &n.mean ? "mean" : "std", " has ", values->size(), " values; ", label,
                 " has ", channels, " channel(s) (give 1 or ", channels, ")");
  }
  out->mean.resize(channels);
  out->std.resize(channels);
  for (int c = 0; c < channels; ++c) {
    out->mean[c] = n.mean.size() == 1 ? n.mean[0] : n.mean[c];
    out->std[c] = n.std.size() == 1 ? n.std[0] : n.std[c];
  }
  return Status::Ok();
}

// One model input's samples.
class InputSource {
 public:
  virtual ~InputSource() = default;
  virtual int64_t count() const = 0;
  virtual Status Fill(int64_t i, std::vector<float>* values) = 0;
};

class ImageFilesSource : public InputSource {
 public:
  ImageFilesSource(std::vector<std::string> files, ImageGeometry g, bool bgr,
                   ChannelNormalizer normalize)
      : files_(std::move(files)), g_(g), bgr_(bgr), normalize_(std::move(normalize)) {}
  int64_t count() const override { return static_cast<int64_t>(files_.size()); }

  Status Fill(int64_t i, std::vector<float>* values) override {
    const std::string& path = files_[i];
    int w = 0, h = 0, stored = 0;
    // stb converts to the channels asked for (gray: its 77/150/29 luma weights).
    stbi_uc* pixels = stbi_load(path.c_str(), &w, &h, &stored, g_.c);
    QLITE_ENSURE(pixels != nullptr, path, ": cannot decode the image (", stbi_failure_reason(),
                 ")");
    if (bgr_) {
      for (int64_t p = 0; p < int64_t{w} * h; ++p) std::swap(pixels[3 * p], pixels[3 * p + 2]);
    }
    values->resize(static_cast<size_t>(g_.h) * g_.w * g_.c);
    ResizeBilinear(pixels, h, w, g_.c, g_.h, g_.w, values->data());
    stbi_image_free(pixels);
    for (size_t k = 0; k < values->size(); ++k) {
      (*values)[k] = normalize_((*values)[k], static_cast<int>(k % g_.c));
    }
    return Status::Ok();
  }

 private:
  std::vector<std::string> files_;
  ImageGeometry g_;
  bool bgr_;
  ChannelNormalizer normalize_;
};

// random:N: uniform pixels in [0, 255] per element, normalised; seeded by
// input and sample so every run calibrates the same.
class RandomSource : public InputSource {
 public:
  RandomSource(int64_t count, int64_t elements, int channels, int input,
               ChannelNormalizer normalize)
      : count_(count),
        elements_(elements),
        channels_(channels),
        input_(input),
        normalize_(std::move(normalize)) {}
  int64_t count() const override { return count_; }

  Status Fill(int64_t i, std::vector<float>* values) override {
    std::mt19937 rng(static_cast<uint32_t>(input_ * 1000003 + i));
    std::uniform_real_distribution<float> pixel(0.0f, 255.0f);
    values->resize(elements_);
    for (int64_t k = 0; k < elements_; ++k) {
      (*values)[k] = normalize_(pixel(rng), static_cast<int>(k % channels_));
    }
    return Status::Ok();
  }

 private:
  int64_t count_, elements_;
  int channels_, input_;
  ChannelNormalizer normalize_;
};

// mnist:..., .npy and raw float32 specs, read by data/dataset.h for this input alone.
class SpecSource : public InputSource {
 public:
  explicit SpecSource(std::unique_ptr<RepresentativeDataset> data) : data_(std::move(data)) {}
  int64_t count() const override { return data_->size(); }

  Status Fill(int64_t i, std::vector<float>* values) override {
    std::vector<std::vector<float>> one;
    QLITE_RETURN_IF_ERROR(data_->Sample(static_cast<int>(i), &one));
    *values = std::move(one[0]);
    return Status::Ok();
  }

 private:
  std::unique_ptr<RepresentativeDataset> data_;
};

class CliDataset : public RepresentativeDataset {
 public:
  CliDataset(std::vector<std::unique_ptr<InputSource>> sources, int count)
      : sources_(std::move(sources)), count_(count) {}
  int size() const override { return count_; }

  Status Sample(int i, std::vector<std::vector<float>>* inputs) override {
    QLITE_ENSURE(i >= 0 && i < count_, "sample ", i, " out of range");
    inputs->resize(sources_.size());
    for (size_t k = 0; k < sources_.size(); ++k) {
      QLITE_RETURN_IF_ERROR(sources_[k]->Fill(i, &(*inputs)[k]));
    }
    return Status::Ok();
  }

 private:
  std::vector<std::unique_ptr<InputSource>> sources_;
  int count_;
};

// The image files a spec names, sorted; each one's header must decode.
Status ListImages(const std::string& spec, std::vector<std::string>* files) {
  files->clear();
  std::error_code error;
  if (spec.find_first_of("*?[") != std::string::npos) {
    glob_t matches{};
    const int rc = glob(spec.c_str(), 0, nullptr, &matches);
    for (size_t k = 0; rc == 0 && k < matches.gl_pathc; ++k) {
      if (fs::is_regular_file(matches.gl_pathv[k], error)) files->push_back(matches.gl_pathv[k]);
    }
    globfree(&matches);
    QLITE_ENSURE(!files->empty(), "representative images '", spec, "': no file matches");
  } else if (fs::is_directory(spec, error)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(spec, error)) {
      const std::string path = entry.path().string();
      if (entry.is_regular_file(error) && HasImageExtension(path)) files->push_back(path);
    }
    QLITE_ENSURE(!error, "representative images '", spec, "': ", error.message());
    QLITE_ENSURE(!files->empty(), "representative images '", spec,
                 "': the folder holds no .png, .jpg, .jpeg or .bmp file");
    std::sort(files->begin(), files->end());
  } else {
    QLITE_ENSURE(fs::is_regular_file(spec, error), "representative images '", spec,
                 "': no such file or folder");
    files->push_back(spec);
  }
  for (const std::string& path : *files) {
    int w = 0, h = 0, c = 0;
    QLITE_ENSURE(stbi_info(path.c_str(), &w, &h, &c), path, ": not a PNG, JPEG or BMP image (",
                 stbi_failure_reason(), ")");
  }
  return Status::Ok();
}

Status OpenImageSource(const std::string& spec, const Model& model, int i,
                       const ImageNormalization& n, std::unique_ptr<InputSource>* source) {
  const TensorDef& def = model.tensors[model.inputs[i]];
  const std::string label = InputLabel(model, i);
  const int64_t elements = ShapeElementCount(def.shape);
  QLITE_ENSURE(elements > 0, label, " has no fixed size");
  ImageGeometry g;
  const bool image_input = ImageGeometryOf(def, &g);
  if (image_input && n.color != ImageColor::kAuto) {
    const int wanted = n.color == ImageColor::kGray ? 1 : 3;
    QLITE_ENSURE(wanted == g.c, "--color ",
                 n.color == ImageColor::kGray  ? "gray"
                 : n.color == ImageColor::kRgb ? "rgb"
                                               : "bgr",
                 " gives ", wanted, " channel(s) but ", label, " has ", g.c);
  }
  if (spec.rfind("random:", 0) == 0) {
    long count = 0;
    QLITE_RETURN_IF_ERROR(ParseInt(spec.substr(7), 1, 100000, "random:N sample count", &count));
    const int channels = image_input ? g.c : 1;
    ChannelNormalizer normalize;
    QLITE_RETURN_IF_ERROR(MakeNormalizer(n, channels, label, &normalize));
    *source = std::make_unique<RandomSource>(count, elements, channels, i, std::move(normalize));
    return Status::Ok();
  }
  QLITE_ENSURE(image_input, "representative images '", spec, "' need an image input ",
               "[1, H, W, 1 or 3], [H, W, 1 or 3] or [1, H, W]; ", label, " is not one");
  std::vector<std::string> files;
  QLITE_RETURN_IF_ERROR(ListImages(spec, &files));
  ChannelNormalizer normalize;
  QLITE_RETURN_IF_ERROR(MakeNormalizer(n, g.c, label, &normalize));
  *source = std::make_unique<ImageFilesSource>(std::move(files), g, n.color == ImageColor::kBgr,
                                               std::move(normalize));
  return Status::Ok();
}

}  // namespace

Status ParseImageNormalization(const std::string& color, const std::string& mean,
                               const std::string& std, const std::string& range,
                               ImageNormalization* out) {
  *out = ImageNormalization();
  if (!color.empty()) {
    if (color == "rgb") {
      out->color = ImageColor::kRgb;
    } else if (color == "bgr") {
      out->color = ImageColor::kBgr;
    } else if (color == "gray") {
      out->color = ImageColor::kGray;
    } else {
      return Status::Error(StrCat("unknown --color '", color, "' (rgb, bgr, gray)"));
    }
  }
  QLITE_ENSURE(mean.empty() == std.empty(), "--mean and --std go together");
  QLITE_ENSURE(mean.empty() || range.empty(), "give --mean/--std or --range, not both");
  if (!mean.empty()) {
    QLITE_ENSURE(ParseFloatList(mean, &out->mean), "--mean must be numbers a[,b,c], got '", mean,
                 "'");
    QLITE_ENSURE(ParseFloatList(std, &out->std), "--std must be numbers a[,b,c], got '", std, "'");
    for (float s : out->std) QLITE_ENSURE(s != 0.0f, "--std values must not be 0, got '", std, "'");
  }
  if (!range.empty()) {
    std::vector<float> bounds;
    QLITE_ENSURE(ParseFloatList(range, &bounds) && bounds.size() == 2 && bounds[0] < bounds[1],
                 "--range must be lo,hi with lo < hi, got '", range, "'");
    out->lo = bounds[0];
    out->hi = bounds[1];
  }
  return Status::Ok();
}

bool IsImageSpec(const std::string& spec) {
  std::error_code error;
  return spec.rfind("random:", 0) == 0 || spec.find_first_of("*?[") != std::string::npos ||
         HasImageExtension(spec) || fs::is_directory(spec, error);
}

Status OpenCliDataset(const std::vector<std::string>& specs, const Model& model,
                      const ImageNormalization& normalization,
                      std::unique_ptr<RepresentativeDataset>* dataset) {
  const int inputs = static_cast<int>(model.inputs.size());
  QLITE_ENSURE(!specs.empty(), "no representative dataset given (--repr)");
  QLITE_ENSURE(static_cast<int>(specs.size()) == inputs, "the model has ", inputs, " inputs but ",
               specs.size(), " representative dataset(s) were given; give one --repr per input");
  if (std::none_of(specs.begin(), specs.end(), IsImageSpec)) {
    return OpenRepresentativeDataset(specs, model, dataset);
  }
  std::vector<std::unique_ptr<InputSource>> sources(inputs);
  for (int i = 0; i < inputs; ++i) {
    if (IsImageSpec(specs[i])) {
      QLITE_RETURN_IF_ERROR(OpenImageSource(specs[i], model, i, normalization, &sources[i]));
      continue;
    }
    // This input alone, as a one-input model, for data/dataset.h.
    Model one;
    one.tensors.push_back(model.tensors[model.inputs[i]]);
    one.inputs = {0};
    std::unique_ptr<RepresentativeDataset> data;
    QLITE_RETURN_IF_ERROR(OpenRepresentativeDataset({specs[i]}, one, &data)
                              .WithContext(StrCat("representative data for input ", i, ": ")));
    sources[i] = std::make_unique<SpecSource>(std::move(data));
  }
  const int64_t count = sources[0]->count();
  for (int i = 1; i < inputs; ++i) {
    QLITE_ENSURE(sources[i]->count() == count, "representative data for input 0 has ", count,
                 " samples but input ", i, " has ", sources[i]->count());
  }
  *dataset = std::make_unique<CliDataset>(std::move(sources), static_cast<int>(count));
  return Status::Ok();
}

Status DecodeImageRgba(const std::string& path, std::vector<uint8_t>* rgba, int* width,
                       int* height) {
  int stored = 0;
  stbi_uc* pixels = stbi_load(path.c_str(), width, height, &stored, 4);
  QLITE_ENSURE(pixels != nullptr, path, ": cannot decode the image (", stbi_failure_reason(), ")");
  rgba->assign(pixels, pixels + static_cast<size_t>(*width) * *height * 4);
  stbi_image_free(pixels);
  return Status::Ok();
}

void ResizeBilinear(const uint8_t* pixels, int h, int w, int channels, int out_h, int out_w,
                    float* out) {
  // Source coordinate of an output pixel's centre, clamped to the edge pixels.
  auto source = [](int dst, int in, int out, int* lo, int* hi, float* frac) {
    const float pos = (dst + 0.5f) * static_cast<float>(in) / out - 0.5f;
    const float clamped = std::min(std::max(pos, 0.0f), static_cast<float>(in - 1));
    *lo = static_cast<int>(clamped);
    *hi = std::min(*lo + 1, in - 1);
    *frac = clamped - *lo;
  };
  for (int y = 0; y < out_h; ++y) {
    int y0, y1;
    float fy;
    source(y, h, out_h, &y0, &y1, &fy);
    for (int x = 0; x < out_w; ++x) {
      int x0, x1;
      float fx;
      source(x, w, out_w, &x0, &x1, &fx);
      for (int c = 0; c < channels; ++c) {
        auto at = [&](int yy, int xx) {
          return static_cast<float>(pixels[(static_cast<size_t>(yy) * w + xx) * channels + c]);
        };
        const float top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * fx;
        const float bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * fx;
        out[(static_cast<size_t>(y) * out_w + x) * channels + c] = top + (bottom - top) * fy;
      }
    }
  }
}

}  // namespace qlite
