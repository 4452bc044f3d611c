#!/usr/bin/env bash
# Installs the Debian 12 packages that sigreq's build, tests, fuzzers,
# benchmarks and examples need. Run as root (or through sudo).
set -euo pipefail

packages=(
  g++ clang-14 clang llvm-14 libclang-rt-14-dev lld
  meson ninja-build pkg-config
  libcrypto++-dev libhowardhinnant-date-dev
  libboost-dev libboost-test-dev libbenchmark-dev
  python3 python3-matplotlib curl valgrind
)

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
