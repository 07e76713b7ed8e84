#!/usr/bin/env python3
"""Benchmark of `up -d`, a no-op `up -d`, `ps` and `down` (issue 5).

In one run, for three generated stacks (20 independent services, a 10-link chain, a
3-tier app) it times side by side:
  stack              build/cli/stack (or $STACK)
  docker-compose v1  Debian's docker-compose package
  engine floor       the same network create and container create+start calls made
                     directly on the Engine API, as parallel as the dependencies allow
and prints the ratios. Every project gets a unique name and is removed afterwards.

usage: bench/up_bench.py [--runs N] [--stacks independent20,chain10,three-tier]
Needs the running dockerd and stack-test/busybox:latest (scripts/setup.sh --test-image).
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = "stack-test/busybox:latest"
API = "/v1.41"


# --- the stacks --------------------------------------------------------------------
# Each is {service: [dependencies]}; every container runs `sleep` and stops on SIGKILL,
# so that `down` measures the tools rather than a stop grace period.

def independent(n):
    return {f"svc{i}": [] for i in range(n)}


def chain(n):
    return {f"link{i}": ([f"link{i - 1}"] if i else []) for i in range(n)}


def three_tier():
    return {"db": [], "cache": [], "api": ["db", "cache"], "worker": ["db", "cache"],
            "web": ["api"]}


STACKS = {"independent20": independent(20), "chain10": chain(10), "three-tier": three_tier()}


def compose_file(services):
    # `version: "2.4"` makes docker-compose v1 read it as the compose format with
    # depends_on; stack and docker compose v2 ignore the key.
    lines = ['version: "2.4"', "services:"]
    for name, deps in services.items():
        lines += [f"  {name}:", f"    image: {IMAGE}", '    command: ["sleep", "3600"]',
                  "    stop_signal: SIGKILL", "    environment:", f"      ROLE: {name}"]
        if deps:
            lines.append("    depends_on: [" + ", ".join(deps) + "]")
    return "\n".join(lines) + "\n"


# --- the Engine API, directly --------------------------------------------------------

class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def socket_path():
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        sys.exit("the floor needs a unix DOCKER_HOST")
    return host[len("unix://"):]


def api(method, path, body=None):
    connection = UnixConnection(socket_path())
    payload = json.dumps(body) if body is not None else None
    connection.request(method, API + path, body=payload,
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
    return json.loads(data) if data else None


def floor_up(project, services):
    """Network create; every container created at once, each started as soon as it is
    created and its dependencies have started: what an orchestrator cannot beat."""
    network = f"{project}_default"
    api("POST", "/networks/create", {"Name": network, "CheckDuplicate": True})

    def create(name):
        query = urllib.parse.urlencode({"name": f"{project}-{name}-1"})
        return api("POST", f"/containers/create?{query}", {
            "Image": IMAGE, "Cmd": ["sleep", "3600"], "Env": [f"ROLE={name}"],
            "StopSignal": "SIGKILL",
            "Labels": {"bench.project": project},
            "HostConfig": {"NetworkMode": network},
            "NetworkingConfig": {"EndpointsConfig": {network: {"Aliases": [name]}}}})["Id"]

    started = {}

    def bring_up(name):
        container = create(name)  # at once: a create needs nothing of its dependencies
        for dep in services[name]:
            started[dep].result()
        api("POST", f"/containers/{container}/start")

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(services)) as pool:
        for name in services:  # dependencies come first in every generated stack
            started[name] = pool.submit(bring_up, name)
        for future in started.values():
            future.result()


def floor_down(project):
    filters = urllib.parse.quote(json.dumps({"label": [f"bench.project={project}"]}))
    for container in api("GET", f"/containers/json?all=1&filters={filters}"):
        api("DELETE", f"/containers/{container['Id']}?force=1")
    api("DELETE", f"/networks/{project}_default")


# --- timing --------------------------------------------------------------------------

def timed(command, cwd, env=None):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr[-400:]}")
    return elapsed


def timed_call(function, *args):
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def tool_round(tool, project, directory, noop_runs):
    """One fresh up, then noop_runs no-op ups and ps calls, then down: times in ms."""
    env = dict(os.environ, COMPOSE_PROGRESS="quiet")
    base = tool + ["-p", project]
    figures = {"up": timed(base + ["up", "-d"], directory, env)}
    figures["noop"] = min(timed(base + ["up", "-d"], directory, env) for _ in range(noop_runs))
    figures["ps"] = min(timed(base + ["ps"], directory, env) for _ in range(noop_runs))
    figures["down"] = timed(base + ["down"], directory, env)
    return figures


def median_of(rounds, key):
    return statistics.median(r[key] for r in rounds)


def bench_stack(label, services, args, tools):
    directory = tempfile.mkdtemp(prefix="stack-bench-")
    with open(os.path.join(directory, "docker-compose.yml"), "w") as out:
        out.write(compose_file(services))
    rounds = {name: [] for name in list(tools) + ["floor"]}
    try:
        for run in range(args.runs):
            for name, tool in tools.items():
                project = f"bench{os.getpid()}{name[:2]}{run}"
                try:
                    rounds[name].append(tool_round(tool, project, directory, args.noop_runs))
                finally:
                    subprocess.run(tool + ["-p", project, "down", "-t", "0"], cwd=directory,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            project = f"bench{os.getpid()}fl{run}"
            try:
                rounds["floor"].append({"up": timed_call(floor_up, project, services)})
            finally:
                floor_down(project)
    finally:
        shutil.rmtree(directory)
    report(label, len(services), rounds)


def report(label, count, rounds):
    stack_up = median_of(rounds["stack"], "up")
    floor = median_of(rounds["floor"], "up")
    print(f"\n{label} ({count} services), median of {len(rounds['stack'])} runs, ms")
    print(f"  {'':16}{'stack':>10}{'compose v1':>12}{'floor':>10}   ratios")
    v1 = rounds.get("compose-v1")
    def row(name, key, goal):
        ours = median_of(rounds["stack"], key)
        theirs = median_of(v1, key) if v1 else float("nan")
        ratio = f"stack/v1 {ours / theirs:.2f}" if v1 else ""
        print(f"  {name:16}{ours:10.1f}{theirs:12.1f}{'':10}   {ratio}  {goal}")
    theirs_up = median_of(v1, "up") if v1 else float("nan")
    print(f"  {'fresh up -d':16}{stack_up:10.1f}{theirs_up:12.1f}{floor:10.1f}   "
          f"stack/floor {stack_up / floor:.3f}"
          + (f"  stack/v1 {stack_up / theirs_up:.2f}" if v1 else "") + "  (goal: floor +3%)")
    row("no-op up -d", "noop", "(goal: <= 50 ms)")
    row("ps", "ps", "(goal: <= 30 ms)")
    row("down", "down", "(goal: <= 0.8 x v1)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--noop-runs", type=int, default=5)
    parser.add_argument("--stacks", default=",".join(STACKS))
    args = parser.parse_args()
    stack = os.environ.get("STACK", os.path.join(ROOT, "build", "cli", "stack"))
    if not os.access(stack, os.X_OK):
        sys.exit(f"no stack binary at {stack} (build it, or set STACK)")
    tools = {"stack": [stack]}
    if shutil.which("docker-compose"):
        tools["compose-v1"] = ["docker-compose"]
    else:
        print("docker-compose v1 is missing (scripts/setup.sh --test-tools): no comparison")
    api("GET", "/images/" + IMAGE + "/json")  # fails early when the test image is missing
    for label in args.stacks.split(","):
        bench_stack(label, STACKS[label], args, tools)


if __name__ == "__main__":
    main()
