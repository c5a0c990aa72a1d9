// Cuts a prepared model into one-node models: the node's operator with its
// own tensors, so that one node can be run, and compared between runtimes,
// alone (`qlite cut`, tests/bench/compare_nodes.mjs) and the float reference
// of a quantized layer (quantize/layer_metrics.cc).
#pragma once

#include "core/interpreter.h"
#include "core/model.h"
#include "core/status.h"

namespace qlite {

// The one-node model of `node`: constant inputs keep their bytes (including
// constants the interpreter computed at prepare, e.g. dequantized float16
// weights), every other input becomes a model input and the outputs the
// model outputs; every tensor carries the shape the interpreter prepared,
// so dynamic dimensions are concrete.
Status CutNode(const Interpreter& interpreter, int node, Model* out);

}  // namespace qlite
