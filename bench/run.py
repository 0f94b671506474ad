#!/usr/bin/env python3
"""rein benchmarks: start-up, time to first model request, a 3-turn task, per-turn overhead and
the read tool, measured in one run. Prints a Markdown table; `--write` also records it in
bench/RESULTS.md. Peer harnesses found on PATH (codex, claude, opencode) are measured side by
side for `--version`.

Usage: python3 bench/run.py [--runs N] [--write]
"""
import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REIN = os.path.join(ROOT, "target", "release", "rein")
FAKE = os.path.join(ROOT, "target", "release", "rein-fake-model")


def run_measured(argv, env=None, cwd=None, stdin=subprocess.DEVNULL):
    """Runs argv twice: once directly for wall time, once under GNU time for peak RSS.

    RSS is not read from this process's wait4(): a child spawned by Python counts Python's own
    pages in its high-water mark until exec. GNU time forks from a process of about 2 MB.
    Returns (wall seconds, peak RSS in KiB, exit code, stdout)."""
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall, peak_rss_kib(argv, env, cwd), proc.returncode, proc.stdout


def peak_rss_kib(argv, env=None, cwd=None):
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%M"] + argv, env=env, cwd=cwd,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(out.read().strip().splitlines()[-1])


def median(values):
    return statistics.median(values)


def base_env(home):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "REIN_HOME": home}
    return env


def make_repo():
    repo = tempfile.mkdtemp(prefix="rein-bench-repo-")
    os.makedirs(os.path.join(repo, "src"))
    with open(os.path.join(repo, "src", "lib.rs"), "w") as f:
        f.write("pub fn greet() -> &'static str {\n    \"hello\"\n}\n" + "// filler line\n" * 100)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    return repo


def start_fake(script):
    path = tempfile.mktemp(suffix=".json")
    with open(path, "w") as f:
        json.dump({"replies": script}, f)
    proc = subprocess.Popen([FAKE, "--script", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = proc.stdout.readline().strip()
    return proc, url


def three_turn_script():
    return [
        {"kind": "tool_calls", "calls": [{"name": "read", "input": {"path": "src/lib.rs"}}]},
        {"kind": "tool_calls", "calls": [{"name": "edit", "input": {"path": "src/lib.rs", "old_string": "\"hello\"", "new_string": "\"hello, world\""}}]},
        {"kind": "text", "text": "Changed the greeting."},
    ]


def bench_version(binary, runs):
    walls, rss = [], []
    for _ in range(runs):
        wall, peak, code, _ = run_measured([binary, "--version"])
        if code != 0:
            raise SystemExit(f"{binary} --version failed")
        walls.append(wall)
        rss.append(peak)
    return median(walls) * 1000, median(rss) / 1024


def bench_first_request(runs):
    """Time from spawning rein to a complete HTTP request arriving on a raw socket."""
    samples = []
    for _ in range(runs):
        home = tempfile.mkdtemp(prefix="rein-bench-home-")
        repo = make_repo()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        env = base_env(home) | {"ANTHROPIC_API_KEY": "bench", "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{port}"}
        start = time.perf_counter()
        proc = subprocess.Popen([REIN, "-p", "hi"], env=env, cwd=repo, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        conn, _ = listener.accept()
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        arrived = time.perf_counter() - start
        body = b'{"type":"error","error":{"type":"invalid_request_error","message":"bench done"}}'
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: "
                     + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body)
        conn.close()
        proc.wait()
        listener.close()
        samples.append(arrived)
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(repo, ignore_errors=True)
    return median(samples) * 1000


def bench_task(script, runs, prompt="Change the greeting to hello, world", measure_rss=True):
    walls, rss = [], []
    for _ in range(runs):
        wall, code = task_once(script, prompt, measure=None)
        if code != 0:
            raise SystemExit(f"task failed with exit code {code}")
        walls.append(wall)
        if measure_rss:
            rss.append(task_once(script, prompt, measure="rss"))
    return median(walls) * 1000, (median(rss) / 1024 if rss else 0.0)


def task_once(script, prompt, measure):
    home = tempfile.mkdtemp(prefix="rein-bench-home-")
    repo = make_repo()
    server, url = start_fake(script)
    env = base_env(home) | {"ANTHROPIC_API_KEY": "bench", "ANTHROPIC_BASE_URL": url}
    try:
        argv = [REIN, "-p", prompt]
        if measure == "rss":
            return peak_rss_kib(argv, env, repo)
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, cwd=repo, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start, proc.returncode
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(repo, ignore_errors=True)


def bench_overhead(runs, turns=21):
    """Per-turn cost of the harness: (wall of an N-turn task − wall of a 1-turn task) / (N − 1).
    Each extra turn is a cheap read-only tool call answered at once by the loopback server, so
    the difference is the loop itself: request building, HTTP, SSE decoding, tool dispatch and
    transcript writes."""
    many = [{"kind": "tool_calls", "calls": [{"name": "todo", "input": {"todos": [{"content": f"step {i}", "status": "pending"}]}}]}
            for i in range(turns - 1)] + [{"kind": "text", "text": "done"}]
    one = [{"kind": "text", "text": "done"}]
    wall_many, _ = bench_task(many, runs, prompt="plan", measure_rss=False)
    wall_one, _ = bench_task(one, runs, prompt="plan", measure_rss=False)
    return (wall_many - wall_one) / (turns - 1)


def bench_read_tool():
    out = subprocess.run(["cargo", "run", "--release", "--quiet", "-p", "rein-tools", "--example", "read_latency"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


PEERS = {
    # label: (npm package, path of the native binary inside node_modules)
    "codex (Rust)": ("@openai/codex", "@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"),
}


def peer_binaries(install):
    """Native binaries of peer harnesses, installed with npm into bench/peers when asked.
    The npm wrapper scripts are skipped: they add a Node.js start-up the binary does not have."""
    found = []
    prefix = os.path.join(ROOT, "bench", "peers")
    for label, (package, binary) in PEERS.items():
        path = os.path.join(prefix, "node_modules", binary)
        if install and not os.path.exists(path):
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", prefix, package],
                           check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if os.path.exists(path):
            found.append((label, path))
    return found


def machine():
    cpu = platform.processor() or "cpu"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} × {cpu}, {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="append the results to bench/RESULTS.md")
    parser.add_argument("--peers", action="store_true", help="install peer harnesses from the npm registry into bench/peers and measure them too")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "rein-cli", "-p", "rein-testkit"], cwd=ROOT, check=True)

    rows = []
    version_ms, version_mb = bench_version(REIN, args.runs * 2)
    rows.append(("`rein --version` wall", f"{version_ms:.2f} ms", "≤ 3 ms", "7.8 ms"))
    rows.append(("`rein --version` peak RSS", f"{version_mb:.1f} MB", "≤ 8 MB", "16 MB"))
    first_ms = bench_first_request(args.runs)
    rows.append(("start → first model request", f"{first_ms:.2f} ms", "≤ 20 ms", "230 ms"))
    task_ms, task_mb = bench_task(three_turn_script(), args.runs)
    rows.append(("3-turn read → edit → answer, wall", f"{task_ms:.1f} ms", "≤ 60 ms + model", "580 ms"))
    rows.append(("3-turn task peak RSS", f"{task_mb:.1f} MB", "≤ 25 MB", "150 MB"))
    overhead = bench_overhead(max(5, args.runs // 2))
    rows.append(("harness overhead per turn", f"{overhead:.2f} ms", "≤ 2 ms", "≈ 20 ms"))
    read_us = bench_read_tool()
    rows.append(("read tool, small file (median)", f"{read_us:.1f} µs", "≤ 1 ms", "–"))

    for label, path in peer_binaries(args.peers):
        ms, mb = bench_version(path, args.runs * 2)
        rows.append((f"peer: {label} `--version` wall / peak RSS", f"{ms:.2f} ms / {mb:.1f} MB", "–", "measured here"))

    header = f"Machine: {machine()}. Medians of {args.runs} runs (`--version`: {args.runs * 2}).\n"
    table = ["| measure | rein | target | fastest peer (reference) |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    report = header + "\n" + "\n".join(table) + "\n"
    print(report)
    if args.write:
        path = os.path.join(ROOT, "bench", "RESULTS.md")
        stamp = time.strftime("%Y-%m-%d")
        with open(path, "a") as f:
            f.write(f"\n## {stamp}\n\n{report}")


if __name__ == "__main__":
    sys.exit(main())
