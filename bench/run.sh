#!/usr/bin/env bash
# Builds sigreq-bench, runs every benchmark family once with JSON output,
# times the Python reference on the same GET (alone, then in alternation
# with sigreq's GET in the same process), writes bench/results/,
# draws docs/bench_*.png, refreshes the tables in docs/performance.md and
# docs/tuning.md and prints every target with PASS or FAIL.
#
#   bash bench/run.sh              # the full run (about 3 minutes)
#   bash bench/run.sh --reference  # only reference.py, paired with the GET
#
# Environment: BUILD (default ../build-bench beside the repository), CXX,
# REPETITIONS (12), MIN_TIME (0.15 s), NICE (niceness, default 0; other jobs
# on the machine distort the figures, so prefer a quiet machine to a
# higher niceness).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$(dirname "$root")/build-bench}
results=$here/results
repetitions=${REPETITIONS:-12}
min_time=${MIN_TIME:-0.15}
nice_level=${NICE:-0}
py=/usr/bin/python3  # Debian's CPython (optimized build, has matplotlib)

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" -Dbench=true -Dtest=false -Dexamples=false \
    --buildtype=release
fi
ninja -C "$build" -j2 bench/sigreq-bench bench/libsigreq-bench-ffi.so \
  >/dev/null
ffi=$build/bench/libsigreq-bench-ffi.so
bin=$build/bench/sigreq-bench
mkdir -p "$results"
"$bin" --sigreq_request_out="$results/get_request.json"

if [ "${1:-}" = "--reference" ]; then
  # reference.py alone and then paired with sigreq's GET; prints both.
  nice -n "$nice_level" "$py" "$here/reference.py" \
    --request "$results/get_request.json" --paired "$ffi"
  exit 0
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
nice -n "$nice_level" "$bin" \
  --benchmark_out="$results/bench.json" --benchmark_out_format=json \
  --benchmark_repetitions="$repetitions" \
  --benchmark_min_time="$min_time" \
  --benchmark_enable_random_interleaving=true
nice -n "$nice_level" "$py" "$here/reference.py" \
  --request "$results/get_request.json" --paired "$ffi" \
  --out "$results/reference.json"
# The python3 first on PATH too, when it is another build (for the record;
# the target is taken against Debian's, which has matplotlib).
path_py=$(command -v python3 || true)
if [ -n "$path_py" ] && [ "$(readlink -f "$path_py")" != \
    "$(readlink -f "$py")" ]; then
  nice -n "$nice_level" "$path_py" "$here/reference.py" \
    --request "$results/get_request.json" \
    --out "$results/reference_path_python.json"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cxx=$("$py" -c 'import json, shlex, sys
print(shlex.split(json.load(open(sys.argv[1]))[0]["command"])[0])' \
  "$build/compile_commands.json")
compiler=$("$cxx" --version | head -n 1)
"$py" - "$results/machine.json" "$load_before" "$load_after" \
  "$compiler" <<'PY'
import json, subprocess, sys
lscpu = dict(l.split(":", 1) for l in subprocess.run(
    ["lscpu"], capture_output=True, text=True).stdout.splitlines() if ":" in l)
def pkg(name):
    r = subprocess.run(["pkg-config", "--modversion", name],
                       capture_output=True, text=True)
    return r.stdout.strip() or "?"
json.dump({
    "model": lscpu.get("Model name", "?").strip(),
    "cpus": lscpu.get("CPU(s)", "?").strip(),
    "threads_per_core": lscpu.get("Thread(s) per core", "?").strip(),
    "load_before": sys.argv[2], "load_after": sys.argv[3],
    "compiler": sys.argv[4],
    "cryptopp": pkg("libcrypto++"), "benchmark": pkg("benchmark"),
}, open(sys.argv[1], "w"), indent=2)
PY

"$py" "$here/plot.py" "$results/bench.json" "$results/reference.json" \
  "$root/docs"
"$py" "$here/report.py" "$results/bench.json" "$results/reference.json" \
  --machine "$results/machine.json" --out "$results/targets.json" \
  --docs "$root/docs" \
  --other-reference "$results/reference_path_python.json"
