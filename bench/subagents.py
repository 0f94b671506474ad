#!/usr/bin/env python3
"""rein subagents: what starting one costs the harness.

`rein -p` against the fake model server, medians of --runs runs, in two shapes with the same
number of model calls (three):
  plain:    read → read → answer (the main session alone)
  subagent: agent call → the subagent's answer → the main answer
The difference is the harness time a subagent adds: a child session created (settings,
instruction files, permissions, hooks, its transcript), run and reported back, minus one read.
A third shape starts 4 subagents from one message (6 model calls) against 4 reads.
Target: ≤ 5 ms per subagent.

Usage: python3 bench/subagents.py [--runs 15] [--write]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from context import machine  # noqa: E402
from memory import ensure_built, make_repo, run_rein  # noqa: E402


def text(t):
    return {"kind": "text", "text": t}


def calls(*pairs):
    return {"kind": "tool_calls", "calls": [{"name": n, "input": i} for n, i in pairs]}


READ = ("read", {"path": "src/lib.rs"})


def agent(i):
    return ("agent", {"description": f"task {i}", "prompt": f"Look at task {i}",
                      "subagent_type": "explore"})


SHAPES = {
    "plain": [calls(READ), calls(READ), text("done")],
    "subagent": [calls(agent(1)), text("found it"), text("done")],
    "plain x4": [calls(READ, READ, READ, READ)] + [calls(READ)] * 4 + [text("done")],
    "4 subagents": [calls(*[agent(i) for i in range(4)])] + [text("found")] * 4 + [text("done")],
}


def median_wall(replies, runs):
    walls = []
    for _ in range(runs):
        repo, home = make_repo(), tempfile.mkdtemp(prefix="rein-sub-home-")
        proc, wall = run_rein(repo, home, {"replies": replies},
                              ["-p", "look", "-C", "memory.enabled=false"])
        if proc.returncode != 0:
            sys.exit(f"rein failed: {proc.stderr}")
        walls.append(wall * 1000)
    return statistics.median(walls)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    ensure_built()
    walls = {name: median_wall(replies, args.runs) for name, replies in SHAPES.items()}
    one = walls["subagent"] - walls["plain"]
    four = (walls["4 subagents"] - walls["plain x4"]) / 4
    lines = ["| shape | median wall |", "|---|---|"]
    lines += [f"| {name} | {wall:.1f} ms |" for name, wall in walls.items()]
    lines += ["", f"- one subagent adds {one:.1f} ms; four from one message add {four:.1f} ms each"]
    misses = [f"a subagent adds {v:.1f} ms (target ≤ 5 ms)" for v in (one, four) if v > 5]
    report = "\n".join(lines) + "\n"
    print(f"Machine: {machine()}.\n")
    print(report)
    for miss in misses:
        print(f"TARGET MISSED: {miss}")
    if args.write:
        with open(os.path.join(ROOT, "bench", "RESULTS.md"), "a") as f:
            f.write(f"\n## {time.strftime('%Y-%m-%d')} — subagents: harness time per spawn\n\n"
                    f"`python3 bench/subagents.py`. Machine: {machine()}.\n\n{report}")
            for miss in misses:
                f.write(f"\n- Target missed: {miss}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
