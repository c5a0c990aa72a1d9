// Writes one-op models with qlite's writer for the cross-runtime test
// (web/test/ops-litert.test.mjs), which runs each through qlite and LiteRT.js
// in Chromium on seeded inputs. Usage: qlite_op_models [--stateful|--dynamic]
// OUT_DIR (--stateful: the models with variable tensors, for
// web/test/stateful-tfjs.test.mjs, instead; --dynamic: models whose output
// shape depends on input values, for web/test/dynamic-shape.test.mjs).
#include <cstdio>
#include <memory>
#include <string>

#include "core/format/model_writer.h"
#include "core/interpreter.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

OpModels AllModels(const std::string& set) {
  OpModels models;
  if (set == "--stateful") {
    AddStatefulModels(&models);
    AddResourceVariableModels(&models, true);
    AddDynamicRangeStatefulModels(&models);
    return models;
  }
  if (set == "--dynamic") {
    AddDynamicOutputModels(&models);
    return models;
  }
  AddMathModels(&models);
  AddShapeModels(&models);
  AddBinaryMathModels(&models);
  AddReduceModels(&models);
  AddGatherModels(&models);
  AddCompareModels(&models);
  AddMatMulModels(&models);
  AddResizeModels(&models);
  AddDynamicBatchModels(&models);
  AddRunTimeShapeModels(&models);
  AddVisionModels(&models);
  AddFaceDetectionModels(&models);
  AddSpaceModels(&models);
  AddActivationModels(&models);
  AddBlockModels(&models);
  AddDetectionModels(&models);
  AddIndexingModels(&models);
  AddMediaPipeModels(&models);
  AddSparseModels(&models);
  AddSignatureModels(&models);
  AddControlFlowModels(&models);
  AddXnnpackModels(&models);
  AddXnnpackSweepModels(&models);
  AddResourceVariableModels(&models, false);
  return models;
}

// Writes the output shapes qlite's prepare computes into the model: LiteRT.js
// sizes its output buffers from the shapes the file declares. A dynamic
// output (its shape known only at run time) keeps the one the model gives.
Status DeclareOutputShapes(Model* model) {
  std::unique_ptr<Interpreter> interpreter;
  QLITE_RETURN_IF_ERROR(Interpreter::Create(*model, InterpreterOptions{}, &interpreter));
  for (int i = 0; i < interpreter->num_outputs(); ++i) {
    if (interpreter->output(i)->is_dynamic()) continue;
    model->tensors[model->outputs[i]].shape = interpreter->output(i)->shape;
  }
  return Status::Ok();
}

}  // namespace
}  // namespace qlite

int main(int argc, char** argv) {
  const std::string set = argc == 3 ? argv[1] : "";
  if (argc != 2 && set != "--stateful" && set != "--dynamic") {
    std::fprintf(stderr, "usage: qlite_op_models [--stateful|--dynamic] OUT_DIR\n");
    return 2;
  }
  for (const qlite::OpModel& m : qlite::AllModels(set)) {
    const std::string path = std::string(argv[argc - 1]) + "/" + m.name + ".tflite";
    qlite::Model model = m.build();
    qlite::Status s = qlite::DeclareOutputShapes(&model);
    if (s.ok()) s = qlite::WriteModelFile(model, qlite::WriterOptions{}, path);
    if (!s.ok()) {
      std::fprintf(stderr, "qlite_op_models: %s: %s\n", path.c_str(), s.message().c_str());
      return 1;
    }
  }
  return 0;
}
