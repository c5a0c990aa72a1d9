// BATCH_MATMUL with SIMD128, byte-identical to the reference kernel
// (core/kernels/batch_matmul.cc), whose prepare checks the node and computes
// the shapes, strides and multipliers. Each lhs matrix is copied row-major
// (adj_x undone) and each rhs matrix into column panels (adj_y undone); a
// constant rhs is packed once at prepare. Tiles of up to 4 rows x one panel:
//   float32: panels of 8 columns, [k][8]; each lane sums its products in k
//     order with separate multiply and add, as the reference: same floats.
//   int8: panels of 8 columns of (rhs + rhs_offset) as int16, [k / 2][8][2],
//     multiplied with pairs of (lhs + lhs_offset) by i32x4.dot_i16x8 (|sum|
//     <= 2 * 255^2, exact); int32 sums wrap like TFLite's accumulator.
//   int16x8: the int8 layout with 4-column panels (zero points are 0); each
//     dot_i16x8 pair sum, less 1 so that it fits int32, is added in int64.
// The integer sums are requantized per element with the reference's code.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "core/kernels/batch_matmul.h"
#include "core/op_table.h"
#include "kernels_wasm/simd128.h"

namespace qlite {
namespace {

constexpr int kTileRows = 4;
constexpr int kFloatCols = 8, kInt8Cols = 8, kInt16Cols = 4;

struct SimdBatchMatMulData : BatchMatMulData {
  DType type = DType::kFloat32;
  int32_t blocks = 0;        // column panels per rhs matrix
  int64_t lhs_packed = 0;    // bytes of one packed lhs matrix
  int64_t rhs_packed = 0;    // bytes of one packed rhs matrix (all its panels)
  int64_t rhs_elements = 0;  // elements of one rhs matrix
  std::vector<uint8_t> rhs;  // constant rhs: every rhs matrix packed
  int lhs_scratch = -1, rhs_scratch = -1;
};

int PanelCols(DType type) {
  return type == DType::kFloat32 ? kFloatCols : type == DType::kInt8 ? kInt8Cols : kInt16Cols;
}

// ---- Packing: `src` is a whole input tensor, `start` its matrix's first element.

// Integer lhs: [rows][depth / 2] pairs (k even, k odd) of (lhs + lhs_offset)
// as int16 in one int32, zero past the last k.
template <typename T>
void PackLhsPairs(const BatchMatMulData& d, const T* in, int64_t start, int32_t* out) {
  for (int32_t i = 0; i < d.rows; ++i) {
    const T* row = in + start + i * d.lhs_steps[0];
    for (int32_t k = 0; k < d.depth; k += 2) {
      const int32_t even = row[k * d.lhs_steps[1]] + d.lhs_offset;
      const int32_t odd = k + 1 < d.depth ? row[(k + 1) * d.lhs_steps[1]] + d.lhs_offset : 0;
      *out++ = static_cast<int32_t>((static_cast<uint32_t>(odd) << 16) |
                                    (static_cast<uint32_t>(even) & 0xFFFFu));
    }
  }
}

// Integer rhs: panels of `cols` columns, [block][depth / 2][cols][2] int16
// (rhs + rhs_offset), zero past the last column and the last k.
template <typename T>
void PackRhsPairs(const BatchMatMulData& d, const T* in, int64_t start, int cols, int16_t* out) {
  const int32_t blocks = (d.cols + cols - 1) / cols;
  for (int32_t b = 0; b < blocks; ++b)
    for (int32_t k = 0; k < d.depth; k += 2)
      for (int c = 0; c < cols; ++c) {
        const int32_t j = b * cols + c;
        const T* column = in + start + j * d.rhs_steps[1];
        const bool inside = j < d.cols;
        *out++ = static_cast<int16_t>(inside ? column[k * d.rhs_steps[0]] + d.rhs_offset : 0);
        *out++ = static_cast<int16_t>(
            inside && k + 1 < d.depth ? column[(k + 1) * d.rhs_steps[0]] + d.rhs_offset : 0);
      }
}

void PackLhs(const BatchMatMulData& d, DType type, const uint8_t* src, int64_t start,
             uint8_t* dst) {
  if (type == DType::kFloat32) {  // [rows][depth]
    const float* in = reinterpret_cast<const float*>(src);
    float* out = reinterpret_cast<float*>(dst);
    for (int32_t i = 0; i < d.rows; ++i)
      for (int32_t k = 0; k < d.depth; ++k)
        *out++ = in[start + i * d.lhs_steps[0] + k * d.lhs_steps[1]];
  } else if (type == DType::kInt8) {
    PackLhsPairs(d, reinterpret_cast<const int8_t*>(src), start, reinterpret_cast<int32_t*>(dst));
  } else {
    PackLhsPairs(d, reinterpret_cast<const int16_t*>(src), start, reinterpret_cast<int32_t*>(dst));
  }
}

void PackRhs(const BatchMatMulData& d, DType type, const uint8_t* src, int64_t start,
             uint8_t* dst) {
  const int cols = PanelCols(type);
  if (type == DType::kFloat32) {  // [block][depth][8], zero past the last column
    const float* in = reinterpret_cast<const float*>(src);
    float* out = reinterpret_cast<float*>(dst);
    const int32_t blocks = (d.cols + cols - 1) / cols;
    for (int32_t b = 0; b < blocks; ++b)
      for (int32_t k = 0; k < d.depth; ++k)
        for (int c = 0; c < cols; ++c) {
          const int32_t j = b * cols + c;
          *out++ = j < d.cols ? in[start + k * d.rhs_steps[0] + j * d.rhs_steps[1]] : 0.0f;
        }
  } else if (type == DType::kInt8) {
    PackRhsPairs(d, reinterpret_cast<const int8_t*>(src), start, cols,
                 reinterpret_cast<int16_t*>(dst));
  } else {
    PackRhsPairs(d, reinterpret_cast<const int16_t*>(src), start, cols,
                 reinterpret_cast<int16_t*>(dst));
  }
}

// ---- Tiles: R (1..4) packed lhs rows `lhs` (`stride` elements apart) times one panel.

template <int R>
void FloatTile(const float* lhs, int64_t stride, int32_t depth, const float* panel, int cols,
               float* out, int64_t out_stride) {
  v128_t acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = wasm_f32x4_splat(0.0f);
  for (int32_t k = 0; k < depth; ++k, panel += kFloatCols) {
    const v128_t b0 = wasm_v128_load(panel);
    const v128_t b1 = wasm_v128_load(panel + 4);
    for (int r = 0; r < R; ++r) {
      const v128_t a = wasm_f32x4_splat(lhs[r * stride + k]);
      acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(a, b0));
      acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(a, b1));
    }
  }
  for (int r = 0; r < R; ++r, out += out_stride) {
    if (cols == kFloatCols) {
      wasm_v128_store(out, acc[r][0]);
      wasm_v128_store(out + 4, acc[r][1]);
    } else {
      float row[kFloatCols];
      wasm_v128_store(row, acc[r][0]);
      wasm_v128_store(row + 4, acc[r][1]);
      std::memcpy(out, row, sizeof(float) * cols);
    }
  }
}

template <int R>
void Int8Tile(const int32_t* lhs, int64_t stride, int32_t pairs, const int16_t* panel,
              int32_t (*sums)[kInt8Cols]) {
  v128_t acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = wasm_i32x4_splat(0);
  for (int32_t p = 0; p < pairs; ++p, panel += 2 * kInt8Cols) {
    const v128_t b0 = wasm_v128_load(panel);
    const v128_t b1 = wasm_v128_load(panel + 8);
    for (int r = 0; r < R; ++r) {
      const v128_t a = wasm_i32x4_splat(lhs[r * stride + p]);
      acc[r][0] = wasm_i32x4_add(acc[r][0], wasm_i32x4_dot_i16x8(a, b0));
      acc[r][1] = wasm_i32x4_add(acc[r][1], wasm_i32x4_dot_i16x8(a, b1));
    }
  }
  for (int r = 0; r < R; ++r) {
    wasm_v128_store(sums[r], acc[r][0]);
    wasm_v128_store(sums[r] + 4, acc[r][1]);
  }
}

// int16 pairs: i32x4.dot_i16x8 wraps only for a true sum of 2^31 (both
// products (-32768)^2); every true sum minus 1 fits int32, so each lane adds
// (dot - 1) in int64 and the caller adds the pair count back.
template <int R>
void Int16Tile(const int32_t* lhs, int64_t stride, int32_t pairs, const int16_t* panel,
               int64_t (*sums)[kInt16Cols]) {
  const v128_t one = wasm_i32x4_splat(1);
  v128_t acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = wasm_i64x2_splat(0);
  for (int32_t p = 0; p < pairs; ++p, panel += 2 * kInt16Cols) {
    const v128_t b = wasm_v128_load(panel);
    for (int r = 0; r < R; ++r) {
      const v128_t dot =
          wasm_i32x4_sub(wasm_i32x4_dot_i16x8(wasm_i32x4_splat(lhs[r * stride + p]), b), one);
      acc[r][0] = wasm_i64x2_add(acc[r][0], wasm_i64x2_extend_low_i32x4(dot));
      acc[r][1] = wasm_i64x2_add(acc[r][1], wasm_i64x2_extend_high_i32x4(dot));
    }
  }
  for (int r = 0; r < R; ++r) {
    wasm_v128_store(sums[r], acc[r][0]);
    wasm_v128_store(sums[r] + 2, acc[r][1]);
  }
}

// Calls tile(std::integral_constant<int, R>, first row) over `rows` in groups of up to 4.
template <typename TileFn>
void ForEachRowGroup(int32_t rows, TileFn&& tile) {
  int32_t i = 0;
  for (; i + kTileRows <= rows; i += kTileRows) tile(std::integral_constant<int, kTileRows>(), i);
  switch (rows - i) {
    case 3: tile(std::integral_constant<int, 3>(), i); break;
    case 2: tile(std::integral_constant<int, 2>(), i); break;
    case 1: tile(std::integral_constant<int, 1>(), i); break;
    default: break;
  }
}

// One output matrix from its packed lhs and rhs.
void MultiplyMatrix(const SimdBatchMatMulData& d, const uint8_t* lhs_bytes,
                    const uint8_t* rhs_bytes, uint8_t* out_bytes) {
  const int panel_cols = PanelCols(d.type);
  for (int32_t b = 0; b < d.blocks; ++b) {
    const int32_t j0 = b * panel_cols;
    const int cols = std::min<int32_t>(panel_cols, d.cols - j0);
    if (d.type == DType::kFloat32) {
      const float* lhs = reinterpret_cast<const float*>(lhs_bytes);
      const float* panel =
          reinterpret_cast<const float*>(rhs_bytes) + int64_t{b} * d.depth * kFloatCols;
      float* out = reinterpret_cast<float*>(out_bytes) + j0;
      ForEachRowGroup(d.rows, [&](auto rows, int32_t i) {
        FloatTile<decltype(rows)::value>(lhs + int64_t{i} * d.depth, d.depth, d.depth, panel, cols,
                                         out + int64_t{i} * d.cols, d.cols);
      });
    } else if (d.type == DType::kInt8) {
      const int32_t pairs = (d.depth + 1) / 2;
      const int32_t* lhs = reinterpret_cast<const int32_t*>(lhs_bytes);
      const int16_t* panel =
          reinterpret_cast<const int16_t*>(rhs_bytes) + int64_t{b} * pairs * 2 * kInt8Cols;
      int8_t* out = reinterpret_cast<int8_t*>(out_bytes) + j0;
      ForEachRowGroup(d.rows, [&](auto rows, int32_t i) {
        constexpr int R = decltype(rows)::value;
        int32_t sums[R][kInt8Cols];
        Int8Tile<R>(lhs + int64_t{i} * pairs, pairs, pairs, panel, sums);
        for (int r = 0; r < R; ++r)
          for (int c = 0; c < cols; ++c)
            out[(int64_t{i} + r) * d.cols + c] = d.RequantizeInt8(sums[r][c]);
      });
    } else {
      const int32_t pairs = (d.depth + 1) / 2;
      const int32_t* lhs = reinterpret_cast<const int32_t*>(lhs_bytes);
      const int16_t* panel =
          reinterpret_cast<const int16_t*>(rhs_bytes) + int64_t{b} * pairs * 2 * kInt16Cols;
      int16_t* out = reinterpret_cast<int16_t*>(out_bytes) + j0;
      ForEachRowGroup(d.rows, [&](auto rows, int32_t i) {
        constexpr int R = decltype(rows)::value;
        int64_t sums[R][kInt16Cols];
        Int16Tile<R>(lhs + int64_t{i} * pairs, pairs, pairs, panel, sums);
        for (int r = 0; r < R; ++r)
          for (int c = 0; c < cols; ++c)
            out[(int64_t{i} + r) * d.cols + c] = d.RequantizeInt16(sums[r][c] + pairs);
      });
    }
  }
}

QLITE_PREPARE_TIME bool Accepts(const OpContext& ctx) {
  const Tensor* lhs = ctx.input(0);
  const Tensor* rhs = ctx.input(1);
  if (lhs == nullptr || rhs == nullptr || ctx.num_outputs() != 1) return false;
  const DType type = lhs->type;
  return (type == DType::kFloat32 || type == DType::kInt8 || type == DType::kInt16) &&
         rhs->type == type && ctx.output(0)->type == type;
}

QLITE_PREPARE_TIME Status Prepare(OpContext& ctx) {
  auto* d = ctx.NewOpData<SimdBatchMatMulData>();
  QLITE_RETURN_IF_ERROR(PrepareBatchMatMul(ctx, d));
  const Tensor& rhs = *ctx.input(1);
  d->type = rhs.type;
  const int cols = PanelCols(d->type);
  d->blocks = (d->cols + cols - 1) / cols;
  const int64_t depth = d->depth, pairs = (depth + 1) / 2;
  if (d->type == DType::kFloat32) {
    d->lhs_packed = int64_t{d->rows} * depth * 4;
    d->rhs_packed = int64_t{d->blocks} * depth * kFloatCols * 4;
  } else if (d->type == DType::kInt8) {
    d->lhs_packed = int64_t{d->rows} * pairs * 4;
    d->rhs_packed = int64_t{d->blocks} * pairs * 2 * kInt8Cols * 2;
  } else {
    d->lhs_packed = int64_t{d->rows} * pairs * 4;
    d->rhs_packed = int64_t{d->blocks} * pairs * 2 * kInt16Cols * 2;
  }
  d->rhs_elements = depth * d->cols;
  QLITE_RETURN_IF_ERROR(ctx.RequestScratch(
      static_cast<size_t>(std::max<int64_t>(d->lhs_packed, 16)), &d->lhs_scratch));
  if (rhs.is_constant() && d->rhs_elements > 0) {
    const int64_t matrices = rhs.num_elements() / d->rhs_elements;
    d->rhs.resize(static_cast<size_t>(matrices * d->rhs_packed));
    for (int64_t m = 0; m < matrices; ++m) {
      PackRhs(*d, d->type, rhs.data, m * d->rhs_elements, d->rhs.data() + m * d->rhs_packed);
    }
    return Status::Ok();
  }
  return ctx.RequestScratch(static_cast<size_t>(std::max<int64_t>(d->rhs_packed, 16)),
                            &d->rhs_scratch);
}

Status Eval(OpContext& ctx) {
  const auto& d = *ctx.op_data<SimdBatchMatMulData>();
  Tensor& output = *ctx.output(0);
  if (output.num_elements() == 0) return Status::Ok();
  const Tensor& lhs = *ctx.input(0);
  const Tensor& rhs = *ctx.input(1);
  uint8_t* lhs_packed = static_cast<uint8_t*>(ctx.scratch(d.lhs_scratch));
  uint8_t* rhs_scratch =
      d.rhs_scratch >= 0 ? static_cast<uint8_t*>(ctx.scratch(d.rhs_scratch)) : nullptr;
  const int64_t out_matrix = int64_t{d.rows} * d.cols * static_cast<int64_t>(DTypeSize(d.type));
  int64_t packed_lhs_start = -1, packed_rhs_start = -1;  // repack only when the matrix changes
  for (int64_t b = 0; b < d.batches(); ++b) {
    int64_t lhs_start = 0, rhs_start = 0;
    d.MatrixStarts(b, &lhs_start, &rhs_start);
    if (lhs_start != packed_lhs_start) {
      PackLhs(d, d.type, lhs.data, lhs_start, lhs_packed);
      packed_lhs_start = lhs_start;
    }
    const uint8_t* rhs_packed = nullptr;
    if (rhs_scratch == nullptr) {
      rhs_packed =
          d.rhs.data() + (d.rhs_elements > 0 ? rhs_start / d.rhs_elements : 0) * d.rhs_packed;
    } else {
      if (rhs_start != packed_rhs_start) {
        PackRhs(d, d.type, rhs.data, rhs_start, rhs_scratch);
        packed_rhs_start = rhs_start;
      }
      rhs_packed = rhs_scratch;
    }
    MultiplyMatrix(d, lhs_packed, rhs_packed, output.data + b * out_matrix);
  }
  return Status::Ok();
}

}  // namespace

namespace simd {
const KernelRegistration* BatchMatMul() {
  static const KernelRegistration kRegistration = {"batch_matmul_simd128", Prepare, Eval, Accepts};
  return &kRegistration;
}
}  // namespace simd

}  // namespace qlite
