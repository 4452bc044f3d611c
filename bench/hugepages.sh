#!/usr/bin/env bash
# What transparent huge pages bring to cold tokens: runs the cold-token
# benchmarks of sigreq-bench with and without glibc's malloc tunable
# glibc.malloc.hugetlb=1 (malloc then asks the kernel for huge pages with
# madvise, which the default "madvise" mode of THP honours), alternately,
# ROUNDS times each, and prints the median of each side.
#
#   bash bench/hugepages.sh [ROUNDS]    # default 3, about a minute
#
# Environment: BUILD (default ../build-bench beside the repository, as
# bench/run.sh builds it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$(dirname "$root")/build-bench}
rounds=${1:-3}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" -Dbench=true -Dtest=false -Dexamples=false \
    --buildtype=release >/dev/null
fi
ninja -C "$build" -j2 bench/sigreq-bench >/dev/null
echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
filter='BM_verify_get_spread/store:1000000/tokens:262144|BM_token_lookup/1000000$'
for i in $(seq "$rounds"); do
  for side in default hugetlb; do
    tunables=
    [ "$side" = hugetlb ] && tunables=glibc.malloc.hugetlb=1
    GLIBC_TUNABLES=$tunables "$build/bench/sigreq-bench" \
      --benchmark_filter="$filter" --benchmark_min_time=0.3 \
      --benchmark_out="$work/$side.$i.json" --benchmark_out_format=json \
      >/dev/null 2>&1
  done
done
/usr/bin/python3 - "$work" "$rounds" <<'PY'
import glob, json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
times = {}
for side in ("default", "hugetlb"):
    for f in glob.glob("%s/%s.*.json" % (work, side)):
        for b in json.load(open(f))["benchmarks"]:
            times.setdefault((b["name"], side), []).append(b["cpu_time"])
print("\n| Benchmark (median of %d runs, ns) | default | "
      "glibc.malloc.hugetlb=1 |" % rounds)
print("|---|---|---|")
for name in sorted({n for n, _ in times}):
    d = times[(name, "default")]
    h = times[(name, "hugetlb")]
    print("| %s | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) |" % (
        name, statistics.median(d), min(d), max(d),
        statistics.median(h), min(h), max(h)))
PY
