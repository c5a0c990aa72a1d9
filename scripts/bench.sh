#!/usr/bin/env bash
# Every benchmark, one command: builds (native + wasm presets), makes the
# synthetic MobileNets with `qlite synth`, then prints
#   1. `qlite bench` (native, reference vs SIMD kernels; SIMD through SIMDe),
#   2. the int8 GEMM micro-benchmark vs the i32x4.dot_i16x8_s peak (Node),
#   3. the browser benchmark in headless Chromium: qlite reference / SIMD vs
#      LiteRT.js (+ the GEMM micro-benchmark in the page).
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
  [[ $wasm_dir == build/wasm ]] && bash scripts/build.sh wasm
fi
qlite="$native_dir/qlite"
[[ -x $qlite ]] || { echo "bench.sh: $qlite is missing (scripts/build.sh native, or --native-dir)" >&2; exit 1; }

mkdir -p build/bench/results
v1=build/bench/mobilenet_v1_0.25_96_gray_int8.tflite
v2=build/bench/mobilenet_v2_1.0_224_int8.tflite
# Remade when qlite is newer than them (the generator may have changed).
[[ -f $v1 && $v1 -nt $qlite ]] || "$qlite" synth mobilenet_v1 --alpha 0.25 --size 96 --channels 1 -o "$v1"
[[ -f $v2 && $v2 -nt $qlite ]] || "$qlite" synth mobilenet_v2 --alpha 1.0 --size 224 -o "$v2"
if [[ ${#models[@]} -eq 0 ]]; then
  models=(models/tutorial_int8_uint8io.tflite models/tutorial_float.tflite "$v1" "$v2")
fi

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
echo "== 3. browser: qlite vs LiteRT.js in headless Chromium (one thread)"
browser_args=(--wasm-dir "$wasm_dir" --json build/bench/results/browser.json)
[[ $quick == 1 ]] && browser_args+=(--runs 3 --seconds 0.5)
node tests/bench/browser_bench.mjs "${models[@]}" "${browser_args[@]}" \
  | tee build/bench/results/browser.txt
