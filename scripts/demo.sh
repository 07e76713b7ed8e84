#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds stack and brings up the demo.
# Running it again is fast and changes nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${STACK_BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh" --deps --engine --test-image --build

STACK="$BUILD_DIR/cli/stack"
"$STACK" -f "$ROOT/examples/hello/compose.yaml" up -d
echo
echo "The demo is up: open http://127.0.0.1:8080/"
echo "Next: $STACK -f examples/hello/compose.yaml ps | logs | down"
