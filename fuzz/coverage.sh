#!/bin/sh
# Source-based line coverage of the parsing headers, from running the fuzz
# targets' inputs (not fuzzing) through replay programs built with clang's
# -fprofile-instr-generate -fcoverage-mapping.
#
#   fuzz/coverage.sh [-o OUT] [EXTRA_CORPUS_ROOT...]
#
# Inputs: fuzz/corpus/<target>/ and fuzz/regressions/<target>/, plus
# <root>/<target>/ for each EXTRA_CORPUS_ROOT (e.g. the corpus/ directory a
# run of fuzz/run.sh -o grew). Prints llvm-cov's report of the headers
# below and writes an HTML report to OUT/html (default a temporary
# directory). Needs clang++, llvm-profdata-14, llvm-cov-14.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=
while getopts o: opt; do
  case $opt in
    o) out=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ -n "$out" ] || out=$(mktemp -d /tmp/sigreq-cov.XXXXXX)
mkdir -p "$out/bin" "$out/profiles"
CXX=${CXX:-clang++}
targets="authorization_fuzzer http_date_fuzzer signed_headers_fuzzer
  verify_fuzzer roundtrip_fuzzer media_type_fuzzer"
headers="authorization http_date signed_headers syntax hex verifier request"

objs=
args=
for t in $targets; do
  "$CXX" -std=c++20 -O1 -fprofile-instr-generate -fcoverage-mapping \
    -DLLVMFuzzerTestOneInput="fuzz_$t" -I"$root/include" -c "$here/$t.cpp" \
    -o "$out/bin/$t.o"
  objs="$objs $out/bin/$t.o"
  args="$args $t=$here/corpus/$t"
  [ -d "$here/regressions/$t" ] && args="$args $t=$here/regressions/$t"
  for extra in "$@"; do
    [ -d "$extra/$t" ] && args="$args $t=$extra/$t"
  done
done
bin=$out/bin/sigreq-fuzz-coverage
# shellcheck disable=SC2086
"$CXX" -std=c++20 -O1 -fprofile-instr-generate -fcoverage-mapping \
  "$here/coverage_main.cpp" $objs -o "$bin" $(pkg-config --libs libcrypto++)
rm -f "$out"/profiles/*.profraw
# shellcheck disable=SC2086
LLVM_PROFILE_FILE="$out/profiles/all.profraw" "$bin" $args

llvm-profdata-14 merge -sparse "$out"/profiles/*.profraw \
  -o "$out/merged.profdata"
sources=
for h in $headers; do sources="$sources $root/include/sigreq/$h.hpp"; done
# shellcheck disable=SC2086
llvm-cov-14 report "$bin" -instr-profile="$out/merged.profdata" $sources
# shellcheck disable=SC2086
llvm-cov-14 show "$bin" -instr-profile="$out/merged.profdata" \
  -format=html -output-dir="$out/html" $sources
# shellcheck disable=SC2086
llvm-cov-14 show "$bin" -instr-profile="$out/merged.profdata" \
  -format=text $sources >"$out/coverage.txt"
echo "html report: $out/html/index.html, text: $out/coverage.txt"
