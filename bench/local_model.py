#!/usr/bin/env python3
"""The embedded local model side by side with llama.cpp's own llama-bench on the same GGUF file,
the same prompt length and the same thread count, in alternating rounds so machine noise hits
both alike. Prints medians and rein/llama.cpp ratios.

llama-bench is built once into bench/peers from the llama.cpp tree vendored in the
llama-cpp-python source package (fetched by name with pip; the crate rein links vendors the
library only). Its llama.cpp commit is printed, since it is near, not identical to, rein's.

Usage: python3 bench/local_model.py [--model FILE.gguf] [--rounds N]
"""
import argparse
import csv
import io
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "bench", "peers")
LLAMA_SRC = os.path.join(PEERS, "llama-cpp-python", "vendor", "llama.cpp")
LLAMA_BUILD = os.path.join(PEERS, "llama.cpp-build")
LLAMA_BENCH = os.path.join(LLAMA_BUILD, "bin", "llama-bench")
LOCAL_SPEED = os.path.join(ROOT, "target", "release", "examples", "local_speed")
MODELS = os.environ.get("REIN_MODELS_DIR") or os.path.join(
    os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "rein", "models")


def build_llama_bench(version):
    if os.path.exists(LLAMA_BENCH):
        return
    os.makedirs(PEERS, exist_ok=True)
    if not os.path.isdir(LLAMA_SRC):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", "-d", PEERS, f"llama-cpp-python=={version}"], check=True)
        dest = os.path.join(PEERS, "llama-cpp-python")
        os.makedirs(dest, exist_ok=True)
        subprocess.run(["tar", "xzf", os.path.join(PEERS, f"llama_cpp_python-{version}.tar.gz"),
                        "-C", dest, "--strip-components=1"], check=True)
    print("building llama-bench (a few minutes)", file=sys.stderr)
    subprocess.run(["cmake", "-S", LLAMA_SRC, "-B", LLAMA_BUILD, "-DCMAKE_BUILD_TYPE=Release",
                    "-DGGML_NATIVE=ON", "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF",
                    "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_SERVER=OFF"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", LLAMA_BUILD, "--target", "llama-bench", "-j",
                    str(os.cpu_count())], check=True, stdout=subprocess.DEVNULL)


def llama_bench(model, threads, args):
    out = subprocess.run([LLAMA_BENCH, "-m", model, "-t", str(threads), "-r", "1", "-o", "csv"] + args,
                         check=True, capture_output=True, text=True).stdout
    row = list(csv.DictReader(io.StringIO(out)))[-1]
    return float(row["avg_ts"]), row["build_commit"]


def local_speed(model, threads):
    out = subprocess.run([LOCAL_SPEED, model, "--threads", str(threads)], check=True,
                         capture_output=True, text=True).stdout
    return dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=os.path.join(MODELS, "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--llama-cpp-python", default="0.3.36")
    args = parser.parse_args()
    threads = os.cpu_count()
    build_llama_bench(args.llama_cpp_python)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "rein-local", "--example", "local_speed"],
                   cwd=ROOT, check=True)
    rows = {k: [] for k in ("rein_prefill", "rein_decode", "llama_prefill", "llama_decode", "ttft", "rss")}
    commit = "?"
    for _ in range(args.rounds):
        ours = local_speed(args.model, threads)
        prompt = int(ours["prompt_tokens"])
        rows["rein_prefill"].append(float(ours["prefill_tok_s"]))
        rows["rein_decode"].append(float(ours["decode_tok_s"]))
        rows["ttft"].append(float(ours["second_turn_ttft_s"]))
        rows["rss"].append(float(ours["peak_rss_mb"]))
        pp, commit = llama_bench(args.model, threads, ["-p", str(prompt), "-n", "0"])
        # Decode after the prompt, as rein decodes: generation at depth `prompt`.
        tg, _ = llama_bench(args.model, threads, ["-p", "0", "-n", "128", "-d", str(prompt)])
        rows["llama_prefill"].append(pp)
        rows["llama_decode"].append(tg)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"model: {os.path.basename(args.model)}; threads: {threads}; rounds: {args.rounds}; "
          f"llama.cpp {commit} (llama-bench)")
    print("| measure | rein | llama.cpp | rein / llama.cpp |")
    print("|---|---|---|---|")
    for name, ours, theirs in (("prefill tok/s", "rein_prefill", "llama_prefill"),
                               ("decode tok/s", "rein_decode", "llama_decode")):
        print(f"| {name} (median) | {med[ours]:.1f} | {med[theirs]:.1f} | {med[ours] / med[theirs]:.2f} |")
    print(f"| second-turn time to first token | {med['ttft']:.2f} s | | |")
    print(f"| peak RSS | {med['rss']:.0f} MB | | |")


if __name__ == "__main__":
    main()
