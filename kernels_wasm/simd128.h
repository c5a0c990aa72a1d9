// The one switch between real WebAssembly SIMD128 and its native emulation.
// Under Emscripten with -msimd128 the kernels use <wasm_simd128.h>; every
// other build compiles the same source through SIMDe, so native tests check
// the SIMD kernels byte for byte against the reference kernels.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define QLITE_SIMD_BACKEND "wasm_simd128"
#else
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/wasm/simd128.h>
#define QLITE_SIMD_BACKEND "simde"
#endif
