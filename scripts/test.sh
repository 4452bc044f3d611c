#!/usr/bin/env bash
# Builds sigreq with g++ and with clang++ (warnings as errors) and runs
# every test: the Boost.Test suites, the end-to-end and hardening tests,
# the replay of the fuzz corpora, a bounded fuzzing run of every target,
# the -fno-exceptions build and a smoke run of the benchmarks.
#
#   bash scripts/test.sh          # fuzz each target for 30 s
#   SIGREQ_FUZZ_SECONDS=5 bash scripts/test.sh
set -uo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=${SIGREQ_FUZZ_SECONDS:-30}
passed=0
failed=0
failures=()

step() {
  local name=$1
  shift
  echo "==> $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

configure() {
  local dir=$1
  shift
  if [ -d "$dir" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

# The g++ build runs the test suites; meson's own counts enter the total.
gcc_build() {
  CXX=g++ configure build-test -Dwerror=true -Dbench=true &&
    ninja -C build-test -j"$(nproc)"
}
# meson's own count of its tests enters the total, one a test.
gcc_tests() {
  echo "==> g++ test suites"
  local rc=0
  meson test -C build-test --print-errorlogs --num-processes 2 || rc=$?
  local log=build-test/meson-logs/testlog.json ok=0 bad=0
  if [ -f "$log" ]; then
    ok=$(grep -c '"result": "OK"' "$log" || true)
    bad=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' \
      "$log" || true)
  fi
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  echo "meson tests: $ok passed, $bad failed"
  passed=$((passed + ok))
  failed=$((failed + bad))
  [ "$bad" -eq 0 ] || failures+=("g++ test suites")
}

# clang++ builds everything too, so that its warnings fail the run; its
# fuzzers are the ones run below.
clang_build() {
  CXX=clang++ configure build-clang -Dwerror=true -Dbench=true -Dfuzz=true &&
    ninja -C build-clang -j"$(nproc)"
}
fuzz_run() {
  bash fuzz/run.sh build-clang "$fuzz_seconds"
}
no_exceptions() {
  clang++ -std=c++20 -fno-exceptions -Wall -Wextra -Wpedantic -Werror -O2 \
    -Iinclude test/no_exceptions_check.cpp -lcryptopp \
    -o build-clang/no_exceptions_check &&
    build-clang/no_exceptions_check
}
# Every benchmark once, briefly, then the reference, the report and the
# plots on that JSON: the pipeline of bench/run.sh, not its figures; and
# the ablation, whose patch fails when the verifier it edits has moved,
# and the A/B of two revisions' verifiers (HEAD against the work tree).
# Debian's python3, as bench/run.sh takes it (it has matplotlib).
bench_smoke() {
  local out=build-test/bench-smoke
  rm -rf "$out" && mkdir -p "$out" &&
    build-test/bench/sigreq-bench --benchmark_min_time=0.001 \
      --sigreq_request_out="$out/get_request.json" >/dev/null &&
    build-test/bench/sigreq-bench --benchmark_min_time=0.001 \
      --benchmark_out="$out/bench.json" >/dev/null &&
    /usr/bin/python3 bench/reference.py --repeat 1 --seconds 0.01 \
      --request "$out/get_request.json" --out "$out/reference.json" \
      --paired build-test/bench/libsigreq-bench-ffi.so --pairs 5 \
      >/dev/null &&
    /usr/bin/python3 bench/report.py "$out/bench.json" \
      "$out/reference.json" --out "$out/targets.json" --no-verdict \
      >/dev/null &&
    /usr/bin/python3 bench/plot.py "$out/bench.json" \
      "$out/reference.json" "$out" >/dev/null &&
    [ -s "$out/targets.json" ] && ls "$out"/bench_*.png >/dev/null &&
    bash bench/ablation/ablate.sh 20 >/dev/null &&
    bash bench/ab/ab.sh HEAD work 20 1 >/dev/null
}

if step "g++ build" gcc_build; then
  gcc_tests
  step "benchmark smoke run" bench_smoke
fi
if step "clang++ build (fuzzers, sanitizers)" clang_build; then
  step "fuzzing, ${fuzz_seconds}s a target" fuzz_run
  step "-fno-exceptions build" no_exceptions
fi

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
