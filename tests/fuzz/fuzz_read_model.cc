// libFuzzer target: read any bytes as a .tflite model. A file the reader
// accepts must survive write -> read -> write with identical bytes (the
// writer's round-trip promise); anything else must be a clean error.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/format/model_reader.h"
#include "core/format/model_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  qlite::Model model;
  if (!qlite::ReadModelFromBytes(data, size, &model).ok()) return 0;
  std::vector<uint8_t> first, second;
  qlite::Status s = qlite::WriteModel(model, qlite::WriterOptions{}, &first);
  if (!s.ok()) return 0;  // e.g. a tensor the writer refuses; reported, not a crash
  qlite::Model reread;
  s = qlite::ReadModelFromBytes(first.data(), first.size(), &reread);
  if (!s.ok()) {
    std::fprintf(stderr, "written model does not read back: %s\n", s.message().c_str());
    std::abort();
  }
  s = qlite::WriteModel(reread, qlite::WriterOptions{}, &second);
  if (!s.ok() || first != second) {
    std::fprintf(stderr, "write -> read -> write changed the bytes (%s)\n", s.message().c_str());
    std::abort();
  }
  return 0;
}
