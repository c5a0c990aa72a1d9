// Running a model by signature (TFLite's SignatureRunner): a converter names
// the main subgraph's inputs and outputs under a key ("serving_default");
// ResolveSignature maps those names to input and output positions, so a
// caller feeds Interpreter::SetInput(position) and reads output(position).
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace qlite {

struct SignatureSlot {
  std::string name;  // the signature's name for the tensor
  int position = 0;  // its index among the model's inputs (or outputs)
};

struct ResolvedSignature {
  std::string key;
  std::vector<SignatureSlot> inputs, outputs;
};

// `key` "" picks the model's only signature. Errors name the key and the
// model's keys, a signature of another subgraph (only the main subgraph runs
// by signature), or a named tensor that is not a model input or output.
Status ResolveSignature(const Model& model, const std::string& key, ResolvedSignature* out);

// "serving_default(image) -> (logits, probs)"; one line per signature
// (defined in core/describe.cc with the other descriptions).
std::string DescribeSignatures(const Model& model);

}  // namespace qlite
