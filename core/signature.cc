#include "core/signature.h"

#include <algorithm>

namespace qlite {

namespace {

std::string Keys(const Model& model) {
  std::string keys;
  for (const SignatureDef& s : model.signatures) keys += (keys.empty() ? "'" : ", '") + s.key + "'";
  return keys.empty() ? "none" : keys;
}

// Positions of `entries`' tensors in `io` (model.inputs or model.outputs).
Status Slots(const SignatureDef& signature, const std::vector<SignatureTensor>& entries,
             const std::vector<int32_t>& io, const char* what, std::vector<SignatureSlot>* out) {
  for (const SignatureTensor& entry : entries) {
    const auto it = std::find(io.begin(), io.end(), entry.tensor);
    QLITE_ENSURE(it != io.end(), "signature '", signature.key, "': ", what, " '", entry.name,
                 "' is tensor ", entry.tensor, ", which is not a model ", what);
    out->push_back({entry.name, static_cast<int>(it - io.begin())});
  }
  return Status::Ok();
}

}  // namespace

Status ResolveSignature(const Model& model, const std::string& key, ResolvedSignature* out) {
  const SignatureDef* found = nullptr;
  if (key.empty()) {
    QLITE_ENSURE(model.signatures.size() == 1, "the model has ", model.signatures.size(),
                 " signatures (", Keys(model), "): name one");
    found = &model.signatures[0];
  } else {
    for (const SignatureDef& s : model.signatures) {
      if (s.key == key) {
        found = &s;
        break;
      }
    }
    QLITE_ENSURE(found != nullptr, "the model has no signature '", key,
                 "' (signatures: ", Keys(model), ")");
  }
  QLITE_ENSURE(found->subgraph == 0, "signature '", found->key, "' runs subgraph ", found->subgraph,
               "; qlite runs signatures of the main subgraph (0) only");
  ResolvedSignature resolved;
  resolved.key = found->key;
  QLITE_RETURN_IF_ERROR(Slots(*found, found->inputs, model.inputs, "input", &resolved.inputs));
  QLITE_RETURN_IF_ERROR(Slots(*found, found->outputs, model.outputs, "output", &resolved.outputs));
  *out = std::move(resolved);
  return Status::Ok();
}

}  // namespace qlite
