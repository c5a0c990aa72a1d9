#include "kernels_wasm/fused_mul_add.h"

#if !defined(__EMSCRIPTEN__)
#include <atomic>
#include <cmath>
#include <cstring>

namespace qlite {
namespace simd {
namespace {

std::atomic<bool> g_fused{false};

}  // namespace

void EmulateFusedMulAddForTesting(bool fused) { g_fused.store(fused, std::memory_order_relaxed); }

bool FusedMulAddEmulated() { return g_fused.load(std::memory_order_relaxed); }

v128_t FusedMulAddLanes(v128_t a, v128_t b, v128_t c) {
  float x[4], y[4], z[4];
  wasm_v128_store(x, a);
  wasm_v128_store(y, b);
  wasm_v128_store(z, c);
  for (int i = 0; i < 4; ++i) x[i] = std::fma(x[i], y[i], z[i]);
  return wasm_v128_load(x);
}

}  // namespace simd
}  // namespace qlite
#endif
