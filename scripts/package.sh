#!/usr/bin/env bash
# Builds the Debian package of stack with CPack: dist/stack_<version>_<arch>.deb (binary,
# bash and zsh completions, man page), installable with `apt install ./dist/stack_*.deb`
# on Debian 12; its dependencies are the shared libraries the binary links (dpkg-shlibdeps).
# With the library component declared, dist/ also gets libstack-dev_*.deb.
#
#   scripts/package.sh            build-release/ (Release, no tests), then cpack
#
# Shares build-release/ with scripts/demo.sh (STACK_RELEASE_BUILD_DIR moves it). Needs the
# build packages (scripts/setup.sh --deps) and dpkg-dev.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${STACK_RELEASE_BUILD_DIR:-$ROOT/build-release}"
DIST="${STACK_DIST_DIR:-$ROOT/dist}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'package: %s\n' "$*" >&2; exit 1; }

command -v dpkg-shlibdeps >/dev/null || die "dpkg-shlibdeps is missing: apt-get install dpkg-dev"
STACK_RELEASE_BUILD_DIR="$BUILD_DIR" "$ROOT/scripts/setup.sh" --build-stack
say "generating the completions and the man page"
cmake --build "$BUILD_DIR" --target stack_reference
say "packaging into $DIST"
mkdir -p "$DIST"
(cd "$BUILD_DIR" && cpack -G DEB -B "$DIST" >"$BUILD_DIR/cpack.log" 2>&1) ||
  { tail -30 "$BUILD_DIR/cpack.log" >&2; die "cpack failed (log: $BUILD_DIR/cpack.log)"; }
rm -rf "$DIST/_CPack_Packages"
for deb in "$DIST"/*.deb; do
  say "$(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
done
