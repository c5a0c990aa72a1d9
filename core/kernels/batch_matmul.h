// BATCH_MATMUL's options (tests and the quantizer build them).
#pragma once

namespace qlite {

struct BatchMatMulOptions {
  bool adj_x = false;  // lhs holds [..., depth, rows]: its last two dims are transposed
  bool adj_y = false;  // rhs holds [..., cols, depth]
  bool asymmetric_quantize_inputs = false;  // hybrid only, which qlite does not implement
};

}  // namespace qlite
