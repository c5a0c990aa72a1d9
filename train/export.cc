#include "train/export.h"

#include "core/model_builder.h"
#include "train/fake_quant.h"

namespace qlite::train {

namespace {

std::vector<int32_t> Nhwc(Dims d) { return {1, d.h, d.w, d.c}; }

// Conv weights [o][ci][dy][dx] -> TFLite OHWI [o][dy][dx][ci].
std::vector<float> ConvWeightsOhwi(const Conv2D& conv) {
  const int o_count = conv.filters(), k = conv.kernel(), ci_count = conv.in_dims().c;
  const float* w = conv.params().data();
  std::vector<float> out(static_cast<size_t>(o_count) * k * k * ci_count);
  for (int o = 0; o < o_count; ++o) {
    for (int ci = 0; ci < ci_count; ++ci) {
      for (int dy = 0; dy < k; ++dy) {
        for (int dx = 0; dx < k; ++dx) {
          out[((static_cast<size_t>(o) * k + dy) * k + dx) * ci_count + ci] =
              w[((static_cast<size_t>(o) * ci_count + ci) * k + dy) * k + dx];
        }
      }
    }
  }
  return out;
}

// Dense weights over a CHW-flattened input -> over Keras' HWC flatten order.
std::vector<float> DenseWeightsHwc(const Dense& dense, Dims flattened_from) {
  const int units = dense.units(), n = dense.in_dims().size();
  const Dims d = flattened_from;
  const float* w = dense.params().data();
  std::vector<float> out(static_cast<size_t>(units) * n);
  for (int u = 0; u < units; ++u) {
    for (int c = 0; c < d.c; ++c) {
      for (int y = 0; y < d.h; ++y) {
        for (int x = 0; x < d.w; ++x) {
          out[static_cast<size_t>(u) * n + (y * d.w + x) * d.c + c] =
              w[static_cast<size_t>(u) * n + (c * d.h + y) * d.w + x];
        }
      }
    }
  }
  return out;
}

std::vector<float> Bias(const Layer& layer, int count) {
  const auto& p = layer.params();
  return std::vector<float>(p.end() - count, p.end());
}

}  // namespace

Status ExportFloatModel(const Network& net, Model* model, RangeMap* ranges) {
  ModelBuilder b;
  const Dims in = net.input_dims();
  QLITE_ENSURE(in.c == 1, "export expects a single-channel image input");
  int current = b.AddTensor("serving_default_input:0", DType::kFloat32, {1, in.h, in.w});
  b.SetInputs({current});
  RangeMap learned;
  learned[current] = {0.0f, 1.0f};
  // Reshape to NHWC, as Keras' Reshape((28, 28, 1)) layer.
  auto reshape = [&](const std::string& name, std::vector<int32_t> shape) {
    const int shape_tensor =
        b.AddConstant(name + "/shape", DType::kInt32, {static_cast<int32_t>(shape.size())}, shape);
    const int out = b.AddTensor(name, DType::kFloat32, shape);
    b.AddOperator(BuiltinOp::kReshape, {current, shape_tensor}, {out});
    if (learned.count(current)) learned[out] = learned[current];
    current = out;
  };
  reshape("sequential/reshape/Reshape", Nhwc(in));

  Dims flattened_from = in;
  bool flattened = false;
  int conv_count = 0, pool_count = 0, dense_count = 0;
  for (int i = 0; i < net.num_layers(); ++i) {
    const Layer& layer = net.layer(i);
    switch (layer.kind()) {
      case LayerKind::kConv2D: {
        const auto& conv = static_cast<const Conv2D&>(layer);
        QLITE_ENSURE(!flattened, "a Conv2D after Flatten cannot be exported");
        const std::string name =
            StrCat("sequential/conv2d", conv_count ? StrCat("_", conv_count) : "");
        ++conv_count;
        const int k = conv.kernel();
        const int weights =
            b.AddConstant(name + "/Conv2D", DType::kFloat32,
                          {conv.filters(), k, k, conv.in_dims().c}, ConvWeightsOhwi(conv));
        const int bias = b.AddConstant(name + "/BiasAdd/ReadVariableOp", DType::kFloat32,
                                       {conv.filters()}, Bias(conv, conv.filters()));
        Conv2DOptions options;
        options.padding = conv.pad() == PadMode::kSame ? Padding::kSame : Padding::kValid;
        options.activation = conv.relu() ? Activation::kRelu : Activation::kNone;
        const int out = b.AddTensor(name + (conv.relu() ? "/Relu" : "/BiasAdd"), DType::kFloat32,
                                    Nhwc(conv.out_dims()));
        b.AddOperator(BuiltinOp::kConv2D, {current, weights, bias}, {out}, options);
        current = out;
        break;
      }
      case LayerKind::kMaxPool: {
        const auto& pool = static_cast<const MaxPool&>(layer);
        const std::string name = StrCat("sequential/max_pooling2d",
                                        pool_count ? StrCat("_", pool_count) : "", "/MaxPool");
        ++pool_count;
        Pool2DOptions options;
        options.padding = Padding::kValid;
        options.stride_h = options.stride_w = options.filter_h = options.filter_w = pool.size();
        const int out = b.AddTensor(name, DType::kFloat32, Nhwc(pool.out_dims()));
        b.AddOperator(BuiltinOp::kMaxPool2D, {current}, {out}, options);
        if (learned.count(current)) learned[out] = learned[current];
        current = out;
        break;
      }
      case LayerKind::kFlatten:
        flattened_from = layer.in_dims();
        flattened = true;
        reshape("sequential/flatten/Reshape", {1, layer.out_dims().size()});
        break;
      case LayerKind::kDense: {
        const auto& dense = static_cast<const Dense&>(layer);
        QLITE_ENSURE(flattened, "a Dense layer needs a Flatten before it");
        const std::string name =
            StrCat("sequential/dense", dense_count ? StrCat("_", dense_count) : "");
        ++dense_count;
        // `flattened_from` is the CHW block this vector came from ({n,1,1}
        // after a dense layer, where the reordering is the identity).
        const int weights = b.AddConstant(name + "/MatMul", DType::kFloat32,
                                          {dense.units(), dense.in_dims().size()},
                                          DenseWeightsHwc(dense, flattened_from));
        flattened_from = dense.out_dims();
        const int bias = b.AddConstant(name + "/BiasAdd/ReadVariableOp", DType::kFloat32,
                                       {dense.units()}, Bias(dense, dense.units()));
        FullyConnectedOptions options;
        options.activation = dense.relu() ? Activation::kRelu : Activation::kNone;
        const int out = b.AddTensor(name + (dense.relu() ? "/Relu" : "/BiasAdd"), DType::kFloat32,
                                    {1, dense.units()});
        b.AddOperator(BuiltinOp::kFullyConnected, {current, weights, bias}, {out}, options);
        current = out;
        break;
      }
      case LayerKind::kDropout: break;  // the identity at inference
      case LayerKind::kFakeQuant: {
        const auto& fq = static_cast<const FakeQuantActivation&>(layer);
        if (ranges != nullptr) {
          QLITE_ENSURE(fq.has_range(), "layer ", i, ": the QAT range was never observed");
          learned[current] = {fq.quant().min, fq.quant().max};
        }
        break;
      }
    }
  }
  b.SetOutputs({current});
  b.model().tensors[current].name = "StatefulPartitionedCall:0";
  b.model().description = StrCat("qlite train --arch ", net.arch());
  *model = b.Build();
  if (ranges != nullptr) *ranges = std::move(learned);
  return Status::Ok();
}

Status ExportQatModel(const Network& net, IoType io, Model* model) {
  Model float_model;
  RangeMap ranges;
  QLITE_RETURN_IF_ERROR(ExportFloatModel(net, &float_model, &ranges));
  for (size_t t = 0; t < float_model.tensors.size(); ++t) {
    QLITE_ENSURE(float_model.is_constant(static_cast<int>(t)) || ranges.count(static_cast<int>(t)),
                 "no learned range for tensor '", float_model.tensors[t].name,
                 "' (is this a QAT network?)");
  }
  QuantizeOptions options;
  options.mode = QuantMode::kInt8;
  options.io = io;
  return QuantizeModel(float_model, ranges, options, model);
}

}  // namespace qlite::train
