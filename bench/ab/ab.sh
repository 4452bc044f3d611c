#!/usr/bin/env bash
# Compares the GET verification of two revisions of include/ in one
# process: rounds of the bare MAC, the GET of revision A and the GET of
# revision B in turn (bench/ab/main.cpp), each side's GET/limit the median
# over the rounds. Both sides share each round's state of the machine,
# which two separate runs do not.
#
#   bash bench/ab/ab.sh REV_A REV_B [ROUNDS] [TIMES]
#
# REV is a git revision, or "work" for the working tree. The benchmark
# files (bench/fixture.hpp, bench/batches.hpp) are the working tree's for
# both sides. Runs the program TIMES times (default 3). The two builds
# place the code differently, so the same revision on both sides reads
# up to about 0.008 apart on the machine of docs/performance.md: a
# difference below that is not one. Environment: CXX (default g++).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 REV_A REV_B [ROUNDS] [TIMES]" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

headers() {  # headers REV DIR
  mkdir -p "$2"
  if [ "$1" = work ]; then
    cp -r "$root/include" "$2/"
  else
    git -C "$root" archive "$1" include | tar -x -C "$2"
  fi
}
headers "$1" "$work/a"
headers "$2" "$work/b"

cxx=${CXX:-g++}
flags=(-std=c++20 -O3 -DNDEBUG $(pkg-config --cflags libcrypto++))
"$cxx" "${flags[@]}" -DSIDE=rev_a -I"$work/a/include" -I"$root/bench" \
  -c "$here/side.cpp" -o "$work/a.o"
"$cxx" "${flags[@]}" -DSIDE=rev_b -I"$work/b/include" -I"$root/bench" \
  -c "$here/side.cpp" -o "$work/b.o"
"$cxx" -O3 "$here/main.cpp" "$work/a.o" "$work/b.o" -o "$work/ab" \
  $(pkg-config --libs libcrypto++)
for _ in $(seq "${4:-3}"); do
  "$work/ab" "${3:-5000}"
done
