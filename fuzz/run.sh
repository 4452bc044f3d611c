#!/bin/sh
# Runs every fuzz target (or those named) for a time budget each, one after
# the other, and prints per target: executions, exec/s, coverage (cov:,
# ft: of libFuzzer's final line), time and findings. Exits 1 when any target
# found something (a crash, a leak, a sanitizer report, a broken invariant)
# or did not run; the findings are left under OUT/findings/.
#
#   fuzz/run.sh [-t SECONDS] [-n RUNS] [-b BUILD_DIR] [-o OUT] [TARGET...]
#   fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
#
#   -t  seconds per target (default 30)
#   -n  stop a target after this many executions instead (-runs=); the
#       time budget still applies
#   -b  a meson build configured with CXX=clang++ -Dfuzz=true
#       (default build-fuzz in the repository, as the README sets it
#       up; built first with ninja)
#   -o  work directory: grown corpora, logs, findings (default a new
#       temporary directory). The committed seeds are never written.
#   FUZZ_FLAGS in the environment adds libFuzzer flags (e.g. -jobs=1).
set -u
here=$(cd "$(dirname "$0")" && pwd)
seconds=30
runs=
build=$(dirname "$here")/build-fuzz
out=
while getopts t:n:b:o: opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    n) runs=$OPTARG ;;
    b) build=$OPTARG ;;
    o) out=$OPTARG ;;
    *) sed -n '2,21p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
# Also "run.sh BUILD_DIR [SECONDS] [TARGET...]", the form scripts call.
if [ $# -gt 0 ] && [ -d "$1/fuzz" ]; then
  build=$1
  shift
  case ${1:-} in
    '' | *[!0-9]*) ;;
    *) seconds=$1; shift ;;
  esac
fi
targets=${*:-"authorization_fuzzer http_date_fuzzer signed_headers_fuzzer
  verify_fuzzer roundtrip_fuzzer media_type_fuzzer"}
[ -n "$out" ] || out=$(mktemp -d /tmp/sigreq-fuzz.XXXXXX)
mkdir -p "$out/findings" "$out/logs"

# The targets run from the log folder: the build folder must not be relative.
build=$(cd "$build" && pwd) || { echo "no build folder $build"; exit 1; }

ninja -C "$build" >"$out/logs/build.log" 2>&1 || {
  echo "build failed, see $out/logs/build.log"; exit 1; }

status=0
printf '%-22s %12s %9s %7s %7s %6s  %s\n' target executions exec/s cov ft \
  secs findings
for t in $targets; do
  bin=$build/fuzz/$t
  name=${t%_fuzzer}
  [ -x "$bin" ] || { echo "$t: no binary at $bin"; status=1; continue; }
  work=$out/corpus/$t
  mkdir -p "$work"
  dirs="$work $here/corpus/$t"
  [ -d "$here/regressions/$t" ] && dirs="$dirs $here/regressions/$t"
  dict=
  [ -f "$here/$name.dict" ] && dict=-dict=$here/$name.dict
  log=$out/logs/$t.log
  start=$(date +%s)
  # shellcheck disable=SC2086
  (cd "$out/logs" && "$bin" -max_total_time="$seconds" ${runs:+-runs=$runs} \
    -print_final_stats=1 $dict -artifact_prefix="$out/findings/$t-" \
    ${FUZZ_FLAGS:-} $dirs) >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  # With -jobs, libFuzzer writes the run's own log to fuzz-<job>.log.
  [ -f "$out/logs/fuzz-0.log" ] && {
    cat "$out/logs/fuzz-0.log" >>"$log"; rm -f "$out/logs/fuzz-0.log"; }
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  found=$(ls "$out/findings" | grep -c "^$t-" || true)
  note=$found
  if [ "$found" -ne 0 ] || [ "$rc" -ne 0 ]; then
    status=1
    note="$found (exit $rc): $(ls "$out/findings" | grep "^$t-" | tr '\n' ' ')"
  fi
  printf '%-22s %12s %9s %7s %7s %6s  %s\n' "$t" "${execs:-?}" \
    "${speed:-?}" "${cov:-?}" "${ft:-?}" "$secs" "$note"
done
echo "logs, corpora and findings: $out"
exit $status
