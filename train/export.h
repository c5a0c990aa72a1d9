// Turns a trained Network into the graph the Keras TFLite converter emits:
//   input [1,28,28] -> RESHAPE [1,28,28,1] -> CONV_2D (fused RELU) ->
//   MAX_POOL_2D -> ... -> RESHAPE [1,N] -> FULLY_CONNECTED ... (logits)
// with NHWC activations, OHWI conv weights and [out,in] dense weights.
// Dropout disappears; QAT fake-quant layers become activation ranges.
#pragma once

#include "core/model.h"
#include "core/status.h"
#include "quantize/quantizer.h"
#include "train/network.h"

namespace qlite::train {

// The float model. If `ranges` is not null it receives, for a QAT network,
// the learned range of every float activation tensor (the input gets [0, 1];
// max-pool and reshape outputs share their input's range).
Status ExportFloatModel(const Network& net, Model* model, RangeMap* ranges = nullptr);

// A QAT network as a full-integer int8 model: the float export quantized by
// QuantizeModel with the learned ranges; `io` picks the model's I/O type.
Status ExportQatModel(const Network& net, IoType io, Model* model);

}  // namespace qlite::train
