// Reading a model from a file: apart from model_reader.cc, so that the wasm
// runtime, which reads bytes only, links no iostream (in the threaded build
// it would bring in the locale and printf code, ~6 KB of its size budget).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/format/model_reader.h"

namespace qlite {

Status ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes) {
  std::ifstream in(path, std::ios::binary);
  QLITE_ENSURE(in.good(), "cannot open '", path, "': ", std::strerror(errno));
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  QLITE_ENSURE(!in.bad(), "error while reading '", path, "'");
  return Status::Ok();
}

Status ReadModelFile(const std::string& path, Model* model) {
  auto bytes = std::make_shared<std::vector<uint8_t>>();
  QLITE_RETURN_IF_ERROR(ReadFileBytes(path, bytes.get()));
  const Status s = ReadModel(std::move(bytes), model);
  return s.WithContext(path + ": ");
}

}  // namespace qlite
