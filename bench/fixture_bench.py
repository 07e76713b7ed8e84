#!/usr/bin/env python3
"""Benchmark of the C++ test fixture (issue 11), side by side in one run:
  fixture           ComposeFixture start() (load, leftover sweep, up --wait) + teardown
                    (down -v), timed inside build/bench/stack_fixture_bench
  stack CLI         `stack up -d --wait` + `stack down -v` of the same file
  reused fixture    start() of a fixture with reuse(true) that finds the project running
on a 3-service stack (db with a healthcheck, api, web; all stack-test/busybox). Runs
alternate between the tools so that engine drift hits both alike.

usage: bench/fixture_bench.py [--runs N]
Needs the running dockerd and stack-test/busybox:latest (scripts/setup.sh --test-image).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("STACK_BUILD", os.path.join(ROOT, "build"))
STACK = os.environ.get("STACK", os.path.join(BUILD, "cli", "stack"))
DRIVER = os.path.join(BUILD, "bench", "stack_fixture_bench")

COMPOSE = """
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "touch /ready; exec sleep 3600"]
    stop_signal: SIGKILL
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 30s
  api:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    depends_on:
      db: {condition: service_healthy}
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    ports: ["8080"]
    depends_on: [api]
"""


def run(argv, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def cli_once(file, name):
    started = time.monotonic()
    run([STACK, "-f", file, "-p", name, "up", "-d", "--wait"])
    up = (time.monotonic() - started) * 1000
    started = time.monotonic()
    run([STACK, "-f", file, "-p", name, "down", "-v"])
    return up, (time.monotonic() - started) * 1000


def fixture_runs(file, runs, mode):
    out = run([DRIVER, file, str(runs), mode])
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def summary(label, values):
    return f"{label:<34} median {statistics.median(values):8.1f} ms   " \
           f"min {min(values):8.1f}   max {max(values):8.1f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for path in (STACK, DRIVER):
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: build first (ninja -C build stack stack_fixture_bench)")
    with tempfile.TemporaryDirectory(prefix="fixture-bench-") as directory:
        file = os.path.join(directory, "compose.yaml")
        with open(file, "w") as out:
            out.write(COMPOSE)
        cli_total, fixture_total, cli_up, fixture_start = [], [], [], []
        for index in range(args.runs):
            up, down = cli_once(file, f"fxbench-cli-{os.getpid()}-{index}")
            cli_up.append(up)
            cli_total.append(up + down)
            sample = fixture_runs(file, 1, "plain")[0]
            fixture_start.append(sample["start_ms"])
            fixture_total.append(sample["start_ms"] + sample["teardown_ms"])
        reused = [s["start_ms"] for s in fixture_runs(file, max(args.runs, 10), "reuse")]
    print(f"3-service stack, {args.runs} runs each, alternating")
    print(summary("stack up --wait", cli_up))
    print(summary("fixture start()", fixture_start))
    print(summary("stack up --wait + down -v", cli_total))
    print(summary("fixture start() + teardown", fixture_total))
    overhead = statistics.median(fixture_total) / statistics.median(cli_total) - 1
    print(f"fixture overhead over the CLI: {overhead * 100:+.1f} % (median of totals)")
    print(summary("reused fixture start()", reused))


if __name__ == "__main__":
    main()
