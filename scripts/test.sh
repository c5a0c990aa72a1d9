#!/usr/bin/env bash
# Every test: set up, build, run the native suite, then the robustness and
# unit suites again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# the wasm build and the npm package's suites (web/test: Node and Chromium),
# the GUI, and a bounded libFuzzer run of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Each stage's heading says when it started: where the time of the run goes.
stage() { echo "== [$((SECONDS / 60)) min $((SECONDS % 60)) s] $*"; }

jobs=$(nproc)
stage "formatting: every C++ file as .clang-format says"
bash scripts/check_format.sh

stage "native build and tests"
bash scripts/build.sh native
ctest --test-dir build/native --output-on-failure -j "$jobs"

stage "core alone, without the SIMD kernels: the reference suites"
bash scripts/build.sh core-only
ctest --test-dir build/core-only --output-on-failure -j "$jobs"

stage "ASan + UBSan build and tests"
bash scripts/build.sh asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j "$jobs"

stage "WebAssembly build and npm package tests (Node, npm pack, Chromium page and worker)"
bash scripts/build.sh wasm
bash scripts/build.sh wasm-threads  # qlite-threads.wasm links the wasm build's side modules
stage "SIMD differential tests compiled to wasm, under Node"
cmake --preset wasm -DQLITE_BUILD_WASM_DIFF_TESTS=ON >/dev/null
cmake --build --preset wasm --target qlite_wasm_diff_tests
ctest --test-dir build/wasm -R qlite_wasm_diff_tests --output-on-failure
node --test web/test/
stage "tools/wasm/relax_dot.mjs (the relaxed-SIMD patch), with and without relaxed SIMD in Node"
node --test tools/wasm/
node --experimental-wasm-relaxed-simd --test tools/wasm/

stage "the digit GUI: qlite-gui --selftest under Xvfb, the web demo in Chromium"
bash scripts/build.sh gui-web
bash scripts/test_gui.sh

stage "fuzzing (libFuzzer, ASan + UBSan): the regression inputs, then 60 s per target"
bash scripts/fuzz.sh --seconds 60 --seed 1
stage "all stages passed"
