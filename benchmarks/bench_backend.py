"""What the embedded model costs: start-up, token throughput, structured calls, prompt cache.

Measures :class:`claimcheck.llm.backends.EmbeddedBackend` (the llama.cpp server the CLI starts
when no endpoint is configured):

1. cold start: seconds from constructing the backend until the server answers ``/health``;
2. throughput: prompt and generation tokens/s from the server's own ``timings`` in raw
   ``/chat/completions`` answers, with the server's prompt cache turned off per request;
3. one uncached structured ``LLM.parse`` (JSON-schema constrained), then the latency of the
   same call served from the response cache (median and p95 over ``--cached-calls``);
4. the llama.cpp prompt cache: one long shared prefix with different short questions, so
   later calls only process the question's tokens.

The text is a made-up council report written for this benchmark. It needs the [local]
extra and the CPU to itself: on a busy machine every number here drops several times.

Run::

    python benchmarks/bench_backend.py
    python benchmarks/bench_backend.py --local-model /tmp/model.gguf --threads 2
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from claimcheck.llm import LLM, Sampling
from claimcheck.llm.backends import EmbeddedBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.prompts import PromptTemplate, parse_template
from claimcheck.models import Usage

# Written for this benchmark; about 330 prompt tokens.
REPORT = (
    "The Marrow Bay district council met on Thursday evening to settle the spring budget. "
    "Councillor Edda Lindqvist opened by saying the harbour wall had cost 1.2 million to "
    "repair after the February storms, about 200,000 more than the engineers had estimated. "
    "The treasurer, Oskar Vale, told members that the overrun would be covered by delaying "
    "the new library roof until autumn. Two members objected, arguing that the roof leaks "
    "every winter and that the reading room had been closed for 41 days last year. "
    "The council also approved a bus route between the ferry terminal and the district "
    "hospital, to run every 20 minutes on weekdays from the first of May. Residents of the "
    "northern estates, who collected 1,850 signatures for the route, were thanked by the "
    "chair. A proposal to light the coastal footpath was sent back to committee after the "
    "wildlife trust warned that lamps would disturb nesting terns. The meeting closed with a "
    "vote to publish all contracts above 50,000 online within a week of signing, which "
    "passed by nine votes to three. The next meeting is set for the second Thursday of June, "
    "when the school meals contract is due for renewal and the auditors will report on the "
    "harbour accounts."
)
QUESTIONS = (
    "How much did the harbour wall repair cost?",
    "Who is the treasurer?",
    "How often will the new bus run?",
    "Why was the footpath lighting proposal sent back?",
    "What was the vote on publishing contracts?",
)
TEMPLATE = """---
id: bench-summary
version: 1
variables: [text]
---
## system
You summarise local news reports as JSON.

## user
Report:
{{ text }}

Give the main topic in a few words, the people named, and every figure mentioned.
"""


class Summary(BaseModel):
    """The structured answer the benchmark asks for."""

    topic: str
    people: list[str]
    figures: list[str]


@dataclass(frozen=True)
class Timing:
    """One raw completion as the server reports it."""

    prompt_tokens: int
    prompt_processed: int
    prompt_seconds: float
    prompt_per_second: float
    completion_tokens: int
    completion_per_second: float
    wall_seconds: float


def chat(
    base_url: str,
    model: str,
    messages: list[dict[str, str]],
    *,
    max_tokens: int,
    cache_prompt: bool,
) -> Timing:
    """POST one chat completion and read llama.cpp's ``timings`` from the raw answer.

    ``timings.prompt_n`` is the number of prompt tokens the server actually evaluated, which
    is what shows the prompt cache at work (``usage.prompt_tokens`` counts all of them).
    """
    body = {
        "model": model,
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": 0,
        "cache_prompt": cache_prompt,
    }
    request = urllib.request.Request(
        f"{base_url}/chat/completions",
        data=json.dumps(body).encode("utf-8"),
        headers={"content-type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer: dict[str, Any] = json.load(response)
    wall = time.perf_counter() - started
    usage = answer.get("usage", {})
    timings = answer.get("timings", {})
    completion_tokens = int(usage.get("completion_tokens", 0))
    prompt_ms = float(timings.get("prompt_ms", 0.0))
    return Timing(
        prompt_tokens=int(usage.get("prompt_tokens", 0)),
        prompt_processed=int(timings.get("prompt_n", -1)),
        prompt_seconds=prompt_ms / 1000,
        prompt_per_second=float(timings.get("prompt_per_second", 0.0)),
        completion_tokens=completion_tokens,
        # Without server timings, fall back to tokens over wall time (an underestimate).
        completion_per_second=float(
            timings.get("predicted_per_second", completion_tokens / wall if wall else 0.0)
        ),
        wall_seconds=wall,
    )


def throughput(backend: EmbeddedBackend, *, runs: int) -> list[Timing]:
    """Uncached completions over the report; a run number in front defeats any prefix reuse."""
    return [
        chat(
            str(backend.base_url),
            backend.model,
            [{"role": "user", "content": f"Run {n}. {REPORT}\nSummarise this in four sentences."}],
            max_tokens=96,
            cache_prompt=False,
        )
        for n in range(runs)
    ]


def structured(backend: EmbeddedBackend, *, cached_calls: int) -> tuple[float, list[float], Usage]:
    """One uncached ``LLM.parse`` into a fresh cache, then ``cached_calls`` cache hits."""
    template: PromptTemplate = parse_template(TEMPLATE, path=Path("bench-summary.prompt"))
    prompt = template.render(text=REPORT)
    with tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as directory:
        cache = ResponseCache(directory)
        llm = LLM(backend, cache=cache, sampling=Sampling(max_tokens=256))
        started = time.perf_counter()
        first = llm.parse(Summary, prompt)
        uncached = time.perf_counter() - started
        latencies = []
        for _ in range(cached_calls):
            started = time.perf_counter()
            again = llm.parse(Summary, prompt)
            latencies.append(time.perf_counter() - started)
            if again != first:
                raise SystemExit("a cached answer differs from the answer that was stored")
        usage = llm.usage
        cache.close()
    return uncached, latencies, usage


def prompt_cache(backend: EmbeddedBackend, *, questions: Sequence[str]) -> list[Timing]:
    """The same long prefix with a different question each time, server prompt cache on."""
    prefix = f"Session {time.time_ns()}. Answer in one short sentence.\n\nReport:\n{REPORT}"
    return [
        chat(
            str(backend.base_url),
            backend.model,
            [{"role": "system", "content": prefix}, {"role": "user", "content": question}],
            max_tokens=24,
            cache_prompt=True,
        )
        for question in questions
    ]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (p95 of 200 values is the 190th smallest)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered))))
    return ordered[rank - 1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--local-model", type=Path, help="GGUF to serve (default: bundled)")
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: all cores)")
    parser.add_argument("--runs", type=int, default=3, help="uncached throughput runs")
    parser.add_argument("--cached-calls", type=int, default=200)
    parser.add_argument("--starts", type=int, default=2, help="cold starts to time")
    args = parser.parse_args(argv)

    with EmbeddedBackend(model_path=args.local_model, threads=args.threads) as backend:
        backend.start()  # the server otherwise starts with the first question
        starts = [backend.cold_start_seconds]
        print(f"start 1: {starts[0]:.2f}s", file=sys.stderr, flush=True)
        model = backend.model
        runs = throughput(backend, runs=args.runs)
        print("throughput done", file=sys.stderr, flush=True)
        uncached, latencies, usage = structured(backend, cached_calls=args.cached_calls)
        print("structured done", file=sys.stderr, flush=True)
        cached = prompt_cache(backend, questions=QUESTIONS)
    # Later starts find the model file in the page cache: the usual case for a CLI user.
    for n in range(2, args.starts + 1):
        with EmbeddedBackend(model_path=args.local_model, threads=args.threads) as again:
            again.start()
            starts.append(again.cold_start_seconds)
            print(f"start {n}: {starts[-1]:.2f}s", file=sys.stderr, flush=True)

    print(f"model {model}; threads {args.threads or 'default (all cores)'}")
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| cold start, first (s) | {starts[0]:.2f} |")
    if len(starts) > 1:
        later = ", ".join(f"{s:.2f}" for s in starts[1:])
        print(f"| cold start, later (s) | {later} |")
    prompt_rate = statistics.median(r.prompt_per_second for r in runs)
    gen_rate = statistics.median(r.completion_per_second for r in runs)
    print(f"| prompt processing, median of {len(runs)} (tokens/s) | {prompt_rate:.1f} |")
    print(f"| generation, median of {len(runs)} (tokens/s) | {gen_rate:.1f} |")
    print(
        f"| uncached structured LLM.parse (s; {usage.prompt_tokens} prompt + "
        f"{usage.completion_tokens} completion tokens) | {uncached:.2f} |"
    )
    print(
        f"| cached LLM.parse, median of {len(latencies)} (ms) "
        f"| {statistics.median(latencies) * 1000:.2f} |"
    )
    print(f"| cached LLM.parse, p95 (ms) | {percentile(latencies, 0.95) * 1000:.2f} |")
    print()
    print("Uncached completions (server prompt cache off):")
    print()
    print("| run | prompt tokens | prompt tok/s | completion tokens | gen tok/s | wall s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, r in enumerate(runs, start=1):
        print(
            f"| {n} | {r.prompt_tokens} | {r.prompt_per_second:.1f} | {r.completion_tokens} "
            f"| {r.completion_per_second:.1f} | {r.wall_seconds:.2f} |"
        )
    print()
    print("Prompt cache (same long prefix, a different short question each call):")
    print()
    print("| call | prompt tokens | tokens processed | prompt s | wall s |")
    print("|---:|---:|---:|---:|---:|")
    for n, r in enumerate(cached, start=1):
        print(
            f"| {n} | {r.prompt_tokens} | {r.prompt_processed} | {r.prompt_seconds:.2f} "
            f"| {r.wall_seconds:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
