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

printf "%-9s %10s %10s %9s %20s %7s\n" services "wall (ms)" "cpu (ms)" "RSS (MB)" "docker-compose (ms)" ratio
for n in "${sizes[@]}"; do
  dir="$work/p$n"
  mkdir -p "$dir"
  python3 "$root/bench/gen_compose.py" "$n" > "$dir/compose.yaml"
  # best wall time of 7 runs, the CPU time of that run, peak RSS (from getrusage)
  read -r ms cpu mb < <(python3 "$root/bench/measure.py" 7 "$bench" -p bench -f "$dir/compose.yaml")
  dc="n/a"
  ratio="n/a"
  if [ -x /usr/bin/docker-compose ] && [ "$n" -le 2000 ]; then
    read -r dc _ _ < <(cd "$dir" && python3 "$root/bench/measure.py" 1 /usr/bin/docker-compose -p bench -f compose.yaml config)
    ratio=$(awk "BEGIN {printf \"%.0fx\", $dc / $ms}")
  fi
  printf "%-9s %10s %10s %9s %20s %7s\n" "$n" "$ms" "$cpu" "$mb" "$dc" "$ratio"
done
