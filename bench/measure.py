#!/usr/bin/env python3
"""Runs a command N times; prints the best wall time (ms), the CPU time of that run (ms)
and the peak RSS (MB) over all runs. usage: measure.py N command args..."""
import os, resource, subprocess, sys, time

def main():
    runs = int(sys.argv[1])
    command = sys.argv[2:]
    best_wall = best_cpu = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        wall = (time.perf_counter() - start) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
        if best_wall is None or wall < best_wall:
            best_wall, best_cpu = wall, cpu
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{best_wall:.1f} {best_cpu:.1f} {rss_mb:.1f}")

main()
