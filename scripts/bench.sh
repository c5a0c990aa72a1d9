#!/usr/bin/env bash
# Every benchmark, one command: builds (native + wasm presets), makes the
# synthetic models with `qlite synth` (MobileNet v1/v2, blazeface, landmark,
# segmentation; int8 and float32: tests/bench/bench_models.mjs), then prints
#   1. `qlite bench` (native, reference vs SIMD kernels; SIMD through SIMDe),
#   2. the int8 GEMM micro-benchmark vs the i32x4.dot_i16x8_s peak (Node),
#   3. the browser benchmark in headless Chromium: qlite reference / SIMD vs
#      LiteRT.js at 1 and 2 threads, per-round ratios, denormal counts per
#      model (+ the GEMM micro-benchmark in the page).
# Full per-node tables go to build/bench/results/. Benchmarks, not tests:
# nothing here fails on a speed.
#
#   scripts/bench.sh [--native-dir build/native] [--wasm-dir build/wasm] [--no-build]
#                    [--quick] [MODEL.tflite ...]
set -euo pipefail
cd "$(dirname "$0")/.."
native_dir=build/native
wasm_dir=build/wasm
build=1
quick=0
models=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --native-dir) native_dir="$2"; shift 2 ;;
    --wasm-dir) wasm_dir="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

if [[ $build == 1 ]]; then
  [[ $native_dir == build/native ]] && bash scripts/build.sh native
  [[ $wasm_dir == build/wasm ]] && bash scripts/build.sh wasm && bash scripts/build.sh wasm-threads
fi
qlite="$native_dir/qlite"
[[ -x $qlite ]] || { echo "bench.sh: $qlite is missing (scripts/build.sh native, or --native-dir)" >&2; exit 1; }

mkdir -p build/bench/results
# Made when missing or older than qlite (the generator may have changed).
mapfile -t default_models < <(node tests/bench/bench_models.mjs "$qlite")
[[ ${#models[@]} -eq 0 ]] && models=("${default_models[@]}")

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %T') UTC"
echo "   (a shared, loaded machine shows in every number below)"

runs=10
[[ $quick == 1 ]] && runs=3
echo
echo "== 1. native: qlite bench --kernels both (median of $runs runs)"
for m in "${models[@]}"; do
  out="build/bench/results/native_$(basename "$m" .tflite).txt"
  "$qlite" bench "$m" --kernels both --runs "$runs" > "$out"
  echo "-- $m (per node: $out)"
  sed -n '/^per op type/,$p' "$out"
done

echo
echo "== 2. int8 GEMM micro-benchmark (Node)"
bash tests/bench/gemm_bench.sh "$wasm_dir"

echo
echo "== 3. browser: qlite (one thread) vs LiteRT.js (1 and 2 threads) in headless Chromium"
browser_args=(--wasm-dir "$wasm_dir" --native-dir "$native_dir" --json build/bench/results/browser.json)
[[ $quick == 1 ]] && browser_args+=(--runs 3 --seconds 0.5)
node tests/bench/browser_bench.mjs "${models[@]}" "${browser_args[@]}" \
  | tee build/bench/results/browser.txt
