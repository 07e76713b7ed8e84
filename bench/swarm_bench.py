#!/usr/bin/env python3
"""Benchmark of `stack deploy` on a single-node swarm (issue 12).

In one run, for a generated 10-service file, it times side by side:
  stack deploy --wait     until every service runs its desired tasks (stack's own wait)
  docker stack deploy     then polling the Engine API (GET /services?status=true, every
                          100 ms, the cheapest poll there is) until every service runs
                          its desired tasks
and then the re-deploy of the unchanged file: `stack deploy` (which plans no write) and
`docker stack deploy` (which updates every service). Runs alternate between the tools;
each stack gets a unique name and is removed afterwards (not timed).

usage: bench/swarm_bench.py [--runs N] [--services N]
Needs the running dockerd and stack-test/busybox:latest (scripts/setup.sh --test-image).
When the engine is in no swarm, the script runs `docker swarm init --advertise-addr
127.0.0.1` and leaves the swarm at the end. Do not run it beside the swarm integration
tests.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from up_bench import api  # noqa: E402  (the Engine API over the unix socket)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = "stack-test/busybox:latest"


def compose_file(count):
    # version 3.8: docker stack deploy's loader wants a v3 file; stack ignores the key.
    lines = ['version: "3.8"', "services:"]
    for i in range(count):
        lines += [f"  svc{i}:", f"    image: {IMAGE}", '    command: ["sleep", "3600"]',
                  "    stop_grace_period: 1s", "    environment:", f"      ROLE: svc{i}"]
    return "\n".join(lines) + "\n"


def stack_binary():
    return os.environ.get("STACK", os.path.join(ROOT, "build", "cli", "stack"))


def run(command, cwd):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {result.stderr.strip()[:400]}")
    return elapsed


def converged(stack, count):
    filters = urllib.parse.quote(json.dumps({"label": [f"com.docker.stack.namespace={stack}"]}))
    services = api("GET", f"/services?status=true&filters={filters}")
    if len(services) != count:
        return False
    return all(s.get("ServiceStatus", {}).get("RunningTasks") ==
               s.get("ServiceStatus", {}).get("DesiredTasks") != 0 for s in services)


def docker_deploy_and_poll(stack, directory, count):
    start = time.perf_counter()
    run(["docker", "stack", "deploy", "-c", "compose.yaml", stack], directory)
    deadline = start + 300
    while not converged(stack, count):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"docker stack {stack} did not converge")
        time.sleep(0.1)
    return (time.perf_counter() - start) * 1000


def remove(stack, directory):
    subprocess.run(["docker", "stack", "rm", stack], cwd=directory, capture_output=True)
    filters = urllib.parse.quote(json.dumps({"label": [f"com.docker.stack.namespace={stack}"]}))
    for _ in range(300):  # bounded: 60 s
        if not api("GET", f"/tasks?filters={filters}") and \
                not api("GET", f"/networks?filters={filters}"):
            return
        time.sleep(0.2)


def one_round(index, directory, count, noop_runs):
    out = {}
    name = f"swbench{os.getpid()}r{index}"
    stack = stack_binary()
    try:
        out["stack_wait"] = run([stack, "-p", name + "s", "deploy", "--wait"], directory)
        out["stack_noop"] = min(run([stack, "-p", name + "s", "deploy"], directory)
                                for _ in range(noop_runs))
    finally:
        remove(name + "s", directory)
    try:
        out["docker_poll"] = docker_deploy_and_poll(name + "d", directory, count)
        out["docker_noop"] = min(run(["docker", "stack", "deploy", "-c", "compose.yaml",
                                      name + "d"], directory) for _ in range(noop_runs))
    finally:
        remove(name + "d", directory)
    return out


def swarm_state():
    return subprocess.run(["docker", "info", "--format", "{{.Swarm.LocalNodeState}}"],
                          capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("--noop-runs", type=int, default=5)
    args = parser.parse_args()
    joined = False
    if swarm_state() != "active":
        subprocess.run(["docker", "swarm", "init", "--advertise-addr", "127.0.0.1"],
                       check=True, capture_output=True)
        joined = True
    directory = tempfile.mkdtemp(prefix="swarm-bench-")
    try:
        with open(os.path.join(directory, "compose.yaml"), "w") as f:
            f.write(compose_file(args.services))
        rounds = [one_round(i, directory, args.services, args.noop_runs)
                  for i in range(args.runs)]
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if joined:
            subprocess.run(["docker", "swarm", "leave", "--force"], capture_output=True)
    med = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(f"{args.services} services, medians of {args.runs} runs (no-op: best of "
          f"{args.noop_runs} per run), milliseconds")
    print(f"  stack deploy --wait                     {med['stack_wait']:8.0f}")
    print(f"  docker stack deploy + poll to converge  {med['docker_poll']:8.0f}   "
          f"ratio {med['stack_wait'] / med['docker_poll']:.2f}")
    print(f"  no-change stack deploy                  {med['stack_noop']:8.1f}")
    print(f"  no-change docker stack deploy           {med['docker_noop']:8.1f}   "
          f"ratio {med['stack_noop'] / med['docker_noop']:.2f}")
    for i, r in enumerate(rounds):
        print(f"  run {i}: " + ", ".join(f"{k} {v:.0f}" for k, v in r.items()))


if __name__ == "__main__":
    main()
