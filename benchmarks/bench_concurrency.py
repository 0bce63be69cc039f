"""Articles per second against a remote endpoint with 200 ms latency, at -j 1, 4, 16, 64.

A loopback fake OpenAI-compatible server (its own process, so its threads do not share the
client's interpreter) answers every chat completion after ``--latency`` seconds. The batch
pipeline (:func:`claimcheck.pipeline.aextract`, what ``claimcheck extract -j N`` runs)
extracts ``--articles`` articles through the real client path (``OpenAIBackend`` inside
``LLM``: schema, validation, usage, no cache) with a stand-in extraction stage that asks
``--questions`` questions one after another, as the real stage does within one article.
Reading files and spaCy are left out: they are measured by bench_cached.py, and here they
would hide what concurrency does to waiting on the endpoint.

The ideal at -j N is N articles in flight, each taking questions x latency:
``N / (questions x latency)`` articles per second (capped by the number of articles).
``client CPU ms / call`` is this process's CPU time per request: when requests per second
times that approaches the cores the process gets, the client, not the endpoint, is the
limit.

Run::

    python benchmarks/bench_concurrency.py                     # -j 1 4 16 64, 64 articles
    python benchmarks/bench_concurrency.py --jobs 16 --latency 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from claimcheck.llm import LLM
from claimcheck.llm.backends.openai_compat import OpenAIBackend
from claimcheck.llm.prompts import parse_template
from claimcheck.models import Article, ArticleClaims
from claimcheck.pipeline import aextract


class Label(BaseModel):
    label: str


TEMPLATE = parse_template(
    "---\nid: bench.label\nversion: 1\nvariables: [text, n]\n---\n"
    "## system\nAnswer with JSON only.\n## user\n{{ text }}\nQuestion {{ n }}: label it.\n",
    path=Path("bench.label.prompt"),
)


def serve(port_file: Path, latency: float) -> None:
    """The fake endpoint (run in a child process): every completion after ``latency`` s."""
    body = json.dumps(
        {
            "id": "bench",
            "object": "chat.completion",
            "created": 0,
            "model": "bench-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": '{"label": "x"}'},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25},
        }
    ).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints do
        # Headers and body go out in two writes; with Nagle's algorithm the second waits
        # for the client's delayed ACK (40 ms a call), which real servers do not add.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            time.sleep(latency)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512  # the default 5 would drop a burst of 64 connections

    server = Server(("127.0.0.1", 0), Handler)
    port_file.write_text(str(server.server_address[1]), encoding="utf-8")
    server.serve_forever()


def start_server(latency: float) -> tuple[subprocess.Popen[bytes], str]:
    port_file = Path(tempfile.mkdtemp(prefix="bench-conc-")) / "port"
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port_file), "--latency", str(latency)]
    )
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise SystemExit("the fake endpoint did not start")
        time.sleep(0.05)
    return process, f"http://127.0.0.1:{port_file.read_text()}/v1"


def run(base_url: str, *, jobs: int, articles: int, questions: int) -> tuple[float, float]:
    """Wall and CPU seconds (this process) to extract ``articles`` articles at ``-j jobs``."""

    def extractor(article: Article, llm: LLM) -> ArticleClaims:
        for n in range(questions):
            llm.parse(Label, TEMPLATE.render(text=article.text, n=str(n)))
        return ArticleClaims(article=article, claims=())

    batch = [Article(id=f"a{i}", text=f"Article {i} about an event.") for i in range(articles)]
    backend = OpenAIBackend(base_url=base_url, model="bench-model", api_key="bench-no-key")
    with LLM(backend) as llm:
        started, cpu = time.perf_counter(), time.process_time()
        result = asyncio.run(aextract(batch, llm=llm, concurrency=jobs, extractor=extractor))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if result.errors or len(result.items) != articles:
        raise SystemExit(f"-j {jobs}: {len(result.errors)} articles failed: {result.errors[:1]}")
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--articles", type=int, default=64, help="articles per run (64)")
    parser.add_argument(
        "--serial-articles", type=int, default=16, help="articles at -j 1, kept short (16)"
    )
    parser.add_argument("--questions", type=int, default=2, help="questions per article (2)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per answer (0.2)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve, args.latency)
        return 0

    process, base_url = start_server(args.latency)
    rows = []
    try:
        run(base_url, jobs=4, articles=4, questions=1)  # warm-up: imports, first connection
        for jobs in args.jobs:
            count = args.serial_articles if jobs == 1 else args.articles
            print(f"-j {jobs}: {count} articles", file=sys.stderr)
            seconds, cpu = run(base_url, jobs=jobs, articles=count, questions=args.questions)
            per_article = args.questions * args.latency
            waves = math.ceil(count / jobs)  # rounds of jobs articles in flight
            ideal_seconds = waves * per_article
            rows.append((jobs, count, seconds, cpu, count / seconds, count / ideal_seconds))
    finally:
        process.kill()
        process.wait()
    print(f"latency {args.latency * 1000:.0f} ms, {args.questions} questions per article\n")
    calls = args.questions
    print("| -j | articles | seconds | client CPU ms / call | articles / s | ideal | of ideal |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for jobs, count, seconds, cpu, rate, ideal in rows:
        per_call = 1000 * cpu / (count * calls)
        print(f"| {jobs} | {count} | {seconds:.2f} | {per_call:.1f} ", end="")
        print(f"| {rate:.1f} | {ideal:.1f} | {rate / ideal:.0%} |")
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
