// Semantic checks of a Model that do not depend on any kernel: indices in
// range, constant sizes, quantization consistency, a valid execution order.
// The reader runs it on every file; the interpreter on every model it gets.
#pragma once

#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace qlite {

Status CheckModel(const Model& model);

// The subgraph indices a node refers to through its options (CALL, IF,
// WHILE, STABLEHLO_COMPOSITE, CALL_ONCE); CheckModel checks them against the
// model's subgraph count.
std::vector<int32_t> CalledSubgraphs(const OperatorDef& op);

}  // namespace qlite
