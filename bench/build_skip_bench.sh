#!/usr/bin/env bash
# Measures the skipped build (issue 7): a no-change `stack up -d --build` of 5 services
# that build, each from its own context, against the running dockerd. Goal: <= 200 ms
# end to end (load, 5 image inspects + the base's, 5 context hashes from the digest
# cache, observe, an empty plan). For reference it also times `stack build` with nothing
# changed, a plain no-op `stack up -d`, and the first (cold-cache) skipped `up --build`.
#   bench/build_skip_bench.sh [files per context]      default: 300
# STACK=path/to/stack picks the binary (default: build/cli/stack). Needs hyperfine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stack="${STACK:-$root/build/cli/stack}"
files="${1:-300}"
[ -x "$stack" ] || { echo "no stack binary at $stack (build it, or set STACK)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing (scripts/setup.sh --test-tools)" >&2; exit 1; }
docker image inspect stack-test/busybox:latest >/dev/null 2>&1 ||
  { echo "the test image is missing: scripts/setup.sh --test-image" >&2; exit 1; }

work="$(mktemp -d)"
project="stkbench$$"
cleanup() {
  (cd "$work" && "$stack" -p "$project" down -t 0 >/dev/null 2>&1) || true
  ids=$(docker images -q --filter "reference=$project-*")
  [ -z "$ids" ] || docker rmi -f $ids >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

{
  echo "services:"
  for s in 1 2 3 4 5; do
    dir="$work/svc$s"
    mkdir -p "$dir/src/lib" "$dir/node_modules/dep"
    printf 'FROM stack-test/busybox:latest\nCOPY . /app\nCMD ["sleep", "3600"]\n' > "$dir/Dockerfile"
    printf 'node_modules/\n*.log\n' > "$dir/.dockerignore"
    for i in $(seq 1 "$files"); do
      head -c 2048 /dev/urandom | base64 > "$dir/src/lib/file$i.txt"
    done
    for i in $(seq 1 200); do echo "ignored $i" > "$dir/node_modules/dep/m$i.js"; done
    printf '  svc%s:\n    build: ./svc%s\n' "$s" "$s"
  done
} > "$work/compose.yaml"
# Sources are rarely seconds old; files modified in the last 2 s are never cached.
find "$work" -type f -exec touch -d '-1 hour' {} +

export XDG_CACHE_HOME="$work/cache"
export COMPOSE_PROGRESS=quiet
cd "$work"
run() { "$stack" -p "$project" "$@"; }

echo "5 services, $files files of ~2.7 kB per context (plus 200 ignored), stack: $stack"
start=$(date +%s%N)
run up -d --build
echo "first up --build (builds 5 images, creates 5 containers): $(( ($(date +%s%N) - start) / 1000000 )) ms"
rm -rf "$XDG_CACHE_HOME"
start=$(date +%s%N)
run up -d --build
echo "no-change up --build, digest cache empty (reads every file): $(( ($(date +%s%N) - start) / 1000000 )) ms"
hyperfine --warmup 2 --runs 30 --style basic \
  -n "no-change up -d --build" "$stack -p $project up -d --build" \
  -n "no-change build" "$stack -p $project build" \
  -n "no-op up -d (no build check)" "$stack -p $project up -d"
