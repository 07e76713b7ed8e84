#!/usr/bin/env bash
# Installs stack's C++ package from a build tree into a temporary prefix, then configures,
# builds and tests examples/fixture-consumer against it, the way a user's project would.
#   scripts/check-fixture-consumer.sh <stack build dir>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: $0 <stack build dir>}
work=$(mktemp -d "${TMPDIR:-/tmp}/stack-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component library >/dev/null
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$root/examples/fixture-consumer" -B "$work/build" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build"
ctest --test-dir "$work/build" --output-on-failure --timeout 180
