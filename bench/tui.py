#!/usr/bin/env python3
"""The terminal interface under load, end to end through a pseudo-terminal.

Measures, against a local stand-in for the Anthropic Messages API that streams at a fixed rate:
  - idle RSS of `rein` with the interface open, and after a long streamed answer;
  - keystroke to screen: a byte written to the terminal until the interface's output carries it
    back (idle, and while 1,000 tokens/s stream in);
  - streaming: the answer's tokens per second as drawn, and whether every key typed during the
    stream arrived (the typed text is sent as the next prompt and checked at the server).

Usage: python3 bench/tui.py [--rein target/release/rein] [--tokens 4000] [--rate 1000]
Needs a built rein (cargo build --release). Prints medians; nothing here asserts timings.
"""

import argparse
import fcntl
import http.server
import json
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time

READY = b"ask rein to do something"
END = "done."


def sse(event, data):
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


class Api(http.server.BaseHTTPRequestHandler):
    """Anthropic Messages over SSE: the first request gets a long answer streamed at `rate`
    tokens per second (a token is four characters), later ones a short answer."""

    protocol_version = "HTTP/1.1"
    requests = []
    sent = []  # (first, last) send times of the long answer
    tokens = 4000
    rate = 1000

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        Api.requests.append(body)
        first = len(Api.requests) == 1
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        usage = {"input_tokens": 1000, "output_tokens": 1}
        self.chunk(sse("message_start", {"type": "message_start", "message": {
            "id": "msg_bench", "type": "message", "role": "assistant", "model": body["model"],
            "content": [], "stop_reason": None, "usage": usage}}))
        self.chunk(sse("content_block_start", {"type": "content_block_start", "index": 0,
                                               "content_block": {"type": "text", "text": ""}}))
        words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"]
        pieces = [words[i % len(words)][:3] + " " for i in range(Api.tokens)] if first else ["ok "]
        pieces.append(END)
        start = time.perf_counter()
        last = start
        for index, piece in enumerate(pieces):
            if (index + 1) % 40 == 0:
                pieces[index] = piece.rstrip() + "\n\n"
            due = start + index / Api.rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            self.chunk(sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                                   "delta": {"type": "text_delta", "text": pieces[index]}}))
            last = time.perf_counter()
        if first:
            Api.sent.append((start, last))
        self.chunk(sse("content_block_stop", {"type": "content_block_stop", "index": 0}))
        self.chunk(sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"},
                                         "usage": {"output_tokens": len(pieces)}}))
        self.chunk(sse("message_stop", {"type": "message_stop"}))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def chunk(self, data):
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Pty:
    def __init__(self, argv, env, cwd):
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        self.pid, self.fd, self.seen = pid, fd, b""

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return b""
        self.seen += data
        return data

    def wait_for(self, needle, timeout=30.0):
        deadline = time.perf_counter() + timeout
        while needle not in self.seen:
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {needle!r}")
            self.read(0.05)

    def drain(self, quiet=0.2):
        """Reads until the output has been quiet for `quiet` seconds; returns when it last came."""
        last = time.perf_counter()
        while self.read(quiet):
            last = time.perf_counter()
        return last

    def keystroke(self, char, timeout=2.0):
        """Seconds from writing `char` until output containing it comes back."""
        self.drain(0.0)
        start = time.perf_counter()
        os.write(self.fd, char)
        while time.perf_counter() - start < timeout:
            if char in self.read(timeout):
                return time.perf_counter() - start
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rein", default="target/release/rein")
    parser.add_argument("--tokens", type=int, default=4000)
    parser.add_argument("--rate", type=int, default=1000)
    args = parser.parse_args()
    Api.tokens, Api.rate = args.tokens, args.rate
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = tempfile.mkdtemp()
    repo = tempfile.mkdtemp()
    env = {"PATH": os.environ["PATH"], "HOME": home, "REIN_HOME": home, "TERM": "xterm-256color",
           "ANTHROPIC_API_KEY": "bench", "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{server.server_port}"}
    term = Pty([os.path.abspath(args.rein)], env, repo)
    term.wait_for(READY)
    term.drain(1.0)
    idle_rss = rss_kb(term.pid)

    idle = [term.keystroke(c.encode()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 2]
    os.write(term.fd, b"\x15")  # Ctrl-U clears the line
    term.drain()

    os.write(term.fd, b"stream please\r")
    while not Api.requests:
        term.read(0.01)
    typed = "QWERTYUIOP" * 10
    during = []
    for char in typed:
        during.append(term.keystroke(char.encode(), timeout=1.0))
        time.sleep(0.01)
    while not Api.sent:
        term.read(0.05)
    drawn_at = term.drain(0.5)
    started, finished_sending = Api.sent[0]
    os.write(term.fd, b"\r")
    # The typed line runs as the next prompt once the answer is done.
    deadline = time.time() + 30
    while len(Api.requests) < 2 and time.time() < deadline:
        term.read(0.1)
    term.drain(0.5)
    after_rss = rss_kb(term.pid)
    last_prompt = ""
    if len(Api.requests) >= 2:
        content = Api.requests[-1]["messages"][-1]["content"]
        last_prompt = content if isinstance(content, str) else content[0].get("text", "")
    os.kill(term.pid, signal.SIGTERM)
    os.waitpid(term.pid, 0)

    ms = lambda values: [v * 1000 for v in values if v is not None]
    print(f"idle RSS: {idle_rss / 1024:.1f} MB; after a {args.tokens}-token answer: {after_rss / 1024:.1f} MB")
    print(f"keystroke to screen, idle: median {statistics.median(ms(idle)):.2f} ms, "
          f"max {max(ms(idle)):.2f} ms ({len(ms(idle))}/{len(idle)} echoed)")
    print(f"keystroke to screen, while streaming {args.rate} tok/s: median {statistics.median(ms(during)):.2f} ms, "
          f"p95 {sorted(ms(during))[int(len(ms(during)) * 0.95) - 1]:.2f} ms ({len(ms(during))}/{len(during)} echoed)")
    elapsed = drawn_at - started
    print(f"streaming: {args.tokens} tokens sent in {finished_sending - started:.2f} s, drawn by "
          f"{elapsed:.2f} s ({(drawn_at - finished_sending) * 1000:.0f} ms after the last token) = "
          f"{args.tokens / elapsed:.0f} tok/s")
    kept = last_prompt.strip() == typed
    print(f"keys typed during the stream: {len(typed)}; arrived intact: {kept}")
    return 0 if kept else 1


if __name__ == "__main__":
    sys.exit(main())
