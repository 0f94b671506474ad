#!/usr/bin/env python3
"""rein memory: what recall costs a session, and a dream over 30 days of logs.

1. Recall (in process, `cargo run --release --example recall_timing`): a cold session start
   (sync with the history, load the indexes and standing preferences) and the recall for one
   prompt, with 30, 200 and 500 memories. Target: recall ≤ 5 ms per turn.
2. End to end: `rein -p` against the fake model server with no memory and with 200 memories
   (medians of --runs runs): what memory adds to a one-prompt session.
3. Dream: 30 days × 8 sessions of synthetic daily logs and 60 memories, `rein dream --budget B`
   for two budgets, the fake model answering with a merge, three deletions and a summary.
   Targets: the tokens used stay within the budget, the index stays under its cap.

Usage: python3 bench/memory.py [--runs 15] [--write]
"""
import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REIN = os.path.join(ROOT, "target", "release", "rein")
FAKE = os.path.join(ROOT, "target", "release", "rein-fake-model")
sys.path.insert(0, os.path.join(ROOT, "bench"))
from context import machine  # noqa: E402

WORDS = ["build", "test", "deploy", "schema", "migration", "parser", "cache", "token", "server",
         "client", "config", "release", "lint", "format", "docker", "queue", "worker", "auth"]


def ensure_built():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "rein-cli", "-p", "rein-testkit"],
                   cwd=ROOT, check=True)


def recall_timing(topics):
    out = subprocess.run(["cargo", "run", "--release", "-q", "-p", "rein-memory", "--example",
                          "recall_timing", "--", str(topics), "200"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def topic(name, kind, description, body):
    return (f"---\nname: {name}\ndescription: {description}\ntype: {kind}\ntrust: trusted\n"
            f"created: 2026-10-01\nupdated: 2026-10-01\n---\n{body}\n")


def seed_memory(repo, count):
    memory = os.path.join(repo, ".rein", "memory")
    os.makedirs(memory, exist_ok=True)
    index = ["# Memory", ""]
    for i in range(count):
        a, b = WORDS[i % len(WORDS)], WORDS[(i * 7 + 3) % len(WORDS)]
        name = f"{a}-{b}-{i}"
        kind = "feedback" if i % 10 == 0 else "project"
        body = " ".join(WORDS[(i + j * 3) % len(WORDS)] for j in range(40))
        with open(os.path.join(memory, f"{name}.md"), "w") as f:
            f.write(topic(name, kind, f"how {a} and {b} work here (note {i})", body))
        index.append(f"- [{name}]({name}.md) — how {a} and {b} work here")
    with open(os.path.join(memory, "MEMORY.md"), "w") as f:
        f.write("\n".join(index) + "\n")


def seed_logs(repo, days, per_day):
    today = datetime.date.today()
    for d in range(days):
        day = today - datetime.timedelta(days=days - d)
        path = os.path.join(repo, ".rein", "memory", "logs", day.strftime("%Y/%m/%d") + ".md")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(f"# {day}\n\n")
            for s in range(per_day):
                w = WORDS[(d * per_day + s) % len(WORDS)]
                f.write(f"## {9 + s}:00 · session {d:03}{s:05} · claude-sonnet-4-5\n"
                        f"- asked: fix the {w} handling in the {WORDS[s % len(WORDS)]} module\n"
                        f"- changed: src/{w}.rs; tests/{w}.rs\n- ran: cargo test -p {w}\n"
                        f"- outcome: Fixed the {w} edge case; tests pass.\n")
                if s % 5 == 4:
                    f.write("- trust: untrusted — content from outside entered the session (web_fetch)\n")
                f.write("\n")


def make_repo():
    repo = tempfile.mkdtemp(prefix="rein-mem-repo-")
    os.makedirs(os.path.join(repo, "src"))
    with open(os.path.join(repo, "src", "lib.rs"), "w") as f:
        f.write("pub fn greet() -> &'static str { \"hello\" }\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    return repo


def run_rein(repo, home, script, argv):
    work = tempfile.mkdtemp(prefix="rein-mem-")
    script_path = os.path.join(work, "script.json")
    with open(script_path, "w") as f:
        json.dump(script, f)
    server = subprocess.Popen([FAKE, "--script", script_path], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    url = server.stdout.readline().strip()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "REIN_HOME": home,
           "ANTHROPIC_API_KEY": "x", "ANTHROPIC_BASE_URL": url, "REIN_AUTO_DREAM": "false"}
    try:
        start = time.perf_counter()
        proc = subprocess.run([REIN] + argv, env=env, cwd=repo, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    return proc, wall


def session_wall(memories, runs):
    walls = []
    for _ in range(runs):
        repo, home = make_repo(), tempfile.mkdtemp(prefix="rein-mem-home-")
        if memories:
            seed_memory(repo, memories)
        script = {"replies": [{"kind": "text", "text": "done"}]}
        proc, wall = run_rein(repo, home, script, ["-p", "fix the parser cache bug"])
        if proc.returncode != 0:
            sys.exit(f"rein failed: {proc.stderr}")
        walls.append(wall * 1000)
        shutil.rmtree(repo, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    return statistics.median(walls)


def dream(budget):
    repo, home = make_repo(), tempfile.mkdtemp(prefix="rein-mem-home-")
    seed_memory(repo, 60)
    seed_logs(repo, 30, 8)
    merge = {"kind": "tool_calls", "calls": [{"name": "memory", "input": {
        "action": "write", "name": "build-rules", "type": "project",
        "description": "how builds and tests run", "content": "Run cargo test -p CRATE.",
        "merged_from": ["build-lint-0", "build-lint-18"], "reason": "duplicates"}}]}
    deletes = {"kind": "tool_calls", "calls": [
        {"name": "memory", "input": {"action": "delete", "name": f"{WORDS[i]}-{WORDS[(i * 7 + 3) % len(WORDS)]}-{i}",
                                      "reason": "stale"}} for i in (1, 2, 3)]}
    script = {"replies": [merge, deletes, {"kind": "text", "text": "Merged two, pruned three."}]}
    proc, wall = run_rein(repo, home, script, ["dream", "--budget", str(budget)])
    report = proc.stdout
    tokens = int(re.search(r"tokens: (\d+) of a", report).group(1)) if "tokens:" in report else -1
    gather = re.search(r"- gather: (.*)", report)
    index_lines = sum(1 for _ in open(os.path.join(repo, ".rein", "memory", "MEMORY.md")))
    shutil.rmtree(repo, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    return {"budget": budget, "tokens": tokens, "wall_ms": wall * 1000, "index_lines": index_lines,
            "gather": gather.group(1) if gather else "", "code": proc.returncode,
            "stderr": proc.stderr[-500:]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    ensure_built()
    misses = []
    lines = ["| memories | cold session start (load) | recall per prompt (median / max) | recalled |",
             "|---|---|---|---|"]
    for count in (30, 200, 500):
        r = recall_timing(count)
        lines.append(f"| {count} | {r['session_start_ms']:.2f} ms | {r['recall_ms']:.2f} / "
                     f"{r['recall_max_ms']:.2f} ms | {r['recalled_per_prompt']:.1f} |")
        if r["recall_ms"] > 5:
            misses.append(f"recall with {count} memories takes {r['recall_ms']:.2f} ms (target ≤ 5)")
    none = session_wall(0, args.runs)
    some = session_wall(200, args.runs)
    lines += ["", "| `rein -p`, one prompt | wall (median) |", "|---|---|",
              f"| no memory | {none:.1f} ms |", f"| 200 memories | {some:.1f} ms |",
              f"| memory adds | {some - none:.1f} ms |"]
    lines += ["", "| dream budget | tokens used | index lines after | wall | gathered |", "|---|---|---|---|---|"]
    for budget in (20_000, 100_000):
        d = dream(budget)
        lines.append(f"| {budget} | {d['tokens']} | {d['index_lines']} | {d['wall_ms']:.0f} ms | {d['gather']} |")
        if d["code"] != 0:
            misses.append(f"dream with budget {budget} failed: {d['stderr']}")
        if d["tokens"] > budget:
            misses.append(f"dream used {d['tokens']} tokens of a {budget} budget")
        if d["index_lines"] > 200:
            misses.append(f"index has {d['index_lines']} lines after the dream")
    report = "\n".join(lines) + "\n"
    print(f"Machine: {machine()}.\n")
    print(report)
    for miss in misses:
        print(f"TARGET MISSED: {miss}")
    if args.write:
        with open(os.path.join(ROOT, "bench", "RESULTS.md"), "a") as f:
            f.write(f"\n## {time.strftime('%Y-%m-%d')} — memory: recall and dreams\n\n"
                    f"`python3 bench/memory.py`. Machine: {machine()}.\n\n{report}")
            for miss in misses:
                f.write(f"\n- Target missed: {miss}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
