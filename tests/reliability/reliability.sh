#!/usr/bin/env bash
# The reliability cases of docs/RELIABILITY.md against the real engine, through the real
# binary. Each case prints one result line; any failed case makes the exit status 1.
#
#   tests/reliability/reliability.sh <stack binary> [--kills N]
#
#   lock-two-ups     two `up -d` of one project at once: one waits with a clear message,
#                    both succeed, one container per service
#   lock-up-down     `up -d` racing `down`: serialized, the project ends either up or gone,
#                    never half of each
#   lock-stale       the holder of the project lock is SIGKILLed: the next run takes over
#                    at once (the kernel drops a dead process's flock)
#   sigkill-up-down  stack SIGKILLed at a random point of `up -d` or `down`, N times (default
#                    5; the full run uses 50): each re-run converges, no container, network
#                    or anonymous volume leaks, the named volume keeps its data
#
# Uses stack-test/busybox (scripts/setup.sh --test-image) and a unique project per case;
# removes everything it created, also when a case fails.
set -uo pipefail

STACK="$(cd "$(dirname "${1:?usage: reliability.sh <stack binary> [--kills N]}")" && pwd)/$(basename "$1")"
KILLS=5
[ "${2:-}" = --kills ] && KILLS="${3:?--kills needs a number}"
export COMPOSE_PROGRESS=plain
failures=0
work="$(mktemp -d /tmp/stack-reliability.XXXXXX)"

# Every project is a directory of $work: new_project runs in a command substitution (a
# subshell), so a list kept in a variable would never reach this trap.
cleanup() {
  local dir project
  for dir in "$work"/stkrel*/; do
    [ -d "$dir" ] || continue
    project="$(basename "$dir")"
    (cd "$work/$project" 2>/dev/null && timeout 120 "$STACK" -p "$project" down -v -t 1 >/dev/null 2>&1)
    local filter="label=com.docker.compose.project=$project" ids
    ids="$(docker ps -aq --filter "$filter")"; [ -z "$ids" ] || docker rm -f $ids >/dev/null
    ids="$(docker network ls -q --filter "$filter")"; [ -z "$ids" ] || docker network rm $ids >/dev/null
    ids="$(docker volume ls -q --filter "$filter")"; [ -z "$ids" ] || docker volume rm -f $ids >/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

result() { printf '%-16s %s\n' "$1" "$2"; }
fail() { result "$1" "FAIL: $2"; failures=$((failures + 1)); }

# new_project <case>: a directory with a two-service compose file and a named volume.
new_project() {
  local project="stkrel$1$RANDOM$$"
  mkdir -p "$work/$project"
  cat >"$work/$project/compose.yaml" <<'YAML'
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "test -f /data/keep || echo kept >/data/keep; exec sleep 3600"]
    volumes: [data:/data, /scratch]
    stop_signal: SIGKILL
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on: [db]
    stop_signal: SIGKILL
    scale: 2
volumes:
  data: {}
YAML
  echo "$project"
}

st() { local project="$1"; shift; (cd "$work/$project" && timeout 120 "$STACK" -p "$project" "$@"); }
containers() { docker ps -aq --filter "label=com.docker.compose.project=$1" | wc -l; }
running() { docker ps -q --filter "label=com.docker.compose.project=$1" | wc -l; }
networks() { docker network ls -q --filter "label=com.docker.compose.project=$1" | wc -l; }
volumes() { docker volume ls -q --filter "label=com.docker.compose.project=$1" | wc -l; }

case_two_ups() {
  local p; p="$(new_project twoups)"
  st "$p" up -d >"$work/a.log" 2>&1 & local a=$!
  st "$p" up -d >"$work/b.log" 2>&1 & local b=$!
  wait $a; local ra=$?; wait $b; local rb=$?
  if [ $ra -ne 0 ] || [ $rb -ne 0 ]; then fail lock-two-ups "exit codes $ra and $rb"; return; fi
  [ "$(running "$p")" = 3 ] || { fail lock-two-ups "$(running "$p") containers running, want 3"; return; }
  if ! grep -qh "waiting for another stack command on project" "$work/a.log" "$work/b.log"; then
    # both may have run one after the other without overlapping; that is no failure
    result lock-two-ups "ok (3 containers; the runs did not overlap)"
  else
    result lock-two-ups "ok (3 containers; one waited: \"waiting for another stack command\")"
  fi
}

case_up_down() {
  local p; p="$(new_project updown)"
  st "$p" up -d >/dev/null 2>&1 || { fail lock-up-down "first up failed"; return; }
  st "$p" down -t 1 >"$work/d.log" 2>&1 & local d=$!
  st "$p" up -d >"$work/u.log" 2>&1 & local u=$!
  wait $d; local rd=$?; wait $u; local ru=$?
  [ $rd -eq 0 ] && [ $ru -eq 0 ] || { fail lock-up-down "exit codes down $rd, up $ru"; return; }
  local n; n="$(containers "$p")"
  if [ "$n" = 3 ] && [ "$(running "$p")" = 3 ]; then
    result lock-up-down "ok (down then up: 3 running)"
  elif [ "$n" = 0 ] && [ "$(networks "$p")" = 0 ]; then
    result lock-up-down "ok (up then down: nothing left)"
  else
    fail lock-up-down "$n containers, $(running "$p") running: neither up nor down"
  fi
}

case_stale() {
  local p; p="$(new_project stale)"
  st "$p" up -d >/dev/null 2>&1 || { fail lock-stale "first up failed"; return; }
  # An up that holds the project lock, SIGKILLed in the middle: its lock must not block
  # the next run (no "waiting for another stack command").
  (cd "$work/$p" && exec "$STACK" -p "$p" up -d --force-recreate >/dev/null 2>&1) & local up=$!
  sleep 0.3
  kill -9 $up 2>/dev/null; wait $up 2>/dev/null
  local start=$SECONDS
  st "$p" up -d >"$work/s.log" 2>&1 || { fail lock-stale "the run after the kill failed"; return; }
  if grep -q "waiting for another stack command" "$work/s.log"; then
    fail lock-stale "the re-run waited for the dead process's lock"; return
  fi
  [ "$(running "$p")" = 3 ] || { fail lock-stale "$(running "$p") running after the re-run"; return; }
  result lock-stale "ok (no wait for the dead holder; converged in $((SECONDS - start)) s)"
}

case_sigkill() {
  local p; p="$(new_project kill)"
  st "$p" up -d >/dev/null 2>&1 || { fail sigkill-up-down "first up failed"; return; }
  local i delay command start=$SECONDS
  for ((i = 1; i <= KILLS; i++)); do
    command=up; [ $((RANDOM % 2)) = 0 ] && command=down
    delay="0.$(printf '%02d' $((RANDOM % 60)))"
    if [ $command = up ]; then
      (cd "$work/$p" && exec "$STACK" -p "$p" up -d --force-recreate >/dev/null 2>&1) &
    else
      (cd "$work/$p" && exec "$STACK" -p "$p" down -t 1 >/dev/null 2>&1) &
    fi
    local pid=$!
    sleep "$delay"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    # The engine still carries out the requests the dead client had sent (a stop takes up
    # to -t 1 s): a re-run at once may see a container running that stops a moment later.
    sleep 2
    if ! st "$p" up -d >"$work/k.log" 2>&1; then
      fail sigkill-up-down "kill $i ($command after ${delay}s): re-run failed: $(tail -2 "$work/k.log")"
      return
    fi
    if [ "$(containers "$p")" != 3 ] || [ "$(running "$p")" != 3 ] || [ "$(networks "$p")" != 1 ]; then
      fail sigkill-up-down "kill $i ($command after ${delay}s): $(containers "$p") containers, $(running "$p") running, $(networks "$p") networks"
      return
    fi
    # named volume + one anonymous /scratch volume of db
    if [ "$(volumes "$p")" -gt 2 ]; then
      fail sigkill-up-down "kill $i: $(volumes "$p") labelled volumes, anonymous volumes leak"
      return
    fi
    if [ "$(st "$p" exec -T db cat /data/keep 2>/dev/null)" != kept ]; then
      fail sigkill-up-down "kill $i: the named volume lost its data"; return
    fi
  done
  st "$p" down -t 1 >/dev/null 2>&1
  local left="$(containers "$p") containers, $(networks "$p") networks"
  [ "$left" = "0 containers, 0 networks" ] || { fail sigkill-up-down "after down: $left"; return; }
  result sigkill-up-down "ok ($KILLS kills, each re-run converged; $((SECONDS - start)) s)"
}

docker image inspect stack-test/busybox:latest >/dev/null 2>&1 ||
  { echo "reliability: stack-test/busybox is missing (scripts/setup.sh --test-image)" >&2; exit 1; }
case_two_ups
case_up_down
case_stale
case_sigkill
[ $failures = 0 ] || { echo "reliability: $failures case(s) failed" >&2; exit 1; }
