#!/usr/bin/env python3
"""rein context engine on long sessions: prompt caching, compaction and prompt size over
hundreds of scripted turns against the fake model server, with prompt-cache emulation on.

Scenario A: 200 turns (199 tool calls of mixed output sizes, then an answer), once with the
default window of rein's default model (claude-sonnet-4-5, 200K tokens) and once with
`context_window=60000`, so the context engine keeps hitting its limit (clearing stale tool
results, compacting). Scenario B: 1000 turns with a 60K window.

The fake server answers rein's summary requests (compactions and running-summary updates)
out of order (`summary_reply`), so the scripted tool calls stay in step however often rein
asks for a summary.

Targets (exit status 1 when one is missed): scenario A at 200K reads at least 97% of its input
tokens from the cache after the first request; no request's prompt is larger than the window;
scenario B completes.

Usage: python3 bench/context.py [--write] [--keep DIR]
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REIN = os.path.join(ROOT, "target", "release", "rein")
FAKE = os.path.join(ROOT, "target", "release", "rein-fake-model")

DEFAULT_WINDOW = 200_000  # claude-sonnet-4-5 in rein's model table
CACHE_SHARE_TARGET = 0.97
SUMMARY = ("1. Goal: inspect command output and files as asked.\n"
           "2. Done so far: ran seq with several sizes, read src/lib.rs and docs/notes.md.\n"
           "3. Decisions: none.\n4. Problems: none.\n"
           "5. Current state: still running the listed commands.\n"
           "6. Next step: run the next command.")
FINAL_ANSWER = "All commands ran."
PROMPT = "Run the commands I give you one by one and look at their output."

# One cycle of tool calls: bash output from a few dozen characters to a spilled 59 KB
# (bash results over 20,000 characters are saved to a file and previewed), and paged reads.
CYCLE = [
    ("bash", 20), ("bash", 400), ("read", "src/lib.rs"), ("bash", 3000),
    ("bash", 20), ("read", "docs/notes.md"), ("bash", 12000), ("bash", 400),
    ("bash", 6000), ("bash", 20),
]


def ensure_built():
    if os.path.exists(REIN) and os.path.exists(FAKE):
        return
    subprocess.run(["cargo", "build", "--release", "-p", "rein-cli", "-p", "rein-testkit"],
                   cwd=ROOT, check=True)


def make_repo():
    repo = tempfile.mkdtemp(prefix="rein-ctx-repo-")
    os.makedirs(os.path.join(repo, "src"))
    os.makedirs(os.path.join(repo, "docs"))
    with open(os.path.join(repo, "src", "lib.rs"), "w") as f:
        f.write("pub fn greet() -> &'static str {\n    \"hello\"\n}\n")
        for n in range(120):
            f.write(f"pub fn helper_{n}(x: u64) -> u64 {{ x.wrapping_mul({n + 3}) }}\n")
    with open(os.path.join(repo, "docs", "notes.md"), "w") as f:
        f.write("# Notes\n\n")
        for n in range(600):
            f.write(f"- note {n}: the quick brown fox jumps over the lazy dog.\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    return repo


def script(tool_calls):
    replies = []
    for i in range(tool_calls):
        tool, arg = CYCLE[i % len(CYCLE)]
        if tool == "bash":
            call = {"name": "bash", "input": {"command": f"seq 1 {arg}"}}
        else:
            call = {"name": "read", "input": {"path": arg}}
        replies.append({"kind": "tool_calls", "calls": [call]})
    replies.append({"kind": "text", "text": FINAL_ANSWER})
    return {"replies": replies, "cache": {}, "summary_reply": SUMMARY}


def run_session(label, tool_calls, settings, window, keep):
    """Runs one headless session; returns its metrics."""
    work = tempfile.mkdtemp(prefix="rein-ctx-")
    home = os.path.join(work, "home")
    os.makedirs(home)
    repo = make_repo()
    script_path = os.path.join(work, "script.json")
    record_path = os.path.join(work, "requests.jsonl")
    with open(script_path, "w") as f:
        json.dump(script(tool_calls), f)
    server = subprocess.Popen([FAKE, "--script", script_path, "--record", record_path],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = server.stdout.readline().strip()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "REIN_HOME": home,
           "ANTHROPIC_API_KEY": "x", "ANTHROPIC_BASE_URL": url}
    argv = [REIN, "-p", PROMPT, "--output-format", "stream-json"]
    for key, value in settings.items():
        argv += ["-C", f"{key}={value}"]
    try:
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, cwd=repo, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
    finally:
        server.kill()
        server.wait()
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    with open(record_path) as f:
        requests = [json.loads(line) for line in f]
    metrics = measure(events, requests)
    metrics.update(label=label, wall=wall, expected_turns=tool_calls + 1, window=window,
                   exit_code=proc.returncode, stderr=proc.stderr.strip()[-2000:])
    if keep:
        dest = os.path.join(keep, label.replace(" ", "_").replace("/", "_"))
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(work, dest)
        with open(os.path.join(dest, "events.jsonl"), "w") as f:
            f.write(proc.stdout)
        metrics["kept"] = dest
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(repo, ignore_errors=True)
    return metrics


def prompt_tokens(usage):
    return usage["input_tokens"] + usage["cache_read_tokens"] + usage["cache_creation_tokens"]


COMPACTION_MARKER = "about to be shortened to fit the context window"
UPDATE_MARKER = "Bring the running summary of this coding session up to date"


def last_user_texts(body):
    messages = body.get("messages") or []
    if not messages or messages[-1].get("role") != "user":
        return []
    content = messages[-1].get("content")
    return [content] if isinstance(content, str) else [
        b.get("text", "") for b in content or [] if isinstance(b, dict) and b.get("type") == "text"]


def is_compaction_request(body):
    return any(COMPACTION_MARKER in t for t in last_user_texts(body))


def is_summary_update(body):
    return any(UPDATE_MARKER in t for t in last_user_texts(body))


def is_summary_request(body):
    return is_compaction_request(body) or is_summary_update(body)


def measure(events, requests):
    usages = [e for e in events if e["type"] == "usage"]
    finished = next((e for e in events if e["type"] == "finished"), None)
    # Model calls without a usage event of their own (the summary requests) show up as the
    # growth of the session totals between two usage events.
    calls = []  # (kind, usage) in order
    before = {"input_tokens": 0, "output_tokens": 0, "cache_read_tokens": 0, "cache_creation_tokens": 0}
    for event in usages:
        session = event["session_usage"]
        extra = {k: session[k] - before[k] - event["usage"][k] for k in before}
        if any(extra.values()):
            calls.append(("summary", extra))
        calls.append(("turn", event["usage"]))
        before = session

    turns = [u["usage"] for u in usages]
    rest = turns[1:]
    read = sum(u["cache_read_tokens"] for u in rest)
    total = sum(prompt_tokens(u) for u in rest)
    all_rest = [u for _, u in calls][1:]
    read_all = sum(u["cache_read_tokens"] for u in all_rest)
    total_all = sum(prompt_tokens(u) for u in all_rest)
    largest = max((prompt_tokens(u) for _, u in calls), default=0)
    largest_turn = max((prompt_tokens(u) for u in turns), default=0)
    summaries = [u for kind, u in calls if kind == "summary"]
    first, last = turns[:20], turns[-20:]

    def mean(values):
        return statistics.fmean(values) if values else 0.0

    # Where the cache misses of turns 2..N come from: a turn whose read covers the whole
    # previous prompt only writes its new messages (a first write no client can avoid); a turn
    # that reads less rewrites a prefix that changed (results cleared, conversation compacted).
    first_writes = rewrites = 0
    for before_turn, turn in zip(turns, turns[1:]):
        missed = turn["input_tokens"] + turn["cache_creation_tokens"]
        if turn["cache_read_tokens"] >= prompt_tokens(before_turn):
            first_writes += missed
        else:
            rewrites += missed

    return {
        "stop_reason": finished["stop_reason"] if finished else "none",
        "result": finished["result"] if finished else "",
        "errors": [e.get("message", "") for e in events if e["type"] == "error"],
        "warnings": [e.get("message", "") for e in events if e["type"] == "warning"],
        "turns": len(turns),
        "requests": len(requests),
        "compaction_requests": sum(1 for r in requests if is_compaction_request(r["body"])),
        "summary_updates": sum(1 for r in requests if is_summary_update(r["body"])),
        "compactions": sum(1 for e in events if e["type"] == "compacted"),
        "from_running_summary": sum(1 for e in events
                                    if e["type"] == "compacted" and e.get("from_running_summary")),
        "cache_breaks": [e for e in events if e["type"] == "cache_break"],
        "cache_share": read / total if total else 0.0,
        "cache_share_all": read_all / total_all if total_all else 0.0,
        "input_total": sum(prompt_tokens(u) for u in turns),
        "uncached_total": sum(u["input_tokens"] + u["cache_creation_tokens"] for u in turns),
        "summary_tokens": sum(prompt_tokens(u) for u in summaries),
        "largest_prompt": largest,
        "largest_turn_prompt": largest_turn,
        "first_write_share": first_writes / total if total else 0.0,
        "rewrite_share": rewrites / total if total else 0.0,
        "clearings": sum(1 for e in events if e["type"] == "results_cleared"),
        "first20_prompt": mean([prompt_tokens(u) for u in first]),
        "last20_prompt": mean([prompt_tokens(u) for u in last]),
        "first20_uncached": mean([u["input_tokens"] + u["cache_creation_tokens"] for u in first]),
        "last20_uncached": mean([u["input_tokens"] + u["cache_creation_tokens"] for u in last]),
        "turn_prompts": [prompt_tokens(u) for u in turns],
    }


def machine():
    cpu, flags = platform.processor() or "cpu", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                if cpu != "cpu" and flags:
                    break
    except OSError:
        pass
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return f"{os.cpu_count()} × {cpu} ({simd}), {platform.system()} {platform.release()}"


def k(tokens):
    return f"{tokens / 1000:.1f}K"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="append the results to bench/RESULTS.md")
    parser.add_argument("--keep", metavar="DIR", help="keep each run's script, recorded requests and events in DIR")
    parser.add_argument("--turns-a", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--turns-b", type=int, default=1000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)

    ensure_built()
    a_turns, b_turns = args.turns_a, args.turns_b
    runs = [
        run_session(f"A: {a_turns} turns, 200K window", a_turns - 1,
                    {"max_turns": a_turns + 50}, DEFAULT_WINDOW, args.keep),
        run_session(f"A: {a_turns} turns, 60K window", a_turns - 1,
                    {"max_turns": a_turns + 50, "context_window": 60000}, 60000, args.keep),
        run_session(f"B: {b_turns} turns, 60K window", b_turns - 1,
                    {"max_turns": b_turns + 100, "context_window": 60000}, 60000, args.keep),
    ]

    misses = []
    for run in runs:
        if run["largest_prompt"] > run["window"]:
            misses.append(f"{run['label']}: a prompt of {run['largest_prompt']} tokens exceeds the "
                          f"{run['window']}-token window")
        if run["stop_reason"] != "completed" or run["errors"]:
            misses.append(f"{run['label']}: stop_reason {run['stop_reason']}, errors {run['errors']}")
        elif run["result"] != FINAL_ANSWER or run["turns"] != run["expected_turns"]:
            # The scripted replies fell out of step (a summary request took one of them).
            misses.append(f"{run['label']}: {run['turns']} turns ending in {run['result']!r}, "
                          f"expected {run['expected_turns']} ending in {FINAL_ANSWER!r}")
    a200 = runs[0]
    if a200["cache_share"] < CACHE_SHARE_TARGET:
        misses.append(f"{a200['label']}: cache share {a200['cache_share']:.3f} < {CACHE_SHARE_TARGET}")

    header = ["measure"] + [r["label"] for r in runs]
    rows = [
        ("stop reason", [r["stop_reason"] for r in runs]),
        ("model turns (usage events)", [str(r["turns"]) for r in runs]),
        ("requests seen by the server", [str(r["requests"]) for r in runs]),
        ("compactions (from the running summary / whole-conversation requests)",
         [f"{r['compactions']} ({r['from_running_summary']} / {r['compaction_requests']})" for r in runs]),
        ("running summary updates (background requests)", [str(r["summary_updates"]) for r in runs]),
        ("`cache_break` events", [str(len(r["cache_breaks"])) for r in runs]),
        ("input served from cache, turns 2..N", [f"{r['cache_share']:.3f}" for r in runs]),
        ("… counting summary requests too", [f"{r['cache_share_all']:.3f}" for r in runs]),
        ("misses: first writes of new messages / rewrites after a prefix change",
         [f"{r['first_write_share']:.3f} / {r['rewrite_share']:.3f}" for r in runs]),
        ("stale-result clearings (`results_cleared` events)", [str(r["clearings"]) for r in runs]),
        ("largest prompt / window", [f"{k(r['largest_prompt'])} / {k(r['window'])}" for r in runs]),
        ("mean input tokens per turn", [k(r["input_total"] / max(r["turns"], 1)) for r in runs]),
        ("input tokens per turn, first 20", [k(r["first20_prompt"]) for r in runs]),
        ("input tokens per turn, last 20", [k(r["last20_prompt"]) for r in runs]),
        ("uncached (input + cache write) per turn, first 20 / last 20",
         [f"{k(r['first20_uncached'])} / {k(r['last20_uncached'])}" for r in runs]),
        ("input tokens, all turns (uncached part)",
         [f"{r['input_total'] / 1e6:.2f}M ({r['uncached_total'] / 1e6:.2f}M)" for r in runs]),
        ("summary requests' input tokens (compactions and updates)", [f"{r['summary_tokens'] / 1e6:.2f}M" for r in runs]),
        ("wall time", [f"{r['wall']:.1f} s" for r in runs]),
    ]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + label + " | " + " | ".join(values) + " |" for label, values in rows]
    report = "\n".join(table) + "\n"
    print(f"Machine: {machine()}.\n")
    print(report)
    for run in runs:
        for brk in run["cache_breaks"][:5]:
            print(f"{run['label']}: cache break at turn {brk['turn']}: expected {brk['expected_tokens']}, "
                  f"read {brk['cached_tokens']} ({brk['cause']})")
        if run["warnings"]:
            print(f"{run['label']}: {len(run['warnings'])} warnings, first: {run['warnings'][0]}")
        if run.get("kept"):
            print(f"{run['label']}: kept in {run['kept']}")
        if run["exit_code"] != 0:
            print(f"{run['label']}: rein exited with {run['exit_code']}: {run['stderr']}")
    for miss in misses:
        print(f"TARGET MISSED: {miss}")

    if args.write:
        path = os.path.join(ROOT, "bench", "RESULTS.md")
        stamp = time.strftime("%Y-%m-%d")
        with open(path, "a") as f:
            f.write(f"\n## {stamp} — context engine: long sessions\n\n"
                    f"`python3 bench/context.py`. Machine: {machine()}.\n\n{report}")
            for miss in misses:
                f.write(f"\n- Target missed: {miss}")
            if misses:
                f.write("\n")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
