// One-op models for the cross-runtime test (web/test/ops-litert.test.mjs),
// written by qlite_op_models (make_op_models.cc). Each op family adds its
// models in its own op_models_<family>.cc through one Add...Models function.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/model.h"

namespace qlite {

// One model: the test feeds every input seeded values and compares output 0;
// the file name says what it holds.
struct OpModel {
  std::string name;
  std::function<Model()> build;
};
using OpModels = std::vector<OpModel>;

// Ops that move bytes are tested for every dtype the page can feed; quantized
// tensors carry equal input and output parameters, as converters write them.
inline constexpr DType kMovedTypes[] = {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16,
                                        DType::kInt32};
Quantization MovedQuant(DType type);

void AddMathModels(OpModels* models);           // op_models_math.cc: CUMSUM, unary math
void AddShapeModels(OpModels* models);          // op_models_shape.cc: SLICE ... ZEROS_LIKE
void AddBinaryMathModels(OpModels* models);     // op_models_binmath.cc: DIV ... CAST
void AddReduceModels(OpModels* models);         // op_models_reduce.cc: SUM ... ARG_MIN
void AddGatherModels(OpModels* models);         // op_models_gather.cc: GATHER ... RANGE
void AddCompareModels(OpModels* models);        // op_models_compare.cc: EQUAL ... SELECT_V2
void AddMatMulModels(OpModels* models);         // op_models_matmul.cc: BATCH_MATMUL
void AddResizeModels(OpModels* models);         // op_models_resize.cc: RESIZE_BILINEAR, _NEAREST
void AddDynamicBatchModels(OpModels* models);   // op_models_dynamic.cc: blocks with batch -1
void AddRunTimeShapeModels(OpModels* models);   // op_models_runtime_shapes.cc: WHERE, shape inputs
void AddVisionModels(OpModels* models);         // op_models_vision.cc: PRELU ... L2_POOL_2D
void AddFaceDetectionModels(OpModels* models);  // op_models_facedet.cc: a BlazeFace-style block
void AddSpaceModels(OpModels* models);          // op_models_space.cc: DEPTH_TO_SPACE ... MIRROR_PAD
void AddActivationModels(OpModels* models);     // op_models_act.cc: ELU ... ATAN2
void AddBlockModels(OpModels* models);          // op_models_blocks.cc: attention, layer norm
void AddDetectionModels(OpModels* models);      // op_models_detect.cc: detection post-process, NMS
void AddIndexingModels(OpModels* models);       // op_models_indexing.cc: SCATTER_ND ... TOPK_V2
void AddMediaPipeModels(OpModels* models);      // op_models_mediapipe.cc: MediaPipe's custom ops
void AddControlFlowModels(OpModels* models);    // op_models_control.cc: WHILE, IF
void AddXnnpackModels(OpModels* models);        // op_models_xnnpack.cc: uint8 and NCHW graphs
void AddXnnpackSweepModels(OpModels* models);   // op_models_xnnpack_sweep.cc: quantized op sweep
// op_models_resource.cc: VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE, CALL_ONCE;
// `stateful`: only the ones the tfjs-tflite page can feed.
void AddResourceVariableModels(OpModels* models, bool stateful);

// op_models_stateful.cc: SVDF, the RNN and LSTM families, float32, int8 SVDF
// and hybrid (int8 weights, float32 activations). Written only by
// `qlite_op_models --stateful` (LiteRT.js refuses variable tensors).
void AddStatefulModels(OpModels* models);
// op_models_quantized_stateful.cc: the RNN and LSTM families through the
// quantizer's dynamic-range mode (`qlite_op_models --stateful` only).
void AddDynamicRangeStatefulModels(OpModels* models);
void AddSparseModels(OpModels* models);  // op_models_sparse.cc: DENSIFY -> FULLY_CONNECTED
// op_models_runtime_shapes.cc: WHERE, the RESHAPE chain and FILL with their
// dynamic tensor as the output. Written only by `qlite_op_models --dynamic`.
void AddDynamicOutputModels(OpModels* models);

// The blocks themselves, float32 or int8 (op_models_blocks.cc).
Model AttentionBlock(DType type);  // inputs q, k, v [1,4,8,16], mask bool [1,1,8,8]
Model LayerNormBlock(DType type);  // input x [1,8,32]
// op_models_signature.cc: a model whose signature names its inputs and outputs.
void AddSignatureModels(OpModels* models);
Model SignatureAddSub();

// The face-detection-style block (op_models_facedet.cc), float32 or int8: also
// the GUI tests' model that is not a digit classifier.
Model FaceDetectionStyleBlock(DType type);

}  // namespace qlite
