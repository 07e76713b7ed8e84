#!/usr/bin/env bash
# Builds the compose loader fuzzer with clang (ASan + UBSan + libFuzzer) and runs it over
# the committed seed corpus. New inputs go to fuzz/corpus-work/loader (not committed).
#   scripts/fuzz-loader.sh [seconds]      default 600
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}"
build="$root/build-fuzz"
CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTACK_BUILD_FUZZERS=ON -DSTACK_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" loader_fuzzer
work="$root/fuzz/corpus-work/loader"
mkdir -p "$work"
cd "$work"
"$build/fuzz/loader_fuzzer" "$work" "$root/fuzz/corpus/loader" \
  -dict="$root/fuzz/loader.dict" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1
