// A model with a signature (TFLite's SignatureDef) whose names list the
// inputs and outputs in another order than the model does: LiteRT.js must
// load it, and web/test/signatures.test.mjs runs it by name through the npm
// package.
#include <vector>

#include "core/model_builder.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {

// x, y -> ADD -> sum, SUB -> diff; signature "serving_default" feeds (y, x)
// and reads (diff, sum).
Model SignatureAddSub() {
  ModelBuilder b;
  const int x = b.AddTensor("serving_default_x:0", DType::kFloat32, {1, 4});
  const int y = b.AddTensor("serving_default_y:0", DType::kFloat32, {1, 4});
  const int sum = b.AddTensor("StatefulPartitionedCall:0", DType::kFloat32, {1, 4});
  const int diff = b.AddTensor("StatefulPartitionedCall:1", DType::kFloat32, {1, 4});
  b.AddOperator(BuiltinOp::kAdd, {x, y}, {sum}, ElementwiseOptions{});
  b.AddOperator(BuiltinOp::kSub, {x, y}, {diff}, ElementwiseOptions{});
  b.SetInputs({x, y});
  b.SetOutputs({sum, diff});
  Model model = b.Build();
  model.signatures.push_back(
      {"serving_default", 0, {{"y", y}, {"x", x}}, {{"diff", diff}, {"sum", sum}}});
  return model;
}

void AddSignatureModels(OpModels* models) {
  models->push_back({"signature_add_sub_float32", SignatureAddSub});
}

}  // namespace qlite
