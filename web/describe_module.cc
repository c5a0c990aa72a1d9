// describeModel's native side: `qlite inspect`'s text (core/describe.h) for a
// model held in wasm memory, for the package's CLI (bin/qlite.mjs). Part of
// the side module qlite-quantize.wasm, so that qlite.wasm, which pages load
// to run models, does not carry the text formatting (a static build links it
// into qlite.wasm). A plain C entry point, as quantize_module.cc's.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/describe.h"
#include "core/format/model_reader.h"
#include "core/interpreter.h"

// Describes the model at `model` (`model_size` bytes) as prepared with the
// kernel set `kernels` ("simd" or "reference", NUL-terminated). Returns a
// malloc'd block the caller frees: u32 status (0: the model reads, 1: it does
// not), u32 text byte count, u32 message byte count, then the text (the
// description, or why the bytes do not read) and the message (why qlite
// cannot run the model, empty if it can); neither NUL-terminated.
extern "C" __attribute__((visibility("default"))) uint8_t* qlite_describe_model(
    const uint8_t* model_bytes, size_t model_size, const char* kernels) {
  using namespace qlite;
  auto storage =
      std::make_shared<const std::vector<uint8_t>>(model_bytes, model_bytes + model_size);
  Model model;
  const Status read = ReadModel(storage, &model);
  std::string text = read.message();
  std::string runnable;
  if (read.ok()) {
    InterpreterOptions options;
    // The caller has registered the SIMD kernels (index.js does it through
    // Model.load): qlite.wasm does not export RegisterSimdKernels.
    if (std::strcmp(kernels, "simd") == 0) options.kernels = KernelSet::kSimd;
    std::unique_ptr<Interpreter> interpreter;
    // The copying overload: the quantizer links it already, so qlite.wasm
    // exports nothing more for it.
    const Status created = Interpreter::Create(model, options, &interpreter);
    text = DescribeModel(model, created.ok() ? interpreter.get() : nullptr, created);
    runnable = created.message();
  }
  const uint32_t header[3] = {read.ok() ? 0u : 1u, static_cast<uint32_t>(text.size()),
                              static_cast<uint32_t>(runnable.size())};
  auto* block = static_cast<uint8_t*>(std::malloc(sizeof(header) + text.size() + runnable.size()));
  if (block == nullptr) return nullptr;
  std::memcpy(block, header, sizeof(header));
  std::memcpy(block + sizeof(header), text.data(), text.size());
  std::memcpy(block + sizeof(header) + text.size(), runnable.data(), runnable.size());
  return block;
}
