#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds stack and brings up the demo: a web
# application with PostgreSQL and Redis (examples/webapp-db), built offline on a Debian
# base image. Prints its URL and what to try next. Running it again is fast and changes
# nothing. WEB_PORT moves the page from 127.0.0.1:8080.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${STACK_BUILD_DIR:-$ROOT/build}"
DEMO="$ROOT/examples/webapp-db"
STACK="$BUILD_DIR/cli/stack"

"$ROOT/scripts/setup.sh" --deps --engine --build --demo

printf '\033[1m==> %s\033[0m\n' "bringing up examples/webapp-db: stack up --wait" >&2
if ! (cd "$DEMO" && "$STACK" up --wait); then
  echo "demo: \`stack up --wait\` failed in examples/webapp-db; see the messages above" >&2
  exit 1
fi

cat <<MESSAGE

The demo is up: open http://127.0.0.1:${WEB_PORT:-8080}/

Next, in examples/webapp-db (put stack on your PATH: export PATH="$BUILD_DIR/cli:\$PATH"):
  stack ps           the services and their health
  stack logs web     the web application's requests (stack logs -f follows them all)
  stack down         removes the containers; the items stay in the volume pgdata
  stack up --wait    brings it all back, items included
  stack down -v      removes the volume too
MESSAGE
