#!/usr/bin/env python3
"""Sends commands to one running `handoff --format json` over a pipe, one at a time, and times
each answer: what a rep waits for, without process start-up. The lines are sent twice: the first
pass reads what the OS does not hold in memory from the disk (this machine's kernel keeps little
of a 2 GB file cached between runs), the second finds it there.
Usage: latency.py HANDOFF DB LINES_FILE [EXTRA HANDOFF ARGUMENTS…]"""
import json, subprocess, sys, time

binary, db, lines_file = sys.argv[1:4]
extra = sys.argv[4:]
lines = [l.rstrip("\n") for l in open(lines_file) if l.strip()]
p = subprocess.Popen([binary, "--db", db, "--format", "json"] + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
passes = []
failures = 0
for round in range(2):
    times = []
    for line in lines:
        start = time.perf_counter()
        p.stdin.write(line + "\n")
        p.stdin.flush()
        answer = json.loads(p.stdout.readline())
        times.append((time.perf_counter() - start) * 1000)
        if round == 0:
            failures += 0 if answer["ok"] else 1
    passes.append(sorted(times))
p.stdin.close()
p.wait()
pick = lambda times, q: times[min(len(times) - 1, int(q * len(times)))]
first, second = passes
print(f"{len(lines)} commands, {failures} failed: first pass p50 {pick(first, 0.5):.2f} ms, p99 {pick(first, 0.99):.2f} ms, "
      f"max {first[-1]:.2f} ms; second pass p50 {pick(second, 0.5):.2f} ms, p99 {pick(second, 0.99):.2f} ms, max {second[-1]:.2f} ms")
