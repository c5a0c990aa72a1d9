#include "data/dataset.h"

#include <cstring>

#include "core/format/model_reader.h"
#include "core/tensor.h"
#include "data/mnist.h"
#include "data/parse_number.h"

namespace qlite {

namespace {

// One input's samples, `elements` floats each, back to back.
struct InputSamples {
  int64_t elements = 0;
  int64_t count = 0;
  std::vector<float> values;
};

std::string InputLabel(const Model& model, int i) {
  const TensorDef& def = model.tensors[model.inputs[i]];
  return StrCat("input ", i, " ('", def.name, "', shape ", ShapeToString(def.shape), ", ",
                ShapeElementCount(def.shape), " values)");
}

Status LoadMnistSpec(const std::string& spec, int64_t elements, InputSamples* out) {
  // mnist:<train|test>:<count>
  const size_t first = spec.find(':');
  const size_t second = spec.find(':', first + 1);
  QLITE_ENSURE(second != std::string::npos, "representative dataset '", spec,
               "': expected mnist:train:<count> or mnist:test:<count>");
  const std::string split = spec.substr(first + 1, second - first - 1);
  QLITE_ENSURE(split == "train" || split == "test", "representative dataset '", spec,
               "': unknown MNIST split '", split, "' (train or test)");
  long count = 0;
  QLITE_RETURN_IF_ERROR(ParseInt(spec.substr(second + 1), 1, 60000, "MNIST sample count", &count));
  MnistSet set;
  QLITE_RETURN_IF_ERROR(LoadMnist(DefaultMnistDir(),
                                  split == "train" ? MnistSplit::kTrain : MnistSplit::kTest,
                                  static_cast<int>(count), &set));
  QLITE_ENSURE(set.count == count, "representative dataset '", spec, "': only ", set.count,
               " MNIST images available");
  QLITE_ENSURE(set.pixels() == elements, "representative dataset '", spec, "': MNIST images have ",
               set.pixels(), " pixels but the model input needs ", elements, " values");
  out->count = set.count;
  out->values.resize(set.images.size());
  for (size_t i = 0; i < set.images.size(); ++i) out->values[i] = set.images[i] / 255.0f;
  return Status::Ok();
}

// Reads the text between the quotes or brackets following `key` in a .npy header.
bool HeaderField(const std::string& header, const std::string& key, std::string* value) {
  const size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) return false;
  size_t p = header.find(':', k);
  if (p == std::string::npos) return false;
  ++p;
  while (p < header.size() && header[p] == ' ') ++p;
  if (p >= header.size()) return false;
  const char open = header[p];
  const char close = open == '\'' ? '\'' : open == '(' ? ')' : '\0';
  if (close == '\0') {  // bare word (True / False)
    const size_t end = header.find_first_of(",}", p);
    if (end == std::string::npos) return false;
    *value = header.substr(p, end - p);
    return true;
  }
  const size_t end = header.find(close, p + 1);
  if (end == std::string::npos) return false;
  *value = header.substr(p + 1, end - p - 1);
  return true;
}

}  // namespace

Status ParseNpy(const std::vector<uint8_t>& bytes, const std::string& path,
                std::vector<float>* values, std::vector<int64_t>* shape) {
  QLITE_ENSURE(bytes.size() >= 10 && std::memcmp(bytes.data(), "\x93NUMPY", 6) == 0, path,
               ": not a .npy file (bad magic)");
  const int major = bytes[6];
  QLITE_ENSURE(major >= 1 && major <= 3, path, ": unsupported .npy version ", major);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = bytes[8] | (bytes[9] << 8);
    offset = 10;
  } else {
    QLITE_ENSURE(bytes.size() >= 12, path, ": truncated .npy header");
    header_len = bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (size_t{bytes[11]} << 24);
    offset = 12;
  }
  QLITE_ENSURE(header_len <= bytes.size() - offset, path, ": truncated .npy header");
  const std::string header(reinterpret_cast<const char*>(bytes.data() + offset), header_len);
  std::string descr, fortran, dims;
  QLITE_ENSURE(HeaderField(header, "descr", &descr) && HeaderField(header, "shape", &dims), path,
               ": .npy header without descr/shape: ", header);
  if (HeaderField(header, "fortran_order", &fortran)) {
    QLITE_ENSURE(fortran.rfind("False", 0) == 0, path, ": Fortran-order arrays are not supported");
  }
  const bool f32 = descr == "<f4" || descr == "=f4";
  const bool f64 = descr == "<f8" || descr == "=f8";
  QLITE_ENSURE(f32 || f64, path, ": dtype '", descr, "' is not supported (float32 '<f4' or ",
               "float64 '<f8')");
  shape->clear();
  int64_t count = 1;
  size_t p = 0;
  while (p < dims.size()) {
    while (p < dims.size() && (dims[p] == ' ' || dims[p] == ',')) ++p;
    if (p >= dims.size()) break;
    long dim = 0;
    const size_t end = dims.find_first_of(", ", p);
    QLITE_RETURN_IF_ERROR(ParseInt(dims.substr(p, end - p), 0, 1L << 31, ".npy dimension", &dim)
                              .WithContext(path + ": "));
    shape->push_back(dim);
    count *= dim;
    QLITE_ENSURE(count <= (int64_t{1} << 31), path, ": array too large");
    p = end == std::string::npos ? dims.size() : end;
  }
  const size_t item = f32 ? 4 : 8;
  const size_t data_offset = offset + header_len;
  QLITE_ENSURE(bytes.size() - data_offset == static_cast<size_t>(count) * item, path, ": data has ",
               bytes.size() - data_offset, " bytes, shape (", dims, ") needs ", count * item);
  values->resize(count);
  for (int64_t i = 0; i < count; ++i) {
    if (f32) {
      std::memcpy(&(*values)[i], bytes.data() + data_offset + 4 * i, 4);
    } else {
      double d;
      std::memcpy(&d, bytes.data() + data_offset + 8 * i, 8);
      (*values)[i] = static_cast<float>(d);
    }
  }
  return Status::Ok();
}

Status VectorDataset::Sample(int i, std::vector<std::vector<float>>* inputs) {
  QLITE_ENSURE(i >= 0 && i < size(), "sample ", i, " out of range");
  *inputs = samples_[i];
  return Status::Ok();
}

Status OpenRepresentativeDataset(const std::vector<std::string>& specs, const Model& model,
                                 std::unique_ptr<RepresentativeDataset>* dataset) {
  const int inputs = static_cast<int>(model.inputs.size());
  QLITE_ENSURE(!specs.empty(), "no representative dataset given (--repr)");
  QLITE_ENSURE(static_cast<int>(specs.size()) == inputs, "the model has ", inputs, " inputs but ",
               specs.size(),
               " representative dataset(s) were given; give one "
               "--repr per input");
  std::vector<InputSamples> per_input(inputs);
  for (int i = 0; i < inputs; ++i) {
    const std::string& spec = specs[i];
    InputSamples& s = per_input[i];
    s.elements = ShapeElementCount(model.tensors[model.inputs[i]].shape);
    QLITE_ENSURE(s.elements > 0, InputLabel(model, i), " has no fixed size");
    if (spec.rfind("mnist:", 0) == 0) {
      QLITE_RETURN_IF_ERROR(
          LoadMnistSpec(spec, s.elements, &s)
              .WithContext(StrCat("representative data for ", InputLabel(model, i), ": ")));
      continue;
    }
    std::vector<uint8_t> bytes;
    QLITE_RETURN_IF_ERROR(ReadFileBytes(spec, &bytes).WithContext("representative dataset: "));
    const bool npy = spec.size() >= 4 && spec.compare(spec.size() - 4, 4, ".npy") == 0;
    if (npy) {
      std::vector<int64_t> shape;
      QLITE_RETURN_IF_ERROR(ParseNpy(bytes, spec, &s.values, &shape));
      const int64_t total = static_cast<int64_t>(s.values.size());
      int64_t trailing = 1;
      for (size_t d = 1; d < shape.size(); ++d) trailing *= shape[d];
      if (!shape.empty() && trailing == s.elements) {
        s.count = shape[0];
      } else {
        QLITE_ENSURE(total == s.elements, spec, ": array of ", total, " values is neither one ",
                     "sample nor [N, ...] samples of ", InputLabel(model, i));
        s.count = 1;
      }
    } else {
      const size_t sample_bytes = static_cast<size_t>(s.elements) * sizeof(float);
      QLITE_ENSURE(!bytes.empty() && bytes.size() % sample_bytes == 0, spec, ": ", bytes.size(),
                   " bytes is not a whole number of float32 samples for ", InputLabel(model, i),
                   " (", sample_bytes, " bytes each)");
      s.count = static_cast<int64_t>(bytes.size() / sample_bytes);
      s.values.resize(bytes.size() / sizeof(float));
      std::memcpy(s.values.data(), bytes.data(), bytes.size());
    }
    QLITE_ENSURE(s.count > 0, spec, ": holds no samples");
  }
  const int64_t count = per_input[0].count;
  for (int i = 1; i < inputs; ++i) {
    QLITE_ENSURE(per_input[i].count == count, "representative data for input 0 has ", count,
                 " samples but input ", i, " has ", per_input[i].count);
  }
  QLITE_ENSURE(count <= 1000000, "too many representative samples (", count, ")");
  std::vector<std::vector<std::vector<float>>> samples(count);
  for (int64_t n = 0; n < count; ++n) {
    samples[n].resize(inputs);
    for (int i = 0; i < inputs; ++i) {
      const InputSamples& s = per_input[i];
      samples[n][i].assign(s.values.begin() + n * s.elements,
                           s.values.begin() + (n + 1) * s.elements);
    }
  }
  *dataset = std::make_unique<VectorDataset>(std::move(samples));
  return Status::Ok();
}

}  // namespace qlite
