#!/usr/bin/env bash
# What the GET/limit target would read if parts of the verifier cost
# nothing: patches a copy of include/ (patch.py), builds ablate.cpp against
# it (one translation unit, g++ -O3 -DNDEBUG like the release benchmarks,
# without their allocation counter), and prints a table.
#
#   bash bench/ablation/ablate.sh [ROUNDS]    # default 600, about 20 s
#
# Environment: CXX (default g++).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$here/patch.py" "$root/include" "$work/include"
${CXX:-g++} -std=c++20 -O3 -DNDEBUG -Wall -Wextra \
  -I"$work/include" -I"$root/bench" "$here/ablate.cpp" -o "$work/ablate" \
  $(pkg-config --cflags --libs libcrypto++)
"$work/ablate" "${1:-600}"
