#!/usr/bin/env python3
"""Sends commands to one running `handoff --format json` over a pipe, one at a time, and times
each answer: what a rep waits for, without process start-up.
Usage: latency.py HANDOFF DB LINES_FILE [EXTRA HANDOFF ARGUMENTS…]"""
import json, subprocess, sys, time

binary, db, lines_file = sys.argv[1:4]
extra = sys.argv[4:]
lines = [l.rstrip("\n") for l in open(lines_file) if l.strip()]
p = subprocess.Popen([binary, "--db", db, "--format", "json"] + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
times, failures = [], 0
for line in lines:
    start = time.perf_counter()
    p.stdin.write(line + "\n")
    p.stdin.flush()
    answer = json.loads(p.stdout.readline())
    times.append((time.perf_counter() - start) * 1000)
    failures += 0 if answer["ok"] else 1
p.stdin.close()
p.wait()
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{len(times)} commands, {failures} failed: p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms, max {times[-1]:.2f} ms")
