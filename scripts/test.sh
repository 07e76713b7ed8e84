#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds stack and runs every test suite:
# unit, golden, integration (real dockerd) and e2e. This is what CI runs (.ci/run).
#
#   scripts/test.sh                 everything
#   scripts/test.sh -L unit         only what ctest selects (arguments go to ctest)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${STACK_BUILD_DIR:-$ROOT/build}"

started=$SECONDS
"$ROOT/scripts/setup.sh" --deps --engine --test-image --test-tools --build --demo
echo "==> set up and built in $((SECONDS - started)) s" >&2

echo "==> running tests" >&2
tests_started=$SECONDS
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 600 -j "$(nproc)" "$@" || status=$?
echo "==> tests took $((SECONDS - tests_started)) s; $((SECONDS - started)) s in all" >&2
exit $status
