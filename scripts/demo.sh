#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds stack and brings up the demo: a web
# application with PostgreSQL and Redis (examples/webapp-db), built offline on a Debian
# base image. Prints its URL and what to try next. Running it again is fast and changes
# nothing. WEB_PORT moves the page from 127.0.0.1:8080.
#
# It builds only the `stack` binary (Release, into build-release/; STACK_RELEASE_BUILD_DIR moves
# it), not the tests: scripts/test.sh builds everything. Each phase prints its elapsed time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export STACK_RELEASE_BUILD_DIR="${STACK_RELEASE_BUILD_DIR:-$ROOT/build-release}"
DEMO="$ROOT/examples/webapp-db"
STACK="$STACK_RELEASE_BUILD_DIR/cli/stack"

started=$SECONDS
phase_started=$SECONDS
phase_count=5
phase_number=0
elapsed() {
  local s=$(($1))
  if [ "$s" -ge 60 ]; then printf '%d min %02d s' $((s / 60)) $((s % 60)); else printf '%d s' "$s"; fi
}
# phase "what": closes the previous phase with its time and announces the next.
phase() {
  if [ $phase_number -gt 0 ]; then
    printf '\033[1m==> [%d/%d] done in %s\033[0m\n' $phase_number $phase_count \
      "$(elapsed $((SECONDS - phase_started)))" >&2
  fi
  phase_number=$((phase_number + 1))
  phase_started=$SECONDS
  [ $# -eq 0 ] && return 0
  printf '\033[1m==> [%d/%d] %s (at %s)\033[0m\n' $phase_number $phase_count "$1" \
    "$(elapsed $((SECONDS - started)))" >&2
}

phase "Debian packages for building stack"
"$ROOT/scripts/setup.sh" --deps
phase "the Docker engine"
"$ROOT/scripts/setup.sh" --engine
phase "compiling the stack binary (the longest phase: a few minutes on 2 cores)"
"$ROOT/scripts/setup.sh" --build-stack
phase "the demo's offline Debian base image (about a minute the first time)"
"$ROOT/scripts/setup.sh" --demo
phase "bringing up examples/webapp-db: stack up --wait"
if ! (cd "$DEMO" && "$STACK" up --wait); then
  echo "demo: \`stack up --wait\` failed in examples/webapp-db; see the messages above" >&2
  exit 1
fi
phase
printf '\033[1m==> the demo took %s\033[0m\n' "$(elapsed $((SECONDS - started)))" >&2

cat <<MESSAGE

The demo is up: open http://127.0.0.1:${WEB_PORT:-8080}/

Next, in examples/webapp-db (put stack on your PATH: export PATH="$STACK_RELEASE_BUILD_DIR/cli:\$PATH"):
  stack ps           the services and their health
  stack logs web     the web application's requests (stack logs -f follows them all)
  stack down         removes the containers; the items stay in the volume pgdata
  stack up --wait    brings it all back, items included
  stack down -v      removes the volume too
MESSAGE
