#!/usr/bin/env python3
"""Benchmark of the critical chain (issue 15): does the chain of an up add up to its time?

A chain of 10 services, each gated on the one before by service_healthy, each ready 0.3 s
after it starts. `stack up -d` runs it; the bench measures the command's wall time from
outside, then reads the chain `stack timings --format json` reports for that up, and
compares the sum of the chain's links with the measured wall time (goal: within 5 %).

usage: bench/timings_bench.py [--runs N]
Needs the running dockerd and stack-test/busybox:latest (scripts/setup.sh --test-image).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STACK = os.environ.get("STACK", os.path.join(ROOT, "build", "cli", "stack"))
IMAGE = "stack-test/busybox:latest"
CHAIN = 10


def chain_file():
    lines = ["services:"]
    for i in range(CHAIN):
        lines += [
            f"  link{i}:", f"    image: {IMAGE}",
            '    command: ["sh", "-c", "sleep 0.3; touch /tmp/ready; exec sleep 3600"]',
            "    tmpfs: [/tmp]", "    stop_signal: SIGKILL",
            "    healthcheck:", '      test: ["CMD", "test", "-f", "/tmp/ready"]',
            "      interval: 1s", "      timeout: 1s", "      retries: 30"]
        if i:
            lines += ["    depends_on:", f"      link{i - 1}:",
                      "        condition: service_healthy"]
    return "\n".join(lines) + "\n"


def stack(project, directory, env, *args):
    return subprocess.run([STACK, "-p", project, *args], cwd=directory, env=env, check=True,
                          capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="stack-timings-bench-")
    env = dict(os.environ, XDG_STATE_HOME=os.path.join(directory, "state"))
    with open(os.path.join(directory, "compose.yaml"), "w") as out:
        out.write(chain_file())
    rows = []
    worst = 0.0
    try:
        for run in range(args.runs):
            project = f"timingsbench{os.getpid()}r{run}"
            try:
                began = time.monotonic()
                stack(project, directory, env, "up", "-d")
                measured = (time.monotonic() - began) * 1000
                report = json.loads(stack(project, directory, env, "timings", "--format", "json"))
            finally:
                subprocess.run([STACK, "-p", project, "down", "-t", "0"], cwd=directory, env=env,
                               capture_output=True)
            chain = sum(link["took_ms"] for link in report["chain"])
            links = len([link for link in report["chain"] if link["step"] == "healthy"])
            gap = abs(measured - chain) / measured * 100
            worst = max(worst, gap)
            rows.append((measured, chain, report["wall_ms"], links, gap))
            print(f"run {run + 1}: measured {measured:.0f} ms, chain {chain} ms "
                  f"({links} healthy links), recorded up {report['wall_ms']} ms, "
                  f"chain vs measured {gap:.1f} %", flush=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(f"median measured {statistics.median(r[0] for r in rows):.0f} ms, "
          f"median chain {statistics.median(r[1] for r in rows):.0f} ms, "
          f"worst gap {worst:.1f} % (goal <= 5 %)")
    return 0 if worst <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
