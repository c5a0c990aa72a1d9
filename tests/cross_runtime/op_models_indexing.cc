// One-op models of SCATTER_ND, EMBEDDING_LOOKUP, TOPK_V2 and QUANTIZE int16
// -> int32. The fed input is the data (updates, table, values); indices, ids,
// shapes and k are in-range constants. SCATTER_ND's indices repeat a slice,
// so sums are compared too; TOPK_V2's integer inputs are named "ties..." so
// that the page feeds many equal values, and each variant is written twice,
// once with the values and once with the indices as the model's output.
// TOPK_V2 is also written as qlite's int8 quantizer writes a float model
// (float I/O: QUANTIZE -> TOPK_V2 v2 -> DEQUANTIZE; the indices stay int32).
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "core/model_builder.h"
#include "quantize/quantizer.h"
#include "tests/cross_runtime/op_models.h"

namespace qlite {
namespace {

Model ScatterNd(DType type, std::vector<int32_t> indices_shape, std::vector<int32_t> indices,
                std::vector<int32_t> updates_shape, std::vector<int32_t> shape) {
  ModelBuilder b;
  const int i = b.AddConstant("indices", DType::kInt32, indices_shape, indices);
  const int u = b.AddTensor("updates", type, updates_shape, MovedQuant(type));
  const int s = b.AddConstant("shape", DType::kInt32, {static_cast<int32_t>(shape.size())}, shape);
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kScatterNd, {i, u, s}, {out});
  b.SetInputs({u});
  b.SetOutputs({out});
  return b.Build();
}

Model EmbeddingLookup(DType type, std::vector<int32_t> table_shape, std::vector<int32_t> ids) {
  ModelBuilder b;
  const int i = b.AddConstant("ids", DType::kInt32, {static_cast<int32_t>(ids.size())}, ids);
  const int v = b.AddTensor("table", type, table_shape, MovedQuant(type));
  const int out = b.AddTensor("y", type, {}, MovedQuant(type));
  b.AddOperator(BuiltinOp::kEmbeddingLookup, {i, v}, {out});
  b.SetInputs({v});
  b.SetOutputs({out});
  return b.Build();
}

Model TopK(DType type, std::vector<int32_t> shape, int32_t k, bool output_indices) {
  ModelBuilder b;
  const int x =
      b.AddTensor(type == DType::kFloat32 ? "x" : "ties_x", type, shape, MovedQuant(type));
  const int kt = b.AddConstant("k", DType::kInt32, {}, std::vector<int32_t>{k});
  const int values = b.AddTensor("values", type, {}, MovedQuant(type));
  const int indices = b.AddTensor("indices", DType::kInt32, {});
  b.AddOperator(BuiltinOp::kTopkV2, {x, kt}, {values, indices}, {}, type == DType::kInt8 ? 2 : 1);
  b.SetInputs({x});
  b.SetOutputs({output_indices ? indices : values});
  return b.Build();
}

// The float TOPK (k = 3 of [3, 7]) through QuantizeModel in int8 mode, x in [-4, 4].
Model QuantizedTopK(bool output_indices) {
  const Model float_model = TopK(DType::kFloat32, {3, 7}, 3, output_indices);
  RangeMap ranges;
  ranges[float_model.inputs[0]] = {-4.0f, 4.0f};
  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  Model quantized;
  const Status s = QuantizeModel(float_model, ranges, options, &quantized);
  if (!s.ok()) std::fprintf(stderr, "quantizing TOPK_V2: %s\n", s.message().c_str());
  return quantized;
}

Model QuantizeInt16ToInt32(Quantization in_quant, Quantization out_quant) {
  ModelBuilder b;
  const int x = b.AddTensor("x", DType::kInt16, {4, 16}, std::move(in_quant));
  const int y = b.AddTensor("y", DType::kInt32, {4, 16}, std::move(out_quant));
  b.AddOperator(BuiltinOp::kQuantize, {x}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Build();
}

}  // namespace

void AddIndexingModels(OpModels* models_out) {
  OpModels& models = *models_out;
  for (DType type :
       {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt32, DType::kInt64, DType::kBool}) {
    const std::string t = DTypeName(type);
    // Elements of a [4, 5] output, (1, 2) twice; rows of a [5, 3] output, row 4 twice.
    models.push_back({"scatter_nd_" + t + "_elements", [=] {
                        return ScatterNd(type, {5, 2}, {1, 2, 3, 4, 0, 0, 1, 2, 2, 3}, {5}, {4, 5});
                      }});
    models.push_back({"scatter_nd_" + t + "_rows", [=] {
                        return ScatterNd(type, {3, 1}, {4, 0, 4}, {3, 3}, {5, 3});
                      }});
  }
  for (DType type : {DType::kFloat32, DType::kInt8, DType::kUInt8}) {
    const std::string t = DTypeName(type);
    models.push_back({"embedding_lookup_" + t, [=] {
                        return EmbeddingLookup(type, {5, 4}, {3, 0, 4, 3});
                      }});
    models.push_back({"embedding_lookup_" + t + "_rank3", [=] {
                        return EmbeddingLookup(type, {3, 2, 3}, {2, 2, 1});
                      }});
  }
  // The hybrid lookup (int8/uint8 table, float32 output) is left out: LiteRT.js
  // loads such models but every output it returns is 0, with the table fed or
  // constant, and also after an ADD of a fed float input (y = lookup + x gave
  // zeros, not x), so there is nothing to compare; tests/kernels/
  // embedding_lookup_test.cc checks it by hand.
  for (DType type : {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt32, DType::kInt64}) {
    const std::string t = DTypeName(type);
    for (bool indices : {false, true}) {
      const std::string out = indices ? "_indices" : "_values";
      models.push_back({"topk_v2_" + t + "_k3" + out, [=] {
                          return TopK(type, {3, 7}, 3, indices);
                        }});
      models.push_back(
          {"topk_v2_" + t + "_full_sort" + out, [=] { return TopK(type, {12}, 12, indices); }});
      models.push_back({"topk_v2_" + t + "_rank3" + out, [=] {
                          return TopK(type, {2, 3, 5}, 2, indices);
                        }});
    }
  }
  models.push_back({"topk_v2_quantized_int8_values", [] { return QuantizedTopK(false); }});
  models.push_back({"topk_v2_quantized_int8_indices", [] { return QuantizedTopK(true); }});
  models.push_back(
      {"quantize_int16_to_int32_pow2",
       [] { return QuantizeInt16ToInt32(PerTensor(1.0f / 1024, 0), PerTensor(1.0f / 16384, 7)); }});
  models.push_back({"quantize_int16_to_int32", [] {
                      return QuantizeInt16ToInt32(PerTensor(0.003f, 0), PerTensor(0.0007f, -5));
                    }});
}

}  // namespace qlite
