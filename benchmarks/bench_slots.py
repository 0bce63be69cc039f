"""Articles per minute on the embedded model with 1, 2 or 4 llama.cpp slots in flight.

For each slot count N the embedded server is started with ``--parallel N`` (continuous
batching across slots) and N articles are extracted at a time by N threads, each with an
empty response cache, so every question reaches the model. The table gives wall seconds,
articles per minute and the ratio to one slot.

Run::

    python benchmarks/bench_slots.py --articles jul04-a attack-a results-a rc1-a
    python benchmarks/bench_slots.py --slots 1 2 --articles jul04-a attack-a

It needs the [local] extra and the CPU to itself; each slot count takes minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from bench_extraction import load

from claimcheck.extract import extract_claims
from claimcheck.llm import LLM
from claimcheck.llm.backends import EmbeddedBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.models import Article


def run(articles: Sequence[Article], slots: int, threads: int | None) -> tuple[float, int]:
    """Wall seconds to extract ``articles`` with ``slots`` in flight, and the calls made."""
    with (
        tempfile.TemporaryDirectory(prefix="claimcheck-slots-") as directory,
        EmbeddedBackend(parallel=slots, threads=threads) as backend,
    ):
        backend.start()  # the cold start is not part of the figure
        cache = ResponseCache(directory)
        llm = LLM(backend, cache=cache)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=slots) as pool:
            list(pool.map(lambda article: extract_claims(article, llm), articles))
        seconds = time.perf_counter() - started
        calls = llm.usage.calls
        cache.close()
    return seconds, calls


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", nargs="+", required=True, help="fixture ids")
    parser.add_argument("--slots", nargs="+", type=int, default=[1, 2, 4])
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: claimcheck's)")
    args = parser.parse_args(argv)
    articles = load(args.articles)
    rows = []
    for slots in args.slots:
        seconds, calls = run(articles, slots, args.threads)
        rows.append((slots, seconds, calls))
        print(f"{slots} slots: {seconds:.1f}s", file=sys.stderr, flush=True)
    base = rows[0][1]
    print(f"{len(articles)} articles: {', '.join(a.id for a in articles)}")
    print()
    print("| slots (-j) | calls | wall s | articles/min | vs first row |")
    print("|---:|---:|---:|---:|---:|")
    for slots, seconds, calls in rows:
        per_minute = len(articles) / seconds * 60
        print(f"| {slots} | {calls} | {seconds:.1f} | {per_minute:.2f} | {base / seconds:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
