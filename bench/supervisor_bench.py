#!/usr/bin/env python3
"""Benchmark of the supervisor (issue 6), side by side with docker-compose v1.

readiness  A chain of 10 services, each gated on the one before by service_healthy, each
           ready 0.3 s after it starts, healthcheck interval 1 s. Times until all are
           healthy (stack: `up --wait`; v1: `up -d`, then until the last one's engine
           health is healthy), and the delay from each service's readiness (the mtime of
           its marker file) to its dependent's start (State.StartedAt): the distribution.
attached   `up` in the foreground following 20 services that each print --mib MiB of
           log lines and exit: the tool's peak RSS and its log passthrough in MB/s.

usage: bench/supervisor_bench.py [--only readiness|attached] [--mib N] [--runs N]
                                 [--start-interval 100ms]
Needs the running dockerd and stack-test/busybox:latest (scripts/setup.sh --test-image).
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = "stack-test/busybox:latest"
CHAIN = 10


def chain_file(start_interval=None):
    # version 2.4: docker-compose v1 knows depends_on conditions only in the 2.x format.
    lines = ['version: "2.4"', "services:"]
    for i in range(CHAIN):
        lines += [
            f"  link{i}:", f"    image: {IMAGE}",
            '    command: ["sh", "-c", "sleep 0.3; touch /tmp/ready; exec sleep 3600"]',
            "    tmpfs: [/tmp]", "    stop_signal: SIGKILL",
            "    healthcheck:", '      test: ["CMD", "test", "-f", "/tmp/ready"]',
            "      interval: 1s", "      timeout: 1s", "      retries: 30"]
        if start_interval:
            lines.append(f"      start_interval: {start_interval}")
        if i:
            lines += ["    depends_on:", f"      link{i - 1}:",
                      "        condition: service_healthy"]
    return "\n".join(lines) + "\n"


def attached_file(mib):
    line = "x" * 99  # with the newline, 100 bytes a line
    lines = ['version: "2.4"', "services:"]
    for i in range(20):
        lines += [f"  talker{i}:", f"    image: {IMAGE}",
                  f'    command: ["sh", "-c", "yes {line} | head -c {mib * 1024 * 1024}"]']
    return "\n".join(lines) + "\n"


def docker(*args):
    return subprocess.run(["docker", *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def instant(text):
    """Seconds since the epoch from docker's RFC 3339 (nanoseconds) or stat's %y."""
    text = text.strip().replace("T", " ").replace("Z", " +0000")
    day_time, _, zone = text.rpartition(" ")
    whole, _, fraction = day_time.partition(".")
    base = datetime.datetime.strptime(whole + " " + zone, "%Y-%m-%d %H:%M:%S %z")
    return base.timestamp() + float("0." + (fraction or "0"))


def readiness_delays(project, separator, issued):
    """Per link: readiness -> the engine's StartedAt of the next link, and readiness -> the
    moment the tool issued that start (stack's JSON progress "Starting"; None for v1)."""
    started_delays, issued_delays = [], []
    for i in range(CHAIN - 1):
        ready = instant(docker("exec", f"{project}{separator}link{i}{separator}1", "stat", "-c",
                               "%y", "/tmp/ready"))
        dependent = f"{project}{separator}link{i + 1}{separator}1"
        started = instant(docker("inspect", "--format", "{{.State.StartedAt}}", dependent))
        started_delays.append((started - ready) * 1000)
        if dependent in issued:
            issued_delays.append((issued[dependent] - ready) * 1000)
    return started_delays, issued_delays


def starts_issued(progress_lines):
    """Container name -> time of its "Starting" event, from --progress json output."""
    issued = {}
    for line in progress_lines.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("resource") == "Container" and event.get("status") == "Starting":
            issued.setdefault(event["name"], event["time"])
    return issued


def wait_healthy(container, limit_s=120):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if docker("inspect", "--format", "{{.State.Health.Status}}", container) == "healthy":
            return
        time.sleep(0.05)
    raise RuntimeError(f"{container} not healthy after {limit_s} s")


def run_chain(tool, name, directory):
    project = f"benchsup{os.getpid()}{name[:2]}"
    env = dict(os.environ, COMPOSE_PROGRESS="json")
    # v1 names containers project_service_1; stack as compose v2, project-service-1.
    separator = "_" if name == "compose-v1" else "-"
    try:
        start = time.perf_counter()
        issued = {}
        if name == "compose-v1":
            subprocess.run(tool + ["-p", project, "up", "-d"], cwd=directory, env=env,
                           check=True, capture_output=True)
            wait_healthy(f"{project}_link{CHAIN - 1}_1")
        else:
            run = subprocess.run(tool + ["-p", project, "up", "--wait"], cwd=directory, env=env,
                                 check=True, capture_output=True, text=True)
            issued = starts_issued(run.stderr)
        total = time.perf_counter() - start
        return (total,) + readiness_delays(project, separator, issued)
    finally:
        subprocess.run(tool + ["-p", project, "down", "-t", "0"], cwd=directory, env=env,
                       capture_output=True)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def distribution(values):
    return (f"min {min(values):4.0f}  p25 {percentile(values, 0.25):4.0f}  median "
            f"{statistics.median(values):4.0f}  p75 {percentile(values, 0.75):4.0f}  max "
            f"{max(values):4.0f}  (n={len(values)})")


def bench_readiness(tools, runs, start_interval):
    directory = tempfile.mkdtemp(prefix="stack-bench-")
    with open(os.path.join(directory, "docker-compose.yml"), "w") as out:
        out.write(chain_file(start_interval))
    if start_interval:  # docker-compose v1 does not know the key
        tools = {"stack": tools["stack"]}
    try:
        print(f"\nreadiness: chain of {CHAIN}, service_healthy, ready 0.3 s after start, "
              f"interval 1 s, start_interval {start_interval or 'unset'}; {runs} run(s)")
        for name, tool in tools.items():
            totals, started, issued = [], [], []
            for _ in range(runs):
                total, run_started, run_issued = run_chain(tool, name, directory)
                totals.append(total)
                started += run_started
                issued += run_issued
            print(f"  {name:11} all healthy in {statistics.median(totals):5.1f} s (median)")
            print(f"  {'':11} readiness -> dependent's StartedAt, ms: {distribution(started)}")
            if issued:
                print(f"  {'':11} readiness -> its start issued, ms:      {distribution(issued)}")
        print("  goals: all healthy <= 12 s; median readiness -> start <= 100 ms")
    finally:
        shutil.rmtree(directory)


def run_attached(tool, name, directory, mib):
    project = f"benchatt{os.getpid()}{name[:2]}"
    env = dict(os.environ, COMPOSE_PROGRESS="quiet")
    try:
        start = time.perf_counter()
        process = subprocess.Popen(tool + ["-p", project, "up", "--no-color"], cwd=directory,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        received, first_byte, dirty = 0, None, 0
        while True:
            chunk = process.stdout.read1(1 << 20)
            if not chunk:
                break
            if first_byte is None:
                first_byte = time.perf_counter()
            received += len(chunk)
            dirty = max(dirty, dirty_mib(process.pid))
        last_byte = time.perf_counter()
        _, status, usage = os.wait4(process.pid, 0)
        if status != 0:
            raise RuntimeError(f"{name} up exited with status {status}")
        return {"bytes": received, "total_s": last_byte - start,
                "streaming_s": last_byte - (first_byte or start),
                "rss": usage.ru_maxrss / 1024, "dirty": dirty,
                "cpu_s": usage.ru_utime + usage.ru_stime}
    finally:
        subprocess.run(tool + ["-p", project, "down", "-t", "0"], cwd=directory, env=env,
                       capture_output=True)


def dirty_mib(pid):
    """Memory the process itself wrote (Private_Dirty: heap, stacks, relocated data). The
    rest of its RSS is clean, file-backed pages of the binary and its shared libraries,
    which the kernel can drop and reread at any time."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
    except OSError:
        return 0
    return int(fields.get("Private_Dirty", "0 kB").split()[0]) / 1024


def bench_attached(tools, mib):
    directory = tempfile.mkdtemp(prefix="stack-bench-")
    with open(os.path.join(directory, "docker-compose.yml"), "w") as out:
        out.write(attached_file(mib))
    try:
        print(f"\nattached: up following 20 services printing {mib} MiB each "
              f"({20 * mib} MiB in all)")
        for name, tool in tools.items():
            r = run_attached(tool, name, directory, mib)
            megabytes = r["bytes"] / 1e6
            print(f"  {name:11} {megabytes:6.1f} MB: {megabytes / r['streaming_s']:6.1f} MB/s from "
                  f"first to last byte ({megabytes / r['total_s']:5.1f} MB/s counting create "
                  f"and start)   peak RSS {r['rss']:5.1f} MiB, dirty {r['dirty']:5.1f} MiB   "
                  f"CPU {r['cpu_s']:5.2f} s = {megabytes / max(r['cpu_s'], 1e-3):6.0f} MB per "
                  f"CPU-second")
        print("  goals: stack <= 15 MB RSS, >= 50 MB/s. MB per CPU-second is the tool's own "
              "ceiling; below it, the engine's attach streams set the pace.")
    finally:
        shutil.rmtree(directory)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["readiness", "attached"])
    parser.add_argument("--mib", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--start-interval", help="e.g. 100ms: stack probes at that cadence")
    args = parser.parse_args()
    stack = os.environ.get("STACK", os.path.join(ROOT, "build", "cli", "stack"))
    if not os.access(stack, os.X_OK):
        sys.exit(f"no stack binary at {stack} (build it, or set STACK)")
    tools = {"stack": [stack]}
    if shutil.which("docker-compose"):
        tools["compose-v1"] = ["docker-compose"]
    else:
        print("docker-compose v1 is missing (scripts/setup.sh --test-tools): no comparison")
    if args.only in (None, "readiness"):
        bench_readiness(tools, args.runs, args.start_interval)
    if args.only in (None, "attached"):
        bench_attached(tools, args.mib)


if __name__ == "__main__":
    main()
