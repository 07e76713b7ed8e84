#!/usr/bin/env bash
# Builds the runtime fuzz targets with clang and runs each for the given number of seconds
# (default 60), starting from the committed seeds in fuzz/corpus/<target>/. New inputs go
# to fuzz/corpus-work/<target>/ (not committed); crashes to fuzz/corpus-work/crashes/.
# Usage: scripts/fuzz-runtime.sh [seconds] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(multiplex raw_stream progress buildkit events log_lines dockerignore)

CXX=${CXX:-clang++-14} cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTACK_BUILD_FUZZERS=ON -DSTACK_BUILD_TESTS=OFF >/dev/null
ninja -C build-fuzz $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

mkdir -p fuzz/corpus-work/crashes
status=0
for target in "${targets[@]}"; do
  work=fuzz/corpus-work/$target
  mkdir -p "$work"
  log=fuzz/corpus-work/$target.log
  if ./build-fuzz/fuzz/fuzz_$target -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix=fuzz/corpus-work/crashes/$target- "$work" "fuzz/corpus/$target" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  printf '%-14s %-6s %6ss %12s runs %6s edges %5s MB peak RSS  corpus %s\n' \
    "$target" "$result" "$seconds" "$runs" "$cov" "$rss" "$(ls "$work" | wc -l)"
done
exit $status
