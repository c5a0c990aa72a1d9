#include "kernels_wasm/gemm_quad_panels.h"

#include <algorithm>
#include <cstring>

#include "kernels_wasm/relaxed_dot.h"

namespace qlite {
namespace simd {
namespace {

constexpr int kBlockChannels = 4;
static_assert(kPanelChannels == kPanelBlocks * kBlockChannels, "a panel is whole blocks");
constexpr int kQuadBytes = kBlockChannels * 4;  // one block's weights for one depth quad
static_assert(kPanelBlocks == 4, "QuadPanelSums has one case per panel width");

inline int DepthQuads(int depth) { return (depth + 3) / 4; }

inline int64_t PanelOffset(int panel, int quads) {
  return static_cast<int64_t>(panel) * kPanelChannels * quads * 4;
}

// kRows rows from `row` (`stride` bytes apart) times one panel of kBlocks
// blocks: the sums start at `bias`; finish(r, acc[r]) takes row r's.
// `tail`: the rows' last quads, when they may not be read whole (nullptr:
// read from the rows).
template <int kBlocks, int kRows, typename Finish>
inline void PanelRows(const int8_t* row, int64_t stride, const int32_t* tail, int quads,
                      const int8_t* panel, v128_t flip, const int32_t* bias, Finish& finish) {
  v128_t acc[kRows][kBlocks];
  for (int r = 0; r < kRows; ++r) {
    for (int b = 0; b < kBlocks; ++b) acc[r][b] = wasm_v128_load(bias + 4 * b);
  }
  auto step = [&](const v128_t* x) {
    for (int b = 0; b < kBlocks; ++b) {
      const v128_t w = wasm_v128_load(panel + kQuadBytes * b);
      for (int r = 0; r < kRows; ++r) acc[r][b] = RelaxedDotAdd(w, x[r], acc[r][b]);
    }
    panel += kQuadBytes * kBlocks;
  };
  const int direct = tail != nullptr ? quads - 1 : quads;
  for (int q = 0; q < direct; ++q) {
    v128_t x[kRows];
    for (int r = 0; r < kRows; ++r) {
      x[r] = wasm_v128_xor(wasm_v128_load32_splat(row + r * stride + 4 * q), flip);
    }
    step(x);
  }
  if (tail != nullptr) {
    v128_t x[kRows];
    for (int r = 0; r < kRows; ++r) x[r] = wasm_v128_xor(wasm_i32x4_splat(tail[r]), flip);
    step(x);
  }
  for (int r = 0; r < kRows; ++r) finish(r, acc[r]);
}

// Stores a register tile's sums: row r at out + r * out_stride.
struct StoreSums {
  int32_t* out;
  int64_t out_stride;
  template <int kBlocks>
  void operator()(int r, const v128_t (&acc)[kBlocks]) const {
    for (int b = 0; b < kBlocks; ++b) wasm_v128_store(out + r * out_stride + 4 * b, acc[b]);
  }
};

// Requantizes a register tile's sums of one whole panel (16 channels from
// `channel`): row r's 16 int8 results go to out + r * out_stride.
template <FloatForm kForm>
struct RequantizeSums {
  const FloatRequantizer& requantizer;
  const ChannelRequantization& rq;
  int channel;
  int8_t* out;
  int64_t out_stride;
  void operator()(int r, const v128_t (&acc)[kPanelBlocks]) const {
    v128_t bytes;
    if (!requantizer.template TryRequantizeGroupOf16<kForm>(acc, channel, &bytes)) {
      int32_t values[kPanelChannels];
      for (int b = 0; b < kPanelBlocks; ++b) wasm_v128_store(values + 4 * b, acc[b]);
      bytes = rq.RequantizeGroupOf16Exact(values, channel);
    }
    wasm_v128_store(out + r * out_stride, bytes);
  }
};

// Every row of the tile times one panel, two rows at a time; the first
// `whole` rows can be read up to their last quad's end, the others' last quad
// goes through a zeroed copy (its extra values meet zero weights).
// make_finish(m) is the finish of PanelRows for rows from m.
template <int kBlocks, typename MakeFinish>
void PanelColumn(const int8_t* lhs, int rows, int whole, int64_t stride, int depth,
                 const int8_t* panel, v128_t flip, const int32_t* bias, MakeFinish make_finish) {
  const int quads = DepthQuads(depth);
  int m = 0;
  for (; m + 2 <= whole; m += 2) {
    auto finish = make_finish(m);
    PanelRows<kBlocks, 2>(lhs + m * stride, stride, nullptr, quads, panel, flip, bias, finish);
  }
  for (; m < rows; ++m) {
    const int8_t* row = lhs + m * stride;
    int32_t tail = 0;
    if (m >= whole) {
      int8_t bytes[4] = {};
      const int read = 4 * (quads - 1);
      for (int k = read; k < depth; ++k) bytes[k - read] = row[k];
      std::memcpy(&tail, bytes, sizeof(tail));
    }
    auto finish = make_finish(m);
    PanelRows<kBlocks, 1>(row, stride, m >= whole ? &tail : nullptr, quads, panel, flip, bias,
                          finish);
  }
}

// Rows whose last quad ends inside the lhs_end bytes from lhs.
int WholeRows(int rows, int64_t lhs_stride, int quads, int64_t lhs_end) {
  int whole = 0;
  while (whole < rows && whole * lhs_stride + 4 * quads <= lhs_end) ++whole;
  return whole;
}

}  // namespace

void PackQuadPanels(const int8_t* weights, PackedInt8Weights* packed) {
  const int quads = DepthQuads(packed->depth);
  const int blocks = packed->padded_rows / kBlockChannels;
  packed->data.assign(static_cast<size_t>(packed->padded_rows) * quads * 4, 0);
  for (int n = 0; n < packed->rows; ++n) {
    const int panel = n / kPanelChannels;
    const int panel_blocks = std::min(kPanelBlocks, blocks - panel * kPanelBlocks);
    const int block = n % kPanelChannels / kBlockChannels;
    int8_t* base = packed->data.data() + PanelOffset(panel, quads);
    for (int k = 0; k < packed->depth; ++k) {
      base[(static_cast<int64_t>(k / 4) * panel_blocks + block) * kQuadBytes +
           n % kBlockChannels * 4 + k % 4] = weights[static_cast<int64_t>(n) * packed->depth + k];
    }
  }
}

// Panels run last to first: a partial last block stores 4 sums, spilling into
// the next row's first channels, which panel 0 (run later) overwrites; the
// padded channels' bias and weights are zero.
void QuadPanelSums(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end,
                   const PackedInt8Weights& w, const int32_t* channel_bias, int32_t* tile) {
  const v128_t flip = wasm_i8x16_splat(static_cast<int8_t>(w.lhs_offset));
  const int quads = DepthQuads(w.depth);
  const int blocks = w.padded_rows / kBlockChannels;
  const int panels = (blocks + kPanelBlocks - 1) / kPanelBlocks;
  const int whole = WholeRows(rows, lhs_stride, quads, lhs_end);
  for (int p = panels - 1; p >= 0; --p) {
    const int8_t* panel = w.data.data() + PanelOffset(p, quads);
    const int channel = p * kPanelChannels;
    auto run = [&](auto column) {
      column(lhs, rows, whole, lhs_stride, w.depth, panel, flip, channel_bias + channel,
             [&](int m) {
               return StoreSums{tile + m * w.rows + channel, w.rows};
             });
    };
    switch (std::min(kPanelBlocks, blocks - p * kPanelBlocks)) {
      case 4: run([](auto... a) { PanelColumn<4>(a...); }); break;
      case 3: run([](auto... a) { PanelColumn<3>(a...); }); break;
      case 2: run([](auto... a) { PanelColumn<2>(a...); }); break;
      default: run([](auto... a) { PanelColumn<1>(a...); }); break;
    }
  }
}

void QuadPanelRequantize(const int8_t* lhs, int rows, int64_t lhs_stride, int64_t lhs_end,
                         const PackedInt8Weights& w, const int32_t* channel_bias,
                         const ChannelRequantization& rq, int8_t* out, int64_t out_stride) {
  const v128_t flip = wasm_i8x16_splat(static_cast<int8_t>(w.lhs_offset));
  const int quads = DepthQuads(w.depth);
  const int whole = WholeRows(rows, lhs_stride, quads, lhs_end);
  const FloatRequantizer requantizer(rq);
  WithFloatForm(rq.float_form, [&](auto form) {
    using Finish = RequantizeSums<decltype(form)::value>;
    for (int channel = 0; channel < w.rows; channel += kPanelChannels) {
      const int8_t* panel = w.data.data() + PanelOffset(channel / kPanelChannels, quads);
      PanelColumn<kPanelBlocks>(
          lhs, rows, whole, lhs_stride, w.depth, panel, flip, channel_bias + channel, [&](int m) {
            return Finish{requantizer, rq, channel, out + m * out_stride + channel, out_stride};
          });
    }
  });
}

}  // namespace simd
}  // namespace qlite
