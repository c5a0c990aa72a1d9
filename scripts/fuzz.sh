#!/usr/bin/env bash
# Coverage-guided fuzzing of the reader, the interpreter with every kernel
# and the quantizer (tests/fuzz, libFuzzer + ASan + UBSan, preset fuzz).
#
#   scripts/fuzz.sh [--seconds N] [--seed S] [--jobs J] [--coverage] [TARGET ...]
#
# TARGETs: read_model, run_model, quantize (default: all). First every file in
# tests/fuzz/regressions/<target>/ runs once (past findings, minimized); then
# each target fuzzes for N seconds (default 60), J at a time (default 2), from a seed
# corpus qlite's writer makes (one-op models for every op and dtype, conv
# nets in every quantizer mode, models/ and ../shared/models). Findings
# (crash, leak, timeout, OOM, SIMD != reference bytes) are written to
# build/fuzz/findings/<target>/ and fail the script. --seed S fixes
# libFuzzer's mutation sequence (the test command's bounded run uses one, so
# that it explores the same inputs on every run); without it each run differs. --coverage then replays
# each corpus in an llvm-cov build and prints line coverage per source file
# of core/ and kernels_wasm/, and lists the kernel files under 80 %.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
seed=0
coverage=0
jobs=2
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --coverage) coverage=1; shift ;;
    read_model|run_model|quantize) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(read_model run_model quantize)

bash scripts/build.sh fuzz >/dev/null
build=build/fuzz

# Seed corpus, made fresh each run (the writer's output changes with the code).
seeds=$build/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
"$build/tests/fuzz/qlite_fuzz_corpus" "$seeds"
"$build/tests/fuzz/qlite_fuzz_op_models" "$seeds"
"$build/tests/fuzz/qlite_fuzz_op_models" --stateful "$seeds"  # variable tensors: SVDF, RNN...
cp models/*.tflite "$seeds"/
if ls ../shared/models/*.tflite >/dev/null 2>&1; then cp ../shared/models/*.tflite "$seeds"/; fi
echo "fuzz.sh: $(ls "$seeds" | wc -l) seed models"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
bad=()  # targets that failed a regression input or found something

for t in "${targets[@]}"; do
  regressions=tests/fuzz/regressions/$t
  if ls "$regressions"/* >/dev/null 2>&1; then
    if "$build/tests/fuzz/qlite_fuzz_$t" "$regressions"/* >"$build/regressions_$t.log" 2>&1; then
      echo "== $t: $(grep -c '^Executed' "$build/regressions_$t.log") regression inputs pass"
    else
      echo "fuzz.sh: $t fails on a regression input:"; tail -20 "$build/regressions_$t.log"
      failed=1
      bad+=("$t")
    fi
  fi
done

run_target() {
  local t="$1" corpus="$build/corpus/$1" findings="$build/findings/$1"
  mkdir -p "$corpus" "$findings"
  cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  # -timeout: a single input that runs 25 s counts as a hang;
  # -rss_limit_mb: a tab-sized memory ceiling.
  "$build/tests/fuzz/qlite_fuzz_$t" "$corpus" -dict=tests/fuzz/tflite.dict \
    -max_total_time="$seconds" -seed="$seed" -timeout=25 -rss_limit_mb=2048 -max_len=1048576 \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$build/fuzz_$t.log" 2>&1
}

pids=()
names=()
for t in "${targets[@]}"; do
  run_target "$t" &
  pids+=($!)
  names+=("$t")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || { echo "fuzz.sh: ${names[0]} found a problem (see $build/fuzz_${names[0]}.log)"; failed=1; bad+=("${names[0]}"); }
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { echo "fuzz.sh: ${names[$i]} found a problem (see $build/fuzz_${names[$i]}.log)"; failed=1; bad+=("${names[$i]}"); }
done
for t in "${targets[@]}"; do
  # Findings fail the run (crash-, leak-, timeout-, oom- files); slow units
  # (one input over 10 s, e.g. a WHILE loop stopped at its iteration cap under
  # ASan) are only reported.
  found=$(ls "$build/findings/$t" | grep -cv '^slow-unit-' || true)
  slow=$(ls "$build/findings/$t" | grep -c '^slow-unit-' || true)
  echo "== $t: $(grep -h 'stat::number_of_executed_units' "$build/fuzz_$t.log" | tail -1 | awk '{print $2}') executions in ${seconds} s, corpus $(ls "$build/corpus/$t" | wc -l) inputs, findings: $found, slow inputs: $slow"
done

if [ "$coverage" = 1 ]; then
  cov=build/fuzz-coverage
  cmake --preset fuzz -B "$cov" -DQLITE_SANITIZE= -DQLITE_FUZZ_COVERAGE=ON >/dev/null
  cmake --build "$cov" -j "$(nproc)" | grep -E "error|FAILED" -A5 || true
  [ -x "$cov/tests/fuzz/qlite_fuzz_run_model" ] || { echo "fuzz.sh: coverage build failed" >&2; exit 1; }
  rm -f "$cov"/*.profraw
  objects=()
  for t in "${targets[@]}"; do
    LLVM_PROFILE_FILE="$cov/$t.%p.profraw" "$cov/tests/fuzz/qlite_fuzz_$t" -runs=0 \
      "$build/corpus/$t" >/dev/null 2>&1 || true
    objects+=(-object "$cov/tests/fuzz/qlite_fuzz_$t")
  done
  llvm-profdata merge -sparse "$cov"/*.profraw -o "$cov/fuzz.profdata"
  llvm-cov report "${objects[@]:1}" -instr-profile="$cov/fuzz.profdata" \
    -ignore-filename-regex='(/usr/|tests/|generated/|third_party/)' | tee "$cov/report.txt"
  # Column 10 is the line coverage.
  awk '$1 ~ /(core\/kernels|kernels_wasm)\/.*\.cc$/ { n++; c = $10; sub("%", "", c);
         if (c + 0 < 80) { low++; list = list "\n  " $1 " " $10 } }
       END { printf "fuzz.sh: %d kernel files, %d under 80 %% line coverage%s\n", n, low, list }' \
    "$cov/report.txt"
fi
failing=$(printf '%s\n' "${bad[@]}" | sort -u | grep -c . || true)
echo "fuzz: $((${#targets[@]} - failing)) targets passed, $failing failed"
exit "$failed"
