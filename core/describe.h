// Human-readable descriptions of model parts, shared by `qlite inspect`, the
// npm package and the GUI's model card. An operator's options are described
// by its row in the op table (DescribeOptions in core/op_table.h).
#pragma once

#include <string>

#include "core/model.h"
#include "core/status.h"

namespace qlite {

class Interpreter;

// "per-tensor scale=0.0039 zp=-128", "per-channel(dim 0) x12 scale=[0.001..0.9]", or "-".
std::string DescribeQuantization(const Quantization& quant);

// "subgraph 2 'body': 5 tensors, 2 operators, inputs [0,1] outputs [3,4]"
// (0 <= index < model.num_subgraphs()).
std::string DescribeSubgraph(const Model& model, int index);

// What `qlite inspect` prints after its "model:" line: the header, metadata and
// signatures, the tensor and operator tables of every subgraph, then the kernel
// set and arena size, or "cannot run with qlite: why" when `runnable` failed.
// `interpreter` (null if the model cannot run) gives the main subgraph's
// prepared shapes. Shared by the C++ CLI and the npm package's CLI, so that
// both print the same bytes.
std::string DescribeModel(const Model& model, const Interpreter* interpreter,
                          const Status& runnable);

}  // namespace qlite
