#!/usr/bin/env bash
# Builds the int8 GEMM micro-benchmark (tests/bench/gemm_bench.cc) as a
# standalone wasm module into <wasm build dir>/bench/gemm_bench.wasm and runs
# it under Node. Usage: tests/bench/gemm_bench.sh [WASM_BUILD_DIR] (default build/wasm).
# qlite's GEMM (kernels_wasm/gemm_int8.cc) is linked in when it exists.
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir="${1:-build/wasm}"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
mkdir -p "$build_dir/bench"
sources=(tests/bench/gemm_bench.cc)
have_gemm=0
if [[ -f kernels_wasm/gemm_int8.cc ]]; then
  sources+=(kernels_wasm/gemm_int8.cc kernels_wasm/gemm_quad_panels.cc)
  sources+=(kernels_wasm/requantize.cc kernels_wasm/relaxed_dot.cc)
  have_gemm=1
fi
em++ -std=c++17 -O3 -msimd128 -I. -DQLITE_BENCH_HAVE_GEMM=$have_gemm "${sources[@]}" \
  --js-library kernels_wasm/relaxed_simd_stub.js \
  -sSTANDALONE_WASM=1 --no-entry -sINITIAL_MEMORY=64MB -sALLOW_MEMORY_GROWTH=0 \
  -sEXPORTED_FUNCTIONS=_peak_dot_i16x8,_peak_macs_per_iteration,_has_gemm,_gemm_setup,_gemm_run,\
_gemm_use_relaxed_dot \
  -o "$build_dir/bench/gemm_bench.wasm"
# The same with relaxed SIMD's dot product patched in (browser_bench runs it
# in Chromium; Node 20 validates it only behind a flag).
if [[ $have_gemm == 1 ]]; then
  node tools/wasm/relax_dot.mjs "$build_dir/bench/gemm_bench.wasm" \
    "$build_dir/bench/gemm_bench.relaxed.wasm" --expect-calls
fi
node tests/bench/gemm_bench.mjs "$build_dir/bench/gemm_bench.wasm"
