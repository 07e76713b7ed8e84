#!/usr/bin/env bash
# Measures the compose loader: `stack config` on generated files of 1000 to 10,000
# services (time and peak RSS, from /usr/bin/time -v), beside docker-compose v1's
# `config` on the same file. Goals (issue 3): 1000 services in <= 100 ms and <= 30 MB
# peak RSS; growth linear up to 10,000.
#   bench/config_bench.sh [sizes...]      default: 1000 2000 5000 10000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-release"
# -Wno-error=restrict: g++ 12 at -O3 reports a false positive in std::string (GCC bug 105329)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTACK_BUILD_TESTS=OFF \
  -DCMAKE_CXX_FLAGS="-Wno-error=restrict" >/dev/null
ninja -C "$build" stack_config_bench >/dev/null || ninja -C "$build" stack_config_bench
bench="$build/bench/stack_config_bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 2000 5000 10000)

# best of N runs: prints "seconds kilobytes"
measure() {
  local best_time=999999 best_rss=0
  for _ in 1 2 3 4 5; do
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; return 1; }
    local t rss
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, a, ":"); print a[1]*60 + a[2]}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    if awk "BEGIN {exit !($t < $best_time)}"; then best_time=$t; best_rss=$rss; fi
  done
  echo "$best_time $best_rss"
}

printf "%-9s %12s %14s %18s %10s\n" services "stack (ms)" "stack RSS (MB)" "docker-compose (ms)" ratio
for n in "${sizes[@]}"; do
  dir="$work/p$n"
  mkdir -p "$dir"
  python3 "$root/bench/gen_compose.py" "$n" > "$dir/compose.yaml"
  read -r t rss < <(measure "$bench" -f "$dir/compose.yaml")
  ms=$(awk "BEGIN {printf \"%.1f\", $t * 1000}")
  mb=$(awk "BEGIN {printf \"%.1f\", $rss / 1024}")
  dc="n/a"
  ratio="n/a"
  if [ -x /usr/bin/docker-compose ] && [ "$n" -le 2000 ]; then
    start=$(date +%s.%N)
    (cd "$dir" && /usr/bin/docker-compose -f compose.yaml config >/dev/null 2>&1) || true
    end=$(date +%s.%N)
    dc=$(awk "BEGIN {printf \"%.0f\", ($end - $start) * 1000}")
    ratio=$(awk "BEGIN {printf \"%.0fx\", $dc / $ms}")
  fi
  printf "%-9s %12s %14s %18s %10s\n" "$n" "$ms" "$mb" "$dc" "$ratio"
done
