#!/usr/bin/env bash
# Builds the demo's base image, stack-demo/debian:bookworm, from Debian's packages with
# mmdebstrap and `docker import`, so no image registry is needed. It holds everything the
# demo's three services need: PostgreSQL, Redis and Python 3 with psycopg2 and redis.
# The example Dockerfiles (examples/webapp-db/*/Dockerfile) start FROM it.
#
#   scripts/build-debian-base.sh [--force]
#
# Idempotent: when the image exists and its recipe label matches this script's recipe, it
# says so and does nothing (well under a second). --force rebuilds anyway. Concurrent runs
# wait for each other (flock). The first build takes about a minute.
#
# Environment:
#   STACK_DEMO_BASE_IMAGE  image name (default stack-demo/debian:bookworm)
#   STACK_DEBIAN_MIRROR    a mirror URL or an apt sources file (default: this machine's
#                          /etc/apt/sources.list.d/debian.sources when it is bookworm's,
#                          else http://deb.debian.org/debian)
set -euo pipefail

IMAGE="${STACK_DEMO_BASE_IMAGE:-stack-demo/debian:bookworm}"
SUITE=bookworm
PACKAGES=(
  postgresql                        # server, initdb, pg_isready, psql
  redis-server redis-tools          # redis-server, redis-cli
  python3 python3-psycopg2 python3-redis
  curl                              # for people debugging inside a container
)
# Documentation, man pages and translations are not needed in containers. Nor is
# PostgreSQL's JIT compiler: LLVM and its bitcode are 155 MB of the image, and without the
# llvmjit provider PostgreSQL quietly runs without JIT (a demo's queries never use it).
DPKG_OPTIONS=(
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/llvmjit*'
  --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/bitcode/*'
  --dpkgopt='path-exclude=/usr/lib/*-linux-gnu/libLLVM-*'
  --dpkgopt='path-exclude=/usr/lib/*-linux-gnu/libz3.so*'
)
# Debian's postgresql package creates a cluster on installation; the demo's entrypoint
# initialises its own in a volume, so the packaged one would be dead weight.
# shellcheck disable=SC2016 # mmdebstrap passes the root directory as $1
ESSENTIAL_HOOK='mkdir -p "$1/etc/postgresql-common/createcluster.d" &&
  echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/stack-demo.conf"'
IMAGE_CHANGES=(
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV LANG=C.UTF-8'
  'CMD ["bash"]'
)
RECIPE_LABEL=stack.demo-base.recipe
LOCK_FILE="${TMPDIR:-/tmp}/stack-demo-base.lock"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build-debian-base: %s\n' "$*" >&2; exit 1; }

force=0
case "${1:-}" in
  "") ;;
  --force) force=1 ;;
  *) die "unknown argument $1 (usage: scripts/build-debian-base.sh [--force])" ;;
esac

# Everything that decides the image's content, hashed into a label: change the recipe and
# the next run rebuilds. The mirror is left out on purpose (any bookworm mirror will do).
recipe_hash() {
  printf '%s\n' "v1" "$SUITE" "${PACKAGES[@]}" "${DPKG_OPTIONS[@]}" "$ESSENTIAL_HOOK" \
    "${IMAGE_CHANGES[@]}" | sha256sum | cut -c1-16
}

current_recipe() {
  docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$IMAGE" 2>/dev/null || true
}

pick_mirror() {
  if [ -n "${STACK_DEBIAN_MIRROR:-}" ]; then
    echo "$STACK_DEBIAN_MIRROR"
  elif grep -qs "^Suites:.*\b$SUITE\b" /etc/apt/sources.list.d/debian.sources; then
    echo /etc/apt/sources.list.d/debian.sources
  else
    echo http://deb.debian.org/debian
  fi
}

[ "$(id -u)" = 0 ] || die "run me as root (mmdebstrap builds the root file system as root)"
command -v docker >/dev/null || die "the docker CLI is missing; run scripts/setup.sh --engine"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  die "no Docker engine answers; run scripts/setup.sh --engine"

hash="$(recipe_hash)"
exec 9>"$LOCK_FILE"
flock 9 # another run may be building the same image: wait for it, then re-check
if [ $force = 0 ] && [ "$(current_recipe)" = "$hash" ]; then
  echo "$IMAGE is up to date (recipe $hash)" >&2
  exit 0
fi

if ! command -v mmdebstrap >/dev/null; then
  say "installing mmdebstrap"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends mmdebstrap; } >/tmp/stack-apt.log 2>&1 ||
    { tail -20 /tmp/stack-apt.log >&2; die "could not install mmdebstrap with apt-get"; }
fi

# dpkg syncs every file it unpacks; on a virtual disk that triples the build time. A
# tmpfs avoids it when there is memory to spare (the build peaks near 1 GB).
scratch_dir() {
  local avail_kb mem_kb
  avail_kb="$(df --output=avail -k /dev/shm 2>/dev/null | tail -1)" || avail_kb=0
  mem_kb="$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)"
  if [ "${avail_kb:-0}" -gt 2000000 ] && [ "${mem_kb:-0}" -gt 4000000 ]; then
    echo /dev/shm
  else
    echo /var/tmp
  fi
}

mirror="$(pick_mirror)"
say "building $IMAGE from Debian $SUITE packages with mmdebstrap (mirror: $mirror)"
start=$(date +%s)
work="$(mktemp -d "$(scratch_dir)/stack-demo-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log="$work/mmdebstrap.log"
if ! TMPDIR="$work" mmdebstrap --variant=apt --include="$(IFS=,; echo "${PACKAGES[*]}")" \
      "${DPKG_OPTIONS[@]}" --essential-hook="$ESSENTIAL_HOOK" "$SUITE" "$work/rootfs.tar" \
      "$mirror" </dev/null >"$log" 2>&1; then
  tail -30 "$log" >&2
  die "mmdebstrap failed (is the Debian mirror $mirror reachable?)"
fi

changes=()
for change in "${IMAGE_CHANGES[@]}" "LABEL $RECIPE_LABEL=$hash"; do changes+=(--change "$change"); done
new_id="$(docker import "${changes[@]}" --message "scripts/build-debian-base.sh ($SUITE, recipe $hash)" \
  "$work/rootfs.tar")" || die "docker import failed"
# Check what the demo needs before the image gets its name: a broken image with the right
# recipe label would otherwise be taken as up to date.
if ! docker run --rm "$new_id" sh -c 'python3 -c "import psycopg2, redis" &&
      /usr/lib/postgresql/15/bin/postgres --version && redis-server --version &&
      pg_isready --version && redis-cli --version' >"$work/check.log" 2>&1; then
  docker image rm "$new_id" >/dev/null 2>&1 || true
  cat "$work/check.log" >&2
  die "the new image lacks something the demo needs (see above)"
fi
previous="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
docker tag "$new_id" "$IMAGE"

# Remove the image this one replaces, unless images built from it still need it.
current="$(docker image inspect --format '{{.Id}}' "$IMAGE")"
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
size="$(docker image inspect --format '{{.Size}}' "$IMAGE")"
say "built $IMAGE in $(($(date +%s) - start)) s ($((size / 1000000)) MB, recipe $hash)"
