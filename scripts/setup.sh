#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) to build, test and run stack. Idempotent:
# a second run checks and does nothing.
#
#   scripts/setup.sh [--deps] [--engine] [--test-image] [--build] [--build-stack] [--test-tools] [--demo]
#
# With no argument it does --deps --engine --test-image --build.
#   --deps        build dependencies from Debian's packages
#   --engine      Debian's docker.io; starts dockerd in the background when no engine
#                 answers on the socket, and waits until it does (log: /var/log/stack-dockerd.log)
#   --test-image  the offline test images: stack-test/busybox (busybox-static on scratch) and
#                 stack-test/redis (Debian's redis-tools binaries and their libraries on
#                 top of it: a real Redis server for the fixture example, built in ~1 s)
#   --build       configures and builds everything into build/ (Release with debug info):
#                 stack, the tests, the benches
#   --build-stack only the `stack` binary, into build-release/ (Release at -O2, no debug
#                 info, no tests): what the demo needs, in a few minutes on 2 cores
#   --test-tools  what the full test suite needs besides the engine: docker-compose v1,
#                 docker-registry, clang (fuzzers), chromium (demo screenshot), hyperfine,
#                 dpkg-dev (the .deb test), libgtest-dev (the fixture's GoogleTest adapter test),
#                 graphviz (`stack graph -o graph.svg`)
#   --demo        the demo's offline Debian base image (mmdebstrap; about 70 s the first time)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${STACK_BUILD_DIR:-$ROOT/build}"
DOCKERD_LOG=/var/log/stack-dockerd.log

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run me as root (I install Debian packages and start dockerd)"

BUILD_PACKAGES=(cmake g++ ninja-build pkg-config libboost1.81-dev libyaml-cpp-dev
  libcurl4-openssl-dev nlohmann-json3-dev libspdlog-dev doctest-dev libcli11-dev
  libarchive-dev libssl-dev)
ENGINE_PACKAGES=(docker.io busybox-static)
# redis-tools ships the Redis server binary (redis-check-rdb answers as redis-server by its
# argv[0]) without the system service that Debian's redis-server package would start.
TEST_IMAGE_PACKAGES=(redis-tools)
TEST_TOOL_PACKAGES=(docker-compose docker-registry clang libclang-rt-14-dev chromium hyperfine graphviz
  iproute2 procps curl dpkg-dev libgtest-dev)
DEMO_PACKAGES=(mmdebstrap)

apt_updated=0
install_missing() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ $apt_updated = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/tmp/stack-apt.log 2>&1 || { tail -30 /tmp/stack-apt.log >&2; die "apt-get install failed"; }
}

setup_deps() {
  # libboost1.81-dev conflicts with Debian's default libboost-dev (1.74).
  for old in libboost-dev libboost1.74-dev; do
    if dpkg-query -W -f='${Status}' "$old" 2>/dev/null | grep -q "install ok installed"; then
      say "removing $old (conflicts with libboost1.81-dev)"
      DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "$old" >/dev/null
    fi
  done
  install_missing "${BUILD_PACKAGES[@]}"
}

engine_answers() { timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

setup_engine() {
  install_missing "${ENGINE_PACKAGES[@]}"
  if engine_answers; then return 0; fi
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer, and I only start a local dockerd"
  fi
  say "starting dockerd (log: $DOCKERD_LOG)"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    systemctl start docker || true
  fi
  if ! engine_answers; then
    # A daemon killed earlier leaves its pid file; dockerd recovers from a stale one.
    nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    engine_answers && return 0
    sleep 1
  done
  tail -20 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer within 60 s; see $DOCKERD_LOG"
}

setup_test_image() {
  if docker image inspect stack-test/busybox:latest >/dev/null 2>&1; then return 0; fi
  say "building the offline test image stack-test/busybox"
  local dir
  dir="$(mktemp -d)"
  cp /bin/busybox "$dir/busybox"
  cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t stack-test/busybox:latest "$dir" >/dev/null 2>&1 ||
    { rm -rf "$dir"; die "could not build stack-test/busybox"; }
  rm -rf "$dir"
}

# A real Redis without a registry: the server and redis-cli from Debian's redis-tools, with
# the shared libraries ldd reports, copied at their own paths onto stack-test/busybox.
setup_redis_image() {
  if docker image inspect stack-test/redis:latest >/dev/null 2>&1; then return 0; fi
  install_missing "${TEST_IMAGE_PACKAGES[@]}"
  say "building the offline test image stack-test/redis"
  local dir library
  dir="$(mktemp -d)"
  mkdir -p "$dir/root/usr/bin" "$dir/root/data"
  cp /usr/bin/redis-check-rdb "$dir/root/usr/bin/redis-server"
  cp /usr/bin/redis-cli "$dir/root/usr/bin/redis-cli"
  for library in $(ldd /usr/bin/redis-check-rdb /usr/bin/redis-cli | awk '/=> \//{print $3} /^\t\//{print $1}' | sort -u); do
    mkdir -p "$dir/root$(dirname "$library")"
    cp -L "$library" "$dir/root$library"
  done
  cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM stack-test/busybox:latest
COPY root/ /
WORKDIR /data
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no"]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t stack-test/redis:latest "$dir" >/dev/null 2>&1 ||
    { rm -rf "$dir"; die "could not build stack-test/redis"; }
  rm -rf "$dir"
}

setup_build() {
  say "building stack in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

# The demo needs the binary only. Debug info is most of the compile time of our
# coroutine-heavy sources (docs/PERFORMANCE.md, "Building"), and the tests are half of the
# translation units, so this configures its own tree rather than reusing build/.
setup_build_stack() {
  local dir="${STACK_RELEASE_BUILD_DIR:-$ROOT/build-release}"
  say "building the stack binary in $dir (Release, only the stack target)"
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DSTACK_BUILD_TESTS=OFF >/dev/null
  cmake --build "$dir" -j "$(nproc)" --target stack
}

setup_test_tools() { install_missing "${TEST_TOOL_PACKAGES[@]}"; }

setup_demo() {
  install_missing "${DEMO_PACKAGES[@]}"
  "$ROOT/scripts/build-debian-base.sh"
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(--deps --engine --test-image --build)
for step in "${steps[@]}"; do
  case "$step" in
    --deps) setup_deps ;;
    --engine) setup_engine ;;
    --test-image) setup_test_image; setup_redis_image ;;
    --build) setup_build ;;
    --build-stack) setup_build_stack ;;
    --test-tools) setup_test_tools ;;
    --demo) setup_demo ;;
    *) die "unknown step $step (see the comment at the top of this script)" ;;
  esac
done
