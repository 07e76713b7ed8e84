#!/usr/bin/env bash
# The .deb on a fresh Debian 12: packs the build tree with CPack, lets apt install it into a
# minimal bookworm root file system made with mmdebstrap (as `apt install ./stack_*.deb`
# would: its declared dependencies and nothing else), imports that as an image (no
# registry) and runs `stack version` and `stack config` in a container of it.
#
#   tests/packaging/deb_install_test.sh <build dir>
#
# Needs root, mmdebstrap, dpkg-dev, a Docker engine and a reachable Debian mirror
# (STACK_DEBIAN_MIRROR, as scripts/build-debian-base.sh). Removes its image and files.
set -euo pipefail

BUILD_DIR="$(cd "${1:?usage: deb_install_test.sh <build dir>}" && pwd)"
VERSION="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD_DIR/CMakeCache.txt")"
IMAGE="stack-deb-test-$$-$RANDOM:latest"
fail() { printf 'deb_install_test: FAIL: %s\n' "$*" >&2; exit 1; }

for tool in mmdebstrap dpkg-shlibdeps docker cpack; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh --test-tools --demo)"
done
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || fail "no Docker engine answers"

work="$(mktemp -d /var/tmp/stack-deb-test.XXXXXX)"
mmdebstrap_pid=
# mmdebstrap bind-mounts /dev, /sys and the .deb into its chroot while it runs: stop it
# first (it unmounts on SIGTERM), and never let rm cross into a mount.
cleanup() {
  if [ -n "$mmdebstrap_pid" ] && kill -0 "$mmdebstrap_pid" 2>/dev/null; then
    kill -TERM "$mmdebstrap_pid" 2>/dev/null
    wait "$mmdebstrap_pid" 2>/dev/null
  fi
  docker image rm -f "$IMAGE" >/dev/null 2>&1 || true
  if findmnt -rn -o TARGET | grep -q "^$work"; then
    echo "deb_install_test: mounts left under $work; not removing it" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # a ctest timeout still runs cleanup

# 1. The package, with its dependencies declared.
(cd "$BUILD_DIR" && cpack -G DEB -B "$work/dist") >"$work/cpack.log" 2>&1 ||
  { tail -20 "$work/cpack.log" >&2; fail "cpack failed"; }
deb="$(ls "$work"/dist/stack_*.deb)" || fail "cpack made no stack_*.deb"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
for library in libyaml-cpp libcurl libarchive libssl libc6; do
  [[ $depends == *"$library"* ]] || fail "Depends does not name $library: $depends"
done
contents="$(dpkg-deb -c "$deb")"
for file in ./usr/bin/stack ./usr/share/bash-completion/completions/stack \
    ./usr/share/zsh/vendor-completions/_stack ./usr/share/man/man1/stack.1; do
  grep -q " $file\$" <<<"$contents" || fail "$file is not in the package"
done

# 2. A fresh bookworm with apt, plus the .deb as apt resolves it.
mirror="${STACK_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  if grep -qs '^Suites:.*\bbookworm\b' /etc/apt/sources.list.d/debian.sources; then
    mirror=/etc/apt/sources.list.d/debian.sources
  else
    mirror=http://deb.debian.org/debian
  fi
fi
mmdebstrap --variant=apt --include="$deb" \
  --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
  --dpkgopt=force-unsafe-io --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  bookworm "$work/rootfs.tar" "$mirror" </dev/null >"$work/mmdebstrap.log" 2>&1 &
mmdebstrap_pid=$!
wait $mmdebstrap_pid ||
  { tail -20 "$work/mmdebstrap.log" >&2; fail "apt could not install the package into bookworm"; }
mmdebstrap_pid=
docker import "$work/rootfs.tar" "$IMAGE" >/dev/null || fail "docker import failed"

# 3. What a user runs first. `config` needs no engine; the container has none.
run() { docker run --rm --network none "$IMAGE" sh -c "$1" 2>&1; }
out="$(run 'stack version && stack --version')" || fail "stack version failed: $out"
[ "$out" = "stack version $VERSION"$'\n'"stack version $VERSION" ] || fail "stack version printed: $out"
out="$(run 'mkdir -p /srv/shop && cd /srv/shop &&
  printf "services:\n  web:\n    image: busybox\n    ports: [\"8080:80\"]\n" >compose.yaml &&
  stack config')" || fail "stack config failed: $out"
grep -q '^name: shop$' <<<"$out" || fail "stack config did not name the project shop: $out"
grep -q '8080' <<<"$out" || fail "stack config lost the port: $out"
man_ok="$(run 'test -s /usr/share/man/man1/stack.1 && bash -n /usr/share/bash-completion/completions/stack && echo ok')"
[ "$man_ok" = ok ] || fail "man page or bash completion missing or broken: $man_ok"

# 4. And a mistake gets its clear message and exit code, not a crash.
set +e
out="$(run 'cd /tmp && stack config')"
code=$?
set -e
[ $code -ne 0 ] || fail "stack config without a compose file succeeded"
grep -q 'no configuration file provided' <<<"$out" || fail "unclear error: $out"
echo "deb_install_test: PASS ($(basename "$deb") installed by apt into bookworm)"
